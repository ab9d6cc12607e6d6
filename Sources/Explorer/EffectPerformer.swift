import Foundation
import Lessons
import Transformer

/// What effects need from the world: how to load a model by name, the lessons, where progress is
/// kept, and how to run a model (tests pass a slow or counting one).
public struct ExplorerEnvironment: Sendable {
    public var load: @Sendable (String) throws -> LoadedModel
    public var lessons: [Lesson]
    public var progress: ProgressStore?
    public var inspect: @Sendable (LoadedModel, RunInput) throws -> Inspection
    /// Where `P` saves the screen (the current folder), and the clock that names the files.
    public var screenFolder: String
    public var now: @Sendable () -> Date
    /// Loads a model by name telling the reporter how its file loads; nil: `load`, with no progress.
    public var loadReporting: (@Sendable (String, LoadProgressReporter) throws -> LoadedModel)?
    /// From what size of a model file's tensors a load shows its progress (`LoadProgressReporter.threshold`).
    public var progressThreshold = LoadProgressReporter.defaultThreshold

    public init(load: @escaping @Sendable (String) throws -> LoadedModel, lessons: [Lesson] = [], progress: ProgressStore? = nil,
                inspect: @escaping @Sendable (LoadedModel, RunInput) throws -> Inspection = ExplorerEnvironment.inspect,
                screenFolder: String = FileManager.default.currentDirectoryPath, now: @escaping @Sendable () -> Date = { Date() }) {
        self.load = load; self.lessons = lessons; self.progress = progress; self.inspect = inspect
        self.screenFolder = screenFolder; self.now = now
    }

    /// Runs the model on the input as the screens need it (every hook; `attn.weighted` up to the usual length).
    public static let inspect: @Sendable (LoadedModel, RunInput) throws -> Inspection = { loaded, input in
        try Inspection(loaded, text: input.text, target: input.target?.isEmpty == true ? nil : input.target, mask: input.mask)
    }
}

/// Performs one effect, waiting for it, and says what came of it as messages. The runner calls it
/// off the UI thread; tests call it directly.
public struct EffectPerformer: Sendable {
    public let store: RunStore
    public let environment: ExplorerEnvironment

    public init(store: RunStore, environment: ExplorerEnvironment) {
        self.store = store
        self.environment = environment
    }

    /// `post` hears the messages that come before the answer (a large model file's loading progress).
    public func perform(_ effect: Effect, post: @escaping @Sendable (Message) -> Void = { _ in }) -> [Message] {
        switch effect {
        case .run(let request): return [run(request, post: post)]
        case .evaluateStep(let request): return evaluate(request).map { [.stepEvaluated($0)] } ?? []
        case .loadProgress: return progress { try $0.load() }
        case .saveStep(let lesson, let step): return progress { _ = try $0.record(lesson: lesson, step: step); return try $0.load() }
        case .saveAnswer(let lesson, let quiz, let answer, let correct):
            return progress { _ = try $0.record(lesson: lesson, quiz: quiz, answer: answer, correct: correct); return try $0.load() }
        case .keepRun(let id):
            store.keep(id)
            return []
        case .saveScreen(let state): return [saveScreen(state)]
        }
    }

    /// Loads the model when needed and runs it; the run goes into the store under the request's id.
    func run(_ request: RunRequest, post: @escaping @Sendable (Message) -> Void = { _ in }) -> Message {
        let name = request.input.model
        do {
            let loaded: LoadedModel
            if let kept = store.model(name) { loaded = kept } else {
                if let loadReporting = environment.loadReporting {
                    let reporter = LoadProgressReporter(threshold: environment.progressThreshold) { progress in
                        post(.loading(id: request.id, progress: progress))
                    }
                    loaded = try loadReporting(name, reporter)
                } else {
                    loaded = try environment.load(name)
                }
                store.put(model: loaded, as: name)
            }
            let inspection = try environment.inspect(loaded, request.input)
            store.put(run: RunStore.Run(loaded: loaded, inspection: inspection), id: request.id)
            return .ran(Self.summary(of: inspection, loaded: loaded, request: request))
        } catch {
            return .runFailed(id: request.id, model: name, reason: "\(error)")
        }
    }

