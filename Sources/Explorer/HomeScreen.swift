import Lessons
import Terminal
import Transformer

/// The first screen: what the program is, and where to go — explore, a lesson (with progress), a model.
struct HomeScreen {
    let state: Scene
    let theme: Theme

    func render(into canvas: inout Canvas) {
        canvas.fill(Rect(x: 0, y: 0, width: state.width, height: 1), with: Cell(" ", style: theme.statusBar))
        canvas.write(" Transformer Explorer", x: 0, y: 0, style: theme.statusBar.adding(.bold))
        let intro = """
            Watch a transformer think, one step at a time, with the real numbers. Type a sentence, \
            then walk through what each attention head computes: queries, keys, scores, softmax \
            weights and the weighted sum.
            """
        TextPanel(text: intro, theme: theme).render(into: &canvas, area: Rect(x: 2, y: 2, width: min(76, state.width - 4), height: 3))
        let progress = state.progress
        // Each line's detail is given long form first, then shorter ones for narrow terminals.
        var lines: [(text: String, detail: [String], item: Int?)] = []
        var heading: String?
        for (n, item) in state.homeItems.enumerated() {
            switch item {
            case .explore:
                lines.append(("Start", [], nil))
                lines.append(("Explore \(state.session.loaded.name) on your sentence",
                              ["attention heatmaps with every number", "every number shown", "heatmaps"], n))
            case .lesson(let lesson):
                if heading != "lessons" { heading = "lessons"; lines.append(("", [], nil)); lines.append(("Lessons", [], nil)) }
                let saved = progress?.lessons[lesson.id]
                let status = saved.map { $0.isComplete(steps: lesson.steps) ? "✓ done" : "step \($0.reached + 1)/\(lesson.steps)" }
                    ?? "\(lesson.steps) steps"
                lines.append((lesson.title, [status], n))
            case .model(let entry):
                if heading != "models" { heading = "models"; lines.append(("", [], nil)); lines.append(("Models (Enter opens one on your sentence)", [], nil)) }
                let open = entry.name == state.run?.model ? " (open)" : ""
                lines.append((entry.name + open, [(entry.bundled ? "bundled · " : "yours · ") + entry.architecture, entry.architecture], n))
            }
        }
        // Scroll so the chosen line shows.
        let top = 6, rows = state.height - 2 - top
        let chosenLine = lines.firstIndex { $0.item == state.home.chosen } ?? 0
        let first = max(0, min(chosenLine - rows / 2, lines.count - rows))
        for (offset, line) in lines.dropFirst(first).prefix(rows).enumerated() {
            let y = top + offset
            guard let item = line.item else {
                canvas.write(line.text, x: 2, y: y, style: theme.accent.adding(.bold))
                continue
            }
            let selected = item == state.home.chosen
            let written = canvas.write((selected ? "› " : "  ") + line.text, x: 3, y: y,
                                       style: selected ? theme.cursor : theme.text, maxWidth: 46)
            let x = 3 + max(written, 40) + 2
            canvas.write(firstFitting: line.detail, x: x, y: y, style: theme.dim, maxWidth: max(0, state.width - x - 1))
        }
    }
}
