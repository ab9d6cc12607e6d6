import Foundation
import Transformer

/// A step evaluated on the live model and the learner's selection: everything the UI draws, as
/// plain values.
public struct EvaluatedStep: Sendable, Equatable, Codable {
    /// 0-based.
    public var index: Int
    public var title: String
    /// The selection it was evaluated with.
    public var selection: Selection
    /// What the learner may change.
    public var controls: [Control]
    /// The model the step's numbers were computed by (the step's `@model`, or the lesson's).
    public var model: String
    /// The self-attention mask the step's numbers were computed with (the step's `@mask`, or the
    /// model's own).
    public var mask: AttentionMask
    public var blocks: [EvaluatedBlock]
    /// Values that could not be computed on this input (each also shown in place, for the learner).
    public var problems: [LessonProblem]
}

/// One block of an evaluated step, in the lesson's order.
public enum EvaluatedBlock: Sendable, Equatable, Codable {
    /// Prose with every placeholder filled: Markdown-ish (`**bold**`, `` `code` ``), paragraphs
    /// separated by blank lines, for the UI to wrap. Not sanitised: the terminal layer does that.
    case text(String)
    case show(Shown)
    case quiz(EvaluatedQuiz)
}

/// A value that could not be computed, at a line of the lesson.
public struct LessonProblem: Sendable, Equatable, Codable {
    public var line: Int
    /// For the lesson's author (`unknown token 'animal' in an index of …`).
    public var message: String
    /// For the learner (`no 'animal' in your sentence`).
    public var learnerMessage: String
    /// Whether the value was one in the prose (said once above it, not in place).
    public var inProse = false
}

/// Evaluates lesson steps; pure functions of a lesson, a live run and a selection.
public enum LessonRuntime {
    /// The selection a step starts with: its `@select` parts evaluated on this input, the rest from
    /// `current` (the learner's selection; by default layer 0, head 0, the last token as the query,
    /// the first as the key, temperature 1 and k 10). A quoted token missing from the learner's
    /// sentence keeps the current part and is reported; so is a k larger than the vocabulary (k is
    /// then the vocabulary's size).
    public static func startingSelection(for step: LessonStep, in context: LessonContext,
                                         current: Selection? = nil) -> (Selection, [LessonProblem]) {
        var selection = current ?? Selection(layer: 0, head: 0, query: max(0, context.tokens.count - 1), key: 0)
        var problems: [LessonProblem] = []
        guard let spec = step.selection else { return (selection.clamped(in: context), []) }
        let counts = Selection.counts(in: context)
        let evaluator = Evaluator(context: context, selection: selection)
        func resolve(_ expression: Expression?, part: String, count: Int, counted: String) -> Int? {
            guard let expression else { return nil }
            do {
                let position: Int
                if case .token(let text) = expression {
                    do {
                        // The input's first; a token only the decoder's input has, there.
                        if let decoder = context.position(of: text, in: .decoder), context.position(of: text) == nil {
                            position = decoder
                        } else {
                            position = try context.quotedPosition(text)
                        }
                    } catch let error as EvaluationError {
                        throw EvaluationError("@select \(part)='\(text)': " + error.message,
                                              learner: "(no '\(text)' in your sentence: the \(part) stays where it was)")
                    }
                } else if expression == .name("last") {
                    position = count - 1
                } else {
                    guard let whole = Evaluator.whole(try evaluator.evaluate(expression).number) else {
                        throw EvaluationError("@select \(part)=\(expression) is not a whole number")
                    }
                    position = whole
                }
                guard position >= 0 && position < count else {
                    throw EvaluationError("@select \(part)=\(expression): \(position) is out of range (\(context.loaded.name) has \(count) \(counted), 0 to \(count - 1))",
                                          learner: "(\(part) \(position) is not in this run)")
                }
                return position
            } catch let error as EvaluationError {
                problems.append(LessonProblem(line: spec.line, message: error.message, learnerMessage: error.learnerMessage))
            } catch {}
            return nil
        }
        if let layer = resolve(spec.layer, part: "layer", count: counts.layers, counted: "layers") { selection.layer = layer }
        if let head = resolve(spec.head, part: "head", count: counts.heads, counted: "heads") { selection.head = head }
        if let query = resolve(spec.query, part: "query", count: counts.queries, counted: "tokens here") { selection.query = query }
        if let key = resolve(spec.key, part: "key", count: counts.keys, counted: "tokens here") { selection.key = key }
        if let temperature = spec.temperature { selection.temperature = temperature }
        if let k = spec.k {
            if k > counts.vocabulary {
                problems.append(LessonProblem(line: spec.line,
                                              message: "@select k=\(k): top-k keeps at most the whole vocabulary (\(context.loaded.name) has \(counts.vocabulary) tokens, so k is 1 to \(counts.vocabulary))",
                                              learnerMessage: "(k = \(k) is more than the \(counts.vocabulary) tokens of \(context.loaded.name): k is \(counts.vocabulary))"))
            }
            selection.k = k
        }
        return (selection.clamped(in: context), problems)
    }

