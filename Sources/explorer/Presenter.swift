import Classroom
import Explorer
import Foundation
import Terminal
import TerminalCurses

/// The teacher's terminal loop while presenting: the app drawn one line shorter, the presenter's bar
/// under it, each changed frame published to the followers, and the presenter's own keys.
final class Presenter {
    let program: Program
    let terminal: CursesTerminal
    let classroom: Classroom
    let addresses: [String]
    let code: String
    private var showCounts = false

    init(program: Program, terminal: CursesTerminal, classroom: Classroom, addresses: [String], code: String) {
        self.program = program; self.terminal = terminal; self.classroom = classroom; self.addresses = addresses; self.code = code
    }

    func loop() {
        resize(width: terminal.width, height: terminal.height)
        var dirty = true
        var lastState = program.state
        var changedAt = epochMilliseconds()
        var lastPublished: Canvas?
        var lastCounts = (0, 0)
        while !program.state.quit && !terminal.interrupted {
            if program.state != lastState {
                lastState = program.state
                changedAt = epochMilliseconds()
            }
            let counts = classroom.counts
            if counts != lastCounts { lastCounts = counts; dirty = true }
            if dirty {
                var app = program.frame()
                if showCounts, let lesson = program.state.lesson, program.state.screen == .lesson {
                    QuizCountsBox(counts: classroom.quizCounts(lesson: lesson.id, quizzes: lesson.quizzes.map(\.id)))
                        .render(into: &app)
                }
                if app != lastPublished {
                    lastPublished = app
                    classroom.publish(state: program.state, store: program.store, canvas: app, changedAt: changedAt)
                }
                terminal.present(compose(app, counts: counts))
                if let cursor = cursorPosition(program.state) { terminal.showCursor(at: cursor.x, y: cursor.y) } else { terminal.hideCursor() }
                dirty = false
            }
            let event = terminal.nextEvent(timeoutMilliseconds: program.isBusy ? 8 : 100)
            if let event {
                handle(event)
                dirty = true
            }
            if program.pump() { dirty = true }
        }
    }

    private func handle(_ event: Event) {
        switch event {
        case .key(PresenterBar.lockKey): classroom.setLocked(!classroom.isLocked)
        case .key(PresenterBar.countsKey): showCounts.toggle()
        case .resize(let width, let height): resize(width: width, height: height)
        default: program.send(.event(event))
        }
    }

    /// The app gets every line but the last, which is the presenter's bar.
    private func resize(width: Int, height: Int) {
        program.send(.event(.resize(width: width, height: max(1, height - 1))))
    }

    private func compose(_ app: Canvas, counts: (following: Int, exploring: Int)) -> Canvas {
        var screen = Canvas(width: terminal.width, height: terminal.height)
        for y in 0..<min(app.height, screen.height) {
            for x in 0..<min(app.width, screen.width) { screen[x, y] = app[x, y] }
        }
        PresenterBar(addresses: addresses, code: code, following: counts.following, exploring: counts.exploring,
                     locked: classroom.isLocked).render(into: &screen, y: screen.height - 1)
        return screen
    }
}
