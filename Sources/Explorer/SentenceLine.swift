import Terminal

/// The line that shows the learner's sentence (and the edit cursor while editing), scrolled so the
/// cursor stays visible in a long sentence.
struct SentenceLine {
    let state: AppState
    let y = 1
    var label: String { state.editor == nil ? "sentence: " : "editing:  " }
    var textX: Int { 1 + DisplayWidth.of(label) }
    var text: String { state.editor?.text ?? state.input.text }
    var available: Int { max(1, state.width - textX - 1) }

    /// Columns scrolled off the left so the cursor fits.
    var scroll: Int {
        guard let editor = state.editor else { return 0 }
        return max(0, editor.cursorColumn - available + 1)
    }

    func render(into canvas: inout Canvas, theme: Theme) {
        canvas.write(label, x: 1, y: y, style: theme.dim)
        var visible = text
        var dropped = 0
        while dropped < scroll, let first = visible.first {
            dropped += DisplayWidth.of(first)
            visible.removeFirst()
        }
        let style = state.editor == nil ? theme.text.adding(.bold) : theme.highlight
        let written = canvas.write(visible, x: textX, y: y, style: style, maxWidth: available)
        if state.editor == nil && DisplayWidth.of(visible) > written {
            canvas.write("…", x: textX + available - 1, y: y, style: theme.dim)
        }
        if let target = state.input.target, state.editor == nil, !target.isEmpty {
            canvas.write("  → " + target, x: min(state.width - 2, textX + written), y: y, style: theme.dim,
                         maxWidth: max(0, state.width - textX - written - 1))
        }
    }
}
