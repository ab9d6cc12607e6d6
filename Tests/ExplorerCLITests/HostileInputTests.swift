import Foundation
import Testing

/// Hostile text in names, paths, config fields, tensor headers, tokenizer files and option values
/// reaches the terminal only sanitised: each run fails with one `Error:` line that shows the text
/// escaped, and no ESC, BEL, U+009B or U+202E comes out raw on either stream.
@Suite struct HostileInput {
    /// A failed run: a status from 1 to 125, nothing on standard output, the error alone on standard
    /// error (its first line `Error: …` mentioning `mentions`; `lines` lines in all), nothing raw.
    static func expectCleanError(_ run: CommandLine.Run, mentions: [String], lines: ClosedRange<Int> = 1...1,
                                 sourceLocation: SourceLocation = #_sourceLocation) {
        #expect((1...125).contains(run.status), "status \(run.status): \(run.stderr)", sourceLocation: sourceLocation)
        #expect(HostileText.forbidden(in: run.stdout + run.stderr).isEmpty,
                "raw \(HostileText.forbidden(in: run.stdout + run.stderr)) in \(run.stdout.debugDescription) \(run.stderr.debugDescription)",
                sourceLocation: sourceLocation)
        #expect(run.stdout.isEmpty, "\(run.stdout.debugDescription)", sourceLocation: sourceLocation)
        let errorLines = run.stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.contains(errorLines.count), "\(run.stderr.debugDescription)", sourceLocation: sourceLocation)
        let first = errorLines.first.map(String.init) ?? ""
        #expect(first.hasPrefix("Error: "), "\(run.stderr.debugDescription)", sourceLocation: sourceLocation)
        for text in mentions {
            #expect(first.contains(text), "\(first.debugDescription) should show \(text.debugDescription)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: HostileText.samples)
    func modelNameOrMissingPath(_ hostile: String) throws {
        let scratch = try Scratch()
        let name = try CommandLine.run(["inspect", "--model", hostile, "--text", "the cat"])
        Self.expectCleanError(name, mentions: [HostileText.shown(hostile)])
        let missing = scratch.path + "/" + hostile
        let path = try CommandLine.run(["inspect", "--model", missing, "--text", "the cat"])
        Self.expectCleanError(path, mentions: [HostileText.shown(missing)])
    }

    @Test(arguments: HostileText.samples)
    func modelDirectoryWithAHostileNameAndModelType(_ hostile: String) throws {
        let scratch = try Scratch()
        let model = try scratch.copy("tiny-gpt", to: "model" + hostile)
        try Scratch.edit(model + "/config.json") { $0["model_type"] = hostile }
        let run = try CommandLine.run(["inspect", "--model", model, "--text", "the cat"])
        Self.expectCleanError(run, mentions: [HostileText.shown(model + "/config.json"), "model_type \"\(HostileText.shown(hostile))\""])
    }

    @Test(arguments: HostileText.samples)
    func configEnumField(_ hostile: String) throws {
        let scratch = try Scratch()
        let model = try scratch.copy("tiny-bert", to: "bert")
        try Scratch.edit(model + "/config.json") { $0["architecture"] = hostile }
        let run = try CommandLine.run(["inspect", "--model", model, "--text", "the cat"])
        Self.expectCleanError(run, mentions: [HostileText.shown(hostile)])
    }

    @Test(arguments: HostileText.samples)
    func paramsConfigFile(_ hostile: String) throws {
        let scratch = try Scratch()
        let file = scratch.path + "/config" + hostile + ".json"
        try Data(#"{"model_type": "x"}"#.utf8).write(to: URL(fileURLWithPath: file))
        try Scratch.edit(file) { $0["model_type"] = hostile }
        let run = try CommandLine.run(["params", "--config", file])
        Self.expectCleanError(run, mentions: [HostileText.shown(file), HostileText.shown(hostile)])
        let missing = try CommandLine.run(["params", "--config", scratch.path + "/none" + hostile])
        Self.expectCleanError(missing, mentions: [HostileText.shown(scratch.path + "/none" + hostile)])
    }

    @Test(arguments: HostileText.samples)
    func exportPath(_ hostile: String) throws {
        let scratch = try Scratch()
        let directory = scratch.path + "/out" + hostile
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: URL(fileURLWithPath: directory + "/notes.txt"))
        let run = try CommandLine.run(["inspect", "--text", "the cat", "--export", directory])
        Self.expectCleanError(run, mentions: [HostileText.shown(directory), "not empty"])
    }

    @Test(arguments: HostileText.samples)
    func safetensorsTensorNameAndDType(_ hostile: String) throws {
        let scratch = try Scratch()
        let renamed = try scratch.copy("tiny-gpt", to: "renamed")
        try Scratch.editHeader(renamed + "/model.safetensors") { header in
            var entry = header.removeValue(forKey: "blocks.0.attn.W_K") as! [String: Any]
            entry["shape"] = [3]   // and a shape its bytes do not fit, so that the message names it
            header["blocks.0.attn.W_K" + hostile] = entry
        }
        Self.expectCleanError(try CommandLine.run(["inspect", "--model", renamed, "--text", "the cat"]),
                              mentions: [HostileText.shown("blocks.0.attn.W_K" + hostile)])
        let typed = try scratch.copy("tiny-gpt", to: "typed")
        try Scratch.editHeader(typed + "/model.safetensors") { header in
            var entry = header["blocks.0.attn.W_Q"] as! [String: Any]
            entry["dtype"] = "F32" + hostile
            header["blocks.0.attn.W_Q"] = entry
        }
        Self.expectCleanError(try CommandLine.run(["inspect", "--model", typed, "--text", "the cat"]),
                              mentions: ["unknown dtype \"F32\(HostileText.shown(hostile))\""])
    }

    /// The tokenizer's model type, a pre-tokenizer's type, a Split's behaviour and a merge: each named
    /// in the error with the full path of the tokenizer.json.
    @Test(arguments: HostileText.samples)
    func tokenizerJSON(_ hostile: String) throws {
        let scratch = try Scratch()
        let edits: [(String, (inout [String: Any]) -> Void)] = [
            ("model", { var model = $0["model"] as! [String: Any]; model["type"] = hostile; $0["model"] = model }),
            ("pre", { $0["pre_tokenizer"] = ["type": hostile] }),
            ("split", { $0["pre_tokenizer"] = ["type": "Split", "pattern": ["String": " "], "behavior": hostile] }),
            ("merge", { tokenizer in
                let vocab = (tokenizer["model"] as! [String: Any])["vocab"]!
                tokenizer["model"] = ["type": "BPE", "vocab": vocab, "merges": [[hostile, "the"]]]
            }),
        ]
        for (name, edit) in edits {
            let model = try scratch.copy("tiny-gpt", to: name)
            try Scratch.edit(model + "/tokenizer.json", edit)
            let run = try CommandLine.run(["inspect", "--model", model, "--text", "the cat"])
            Self.expectCleanError(run, mentions: ["Error: \(model)/tokenizer.json: ", HostileText.shown(hostile)])
        }
    }

    /// argument-parser's own messages echo what was typed; they come through sanitised, with the
    /// usage after them, and exit with 64.
    @Test(arguments: HostileText.samples)
    func argumentParserMessages(_ hostile: String) throws {
        let value = try CommandLine.run(["bench", "--tokens", hostile])
        Self.expectCleanError(value, mentions: ["'\(HostileText.shown(hostile))'", "--tokens"], lines: 2...5)
        #expect(value.status == 64)
        let option = try CommandLine.run(["inspect", "--text", "x", "--" + hostile])
        // `--name=value` names the option `--name`.
        let name = String(hostile.prefix { $0 != "=" })
        Self.expectCleanError(option, mentions: ["'--\(HostileText.shown(name))'"], lines: 2...5)
        #expect(option.status == 64)
        let mask = try CommandLine.run(["inspect", "--text", "x", "--mask", hostile])
        Self.expectCleanError(mask, mentions: ["got '\(HostileText.shown(hostile))'"], lines: 2...5)
        #expect(mask.status == 64)
    }

    @Test func helpAndVersionGoToStandardOutput() throws {
        for arguments in [["--help"], ["inspect", "--help"], ["--version"], ["help", "models"]] {
            let run = try CommandLine.run(arguments)
            #expect(run.status == 0, "\(arguments)")
            #expect(run.stderr.isEmpty && !run.stdout.isEmpty, "\(arguments): \(run.stderr)")
        }
    }
}