    /// The self-attention mask `step` runs the model with: its `@mask`, or the model's own (an
    /// encoder's is bidirectional).
    public static func mask(for step: LessonStep, config: ModelConfig) -> AttentionMask {
        step.mask?.mask ?? (config.architecture == .encoder ? .bidirectional : config.mask)
    }

    /// The sentence `step` runs on: its `@input`, or the lesson's (the learner's, as edited).
    public static func sentence(for step: LessonStep, lessonSentence: String) -> String {
        step.input?.text ?? lessonSentence
    }

    /// The run of `step`'s `@compare` sentence beside `context` (same model, decoder input and mask);
    /// nil when the step has none.
    public static func comparedContext(for step: LessonStep, beside context: LessonContext) throws -> LessonContext? {
        guard let compare = step.compare else { return nil }
        return try LessonContext(loaded: context.loaded, text: compare.text, target: context.inspection.target, mask: context.mask)
    }

    /// The model `step` runs on: its `@model`, or the lesson's.
    public static func model(for step: LessonStep, in lesson: Lesson) -> String {
        step.model?.name ?? lesson.model
    }

    /// A run for `step`: `context` itself when it is a run of the step's model with the step's mask,
    /// otherwise the same sentence run again: on the step's `@model` (loaded with `load`, by name; a
    /// decoder's input goes along only to an encoder–decoder) and with its `@mask`. The UI calls this
    /// when a step opens and after the learner edits the sentence, and passes the result to
    /// `evaluate`. Without `load`, a step on another model throws.
    public static func context(for step: LessonStep, from context: LessonContext,
                               load: ((String) throws -> LoadedModel)? = nil) throws -> LessonContext {
        var context = context
        if let wanted = step.model?.name, wanted != context.loaded.name {
            guard let load else {
                throw EvaluationError("this step runs on \(wanted), but the run given is of \(context.loaded.name)")
            }
            let loaded = try load(wanted)
            let target = loaded.config.architecture == .encoderDecoder ? context.inspection.target : nil
            context = try LessonContext(loaded: loaded, text: context.inspection.text, target: target,
                                        mask: mask(for: step, config: loaded.config))
        }
        let wanted = mask(for: step, config: context.config)
        return context.mask == wanted ? context : try context.running(mask: wanted)
    }

