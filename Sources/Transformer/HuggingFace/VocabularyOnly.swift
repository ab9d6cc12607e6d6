import Foundation
import Tokenizers

/// A model directory's vocabulary without its tokenization pipeline: ids and their strings, read from
/// `tokenizer.json` (`model.vocab` and `added_tokens`), `vocab.json` or `vocab.txt`. It stands in for a
/// tokenizer the project cannot build yet, so that a model can still run on given ids and an export
/// can name its tokens; it encodes no text.
struct VocabularyOnly: TokenizerModel {
    let vocabulary: Vocabulary
    let vocabularySize: Int

    func tokenize(_ word: String) -> [Token] { [] }
    func token(for id: Int) -> String? { vocabulary.token(for: id) }
    func id(for token: String) -> Int? { vocabulary.id(for: token) }

    /// A `Tokenizer` over the vocabulary of the model in `directory`.
    static func tokenizer(directory: String) throws -> Tokenizer {
        let entries = try read(directory)
        let model = VocabularyOnly(vocabulary: Vocabulary(entries),
                                   vocabularySize: (entries.map(\.1).max() ?? -1) + 1)
        return Tokenizer(normalizer: nil, preTokenizer: nil, model: model, postProcessor: nil)
    }

    /// (string, id) pairs from the first vocabulary file the directory has.
    static func read(_ directory: String) throws -> [(String, Int)] {
        func file(_ name: String) -> (path: String, data: Data)? {
            let path = (directory as NSString).appendingPathComponent(name)
            return (try? RegularFile.read(path)).map { (path, $0) }
        }
        if let (path, data) = file("tokenizer.json") {
            guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
                  let model = root["model"] as? [String: Any] else {
                throw ModelError.badFile(path: path, reason: "not a tokenizer.json (no \"model\" object)")
            }
            var entries: [(String, Int)] = []
            if let vocab = model["vocab"] as? [String: Int] {
                entries = vocab.map { ($0.key, $0.value) }
            } else if let pieces = model["vocab"] as? [[Any]] {        // Unigram: [[piece, score], …]
                entries = pieces.enumerated().compactMap { index, piece in (piece.first as? String).map { ($0, index) } }
            } else {
                throw ModelError.badFile(path: path, reason: "the model has no \"vocab\"")
            }
            for added in root["added_tokens"] as? [[String: Any]] ?? [] {
                if let id = added["id"] as? Int, let content = added["content"] as? String { entries.append((content, id)) }
            }
            return entries
        }
        if let (path, data) = file("vocab.json") {
            guard let vocab = (try? JSONSerialization.jsonObject(with: data)) as? [String: Int] else {
                throw ModelError.badFile(path: path, reason: "not a JSON object of token → id")
            }
            return vocab.map { ($0.key, $0.value) }
        }
        if let (_, data) = file("vocab.txt") {
            let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            return lines.enumerated().compactMap { index, line in
                let token = line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
                return token.isEmpty && index == lines.count - 1 ? nil : (token, index)
            }
        }
        throw ModelError.badFile(path: directory, reason: "no tokenizer.json, vocab.json or vocab.txt")
    }
}
