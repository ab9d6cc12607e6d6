import Terminal
import Transformer

/// Where the explore screen's parts go for a state: the title, the sentence, the heatmap on the
/// left and the selected query's numbers on the right.
struct ExploreLayout {
    let state: Scene
    let theme: Theme

    init(_ state: Scene) {
        self.state = state
        theme = state.theme
    }

    /// Rows 3 … height−2: the body between the sentence and the status bar.
    var body: Rect { Rect(x: 0, y: 3, width: state.width, height: state.height - 4) }

    var heatmapArea: Rect {
        if state.explore.projector {
            return Rect(x: 1, y: body.y + 1, width: state.width - 2, height: detailsBelow == nil ? body.height - 1 : projectorHeatmapLines)
        }
        return besideArea
    }

    /// The heatmap's area in the standard layout, beside the numbers.
    var besideArea: Rect {
        let width = max(42, min(state.width * 11 / 20, state.width - 36))
        return Rect(x: 1, y: body.y + 1, width: width - 2, height: body.height - 1)
    }

    /// Where the selected query's numbers go: beside the heatmap; in the projector layout below it
    /// when at least `minimumDetailsLines` are left, else nowhere (`isEmpty`).
    var detailsArea: Rect {
        if state.explore.projector { return detailsBelow ?? Rect(x: 0, y: body.maxY, width: 0, height: 0) }
        let x = heatmapArea.maxX + 2
        return Rect(x: x, y: body.y, width: state.width - x - 1, height: body.height)
    }

    /// Whether the numbers pane sits beside the heatmap (false: below it, or left out).
    var detailsBeside: Bool { !state.explore.projector }

    static let minimumDetailsLines = 8

    /// The lines the projector layout's heatmap takes when given the whole body: its column
    /// labels, its rows, and the lines under them, down to its caption.
    var projectorHeatmapLines: Int {
        let whole = Rect(x: 1, y: body.y + 1, width: state.width - 2, height: body.height - 1)
        guard let map = heatmap(in: whole) else { return 0 }
        let layout = map.layout(in: whole)
        let last = [layout.captionLine, layout.legendLine, layout.scrollLine].compactMap { $0 }.max() ?? layout.grid.maxY - 1
        return last - whole.y + 1
    }

    var columnLabelLines: Int { state.height < 30 ? 3 : 6 }

    /// Below the heatmap, after a rule, when enough lines are left.
    var detailsBelow: Rect? {
        let top = body.y + 1 + projectorHeatmapLines + 1
        let lines = body.maxY - top
        return lines >= Self.minimumDetailsLines ? Rect(x: 1, y: top, width: state.width - 2, height: lines) : nil
    }

    /// The tensor shown: one head of `<site>.<stage>`, `[T,S]`.
    var shownMatrix: Matrix? {
        guard let site = state.site, let tensor = state.session.tensor(state.explore.stage.point, at: site) else { return nil }
        return tensor.slice(min(state.selection.head, tensor.shape[0] - 1)).matrix
    }

    var heatmap: Heatmap? { heatmap(in: heatmapArea) }

    /// The heatmap as drawn in `area` (its cell width depends on the room there).
    func heatmap(in area: Rect) -> Heatmap? {
        guard let site = state.site, let values = shownMatrix else { return nil }
        let weights = state.explore.stage == .pattern
        var map = Heatmap(values: values, rowLabels: state.session.queryLabels(site: site),
                          columnLabels: state.session.keyLabels(site: site),
                          scale: weights ? theme.sequential : theme.diverging,
                          range: weights ? 0...1 : nil, theme: theme,
                          cursor: MatrixIndex(row: state.selection.query, column: state.selection.key),
                          origin: state.layout.heatmap?.origin ?? .zero)
        map.decimals = 4
        if weights, let masked = state.session.tensor(.masked, at: site) {
            map.hidden = masked.slice(min(state.selection.head, masked.shape[0] - 1)).scalars.map { $0 == -.infinity }
        }
        // On a small screen, column labels must not eat the rows.
        map.maxColumnLabelLines = columnLabelLines
        if state.explore.projector {
            // Bold labels and legend; cells as wide as fit, up to 5 columns (values with 2 decimals).
            map.theme.text = map.theme.text.adding(.bold)
            map.theme.dim = map.theme.dim.adding(.bold)
        }
        // Cells at least two columns wide when they fit: one-column cells hide the labels.
        let labels = min(map.maxLabelWidth, (map.rowLabels.map { DisplayWidth.of($0) }.max() ?? 0)) + 1
        let fit = (area.width - labels) / max(1, values.columns)
        if fit >= 2 && fit < 5 && values.rows <= area.height - 6 { map.mode = .cells(width: fit) }
        if state.explore.overview { map.mode = theme.usesColor ? .compact : .cells(width: 1) }
        return map
    }
}
