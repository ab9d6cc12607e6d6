import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Explorer
import Figures
import Lessons
import Terminal
import Transformer

/// `P` saves the screen as SVG and text, off the UI thread, and says where.
@Suite struct ScreenSaving {
    final class Folder {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("screens-\(UUID().uuidString)").path
        init() throws { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        func contents() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: path).sorted() }
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    /// An app on explore whose screens go to `folder`, its clock stopped at 2026-12-03 21:04:05 UTC.
    static func app(saving folder: String) -> TestApp {
        var state = AppState(input: RunInput(model: "tiny-gpt", text: Fixtures.sentence), models: Fixtures.entries,
                             width: 120, height: 40, screen: .explore)
        state.lessons = []
        let environment = ExplorerEnvironment(load: { try Fixtures.model($0) }, screenFolder: folder,
                                              now: { Date(timeIntervalSince1970: 1_796_331_845) })
        let app = TestApp(Program(state: state, store: RunStore(), environment: environment))
        app.program.apply { startingEffects(&$0) }
        app.program.settle()
        _ = app.program.frame()
        return app
    }

    @Test func pressingPSavesTheScreenTwiceWithoutOverwriting() throws {
        let folder = try Folder()
        let app = Self.app(saving: folder.path)
        let screen = app.view()
        app.press(.character("P"))
        let first = try folder.contents()
        #expect(first.count == 2)
        let stem = try #require(first.first { $0.hasSuffix(".svg") }).dropLast(4)
        #expect(stem.wholeMatch(of: /explorer-\d{8}-\d{6}/) != nil, "\(stem)")
        #expect(first == [stem + ".svg", stem + ".txt"])
        #expect(app.state.message == "saved \(stem).svg and .txt in \(folder.path)")
        #expect(app.view().text.contains("saved \(stem).svg"))
        // The same second again: a new name, the first files untouched.
        let before = try Data(contentsOf: URL(fileURLWithPath: folder.path + "/" + stem + ".txt"))
        app.press(.character("P"))
        #expect(try folder.contents() == [stem + "-2.svg", stem + "-2.txt", stem + ".svg", stem + ".txt"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder.path + "/" + stem + ".txt")) == before)
        // The text is the screen as it was when P was pressed.
        #expect(String(decoding: before, as: UTF8.self) == ScreenSaver.plainText(screen))
    }

    /// The name is the local date and time; a taken `.txt` alone is enough to move to `-2`.
    @Test func nameIsTheTimeAndATakenNameIsSkipped() throws {
        let folder = try Folder()
        let date = Date(timeIntervalSince1970: 1_796_331_845)  // 2026-12-03 21:04:05 UTC
        try Data("keep".utf8).write(to: URL(fileURLWithPath: folder.path + "/explorer-20261203-210405.txt"))
        let saved = try ScreenSaver.save(Canvas(width: 80, height: 24), lightBackground: false, title: "t", folder: folder.path,
                                         date: date, timeZone: TimeZone(identifier: "UTC")!)
        #expect(saved.svg == folder.path + "/explorer-20261203-210405-2.svg")
        #expect(try String(contentsOfFile: folder.path + "/explorer-20261203-210405.txt", encoding: .utf8) == "keep")
        #expect(throws: (any Error).self) {
            try ScreenSaver.save(Canvas(width: 80, height: 24), lightBackground: false, title: "t", folder: folder.path + "/missing",
                                 date: date)
        }
    }

    /// The SVG is XML with the screen's grid: one text per visible character at its cell, and the
    /// backgrounds in the cells' colours.
    @Test func svgHasTheGridCharactersAndColours() throws {
        let app = try Fixtures.app()
        let canvas = app.view()
        let svg = ScreenSVG.render(canvas, lightBackground: false, title: "explore")
        let parser = XMLParser(data: Data(svg.utf8))
        let collector = TextCollector()
        parser.delegate = collector
        #expect(parser.parse())
        var expected: [String] = []
        for y in 0..<canvas.height {
            for x in 0..<canvas.width where !canvas[x, y].isContinuation && canvas[x, y].text != " " {
                expected.append("\(x * ScreenSVG.cellWidth),\(y * ScreenSVG.cellHeight + 15):\(canvas[x, y].text)")
            }
        }
        #expect(collector.texts == expected)
        // The cursor cell of the heatmap has its own background, drawn as a rect of that colour.
        let cursor = try #require((0..<canvas.height).lazy.flatMap { y in (0..<canvas.width).map { (x: $0, y: y) } }
            .first { canvas[$0.x, $0.y].text == "[" && canvas[$0.x, $0.y].style.background != .terminalDefault })
        let color = ScreenSVG.colors(of: canvas[cursor.x, cursor.y].style, lightBackground: false).background
        #expect(collector.rects.contains { $0.y == cursor.y * ScreenSVG.cellHeight && $0.x <= cursor.x * ScreenSVG.cellWidth
            && $0.x + $0.width > cursor.x * ScreenSVG.cellWidth && $0.fill == color.hexString })
    }

    /// `P` is listed in the help of every screen.
    @Test(arguments: [Screen.home, .explore, .modelGrid, .residual, .lesson])
    func everyScreenListsP(_ screen: Screen) {
        #expect(KeyTable.of(screen).help(in: BindingContext()).contains { $0.key == "P" })
        #expect(KeyTable.of(screen).action(for: .character("P"), in: BindingContext()) == .saveScreen)
    }
}

/// The characters of a screen SVG, `x,y:text`, and its background rects.
final class TextCollector: NSObject, XMLParserDelegate {
    var texts: [String] = []
    var rects: [(x: Int, y: Int, width: Int, fill: String)] = []
    var position: String?
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if name == "text" { position = "\(attributes["x"] ?? ""),\(attributes["y"] ?? ""):"; texts.append(position!) }
        if name == "rect", attributes["class"] == nil {
            rects.append((Int(attributes["x"]!)!, Int(attributes["y"]!)!, Int(attributes["width"]!)!, attributes["fill"]!))
        }
    }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) { position = nil }
    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if position != nil { texts[texts.count - 1] += string }
    }
}
