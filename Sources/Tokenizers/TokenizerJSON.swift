import Foundation

/// Builds a `Tokenizer` from Hugging Face's `tokenizer.json`, stage by stage.
public enum TokenizerJSON {
    /// Reads and assembles `tokenizer.json` at `path`; errors name the file by that path.
    public static func load(path: String) throws -> Tokenizer {
        let root = try readJSON(path: path)
        guard root.members != nil else { throw TokenizerError(file: path, reason: "the top level is not a JSON object") }
        var tokenizer = try Builder(file: path).tokenizer(root)
        tokenizer.source = path
        return tokenizer
    }

    /// Parses a JSON file; errors name the file by its path.
    static func readJSON(path: String) throws -> JSONValue {
        let data = try TokenizerError.read(path)
        do { return try JSONValue.parse([UInt8](data)) } catch {
            throw TokenizerError(file: path, reason: "not valid JSON")
        }
    }

    struct Builder {
        let file: String

        func fail(_ reason: String) -> TokenizerError { TokenizerError(file: file, reason: reason) }

        func tokenizer(_ root: JSONValue) throws -> Tokenizer {
            guard let modelObject = root["model"], modelObject.members != nil else { throw fail("no \"model\" object") }
            let model = try self.model(modelObject)
            // As a sequence even when it is one stage, so its growth is checked here and bounded in `encode`.
            let normalizer = try optionalStage(root["normalizer"], normalizer).map {
                $0 as? NormalizerSequence ?? NormalizerSequence([$0])
            }
            if let sequence = normalizer, sequence.worstGrowth > Double(EncodeLimits.normalizedGrowth) {
                throw fail("the normalizer's Replace stages can make a text up to \(sequence.worstGrowth) times longer (at most \(EncodeLimits.normalizedGrowth) is accepted)")
            }
            var added: [AddedToken] = []
            for entry in root["added_tokens"]?.array ?? [] {
                added.append(try addedToken(entry, model: model))
            }
            return Tokenizer(
                normalizer: normalizer,
                preTokenizer: try optionalStage(root["pre_tokenizer"], preTokenizer),
                model: model,
                postProcessor: try optionalStage(root["post_processor"], postProcessor),
                decoder: try optionalStage(root["decoder"], decoder),
                addedTokens: added)
        }

        func addedToken(_ entry: JSONValue, model: any TokenizerModel) throws -> AddedToken {
            guard let content = entry["content"]?.string, let fileID = entry["id"]?.int, fileID >= 0,
                  fileID < Vocabulary.idLimit else {
                throw fail("an entry of added_tokens lacks \"id\" (a whole number ≥ 0) or \"content\"")
            }
            let special = try flag(entry, "special", false)
            // As the reference: a token the model already has keeps the model's id.
            return AddedToken(id: model.id(for: content) ?? fileID, content: content, special: special,
                              normalized: try flag(entry, "normalized", !special),
                              lstrip: try flag(entry, "lstrip", false), rstrip: try flag(entry, "rstrip", false),
                              singleWord: try flag(entry, "single_word", false))
        }

        func optionalStage<T>(_ value: JSONValue?, _ build: (JSONValue) throws -> T) throws -> T? {
            guard let value, !value.isNull else { return nil }
            guard value.members != nil else { throw fail("a pipeline stage is not an object") }
            return try build(value)
        }

        func type(_ object: JSONValue, _ stage: String) throws -> String {
            guard let type = object["type"]?.string else { throw fail("a \(stage) has no \"type\"") }
            return type
        }

        func list(_ object: JSONValue, _ key: String, in stage: String) throws -> [JSONValue] {
            guard let items = object[key]?.array else { throw fail("a Sequence \(stage) lacks \"\(key)\"") }
            return items
        }

        func character(_ object: JSONValue, _ key: String, in stage: String) throws -> Unicode.Scalar {
            guard let text = object[key]?.string, text.unicodeScalars.count == 1, let scalar = text.unicodeScalars.first else {
                throw fail("\(stage) needs \"\(key)\" to be one character")
            }
            return scalar
        }

        /// A `Replace` stage's literal pattern; regular-expression patterns are not supported.
        func replacePattern(_ object: JSONValue, in stage: String) throws -> (String, String) {
            guard let content = object["content"]?.string else { throw fail("\(stage) Replace lacks \"content\"") }
            if let pattern = object["pattern"]?["String"]?.string { return (pattern, content) }
            if object["pattern"]?["Regex"] != nil {
                throw fail("\(stage) Replace with a regular expression pattern is not supported")
            }
            throw fail("\(stage) Replace needs a {\"String\": …} pattern")
        }

