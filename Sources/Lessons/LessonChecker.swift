import Transformer

/// Checks a parsed lesson against a real run of its model on its input: every hook, parameter,
/// token and index it names must exist, every placeholder must give a number or a row, every number
/// quiz's answer must be one number. It evaluates each step exactly as the runtime will, with the
/// step's starting selection, and again for every layer and head when the learner may change them,
/// and at the lowest, the default and the highest temperature and k when they may turn those.
public enum LessonChecker {
    /// Loaded models by name, so that checking many lessons loads each model once.
    public struct Models {
        public let catalog: ModelCatalog
        var loaded: [String: Result<LoadedModel, ModelError>] = [:]

        public init(catalog: ModelCatalog = ModelCatalog()) { self.catalog = catalog }

        /// The model called `name` (a name from `explorer models` or a model directory, loaded as
        /// `--model` and `lessons preview` load it), or why it cannot be loaded.
        public mutating func load(_ name: String) -> Result<LoadedModel, ModelError> {
            if let done = loaded[name] { return done }
            let result: Result<LoadedModel, ModelError>
            do { result = .success(try catalog.load(name)) }
            catch let error as ModelError { result = .failure(error) }
            catch { result = .failure(.badInput("\(error)")) }
            loaded[name] = result
            return result
        }
    }

    /// Loads the lesson's model and checks the lesson on it.
    public static func check(_ lesson: Lesson, models: inout Models) -> [LessonDiagnostic] {
        switch models.load(lesson.model) {
        case .failure(let error):
            return [LessonDiagnostic(file: lesson.file, line: lesson.line(of: "model"), message: error.description)]
        case .success(let loaded):
            // The models steps name with @model, loaded here (a step's unknown model is its mistake).
            var others: [String: Result<LoadedModel, ModelError>] = [:]
            for name in Set(lesson.steps.compactMap(\.model?.name)) { others[name] = models.load(name) }
            let found = others
            return check(lesson, loaded: loaded) { name in
                guard let result = found[name] else { throw ModelError.badInput("unknown model '\(name)'") }
                return try result.get()
            }
        }
    }

    /// Runs `loaded` on the lesson's input (recording every hook) and checks the lesson on that run;
    /// `load` gives the models that steps name with `@model`.
    public static func check(_ lesson: Lesson, loaded: LoadedModel,
                             load: ((String) throws -> LoadedModel)? = nil) -> [LessonDiagnostic] {
        if lesson.target != nil && loaded.config.architecture != .encoderDecoder {
            return [LessonDiagnostic(file: lesson.file, line: lesson.line(of: "target"),
                                     message: "target is for encoder-decoder models; \(loaded.name) is a \(loaded.config.architecture.rawValue) model")]
        }
        let context: LessonContext
        do {
            context = try LessonContext(loaded: loaded, text: lesson.input, target: lesson.target)
        } catch {
            return [LessonDiagnostic(file: lesson.file, line: lesson.line(of: "input"),
                                     message: "\(loaded.name) cannot run on the input: \(error)")]
        }
        // The step's own mistakes first; the claims (`@expect`) are tested only on a lesson without them.
        let mistakes = check(lesson, context: context, load: load)
        guard mistakes.isEmpty else { return mistakes }
        return LessonExpectations.check(lesson, loaded: loaded, load: load).failures
            .map { LessonDiagnostic(file: lesson.file, line: $0.line, message: $0.message) }.sorted()
    }

