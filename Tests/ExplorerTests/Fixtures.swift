import Foundation
@testable import Explorer
import Lessons
import Terminal
import Transformer

/// The bundled models and a ready app, for the explorer's tests.
enum Fixtures {
    static let root: String = {
        var path = "\(#filePath)" as NSString
        for _ in 0..<3 { path = path.deletingLastPathComponent as NSString }
        return path as String
    }()

    static func model(_ name: String) throws -> LoadedModel {
        try ModelDirectory.load(path: root + "/Models/\(name)", name: name, bundled: true)
    }

    static let sentence = "the animal didn't cross the street because it was too tired"

    static let entries = [("tiny-gpt", "decoder"), ("tiny-bert", "encoder"), ("tiny-llama", "decoder"),
                          ("tiny-transformer", "encoder-decoder")].map {
        ModelCatalog.Entry(name: $0.0, architecture: $0.1, path: root + "/Models/\($0.0)", bundled: true)
    }

    /// An app on `model` and `text`, its first run landed, on `screen`.
    static func app(model: String = "tiny-gpt", text: String = sentence, screen: Screen = .explore,
                    width: Int = 120, height: Int = 40, theme: ThemeChoice = ThemeChoice(),
                    lessons: [Lesson] = [], progress: ProgressStore? = nil) throws -> TestApp {
        var state = AppState(input: RunInput(model: model, text: text), models: entries, width: width, height: height,
                             screen: screen, theme: theme)
        state.lessons = lessons.map(LessonEntry.init)
        let environment = ExplorerEnvironment(load: { try Fixtures.model($0) }, lessons: lessons, progress: progress)
        let app = TestApp(Program(state: state, store: RunStore(), environment: environment))
        app.program.apply { startingEffects(&$0) }
        app.program.settle()
        _ = app.program.frame()
        return app
    }
}

/// An app driven synchronously: each message's effects are performed, and their answers applied,
/// before the next one; a frame is drawn after each, as the terminal does.
final class TestApp {
    let program: Program
    init(_ program: Program) { self.program = program }

    var state: AppState { program.state }
    /// The model and run on screen.
    var session: ModelSession { program.store.session(for: state)! }

    /// Sends an event, waits for what it started, and draws the next frame.
    func send(_ event: Event) {
        program.send(.event(event))
        program.settle()
        _ = program.frame()
    }

    func press(_ key: Key) { send(.key(key)) }

    /// Changes the state directly (e.g. opening a lesson) and waits for what that started.
    func apply(_ change: (inout AppState) -> [Effect]) {
        program.apply(change)
        program.settle()
        _ = program.frame()
    }

    func view() -> Canvas { program.frame() }
}
