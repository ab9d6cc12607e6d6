import Foundation
import Testing

/// The `explorer` binary run as a user runs it: exit statuses, one-line errors, JSON outputs.
@Suite struct CommandLine {
    struct Run { var status: Int32; var stdout: String; var stderr: String }

    /// The `explorer` built beside this test bundle.
    static let binary: String = {
        var dir = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("explorer").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return "explorer"
    }()

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr, as: UTF8.self))
    }

    struct BadInput: CustomStringConvertible, Sendable {
        var arguments: [String]
        var status: Int32
        var mentions: String
        var description: String { arguments.joined(separator: " ") }
    }

    static let badInputs: [BadInput] = [
        BadInput(arguments: ["inspect", "--text", ""], status: 1, mentions: "empty"),
        BadInput(arguments: ["inspect", "--text", String(repeating: "the cat ", count: 20)], status: 1,
                 mentions: "40 tokens long but the model's context is 32"),
        BadInput(arguments: ["inspect", "--text", "the cat", "--hooks", "blocks.7.*"], status: 64, mentions: "blocks.7.*"),
        BadInput(arguments: ["inspect", "--text", "the cat", "--mask", "sideways"], status: 64, mentions: "prefix:N"),
        BadInput(arguments: ["inspect", "--model", "/no/such/model", "--text", "hi"], status: 1, mentions: "/no/such/model"),
        BadInput(arguments: ["inspect", "--model", "gpt-9", "--text", "hi"], status: 1, mentions: "tiny-gpt"),
        BadInput(arguments: ["inspect", "--model", "tiny-gpt", "--text", "hi", "--target", "x"], status: 1, mentions: "encoder-decoder"),
        BadInput(arguments: ["params", "--preset", "gpt5"], status: 1, mentions: "gpt2-small"),
        BadInput(arguments: ["params"], status: 64, mentions: "exactly one"),
        BadInput(arguments: ["generate", "--model", "tiny-bert", "--prompt", "the cat"], status: 1, mentions: "no LM head"),
        BadInput(arguments: ["generate", "--prompt", "the cat", "--top-p", "1.5"], status: 64, mentions: "top-p"),
        BadInput(arguments: ["bench", "--hooks", "blocks.9.attn.*", "--no-matmul", "--no-ui"], status: 64, mentions: "blocks.9.attn.*"),
        BadInput(arguments: ["bench", "--tokens", "0"], status: 64, mentions: "--tokens"),
    ]

    @Test(arguments: badInputs)
    func badInputIsOneClearLine(_ bad: BadInput) throws {
        let run = try Self.run(bad.arguments)
        #expect(run.status == bad.status, "\(bad): status \(run.status), stderr: \(run.stderr)")
        #expect(run.stderr.contains(bad.mentions), "\(bad): \(run.stderr)")
        #expect(!run.stderr.contains("Fatal error") && !run.stderr.contains("Stack dump"))
        #expect(run.stderr.split(separator: "\n").first?.hasPrefix("Error: ") == true, "\(run.stderr)")
    }

    /// `bench` on a bundled model: every figure asked for is there and positive, the skipped ones
    /// are absent (a quick run: a tenth of a second per figure).
    @Test func benchReportsTheForwardFigures() throws {
        let run = try Self.run(["bench", "--model", "tiny-gpt", "--tokens", "8", "--seconds", "0.1", "--no-matmul",
                                "--no-ui", "--no-reference", "--hooks", "blocks.*.attn.pattern", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        for key in ["forward_ms", "forward_no_recording_ms", "forward_reading_every_hook_ms", "load_ms"] {
            #expect((json[key] as? Double ?? 0) > 0, "\(key)")
        }
        let selected = try #require(json["forward_selected_hooks"] as? [String: Any])
        #expect(selected["hooks"] as? String == "blocks.*.attn.pattern" && (selected["ms"] as? Double ?? 0) > 0)
        #expect(json["tokens"] as? Int == 8 && json["model"] as? String == "tiny-gpt")
        #expect((json["matmul_gflops"] as? [String: Any])?.isEmpty == true && json["ui"] == nil)
    }

    @Test func exportRefusesAForeignDirectory() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data("mine".utf8).write(to: URL(fileURLWithPath: dir + "/notes.txt"))
        let run = try Self.run(["inspect", "--text", "the cat", "--export", dir])
        #expect(run.status == 1)
        #expect(run.stderr.contains("not empty"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["notes.txt"])
    }

    @Test func controlCharactersNeverReachTheTerminalRaw() throws {
        let run = try Self.run(["inspect", "--text", "the \u{1B}[31mcat\u{07} sat"])
        #expect(run.status == 0)
        #expect(!run.stdout.contains("\u{1B}") && !run.stdout.contains("\u{07}"))
        #expect(run.stdout.contains("\\e"))
    }

    @Test func paramsJSONHasAnIntegerTotal() throws {
        for (preset, total) in [("gpt2-small", 124_439_808), ("bert-base", 109_482_240), ("llama2-7b", 6_738_415_616),
                                ("gpt3-175b", 174_604_259_328), ("transformer-base", 63_082_496)] {
            let run = try Self.run(["params", "--preset", preset, "--json"])
            #expect(run.status == 0)
            let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
            #expect((object?["total"] as? NSNumber)?.int64Value == Int64(total), "\(preset)")
        }
    }

    /// A Hugging Face directory counts as `transformers` counts it (`num_parameters()`, a tied head
    /// once), and what the loader noted comes on standard error as `warning:` lines.
    @Test func paramsOfHuggingFaceDirectories() throws {
        let fixtures = ("\(#filePath)" as NSString).deletingLastPathComponent + "/../Fixtures/hf/"
        for (model, total) in [("tiny-gpt2", 140_288), ("tiny-llama", 150_336), ("tiny-bert", 105_152)] {
            let run = try Self.run(["params", "--model", fixtures + model, "--json"])
            #expect(run.status == 0, "\(model): \(run.stderr)")
            let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
            #expect((object?["total"] as? NSNumber)?.intValue == total, "\(model)")
            let warnings = run.stderr.split(separator: "\n")
            #expect(warnings.count == (model == "tiny-gpt2" ? 2 : 0), "\(model): \(run.stderr)")
            #expect(warnings.allSatisfy { $0.hasPrefix("warning: ") && $0.contains("50256 is outside the vocabulary") })
        }
    }

    @Test func modelsJSONListsTheFourBundledModels() throws {
        let run = try Self.run(["models", "--json"], environment: ["XDG_DATA_HOME": "/nonexistent"])
        #expect(run.status == 0)
        let list = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]] ?? []
        let bundled = list.filter { $0["bundled"] as? Bool == true }
        #expect(Set(bundled.compactMap { $0["name"] as? String }) == ["tiny-gpt", "tiny-bert", "tiny-llama", "tiny-transformer"])
        let architectures = Dictionary(uniqueKeysWithValues: bundled.map { ($0["name"] as! String, $0["architecture"] as! String) })
        #expect(architectures["tiny-transformer"] == "encoder-decoder")
        #expect(architectures["tiny-bert"] == "encoder")
        #expect(bundled.allSatisfy { ($0["path"] as? String)?.isEmpty == false })
    }

    @Test func generationIsReproducible() throws {
        let arguments = ["generate", "--prompt", "the cat", "--temperature", "0.9", "--top-k", "8", "--seed", "42",
                         "--max-tokens", "12"]
        let first = try Self.run(arguments), second = try Self.run(arguments)
        #expect(first.status == 0)
        #expect(first.stdout == second.stdout)
        #expect(first.stdout.split(separator: " ").count == 2 + 12)
        let other = try Self.run(arguments.dropLast(3) + ["43", "--max-tokens", "12"])
        #expect(other.stdout != first.stdout, "another seed should give other text")
    }

    @Test func versionSaysWhereTheModelsAre() throws {
        let run = try Self.run(["--version"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("explorer 0."))
        #expect(run.stdout.contains("bundled models and lessons: /"))
    }

    @Test func runsFromAnotherDirectoryWithAnOverride() throws {
        let run = try Self.run(["models", "--json"], environment: ["EXPLORER_HOME": "/nonexistent"])
        #expect(run.status == 0)
        #expect(!run.stdout.contains("tiny-gpt"))
    }
}