        // MARK: Normalizers

        func normalizer(_ object: JSONValue) throws -> any Normalizer {
            switch try type(object, "normalizer") {
            case "Lowercase": return Lowercase()
            case "NFC": return UnicodeNormalizer(.nfc)
            case "NFD": return UnicodeNormalizer(.nfd)
            case "NFKC": return UnicodeNormalizer(.nfkc)
            case "NFKD": return UnicodeNormalizer(.nfkd)
            case "StripAccents": return StripAccents()
            case "Strip":
                return StripNormalizer(left: try flag(object, "strip_left", true), right: try flag(object, "strip_right", true))
            case "Prepend":
                guard let prefix = object["prepend"]?.string else { throw fail("Prepend lacks \"prepend\"") }
                return Prepend(prefix)
            case "Replace":
                let (pattern, content) = try replacePattern(object, in: "the normalizer")
                return Replace(pattern: pattern, content: content)
            case "BertNormalizer":
                return BertNormalizer(cleanText: try flag(object, "clean_text", true),
                                      handleChineseCharacters: try flag(object, "handle_chinese_chars", true),
                                      stripAccents: try optionalFlag(object, "strip_accents"),
                                      lowercase: try flag(object, "lowercase", true))
            case "Sequence":
                return NormalizerSequence(try list(object, "normalizers", in: "normalizer").map(normalizer))
            case let other: throw fail("unsupported normalizer type \"\(other)\"")
            }
        }

        // MARK: Pre-tokenizers

        func prependScheme(_ object: JSONValue, in stage: String) throws -> Metaspace.PrependScheme {
            if let name = object["prepend_scheme"]?.string {
                guard let scheme = Metaspace.PrependScheme(rawValue: name) else {
                    throw fail("\(stage) has an unknown prepend_scheme \"\(name)\"")
                }
                if object["add_prefix_space"]?.bool == false && scheme != .never {
                    throw fail("\(stage): add_prefix_space does not match prepend_scheme")
                }
                return scheme
            }
            return object["add_prefix_space"]?.bool == false ? .never : .always
        }

        /// `"Isolated"`, `"MergedWithPrevious"`… (the file's spelling) or `"merged_with_previous"`.
        func splitBehavior(_ value: JSONValue?, in stage: String) throws -> SplitBehavior {
            guard let name = value?.string else { throw fail("\(stage) lacks \"behavior\"") }
            var snake = ""
            for (index, character) in name.enumerated() {
                if character.isUppercase && index > 0 { snake += "_" }
                snake += character.lowercased()
            }
            guard let behavior = SplitBehavior(rawValue: snake) else {
                throw fail("\(stage) has an unknown behavior \"\(name)\"")
            }
            return behavior
        }

        func preTokenizer(_ object: JSONValue) throws -> any PreTokenizer {
            switch try type(object, "pre_tokenizer") {
            case "Whitespace": return WhitespacePreTokenizer()
            case "WhitespaceSplit": return WhitespaceSplit()
            case "BertPreTokenizer": return BertPreTokenizer()
            case "ByteLevel":
                return ByteLevelPreTokenizer(addPrefixSpace: try flag(object, "add_prefix_space", true),
                                             useRegex: try flag(object, "use_regex", true))
            case "Metaspace":
                return Metaspace(replacement: try character(object, "replacement", in: "Metaspace"),
                                 prependScheme: try prependScheme(object, in: "the Metaspace pre_tokenizer"),
                                 split: try flag(object, "split", true))
            case "Split":
                let behavior = try splitBehavior(object["behavior"], in: "Split")
                let pattern: Split.Pattern
                if let literal = object["pattern"]?["String"]?.string {
                    pattern = .string(literal)
                } else if let source = object["pattern"]?["Regex"]?.string {
                    pattern = .regex(source)
                } else {
                    throw fail("Split needs a {\"String\": …} or {\"Regex\": …} pattern")
                }
                do {
                    return try Split(pattern: pattern, behavior: behavior, invert: try flag(object, "invert", false))
                } catch {
                    throw fail("Split's regular expression does not compile")
                }
            case "Punctuation":
                return Punctuation(behavior: try splitBehavior(object["behavior"] ?? .string("Isolated"), in: "Punctuation"))
            case "Digits":
                return Digits(individualDigits: try flag(object, "individual_digits", false))
            case "Sequence":
                return PreTokenizerSequence(try list(object, "pretokenizers", in: "pre_tokenizer").map(preTokenizer))
            case let other: throw fail("unsupported pre_tokenizer type \"\(other)\"")
            }
        }

