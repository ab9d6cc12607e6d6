import Analysis
import Foundation
import Tensor
import Terminal
import Tokenizers
import Transformer

/// What `inspect` prints: the tokens, each attention head's character in a few numbers, and the
/// model's next-token guesses.
struct InspectionSummary: Encodable {
    struct TokenRow: Encodable { var position: Int; var id: Int; var token: String; var display: String }
    struct HeadRow: Encodable {
        var attention: String
        var layer: Int
        var head: Int
        /// Mean weight a query gives itself, the token before it, and the first token.
        var selfWeight: Double
        var previousWeight: Double
        var firstWeight: Double
        /// Mean entropy of a query's weights, in bits (0: all on one key).
        var entropyBits: Double

        init(_ character: HeadCharacter) {
            attention = character.site.name
            layer = character.site.layer ?? 0
            head = character.head
            selfWeight = character.selfShare
            previousWeight = character.previousShare
            firstWeight = character.firstShare
            entropyBits = character.entropyBits
        }
    }
    struct Prediction: Encodable { var id: Int; var token: String; var probability: Double }

    var model: String
    var text: String
    var target: String?
    var architecture: String
    var mask: String
    var tokens: [TokenRow]
    var decoderTokens: [TokenRow]?
    var heads: [HeadRow]
    var nextToken: [Prediction]?
    var hooks: [String: [Int]]
    var omitted: [String]
    /// The model has an LM head but `--hooks` left out its `probs` (the guesses are read from it).
    var probsLeftOut = false

    enum CodingKeys: String, CodingKey {
        case model, text, target, architecture, mask, tokens, decoderTokens, heads, nextToken, hooks, omitted
    }

    init(_ inspection: Inspection, loaded: LoadedModel) {
        let display = loaded.tokenizer.display
        func rows(_ tokens: [Token]) -> [TokenRow] {
            tokens.enumerated().map { TokenRow(position: $0, id: $1.id, token: $1.text, display: display($1.text)) }
        }
        model = loaded.name
        text = inspection.text
        target = inspection.target
        architecture = loaded.config.architecture.rawValue
        mask = inspection.mask.description
        tokens = rows(inspection.tokens)
        decoderTokens = inspection.decoderTokens.map(rows)
        let cache = inspection.result.cache
        let config = loaded.config
        heads = HeadCharacter.all(in: cache, config: config).map(HeadRow.init)
        // The distribution the model produced (`probs`), not a softmax made again here.
        nextToken = NextTokenDistribution(cache: cache, config: config)?.top(5).map {
            Prediction(id: $0.id, token: loaded.tokenizer.token(for: $0.id) ?? "?", probability: Double($0.probability))
        }
        probsLeftOut = nextToken == nil && config.hook(.probs, at: Site(stack: config.outputStack, kind: .head)) != nil
        hooks = Dictionary(uniqueKeysWithValues: cache.shapes.map { ($0.name, $0.shape) })
        omitted = inspection.result.omitted
    }

    /// The summary as JSON with snake_case keys, safe for a terminal (see `JSONOutput`).
    func json() throws -> String {
        try JSONOutput.encode(self, snakeCase: true)
    }

    func rendered() -> String {
        var lines = ["model \(Sanitizer.sanitize(model)) · \(architecture) · mask \(mask) · \(tokens.count) tokens",
                     "text: \(Sanitizer.sanitize(text))"]
        if let target { lines.append("target: \(Sanitizer.sanitize(target))") }
        func tokenLines(_ title: String, _ rows: [TokenRow]) {
            lines.append("")
            lines.append(title)
            lines.append(rows.map { "\($0.position):\(Sanitizer.sanitize($0.display))" }.joined(separator: "  "))
        }
        tokenLines("tokens (position:token)", tokens)
        if let decoderTokens { tokenLines("decoder tokens", decoderTokens) }
        if !heads.isEmpty {
            lines.append("")
            lines.append("attention heads: mean weight on self / previous token / first token, entropy in bits")
            for row in heads {
                lines.append("  " + row.attention.padded(to: 28) + String(
                    format: " head %-2d  self %.2f   prev %.2f   first %.2f   entropy %.2f",
                    row.head, row.selfWeight, row.previousWeight, row.firstWeight, row.entropyBits))
            }
        }
        if let nextToken {
            lines.append("")
            lines.append("next token after \"\(Sanitizer.sanitize((decoderTokens ?? tokens).last?.display ?? ""))\":")
            for p in nextToken {
                lines.append("  " + Sanitizer.sanitize(p.token).padded(to: 16) + String(format: " %5.1f%%", p.probability * 100))
            }
        } else if probsLeftOut {
            lines.append("")
            lines.append("next token: not shown (--hooks left out probs, which it is read from)")
        }
        if !omitted.isEmpty {
            lines.append("")
            lines.append("not recorded (input longer than \(Inspection.defaultWeightedLimit) tokens): \(omitted.joined(separator: ", "))")
        }
        lines.append("")
        lines.append("\(hooks.count) tensors recorded")
        return lines.joined(separator: "\n")
    }
}

extension String {
    /// The string followed by spaces up to `width` characters (never cut).
    func padded(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
