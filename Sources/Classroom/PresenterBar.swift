import Terminal

/// The teacher's extra line under the app while presenting: where to join, the code, how many follow
/// and explore, whether following is locked, and the presenter's keys.
public struct PresenterBar {
    public var addresses: [String]
    public var code: String
    public var following: Int
    public var exploring: Int
    public var locked: Bool

    public init(addresses: [String], code: String, following: Int, exploring: Int, locked: Bool) {
        self.addresses = addresses; self.code = code; self.following = following; self.exploring = exploring; self.locked = locked
    }

    /// The presenter's keys.
    public static let lockKey = Key.function(2)
    public static let countsKey = Key.function(3)

    /// Writes the bar into row `y` of `canvas`: the longest form that fits, shorter ones dropping the
    /// keys, then the other addresses.
    public func render(into canvas: inout Canvas, y: Int) {
        let people = "\(following) following, \(exploring) exploring" + (locked ? " (locked)" : "")
        let keys = "F2 \(locked ? "unlock" : "lock to follow")  F3 quiz counts"
        let all = addresses.joined(separator: " ")
        let first = addresses.first ?? ""
        let forms = [
            " join: \(all)  code \(code) │ \(people) │ \(keys)",
            " join: \(all)  code \(code) │ \(people)",
            " join: \(first)  code \(code) │ \(people)",
            " \(first)  code \(code) │ \(following)+\(exploring)",
        ]
        let style = Style(foreground: .black, background: .cyan)
        canvas.fill(Rect(x: 0, y: y, width: canvas.width, height: 1), with: Cell(" ", style: style))
        canvas.write(firstFitting: forms, x: 0, y: y, style: style, maxWidth: canvas.width)
    }
}

/// The quiz counts a teacher shows on the projector: per quiz of the step, how many answered and how
/// many were right, anonymous.
public struct QuizCountsBox {
    public var counts: [Classroom.QuizCount]

    public init(counts: [Classroom.QuizCount]) { self.counts = counts }

    /// Draws a box in the top right corner of `canvas`.
    public func render(into canvas: inout Canvas) {
        let lines = counts.isEmpty ? ["no quiz on this step"]
            : counts.map { "quiz \($0.quiz): \($0.answered) answered, \($0.right) right" }
        let title = " answers (F3 hides) "
        let width = min(canvas.width, max(DisplayWidth.of(title), lines.map(DisplayWidth.of).max() ?? 0) + 4)
        let height = min(canvas.height, lines.count + 2)
        let area = Rect(x: canvas.width - width, y: 0, width: width, height: height)
        let style = Style(foreground: .black, background: .yellow)
        canvas.fill(area, with: Cell(" ", style: style))
        canvas.write(title, x: area.x + 1, y: area.y, style: style.adding(.bold), maxWidth: width - 2)
        for (n, line) in lines.enumerated() where 1 + n < height - 1 {
            canvas.write(line, x: area.x + 2, y: area.y + 1 + n, style: style, maxWidth: width - 4)
        }
    }
}