    /// Evaluates step `index` of `lesson` on `context` with `selection`: prose with the placeholders
    /// filled, each `@show` as data, each quiz ready to check. Never throws: what cannot be computed on
    /// this input is said in place and listed in `problems`. When the step has a `@mask` that
    /// `context` did not run with, the model is run again with it; a step with a `@model` needs the
    /// run of `context(for:from:load:)`.
    public static func evaluate(_ lesson: Lesson, step index: Int, in given: LessonContext,
                                selection: Selection, allBranches: Bool = false,
                                compared givenCompared: LessonContext? = nil) -> EvaluatedStep {
        guard lesson.steps.indices.contains(index) else {
            let message = "\(lesson.id) has no step \(index + 1) (it has \(lesson.steps.count))"
            return EvaluatedStep(index: index, title: "", selection: selection, controls: [], model: given.loaded.name,
                                 mask: given.mask, blocks: [],
                                 problems: [LessonProblem(line: 0, message: message, learnerMessage: "(\(message))")])
        }
        let step = lesson.steps[index]
        var problems: [LessonProblem] = []
        var context = given
        do {
            context = try Self.context(for: step, from: given)
        } catch {
            let line = step.model?.line ?? step.mask?.line ?? step.line
            problems.append(LessonProblem(line: line, message: "the step's run (model \(model(for: step, in: lesson)), mask \(mask(for: step, config: given.config))) failed: \(error)",
                                          learnerMessage: "(the model could not run for this step)"))
        }
        var compared = givenCompared
        if compared == nil, let compare = step.compare {
            do {
                compared = try comparedContext(for: step, beside: context)
            } catch {
                problems.append(LessonProblem(line: compare.line, message: "the @compare sentence cannot run: \(error)",
                                              learnerMessage: "(the second sentence could not run)"))
            }
        }
        let evaluator = Evaluator(context: context, selection: selection, compared: compared)
        var blocks: [EvaluatedBlock] = []
        var quizNumber = 0
        evaluate(step.blocks, step: index, evaluator, allBranches: allBranches, into: &blocks, quizNumber: &quizNumber,
                 problems: &problems)
        // What the prose could not say on this sentence is said once, above it; in the prose a
        // dash stands where each such value would be.
        let missing = problems.filter { $0.inProse }.map(\.learnerMessage).reduce(into: [String]()) {
            if !$0.contains($1) { $0.append($1) }
        }
        if !missing.isEmpty {
            let said = missing.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "()")) }.joined(separator: "; ")
            let sentence = said.prefix(1).uppercased() + said.dropFirst()
            blocks.insert(.text("⚠ \(sentence): the numbers that need it show as \(missingValue) below."), at: 0)
        }
        return EvaluatedStep(index: index, title: step.title, selection: selection, controls: step.controls,
                             model: context.loaded.name, mask: context.mask, blocks: blocks, problems: problems)
    }

    /// Evaluates `blocks` in order into `out`: prose with its values, pictures, quizzes, and of each
    /// `@if` the branch its condition picks on this sentence (with `allBranches`, as the checker
    /// wants, both branches, so a mistake in either is found).
    static func evaluate(_ blocks: [LessonBlock], step index: Int, _ evaluator: Evaluator, allBranches: Bool,
                         into out: inout [EvaluatedBlock], quizNumber: inout Int, problems: inout [LessonProblem]) {
        for block in blocks {
            switch block {
            case .prose(let prose):
                out.append(.text(render(prose, evaluator, &problems)))
            case .show(let show):
                do {
                    out.append(.show(try ShowEvaluation(evaluator: evaluator).evaluate(show)))
                } catch let error as EvaluationError {
                    problems.append(LessonProblem(line: show.line, message: "in @show \(Expression.abbreviate(show.source)): \(error.message)",
                                                  learnerMessage: error.learnerMessage))
                    out.append(.show(Shown(title: show.label ?? show.source, content: .unavailable(error.learnerMessage),
                                           line: show.line)))
                } catch {}
            case .quiz(let quiz):
                quizNumber += 1
                out.append(.quiz(evaluateQuiz(quiz, id: "\(index + 1).\(quizNumber)", evaluator, &problems)))
            case .conditional(let conditional):
                var holds = false
                do {
                    holds = try evaluator.truth(conditional.condition)
                } catch let error as EvaluationError {
                    var problem = LessonProblem(line: conditional.line, message: "in @if \(Expression.abbreviate(conditional.source)): \(error.message)",
                                                learnerMessage: error.learnerMessage)
                    problem.inProse = true
                    problems.append(problem)
                } catch {}
                if allBranches {
                    evaluate(conditional.then, step: index, evaluator, allBranches: true, into: &out, quizNumber: &quizNumber, problems: &problems)
                    evaluate(conditional.otherwise, step: index, evaluator, allBranches: true, into: &out, quizNumber: &quizNumber, problems: &problems)
                } else {
                    evaluate(holds ? conditional.then : conditional.otherwise, step: index, evaluator, allBranches: false,
                             into: &out, quizNumber: &quizNumber, problems: &problems)
                }
            }
        }
    }

    /// What prose shows in place of a value the learner's sentence cannot give.
    public static let missingValue = "—"

    /// The prose with placeholders filled; a value that cannot be computed is replaced by
    /// `missingValue` and reported (the step then says why once, above its prose).
    static func render(_ prose: Prose, _ evaluator: Evaluator, _ problems: inout [LessonProblem]) -> String {
        prose.lines.map { render($0, evaluator, &problems) }.joined(separator: "\n")
    }

    static func render(_ line: ProseLine, _ evaluator: Evaluator, _ problems: inout [LessonProblem]) -> String {
        var out = ""
        for segment in line.segments {
            switch segment {
            case .text(let text): out += text
            case .placeholder(let placeholder):
                do {
                    out += try evaluator.evaluate(placeholder.expression).formatted(decimals: placeholder.decimals)
                } catch let error as EvaluationError {
                    problems.append(LessonProblem(line: placeholder.line, message: "in {{ \(Expression.abbreviate(placeholder.source)) }}: \(error.message)",
                                                  learnerMessage: error.learnerMessage))
                    problems[problems.count - 1].inProse = true
                    out += missingValue
                } catch {}
            }
        }
        return out
    }

    static func evaluateQuiz(_ quiz: Quiz, id: String, _ evaluator: Evaluator,
                             _ problems: inout [LessonProblem]) -> EvaluatedQuiz {
        let question = render(quiz.question, evaluator, &problems)
        let explanation = quiz.explanation.map { render($0, evaluator, &problems) }
        /// The quiz with the kind `evaluate` gives; an answer that cannot be computed on this input
        /// makes it unanswerable, and is reported.
        func answered(_ answer: Expression, _ evaluate: () throws -> EvaluatedQuiz.Kind) -> EvaluatedQuiz {
            let kind: EvaluatedQuiz.Kind
            do {
                kind = try evaluate()
            } catch let error as EvaluationError {
                problems.append(LessonProblem(line: quiz.line, message: "the quiz's answer \(answer): \(error.message)",
                                              learnerMessage: error.learnerMessage))
                kind = .unanswerable(error.learnerMessage)
            } catch {
                kind = .unanswerable("(\(error))")
            }
            return EvaluatedQuiz(id: id, line: quiz.line, question: question, explanation: explanation, kind: kind)
        }
        switch quiz.kind {
        case .choice(let options):
            let texts = options.map { render($0.text, evaluator, &problems) }
            let right = options.indices.filter { options[$0].correct }
            return EvaluatedQuiz(id: id, line: quiz.line, question: question, explanation: explanation,
                                 kind: .choice(options: texts, correct: right))
        case .token(let answer, _):
            return answered(answer) {
                let labels = evaluator.context.labels(.input)
                let position: Int
                switch try evaluator.evaluate(answer) {
                case .text(let text):
                    position = try evaluator.context.quotedPosition(text)
                case let value:
                    guard let number = value.number, let whole = Evaluator.whole(number), labels.indices.contains(whole) else {
                        throw EvaluationError("the quiz's answer \(answer) is not a token of the sentence (a position from 0 to \(labels.count - 1), or a token's text)")
                    }
                    position = whole
                }
                return .token(answer: labels[position], position: position)
            }
        case .number(let answer, let tolerance, let decimals, _):
            return answered(answer) {
                let value = try evaluator.number(answer)
                guard value.isFinite else {
                    // NaN equals nothing and ±∞ is no answer a learner can type: the quiz is broken.
                    let shown = value.isNaN ? "NaN" : value > 0 ? "infinite" : "minus infinity"
                    let message = "the quiz's answer \(answer) is \(shown), not a finite number"
                    let learner = "This question's answer could not be computed (it is \(shown))."
                    problems.append(LessonProblem(line: quiz.line, message: message, learnerMessage: learner))
                    return .unanswerable(learner)
                }
                return .number(answer: value, tolerance: tolerance, decimals: decimals ?? NumberText.defaultDecimals)
            }
        }
    }
}
