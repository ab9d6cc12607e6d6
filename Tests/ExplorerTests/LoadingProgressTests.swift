import Foundation
import Testing
@testable import Explorer
import Terminal
import Transformer

/// A model the app opens shows its file's loading on the status line: the performer posts each
/// progress step as a message before the answer, and `update` keeps only the pending run's.
@Suite struct LoadingProgress {
    /// Messages posted by a performer, in order.
    final class Posted: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [Message] = []
        var messages: [Message] { lock.withLock { list } }
        func post(_ message: Message) { lock.withLock { list.append(message) } }
    }

    static func environment(threshold: Int) -> ExplorerEnvironment {
        var environment = ExplorerEnvironment(load: { try Fixtures.model($0) })
        environment.loadReporting = { name, reporter in
            try ModelDirectory.load(path: Fixtures.root + "/Models/\(name)", name: name, bundled: true, progress: reporter)
        }
        environment.progressThreshold = threshold
        return environment
    }

    @Test func switchingModelsPostsTheLoadingAndTheStatusLineShowsIt() throws {
        let app = try Fixtures.app()
        var state = app.state
        let effects = switchModel(&state, to: "tiny-llama")
        guard case .run(let request)? = effects.first else { Issue.record("a run asked for: \(effects)"); return }
        let posted = Posted()
        let performer = EffectPerformer(store: app.program.store, environment: Self.environment(threshold: 0))
        let answers = performer.perform(.run(request)) { posted.post($0) }
        let steps: [LoadProgress] = posted.messages.compactMap {
            if case .loading(let id, let progress) = $0, id == request.id { return progress } else { return nil }
        }
        #expect(steps.count == posted.messages.count && steps.count >= 3, "\(posted.messages)")
        #expect(steps.first?.done == 0 && steps.last.map { $0.done == $0.total } == true)
        #expect(zip(steps, steps.dropFirst()).allSatisfy { $0.done < $1.done })

        // Halfway through: the status line says how far, instead of "running…".
        let half = LoadProgress(done: 45, total: 100)
        _ = update(&state, .loading(id: request.id, progress: half))
        #expect(state.loading == half)
        let text = view(state, store: app.program.store).canvas.text
        #expect(text.contains("loading 45%") && !text.contains("running…"), "\(text)")
        // A stale run's progress is ignored; the answer clears it.
        _ = update(&state, .loading(id: request.id - 1, progress: LoadProgress(done: 90, total: 100)))
        #expect(state.loading == half)
        for answer in answers { _ = update(&state, answer) }
        #expect(state.loading == nil && state.run?.model == "tiny-llama" && !state.isRunning)
    }

    @Test func aSmallFilePostsNothing() throws {
        let app = try Fixtures.app()
        var state = app.state
        guard case .run(let request)? = switchModel(&state, to: "tiny-llama").first else { Issue.record("no run"); return }
        let posted = Posted()
        let performer = EffectPerformer(store: app.program.store,
                                        environment: Self.environment(threshold: LoadProgressReporter.defaultThreshold))
        let answers = performer.perform(.run(request)) { posted.post($0) }
        #expect(posted.messages.isEmpty)
        guard case .ran? = answers.first else { Issue.record("\(answers)"); return }
    }
}
