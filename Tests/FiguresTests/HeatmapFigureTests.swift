import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import Terminal
@testable import Figures

/// A 15-token causal pattern with hand-made weights (each row sums to 1), a masked upper triangle,
/// and labels with a space mark, an accent, a CJK token and XML's special characters.
func causalFigure(tokens: Int = 15) -> HeatmapFigure {
    var values: [Float] = []
    var hidden: [Bool] = []
    for q in 0..<tokens {
        let total = Float((q + 1) * (q + 2) / 2)
        for k in 0..<tokens {
            values.append(k <= q ? Float(k + 1) / total : 0)
            hidden.append(k > q)
        }
    }
    let words = ["the", "␣animal", "␣didn't", "␣cross", "<b>&", "␣café", "猫", "␣because", "␣it", "␣was", "␣too",
                 "␣tired", "\"q\"", "x,y", "end"]
    let labels = (0..<tokens).map { words[$0 % words.count] }
    return HeatmapFigure(title: "tiny-gpt · blocks.1.attn.pattern · layer 1, head 0", subtitle: "\"the animal\"",
                         values: Matrix(rows: tokens, columns: tokens, values: values), hidden: hidden,
                         rowLabels: labels, columnLabels: labels, scale: .viridis, range: 0...1)
}

/// Collects the elements of an SVG as (name, attributes, text).
final class SVGElements: NSObject, XMLParserDelegate {
    var elements: [(name: String, attributes: [String: String], text: String)] = []
    /// The element whose text is being read (between its start and end tags), if any.
    var open: Int?
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        elements.append((name, attributes, ""))
        open = elements.count - 1
    }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        open = nil
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let open { elements[open].text += string }
    }
}

@Suite struct HeatmapFigures {
    @Test func svgIsXMLWithOneRectPerCellAndEveryLabel() throws {
        let figure = causalFigure()
        for theme in FigureTheme.all {
            let svg = HeatmapSVG.render(figure, theme: theme)
            let parser = XMLParser(data: Data(svg.utf8))
            let collected = SVGElements()
            parser.delegate = collected
            #expect(parser.parse(), "\(theme.name): \(parser.parserError.map { "\($0)" } ?? "")")
            let cells = collected.elements.filter { $0.name == "rect" && $0.attributes["class"] == "cell" }
            #expect(cells.count == 15 * 15)
            // The cell of query 3, key 1 has its colour on the scale; a masked one the theme's fill.
            let cell = try #require(cells.first { $0.attributes["data-row"] == "3" && $0.attributes["data-column"] == "1" })
            #expect(cell.attributes["fill"] == figure.color(row: 3, column: 1)?.hexString)
            let masked = try #require(cells.first { $0.attributes["data-row"] == "1" && $0.attributes["data-column"] == "2" })
            #expect(masked.attributes["fill"] == theme.masked.hexString)
            let texts = collected.elements.filter { $0.name == "text" }
            let rowLabels = texts.filter { $0.attributes["class"] == "row-label" }.map(\.text)
            let columnLabels = texts.filter { $0.attributes["class"] == "column-label" }.map(\.text)
            #expect(rowLabels == figure.rowLabels && columnLabels == figure.columnLabels)
            #expect(texts.contains { $0.attributes["class"] == "title" && $0.text == figure.title })
            // Query 3's weights are 1/10, 2/10, 3/10, 4/10: the values as the cells show them.
            let values = texts.filter { $0.attributes["class"] == "value" }.map(\.text)
            #expect(values.count == 15 * 15)
            #expect(Array(values[45..<49]) == ["0.10", "0.20", "0.30", "0.40"] && values[49] == "·")
            #expect(collected.elements.contains { $0.name == "rect" && $0.attributes["class"] == "legend-bar" })
            #expect(texts.contains { $0.attributes["class"] == "legend-low" && $0.text == "0.00" })
            #expect(texts.contains { $0.attributes["class"] == "legend-high" && $0.text == "1.00" })
            #expect(texts.contains { $0.text == "masked" })
        }
    }

