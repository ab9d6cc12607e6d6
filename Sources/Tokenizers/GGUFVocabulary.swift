/// A tokenizer as a GGUF file's metadata describes it (llama.cpp's `tokenizer.ggml.*` keys), read out
/// by the caller so that this module needs nothing of the file format.
///
/// `tokenizer.ggml.model` picks the pipeline, assembled from the same stages a `tokenizer.json`
/// would name, as transformers builds it for the same file:
/// - `gpt2`: byte-level BPE. The pre-tokenizer's split pattern comes from `tokenizer.ggml.pre`:
///   Llama 3's (`llama-bpe`, `llama3`, …), Qwen2's (`qwen2`, …) and Tekken's (`tekken`) are a `Split`
///   followed by a byte-level stage without its own pattern; any other (`default`, `gpt-2`, `smollm`)
///   is GPT-2's pattern inside the byte-level stage.
/// - `llama`: SentencePiece-style BPE with byte fallback: `▁` for spaces (prepended to the text's
///   first piece unless `add_space_prefix` is false), unknown pieces as `<0xNN>` byte tokens.
/// Tokens typed control (3), and a SentencePiece vocabulary's unknown token (2), are special added
/// tokens matched whole; user-defined ones (4) are plain added tokens. BOS and EOS are added as `add_bos_token` / `add_eos_token` say.
public struct GGUFVocabulary: Sendable {
    /// `tokenizer.ggml.model`.
    public var model: String
    /// `tokenizer.ggml.pre` (nil when absent).
    public var pre: String?
    public var tokens: [String]
    /// `tokenizer.ggml.token_type` (1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte).
    public var tokenTypes: [Int]
    /// `tokenizer.ggml.merges`, each "left right".
    public var merges: [String]
    /// `tokenizer.ggml.scores` (SentencePiece vocabularies without merges rank pairs by them).
    public var scores: [Float]
    public var bosTokenId: Int?
    public var eosTokenId: Int?
    public var unknownTokenId: Int?
    public var addBOS: Bool?
    public var addEOS: Bool?
    public var addSpacePrefix: Bool?

    public init(model: String, pre: String?, tokens: [String], tokenTypes: [Int], merges: [String], scores: [Float],
                bosTokenId: Int?, eosTokenId: Int?, unknownTokenId: Int?, addBOS: Bool?, addEOS: Bool?,
                addSpacePrefix: Bool?) {
        (self.model, self.pre, self.tokens, self.tokenTypes, self.merges, self.scores) = (model, pre, tokens, tokenTypes, merges, scores)
        (self.bosTokenId, self.eosTokenId, self.unknownTokenId) = (bosTokenId, eosTokenId, unknownTokenId)
        (self.addBOS, self.addEOS, self.addSpacePrefix) = (addBOS, addEOS, addSpacePrefix)
    }

    /// Split patterns by `tokenizer.ggml.pre` (transformers' table for GGUF files).
    static let llama3Split = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
    static let qwen2Split = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
    static let tekkenSplit = #"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
    static let splits: [String: String] = [
        "llama3": llama3Split, "llama-v3": llama3Split, "llama-bpe": llama3Split, "falcon3": llama3Split,
        "pixtral": llama3Split, "dbrx": llama3Split, "smaug-bpe": llama3Split,
        "qwen2": qwen2Split, "deepseek-r1-qwen": qwen2Split, "megrez": qwen2Split,
        "tekken": tekkenSplit,
    ]

    /// The pipeline; throws a `TokenizerError` naming `file` for a tokenizer model it does not build
    /// or a vocabulary that contradicts itself.
    public func tokenizer(file: String) throws -> Tokenizer {
        func fail(_ reason: String) -> TokenizerError { TokenizerError(file: file, reason: reason) }
        guard tokenTypes.isEmpty || tokenTypes.count == tokens.count else {
            throw fail("tokenizer.ggml.token_type has \(tokenTypes.count) entries for \(tokens.count) tokens")
        }
        for (name, id) in [("bos", bosTokenId), ("eos", eosTokenId), ("unknown", unknownTokenId)] {
            if let id, id < 0 || id >= tokens.count {
                throw fail("tokenizer.ggml.\(name)_token_id \(id) is outside the vocabulary (0..<\(tokens.count))")
            }
        }
        var tokenizer: Tokenizer
        switch model {
        case "gpt2": tokenizer = try byteLevel(fail: fail)
        case "llama": tokenizer = try sentencePiece(fail: fail)
        default: throw fail("tokenizer.ggml.model \"\(model)\" is not supported (gpt2 and llama are)")
        }
        tokenizer.source = file
        return tokenizer
    }

    /// The vocabulary with `spell` applied to each token (duplicates keep the first id, as a dictionary built in order would keep the last; the reference keeps the last).
    private func vocabulary(_ spell: (String) -> String) -> Vocabulary {
        Vocabulary(tokens.enumerated().map { (spell($0.element), $0.offset) })
    }

    private func mergePairs(fail: (String) -> TokenizerError) throws -> [(String, String)] {
        try merges.enumerated().map { index, line in
            let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { throw fail("tokenizer.ggml.merges[\(index)] \"\(line.prefix(40))\" is not two tokens separated by a space") }
            return (String(parts[0]), String(parts[1]))
        }
    }

