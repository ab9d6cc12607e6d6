import Terminal
import Transformer

/// Where the explore screen's parts go for a state: the title, the sentence, the heatmap on the
/// left and the selected query's numbers on the right. Shared by `view` and by `update` (mouse clicks).
struct ExploreLayout {
    let state: AppState
    let theme: Theme

    init(_ state: AppState) {
        self.state = state
        theme = state.theme.theme
    }

    /// Rows 3 … height−2: the body between the sentence and the status bar.
    var body: Rect { Rect(x: 0, y: 3, width: state.width, height: state.height - 4) }

    var heatmapArea: Rect {
        let width = max(42, min(state.width * 11 / 20, state.width - 36))
        return Rect(x: 1, y: body.y + 1, width: width - 2, height: body.height - 1)
    }

    var detailsArea: Rect {
        let x = heatmapArea.maxX + 2
        return Rect(x: x, y: body.y, width: state.width - x - 1, height: body.height)
    }

    /// The tensor shown: one head of `<site>.<stage>`, `[T,S]`.
    var shownMatrix: Matrix? {
        guard let site = state.site, let tensor = state.session.cache?[site + "." + state.stage.rawValue] else { return nil }
        return tensor.slice(min(state.head, tensor.shape[0] - 1)).matrix
    }

    var heatmap: Heatmap? {
        guard let site = state.site, let values = shownMatrix else { return nil }
        let weights = state.stage == .pattern
        var map = Heatmap(values: values, rowLabels: state.session.queryLabels(site: site),
                          columnLabels: state.session.keyLabels(site: site),
                          scale: weights ? theme.sequential : theme.diverging,
                          range: weights ? 0...1 : nil, theme: theme,
                          cursor: MatrixIndex(row: state.row, column: state.column), origin: state.heatmapOrigin)
        map.decimals = 4
        if state.stage == .pattern, let masked = state.session.cache?[site + ".masked"] {
            map.hidden = masked.slice(min(state.head, masked.shape[0] - 1)).scalars.map { $0 == -.infinity }
        }
        // On a small screen, column labels must not eat the rows.
        map.maxColumnLabelLines = state.height < 30 ? 3 : 6
        // Cells at least two columns wide when they fit: one-column cells hide the labels.
        let labels = min(map.maxLabelWidth, (map.rowLabels.map { DisplayWidth.of($0) }.max() ?? 0)) + 1
        let fit = (heatmapArea.width - labels) / max(1, values.columns)
        if fit >= 2 && fit < 5 && values.rows <= heatmapArea.height - 6 { map.mode = .cells(width: fit) }
        if state.overview { map.mode = theme.usesColor ? .compact : .cells(width: 1) }
        return map
    }

    /// The matrix cell under a mouse click, if the click is on the heatmap.
    func heatmapCell(x: Int, y: Int) -> (row: Int, column: Int)? {
        guard let heatmap, let index = heatmap.layout(in: heatmapArea).index(atX: x, y: y) else { return nil }
        return (index.row, index.column)
    }

    /// The first row and column the heatmap shows for the current cursor.
    var heatmapOrigin: MatrixIndex { heatmap?.layout(in: heatmapArea).origin ?? .zero }
}
