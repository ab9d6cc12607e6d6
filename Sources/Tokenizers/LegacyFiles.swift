import Foundation

/// Tokenizers from the files that came before `tokenizer.json`, assembled as Hugging Face's
/// converters assemble them.
enum LegacyFiles {
    /// GPT-2's `vocab.json` (token → id) and `merges.txt` (one `a b` merge a line, after an
    /// optional `#version` line): byte-level BPE without normalizer, GPT-2's pattern, no prefix space
    /// (unless `add_prefix_space`), `<|endoftext|>` special; RoBERTa's `<s> … </s>` when the
    /// config names `RobertaTokenizer`; `add_bos_token` / `add_eos_token` honoured.
    static func gpt2(vocabPath: String, mergesPath: String, config: SpecialTokenConfig) throws -> Tokenizer {
        guard let object = try TokenizerJSON.readJSON(path: vocabPath).members else {
            throw TokenizerError(file: vocabPath, reason: "not a JSON object of token → id")
        }
        var entries: [(String, Int)] = []
        for (token, value) in object {
            guard let id = value.int, id >= 0, id < Vocabulary.idLimit else {
                throw TokenizerError(file: vocabPath, reason: "\"\(token)\" has an id that is not a whole number below \(Vocabulary.idLimit)")
            }
            entries.append((token, id))
        }
        let vocabulary = Vocabulary(entries)
        let model: BPE
        do {
            model = try BPE(vocabulary: vocabulary, merges: try mergeLines(path: mergesPath))
        } catch let error as BPE.InvalidMerge {
            throw TokenizerError(file: mergesPath, reason: error.description)
        }
        let roberta = config.options["tokenizer_class"]?.string?.hasPrefix("Roberta") == true
        let added = config.addedTokens(defaults: roberta ? ["<s>", "</s>", "<pad>", "<unk>", "<mask>"] : ["<|endoftext|>"],
                                       vocabulary: vocabulary)
        var template: [TemplateProcessing.Piece] = [.sequence]
        if roberta {
            template = try wrap(template, bos: config.string("bos_token") ?? "<s>", eos: config.string("eos_token") ?? "</s>",
                                vocabulary: vocabulary, file: vocabPath)
        } else {
            template = try wrap(template, bos: config.bool("add_bos_token") == true ? config.string("bos_token") : nil,
                                eos: config.bool("add_eos_token") == true ? config.string("eos_token") : nil,
                                vocabulary: vocabulary, file: vocabPath)
        }
        return Tokenizer(
            normalizer: nil,
            preTokenizer: ByteLevelPreTokenizer(addPrefixSpace: config.bool("add_prefix_space") ?? roberta),
            model: model,
            postProcessor: template == [.sequence] ? nil : TemplateProcessing(single: template),
            decoder: ByteLevelDecoder(),
            addedTokens: added)
    }

    /// The merges of `merges.txt`, skipping a first `#version` line and empty lines.
    static func mergeLines(path: String) throws -> [(String, String)] {
        let data = try TokenizerError.read(path)
        var merges: [(String, String)] = []
        for (index, line) in String(decoding: data, as: UTF8.self).splitScalars(on: "\n").enumerated() {
            let text = line.unicodeScalars.last == "\r" ? String(scalars: line.unicodeScalars.dropLast()) : line
            if text.unicodeScalars.isEmpty || text.hasScalarPrefix("#version") { continue }
            let parts = text.splitScalars(on: " ")
            guard parts.count == 2 else {
                throw TokenizerError(file: path, reason: "line \(index + 1) is not two tokens separated by one space")
            }
            merges.append((parts[0], parts[1]))
        }
        return merges
    }

    /// BERT's `vocab.txt` (one token a line; the line number is the id) with the options of
    /// `tokenizer_config.json` (`do_lower_case`, default true; `strip_accents`, default: as
    /// lower-casing; `tokenize_chinese_chars`, default true) and its special tokens (defaults
    /// `[UNK]` `[SEP]` `[PAD]` `[CLS]` `[MASK]`): BertNormalizer, BertPreTokenizer, WordPiece,
    /// `[CLS] … [SEP]`, WordPiece decoder.
    static func bert(vocabPath: String, config: SpecialTokenConfig) throws -> Tokenizer {
        let data = try TokenizerError.read(vocabPath)
        var lines = String(decoding: data, as: UTF8.self).splitScalars(on: "\n")
        if lines.last?.unicodeScalars.isEmpty == true { lines.removeLast() }
        let entries = lines.enumerated().map { index, line in
            (String(scalars: Array(line.unicodeScalars).trimmingTrailingWhitespace()), index)
        }
        guard !entries.isEmpty else { throw TokenizerError(file: vocabPath, reason: "the vocabulary is empty") }
        let vocabulary = Vocabulary(entries)
        let unknown = config.string("unk_token") ?? "[UNK]"
        guard vocabulary.id(for: unknown) != nil else {
            throw TokenizerError(file: vocabPath, reason: "the unknown token \"\(unknown)\" is not in the vocabulary")
        }
        let lowercase = config.bool("do_lower_case") ?? true
        let template = try wrap([.sequence], bos: config.string("cls_token") ?? "[CLS]",
                                eos: config.string("sep_token") ?? "[SEP]", vocabulary: vocabulary, file: vocabPath)
        return Tokenizer(
            normalizer: BertNormalizer(cleanText: true, handleChineseCharacters: config.bool("tokenize_chinese_chars") ?? true,
                                       stripAccents: config.bool("strip_accents"), lowercase: lowercase),
            preTokenizer: BertPreTokenizer(),
            model: WordPiece(vocabulary: vocabulary, unknownToken: unknown),
            postProcessor: TemplateProcessing(single: template),
            decoder: WordPieceDecoder(),
            addedTokens: config.addedTokens(defaults: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"], vocabulary: vocabulary))
    }

    /// A template with `bos` before and `eos` after, each when given; both must be in the vocabulary.
    static func wrap(_ template: [TemplateProcessing.Piece], bos: String?, eos: String?, vocabulary: Vocabulary,
                     file: String) throws -> [TemplateProcessing.Piece] {
        func special(_ text: String) throws -> TemplateProcessing.Piece {
            guard let id = vocabulary.id(for: text) else {
                throw TokenizerError(file: file, reason: "the special token \"\(text)\" is not in the vocabulary")
            }
            return .special(Token(id: id, text: text))
        }
        var pieces = template
        if let bos { pieces.insert(try special(bos), at: 0) }
        if let eos { pieces.append(try special(eos)) }
        return pieces
    }
}

extension Array where Element == Unicode.Scalar {
    func trimmingTrailingWhitespace() -> ArraySlice<Unicode.Scalar> {
        guard let last = lastIndex(where: { !ScalarClass.isSpace($0) }) else { return [] }
        return self[...last]
    }
}
