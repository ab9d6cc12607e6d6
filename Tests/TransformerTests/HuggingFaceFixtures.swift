import Foundation
import Testing
import Tensor
@testable import Transformer

/// The tiny Hugging Face models of `Tests/Fixtures/hf/` and their reference activations, computed by
/// `transformers` itself (`make_fixtures.py`), and the comparison every parity test makes.
enum HuggingFaceFixtures {
    static let models = ["tiny-gpt2", "tiny-llama", "tiny-llama3-rope", "tiny-qwen2", "tiny-mistral", "tiny-bert", "tiny-roberta"]

    static func directory(_ model: String) -> String { Repository.path("Tests/Fixtures/hf/\(model)") }

    /// One sentence run through the reference: `case.json` and the arrays beside it.
    struct Case: Decodable, CustomStringConvertible, Sendable {
        var model: String
        var text: String
        var ids: [Int]
        var tokens: [String]
        /// The explorer hook each of the reference's hidden states is (`blocks.0.resid_pre`, …).
        var hiddenStateHooks: [String]
        var directory: String = ""
        var name: String { (directory as NSString).lastPathComponent }

        enum CodingKeys: String, CodingKey {
            case model, text, ids, tokens, hiddenStateHooks = "hidden_state_hooks"
        }
        var description: String { "\(model)/\(name)" }
    }

    /// Every case under `root/<model>/<case>/case.json`.
    static func cases(under root: String) -> [Case] {
        let files = FileManager.default
        var found: [Case] = []
        for model in ((try? files.contentsOfDirectory(atPath: root)) ?? []).sorted() {
            let modelDirectory = (root as NSString).appendingPathComponent(model)
            for name in ((try? files.contentsOfDirectory(atPath: modelDirectory)) ?? []).sorted() {
                let directory = (modelDirectory as NSString).appendingPathComponent(name)
                guard let data = files.contents(atPath: directory + "/case.json"),
                      var entry = try? JSONDecoder().decode(Case.self, from: data) else { continue }
                entry.directory = directory
                found.append(entry)
            }
        }
        return found
    }

    static let cases = cases(under: Repository.path("Tests/Fixtures/hf/reference"))

    /// The largest differences between a run and the reference.
    struct Errors: CustomStringConvertible {
        /// max |a − b| / (1 + |b|) over the logits (nil for a model without an LM head).
        var logits: Float?
        /// max |a − b| over every layer's attention pattern.
        var attention: Float = 0
        /// max |a − b| / (1 + |b|) over the hidden states.
        var hidden: Float = 0

        var description: String {
            let logitsText = logits.map { String(format: "logits %.2e, ", $0) } ?? ""
            return logitsText + String(format: "attention %.2e, hidden states %.2e", attention, hidden)
        }
    }

    /// Runs `loaded` on the reference's ids and measures the differences. Records an issue for a
    /// missing hook or a shape that differs.
    static func compare(_ loaded: LoadedModel, with reference: Case) throws -> Errors {
        let inspection = try Inspection(loaded, ids: reference.ids, text: reference.text, weightedLimit: 0)
        let cache = inspection.result.cache
        var errors = Errors()
        let logitsPath = reference.directory + "/logits.npy"
        if FileManager.default.fileExists(atPath: logitsPath) {
            let expected = try NPY.read(path: logitsPath)
            let actual = try #require(cache["logits"], "\(reference): no logits")
            #expect(actual.shape == expected.shape, "\(reference): logits shape")
            errors.logits = actual.maxRelativeError(to: expected)
        } else {
            #expect(cache["logits"] == nil, "\(reference): logits from a model without an LM head")
        }
        let attentions = try NPY.read(path: reference.directory + "/attentions.npy")   // [L,H,T,T]
        for layer in 0..<attentions.shape[0] {
            let actual = try #require(cache["blocks.\(layer).attn.pattern"], "\(reference): no pattern \(layer)")
            let expected = attentions.slice(layer)
            #expect(actual.shape == expected.shape, "\(reference): blocks.\(layer).attn.pattern shape")
            errors.attention = max(errors.attention, maxAbsoluteError(actual, expected))
        }
        let hidden = try NPY.read(path: reference.directory + "/hidden_states.npy")      // [L+1,T,D]
        #expect(hidden.shape[0] == reference.hiddenStateHooks.count)
        for (index, hook) in reference.hiddenStateHooks.enumerated() {
            let actual = try #require(cache[hook], "\(reference): no \(hook)")
            errors.hidden = max(errors.hidden, actual.maxRelativeError(to: hidden.slice(index)))
        }
        return errors
    }

    /// max |a − b|; infinity when the shapes differ.
    static func maxAbsoluteError(_ a: Tensor, _ b: Tensor) -> Float {
        guard a.shape == b.shape else { return .infinity }
        return zip(a.scalars, b.scalars).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }
}
