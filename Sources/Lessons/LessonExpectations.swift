import Foundation
import Transformer

/// `@expect` claims tested on the lesson's sentence and on a fixed set of sentences made from it,
/// the kinds of change a learner makes: a word taken out, words added at the end, an accented word,
/// an emoji. A claim that fails on one of them is a sentence where the step's text would be false.
public enum LessonExpectations {
    /// One sentence a claim is tested on: what was done to the lesson's, and the result.
    public struct Variant: Sendable, Equatable {
        /// Which change it is, the same for every sentence: `original`, `removed`, `appended`, `accented`, `emoji`.
        public var kind: String
        public var name: String
        public var text: String
    }

    /// The lesson's sentence, then (documented in Lessons/README.md, in this order):
    /// - its first word of four or more letters removed;
    /// - " and the new car" appended;
    /// - "café " put before it (a word with an accent);
    /// - " 🙂" appended (an emoji).
    public static func variants(of sentence: String) -> [Variant] {
        var variants = [Variant(kind: "original", name: "the lesson's sentence", text: sentence)]
        var words = sentence.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        if let first = words.firstIndex(where: { $0.filter(\.isLetter).count >= 4 }), words.count > 1 {
            let removed = words.remove(at: first)
            variants.append(Variant(kind: "removed", name: "'\(removed)' removed", text: words.joined(separator: " ")))
        }
        variants.append(Variant(kind: "appended", name: "' and the new car' appended", text: sentence + " and the new car"))
        variants.append(Variant(kind: "accented", name: "'café ' put before it", text: "café " + sentence))
        variants.append(Variant(kind: "emoji", name: "' 🙂' appended", text: sentence + " 🙂"))
        return variants
    }

    /// What testing the claims found: each failure at its line, and how many tests were skipped
    /// because a sentence lacked a token the claim names.
    public struct Findings: Sendable, Equatable {
        public var failures: [(line: Int, message: String)] = []
        public var skipped = 0

        public static func == (a: Findings, b: Findings) -> Bool {
            a.skipped == b.skipped && a.failures.map(\.line) == b.failures.map(\.line)
                && a.failures.map(\.message) == b.failures.map(\.message)
        }
    }

    /// Tests every `@expect` of `lesson` on each variant of its sentence, run on `loaded`, each step
    /// with the selection the learner arrives with (the `@select`s up to it) and on its own run
    /// (`@model`, `@mask`).
    public static func check(_ lesson: Lesson, loaded: LoadedModel, load: ((String) throws -> LoadedModel)? = nil) -> Findings {
        var findings = Findings()
        guard lesson.steps.contains(where: { !$0.expectations.isEmpty }) else { return findings }
        // Runs by sentence: steps on the same sentence share one.
        var runs: [String: LessonContext?] = [:]
        func run(_ text: String) -> LessonContext? {
            if let made = runs[text] { return made }
            let made = try? LessonContext(loaded: loaded, text: text, target: lesson.target)
            runs[text] = made
            return made
        }
        for variant in variants(of: lesson.input) {
            var current: Selection?
            for step in lesson.steps {
                // A step with its own sentence (`@input`) is tested on the same change made to that sentence.
                let sentence = step.input == nil ? variant
                    : variants(of: step.input!.text).first { $0.kind == variant.kind }
                guard let sentence, let base = run(sentence.text),
                      let context = try? LessonRuntime.context(for: step, from: base, load: load) else { continue }
                let start = LessonRuntime.startingSelection(for: step, in: context, current: current).0
                current = start
                let compared = try? LessonRuntime.comparedContext(for: step, beside: context)
                let evaluator = Evaluator(context: context, selection: start, compared: compared)
                for expectation in step.expectations {
                    do {
                        if try !evaluator.truth(expectation.condition) {
                            findings.failures.append((expectation.line,
                                "@expect \(Expression.abbreviate(expectation.source)) does not hold on \(sentence.name): \"\(sentence.text)\""))
                        }
                    } catch let error as EvaluationError {
                        // A token the claim names is missing here: the claim says nothing about this sentence.
                        if error.learnerMessage.contains("in your sentence") && sentence.kind != "original" {
                            findings.skipped += 1
                        } else {
                            findings.failures.append((expectation.line,
                                "in @expect \(Expression.abbreviate(expectation.source)) on \(sentence.name): \(error.message)"))
                        }
                    } catch {}
                }
            }
        }
        return findings
    }
}
