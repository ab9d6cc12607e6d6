import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Tensor
import Testing
import Transformer

/// `explorer export heatmap` end to end: its numbers are the ones `inspect --export` writes to .npy,
/// its labels the ones tokens.json has, and bad input is one clear line.
@Suite struct ExportHeatmap {
    static let sentence = "the animal didn't cross the street because it was too tired"

    final class Folder {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("export-heatmap-\(UUID().uuidString)").path
        init() throws { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        func file(_ name: String) -> String { path + "/" + name }
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    /// The head's slice of the hook as `inspect --export` writes it, and the export's display tokens.
    static func exported(_ arguments: [String], hook: String, head: Int, in folder: Folder) throws -> (values: [[Float]], tokens: [String: Any]) {
        let dir = folder.file("export")
        let run = try CommandLine.run(["inspect"] + arguments + ["--export", dir])
        #expect(run.status == 0, "\(run.stderr)")
        let tensor = try NPY.read(path: dir + "/" + hook + ".npy")
        let slice = tensor.slice(head)
        let columns = slice.shape[1]
        let rows = (0..<slice.shape[0]).map { Array(slice.scalars[($0 * columns)..<(($0 + 1) * columns)]) }
        let tokens = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/tokens.json"))) as! [String: Any]
        return (rows, tokens)
    }

    /// CSV: every value equal to the .npy's (the same float32), labels the display tokens; for
    /// self-attention of a decoder and cross-attention of an encoder-decoder (decoder rows, encoder columns).
    @Test(arguments: [
        (["--text", sentence], "blocks.1.attn.pattern", 1, "display", "display"),
        (["--text", sentence], "blocks.0.attn.masked", 0, "display", "display"),
        (["--model", "tiny-transformer", "--text", "a dog chased the red ball", "--target", "ein hund"],
         "decoder.blocks.1.cross_attn.pattern", 1, "decoder_display", "display"),
    ])
    func csvEqualsTheExport(_ arguments: [String], _ hook: String, _ head: Int, _ rowTokens: String, _ columnTokens: String) throws {
        let folder = try Folder()
        let out = folder.file("figure.csv")
        let run = try CommandLine.run(["export", "heatmap"] + arguments + ["--hook", hook, "--head", "\(head)", "--out", out])
        #expect(run.status == 0, "\(run.stderr)")
        let (expected, tokens) = try Self.exported(arguments, hook: hook, head: head, in: folder)
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        #expect(Array(lines[0].dropFirst()) == tokens[columnTokens] as? [String])
        #expect(lines.dropFirst().map { $0[0] } == tokens[rowTokens] as? [String])
        let values = lines.dropFirst().map { $0.dropFirst().map { Float($0)! } }
        #expect(values == expected)
    }

    /// txt: the same numbers to 4 decimals (|a − b| ≤ 5e-5), −∞ where the scores are masked.
    @Test func textEqualsTheExportToFourDecimals() throws {
        let folder = try Folder()
        let out = folder.file("figure.txt")
        let arguments = ["--text", Self.sentence]
        let run = try CommandLine.run(["export", "heatmap"] + arguments + ["--hook", "blocks.0.attn.masked", "--head", "1", "--out", out])
        #expect(run.status == 0, "\(run.stderr)")
        let (expected, _) = try Self.exported(arguments, hook: "blocks.0.attn.masked", head: 1, in: folder)
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let rows = lines[4..<(4 + expected.count)].map { line in
            line.split(separator: " ").suffix(expected.count).map { $0 == "−∞" ? -Float.infinity : Float($0)! }
        }
        for (row, reference) in zip(rows, expected) {
            for (value, ref) in zip(row, reference) {
                #expect(value == ref || abs(value - ref) <= 5e-5, "\(value) vs \(ref)")
            }
        }
    }

    /// SVG and PNG by extension, `--format` over the extension; the SVG parses and has T×T cells.
    @Test func formatsComeFromTheExtensionOrTheOption() throws {
        let folder = try Folder()
        let base = ["export", "heatmap", "--text", Self.sentence, "--hook", "blocks.1.attn.pattern", "--head", "0"]
        for (out, extra, magic) in [("a.svg", [String](), "<?xml"), ("a.png", [], "\u{89}PNG"), ("a.dat", ["--format", "csv"], "query"),
                                    ("b.svg", ["--format", "txt", "--theme", "projector"], "tiny-gpt")] {
            let run = try CommandLine.run(base + extra + ["--out", folder.file(out)])
            #expect(run.status == 0, "\(run.stderr)")
            let bytes = try Data(contentsOf: URL(fileURLWithPath: folder.file(out)))
            #expect(String(decoding: bytes.prefix(magic.utf8.count + 1), as: UTF8.self).contains(magic.dropFirst()), "\(out)")
        }
        let parser = XMLParser(data: try Data(contentsOf: URL(fileURLWithPath: folder.file("a.svg"))))
        #expect(parser.parse())
        let svg = try String(contentsOfFile: folder.file("a.svg"), encoding: .utf8)
        #expect(svg.components(separatedBy: "class=\"cell\"").count - 1 == 13 * 13)
        // --out replaces an existing file.
        let again = try CommandLine.run(base + ["--out", folder.file("a.png")])
        #expect(again.status == 0, "\(again.stderr)")
    }

    struct Bad: CustomStringConvertible, Sendable {
        var arguments: [String]
        var status: Int32
        var mentions: String
        var description: String { arguments.joined(separator: " ") }
    }

    static let bad: [Bad] = [
        Bad(arguments: ["--hook", "blocks.0.mlp.out", "--head", "0", "--out", "x.svg"], status: 64, mentions: "[T,D], not an attention's [H,T,T]"),
        Bad(arguments: ["--hook", "blocks.0.attn.q", "--head", "0", "--out", "x.svg"], status: 64, mentions: "[H,T,dh]"),
        Bad(arguments: ["--hook", "blocks.7.attn.pattern", "--head", "0", "--out", "x.svg"], status: 64, mentions: "not a hook of tiny-gpt"),
        Bad(arguments: ["--hook", "blocks.0.attn.pattern", "--head", "2", "--out", "x.svg"], status: 64, mentions: "2 heads (0–1)"),
        Bad(arguments: ["--hook", "blocks.0.attn.pattern", "--head", "0", "--out", "x.gif"], status: 64, mentions: "--format svg|png|txt|csv"),
        Bad(arguments: ["--hook", "blocks.0.attn.pattern", "--head", "0", "--out", "/no/such/folder/x.svg"], status: 1, mentions: "does not exist"),
        Bad(arguments: ["--hook", "blocks.0.attn.pattern", "--head", "0", "--theme", "neon", "--out", "x.svg"], status: 64, mentions: "neon"),
    ]

    @Test(arguments: bad)
    func badInputIsOneClearLine(_ bad: Bad) throws {
        let run = try CommandLine.run(["export", "heatmap", "--text", "the cat sat"] + bad.arguments)
        #expect(run.status == bad.status, "\(bad): \(run.stderr)")
        #expect(run.stderr.contains(bad.mentions), "\(bad): \(run.stderr)")
        #expect(run.stderr.hasPrefix("Error: ") && !run.stderr.contains("Fatal error"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "x.svg"))
    }
}

/// `explore` and `lesson` with `--screenshot`: one screen drawn without a terminal.
@Suite struct Screenshots {
    @Test func exploreAsTextAtTheSizeAsked() throws {
        let folder = try ExportHeatmap.Folder()
        let out = folder.file("explore.txt")
        let run = try CommandLine.run(["explore", "--text", ExportHeatmap.sentence, "--screenshot", out, "--size", "100x30"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 30 && lines.allSatisfy { $0.count <= 100 })
        #expect(lines[0].contains("tiny-gpt") && lines.contains { $0.contains("blocks.0.attn") })
    }

    /// The model-files lesson's block step on a GGUF file shows the file's own Q8_0 block, and its quiz
    /// asks for a code's number by the Q8_0 rule (d·q, no m) instead of a formula the block lacks.
    @Test func quantizedBlockStepOnAGGUFFile() throws {
        let folder = try ExportHeatmap.Folder()
        let out = folder.file("step5.txt")
        let run = try CommandLine.run(["lesson", "model-files", "--step", "5", "--model", GGUFCommandLine.tiny,
                                       "--screenshot", out, "--size", "110x90"], environment: ["XDG_STATE_HOME": folder.path])
        #expect(run.status == 0, "\(run.stderr)")
        let page = try String(contentsOfFile: out, encoding: .utf8)
        #expect(page.contains("Q8_0 block of embed.W_E (the file's): d = "), "\(page)")
        #expect(page.contains("A Q8_0 code comes back\n") || page.contains("A Q8_0 code comes back as d·q, here with d = "), "\(page)")
        #expect(!page.contains("⚠") && !page.contains("= —"), "no placeholder failed:\n\(page)")
    }

    @Test func lessonAsSVG() throws {
        let folder = try ExportHeatmap.Folder()
        let out = folder.file("lesson.svg")
        let run = try CommandLine.run(["lesson", "six-steps", "--step", "2", "--screenshot", out], environment: ["XDG_STATE_HOME": folder.path])
        #expect(run.status == 0, "\(run.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: out))
        #expect(XMLParser(data: data).parse())
        #expect(String(decoding: data, as: UTF8.self).contains(#"width="1200" height="800""#))
    }

    @Test(arguments: [(["--screenshot", "x.png"], ".svg or .txt"), (["--screenshot", "x.svg", "--size", "50x10"], "80 to 1000"),
                      (["--screenshot", "x.svg", "--size", "wide"], "COLUMNSxROWS"), (["--size", "100x30"], "for --screenshot")])
    func badScreenshotOptions(_ arguments: [String], _ mentions: String) throws {
        let run = try CommandLine.run(["explore"] + arguments)
        #expect(run.status == 64 && run.stderr.contains(mentions), "\(run.stderr)")
    }
}

/// Hostile text in the sentence reaches no figure as an escape sequence, and the SVG stays XML.
@Suite struct HostileFigures {
    @Test func escapesAndMarkupStayOut() throws {
        let folder = try ExportHeatmap.Folder()
        let text = "the \u{1B}[31mcat\u{7} <b>&amp; \"sat\"\u{202E} on, the mat"
        for name in ["h.svg", "h.txt", "h.csv", "h.png"] {
            let run = try CommandLine.run(["export", "heatmap", "--text", text, "--hook", "blocks.0.attn.pattern", "--head", "0",
                                           "--out", folder.file(name)])
            #expect(run.status == 0, "\(run.stderr)")
            let bytes = try Data(contentsOf: URL(fileURLWithPath: folder.file(name)))
            if name != "h.png" {
                #expect(!bytes.contains(0x1B) && !bytes.contains(0x07), "\(name)")
                #expect(!String(decoding: bytes, as: UTF8.self).contains("\u{202E}"), "\(name)")
            }
            #expect(!run.stdout.utf8.contains(0x1B))
        }
        #expect(XMLParser(data: try Data(contentsOf: URL(fileURLWithPath: folder.file("h.svg")))).parse())
    }
}