/// A GGUF file wherever a model directory goes: recognised by its magic whatever its name, listed by
/// `explorer models` from the user's models directory, bad files refused in one line.
@Suite struct GGUFCommandLine {
    static let tiny = ("\(#filePath)" as NSString).deletingLastPathComponent + "/../Fixtures/gguf/tiny-llama.gguf"

    @Test func inspectsAGGUFFileWhateverItsName() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("gguf-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let blob = scratch.appendingPathComponent("sha256-4f2a9c").path
        try FileManager.default.copyItem(atPath: Self.tiny, toPath: blob)
        for path in [Self.tiny, blob] {
            let run = try CommandLine.run(["inspect", "--model", path, "--text", "The quick brown fox", "--json"])
            #expect(run.status == 0, "\(run.stderr)")
            let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
            #expect(object?["architecture"] as? String == "decoder")
            // Named by the file, or for a blob by the metadata's general.name.
            #expect(object?["model"] as? String == (path == blob ? "tiny-llama-gguf" : "tiny-llama"), "\(String(describing: object?["model"]))")
        }
        let params = try CommandLine.run(["params", "--model", Self.tiny, "--json"])
        let report = try JSONSerialization.jsonObject(with: Data(params.stdout.utf8)) as? [String: Any]
        #expect((report?["total"] as? NSNumber)?.intValue == 800 * 256 + 256 * 256 * 2 + 128 * 256 * 2 + 256 * 256 * 3 + 256 * 3)

        let models = scratch.appendingPathComponent("data/explorer/models")
        try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.tiny, toPath: models.appendingPathComponent("tiny.gguf").path)
        let list = try CommandLine.run(["models", "--json"], environment: ["XDG_DATA_HOME": scratch.appendingPathComponent("data").path])
        let entries = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]] ?? []
        let entry = entries.first { $0["name"] as? String == "tiny" }
        #expect(entry?["architecture"] as? String == "decoder" && entry?["bundled"] as? Bool == false)
        let named = try CommandLine.run(["inspect", "--model", "tiny", "--text", "fox"],
                                        environment: ["XDG_DATA_HOME": scratch.appendingPathComponent("data").path])
        #expect(named.status == 0, "\(named.stderr)")

        let truncated = scratch.appendingPathComponent("cut.gguf").path
        try Data(try Data(contentsOf: URL(fileURLWithPath: Self.tiny)).prefix(100_000)).write(to: URL(fileURLWithPath: truncated))
        let bad = try CommandLine.run(["inspect", "--model", truncated, "--text", "fox"])
        #expect(bad.status == 1)
        #expect(bad.stderr.hasPrefix("Error: \(truncated): ") && bad.stderr.contains("run past the end of the file"), "\(bad.stderr)")
        #expect(bad.stderr.split(separator: "\n").count == 1)
        let notModel = scratch.appendingPathComponent("notes.txt").path
        try Data("hello".utf8).write(to: URL(fileURLWithPath: notModel))
        let refused = try CommandLine.run(["inspect", "--model", notModel, "--text", "fox"])
        #expect(refused.status == 1 && refused.stderr.contains("neither a directory nor a GGUF file"), "\(refused.stderr)")
    }
}
