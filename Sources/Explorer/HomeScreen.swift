import Terminal
import Transformer

/// The first screen: what the program is, and where to go.
struct HomeScreen {
    let state: AppState
    let theme: Theme

    /// The items' lines, the first being "explore the current model".
    var items: [(title: String, detail: String)] {
        [("Explore \(state.session.loaded.name) on your sentence", "attention heatmaps with every number")]
            + state.models.map { ($0.name, ($0.bundled ? "bundled · " : "yours · ") + $0.architecture) }
    }

    func render(into canvas: inout Canvas) {
        canvas.fill(Rect(x: 0, y: 0, width: state.width, height: 1), with: Cell(" ", style: theme.statusBar))
        canvas.write(" Transformer Explorer", x: 0, y: 0, style: theme.statusBar.adding(.bold))
        let intro = """
            Watch a transformer think, one step at a time, with the real numbers. Type a sentence, \
            then walk through what each attention head computes: queries, keys, scores, softmax \
            weights and the weighted sum.
            """
        TextPanel(text: intro, theme: theme).render(into: &canvas, area: Rect(x: 2, y: 2, width: min(76, state.width - 4), height: 3))
        var y = 6
        canvas.write("Start", x: 2, y: y, style: theme.accent.adding(.bold))
        y += 1
        for (n, item) in items.enumerated() {
            if n == 1 {
                y += 1
                canvas.write("Models (Enter opens one on your sentence)", x: 2, y: y, style: theme.accent.adding(.bold))
                y += 1
            }
            guard y < state.height - 2 else { break }
            let selected = n == state.homeSelection
            let style = selected ? theme.cursor : theme.text
            let marker = selected ? "›" : " "
            let current = n > 0 && state.models[n - 1].name == state.session.loaded.name ? " (open)" : ""
            let written = canvas.write("\(marker) \(item.title)\(current)", x: 3, y: y, style: style, maxWidth: 44)
            canvas.write(item.detail, x: 3 + max(written, 30) + 2, y: y, style: theme.dim, maxWidth: state.width - 40)
            y += 1
        }
    }
}
