import Testing
@testable import Terminal

@Suite struct CanvasTests {
    @Test func firstFittingPicksTheLongestThatFits() {
        var canvas = Canvas(width: 12, height: 3)
        let lines = ["a long title here", "short 東京", "tiny"]
        // "short 東京" is 10 columns (each ideograph takes two).
        #expect(canvas.write(firstFitting: lines, x: 0, y: 0, maxWidth: 12) == 10)
        #expect(canvas.write(firstFitting: lines, x: 0, y: 1, maxWidth: 9) == 4)
        // Nothing fits: the last one, clipped.
        #expect(canvas.write(firstFitting: lines, x: 0, y: 2, maxWidth: 3) == 3)
        expectText(canvas, "|short 東京  |\n|tiny        |\n|tin         |")
    }

    @Test func fillThroughAWideCharacterBlanksItsOtherHalf() {
        var canvas = Canvas(width: 6, height: 1)
        canvas.write("東京ab", x: 0, y: 0)
        // Column 1 is the right half of 東, column 3 the right half of 京.
        canvas.fill(Rect(x: 1, y: 0, width: 2, height: 1), with: Cell("#"))
        expectText(canvas, "| ## ab|")
        expectAligned(canvas)
    }

    @Test func drawOverAWideCharacterBlanksItsOtherHalf() {
        var canvas = Canvas(width: 6, height: 1)
        canvas.write("東京東", x: 0, y: 0)
        canvas.draw(Canvas(width: 1, height: 1, fill: Cell("#")), x: 3, y: 0)
        expectText(canvas, "|東 #東|")
        expectAligned(canvas)
    }

    @Test func zeroWidthCharacterAfterAWideCharacterJoinsIt() {
        var canvas = Canvas(width: 4, height: 1)
        // U+200B is a grapheme of its own and zero columns wide: it joins the wide character's
        // cell, not the right half after it.
        canvas.write("東\u{200B}x", x: 0, y: 0)
        #expect(canvas[0, 0].text == "東\u{200B}")
        #expect(canvas[1, 0].isContinuation)
        #expect(canvas[2, 0].text == "x")
        expectAligned(canvas)
    }

    @Test func leadingCombiningMarkIsShownOnASpace() {
        var canvas = Canvas(width: 3, height: 1)
        canvas.write("\u{301}a", x: 0, y: 0)
        #expect(canvas[0, 0].text == " \u{301}")
        #expect(canvas[1, 0].text == "a")
    }

    @Test func wideCharacterThatDoesNotFitClearsWhatItReplaces() {
        var canvas = Canvas(width: 4, height: 1)
        canvas.write("ab東", x: 0, y: 0)
        // Only 3 columns allowed: 東 at column 2 does not fit, so column 2 becomes a space and the
        // old right half at column 3 must not be left behind.
        canvas.write("xy京", x: 0, y: 0, maxWidth: 3)
        expectText(canvas, "|xy  |")
        expectAligned(canvas)
    }
}
