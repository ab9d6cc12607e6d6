import Transformer

extension LessonContext {
    /// The first position of the quoted token `text` (its vocabulary string or readable form) in
    /// `source`: the one place a lesson's quoted token becomes a position, for indices, functions and
    /// `@select` alike. When the sentence lacks it, the error says which tokens there are (for the
    /// author, with `place` naming where the token was quoted) and that the sentence has no such
    /// word (for the learner).
    public func quotedPosition(_ text: String, in source: TokenSource = .input, place: String = "") throws -> Int {
        if let found = position(of: text, in: source) { return found }
        let list = labels(source).joined(separator: " ")
        throw EvaluationError("unknown token '\(text)'\(place): the input's tokens are \(list)",
                              learner: "(no '\(text)' in your sentence)")
    }
}

extension Evaluator {
    /// The position an argument names on the tokens of `source`: a quoted token (its first position),
    /// `last`, or a whole number in range; `function` names the caller in errors.
    func tokenPosition(_ argument: Expression, function: String, in source: TokenSource = .input) throws -> Int {
        let count = context.tokens(source).count
        let position: Int
        if case .token(let text) = argument {
            position = try context.quotedPosition(text, in: source)
        } else if argument == .name("last") {
            position = count - 1
        } else {
            guard let whole = Self.whole(try evaluate(argument).number) else {
                throw EvaluationError("\(function)() needs a position, got \(argument)")
            }
            position = whole
        }
        guard position >= 0 && position < count else {
            throw EvaluationError("\(function)(\(argument)): position \(position) is out of range (\(count) tokens)",
                                  learner: "(your sentence has no token \(position))")
        }
        return position
    }
}
