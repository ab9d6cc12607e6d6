/// What a placeholder, a `@show`, a `@select` part or a number quiz's answer names: a small
/// expression language over the model's numbers.
///
///     blocks.{layer}.attn.pattern[head, 'it', 'animal']
///     blocks.{layer}.attn.scores[head, query, key] / sqrt(dh)
///     token(argmax(blocks.0.attn.pattern[head, query]))
///
/// Names are hooks, parameters, selection variables (`layer`, `head`, `query`, `key`, `kv_head`),
/// `dh`, `tokens`, `last` or `config.FIELD`; `{layer}` and `{head}` inside a name are replaced by the
/// selection's values. Indices are expressions, quoted tokens, or `:` (the whole axis).
///
/// The tree is as deep as the text is nested (brackets, calls, minus signs), which the parser bounds
/// (`ExpressionParser.maximumDepth`); a run of `+ -` or `* /` is one flat `chain` however long, so
/// every walk over the tree (evaluating, printing, comparing, releasing) recurses only that deep.
public indirect enum Expression: Sendable, Equatable, CustomStringConvertible {
    /// A number literal (`3`, `0.5`).
    case number(Double)
    /// A quoted token (`'it'`, `"'"`): as an index, its first position; elsewhere, its text.
    case token(String)
    /// A name: a hook, a parameter, a variable.
    case name(String)
    /// `:` inside an index: the whole axis.
    case all
    /// `function(arguments)`.
    case call(String, [Expression])
    /// `base[i, j, …]`.
    case index(Expression, [Expression])
    /// `-x`.
    case negate(Expression)
    /// `a + b - c` or `a * b / c`: the first operand, then each operation applied in turn, left to
    /// right. The parser keeps one chain to one precedence (a sum's terms may be chains of products).
    case chain(Expression, [Operation])
    /// `a < b`, `a == b`, …: 1 when it holds, 0 when not. Numbers compare as numbers; texts (a token,
    /// `token(query)`) only with `==` and `!=`.
    case compare(Expression, Comparison, Expression)
    /// `a and b and c` or `a or b`: one operator over two or more operands, read left to right and
    /// stopping as soon as the answer is known.
    case logical(Logic, [Expression])
    /// `not a`.
    case not(Expression)

    /// A comparison's operator.
    public enum Comparison: String, Sendable, Equatable, CaseIterable {
        case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", equal = "==", notEqual = "!="
    }

    /// `and` or `or`.
    public enum Logic: String, Sendable, Equatable {
        case and, or
    }

    public enum BinaryOperator: String, Sendable, Equatable {
        case add = "+", subtract = "-", multiply = "*", divide = "/"

        /// Whether the operator binds as `*` and `/` do, tighter than `+` and `-`.
        public var isMultiplicative: Bool { self == .multiply || self == .divide }
    }

    /// One step of a chain: an operator and its right operand.
    public struct Operation: Sendable, Equatable {
        public var op: BinaryOperator
        public var operand: Expression

        public init(_ op: BinaryOperator, _ operand: Expression) {
            self.op = op
            self.operand = operand
        }
    }

    /// `left op right`: a chain of one operation.
    public static func binary(_ op: BinaryOperator, _ left: Expression, _ right: Expression) -> Expression {
        .chain(left, [Operation(op, right)])
    }

    public var description: String {
        switch self {
        case .number(let value):
            return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        case .token(let text): return text.contains("'") ? "\"\(text)\"" : "'\(text)'"
        case .name(let name): return name
        case .all: return ":"
        case .call(let name, let arguments): return "\(name)(\(arguments.map(\.description).joined(separator: ", ")))"
        case .index(let base, let indices): return "\(base)[\(indices.map(\.description).joined(separator: ", "))]"
        case .negate(let operand):
            if case .chain = operand { return "-(\(operand))" }
            return "-\(operand)"
        case .compare(let left, let op, let right): return "\(left) \(op.rawValue) \(right)"
        case .logical(let logic, let operands):
            // `and` binds tighter than `or`: an `or` inside an `and` needs brackets.
            return operands.map { operand in
                if case .logical(let inner, _) = operand, inner == .or, logic == .and { return "(\(operand))" }
                return operand.description
            }.joined(separator: " \(logic.rawValue) ")
        case .not(let operand):
            if case .logical = operand { return "not (\(operand))" }
            return "not \(operand)"
        case .chain(let first, let operations):
            guard let multiplicative = operations.first?.op.isMultiplicative else { return first.description }
            var text = first.precedence.map { multiplicative && !$0 } == true ? "(\(first))" : first.description
            for operation in operations {
                // Left to right: an operand chain of the same or a looser precedence needs brackets.
                let bracketed = operation.operand.precedence.map { !$0 || multiplicative } ?? false
                text += " \(operation.op.rawValue) " + (bracketed ? "(\(operation.operand))" : operation.operand.description)
            }
            return text
        }
    }

    /// For a chain, whether it is one of `*` and `/` (true) or of `+` and `-` (false); nil otherwise.
    var precedence: Bool? {
        guard case .chain(_, let operations) = self else { return nil }
        return operations.first?.op.isMultiplicative
    }

    /// The hook and parameter names the expression mentions (before `{layer}`/`{head}` substitution).
    public var names: [String] {
        switch self {
        case .number, .token, .all: return []
        case .name(let name): return [name]
        case .call(_, let arguments): return arguments.flatMap(\.names)
        case .index(let base, let indices): return base.names + indices.flatMap(\.names)
        case .negate(let operand): return operand.names
        case .chain(let first, let operations): return first.names + operations.flatMap(\.operand.names)
        case .compare(let left, _, let right): return left.names + right.names
        case .logical(_, let operands): return operands.flatMap(\.names)
        case .not(let operand): return operand.names
        }
    }

    /// The description cut to `limit` characters (with `…`): for messages that quote an
    /// expression, which may be very long.
    public func abbreviated(to limit: Int = 60) -> String {
        Self.abbreviate(description, to: limit)
    }

    /// `text` cut to `limit` characters, ending in `…` when cut.
    public static func abbreviate(_ text: String, to limit: Int = 60) -> String {
        text.count <= limit ? text : String(text.prefix(max(0, limit - 1))) + "…"
    }
}

/// Why an expression could not be read.
public struct ExpressionSyntaxError: Error, Equatable, Sendable {
    public var message: String
}
