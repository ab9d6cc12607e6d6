import Tokenizers

/// The tokenizer a GGUF file's metadata describes (`tokenizer.ggml.*`).
enum GGUFTokenizer {
    /// Reads the keys and builds the pipeline (`GGUFVocabulary`); errors name the file and the key.
    static func tokenizer(_ file: GGUFFile) throws -> Tokenizer {
        try tokenizer(vocabulary(file), file: file)
    }

    /// Builds the pipeline of `vocabulary` (read from `file`), naming the file in errors.
    static func tokenizer(_ vocabulary: GGUFVocabulary, file: GGUFFile) throws -> Tokenizer {
        do {
            return try vocabulary.tokenizer(file: file.path)
        } catch let error as TokenizerError {
            throw ModelError.badFile(path: file.path, reason: error.reason)
        } catch {
            throw ModelError.badFile(path: file.path, reason: "tokenizer: \(error)")
        }
    }

    /// The `tokenizer.ggml.*` keys of `file`, checked for type.
    static func vocabulary(_ file: GGUFFile) throws -> GGUFVocabulary {
        func fail(_ reason: String) -> ModelError { .badFile(path: file.path, reason: reason) }
        let meta = file.metadata
        guard let model = meta["tokenizer.ggml.model"]?.string else { throw fail("no metadata tokenizer.ggml.model") }
        func strings(_ key: String, required: Bool) throws -> [String] {
            guard let value = meta[key] else {
                if required { throw fail("no metadata \(key)") }
                return []
            }
            guard case .array(.string, let items) = value else { throw fail("metadata \(key) is not an array of strings") }
            return items.map { $0.string! }
        }
        func numbers(_ key: String) throws -> [GGUFValue] {
            guard let value = meta[key] else { return [] }
            guard let items = value.elements, items.allSatisfy({ $0.float != nil }) else {
                throw fail("metadata \(key) is not an array of numbers")
            }
            return items
        }
        func id(_ key: String) throws -> Int? {
            guard let value = meta["tokenizer.ggml.\(key)"] else { return nil }
            guard let id = value.int else { throw fail("metadata tokenizer.ggml.\(key) is \(value.type), not an integer") }
            return id
        }
        return GGUFVocabulary(
            model: model, pre: meta["tokenizer.ggml.pre"]?.string,
            tokens: try strings("tokenizer.ggml.tokens", required: true),
            tokenTypes: try numbers("tokenizer.ggml.token_type").map { $0.int ?? 1 },
            merges: try strings("tokenizer.ggml.merges", required: false),
            scores: try numbers("tokenizer.ggml.scores").map { $0.float! },
            bosTokenId: try id("bos_token_id"), eosTokenId: try id("eos_token_id"), unknownTokenId: try id("unknown_token_id"),
            addBOS: meta["tokenizer.ggml.add_bos_token"]?.bool, addEOS: meta["tokenizer.ggml.add_eos_token"]?.bool,
            addSpacePrefix: meta["tokenizer.ggml.add_space_prefix"]?.bool)
    }
}
