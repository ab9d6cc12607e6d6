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
    /// `a + b`, `a - b`, `a * b`, `a / b`.
    case binary(BinaryOperator, Expression, Expression)

    public enum BinaryOperator: String, Sendable, Equatable {
        case add = "+", subtract = "-", multiply = "*", divide = "/"
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
        case .negate(let operand): return "-\(operand)"
        case .binary(let op, let left, let right): return "\(left) \(op.rawValue) \(right)"
        }
    }

    /// The hook and parameter names the expression mentions (before `{layer}`/`{head}` substitution).
    public var names: [String] {
        switch self {
        case .number, .token, .all: return []
        case .name(let name): return [name]
        case .call(_, let arguments): return arguments.flatMap(\.names)
        case .index(let base, let indices): return base.names + indices.flatMap(\.names)
        case .negate(let operand): return operand.names
        case .binary(_, let left, let right): return left.names + right.names
        }
    }
}

/// Why an expression could not be read.
public struct ExpressionSyntaxError: Error, Equatable, Sendable {
    public var message: String
}

/// Reads expressions; a recursive-descent parser over a few tokens.
public struct ExpressionParser {
    enum Piece: Equatable {
        case number(Double), quoted(String), name(String), symbol(Character)
    }

    var pieces: [Piece]
    var position = 0

    /// Splits `text` into pieces.
    init(_ text: String) throws {
        pieces = try Self.lex(text)
    }

    /// The whole of `text` as one expression.
    public static func parse(_ text: String) throws -> Expression {
        var parser = try ExpressionParser(text)
        guard !parser.pieces.isEmpty else { throw ExpressionSyntaxError(message: "an empty expression") }
        let expression = try parser.expression()
        if parser.position < parser.pieces.count {
            throw ExpressionSyntaxError(message: "unexpected \(parser.describe(parser.pieces[parser.position])) after \(expression)")
        }
        return expression
    }

    /// An expression at the start of `text`, and the rest of the text after it (for directives
    /// whose expression is followed by `option=value` words).
    public static func parsePrefix(_ text: String) throws -> (Expression, rest: String) {
        // Grow the prefix word by word until what follows is an option or the end.
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        var cut = words.count
        for (n, word) in words.enumerated() where n > 0 {
            if let eq = word.firstIndex(of: "="), word[..<eq].allSatisfy({ $0.isLetter || $0 == "_" || $0 == "-" }),
               !word[..<eq].isEmpty {
                cut = n
                break
            }
        }
        let expressionText = words[..<cut].joined(separator: " ")
        let rest = words[cut...].joined(separator: " ")
        return (try parse(expressionText), rest)
    }

    func describe(_ piece: Piece) -> String {
        switch piece {
        case .number(let value): return "'\(Expression.number(value))'"
        case .quoted(let text): return "'\(text)'"
        case .name(let name): return "'\(name)'"
        case .symbol(let symbol): return "'\(symbol)'"
        }
    }

    mutating func expression() throws -> Expression {
        var left = try term()
        while let op = peekSymbol(), op == "+" || op == "-" {
            position += 1
            left = .binary(op == "+" ? .add : .subtract, left, try term())
        }
        return left
    }

    mutating func term() throws -> Expression {
        var left = try unary()
        while let op = peekSymbol(), op == "*" || op == "/" {
            position += 1
            left = .binary(op == "*" ? .multiply : .divide, left, try unary())
        }
        return left
    }

    mutating func unary() throws -> Expression {
        if peekSymbol() == "-" {
            position += 1
            let operand = try unary()
            if case .number(let value) = operand { return .number(-value) }
            return .negate(operand)
        }
        return try postfix()
    }

    mutating func postfix() throws -> Expression {
        var base = try primary()
        while peekSymbol() == "[" {
            position += 1
            var indices: [Expression] = []
            repeat {
                if peekSymbol() == "," { position += 1 }
                if peekSymbol() == ":" {
                    position += 1
                    indices.append(.all)
                } else {
                    indices.append(try expression())
                }
            } while peekSymbol() == ","
            try expect("]", after: "the indices of \(base)")
            base = .index(base, indices)
        }
        return base
    }

