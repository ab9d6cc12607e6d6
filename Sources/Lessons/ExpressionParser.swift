/// Reads expressions; a recursive-descent parser over a few tokens. It recurses only where the text
/// nests (brackets, calls, indices, minus signs), at most `maximumDepth` deep; runs of binary
/// operators are read in a loop into one flat `Expression.chain`.
public struct ExpressionParser {
    /// How deep brackets, calls, indices and minus signs may nest inside one another.
    public static let maximumDepth = 256

    enum Piece: Equatable {
        case number(Double), quoted(String), name(String), symbol(Character)
        /// `<`, `<=`, `>`, `>=`, `==`, `!=`.
        case comparison(Expression.Comparison)
    }

    var pieces: [Piece]
    var position = 0
    /// How many brackets, calls, indices and minus signs enclose the piece being read.
    var depth = 0

    /// Splits `text` into pieces.
    init(_ text: String) throws {
        pieces = try Self.lex(text)
    }

    /// The whole of `text` as one expression.
    public static func parse(_ text: String) throws -> Expression {
        var parser = try ExpressionParser(text)
        guard !parser.pieces.isEmpty else { throw ExpressionSyntaxError(message: "an empty expression") }
        let expression = try parser.condition()
        if parser.position < parser.pieces.count {
            throw ExpressionSyntaxError(message: "unexpected \(parser.describe(parser.pieces[parser.position])) after \(expression.abbreviated())")
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
        case .quoted(let text): return "'\(Expression.abbreviate(text))'"
        case .name(let name): return "'\(Expression.abbreviate(name))'"
        case .symbol(let symbol): return "'\(symbol)'"
        case .comparison(let op): return "'\(op.rawValue)'"
        }
    }

    /// Reads what `read` reads one level deeper, refusing to go past `maximumDepth`.
    mutating func nested<T>(_ read: (inout ExpressionParser) throws -> T) throws -> T {
        try descend()
        defer { depth -= 1 }
        return try read(&self)
    }

    /// One level deeper, or the error that says the expression nests too deep.
    mutating func descend() throws {
        guard depth < Self.maximumDepth else {
            throw ExpressionSyntaxError(message: "expression nested deeper than \(Self.maximumDepth)")
        }
        depth += 1
    }

    /// `conjunction (or conjunction)*`: the loosest level, where conditions are read.
    mutating func condition() throws -> Expression {
        try logical(.or) { try $0.logical(.and) { try $0.negation() } }
    }

    /// `operand (logic operand)*`, as one `logical` node.
    mutating func logical(_ logic: Expression.Logic, operand: (inout ExpressionParser) throws -> Expression) throws -> Expression {
        let first = try operand(&self)
        var operands = [first]
        while position < pieces.count, pieces[position] == .name(logic.rawValue) {
            position += 1
            operands.append(try operand(&self))
        }
        return operands.count == 1 ? first : .logical(logic, operands)
    }

    /// `not negation`, or a comparison.
    mutating func negation() throws -> Expression {
        if position < pieces.count, pieces[position] == .name("not") {
            position += 1
            return .not(try nested { try $0.negation() })
        }
        return try comparison()
    }

    /// `expression (op expression)?`: one comparison at most (`a < b < c` is refused).
    mutating func comparison() throws -> Expression {
        let left = try expression()
        guard position < pieces.count, case .comparison(let op) = pieces[position] else { return left }
        position += 1
        let right = try expression()
        if position < pieces.count, case .comparison(let next) = pieces[position] {
            throw ExpressionSyntaxError(message: "one comparison at a time: write '\(left.abbreviated()) \(op.rawValue) \(right.abbreviated()) and …' rather than chaining '\(next.rawValue)'")
        }
        return .compare(left, op, right)
    }

    /// `term (+|- term)*`, as one chain.
    mutating func expression() throws -> Expression {
        let first = try term()
        var operations: [Expression.Operation] = []
        while let op = peekSymbol(), op == "+" || op == "-" {
            position += 1
            operations.append(Expression.Operation(op == "+" ? .add : .subtract, try term()))
        }
        return operations.isEmpty ? first : .chain(first, operations)
    }

    /// `unary (*|/ unary)*`, as one chain.
    mutating func term() throws -> Expression {
        let first = try unary()
        var operations: [Expression.Operation] = []
        while let op = peekSymbol(), op == "*" || op == "/" {
            position += 1
            operations.append(Expression.Operation(op == "*" ? .multiply : .divide, try unary()))
        }
        return operations.isEmpty ? first : .chain(first, operations)
    }

    mutating func unary() throws -> Expression {
        if peekSymbol() == "-" {
            position += 1
            let operand = try nested { try $0.unary() }
            if case .number(let value) = operand { return .number(-value) }
            return .negate(operand)
        }
        return try postfix()
    }

    /// A primary and its indices. Each `[…]` nests the tree one level deeper (`p[0][1]` indexes an
    /// index), so each counts towards the depth, as a bracket inside another does.
    mutating func postfix() throws -> Expression {
        var base = try primary()
        let outer = depth
        defer { depth = outer }
        while peekSymbol() == "[" {
            try descend()
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
            try expect("]", after: "the indices of \(base.abbreviated())")
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
                    arguments.append(try nested { try $0.condition() })
                } while peekSymbol() == ","
            }
            try expect(")", after: "the arguments of \(Expression.abbreviate(name))")
            return .call(name, arguments)
        case .symbol("("):
            let inner = try nested { try $0.condition() }
            try expect(")", after: "'(\(inner.abbreviated())'")
            return inner
        case .symbol(let symbol):
            throw ExpressionSyntaxError(message: "unexpected '\(symbol)'")
        case .comparison(let op):
            throw ExpressionSyntaxError(message: "unexpected '\(op.rawValue)': a comparison needs something on its left")
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
            } else if "<>=!".contains(c) {
                let twoCharacters = i + 1 < chars.count && chars[i + 1] == "="
                let text = twoCharacters ? String([c, "="]) : String(c)
                guard let op = Expression.Comparison(rawValue: text) else {
                    throw ExpressionSyntaxError(message: c == "=" ? "'=' alone compares nothing: write '==' to test equality" : "unexpected '\(c)' (write '!=' for 'not equal')")
                }
                pieces.append(.comparison(op))
                i += twoCharacters ? 2 : 1
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
