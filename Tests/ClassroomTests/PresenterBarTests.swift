import Classroom
import Terminal
import Testing

@Suite struct PresenterLines {
    static func row(_ canvas: Canvas, _ y: Int) -> String {
        (0..<canvas.width).map { canvas[$0, y].text }.joined().trimmingCharacters(in: .whitespaces)
    }

    @Test func theBarSaysWhereToJoinTheCodeAndWhoFollowsShorterWhenNarrow() {
        let bar = PresenterBar(addresses: ["http://192.168.1.20:8080/", "http://10.0.0.5:8080/"], code: "k7pq2x",
                               following: 27, exploring: 3, locked: false)
        var wide = Canvas(width: 160, height: 2)
        bar.render(into: &wide, y: 1)
        #expect(Self.row(wide, 1) == "join: http://192.168.1.20:8080/ http://10.0.0.5:8080/  code k7pq2x │ 27 following, 3 exploring │ F2 lock to follow  F3 quiz counts")
        var narrow = Canvas(width: 80, height: 1)
        bar.render(into: &narrow, y: 0)
        #expect(Self.row(narrow, 0) == "join: http://192.168.1.20:8080/  code k7pq2x │ 27 following, 3 exploring")
        var locked = bar
        locked.locked = true
        var canvas = Canvas(width: 160, height: 1)
        locked.render(into: &canvas, y: 0)
        #expect(Self.row(canvas, 0).contains("3 exploring (locked) │ F2 unlock"))
    }

    @Test func quizCountsShowEachQuizOfTheStep() {
        var canvas = Canvas(width: 100, height: 10)
        QuizCountsBox(counts: [.init(quiz: "4.1", answered: 12, right: 9), .init(quiz: "4.2", answered: 3, right: 0)])
            .render(into: &canvas)
        #expect(Self.row(canvas, 0).hasSuffix("answers (F3 hides)"))
        #expect(Self.row(canvas, 1) == "quiz 4.1: 12 answered, 9 right")
        #expect(Self.row(canvas, 2) == "quiz 4.2: 3 answered, 0 right")
        var empty = Canvas(width: 100, height: 10)
        QuizCountsBox(counts: []).render(into: &empty)
        #expect(Self.row(empty, 1) == "no quiz on this step")
    }
}
