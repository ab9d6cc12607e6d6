import ArgumentParser
import Explorer
import Figures
import Foundation
import Terminal

/// `--screenshot FILE [--size COLSxROWS]`: draw one screen without a terminal, once the model's run
/// (and a lesson's step) has landed, write it as SVG or text, and exit. For scripts and handouts.
struct ScreenshotOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Draw one screen into FILE (.svg or .txt) without a terminal, and exit.", valueName: "FILE"))
    var screenshot: String?

    @Option(name: .long, help: ArgumentHelp("The screen's size for --screenshot, in columns and rows.", valueName: "COLSxROWS"))
    var size: String = "120x40"

    /// `size` as columns and rows.
    var parsedSize: (columns: Int, rows: Int)? {
        let parts = size.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let columns = Int(parts[0]), let rows = Int(parts[1]) else { return nil }
        return (columns, rows)
    }

    static let maximumSize = 1000

    func validate() throws {
        guard let (columns, rows) = parsedSize else {
            throw ValidationError("--size must be COLUMNSxROWS, e.g. 120x40, got '\(size)'")
        }
        guard (minimumSize.width...Self.maximumSize).contains(columns), (minimumSize.height...Self.maximumSize).contains(rows) else {
            throw ValidationError("--size \(size): the screen needs \(minimumSize.width) to \(Self.maximumSize) columns and "
                                  + "\(minimumSize.height) to \(Self.maximumSize) rows")
        }
        if let screenshot {
            let kind = (screenshot as NSString).pathExtension.lowercased()
            guard kind == "svg" || kind == "txt" else {
                throw ValidationError("--screenshot '\(screenshot)' must end in .svg or .txt")
            }
        } else if size != "120x40" {
            throw ValidationError("--size is for --screenshot")
        }
    }

    /// Sizes the app, draws until the frame no longer changes the state (a frame reports its layout,
    /// which a lesson's scrolling reads), and writes the last frame.
    func write(_ program: Program, look: LookOptions, to file: String) throws {
        let (columns, rows) = parsedSize ?? (120, 40)
        program.apply { state in
            state.theme = look.choice(depth: .direct)
            state.width = columns
            state.height = rows
            return []
        }
        var canvas = program.frame()
        for _ in 0..<4 {
            program.settle()
            let next = program.frame()
            if next == canvas { break }
            canvas = next
        }
        let light = program.state.theme.lightBackground
        let text = (file as NSString).pathExtension.lowercased() == "svg"
            ? ScreenSVG.render(canvas, lightBackground: light, title: "Transformer Explorer: \(program.state.screen.rawValue)")
            : ScreenSaver.plainText(canvas)
        try FigureFile.write(Array(text.utf8), to: file, option: "--screenshot")
    }
}
