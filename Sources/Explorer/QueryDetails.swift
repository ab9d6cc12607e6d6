import Analysis
import Lessons
import Tensor
import Terminal
import Transformer

/// The numbers behind the selected cell, step by step: the query's q, the key's k and v, their dot
/// product written out, the scaling, the mask, the softmax, and the head's output z for the query;
/// then the query's weights over every key as bars.
struct QueryDetails {
    let state: Scene
    let site: AttentionSite
    let theme: Theme

    /// The six steps for the selected head, query and key, gathered by the Analysis module.
    func steps() -> AttentionSteps? {
        guard let cache = state.session.cache else { return nil }
        return try? AttentionSteps(site: site.site, head: state.selection.head, query: state.selection.query, key: state.selection.key,
                                   cache: cache, config: state.session.loaded.config,
                                   queryLabels: state.session.queryLabels(site: site), keyLabels: state.session.keyLabels(site: site))
    }

    func render(into canvas: inout Canvas, area: Rect) {
        guard let steps = steps() else {
            canvas.write("(no attention recorded here)", x: area.x, y: area.y, style: theme.dim)
            return
        }
        // Each line wraps on its own, so a vector never runs into the next step.
        let wrapped = StepsText.lines(steps, width: area.width).flatMap { line -> [[StyledRun]] in
            line.isEmpty ? [[]] : TextWrap.lines(line, width: area.width, theme: theme)
        }
        let offset = min(state.explore.detailsOffset, max(0, wrapped.count - 1))
        let textHeight = min(area.height, wrapped.count - offset + 1)
        for (n, runs) in wrapped.dropFirst(offset).prefix(textHeight).enumerated() {
            var x = area.x
            for run in runs { x += canvas.write(run.text, x: x, y: area.y + n, style: run.style, maxWidth: area.maxX - x) }
        }
        guard area.height - textHeight >= 3 else { return }
        let barsArea = Rect(x: area.x, y: area.y + textHeight + 1, width: area.width, height: area.height - textHeight - 1)
        canvas.write(firstFitting: ["weights of this query over the keys", "this query's weights", "weights"],
                     x: area.x, y: area.y + textHeight, style: theme.dim, maxWidth: area.width)
        let bars = steps.weights.enumerated().map {
            BarChart.Bar(steps.keyTokens.indices.contains($0) ? steps.keyTokens[$0] : "\($0)", $1)
        }
        var chart = BarChart(bars: bars, maximum: 1, decimals: 3, highlighted: state.selection.key, theme: theme)
        chart.offset = max(0, state.selection.key - barsArea.height + 1)
        chart.render(into: &canvas, area: barsArea)
    }
}
