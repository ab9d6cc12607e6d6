import Foundation

/// A quiz evaluated on the live model, ready to check the learner's answers.
public struct EvaluatedQuiz: Sendable, Equatable, Codable {
    /// `step.quiz`, both 1-based (`2.1`): the key its answer is saved under in the progress file.
    public var id: String
    /// The `@quiz` line.
    public var line: Int
    /// The question, placeholders filled.
    public var question: String
    /// What to show once the learner has answered (the `> ` lines).
    public var explanation: String?
    public var kind: Kind

    public enum Kind: Sendable, Equatable, Codable {
        /// Options in order; `correct` holds the indices (0-based) of the right ones.
        case choice(options: [String], correct: [Int])
        /// The model's number on the learner's current input and selection.
        case number(answer: Double, tolerance: Double, decimals: Int)
        /// A token of the sentence: its readable text and position on the live input.
        case token(answer: String, position: Int)
        /// The answer cannot be computed on this input (a token it needs is not in the sentence).
        case unanswerable(String)
    }

    /// The options of a choice quiz (empty for a number quiz).
    public var options: [String] {
        if case .choice(let options, _) = kind { return options }
        return []
    }

    /// The right answer as a learner would write it (an option's text, or the number).
    public var expected: String? {
        switch kind {
        case .choice(let options, let correct): return correct.map { options[$0] }.joined(separator: " / ")
        case .number(let answer, _, let decimals): return NumberText.format(answer, decimals: decimals)
        case .token(let answer, let position): return "\(answer) (token \(position))"
        case .unanswerable: return nil
        }
    }

    /// Checks the option the learner picked (0-based).
    public func check(choice: Int) -> QuizFeedback {
        guard case .choice(let options, let correct) = kind else {
            return QuizFeedback(correct: false, message: "This question wants a number.", expected: expected)
        }
        guard options.indices.contains(choice) else {
            return QuizFeedback(correct: false, message: "Pick one of the options 1 to \(options.count).", expected: nil,
                                understood: false)
        }
        return correct.contains(choice)
            ? QuizFeedback(correct: true, message: "Right.", expected: expected)
            : QuizFeedback(correct: false, message: "Not that one. Try again.", expected: expected)
    }

    /// Checks a typed answer: for a choice quiz an option's number (`2`), letter (`b`) or text; for a
    /// number quiz a number (`0.97`, `-1.5`, `97%`), right when |answer − the model's value| ≤ tolerance.
    public func check(answer: String) -> QuizFeedback {
        let typed = answer.trimmingCharacters(in: .whitespaces)
        switch kind {
        case .choice(let options, _):
            if let n = Int(typed) { return check(choice: n - 1) }
            if typed.count == 1, let letter = typed.lowercased().unicodeScalars.first, ("a"..."z").contains(letter) {
                return check(choice: Int(letter.value) - 97)
            }
            if let index = options.firstIndex(where: { $0.lowercased() == typed.lowercased() }) { return check(choice: index) }
            return QuizFeedback(correct: false, message: "Answer with an option's number (1 to \(options.count)).",
                                expected: nil, understood: false)
        case .number(let value, let tolerance, let decimals):
            guard let number = NumberText.parse(typed) else {
                return QuizFeedback(correct: false, message: "Type a number, such as 0.25.", expected: nil, understood: false)
            }
            let right = number == value || abs(number - value) <= tolerance
            if right {
                return QuizFeedback(correct: true, message: "Right: the model's number is \(NumberText.format(value, decimals: decimals)).",
                                    expected: expected)
            }
            let direction = number > value ? "too high" : "too low"
            return QuizFeedback(correct: false, message: "Not quite: \(NumberText.format(number, decimals: decimals)) is \(direction). Try again.",
                                expected: expected)
        case .token(let token, let position):
            guard !typed.isEmpty else {
                return QuizFeedback(correct: false, message: "Type a token of your sentence, or its position.", expected: nil, understood: false)
            }
            let right = typed.lowercased() == token.lowercased() || Int(typed) == position
            return right
                ? QuizFeedback(correct: true, message: "Right: \(token), token \(position).", expected: expected)
                : QuizFeedback(correct: false, message: "Not that one. Try again.", expected: expected)
        case .unanswerable(let why):
            let reason = why.trimmingCharacters(in: CharacterSet(charactersIn: "()"))
            return QuizFeedback(correct: false, message: "This cannot be checked on your sentence: \(reason).",
                                expected: nil, understood: false)
        }
    }
}

/// What a quiz says about an answer.
public struct QuizFeedback: Sendable, Equatable, Codable {
    public var correct: Bool
    /// One line for the learner.
    public var message: String
    /// The right answer, for a UI that reveals it (after a wrong try, or on request).
    public var expected: String?
    /// False when the answer could not be read (not a number, no such option): not a wrong try.
    public var understood: Bool

    public init(correct: Bool, message: String, expected: String?, understood: Bool = true) {
        self.correct = correct; self.message = message; self.expected = expected; self.understood = understood
    }
}
