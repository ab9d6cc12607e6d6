import Foundation

/// What a case mutates.
enum Format: String, CaseIterable {
    case config, tokenizer, safetensors, lesson, export, gguf
}

/// Makes case `index` of a run from the bundled files, deterministically from `random`.
enum Mutator {
    static let models = ["Models/tiny-gpt", "Models/tiny-bert", "Models/tiny-llama", "Models/tiny-transformer",
                         "Tests/Fixtures/hf/tiny-gpt2", "Tests/Fixtures/hf/tiny-llama", "Tests/Fixtures/hf/tiny-roberta",
                         "Tests/Fixtures/hf/tiny-bert", "Tests/Fixtures/hf/tiny-qwen2"]

    static func make(_ format: Format, index: Int, seed: UInt64, random: inout SplitMix, repository: String) -> FuzzCase {
        let name = "seed \(seed) case \(index) (\(format.rawValue))"
        var source = models[random.below(models.count)]
        func read(_ file: String) -> Data { FileManager.default.contents(atPath: "\(repository)/\(source)/\(file)") ?? Data() }
        var fuzzCase = FuzzCase(name: name, source: source, arguments: modelArguments(&random, source: source))
        switch format {
        case .config:
            fuzzCase.files["config.json"] = JSONMutator.mutate(read("config.json"), times: 1 + random.below(3), &random)
        case .tokenizer:
            guard FileManager.default.fileExists(atPath: "\(repository)/\(source)/tokenizer.json") else {
                source = models[0]
                fuzzCase.source = source
                fuzzCase.arguments = modelArguments(&random, source: source)
                fuzzCase.files["tokenizer.json"] = JSONMutator.mutate(read("tokenizer.json"), times: 1 + random.below(3), &random)
                break
            }
            fuzzCase.files["tokenizer.json"] = JSONMutator.mutate(read("tokenizer.json"), times: 1 + random.below(3), &random)
        case .safetensors:
            fuzzCase.files["model.safetensors"] = SafeTensorsMutator.mutate(read("model.safetensors"), &random)
        case .lesson:
            let lessons = ((try? FileManager.default.contentsOfDirectory(atPath: repository + "/Lessons")) ?? [])
                .filter { $0.hasSuffix(".md") && $0 != "README.md" }.sorted()
            let lesson = lessons.isEmpty ? Data() : FileManager.default.contents(atPath: repository + "/Lessons/" + lessons[random.below(lessons.count)]) ?? Data()
            fuzzCase.source = nil
            fuzzCase.lesson = LessonMutator.mutate(lesson, &random)
            fuzzCase.arguments = ["lessons", "check", "$LESSON"]
        case .gguf:
            // The tiny GGUF Llama, mutated, put beside a copied model directory and named as a file.
            source = "Models/tiny-gpt"
            fuzzCase.source = source
            let original = FileManager.default.contents(atPath: repository + "/Tests/Fixtures/gguf/tiny-llama.gguf") ?? Data()
            fuzzCase.files["model.gguf"] = GGUFMutator.mutate(original, &random)
            fuzzCase.arguments = modelArguments(&random, source: source).map {
                $0 == "$MODEL" ? "$MODEL/model.gguf" : $0 == "$MODEL/config.json" ? "$MODEL/model.gguf" : $0
            }
            if fuzzCase.arguments.first == "params" { fuzzCase.arguments = ["params", "--model", "$MODEL/model.gguf"] }
        case .export:
            source = "Models/tiny-gpt"
            fuzzCase.source = source
            fuzzCase.exportFiles = ExportMutator.folder(&random)
            fuzzCase.arguments = ["inspect", "--model", "$MODEL", "--text", "the cat sat", "--export", "$EXPORT"]
        }
        return fuzzCase
    }