        // MARK: Models

        func vocabulary(_ object: JSONValue, of model: String) throws -> Vocabulary {
            guard let members = object["vocab"]?.members else { throw fail("the \(model) model has no \"vocab\" of token → id") }
            var entries: [(String, Int)] = []
            entries.reserveCapacity(members.count)
            for (token, value) in members {
                guard let id = value.int, id >= 0 else { throw fail("the \(model) vocab gives \"\(token)\" an id that is not a whole number") }
                guard id < Vocabulary.idLimit else { throw fail("the \(model) vocab gives \"\(token)\" id \(id), above the limit \(Vocabulary.idLimit - 1)") }
                entries.append((token, id))
            }
            return Vocabulary(entries)
        }

        /// The merges, as `"a b"` strings or `["a", "b"]` pairs.
        func merges(_ object: JSONValue) throws -> [(String, String)] {
            guard let items = object["merges"]?.array else { throw fail("the BPE model has no \"merges\"") }
            return try items.enumerated().map { index, item in
                if let pair = item.array, pair.count == 2, let a = pair[0].string, let b = pair[1].string { return (a, b) }
                if let line = item.string {
                    let parts = line.splitScalars(on: " ")
                    if parts.count == 2 { return (parts[0], parts[1]) }
                }
                throw fail("merge \(index + 1) is neither \"a b\" nor [\"a\", \"b\"]")
            }
        }

        func optionalString(_ value: JSONValue?) -> String? { value?.string }

        /// A field that must be of one JSON type when present (null counts as absent): a wrong type is
        /// an error naming the field, never a silent default.
        func typed<T>(_ object: JSONValue, _ key: String, _ what: String, _ read: (JSONValue) -> T?) throws -> T? {
            guard let value = object[key], !value.isNull else { return nil }
            guard let typed = read(value) else {
                let stage = object["type"]?.string.map { "the \($0) stage's " } ?? ""
                throw fail("\(stage)field \"\(key)\" must be \(what)")
            }
            return typed
        }
        func flag(_ object: JSONValue, _ key: String, _ fallback: Bool) throws -> Bool {
            try typed(object, key, "true or false", \.bool) ?? fallback
        }
        func optionalFlag(_ object: JSONValue, _ key: String) throws -> Bool? {
            try typed(object, key, "true, false or null", \.bool)
        }
        func text(_ object: JSONValue, _ key: String, _ fallback: String) throws -> String {
            try typed(object, key, "a string", \.string) ?? fallback
        }
        func optionalText(_ object: JSONValue, _ key: String) throws -> String? {
            try typed(object, key, "a string or null", \.string)
        }
        func whole(_ object: JSONValue, _ key: String, _ fallback: Int, minimum: Int) throws -> Int {
            try typed(object, key, "a whole number of at least \(minimum)", { $0.int.flatMap { $0 >= minimum ? $0 : nil } }) ?? fallback
        }

        func model(_ object: JSONValue) throws -> any TokenizerModel {
            let kind = object["type"]?.string ?? (object["merges"] != nil ? "BPE"
                : object["max_input_chars_per_word"] != nil ? "WordPiece" : "WordLevel")
            switch kind {
            case "WordLevel":
                guard let unk = object["unk_token"]?.string else { throw fail("the WordLevel model has no \"unk_token\"") }
                let words = try vocabulary(object, of: "WordLevel")
                // As Hugging Face's library: an unknown word needs an unknown token to become.
                guard words.id(for: unk) != nil else {
                    throw fail("the WordLevel model's field \"unk_token\" (\"\(unk)\") is not in its vocab")
                }
                return WordLevel(vocabulary: words, unknownToken: unk)
            case "WordPiece":
                return WordPiece(vocabulary: try vocabulary(object, of: "WordPiece"),
                                 unknownToken: try text(object, "unk_token", "[UNK]"),
                                 continuingSubwordPrefix: try text(object, "continuing_subword_prefix", "##"),
                                 maxInputCharactersPerWord: try whole(object, "max_input_chars_per_word", 100, minimum: 1))
            case "BPE":
                do {
                    return try BPE(vocabulary: try vocabulary(object, of: "BPE"), merges: try merges(object),
                                   unknownToken: try optionalText(object, "unk_token"),
                                   continuingSubwordPrefix: try optionalText(object, "continuing_subword_prefix"),
                                   endOfWordSuffix: try optionalText(object, "end_of_word_suffix"),
                                   fuseUnknown: try flag(object, "fuse_unk", false),
                                   byteFallback: try flag(object, "byte_fallback", false),
                                   ignoreMerges: try flag(object, "ignore_merges", false))
                } catch let error as BPE.InvalidMerge {
                    throw fail(error.description)
                }
            case let other: throw fail("unsupported tokenizer model \"\(other)\"")
            }
        }

