import Foundation
import Lessons
import Transformer

/// The models and runs the app has made, by the names and ids the state holds: the runner writes
/// them, `view` reads them. A class because both sides share one store; a lock makes each access
/// atomic, and what it hands out are immutable values.
public final class RunStore: @unchecked Sendable {
    /// A run kept in the store: the model it ran on (as loaded) and what it recorded.
    public struct Run: Sendable {
        public let loaded: LoadedModel
        public let inspection: Inspection
    }

    private let lock = NSLock()
    private var models: [String: LoadedModel] = [:]
    private var runs: [Int: Run] = [:]
    private var stepContexts: [String: LessonContext] = [:]
    /// A run kept whatever comes after it (one pinned for comparison).
    private var kept: Int?
    /// How many runs are kept (the newest); the state only ever names the latest one or two.
    public let keptRuns: Int

    public init(keptRuns: Int = 4) { self.keptRuns = keptRuns }

    /// A loaded model by the name it was asked for.
    public func model(_ name: String) -> LoadedModel? { lock.withLock { models[name] } }

    public func put(model: LoadedModel, as name: String) { lock.withLock { models[name] = model } }

    /// A run by id.
    public func run(_ id: Int) -> Run? { lock.withLock { runs[id] } }

    /// Keeps a run, dropping the oldest beyond `keptRuns` and the step runs made from them.
    public func put(run: Run, id: Int) {
        lock.withLock {
            runs[id] = run
            let stale = runs.keys.filter { $0 != kept }.sorted().dropLast(keptRuns)
            for old in stale {
                runs[old] = nil
                stepContexts = stepContexts.filter { !$0.key.hasPrefix("\(old)/") }
            }
        }
    }

    /// Like `stepContext`, for a run that may not be made (nothing is kept then).
    func stepContextIfMade(run id: Int, step: String, make: () -> LessonContext?) -> LessonContext? {
        let key = "\(id)/\(step)"
        if let kept = lock.withLock({ stepContexts[key] }) { return kept }
        guard let made = make() else { return nil }
        lock.withLock { stepContexts[key] = made }
        return made
    }

    /// Keeps run `id` beyond the newest `keptRuns` (nil: keep none beyond them).
    public func keep(_ id: Int?) { lock.withLock { kept = id } }

    /// A lesson step's own run (on its `@model` or with its `@mask`), made from run `id`, kept until the run goes.
    func stepContext(run id: Int, step: String, make: () -> LessonContext) -> LessonContext {
        let key = "\(id)/\(step)"
        if let kept = lock.withLock({ stepContexts[key] }) { return kept }
        let made = make()
        lock.withLock { stepContexts[key] = made }
        return made
    }

    /// The session a frame shows for `state`: the run on screen and its model, or the model asked for
    /// before any run landed.
    public func session(for state: AppState) -> ModelSession? {
        let run = state.run.flatMap { self.run($0.id) }
        guard let loaded = run?.loaded ?? model(state.input.model) else { return nil }
        return ModelSession(loaded: loaded, inspection: run?.inspection, text: state.editor?.text ?? state.input.text,
                            target: state.input.target, problem: state.problem)
    }
}