    mutating func primary() throws -> Expression {
        guard position < pieces.count else { throw ExpressionSyntaxError(message: "the expression ends too early") }
        let piece = pieces[position]
        position += 1
        switch piece {
        case .number(let value): return .number(value)
        case .quoted(let text): return .token(text)
        case .name(let name):
            guard peekSymbol() == "(" else { return .name(name) }
            position += 1
            var arguments: [Expression] = []
            if peekSymbol() != ")" {
                repeat {
                    if peekSymbol() == "," { position += 1 }
                    arguments.append(try expression())
                } while peekSymbol() == ","
            }
            try expect(")", after: "the arguments of \(name)")
            return .call(name, arguments)
        case .symbol("("):
            let inner = try expression()
            try expect(")", after: "'(\(inner)'")
            return inner
        case .symbol(let symbol):
            throw ExpressionSyntaxError(message: "unexpected '\(symbol)'")
        }
    }

    func peekSymbol() -> Character? {
        guard position < pieces.count, case .symbol(let symbol) = pieces[position] else { return nil }
        return symbol
    }

    mutating func expect(_ symbol: Character, after what: String) throws {
        guard peekSymbol() == symbol else {
            let found = position < pieces.count ? describe(pieces[position]) : "the end"
            throw ExpressionSyntaxError(message: "expected '\(symbol)' after \(what), found \(found)")
        }
        position += 1
    }

    static func isNameStart(_ c: Character) -> Bool { c.isLetter || c == "_" || c == "{" }
    static func isNamePart(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" || c == "." || c == "{" || c == "}" }

    static func lex(_ text: String) throws -> [Piece] {
        let chars = Array(text)
        var pieces: [Piece] = []
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == " " || c == "\t" { i += 1; continue }
            if c.isASCII && c.isNumber || (c == "." && i + 1 < chars.count && chars[i + 1].isASCII && chars[i + 1].isNumber) {
                var j = i
                while j < chars.count, chars[j].isASCII && (chars[j].isNumber || chars[j] == ".") { j += 1 }
                let literal = String(chars[i..<j])
                guard let value = Double(literal) else {
                    throw ExpressionSyntaxError(message: "'\(literal)' is not a number")
                }
                if j < chars.count, isNameStart(chars[j]) {
                    throw ExpressionSyntaxError(message: "'\(literal)\(chars[j])…' is neither a number nor a name")
                }
                pieces.append(.number(value))
                i = j
            } else if c == "'" || c == "\"" {
                guard let end = chars[(i + 1)...].firstIndex(of: c) else {
                    throw ExpressionSyntaxError(message: "a quoted token is not closed (add \(c))")
                }
                pieces.append(.quoted(String(chars[(i + 1)..<end])))
                i = end + 1
            } else if isNameStart(c) {
                var j = i
                var depth = 0
                while j < chars.count, isNamePart(chars[j]) {
                    if chars[j] == "{" { depth += 1 }
                    if chars[j] == "}" {
                        if depth == 0 { break }
                        depth -= 1
                    }
                    j += 1
                }
                let name = String(chars[i..<j])
                if depth != 0 { throw ExpressionSyntaxError(message: "'{' without '}' in \(name)") }
                if name.hasSuffix(".") { throw ExpressionSyntaxError(message: "a name cannot end with '.': \(name)") }
                pieces.append(.name(name))
                i = j
            } else if "+-*/()[],:".contains(c) {
                pieces.append(.symbol(c))
                i += 1
            } else if c == "−" {
                pieces.append(.symbol("-"))
                i += 1
            } else {
                throw ExpressionSyntaxError(message: "unexpected '\(c)'")
            }
        }
        return pieces
    }
}