    /// Control tokens (special) and user-defined ones (not special) matched whole in the raw text;
    /// `accept` filters them (a byte-level vocabulary skips control tokens spelled outside its alphabet).
    private func addedTokens(spell: (String) -> String, accept: (String) -> Bool) -> [AddedToken] {
        zip(tokens, tokenTypes).enumerated().compactMap { id, pair in
            let (token, type) = pair
            switch type {
            case 3 where accept(token): return AddedToken(id: id, content: token, special: true, normalized: false)
            case 2 where model == "llama": return AddedToken(id: id, content: token, special: true, normalized: false)
            case 4: return AddedToken(id: id, content: token, special: false, normalized: false)
            default: return nil
            }
        }
    }

    /// BOS before and EOS after the sequence, as the flags say (`defaultBOS` when the file has no flag).
    private func template(defaultBOS: Bool) -> TemplateProcessing? {
        var pieces: [TemplateProcessing.Piece] = [.sequence]
        if addBOS ?? defaultBOS, let bos = bosTokenId { pieces.insert(.special(Token(id: bos, text: tokens[bos])), at: 0) }
        if addEOS ?? false, let eos = eosTokenId { pieces.append(.special(Token(id: eos, text: tokens[eos]))) }
        return pieces == [.sequence] ? nil : TemplateProcessing(single: pieces)
    }

    private func byteLevel(fail: (String) -> TokenizerError) throws -> Tokenizer {
        let alphabet = Set(ByteLevelAlphabet.characters)
        let inAlphabet = { (token: String) in token.unicodeScalars.allSatisfy { alphabet.contains($0) } }
        // A token written in plain text rather than the byte alphabet is respelled, as transformers does.
        let spell = { (token: String) in inAlphabet(token) ? token : ByteLevelAlphabet.encode(token) }
        let bpe: BPE
        do {
            bpe = try BPE(vocabulary: vocabulary(spell), merges: try mergePairs(fail: fail))
        } catch let error as BPE.InvalidMerge {
            throw fail("tokenizer.ggml.merges: \(error.description)")
        }
        let preTokenizer: any PreTokenizer
        if let pattern = pre.flatMap({ Self.splits[$0] }) {
            preTokenizer = PreTokenizerSequence([try Split(pattern: .regex(pattern), behavior: .isolated),
                                                 ByteLevelPreTokenizer(addPrefixSpace: false, useRegex: false)])
        } else {
            preTokenizer = ByteLevelPreTokenizer(addPrefixSpace: false, useRegex: true)
        }
        return Tokenizer(normalizer: nil, preTokenizer: preTokenizer, model: bpe, postProcessor: template(defaultBOS: false),
                         decoder: ByteLevelDecoder(), addedTokens: addedTokens(spell: spell, accept: inAlphabet))
    }

    private func sentencePiece(fail: (String) -> TokenizerError) throws -> Tokenizer {
        // As transformers builds it, the model has no unknown token: a piece with no token and no byte
        // tokens is dropped (with every byte in the vocabulary, nothing is).
        let vocabulary = vocabulary { $0 }
        let pairs = merges.isEmpty ? Self.mergesFromScores(tokens: tokens, scores: scores) : try mergePairs(fail: fail)
        let bpe: BPE
        do {
            bpe = try BPE(vocabulary: vocabulary, merges: pairs, fuseUnknown: true, byteFallback: true)
        } catch let error as BPE.InvalidMerge {
            throw fail("tokenizer.ggml.merges: \(error.description)")
        }
        let prefix = addSpacePrefix ?? true
        let decoder = DecoderSequence([ReplaceDecoder(pattern: "▁", content: " "), ByteFallbackDecoder(), FuseDecoder()]
                                      + (prefix ? [StripDecoder(content: " ", start: 1, stop: 0)] : []))
        return Tokenizer(normalizer: nil, preTokenizer: Metaspace(replacement: "▁", prependScheme: prefix ? .first : .never, split: false),
                         model: bpe, postProcessor: template(defaultBOS: true), decoder: decoder,
                         addedTokens: addedTokens(spell: { $0 }, accept: { _ in true }))
    }

    /// Merges recovered from a SentencePiece vocabulary that lists none, as transformers'
    /// `generate_merges` does: every split of a token into two tokens of the vocabulary is a merge
    /// (a token's splits ordered by the pieces' ids); all of them ranked by the merged token's score,
    /// then the left piece's length, then the right one's, each largest first, ties in vocabulary order.
    static func mergesFromScores(tokens: [String], scores: [Float]) -> [(String, String)] {
        var ids: [String: Int] = [:]
        for (id, token) in tokens.enumerated() where ids[token] == nil { ids[token] = id }
        struct Candidate { let score: Float; let left: Int; let right: Int; let order: Int; let pair: (String, String) }
        var found: [Candidate] = []
        for (id, token) in tokens.enumerated() where ids[token] == id {
            let scalars = Array(token.unicodeScalars)
            guard scalars.count > 1 else { continue }
            let score = id < scores.count ? scores[id] : 0
            var local: [(l: Int, r: Int, pair: (String, String))] = []
            for cut in 1..<scalars.count {
                let left = String(String.UnicodeScalarView(scalars[..<cut]))
                let right = String(String.UnicodeScalarView(scalars[cut...]))
                if let l = ids[left], let r = ids[right] { local.append((l, r, (left, right))) }
            }
            local.sort { ($0.l, $0.r) < ($1.l, $1.r) }
            for entry in local {
                found.append(Candidate(score: score, left: entry.pair.0.unicodeScalars.count,
                                       right: entry.pair.1.unicodeScalars.count, order: found.count, pair: entry.pair))
            }
        }
        found.sort { a, b in
            if a.score != b.score { return a.score > b.score }
            if a.left != b.left { return a.left > b.left }
            if a.right != b.right { return a.right > b.right }
            return a.order < b.order
        }
        return found.map(\.pair)
    }
}
