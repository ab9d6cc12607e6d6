import Foundation
import Testing

/// Config values, files and inputs that used to trap, hang, take gigabytes or print NaN: each run now
/// ends with one clean error line naming the file and the field (or a correct result), in bounded time.
@Suite struct Reliability {
    /// Runs `explorer`, killing it after `seconds` (a hang is then a failure, not a stuck test run).
    static func run(_ arguments: [String], seconds: Double = 60) throws -> (run: CommandLine.Run, elapsed: Double) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.binary)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let start = Date()
        try process.run()
        let timer = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: timer)
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        timer.cancel()
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return (CommandLine.Run(status: status, stdout: String(decoding: stdout, as: UTF8.self),
                                stderr: String(decoding: stderr, as: UTF8.self)), Date().timeIntervalSince(start))
    }

    static func expectRefusal(_ arguments: [String], mentions: [String], within seconds: Double = 20,
                              sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (run, elapsed) = try Self.run(arguments, seconds: seconds * 3)
        HostileInput.expectCleanError(run, mentions: mentions, sourceLocation: sourceLocation)
        #expect(elapsed < seconds, "\(arguments): \(elapsed) s", sourceLocation: sourceLocation)
    }

    /// A copy of the Hugging Face fixture `name` (Tests/Fixtures/hf) in `scratch`.
    static func fixture(_ name: String, in scratch: Scratch, as copy: String) throws -> String {
        let tests = ("\(#filePath)" as NSString).deletingLastPathComponent as NSString
        let source = (tests.deletingLastPathComponent as NSString).appendingPathComponent("Fixtures/hf/" + name)
        let target = scratch.path + "/" + copy
        try FileManager.default.copyItem(atPath: source, toPath: target)
        return target
    }

    struct ConfigCase: CustomStringConvertible, Sendable {
        var fixture: String
        var field: String
        var value: Int
        var nullInner = false
        var description: String { "\(fixture) \(field)=\(value)" }
    }

    /// Sizes that overflow the arithmetic on them, or could never be allocated.
    static let configCases: [ConfigCase] = {
        var cases: [ConfigCase] = []
        for value in [1 << 62, Int.max, 1 << 40, (1 << 31) + 1, -(1 << 62), Int.min + 1] {
            cases.append(ConfigCase(fixture: "tiny-gpt2", field: "n_embd", value: value, nullInner: true))
            cases.append(ConfigCase(fixture: "tiny-llama", field: "head_dim", value: value))
            cases.append(ConfigCase(fixture: "tiny-roberta", field: "pad_token_id", value: value))
            cases.append(ConfigCase(fixture: "tiny-bert", field: "intermediate_size", value: value))
        }
        for value in [1 << 20, 1 << 30] {
            cases.append(ConfigCase(fixture: "tiny-gpt2", field: "n_positions", value: value * 64))
            cases.append(ConfigCase(fixture: "tiny-llama", field: "num_attention_heads", value: value))
            cases.append(ConfigCase(fixture: "tiny-qwen2", field: "vocab_size", value: value * 64))
        }
        return cases
    }()

    @Test(arguments: configCases)
    func hugeConfigSizesAreRefused(_ test: ConfigCase) throws {
        let scratch = try Scratch()
        let model = try Self.fixture(test.fixture, in: scratch, as: "model")
        try Scratch.edit(model + "/config.json") {
            $0[test.field] = test.value
            if test.nullInner { $0["n_inner"] = NSNull() }
        }
        try Self.expectRefusal(["inspect", "--model", model, "--text", "hi"], mentions: ["config.json"])
        try Self.expectRefusal(["params", "--config", model + "/config.json"], mentions: ["config.json"])
    }

    /// More layers than the file has: refused at once, before anything is allocated for them.
    @Test(arguments: [3, 100, 4096, 1_000_000, 1_000_000_000])
    func moreLayersThanTheFileHas(_ layers: Int) throws {
        let scratch = try Scratch()
        let gpt = try Self.fixture("tiny-gpt2", in: scratch, as: "gpt")
        try Scratch.edit(gpt + "/config.json") { $0["n_layer"] = layers }
        try Self.expectRefusal(["inspect", "--model", gpt, "--text", "hi"], mentions: ["config.json"], within: 10)
        if layers > 4096 {
            try Self.expectRefusal(["params", "--config", gpt + "/config.json"], mentions: ["config.json"], within: 10)
        } else {
            let (run, elapsed) = try Self.run(["params", "--config", gpt + "/config.json"])
            #expect(run.status == 0 && elapsed < 10, "\(run.stderr)")
        }

        let explorer = try scratch.copy("tiny-llama", to: "llama")
        try Scratch.edit(explorer + "/config.json") { $0["n_layers"] = layers }
        try Self.expectRefusal(["inspect", "--model", explorer, "--text", "hi"], mentions: ["config.json", "layers"], within: 10)
    }

    /// `params --config` only: a config whose layers fit the bounds is counted quickly.
    @Test func paramsOfABigButSaneConfigIsQuick() throws {
        let scratch = try Scratch()
        let gpt = try Self.fixture("tiny-gpt2", in: scratch, as: "gpt")
        try Scratch.edit(gpt + "/config.json") { $0["n_layer"] = 4096 }
        let (run, elapsed) = try Self.run(["params", "--config", gpt + "/config.json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(elapsed < 10)
    }

    /// A safetensors header listing a great many (zero-size) tensors is refused without parsing it all.
    @Test(arguments: [200_000, 1_000_000])
    func headerWithAbsurdlyManyTensors(_ count: Int) throws {
        let scratch = try Scratch()
        let model = try scratch.copy("tiny-gpt", to: "gpt")
        var header = "{"
        header.reserveCapacity(count * 50)
        for i in 0..<count { header += "\"t\(i)\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}," }
        header += "\"__metadata__\":{}}"
        var bytes = Data((0..<8).map { UInt8(truncatingIfNeeded: header.utf8.count >> (8 * $0)) })
        bytes.append(Data(header.utf8))
        try bytes.write(to: URL(fileURLWithPath: model + "/model.safetensors"))
        try Self.expectRefusal(["inspect", "--model", model, "--text", "the cat"], mentions: ["model.safetensors", "entries"], within: 40)
    }

    struct NumberCase: CustomStringConvertible, Sendable {
        var fixture: String
        var edit: @Sendable (inout [String: Any]) -> Void
        var field: String
        var description: String { "\(fixture) \(field)" }
    }

    static let numberCases: [NumberCase] = [
        NumberCase(fixture: "tiny-llama", edit: { $0["rope_theta"] = 0; $0["rope_parameters"] = nil }, field: "rope_theta"),
        NumberCase(fixture: "tiny-llama", edit: { $0["rope_theta"] = -10000; $0["rope_parameters"] = nil }, field: "rope_theta"),
        NumberCase(fixture: "tiny-llama", edit: { $0["rope_scaling"] = ["rope_type": "linear", "factor": 1e-320] }, field: "factor"),
        NumberCase(fixture: "tiny-llama", edit: { $0["rope_scaling"] = ["rope_type": "linear", "factor": 0] }, field: "factor"),
        NumberCase(fixture: "tiny-llama", edit: { $0["rope_scaling"] = ["rope_type": "linear", "factor": 1e300] }, field: "factor"),
        NumberCase(fixture: "tiny-gpt2", edit: { $0["layer_norm_epsilon"] = -1e-5 }, field: "eps"),
        NumberCase(fixture: "tiny-bert", edit: { $0["layer_norm_eps"] = -1 }, field: "eps"),
    ]

    @Test(arguments: numberCases)
    func outOfRangeNumbersAreRefused(_ test: NumberCase) throws {
        let scratch = try Scratch()
        let model = try Self.fixture(test.fixture, in: scratch, as: "model")
        try Scratch.edit(model + "/config.json", test.edit)
        try Self.expectRefusal(["inspect", "--model", model, "--text", "hi"], mentions: ["config.json", test.field])
    }

    /// Weights that overflow: the run says where the first non-finite value appeared, never prints NaN.
    @Test(arguments: [Float.infinity, -Float.infinity, Float.nan, 3e38])
    func nonFiniteForwardPassesSayWhere(_ value: Float) throws {
        let scratch = try Scratch()
        let model = try scratch.copy("tiny-gpt", to: "gpt")
        let file = model + "/model.safetensors"
        var data = try Data(contentsOf: URL(fileURLWithPath: file))
        let length = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let header = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + length))) as! [String: Any]
        let entry = header["blocks.1.mlp.W_in"] as! [String: Any]
        let start = 8 + length + (entry["data_offsets"] as! [Int])[0]
        for k in 0..<64 {   // a whole row of W_in, so some input hits it
            withUnsafeBytes(of: value.bitPattern.littleEndian) { data.replaceSubrange((start + 4 * k)..<(start + 4 * k + 4), with: $0) }
        }
        try data.write(to: URL(fileURLWithPath: file))
        for arguments in [["inspect", "--model", model, "--text", "the cat sat"],
                          ["generate", "--model", model, "--prompt", "the cat sat", "--max-tokens", "3"]] {
            let (run, _) = try Self.run(arguments)
            #expect((1...125).contains(run.status), "\(arguments): \(run.status) \(run.stderr)")
            #expect(run.stderr.contains("non-finite") && run.stderr.contains("blocks.1.mlp.pre"), "\(run.stderr)")
            #expect(!run.stdout.lowercased().contains("nan"), "\(run.stdout)")
        }
    }

    /// Anything but a regular file where a model's files should be: refused without waiting on it.
    @Test(arguments: ["model.safetensors", "config.json", "tokenizer.json"])
    func specialFilesAreRefusedWithoutBlocking(_ name: String) throws {
        let scratch = try Scratch()
        for (kind, make) in [("FIFO", { (path: String) in _ = mkfifo(path, 0o644) }),
                             ("directory", { (path: String) in _ = mkdir(path, 0o755) })] {
            let model = try scratch.copy("tiny-gpt", to: "gpt-\(kind)")
            try FileManager.default.removeItem(atPath: model + "/" + name)
            make(model + "/" + name)
            let expected = kind == "FIFO" ? "FIFO" : "directory"
            try Self.expectRefusal(["inspect", "--model", model, "--text", "the cat"], mentions: [name, expected], within: 10)
        }
    }

    /// A prompt the context cannot extend is refused, as `inspect` refuses one too long.
    @Test(arguments: [16, 17, 20, 40])
    func generateRefusesAPromptThatFillsTheContext(_ words: Int) throws {
        let prompt = Array(repeating: "cat", count: 2 * words).joined(separator: " ")
        try Self.expectRefusal(["generate", "--model", "tiny-gpt", "--prompt", prompt], mentions: ["context is 32 tokens"])
    }
}
