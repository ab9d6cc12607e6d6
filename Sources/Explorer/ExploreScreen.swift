import Tensor
import Terminal
import Transformer

/// The explore screen: one attention head of the learner's sentence as a heatmap, and beside it the
/// selected query's numbers through the six steps.
struct ExploreScreen {
    let state: Scene
    let theme: Theme

    /// Draws the screen; returns where the heatmap went (nil when nothing was recorded).
    @discardableResult
    func render(into canvas: inout Canvas) -> HeatmapLayout? {
        let layout = ExploreLayout(state)
        TitleBar(state: state, theme: theme).render(into: &canvas)
        SentenceLine(state: state.app).render(into: &canvas, theme: theme)
        if let problem = state.session.problem {
            canvas.write("⚠ " + problem + " (showing the last sentence that ran)", x: 1, y: 2,
                         style: theme.accent, maxWidth: state.width - 2)
        } else if let pinned = state.explore.pinned {
            canvas.write(pinnedNote(pinned), x: 1, y: 2, style: theme.dim, maxWidth: state.width - 2)
        }
        if let site = state.site, let pinned = ExploreComparison.applies(state) {
            return ExploreComparison(state: state, pinned: pinned, site: site, theme: theme).render(into: &canvas, body: layout.body)
        }
        guard let heatmap = layout.heatmap, let site = state.site else {
            canvas.write("nothing recorded for this sentence", x: 1, y: layout.body.y + 1, style: theme.dim)
            return nil
        }
        let head = state.selection.head, stage = state.explore.stage, pane = state.explore.pane
        canvas.write(firstFitting: ["\(site.name) · head \(head) · \(stage.title)",
                                    "\(site.name) · head \(head) · \(stage.shortTitle)",
                                    "\(site.name) · h\(head) · \(stage.shortTitle)"],
                     x: 1, y: layout.body.y, style: pane == .heatmap ? theme.accent : theme.dim,
                     maxWidth: layout.heatmapArea.width)
        heatmap.render(into: &canvas, area: layout.heatmapArea)
        let details = layout.detailsArea
        if layout.detailsBeside {
            for y in details.y..<details.maxY {
                canvas.write("│", x: details.x - 1, y: y, style: pane == .details ? theme.accent : theme.border)
            }
        } else if !details.isEmpty {
            canvas.write(String(repeating: "─", count: state.width), x: 0, y: details.y - 1,
                         style: pane == .details ? theme.accent : theme.border)
        }
        if !details.isEmpty { QueryDetails(state: state, site: site, theme: theme).render(into: &canvas, area: details) }
        return heatmap.layout(in: layout.heatmapArea)
    }
}

extension ExploreScreen {
    /// The line under the sentence while a sentence is pinned.
    func pinnedNote(_ pinned: RunSummary) -> String {
        if pinned.model != state.session.loaded.name && pinned.model != state.input.model {
            return "pinned: \"\(pinned.input.text)\" ran on \(pinned.model), not this model · p unpins"
        }
        if pinned.id == state.run?.id { return "pinned: \"\(pinned.input.text)\" · edit the sentence (e) to compare · p unpins" }
        return "pinned: \"\(pinned.input.text)\""
    }
}

/// The top line: what is shown, of which model.
struct TitleBar {
    let state: Scene
    let theme: Theme

    func render(into canvas: inout Canvas) {
        canvas.fill(Rect(x: 0, y: 0, width: state.width, height: 1), with: Cell(" ", style: theme.statusBar))
        let config = state.session.loaded.config
        var parts = ["Transformer Explorer", state.session.loaded.name, config.architecture.rawValue]
        if let inspection = state.session.inspection {
            parts.append("mask \(inspection.mask)")
            parts.append("\(inspection.tokens.count) tokens")
        }
        // On a narrow terminal the program's name goes first, then the words "mask" and "tokens".
        let short = Array(parts.dropFirst())
        let shortest = short.map { $0.replacingOccurrences(of: "mask ", with: "").replacingOccurrences(of: " tokens", with: " tok") }
        canvas.write(firstFitting: [parts, short, shortest].map { " " + $0.joined(separator: " · ") }, x: 0, y: 0,
                     style: theme.statusBar.adding(.bold), maxWidth: state.width)
    }
}
