import Foundation

/// Builds a `Tokenizer` from Hugging Face's `tokenizer.json`, stage by stage.
public enum TokenizerJSON {
    /// Reads and assembles `tokenizer.json` at `path`.
    public static func load(path: String) throws -> Tokenizer {
        let name = (path as NSString).lastPathComponent
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TokenizerError(file: path, reason: "cannot read the file")
        }
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: data) } catch {
            throw TokenizerError(file: name, reason: "not valid JSON")
        }
        guard let object = root as? [String: Any] else {
            throw TokenizerError(file: name, reason: "the top level is not a JSON object")
        }
        return try Builder(file: name).tokenizer(object)
    }

    struct Builder {
        let file: String

        func fail(_ reason: String) -> TokenizerError { TokenizerError(file: file, reason: reason) }

        func tokenizer(_ root: [String: Any]) throws -> Tokenizer {
            guard let modelObject = root["model"] as? [String: Any] else { throw fail("no \"model\" object") }
            let model = try self.model(modelObject)
            var added: [Token] = []
            for entry in root["added_tokens"] as? [[String: Any]] ?? [] {
                guard let id = entry["id"] as? Int, let content = entry["content"] as? String else {
                    throw fail("an entry of added_tokens lacks \"id\" or \"content\"")
                }
                added.append(Token(id: id, text: content))
            }
            return Tokenizer(
                normalizer: try optionalStage(root["normalizer"], normalizer),
                preTokenizer: try optionalStage(root["pre_tokenizer"], preTokenizer),
                model: model,
                postProcessor: try optionalStage(root["post_processor"], postProcessor),
                addedTokens: added)
        }

        func optionalStage<T>(_ value: Any?, _ build: ([String: Any]) throws -> T) throws -> T? {
            guard let value, !(value is NSNull) else { return nil }
            guard let object = value as? [String: Any] else { throw fail("a pipeline stage is not an object") }
            return try build(object)
        }

        func type(_ object: [String: Any], _ stage: String) throws -> String {
            guard let type = object["type"] as? String else { throw fail("a \(stage) has no \"type\"") }
            return type
        }

        func normalizer(_ object: [String: Any]) throws -> any Normalizer {
            switch try type(object, "normalizer") {
            case "Lowercase": return Lowercase()
            case "NFC": return UnicodeNormalizer(.nfc)
            case "NFD": return UnicodeNormalizer(.nfd)
            case "NFKC": return UnicodeNormalizer(.nfkc)
            case "NFKD": return UnicodeNormalizer(.nfkd)
            case "StripAccents": return StripAccents()
            case "Prepend":
                guard let prefix = object["prepend"] as? String else { throw fail("Prepend lacks \"prepend\"") }
                return Prepend(prefix)
            case "Replace":
                guard let pattern = (object["pattern"] as? [String: Any])?["String"] as? String,
                      let content = object["content"] as? String else {
                    throw fail("Replace needs a {\"String\": …} pattern and a content")
                }
                return Replace(pattern: pattern, content: content)
            case "Sequence":
                guard let stages = object["normalizers"] as? [[String: Any]] else {
                    throw fail("a Sequence normalizer lacks \"normalizers\"")
                }
                return NormalizerSequence(try stages.map(normalizer))
            case let other: throw fail("unsupported normalizer type \"\(other)\"")
            }
        }

        func preTokenizer(_ object: [String: Any]) throws -> any PreTokenizer {
            switch try type(object, "pre_tokenizer") {
            case "Whitespace": return WhitespacePreTokenizer()
            case "WhitespaceSplit": return WhitespaceSplit()
            case "Sequence":
                guard let stages = object["pretokenizers"] as? [[String: Any]] else {
                    throw fail("a Sequence pre_tokenizer lacks \"pretokenizers\"")
                }
                return PreTokenizerSequence(try stages.map(preTokenizer))
            case let other: throw fail("unsupported pre_tokenizer type \"\(other)\"")
            }
        }

        func model(_ object: [String: Any]) throws -> any TokenizerModel {
            switch try type(object, "model") {
            case "WordLevel":
                guard let vocab = object["vocab"] as? [String: Int] else {
                    throw fail("the WordLevel model has no \"vocab\" of token → id")
                }
                guard let unk = object["unk_token"] as? String else {
                    throw fail("the WordLevel model has no \"unk_token\"")
                }
                return WordLevel(vocabulary: Vocabulary(vocab.map { ($0.key, $0.value) }), unknownToken: unk)
            case let other: throw fail("unsupported tokenizer model \"\(other)\"")
            }
        }

        func postProcessor(_ object: [String: Any]) throws -> any PostProcessor {
            switch try type(object, "post_processor") {
            case "TemplateProcessing":
                guard let single = object["single"] as? [[String: Any]] else {
                    throw fail("TemplateProcessing lacks \"single\"")
                }
                let specials = object["special_tokens"] as? [String: [String: Any]] ?? [:]
                return TemplateProcessing(single: try single.map { try templatePiece($0, specials) })
            case "BertProcessing":
                guard let cls = object["cls"] as? [Any], let sep = object["sep"] as? [Any],
                      let clsText = cls.first as? String, let clsId = cls.last as? Int,
                      let sepText = sep.first as? String, let sepId = sep.last as? Int else {
                    throw fail("BertProcessing needs \"cls\" and \"sep\" as [token, id]")
                }
                return TemplateProcessing(single: [
                    .special(Token(id: clsId, text: clsText)), .sequence, .special(Token(id: sepId, text: sepText)),
                ])
            case let other: throw fail("unsupported post_processor type \"\(other)\"")
            }
        }

        func templatePiece(_ piece: [String: Any], _ specials: [String: [String: Any]]) throws
            -> TemplateProcessing.Piece {
            if piece["Sequence"] != nil { return .sequence }
            guard let special = piece["SpecialToken"] as? [String: Any], let name = special["id"] as? String else {
                throw fail("a TemplateProcessing piece is neither Sequence nor SpecialToken")
            }
            guard let entry = specials[name], let ids = entry["ids"] as? [Int], let id = ids.first else {
                throw fail("TemplateProcessing names special token \"\(name)\" without an id")
            }
            return .special(Token(id: id, text: name))
        }
    }
}
