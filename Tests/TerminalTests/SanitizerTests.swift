import Testing
@testable import Terminal

@Suite struct SanitizerTests {
    @Test func escapesControlCharacters() {
        #expect(Sanitizer.sanitize("a\u{1B}[31mred") == "a\\e[31mred")
        #expect(Sanitizer.sanitize("line\nnext\ttab\r") == "line\\nnext\\ttab\\r")
        #expect(Sanitizer.sanitize("\u{07}\u{7F}\u{9B}") == "\\x07\\x7F\\u{9B}")
        #expect(Sanitizer.sanitize("evil\u{202E}txt") == "evil\\u{202E}txt")
    }

    @Test func keepsPrintableTextIntact() {
        let text = "café 東京 👩‍👩‍👧 e\u{301} ▁the Ġcat ##ing"
        #expect(Sanitizer.sanitize(text) == text)
    }
}