    static func modelArguments(_ random: inout SplitMix, source: String) -> [String] {
        let texts = ["the cat sat on the mat", "hi", "a b c d e f g h i j k l m n o p q r s t u v w x y z", "café ünïcode 😀", "\u{1b}[31m red"]
        let text = texts[random.below(texts.count)]
        switch random.below(6) {
        case 0: return ["generate", "--model", "$MODEL", "--prompt", text, "--max-tokens", "3"]
        case 1: return ["params", "--config", "$MODEL/config.json"]
        case 2: return ["inspect", "--model", "$MODEL", "--text", text, "--json"]
        default:
            if source.hasSuffix("tiny-transformer") {
                return ["inspect", "--model", "$MODEL", "--text", text, "--target", "the cat", "--export", "$EXPORT"]
            }
            return ["inspect", "--model", "$MODEL", "--text", text, "--export", "$EXPORT"]
        }
    }
}

/// Mutations of a JSON document at random places: interesting values, deletions, duplicates.
enum JSONMutator {
    enum Step { case key(String), index(Int) }

    static func interesting(_ random: inout SplitMix) -> Any {
        let values: [Any] = [
            0, -1, 1, 2, 3, 7, 1 << 31, (1 << 31) - 1, 1 << 62, Int.max, Int.min, 1_000_000, 1_000_000_000,
            1e-320, 1e308, -1e308, 0.5, -0.0, 1.5, "", "yes", "null", "\u{1b}[2J\u{07}", "\u{202e}evil", String(repeating: "a", count: 5000),
            NSNull(), true, false, [Any](), [String: Any](), [1, 2, 3], ["type": "Sequence"],
            ["rope_type": "linear", "factor": 1e-320], ["String": "a"], ["Regex": "(.*a){20}$"],
        ]
        return values[random.below(values.count)]
    }

    static func paths(_ value: Any, prefix: [Step] = [], into out: inout [[Step]]) {
        if out.count > 20_000 { return }
        out.append(prefix)
        if let object = value as? [String: Any] {
            for key in object.keys.sorted() { paths(object[key]!, prefix: prefix + [.key(key)], into: &out) }
        } else if let array = value as? [Any] {
            for (index, item) in array.enumerated().prefix(200) { paths(item, prefix: prefix + [.index(index)], into: &out) }
        }
    }

    /// `value` with the thing at `path` replaced by what `change` returns (nil: removed).
    static func edit(_ value: Any, at path: ArraySlice<Step>, _ change: (Any) -> Any?) -> Any? {
        guard let step = path.first else { return change(value) }
        switch step {
        case .key(let key):
            guard var object = value as? [String: Any], let inner = object[key] else { return value }
            object[key] = edit(inner, at: path.dropFirst(), change)
            return object
        case .index(let index):
            guard var array = value as? [Any], index < array.count else { return value }
            if let changed = edit(array[index], at: path.dropFirst(), change) { array[index] = changed } else { array.remove(at: index) }
            return array
        }
    }

    static func mutate(_ data: Data, times: Int, _ random: inout SplitMix) -> Data {
        guard var root = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            return ByteMutator.flip(data, &random)
        }
        for _ in 0..<times {
            var all: [[Step]] = []
            paths(root, into: &all)
            let path = all[random.below(all.count)]
            let operation = random.below(8)
            root = edit(root, at: path[...]) { old in
                switch operation {
                case 0: return nil
                case 1:
                    if let array = old as? [Any], let first = array.first { return array + Array(repeating: first, count: 40) }
                    return interesting(&random)
                case 2:
                    if let number = old as? NSNumber, !(old is Bool) { return number.doubleValue * Double(1 << (1 + random.below(40))) }
                    return interesting(&random)
                case 3:
                    if let number = old as? NSNumber, !(old is Bool) { return -number.doubleValue }
                    return interesting(&random)
                case 4:
                    if var object = old as? [String: Any] {
                        object[Self.fieldNames[random.below(Self.fieldNames.count)]] = interesting(&random)
                        return object
                    }
                    return interesting(&random)
                default: return interesting(&random)
                }
            } ?? NSNull()
        }
        return (try? JSONSerialization.data(withJSONObject: root, options: [.fragmentsAllowed])) ?? data
    }

    /// Field names the loaders read, for insertion where a file leaves them out.
    static let fieldNames = [
        "n_layers", "n_layer", "num_hidden_layers", "d_head", "head_dim", "rope_theta", "rope_scaling", "n_inner",
        "pad_token_id", "type_vocab_size", "pooler", "positional", "norm_eps", "layer_norm_eps", "max_position_embeddings",
        "byte_fallback", "fuse_unk", "unk_token", "max_input_chars_per_word", "normalizer", "added_tokens", "merges",
        "vocab", "pre_tokenizer", "special", "lstrip", "single_word", "content", "id",
    ]
}

