import ArgumentParser
import Figures
import Foundation
import Terminal
import Transformer

/// `explorer export …`: pictures and tables made for slides and handouts.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write figures for slides and handouts (see `explorer inspect --export` for the raw tensors).",
        subcommands: [ExportHeatmap.self])
}

/// The kinds of file `export heatmap` writes.
enum FigureFormat: String, ExpressibleByArgument, CaseIterable {
    case svg, png, txt, csv

    /// The format `path`'s extension names, nil for any other.
    static func inferred(from path: String) -> FigureFormat? {
        FigureFormat(rawValue: (path as NSString).pathExtension.lowercased())
    }
}

/// The looks a figure comes in.
enum FigureThemeChoice: String, ExpressibleByArgument, CaseIterable {
    case dark, light, projector
    var theme: FigureTheme {
        switch self {
        case .dark: .dark
        case .light: .light
        case .projector: .projector
        }
    }
}

struct ExportHeatmap: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "heatmap",
        abstract: "Write one head of an attention hook as a heatmap: SVG, PNG, plain text or CSV.",
        discussion: """
            The hook is one of an attention's [H,T,T] hooks: blocks.{l}.attn.{scores,scaled,masked,pattern} \
            (cross_attn too, in an encoder-decoder). Rows are queries, columns are keys. SVG and PNG show \
            token labels on both axes, the values in the cells, a colour legend, and the model, sentence, layer \
            and head in a title; CSV holds every value exactly as the model computed it (float32, -inf where \
            masked); txt is an aligned table with 4 decimals. --out replaces an existing file.
            """)

    @OptionGroup var modelOption: ModelOption

    @Option(name: .long, help: "The text to run the model on.")
    var text: String

    @Option(name: .long, help: "The decoder's input, for an encoder-decoder model.")
    var target: String?

    @Option(name: .long, help: ArgumentHelp("The attention hook, e.g. blocks.1.attn.pattern.", valueName: "NAME"))
    var hook: String

    @Option(name: .long, help: ArgumentHelp("The head, counting from 0 as the screen does.", valueName: "H"))
    var head: Int

    @Option(name: .long, help: ArgumentHelp("svg, png, txt or csv (default: from --out's extension).", valueName: "FORMAT"))
    var format: FigureFormat?

    @Option(name: .long, help: ArgumentHelp("The look: dark, light or projector (black on white, bold, large).", valueName: "THEME"))
    var theme: FigureThemeChoice = .light

    @Option(name: .long, help: ArgumentHelp("The file to write (replaced if it exists).", valueName: "FILE"))
    var out: String

    func validate() throws {
        if format == nil && FigureFormat.inferred(from: out) == nil {
            throw ValidationError("--out '\(out)' does not say the format: give --format svg|png|txt|csv or end the name in .svg, .png, .txt or .csv")
        }
        if head < 0 { throw ValidationError("--head counts from 0, got \(head)") }
        if out.isEmpty { throw ValidationError("--out is empty") }
    }

    func run() throws {
        let loaded = try modelOption.load()
        let figure = try AttentionFigure.make(loaded, text: text, target: target, hook: hook, head: head)
        let chosen = format ?? FigureFormat.inferred(from: out)!
        let bytes: [UInt8]
        switch chosen {
        case .svg: bytes = Array(HeatmapSVG.render(figure, theme: theme.theme).utf8)
        case .png: bytes = HeatmapPNG.render(figure, theme: theme.theme)
        case .txt: bytes = Array(HeatmapTable.text(figure).utf8)
        case .csv: bytes = Array(HeatmapTable.csv(figure).utf8)
        }
        try FigureFile.write(bytes, to: out, option: "--out")
        print("wrote \(Sanitizer.sanitize(out)) (\(chosen.rawValue), \(figure.values.rows)×\(figure.values.columns), head \(head) of \(hook))")
    }
}

/// Writing a figure: all at once (a temporary file renamed into place), and a failure said in one line.
enum FigureFile {
    static func write(_ bytes: [UInt8], to path: String, option: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        let files = FileManager.default
        var isFolder: ObjCBool = false
        if !folder.isEmpty {
            guard files.fileExists(atPath: folder, isDirectory: &isFolder) else {
                throw ModelError.badInput("cannot write \(option) '\(path)': the folder '\(folder)' does not exist")
            }
            guard isFolder.boolValue else {
                throw ModelError.badInput("cannot write \(option) '\(path)': '\(folder)' is not a folder")
            }
        }
        if files.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw ModelError.badInput("cannot write \(option) '\(path)': it is a folder")
        }
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            let writable = files.isWritableFile(atPath: folder.isEmpty ? "." : folder)
            throw ModelError.badInput("cannot write \(option) '\(path)': "
                                      + (writable ? "the write failed (disk full?)" : "the folder is not writable"))
        }
    }
}