    /// Checks every step of `lesson` on `context` (a run of the lesson's model), each step on the run
    /// `LessonRuntime.context(for:from:load:)` gives it (its `@model`, its `@mask`).
    public static func check(_ lesson: Lesson, context lessonContext: LessonContext,
                             load: ((String) throws -> LoadedModel)? = nil) -> [LessonDiagnostic] {
        var diagnostics: [LessonDiagnostic] = []
        var seen = Set<String>()
        func report(_ line: Int, _ message: String) {
            let key = "\(line)|\(message)"
            if seen.insert(key).inserted {
                diagnostics.append(LessonDiagnostic(file: lesson.file, line: line, message: message))
            }
        }
        var current: Selection?
        for (index, step) in lesson.steps.enumerated() {
            let context: LessonContext
            var compared: LessonContext?
            do {
                // A step with its own sentence (`@input`) runs on it.
                let base = try step.input.map {
                    try LessonContext(loaded: lessonContext.loaded, text: $0.text, target: lessonContext.inspection.target)
                } ?? lessonContext
                context = try LessonRuntime.context(for: step, from: base, load: load)
            } catch {
                report(step.model?.line ?? step.mask?.line ?? step.line,
                       "the step cannot run (model \(LessonRuntime.model(for: step, in: lesson)), mask \(step.mask.map { "\($0.mask)" } ?? "the model's own")): \(error)")
                continue
            }
            if let compare = step.compare {
                do { compared = try LessonRuntime.comparedContext(for: step, beside: context) } catch {
                    report(compare.line, "the @compare sentence cannot run on \(context.loaded.name): \(error)")
                    continue
                }
            }
            let (start, selectProblems) = LessonRuntime.startingSelection(for: step, in: context, current: current)
            current = start
            for problem in selectProblems { report(problem.line, problem.message) }
            let base = LessonRuntime.evaluate(lesson, step: index, in: context, selection: start, allBranches: true,
                                              compared: compared)
            var failing = Set<Int>()
            for problem in base.problems {
                report(problem.line, problem.message)
                failing.insert(problem.line)
            }
            // The learner may move to another layer or head, or turn the temperature or k: every
            // value must be there too. Variants that change fewer parts come first, so a mistake is
            // put down to the fewest parts that cause it.
            for variant in variants(of: start, controls: step.controls, in: context) {
                for problem in LessonRuntime.evaluate(lesson, step: index, in: context, selection: variant, allBranches: true,
                                                      compared: compared).problems
                where !failing.contains(problem.line) {
                    failing.insert(problem.line)
                    report(problem.line, "\(problem.message) (when the learner picks \(describe(variant, from: start)), which @controls allows)")
                }
            }
        }
        return diagnostics.sorted()
    }

    /// The selections a learner may reach from `start` on a step with `controls`, other than `start`:
    /// every layer and head they may pick, and the ends of the temperature's and k's ranges and their
    /// defaults; those changing fewer parts first.
    static func variants(of start: Selection, controls: [Control], in context: LessonContext) -> [Selection] {
        let counts = Selection.counts(in: context)
        func unique<T: Equatable>(_ values: [T]) -> [T] {
            values.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
        }
        let range = Selection.temperatureRange
        let layers = controls.contains(.layer) ? Array(0..<counts.layers) : [start.layer]
        let heads = controls.contains(.head) ? Array(0..<counts.heads) : [start.head]
        let temperatures = controls.contains(.temperature)
            ? unique([start.temperature, range.lowerBound, Selection.defaultTemperature, range.upperBound]) : [start.temperature]
        let ks = controls.contains(.topK)
            ? unique([start.k, 1, min(Selection.defaultK, counts.vocabulary), counts.vocabulary]) : [start.k]
        var all: [Selection] = []
        for layer in layers {
            for head in heads {
                for temperature in temperatures {
                    for k in ks {
                        var variant = start
                        variant.layer = layer; variant.head = head; variant.temperature = temperature; variant.k = k
                        if variant != start { all.append(variant) }
                    }
                }
            }
        }
        func changes(_ variant: Selection) -> Int {
            [variant.layer != start.layer || variant.head != start.head, variant.temperature != start.temperature,
             variant.k != start.k].filter { $0 }.count
        }
        return all.enumerated().sorted { (changes($0.element), $0.offset) < (changes($1.element), $1.offset) }.map(\.element)
    }

    /// The parts of `variant` that differ from `start`: `layer 1, head 0`, `temperature 5`, `k = 1`.
    static func describe(_ variant: Selection, from start: Selection) -> String {
        var parts: [String] = []
        if variant.layer != start.layer || variant.head != start.head {
            parts.append("layer \(variant.layer), head \(variant.head)")
        }
        if variant.temperature != start.temperature { parts.append("temperature \(variant.temperatureText)") }
        if variant.k != start.k { parts.append("k = \(variant.k)") }
        return parts.joined(separator: ", ")
    }
}
