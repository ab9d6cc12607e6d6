import Analysis
import Foundation
import Tensor
import Terminal
import Transformer

/// The residual stream as a running sum: each token's vector length (L2 norm) after the embedding
/// and after each block's attention and feed-forward, and for the chosen token the next-token guess.
struct ResidualScreen {
    let state: Scene
    let theme: Theme

    /// Columns: `embed+pos`, then per block `L{l} mid` and `L{l} post`, of the stack holding the queries.
    func table() -> (labels: [String], matrix: Matrix)? {
        guard let cache = state.session.cache else { return nil }
        let config = state.session.loaded.config
        func recorded(_ point: Hook.Point, layer: Int) -> Tensor? {
            config.hook(point, at: Site(stack: stack, layer: layer, kind: .residual)).flatMap { cache[$0.name] }
        }
        var columns: [(String, Tensor)] = []
        for l in 0..<config.layers(in: stack) {
            guard let pre = recorded(.residPre, layer: l) else { break }
            if l == 0 { columns.append(("input", pre)) }
            if let mid = recorded(.residMid, layer: l) { columns.append(("L\(l) +attn", mid)) }
            if let post = recorded(.residPost, layer: l) { columns.append(("L\(l) +mlp", post)) }
        }
        guard let rows = columns.first?.1.shape[0] else { return nil }
        var values: [Float] = []
        for i in 0..<rows {
            for (_, tensor) in columns {
                let vector = tensor.slice(i).scalars
                values.append(vector.reduce(0) { $0 + $1 * $1 }.squareRoot())
            }
        }
        return (columns.map(\.0), Matrix(rows: rows, columns: columns.count, values: values))
    }

    /// The blocks whose attention or feed-forward added exactly nothing to any token (so two columns
    /// of the table are equal), as `L0 +mlp`: said under the title, so equal columns are not a puzzle.
    func addsNothing() -> [String] {
        guard let cache = state.session.cache else { return [] }
        let config = state.session.loaded.config
        var labels: [String] = []
        for l in 0..<config.layers(in: stack) {
            for (kind, label) in [(Site.Kind.attention, "L\(l) +attn"), (.mlp, "L\(l) +mlp")] {
                guard let hook = config.hook(.out, at: Site(stack: stack, layer: l, kind: kind)), let out = cache[hook.name] else { continue }
                if out.scalars.allSatisfy({ $0 == 0 }) { labels.append(label) }
            }
        }
        return labels
    }

    /// The stack holding the shown site's queries.
    var stack: Site.Stack { state.site?.site.stack ?? state.session.loaded.config.stacks[0] }

    func render(into canvas: inout Canvas) {
        TitleBar(state: state, theme: theme).render(into: &canvas)
        SentenceLine(state: state.app).render(into: &canvas, theme: theme)
        canvas.write(firstFitting: ["the residual stream: each token's vector length ‖x‖ after each step (a running sum: x + attn, + mlp)",
                                    "the residual stream: each token's length ‖x‖ after each step",
                                    "‖x‖ of each token after each step"],
                     x: 1, y: 2, style: theme.dim, maxWidth: state.width - 2)
        guard let (labels, matrix) = table(), let site = state.site else { return }
        let nothing = addsNothing()
        if !nothing.isEmpty {
            let list = nothing.joined(separator: ", ")
            canvas.write(firstFitting: ["\(list): that part of the block adds exactly 0 to every token here, so its column repeats the one before",
                                        "\(list) adds 0 to every token: its column repeats the one before", "\(list) adds 0 here"],
                         x: 1, y: 3, style: theme.dim, maxWidth: state.width - 2)
        }
        let queries = state.session.queryLabels(site: site)
        let tableArea = Rect(x: 1, y: 4, width: state.width - 2, height: max(3, (state.height - 6) / 2 + 2))
        MatrixView(values: matrix, rowLabels: queries, columnLabels: labels, decimals: 2,
                   selectedRow: min(state.selection.query, matrix.rows - 1), theme: theme).render(into: &canvas, area: tableArea)
        renderPrediction(into: &canvas, top: tableArea.maxY + 1, labels: queries)
    }

    /// The model's next-token distribution after the chosen token (models with an LM head), as the
    /// forward pass recorded it (`probs`).
    func renderPrediction(into canvas: inout Canvas, top: Int, labels: [String]) {
        guard top < state.height - 3, let cache = state.session.cache, let tokens = state.site?.queries else { return }
        let config = state.session.loaded.config
        guard let prediction = NextTokenDistribution(cache: cache, config: config, stack: stack,
                                                     position: max(0, min(state.selection.query, tokens - 1))) else { return }
        let row = prediction.position
        let best = prediction.top(max(1, state.height - top - 3))
        let tokenizer = state.session.loaded.tokenizer
        let after = labels.indices.contains(row) ? labels[row] : "\(row)"
        canvas.write("next token after \"\(after)\" (softmax of the logits)", x: 1, y: top, style: theme.accent, maxWidth: state.width - 2)
        let bars = best.map { BarChart.Bar(tokenizer.display(tokenizer.token(for: $0.id) ?? "\($0.id)"), $0.probability) }
        BarChart(bars: bars, maximum: 1, decimals: 3, theme: theme)
            .render(into: &canvas, area: Rect(x: 1, y: top + 1, width: min(70, state.width - 2), height: state.height - top - 2))
    }
}
