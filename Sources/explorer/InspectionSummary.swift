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
        heads = config.attentionSites.compactMap { site -> [HeadRow]? in
            guard let hook = config.hook(.pattern, at: site), let pattern = cache[hook.name] else { return nil }
            return (0..<pattern.shape[0]).map { Self.describe(pattern.slice($0), attention: site.name, layer: site.layer ?? 0, head: $0) }
        }.flatMap { $0 }
        if let logits = inspection.result.logits {
            let last = logits.slice(logits.shape[0] - 1).scalars
            let probabilities = Tensor(shape: [last.count], scalars: last).softmaxLastAxis().scalars
            nextToken = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] }.prefix(5).map {
                Prediction(id: $0, token: loaded.tokenizer.token(for: $0) ?? "?", probability: Double(probabilities[$0]))
            }
        }
        hooks = Dictionary(uniqueKeysWithValues: cache.shapes.map { ($0.name, $0.shape) })
        omitted = inspection.result.omitted
    }

    /// The summary numbers of one head's pattern `[T,S]`.
    static func describe(_ pattern: Tensor, attention: String, layer: Int, head: Int) -> HeadRow {
        let (t, s) = (pattern.shape[0], pattern.shape[1])
        var selfSum = 0.0, previousSum = 0.0, firstSum = 0.0, entropy = 0.0
        for i in 0..<t {
            if i < s { selfSum += Double(pattern[i, i]) }
            if i >= 1 && i - 1 < s { previousSum += Double(pattern[i, i - 1]) }
            firstSum += Double(pattern[i, 0])
            for j in 0..<s {
                let p = Double(pattern[i, j])
                if p > 0 { entropy -= p * log2(p) }
            }
        }
        return HeadRow(attention: attention, layer: layer, head: head, selfWeight: selfSum / Double(t),
                       previousWeight: t > 1 ? previousSum / Double(t - 1) : 0, firstWeight: firstSum / Double(t),
                       entropyBits: entropy / Double(t))
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
