import Foundation

/// Loads a model directory's tokenizer, whichever files it has: `tokenizer.json` (preferred);
/// else GPT-2's `vocab.json` + `merges.txt`; else BERT's `vocab.txt`. The older formats read
/// `tokenizer_config.json` and `special_tokens_map.json` when present.
public enum TokenizerFiles {
    public static func load(directory: String) throws -> Tokenizer {
        func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
        func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path(name)) }

        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw TokenizerError(file: directory, reason: "not a directory")
        }
        if exists("tokenizer.json") { return try TokenizerJSON.load(path: path("tokenizer.json")) }

        let config = try SpecialTokenConfig(
            tokenizerConfig: exists("tokenizer_config.json") ? TokenizerJSON.readJSON(path: path("tokenizer_config.json")) : nil,
            specialTokensMap: exists("special_tokens_map.json") ? TokenizerJSON.readJSON(path: path("special_tokens_map.json")) : nil)

        if exists("vocab.json") || exists("merges.txt") {
            guard exists("vocab.json") else { throw TokenizerError(file: directory, reason: "merges.txt without vocab.json") }
            guard exists("merges.txt") else { throw TokenizerError(file: directory, reason: "vocab.json without merges.txt") }
            return try LegacyFiles.gpt2(vocabPath: path("vocab.json"), mergesPath: path("merges.txt"), config: config)
        }
        if exists("vocab.txt") {
            return try LegacyFiles.bert(vocabPath: path("vocab.txt"), config: config)
        }
        throw TokenizerError(file: directory, reason:
            "no tokenizer files: looked for tokenizer.json, vocab.json + merges.txt, and vocab.txt")
    }
}

/// What `tokenizer_config.json` and `special_tokens_map.json` say about special tokens and options.
struct SpecialTokenConfig {
    /// The named special tokens (`bos_token`, `unk_token`, …) and `additional_special_tokens`.
    var named: [String: AddedToken] = [:]
    var additional: [AddedToken] = []
    /// `added_tokens_decoder`: id → token.
    var decoderEntries: [AddedToken] = []
    var options: JSONValue = .object([])

    init(tokenizerConfig: JSONValue?, specialTokensMap: JSONValue?) throws {
        options = tokenizerConfig ?? .object([])
        for source in [specialTokensMap, tokenizerConfig].compactMap({ $0 }) {
            for (key, value) in source.members ?? [] where key.hasSuffix("_token") {
                if let token = Self.token(value) { named[key] = token }
            }
            for value in source["additional_special_tokens"]?.array ?? [] {
                if let token = Self.token(value), !additional.contains(where: { $0.content.sameScalars(token.content) }) {
                    additional.append(token)
                }
            }
        }
        for (key, value) in tokenizerConfig?["added_tokens_decoder"]?.members ?? [] {
            guard let id = Int(key), var token = Self.token(value) else { continue }
            token.id = id
            decoderEntries.append(token)
        }
    }

    /// A token given as a string, or as `{"content": …, "lstrip": …, …}`; its id is filled in later.
    static func token(_ value: JSONValue) -> AddedToken? {
        if let content = value.string { return AddedToken(id: -1, content: content, special: true, normalized: false) }
        guard let content = value["content"]?.string else { return nil }
        let special = value["special"]?.bool ?? true
        return AddedToken(id: -1, content: content, special: special, normalized: value["normalized"]?.bool ?? !special,
                          lstrip: value["lstrip"]?.bool ?? false, rstrip: value["rstrip"]?.bool ?? false,
                          singleWord: value["single_word"]?.bool ?? false)
    }

    func string(_ key: String) -> String? { named[key]?.content }

    func bool(_ key: String) -> Bool? { options[key]?.bool }

    /// The added tokens for a vocabulary: `added_tokens_decoder`'s, then the named and additional
    /// special tokens the vocabulary has (a token it lacks cannot be encoded, so it is left out).
    func addedTokens(defaults: [String], vocabulary: Vocabulary) -> [AddedToken] {
        var tokens = decoderEntries
        func add(_ token: AddedToken) {
            guard !tokens.contains(where: { $0.content.sameScalars(token.content) }),
                  let id = vocabulary.id(for: token.content) else { return }
            var token = token
            token.id = id
            tokens.append(token)
        }
        for key in named.keys.sorted() { add(named[key]!) }
        additional.forEach(add)
        for content in defaults { add(AddedToken(id: -1, content: content, special: true, normalized: false)) }
        return tokens
    }
}
