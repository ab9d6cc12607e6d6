import Analysis
import Foundation
import Lessons
import Terminal

/// The six steps of attention for one cell as lines of text (with `**emphasis**`), from the numbers
/// the Analysis module gathers: each either the cache's, or arithmetic on shown numbers that ends at
/// the cache's value. Used by the explore screen's numbers pane and by lessons' `@show steps`.
enum StepsText {
    static func lines(_ s: AttentionSteps, width: Int) -> [String] {
        let vectorWidth = max(12, width - 6)
        var lines: [String] = []
        lines.append("**\(s.queryToken)** (query \(s.query)) → **\(s.keyToken)** (key \(s.key))")
        let kvNote = s.kvHead != s.head ? " (key/value head \(s.kvHead))" : ""
        lines.append("head \(s.head)\(kvNote), d_k = \(s.headSize)")
        lines.append("")
        lines.append("**1** q = " + NumberText.vector(s.q, width: vectorWidth - 4))
        lines.append("  k = " + NumberText.vector(s.k, width: vectorWidth))
        lines.append("  v = " + NumberText.vector(s.v, width: vectorWidth))
        lines.append("**2** q·k = " + dotProduct(s, width: width - 8))
        lines.append("**3** ÷ √\(s.headSize) = \(NumberText.format(s.score, decimals: 4)) ÷ "
            + "\(String(format: "%.3f", s.sqrtHeadSize)) = \(NumberText.format(s.scaled, decimals: 4))")
        if s.isMasked { lines.append("  masked: this key is hidden from this query (−∞)") }
        lines.append("**4** softmax: " + softmax(s, width: width - 11))
        lines.append("**5** weight × v = " + NumberText.vector(s.weightedV, width: vectorWidth - 13))
        lines.append("**6** z = Σ weight·v = " + NumberText.vector(s.z, width: vectorWidth - 16))
        return lines
    }

    /// `6.41×10.04 + -1.98×3.02 + 6 more = 56.3104`: the products that matter most (largest |q_c·k_c|
    /// first), as many as fit in `width`, how many are left out (or `…` where the count does not
    /// fit), then the cache's score; where not even one fits, `Σ of 8 products = 56.3104`.
    static func dotProduct(_ s: AttentionSteps, width: Int) -> String {
        let order = s.q.indices.sorted { abs(Double(s.q[$0]) * Double(s.k[$0])) > abs(Double(s.q[$1]) * Double(s.k[$1])) }
        let terms = order.map { "\(NumberText.format(s.q[$0]))×\(NumberText.format(s.k[$0]))" }
        let total = " = " + NumberText.format(s.score, decimals: 4)
        func line(_ shown: Int, counted: Bool) -> String {
            let rest = terms.count - shown
            return (terms.prefix(shown) + (rest > 0 ? [counted ? "\(rest) more" : "…"] : [])).joined(separator: " + ") + total
        }
        for shown in (1...max(1, terms.count)).reversed() {
            for counted in [true, false] where line(shown, counted: counted).count <= width { return line(shown, counted: counted) }
        }
        return "Σ of \(terms.count) products" + total
    }

    /// `e^(0.44 − 0.91) / Σ = 0.624 / 1.782 = 0.3502`, or a shorter form of it that fits `width`
    /// (a line that wraps would leave the weight alone on the next one).
    static func softmax(_ s: AttentionSteps, width: Int) -> String {
        guard !s.isMasked else { return "e^(−∞) = 0 → weight 0" }
        let exp = NumberFormat.fixed(s.key < s.expTerms.count ? s.expTerms[s.key] : 0, decimals: 3)
        let sum = NumberFormat.fixed(s.expSum, decimals: 3)
        let weight = NumberText.format(s.weight, decimals: 4)
        let (score, top) = (NumberText.format(s.masked), NumberText.format(s.rowMax))
        let forms = ["e^(\(score) − \(top)) / Σ = \(exp) / \(sum) = \(weight)",
                     "e^(\(score)−\(top))/Σ = \(exp)/\(sum) = \(weight)",
                     "\(exp) / \(sum) = \(weight)"]
        return forms.first { $0.count <= width } ?? forms.last!
    }
}