/// Raw byte mutations.
enum ByteMutator {
    static func flip(_ data: Data, _ random: inout SplitMix) -> Data {
        var bytes = [UInt8](data)
        guard !bytes.isEmpty else { return Data([0]) }
        for _ in 0..<(1 + random.below(8)) {
            let at = random.below(min(bytes.count, 1 << 14))
            bytes[at] = UInt8(truncatingIfNeeded: random.next())
        }
        return Data(bytes)
    }
}

/// A GGUF file: a count, length, type or offset in its header replaced by an awkward number, bytes
/// flipped, or the file cut short.
enum GGUFMutator {
    static func mutate(_ data: Data, _ random: inout SplitMix) -> Data {
        var bytes = [UInt8](data)
        guard bytes.count > 24 else { return ByteMutator.flip(data, &random) }
        switch random.below(4) {
        case 0:
            // Counts and lengths are u64, types and axis counts u32: write either at a header position.
            let values: [UInt64] = [0, 1, 2, 3, 31, 255, 1 << 31, 1 << 32, 1 << 62, UInt64.max, UInt64(bytes.count)]
            for _ in 0..<(1 + random.below(3)) {
                let value = values[random.below(values.count)]
                let width = random.below(2) == 0 ? 4 : 8
                let at = random.below(min(bytes.count, 1 << 15) - width)
                for k in 0..<width { bytes[at + k] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(k))) }
            }
            return Data(bytes)
        case 1: return Data(bytes.prefix(random.below(bytes.count)))
        case 2:
            let versions: [UInt8] = [0, 1, 2, 4, 255]
            bytes[4] = versions[random.below(versions.count)]
            return Data(bytes)
        default: return ByteMutator.flip(data, &random)
        }
    }
}

/// A safetensors file: its JSON header mutated and rewritten, its length field or bytes changed, or cut short.
enum SafeTensorsMutator {
    static func mutate(_ data: Data, _ random: inout SplitMix) -> Data {
        let bytes = [UInt8](data)
        guard bytes.count > 8 else { return ByteMutator.flip(data, &random) }
        let length = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        guard length > 0, length <= bytes.count - 8 else { return ByteMutator.flip(data, &random) }
        let header = Data(bytes[8..<(8 + length)])
        let body = Data(bytes[(8 + length)...])
        switch random.below(6) {
        case 5:
            // The numbers themselves: NaN, infinities, the largest floats, denormals, in runs.
            var out = bytes
            let values: [Float] = [.nan, .infinity, -.infinity, 3e38, -3e38, 1e-45, 0, 65504]
            for _ in 0..<(1 + random.below(4)) {
                let value = values[random.below(values.count)].bitPattern
                let start = 8 + length + random.below(max(1, body.count / 4)) * 4
                for k in stride(from: start, to: min(out.count - 3, start + 4 * (1 + random.below(64))), by: 4) {
                    for b in 0..<4 { out[k + b] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(b))) }
                }
            }
            return Data(out)
        case 0, 1:
            let mutated = JSONMutator.mutate(header, times: 1 + random.below(3), &random)
            var out = Data((0..<8).map { UInt8(truncatingIfNeeded: mutated.count >> (8 * $0)) })
            out.append(mutated)
            out.append(body)
            return out
        case 2:
            var out = bytes
            let lengths: [UInt64] = [0, 1, UInt64(length - 1), UInt64(length + 1), UInt64.max, 1 << 40, 100_000_001]
            let value = lengths[random.below(lengths.count)]
            for k in 0..<8 { out[k] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(k))) }
            return Data(out)
        case 3: return Data(bytes.prefix(random.below(bytes.count)))
        default: return ByteMutator.flip(data, &random)
        }
    }
}