    /// The PNG, decoded by python3's zlib: at least 800 px wide for 15 tokens, and the cell of query
    /// 3, key 1 has the colour of 0.2 on viridis next to its corner.
    @Test func pngHasTheSizeAndTheCellColours() throws {
        let figure = causalFigure()
        let folder = try ScratchFolder()
        for theme in FigureTheme.all {
            let layout = FigureLayout(figure, theme: theme)
            #expect(layout.width >= 800)
            let path = folder.file("\(theme.name).png")
            try Data(HeatmapPNG.render(figure, theme: theme)).write(to: URL(fileURLWithPath: path))
            let cell = layout.origin(row: 3, column: 1)
            let masked = layout.origin(row: 1, column: 2)
            let inside = theme.cellGap + 2
            let probes = [(x: cell.x + inside, y: cell.y + inside), (x: masked.x + inside, y: masked.y + inside), (x: 0, y: 0)]
            guard let decoded = try decodeWithPython(png: path, pixels: probes) else { return }
            #expect(decoded.size == (layout.width, layout.height))
            let expected = ColorScale.viridis.rgb(at: 0.2)
            #expect(decoded.colors[0] == [Int(expected.red), Int(expected.green), Int(expected.blue)], "\(theme.name)")
            #expect(decoded.colors[1] == [Int(theme.masked.red), Int(theme.masked.green), Int(theme.masked.blue)])
            #expect(decoded.colors[2] == [Int(theme.background.red), Int(theme.background.green), Int(theme.background.blue)])
        }
    }

    /// CSV holds every value exactly: each field reads back as the same float32.
    @Test func csvValuesReadBackExactly() throws {
        var figure = causalFigure()
        figure.values = Matrix(rows: 2, columns: 3, values: [0.87343216, 1e-5, -.infinity, -3.25, 0.1, 1])
        figure.rowLabels = ["a,b", "\"q\""]
        figure.columnLabels = ["x", "y", "z"]
        let lines = HeatmapTable.csv(figure).split(separator: "\n").map(String.init)
        #expect(lines[0] == #"query \ key,x,y,z"#)
        #expect(lines[1].hasPrefix(#""a,b","#) && lines[2].hasPrefix(#""""q""","#))
        let fields = lines.dropFirst().map { $0.split(separator: ",").suffix(3).map { Float(String($0).replacingOccurrences(of: "inf", with: "infinity")) } }
        #expect(fields.joined().map { $0! } == figure.values.values)
    }

    /// The text table lists every label and every value to 4 decimals (within 5e-5 of the value).
    @Test func textTableHasEveryValueToFourDecimals() {
        let figure = causalFigure(tokens: 5)
        let text = HeatmapTable.text(figure)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == figure.title)
        let rows = lines[4..<9].map { $0.split(separator: " ").suffix(5).map { Double($0)! } }
        for (q, row) in rows.enumerated() {
            for (k, value) in row.enumerated() { #expect(abs(value - Double(figure.values[q, k])) <= 5e-5) }
        }
        #expect(lines[4].hasPrefix("the") && lines[5].hasPrefix("␣animal"))
    }

    /// A character the bitmap font lacks (猫) is drawn as the missing-glyph box; the SVG keeps it.
    @Test func missingGlyphIsABox() {
        let font = BitmapFont.font8x8
        #expect(!font.hasGlyph("猫") && font.hasGlyph("é") && font.hasGlyph("␣") && font.hasGlyph("A"))
        var raster = Raster(width: 16, height: 16, background: RGB(0, 0, 0))
        raster.draw("猫", x: 0, y: 0, color: RGB(255, 255, 255), scale: 1)
        let white = RGB(255, 255, 255), black = RGB(0, 0, 0)
        // The box: a 7×7 outline, hollow inside.
        #expect(raster[0, 0] == white && raster[6, 0] == white && raster[0, 6] == white && raster[6, 6] == white)
        #expect(raster[3, 3] == black && raster[7, 0] == black)
        #expect(HeatmapSVG.render(causalFigure(), theme: .light).contains(">猫</text>"))
    }

    /// Glyphs come out as font8x8 defines them: `A`'s top row is 0x0C, pixels 2 and 3 from the left.
    @Test func glyphBitsAreReadLeftToRight() {
        var raster = Raster(width: 8, height: 8, background: RGB(0, 0, 0))
        raster.draw("A", x: 0, y: 0, color: RGB(9, 9, 9), scale: 1)
        #expect((0..<8).map { raster[$0, 0] == RGB(9, 9, 9) } == [false, false, true, true, false, false, false, false])
    }
}
