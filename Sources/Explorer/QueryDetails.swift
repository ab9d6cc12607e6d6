import Foundation
import Tensor
import Terminal
import Transformer

/// The numbers behind the selected cell, step by step: the query's q, the key's k and v, their dot
/// product written out, the scaling, the mask, the softmax, and the head's output z for the query.
/// Every number is the cache's, or arithmetic on shown numbers that ends at the cache's value.
struct QueryDetails {
    let state: AppState
    let site: String
    let theme: Theme

    struct Values {
        var q: [Float], k: [Float], v: [Float], z: [Float]
        var score: Float, scaled: Float, masked: Float, weight: Float
        /// The query's row of masked scores and of weights, over all keys.
        var maskedRow: [Float], weights: [Float]
        var headSize: Int
        var kvHead: Int
    }

    /// The selected head, query and key's numbers from the cache.
    func numbers() -> Values? {
        guard let cache = state.session.cache,
              let q = cache[site + ".q"], let k = cache[site + ".k"], let v = cache[site + ".v"],
              let scores = cache[site + ".scores"], let scaled = cache[site + ".scaled"],
              let masked = cache[site + ".masked"], let pattern = cache[site + ".pattern"],
              let z = cache[site + ".z"] else { return nil }
        let (h, i, j) = (state.head, state.row, state.column)
        let kvHead = h / max(1, q.shape[0] / k.shape[0])
        return Values(
            q: q.slice(h).slice(i).scalars, k: k.slice(kvHead).slice(j).scalars, v: v.slice(kvHead).slice(j).scalars,
            z: z.slice(h).slice(i).scalars, score: scores[h, i, j], scaled: scaled[h, i, j],
            masked: masked[h, i, j], weight: pattern[h, i, j], maskedRow: masked.slice(h).slice(i).scalars,
            weights: pattern.slice(h).slice(i).scalars, headSize: q.shape[2], kvHead: kvHead)
    }

    /// The text lines (with `**emphasis**`) for a panel `width` columns wide.
    func lines(width: Int) -> [String] {
        guard let n = numbers() else { return ["(no attention recorded here)"] }
        let queries = state.session.queryLabels(site: site), keys = state.session.keyLabels(site: site)
        let query = queries.indices.contains(state.row) ? queries[state.row] : "\(state.row)"
        let key = keys.indices.contains(state.column) ? keys[state.column] : "\(state.column)"
        let vectorWidth = max(12, width - 6)
        var lines: [String] = []
        lines.append("**\(query)** (query \(state.row)) → **\(key)** (key \(state.column))")
        let kvNote = n.kvHead != state.head ? " (key/value head \(n.kvHead))" : ""
        lines.append("head \(state.head)\(kvNote), dh = \(n.headSize)")
        lines.append("")
        lines.append("**1** q = " + NumberText.vector(n.q, width: vectorWidth))
        lines.append("  k = " + NumberText.vector(n.k, width: vectorWidth))
        lines.append("  v = " + NumberText.vector(n.v, width: vectorWidth))
        lines.append("**2** q·k = " + dotProduct(n, width: width - 10))
        let root = Float(n.headSize).squareRoot()
        lines.append("**3** ÷ √\(n.headSize) = \(NumberText.format(n.score, decimals: 4)) ÷ \(NumberText.format(root, decimals: 3)) = \(NumberText.format(n.scaled, decimals: 4))")
        if n.masked == -.infinity {
            lines.append("  masked: this key is hidden from this query (−∞)")
        }
        lines.append("**4** softmax: " + softmaxLine(n))
        lines.append("**5** weight × v = " + NumberText.vector(n.v.map { $0 * n.weight }, width: vectorWidth - 13))
        lines.append("**6** z = Σ weight·v = " + NumberText.vector(n.z, width: vectorWidth - 16))
        return lines
    }

    /// `0.12×0.40 + −0.50×0.10 + … = 1.2345`: the first products, then the cache's score.
    func dotProduct(_ n: Values, width: Int) -> String {
        var terms: [String] = []
        var used = 0
        for c in 0..<n.q.count {
            let term = "\(NumberText.format(n.q[c]))×\(NumberText.format(n.k[c]))"
            if used + term.count + 14 > width && c > 0 { terms.append("…"); break }
            terms.append(term)
            used += term.count + 3
        }
        return terms.joined(separator: " + ") + " = " + NumberText.format(n.score, decimals: 4)
    }

    /// `e^(0.44 − 0.91) / Σ = 0.624 / 1.782 = 0.3502`, from the shown masked row.
    func softmaxLine(_ n: Values) -> String {
        guard n.masked != -.infinity else { return "e^(−∞) = 0 → weight 0" }
        let peak = n.maskedRow.max() ?? 0
        let numerator = exp(Double(n.masked - peak))
        let denominator = n.maskedRow.reduce(0.0) { $0 + ($1 == -.infinity ? 0 : exp(Double($1 - peak))) }
        return "e^(\(NumberText.format(n.masked)) − \(NumberText.format(peak))) / Σ = "
            + "\(String(format: "%.3f", numerator)) / \(String(format: "%.3f", denominator)) = \(NumberText.format(n.weight, decimals: 4))"
    }

    func render(into canvas: inout Canvas, area: Rect) {
        // Each line wraps on its own, so a vector never runs into the next step.
        let wrapped = lines(width: area.width).flatMap { line -> [[StyledRun]] in
            line.isEmpty ? [[]] : TextWrap.lines(line, width: area.width, theme: theme)
        }
        let offset = min(state.detailsOffset, max(0, wrapped.count - 1))
        let textHeight = min(area.height, wrapped.count - offset + 1)
        for (n, runs) in wrapped.dropFirst(offset).prefix(textHeight).enumerated() {
            var x = area.x
            for run in runs { x += canvas.write(run.text, x: x, y: area.y + n, style: run.style, maxWidth: area.maxX - x) }
        }
        guard let n = numbers(), area.height - textHeight >= 3 else { return }
        let barsArea = Rect(x: area.x, y: area.y + textHeight + 1, width: area.width, height: area.height - textHeight - 1)
        canvas.write("weights of this query over the keys", x: area.x, y: area.y + textHeight, style: theme.dim,
                     maxWidth: area.width)
        let keys = state.session.keyLabels(site: site)
        let bars = n.weights.enumerated().map { BarChart.Bar(keys.indices.contains($0) ? keys[$0] : "\($0)", $1) }
        var chart = BarChart(bars: bars, maximum: 1, decimals: 3, highlighted: state.column, theme: theme)
        chart.offset = max(0, state.column - barsArea.height + 1)
        chart.render(into: &canvas, area: barsArea)
    }
}

