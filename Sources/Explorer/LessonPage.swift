import Lessons
import Terminal
import Transformer

/// The lesson screen: the step's prose, visualisations and quizzes as one page that scrolls,
/// under a title line and the learner's sentence.
struct LessonPage {
    let state: Scene
    let lesson: LessonState
    var theme: Theme { state.theme }

    /// The page's area: below the title, the sentence and the step's title; above the status bar.
    var area: Rect { Rect(x: 2, y: 4, width: state.width - 4, height: state.height - 5) }

    /// Each block drawn at the page's width, with the index of the quiz it is, if any.
    var blocks: [(canvas: Canvas, quiz: Int?)] {
        guard let evaluated = lesson.evaluated else { return [] }
        var quizIndex = 0
        return evaluated.blocks.map { block in
            switch block {
            case .text(let text):
                return (LessonBlocks.text(text, width: area.width, theme: theme), nil)
            case .show(let shown):
                return (LessonBlocks.show(shown, width: area.width, theme: theme), nil)
            case .quiz(let quiz):
                defer { quizIndex += 1 }
                return (LessonBlocks.quiz(quiz, number: quizIndex, lesson: lesson, progress: state.progress,
                                                   width: area.width, theme: theme), quizIndex)
            }
        }
    }

    /// The whole page as one tall canvas (a blank line between blocks).
    var page: (canvas: Canvas, quizTops: [Int]) {
        let parts = blocks
        let height = parts.reduce(0) { $0 + $1.canvas.height + 1 }
        var page = Canvas(width: area.width, height: max(1, height))
        var y = 0
        var tops: [Int] = []
        for part in parts {
            if part.quiz != nil { tops.append(y) }
            page.draw(part.canvas, x: 0, y: y)
            y += part.canvas.height + 1
        }
        return (page, tops)
    }


    /// `T = 0.7 (t/T)   k = 6 (-/+)`: the temperature and k, with their keys, when the step lets the
    /// learner change them; empty otherwise.
    static func settings(_ lesson: LessonState, selection: Selection) -> String {
        var parts: [String] = []
        if lesson.allows(.temperature) { parts.append("T = \(selection.temperatureText) (t/T)") }
        if lesson.allows(.topK) { parts.append("k = \(selection.k) (-/+)") }
        return parts.joined(separator: "   ")
    }

    /// What the last line says at the end of the step: where Space goes.
    var endHint: String {
        guard lesson.step == lesson.stepCount - 1 else { return "end of the step: Space goes on" }
        return state.app.nextLesson(after: lesson.id).map { "end of the lesson: n opens \($0.title)" } ?? "end of the last lesson"
    }

    /// Draws the page; returns how far it is scrolled (after a jump to a quiz), how far it can be, and
    /// how many of its lines show at once.
    @discardableResult
    func render(into canvas: inout Canvas) -> (scroll: Int, maxScroll: Int, pageHeight: Int) {
        canvas.fill(Rect(x: 0, y: 0, width: state.width, height: 1), with: Cell(" ", style: theme.statusBar))
        var title = " Lesson · \(lesson.title) · step \(lesson.step + 1) of \(lesson.stepCount)"
        // A step on another model or with another mask says so.
        if let evaluated = lesson.evaluated {
            if evaluated.model != state.input.model { title += " · on \(evaluated.model)" }
            if let run = state.run, evaluated.mask != run.mask { title += " · mask \(evaluated.mask)" }
        }
        canvas.write(title, x: 0, y: 0, style: theme.statusBar.adding(.bold), maxWidth: state.width)
        SentenceLine(state: state.app).render(into: &canvas, theme: theme)
        if let problem = state.session.problem {
            canvas.write("⚠ " + problem, x: 1, y: 2, style: theme.accent, maxWidth: state.width - 2)
        }
        // The sampling settings the step lets the learner turn, at the right of the step's title.
        let settings = Self.settings(lesson, selection: state.selection)
        let settingsWidth = settings.isEmpty ? 0 : DisplayWidth.of(settings) + 2
        canvas.write(lesson.evaluated?.title ?? "", x: 2, y: 3, style: theme.accent.adding(.bold),
                     maxWidth: max(0, state.width - 4 - settingsWidth))
        if !settings.isEmpty {
            canvas.write(settings, x: max(2, state.width - 2 - DisplayWidth.of(settings)), y: 3, style: theme.accent,
                         maxWidth: state.width - 4)
        }
        let (whole, quizTops) = page
        // A page longer than the area keeps the area's last line for the line that says so.
        let visible = whole.height > area.height ? area.height - 1 : area.height
        let maxScroll = max(0, whole.height - visible)
        let wanted = lesson.scrollToQuiz.map { quizTops.indices.contains($0) ? quizTops[$0] : 0 } ?? lesson.scroll
        let first = min(max(0, wanted), maxScroll)
        for row in 0..<min(visible, whole.height - first) {
            for column in 0..<whole.width {
                canvas[area.x + column, area.y + row] = whole[column, first + row]
            }
        }
        if whole.height < area.height && lesson.step == lesson.stepCount - 1 {
            canvas.write(endHint, x: max(area.x, area.maxX - DisplayWidth.of(endHint)), y: area.maxY - 1, style: theme.dim)
        }
        if whole.height > area.height {
            let hint = first < maxScroll ? "↓ more: Space or J scrolls" : endHint
            canvas.write(hint, x: max(area.x, area.maxX - DisplayWidth.of(hint)), y: area.maxY - 1, style: theme.dim)
        }
        return (first, maxScroll, visible)
    }
}
