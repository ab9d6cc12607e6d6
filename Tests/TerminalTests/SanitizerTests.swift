import Testing
@testable import Terminal

@Suite struct SanitizerTests {
    @Test func escapesControlCharacters() {
        #expect(Sanitizer.sanitize("a\u{1B}[31mred") == "a\\e[31mred")
        #expect(Sanitizer.sanitize("line\nnext\ttab\r") == "line\\nnext\\ttab\\r")
        #expect(Sanitizer.sanitize("\u{07}\u{7F}\u{9B}") == "\\x07\\x7F\\u{9B}")
        #expect(Sanitizer.sanitize("evil\u{202E}txt") == "evil\\u{202E}txt")
    }

    @Test func escapesC1ControlsBidiAndInvisibleFormatCharacters() {
        for value in Array(0x80...0x9F) + Array(0x202A...0x202E) + Array(0x2066...0x2069) + [0xFEFF, 0xFFF9, 0xE0001] {
            let scalar = Unicode.Scalar(UInt32(value))!
            let out = Sanitizer.sanitize("a\(Character(scalar))b")
            #expect(out.unicodeScalars.allSatisfy { $0.isASCII }, "U+\(String(value, radix: 16)): \(out)")
            #expect(Sanitizer.isUnsafe(scalar))
        }
        #expect(Sanitizer.sanitize("\u{85}\u{9D}52;c;\u{9C}") == "\\u{85}\\u{9D}52;c;\\u{9C}")
    }

    @Test func keepsLineBreaksWhenAsked() {
        let text = "Error: \u{1B}]52;c;aGk=\u{07}\nUsage: x\r\u{9B}2J\u{202E}"
        #expect(Sanitizer.sanitize(text, keepingLineBreaks: true) == "Error: \\e]52;c;aGk=\\x07\nUsage: x\\r\\u{9B}2J\\u{202E}")
        #expect(!Sanitizer.sanitize(text).contains("\n"))
        // Already sanitised text is left as it is.
        #expect(Sanitizer.sanitize(Sanitizer.sanitize(text)) == Sanitizer.sanitize(text))
    }

    @Test func keepsPrintableTextIntact() {
        let text = "café 東京 👩‍👩‍👧 e\u{301} ▁the Ġcat ##ing"
        #expect(Sanitizer.sanitize(text) == text)
    }
}
