import CNcurses
import Terminal
import Testing
@testable import TerminalCurses

@Suite struct InputDecoderTests {
    /// Feeds inputs as one burst (what is waiting at once), then flushes as the backend does.
    func decode(_ inputs: [RawInput]) -> [DecodedInput] {
        var decoder = InputDecoder()
        return inputs.flatMap { decoder.feed($0) } + decoder.flush()
    }

    func scalars(_ text: String) -> [RawInput] { text.unicodeScalars.map { .scalar($0.value) } }

    func keys(_ text: String) -> [DecodedInput] { text.map { .event(.key(.character($0))) } }

    @Test func charactersOfSeveralScalarsArriveAsOne() {
        #expect(decode(scalars("ab")) == keys("ab"))
        #expect(decode(scalars("e\u{301}x")) == keys("e\u{301}x"))
        #expect(decode(scalars("東京")) == keys("東京"))
        #expect(decode(scalars("👩‍👩‍👧🇫🇷")) == [.event(.key(.character("👩‍👩‍👧"))), .event(.key(.character("🇫🇷")))])
    }

    @Test func keysEndAPendingCharacterFirst() {
        #expect(decode(scalars("é") + [.code(KEY_LEFT)] + scalars("\u{1}") + [.code(KEY_RESIZE), .code(KEY_MOUSE)]) == [
            .event(.key(.character("é"))), .event(.key(.left)), .event(.key(.ctrl("a"))), .resized, .mouseReport,
        ])
        #expect(decode(scalars("a\u{1B}")) == [.event(.key(.character("a"))), .event(.key(.escape))])
        #expect(decode([.code(KEY_MAX + 77)]).isEmpty)
    }

    @Test func bracketedPasteIsOneEvent() {
        let inputs: [RawInput] = scalars("x") + [.code(KeyCodes.pasteBegin)] + scalars("two\rlines\r\nand\nmore é\u{1B}")
            + [.code(KEY_LEFT), .code(KEY_ENTER)] + [.code(KeyCodes.pasteEnd)] + scalars("y")
        #expect(decode(inputs) == [
            .event(.key(.character("x"))),
            .event(.paste("two\nlines\nand\nmore é\u{1B}\n")),
            .event(.key(.character("y"))),
        ])
    }

    @Test func pasteIsHeldUntilItsEndMarker() {
        var decoder = InputDecoder()
        #expect(decoder.feed(.code(KeyCodes.pasteBegin)).isEmpty)
        #expect(decoder.isPasting)
        for input in scalars("half") { #expect(decoder.feed(input).isEmpty) }
        #expect(decoder.flush().isEmpty)
        #expect(decoder.feed(.code(KeyCodes.pasteEnd)) == [.event(.paste("half"))])
        #expect(!decoder.isPasting)
        // An empty paste is still a paste; a stray end marker is nothing.
        #expect(decoder.feed(.code(KeyCodes.pasteBegin)).isEmpty)
        #expect(decoder.feed(.code(KeyCodes.pasteEnd)) == [.event(.paste(""))])
        #expect(decoder.feed(.code(KeyCodes.pasteEnd)).isEmpty)
    }

    @Test func aPasteWithoutEndMarkerEndsWhenTheBackendGivesUp() {
        var decoder = InputDecoder()
        _ = decoder.feed(.code(KeyCodes.pasteBegin))
        for input in scalars("cut off") { _ = decoder.feed(input) }
        #expect(decoder.finishPaste() == [.event(.paste("cut off"))])
        #expect(decoder.finishPaste().isEmpty)
    }
}