        // MARK: Post-processors

        func pair(_ value: JSONValue?, _ name: String, in stage: String) throws -> Token {
            guard let items = value?.array, items.count == 2, let text = items[0].string, let id = items[1].int, id >= 0, id < Vocabulary.idLimit else {
                throw fail("\(stage) needs \"\(name)\" as [token, id]")
            }
            return Token(id: id, text: text)
        }

        func postProcessor(_ object: JSONValue) throws -> any PostProcessor {
            switch try type(object, "post_processor") {
            case "TemplateProcessing":
                guard let single = object["single"]?.array else { throw fail("TemplateProcessing lacks \"single\"") }
                let specials = object["special_tokens"] ?? .object([])
                return TemplateProcessing(single: try single.flatMap { try templatePieces($0, specials) })
            case "BertProcessing", "RobertaProcessing":
                let stage = try type(object, "post_processor")
                let cls = try pair(object["cls"], "cls", in: stage), sep = try pair(object["sep"], "sep", in: stage)
                return TemplateProcessing(single: [.special(cls), .sequence, .special(sep)])
            case "ByteLevel": return ByteLevelPostProcessor()
            case "Sequence":
                return PostProcessorSequence(try list(object, "processors", in: "post_processor").map(postProcessor))
            case let other: throw fail("unsupported post_processor type \"\(other)\"")
            }
        }

        func templatePieces(_ piece: JSONValue, _ specials: JSONValue) throws -> [TemplateProcessing.Piece] {
            if piece["Sequence"] != nil { return [.sequence] }
            guard let name = piece["SpecialToken"]?["id"]?.string else {
                throw fail("a TemplateProcessing piece is neither Sequence nor SpecialToken")
            }
            guard let entry = specials[name], let ids = entry["ids"]?.array?.compactMap(\.int), !ids.isEmpty,
                  ids.allSatisfy({ $0 >= 0 && $0 < Vocabulary.idLimit }) else {
                throw fail("TemplateProcessing names special token \"\(name)\" without an id")
            }
            let texts = entry["tokens"]?.array?.compactMap(\.string) ?? []
            return ids.enumerated().map { index, id in
                .special(Token(id: id, text: index < texts.count ? texts[index] : name))
            }
        }

        // MARK: Decoders

        func decoder(_ object: JSONValue) throws -> any TokenDecoder {
            switch try type(object, "decoder") {
            case "ByteLevel": return ByteLevelDecoder()
            case "WordPiece":
                return WordPieceDecoder(prefix: try text(object, "prefix", "##"), cleanup: try flag(object, "cleanup", true))
            case "Metaspace":
                return MetaspaceDecoder(replacement: try character(object, "replacement", in: "Metaspace"),
                                        prependScheme: try prependScheme(object, in: "the Metaspace decoder"))
            case "ByteFallback": return ByteFallbackDecoder()
            case "Fuse": return FuseDecoder()
            case "Strip":
                guard let start = object["start"]?.int, let stop = object["stop"]?.int else {
                    throw fail("the Strip decoder needs \"start\" and \"stop\"")
                }
                return StripDecoder(content: try character(object, "content", in: "the Strip decoder"), start: start, stop: stop)
            case "Replace":
                let (pattern, content) = try replacePattern(object, in: "the decoder")
                return ReplaceDecoder(pattern: pattern, content: content)
            case "BPEDecoder": return BPEDecoder(suffix: try text(object, "suffix", "</w>"))
            case "Sequence":
                return DecoderSequence(try list(object, "decoders", in: "decoder").map(decoder))
            case let other: throw fail("unsupported decoder type \"\(other)\"")
            }
        }
    }
}