    /// What the state keeps of a run.
    static func summary(of inspection: Inspection, loaded: LoadedModel, request: RunRequest) -> RunSummary {
        let config = loaded.config
        let encoderDecoder = config.architecture == .encoderDecoder
        let recorded = Dictionary(uniqueKeysWithValues: inspection.result.cache.shapes.map { ($0.name, $0.shape) })
        let sites: [AttentionSite] = config.attentionSites.compactMap { site in
            guard let pattern = config.hook(.pattern, at: site), let shape = recorded[pattern.name], shape.count == 3 else { return nil }
            return AttentionSite(site: site, heads: shape[0], queries: shape[1], keys: shape[2])
        }
        return RunSummary(id: request.id, input: request.input, model: request.input.model, architecture: config.architecture.rawValue,
                          mask: inspection.mask, tokens: inspection.tokens.map(\.text),
                          decoderTokens: inspection.decoderTokens?.map(\.text), sites: sites,
                          layers: max(config.nLayers, encoderDecoder ? config.decoderLayers : 0), vocabulary: config.vocabSize)
    }

    /// Evaluates a lesson step on a run: the selection the step starts from (the `@select`s of the
    /// steps up to it, over the lesson's default), the learner's own choices kept where the step lets
    /// them be made, then the step's prose, pictures and quizzes on that selection.
    func evaluate(_ request: StepRequest) -> StepResult? {
        guard let lesson = environment.lessons.first(where: { $0.id == request.lesson }), let run = store.run(request.run),
              lesson.steps.indices.contains(request.step) else { return nil }
        let base = LessonContext(loaded: run.loaded, inspection: run.inspection)
        let load = environment.load
        func context(_ index: Int) -> LessonContext {
            let step = lesson.steps[index]
            guard step.model != nil || step.mask != nil else { return base }
            return store.stepContext(run: request.run, step: "\(index)") {
                (try? LessonRuntime.context(for: step, from: base, load: load)) ?? base
            }
        }
        var start = Selection(layer: 0, head: 0, query: max(0, base.tokens.count - 1), key: 0)
        for index in 0...request.step {
            start = LessonRuntime.startingSelection(for: lesson.steps[index], in: context(index), current: start).0
        }
        let step = lesson.steps[request.step]
        let stepRun = context(request.step)
        var kept = request.learnerParts.filter { step.controls.contains($0.control) }
        if request.entering { kept.subtract(Self.parts(namedBy: step.selection)) }
        var selection = start
        for part in kept { selection[part] = request.selection[part] }
        selection = selection.clamped(in: stepRun)
        // The step's second sentence (`@compare`), run once per run of the first and kept beside it.
        let compared: LessonContext? = step.compare == nil ? nil : store.stepContextIfMade(run: request.run, step: "\(request.step)/compare") {
            try? LessonRuntime.comparedContext(for: step, beside: stepRun)
        }
        let evaluated = LessonRuntime.evaluate(lesson, step: request.step, in: stepRun, selection: selection, compared: compared)
        return StepResult(id: request.id, selection: selection, learnerParts: kept, evaluated: evaluated)
    }

    /// The parts a step's `@select` sets.
    static func parts(namedBy spec: SelectionSpec?) -> Set<SelectionPart> {
        guard let spec else { return [] }
        var parts = Set<SelectionPart>()
        if spec.layer != nil { parts.insert(.layer) }
        if spec.head != nil { parts.insert(.head) }
        if spec.query != nil { parts.insert(.query) }
        if spec.key != nil { parts.insert(.key) }
        if spec.temperature != nil { parts.insert(.temperature) }
        if spec.k != nil { parts.insert(.k) }
        return parts
    }

    /// Runs `body` on the progress store, answering with the progress it gives or the failure.
    func progress(_ body: (ProgressStore) throws -> Lessons.Progress) -> [Message] {
        guard let store = environment.progress else { return [] }
        do { return [.progressLoaded(try body(store))] } catch { return [.progressFailed("\(error)")] }
    }
}

extension Selection {
    /// One part of the selection, by name.
    subscript(part: SelectionPart) -> Double {
        get {
            switch part {
            case .layer: return Double(layer)
            case .head: return Double(head)
            case .query: return Double(query)
            case .key: return Double(key)
            case .temperature: return temperature
            case .k: return Double(k)
            }
        }
        set {
            switch part {
            case .layer: layer = Int(newValue)
            case .head: head = Int(newValue)
            case .query: query = Int(newValue)
            case .key: key = Int(newValue)
            case .temperature: temperature = newValue
            case .k: k = Int(newValue)
            }
        }
    }
}
