import Analysis
import Tensor
import Terminal
import Transformer

/// One query across all heads: the selected query token's row of every head's softmax weights, as
/// bars over the key tokens (labelled down the left), one column per head and one block per layer,
/// each head headed by its character (`HeadCharacter`). Which head looks where, for one word.
struct QueryAcrossHeads {
    let state: Scene
    let theme: Theme

    func render(into canvas: inout Canvas) {
        let sites = state.run?.sites ?? []
        guard !sites.isEmpty else { return }
        let query = state.selection.query
        let queryLabels = state.session.queryLabels(site: sites[0])
        let label = query < queryLabels.count ? queryLabels[query] : String(query)
        canvas.write(firstFitting: ["one query across all heads: \(label) (query \(query)) · , . other query · b back to the tiles",
                                    "one query across all heads: \(label) (query \(query))", "\(label) (query \(query))"],
                     x: 1, y: 2, style: theme.accent, maxWidth: state.width - 2)
        var y = 4
        let bottom = state.height - 1
        // From the chosen layer on, as many blocks as fit.
        for siteIndex in min(state.siteIndex, sites.count - 1)..<sites.count {
            let site = sites[siteIndex]
            let keys = state.session.keyLabels(site: site)
            guard y + keys.count + 1 <= bottom, let pattern = state.session.tensor(.pattern, at: site) else { break }
            let row = min(query, site.queries - 1)
            let labelWidth = min(12, max(8, keys.map { DisplayWidth.of($0) }.max() ?? 0)) + 1
            let columnWidth = max(8, (state.width - 2 - labelWidth) / max(1, site.heads))
            canvas.write(GridScreen.shortName(site), x: 1, y: y, style: siteIndex == state.siteIndex ? theme.accent : theme.dim,
                         maxWidth: labelWidth)
            for head in 0..<site.heads {
                let x = 1 + labelWidth + head * columnWidth
                let character = HeadCharacter(pattern: pattern.slice(head), site: site.site, head: head)
                let chosen = siteIndex == state.siteIndex && head == state.selection.head
                canvas.write("head \(head) " + GridScreen.caption(character, width: columnWidth - 8), x: x, y: y,
                             style: chosen ? theme.accent : theme.dim, maxWidth: columnWidth - 1)
                let weights = pattern.slice(head).slice(row).scalars
                let barWidth = max(1, columnWidth - 7)
                for (k, weight) in weights.enumerated() {
                    let value = NumberFormat.fixed(weight, decimals: 2)
                    let bar = BarChart.bar(weight, maximum: 1, width: barWidth)
                    canvas.write(bar, x: x, y: y + 1 + k, style: Style(foreground: theme.seriesColor(head)), maxWidth: barWidth)
                    canvas.write(value, x: x + barWidth + 1, y: y + 1 + k, style: theme.text, maxWidth: 5)
                }
            }
            for (k, key) in keys.enumerated() {
                canvas.writeFitted(key, x: 1, y: y + 1 + k, width: labelWidth - 1, alignment: .right,
                                   style: k == state.selection.key ? theme.highlight : theme.text)
            }
            y += keys.count + 2
        }
    }
}
