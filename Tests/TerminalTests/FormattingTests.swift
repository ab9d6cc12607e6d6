import Testing
@testable import Terminal

@Suite struct FormattingTests {
    @Test func fixedDecimals() {
        #expect(NumberFormat.fixed(0.87344, decimals: 4) == "0.8734")
        #expect(NumberFormat.fixed(0.87345, decimals: 3) == "0.873")
        #expect(NumberFormat.fixed(-1.5, decimals: 0) == "-2")
        #expect(NumberFormat.fixed(2.5, decimals: 0) == "3")
        #expect(NumberFormat.fixed(-0.00001, decimals: 3) == "0.000")
        #expect(NumberFormat.fixed(12.05, decimals: 1) == "12.1")
        #expect(NumberFormat.fixed(1e20, decimals: 2) == "1e+20")
        #expect(NumberFormat.fixed(-Float.infinity, decimals: 3) == "−∞")
        #expect(NumberFormat.fixed(Float.infinity, decimals: 3) == "∞")
        #expect(NumberFormat.fixed(Float.nan, decimals: 3) == "nan")
        #expect(NumberFormat.fixed(Float(7), decimals: 2) == "7.00")
    }

    /// One format for a whole table: the most decimals that fit every value, the leading zero
    /// dropped for all or none, infinities left out.
    @Test func oneFormatForATable() throws {
        let scores: [Float] = [22.6, 16.1, 3.66, -1.3, 5.92, -9.1, 0, 7, -.infinity]
        let format = try #require(NumberFormat.common(scores, width: 4))
        #expect(format == TableFormat(decimals: 1, dropsLeadingZero: false))
        #expect(scores.filter(\.isFinite).map(format.string) == ["22.6", "16.1", "3.7", "-1.3", "5.9", "-9.1", "0.0", "7.0"])
        let weights: [Float] = [0.09, 0.91, 0.333]
        #expect(NumberFormat.common(weights, width: 3) == TableFormat(decimals: 2, dropsLeadingZero: true))
        #expect(NumberFormat.common(weights + [1], width: 3) == TableFormat(decimals: 1, dropsLeadingZero: false))
        #expect(NumberFormat.common([-123_456], width: 3) == nil)
        #expect(NumberFormat.common([.nan, -.infinity], width: 3) == TableFormat(decimals: 0, dropsLeadingZero: false))
    }

    @Test func compactNumbers() {
        #expect(NumberFormat.compact(0.8734, width: 3) == ".87")
        #expect(NumberFormat.compact(0.8734, width: 4) == ".873")
        #expect(NumberFormat.compact(0.8734, width: 6) == "0.8734")
        #expect(NumberFormat.compact(1, width: 3) == "1.0")
        #expect(NumberFormat.compact(-0.5, width: 3) == "-.5")
        #expect(NumberFormat.compact(-12.5, width: 3) == "-13")
        #expect(NumberFormat.compact(1234, width: 3) == nil)
        #expect(NumberFormat.compact(-.infinity, width: 1) == nil)
        #expect(NumberFormat.compact(-.infinity, width: 2) == "−∞")
    }

    @Test func truncationByDisplayWidth() {
        #expect(TextFit.truncate("animal", to: 5) == "anim…")
        #expect(TextFit.truncate("animal", to: 6) == "animal")
        #expect(TextFit.truncate("東京都", to: 5) == "東京…")
        #expect(TextFit.truncate("東京都", to: 4) == "東…")
        #expect(TextFit.truncate("🙂🙂", to: 3) == "🙂…")
        #expect(TextFit.truncate("e\u{301}te\u{301}", to: 3) == "e\u{301}te\u{301}")
        #expect(TextFit.truncate("a\u{1B}[2J", to: 20) == "a\\e[2J")
        #expect(TextFit.truncate("abc", to: 0) == "")
        #expect(TextFit.pad("東", to: 4, alignment: .right) == "  東")
        #expect(TextFit.pad("ab", to: 5, alignment: .center) == " ab  ")
    }

    @Test func scrollFollowsTheTarget() {
        #expect(Scroll.follow(5, offset: 0, visible: 10, total: 100) == 0)
        #expect(Scroll.follow(15, offset: 0, visible: 10, total: 100) == 6)
        #expect(Scroll.follow(3, offset: 6, visible: 10, total: 100) == 3)
        #expect(Scroll.follow(99, offset: 0, visible: 10, total: 100) == 90)
        #expect(Scroll.follow(nil, offset: 95, visible: 10, total: 100) == 90)
        #expect(Scroll.follow(4, offset: 3, visible: 10, total: 8) == 0)
        #expect(Scroll.indicator(rows: 10..<30, of: 80, columns: 0..<5, of: 5) == "↑↓ rows 11–30 of 80")
        #expect(Scroll.indicator(rows: 0..<3, of: 3, columns: 4..<9, of: 9) == "cols 5–9 of 9 ←")
        #expect(Scroll.indicator(rows: 0..<3, of: 3, columns: 0..<9, of: 9) == "")
    }

    @Test func styleDumpCodesEachStyleOnce() {
        var canvas = Canvas(width: 4, height: 2)
        canvas.write("ab", x: 0, y: 0, style: Style(foreground: .rgb(255, 0, 0)))
        canvas.write("c", x: 1, y: 1, style: Style(background: .ansi(4), attributes: [.bold, .reverse]))
        #expect(canvas.styleDump == """
        aa..
        .b..
        a fg=#FF0000 bg=default
        b fg=default bg=ansi4 bold reverse
        """)
    }
}

@Suite struct DisplayWidthTests {
    @Test func columnsPerCharacter() {
        let cases: [(String, Int)] = [
            ("a", 1), (" ", 1), ("~", 1), ("\u{0}", 0), ("é", 1), ("e\u{301}", 1), ("\u{301}", 0), ("\u{AD}", 1),
            ("ß", 1), ("Ω", 1), ("東", 2), ("ｱ", 1), ("Ｆ", 2), ("🚀", 2), ("❤️", 2), ("👩‍👩‍👧", 2), ("\u{200B}", 0),
            ("\r\n", 1),
        ]
        for (text, columns) in cases {
            let character = try! #require(text.first)
            #expect(DisplayWidth.of(character) == columns, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        #expect(DisplayWidth.of("naïve 東京 🚀") == 13)
    }
}