/// A lesson file with lines removed, repeated, swapped or inserted from a list of troublesome ones.
enum LessonMutator {
    static let snippets = [
        "@quiz number exp(1000) - exp(1000)\nHow much?\n@end",
        "@quiz number log(0)\nHow much?\n@end",
        "{{ " + String(repeating: "(", count: 400) + "1" + String(repeating: ")", count: 400) + " }}",
        "{{ " + Array(repeating: "1", count: 5000).joined(separator: " + ") + " }}",
        "@show matrix blocks.{layer}.attn.pattern", "@select head=99999999999999999999", "@select query='\u{1b}[31m'",
        "{{ blocks.0.attn.pattern[0, 0, 0] / 0 }}", "{{ sqrt(0 - 1) }}", "\u{1b}]0;title\u{07} text \u{202e}", "# Step",
        "@model tiny-llama", "@model ../../etc", "@input " + String(repeating: "cat ", count: 200), "@controls layer head query key",
        "{{ softmax(blocks.0.attn.scores[head, query]) }}", "{{ top_k(logits[last], 999999999) }}", "@end", "---",
    ]

    static func mutate(_ data: Data, _ random: inout SplitMix) -> Data {
        var lines = String(decoding: data, as: UTF8.self).components(separatedBy: "\n")
        for _ in 0..<(1 + random.below(4)) {
            let at = lines.isEmpty ? 0 : random.below(lines.count)
            switch random.below(5) {
            case 0 where !lines.isEmpty: lines.remove(at: at)
            case 1 where !lines.isEmpty: lines.insert(lines[at], at: at)
            case 2 where lines.count > 1: lines.swapAt(at, random.below(lines.count))
            case 3 where !lines.isEmpty:
                lines[at] = lines[at].replacingOccurrences(of: "0", with: ["99999999999999999999", "-1", "1e308", "0.5"][random.below(4)])
            default: lines.insert(snippets[random.below(snippets.count)], at: at)
            }
        }
        return Data(lines.joined(separator: "\n").utf8)
    }
}

/// An export folder as a user may have left it: an earlier export's manifest, mutated or listing files
/// outside, directories and foreign files beside it.
enum ExportMutator {
    static func folder(_ random: inout SplitMix) -> [String: Data] {
        var files: [String: Data] = [:]
        let listed: [Any] = ["../keep.npy", "../manifest.json", "sub/x.npy", "dir.npy", ".", "..", "", "/etc/hostname",
                             "logits.npy", "my_results.npy", 7, NSNull()]
        var manifest: [String: Any] = ["format": ["explorer-export/1", "explorer-export/2", 1, NSNull()][random.below(4)]]
        manifest["files"] = (0..<random.below(6)).map { _ in listed[random.below(listed.count)] }
        if random.chance(5) { manifest["files"] = "logits.npy" }
        files["manifest.json"] = (try? JSONSerialization.data(withJSONObject: manifest)) ?? Data()
        if random.chance(2) { files["my_results.npy"] = Data("mine".utf8) }
        if random.chance(2) { files["dir.npy/inner"] = Data("inner".utf8) }
        if random.chance(3) { files["sub/x.npy"] = Data("inner".utf8) }
        return files
    }
}
