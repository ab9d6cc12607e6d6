import Analysis
import Foundation
import Tensor
import Transformer

/// Evaluates expressions on a live model run and a selection. Every number it returns is the
/// cache's or a parameter's, or arithmetic the lesson wrote on them.
public struct Evaluator: Sendable {
    public let context: LessonContext
    public let selection: Selection
    /// The run of the step's `@compare` sentence, which `compared(…)` evaluates on.
    public let compared: LessonContext?

    public init(context: LessonContext, selection: Selection, compared: LessonContext? = nil) {
        self.context = context
        self.selection = selection
        self.compared = compared
    }

    /// An evaluator of the `@compare` sentence's run, with the selection carried over: the query and
    /// key move to their partner tokens there (tokens lined up as `explorer compare` lines them up).
    public func comparedEvaluator() throws -> Evaluator {
        guard let compared else {
            throw EvaluationError("compared() reads the step's second sentence, and this step has none: add @compare followed by a sentence")
        }
        var carried = selection
        for (part, source) in [(\Selection.query, TokenSource.input), (\Selection.key, TokenSource.input)] {
            let alignment = TokenAlignment(context.tokens(source).map(\.text), compared.tokens(source).map(\.text))
            let position = selection[keyPath: part]
            carried[keyPath: part] = alignment.partner(ofA: position) ?? min(position, max(0, compared.tokens(source).count - 1))
        }
        return Evaluator(context: compared, selection: carried.clamped(in: compared))
    }

    /// The functions an expression may call.
    public static let functions = ["token", "target_token", "count", "sqrt", "exp", "log", "sin", "cos", "tanh", "abs", "sum", "max", "min",
                                   "argmax", "dot", "softmax", "top_k", "sort", "cumsum", "token_id", "id", "vocab", "next_token",
                                   "params", "grouped", "weight", "compared", "block"]
    /// Names that are not hooks or parameters.
    public static let variables = ["layer", "head", "kv_head", "query", "key", "temperature", "k", "last", "dh", "d_k", "tokens",
                                   "target_tokens", "ids", "mask"]

    public func evaluate(_ expression: Expression) throws -> LessonValue {
        switch expression {
        case .number(let value):
            return value == value.rounded() && abs(value) < 1e15 ? .integer(Int(value)) : .number(value)
        case .token(let text):
            return .text(text)
        case .all:
            throw EvaluationError("':' (a whole axis) belongs inside brackets, as in W_Q[head, :, 0]")
        case .name(let name):
            return try value(named: name)
        case .index(let base, let indices):
            return try index(base, indices)
        case .negate(let operand):
            return try arithmetic(.subtract, .integer(0), try evaluate(operand))
        case .chain(let first, let operations):
            // Left to right in a loop: a sum of many terms is one chain, not a deep tree.
            var value = try evaluate(first)
            for operation in operations {
                value = try arithmetic(operation.op, value, try evaluate(operation.operand))
            }
            return value
        case .call(let function, let arguments):
            return try call(function, arguments)
        case .compare(let left, let op, let right):
            return .integer(try compare(try evaluate(left), op, try evaluate(right), expression) ? 1 : 0)
        case .logical(let logic, let operands):
            // Left to right, stopping once the answer is known: `'cat' in … and weight(…) > 0.5`
            // never reads a weight of a missing token.
            for operand in operands {
                let holds = try truth(operand)
                if logic == .and && !holds { return .integer(0) }
                if logic == .or && holds { return .integer(1) }
            }
            return .integer(logic == .and ? 1 : 0)
        case .not(let operand):
            return .integer(try truth(operand) ? 0 : 1)
        }
    }

    /// Whether a condition holds: a number other than 0 (a comparison gives 1 or 0).
    public func truth(_ expression: Expression) throws -> Bool {
        let value = try evaluate(expression)
        guard let number = value.number else {
            throw EvaluationError("\(expression.abbreviated()) is not a condition\(Self.kind(of: value)): compare it (<, <=, >, >=, ==, !=)")
        }
        return number != 0 && !number.isNaN
    }

    /// `left op right` on two values: numbers in any order; texts equal or not.
    func compare(_ left: LessonValue, _ op: Expression.Comparison, _ right: LessonValue, _ expression: Expression) throws -> Bool {
        if let a = left.number, let b = right.number {
            switch op {
            case .less: return a < b
            case .lessOrEqual: return a <= b
            case .greater: return a > b
            case .greaterOrEqual: return a >= b
            case .equal: return a == b
            case .notEqual: return a != b
            }
        }
        if case .text(let a) = left, case .text(let b) = right {
            switch op {
            case .equal: return a == b
            case .notEqual: return a != b
            default: throw EvaluationError("\(expression.abbreviated()): texts compare only with == and !=")
            }
        }
        throw EvaluationError("\(expression.abbreviated()) compares \(Self.describe(left)) with \(Self.describe(right))")
    }

    /// A value as a message names it.
    static func describe(_ value: LessonValue) -> String {
        switch value {
        case .integer, .number: return "a number"
        case .text(let text): return "the text '\(text)'"
        case .array(let array): return "\(array.shape.map(String.init).joined(separator: "×")) numbers"
        }
    }

    /// One number: what a number quiz's answer must be.
    public func number(_ expression: Expression) throws -> Double {
        let value = try evaluate(expression)
        guard let number = value.number else {
            throw EvaluationError("\(expression) is not one number\(Self.kind(of: value))")
        }
        return number
    }

    static func kind(of value: LessonValue) -> String {
        switch value {
        case .text(let text): return " (it is the text '\(text)')"
        case .array(let array): return " (it is \(array.shape.map(String.init).joined(separator: "×")) numbers: index it further)"
        default: return ""
        }
    }

    // MARK: names

    /// `blocks.{layer}.attn.q` with the selection's layer and head written in.
    public func substitute(_ name: String) throws -> String {
        guard name.contains("{") else { return name }
        var out = name.replacingOccurrences(of: "{layer}", with: String(selection.layer))
            .replacingOccurrences(of: "{head}", with: String(selection.head))
        if let open = out.firstIndex(of: "{") {
            let close = out[open...].firstIndex(of: "}") ?? out.endIndex
            let part = String(out[open..<min(out.index(after: close), out.endIndex)])
            throw EvaluationError("unknown \(part) in the name \(name) (a name may contain {layer} and {head})")
        }
        out = out.replacingOccurrences(of: "}", with: "")
        return out
    }

    func value(named name: String) throws -> LessonValue {
        switch name {
        case "layer": return .integer(selection.layer)
        case "head": return .integer(selection.head)
        case "kv_head": return .integer(selection.kvHead(in: context))
        case "query": return .integer(selection.query)
        case "key": return .integer(selection.key)
        case "temperature": return .number(selection.temperature)
        case "k": return .integer(selection.k)
        case "last": return .integer(context.tokens.count - 1)
        case "dh", "d_k": return .integer(context.config.headSize)
        case "tokens": return .text(context.labels(.input).joined(separator: " · "))
        case "target_tokens": return .text(context.labels(.decoder).joined(separator: " · "))
        case "ids":
            let ids = context.tokens.map { Float($0.id) }
            return .array(LessonArray(name: "ids", shape: [ids.count], roles: [.query(.input)], values: ids))
        case "mask": return .text(context.inspection.mask.description)
        case "params":
            throw EvaluationError("'params' is only for count(params), the number of parameters")
        default: break
        }
        if name.hasPrefix("config.") { return try configValue(String(name.dropFirst("config.".count))) }
        if name.hasPrefix("safetensors.") { return try safetensorsValue(String(name.dropFirst("safetensors.".count))) }
        return .array(try array(named: name))
    }

    /// The hook or parameter `name` ({layer} and {head} written in) as an array.
    public func array(named name: String) throws -> LessonArray {
        let full = try substitute(name)
        let tensor: Tensor
        if let recorded = context.cache[full] {
            tensor = recorded
        } else if let parameter = context.parameters[full] {
            tensor = parameter
        } else {
            throw unknownName(full)
        }
        return LessonArray(name: full, tensor: tensor, roles: context.axisRoles(of: full, shape: tensor.shape))
    }

    func unknownName(_ name: String) -> EvaluationError {
        let candidates = context.knownNames + Self.variables
        var message = "unknown hook or parameter '\(name)'"
        if let close = Self.closest(to: name, in: candidates) { message += " (did you mean '\(close)'?)" }
        else if [Site.Stack.encoder, .decoder].contains(where: {
            Hook(parsing: $0.prefix + name, in: context.config) != nil || context.parameters[$0.prefix + name] != nil
        }) {
            message += " (this model's names begin with encoder. or decoder.)"
        }
        return EvaluationError(message, learner: "(\(name) is not in this run)")
    }

    /// The candidate nearest `name` by edit distance, if it is near enough to be a typo.
    static func closest(to name: String, in candidates: [String]) -> String? {
        let limit = max(2, name.count / 4)
        var best: (String, Int)?
        for candidate in candidates where abs(candidate.count - name.count) <= limit {
            let d = editDistance(Array(name.utf8), Array(candidate.utf8))
            if d <= limit && d < (best?.1 ?? .max) { best = (candidate, d) }
        }
        return best?.0
    }

    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        var previous = Array(0...b.count)
        for i in 1...max(1, a.count) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(1, b.count) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }

    func configValue(_ key: String) throws -> LessonValue {
        let config = context.config
        if case .object(let fields) = context.loaded.rawConfig, let value = fields[key] {
            switch value {
            case .integer(let i): return .integer(i)
            case .number(let d): return .number(d)
            case .string(let s): return .text(s)
            case .bool(let b): return .text(b ? "true" : "false")
            case .null: return .text("none")
            case .array, .object: break
            }
        }
        switch key {
        case "d_head": return .integer(config.headSize)
        case "n_kv_heads": return .integer(config.kvHeads)
        case "n_decoder_layers": return .integer(config.decoderLayers)
        default:
            var fields: [String] = []
            if case .object(let object) = context.loaded.rawConfig { fields = object.keys.sorted() }
            throw EvaluationError("config.\(key) is not in the model's config.json (fields: \(fields.joined(separator: ", ")))")
        }
    }

    // MARK: indexing

    func index(_ base: Expression, _ indices: [Expression]) throws -> LessonValue {
        guard case .array(var array) = try evaluate(base) else {
            throw EvaluationError("\(base) is not a tensor, so it cannot be indexed")
        }
        let original = array.describe
        guard indices.count <= array.shape.count else {
            throw EvaluationError("\(original) has \(array.shape.count) axes but \(indices.count) indices were given")
        }
        var axis = 0
        var written: [String] = []
        for (n, indexExpression) in indices.enumerated() {
            if indexExpression == .all {
                axis += 1
                written.append(":")
                continue
            }
            let position = try resolveIndex(indexExpression, role: array.roles[axis], size: array.shape[axis],
                                            name: original, axisNumber: n)
            array = array.taking(position, axis: axis)
            written.append(String(position))
        }
        array.name = original.components(separatedBy: " [").first! + "[" + written.joined(separator: ", ") + "]"
        if array.shape.isEmpty { return .number(Double(array.values[0])) }
        return .array(array)
    }

    /// The position an index expression names on an axis of role `role` and length `size`.
    func resolveIndex(_ expression: Expression, role: AxisRole, size: Int, name: String, axisNumber: Int) throws -> Int {
        let position: Int
        switch expression {
        case .token(let text):
            if role == .vocabulary {
                guard let id = context.loaded.tokenizer.id(for: text) else {
                    throw EvaluationError("'\(text)' is not in the vocabulary of \(context.loaded.name)",
                                          learner: "('\(text)' is not a word this model knows)")
                }
                position = id
            } else if let source = role.tokenSource {
                position = try context.quotedPosition(text, in: source, place: " in an index of \(name)")
            } else {
                throw EvaluationError("the quoted token '\(text)' indexes axis \(axisNumber) of \(name), which does not count tokens")
            }
        case .name("head") where role == .kvHead:
            position = selection.kvHead(in: context)
        case .name("last"):
            position = size - 1
        default:
            let value = try evaluate(expression)
            guard let whole = Self.whole(value.number) else {
                throw EvaluationError("the index \(expression) of \(name) is not a whole number\(Self.kind(of: value))")
            }
            position = whole
        }
        guard position >= 0 && position < size else {
            let learner = role.tokenSource != nil ? "(your sentence has no token \(position))" : "(index \(position) is out of range)"
            let said = expression == .number(Double(position)) ? "index \(position)" : "index \(position) (\(expression))"
            throw EvaluationError("\(said) is out of range for axis \(axisNumber) of \(name), which has \(size) entries",
                                  learner: learner)
        }
        return position
    }

    // MARK: arithmetic and functions

    /// `number` as an Int when it is a whole number of a sensible size (a position, a count).
    static func whole(_ number: Double?) -> Int? {
        guard let number, number == number.rounded(), abs(number) < 1e12 else { return nil }
        return Int(number)
    }

    func arithmetic(_ op: Expression.BinaryOperator, _ a: LessonValue, _ b: LessonValue) throws -> LessonValue {
        if case .integer(let x) = a, case .integer(let y) = b, op != .divide {
            let (result, overflow): (Int, Bool)
            switch op {
            case .add: (result, overflow) = x.addingReportingOverflow(y)
            case .subtract: (result, overflow) = x.subtractingReportingOverflow(y)
            default: (result, overflow) = x.multipliedReportingOverflow(by: y)
            }
            if !overflow { return .integer(result) }
        }
        func apply(_ x: Double, _ y: Double) -> Double {
            switch op {
            case .add: return x + y
            case .subtract: return x - y
            case .multiply: return x * y
            case .divide: return x / y
            }
        }
        switch (a, b) {
        case (.array(let x), .array(let y)):
            guard x.shape == y.shape else {
                throw EvaluationError("cannot combine \(x.describe) and \(y.describe): their shapes differ")
            }
            return .array(LessonArray(name: x.name, shape: x.shape, roles: x.roles,
                                      values: zip(x.values, y.values).map { Float(apply(Double($0), Double($1))) }))
        case (.array(let x), _):
            guard let y = b.number else { throw EvaluationError("cannot do arithmetic with text") }
            return .array(LessonArray(name: x.name, shape: x.shape, roles: x.roles, values: x.values.map { Float(apply(Double($0), y)) }))
        case (_, .array(let y)):
            guard let x = a.number else { throw EvaluationError("cannot do arithmetic with text") }
            return .array(LessonArray(name: y.name, shape: y.shape, roles: y.roles, values: y.values.map { Float(apply(x, Double($0))) }))
        default:
            guard let x = a.number, let y = b.number else { throw EvaluationError("cannot do arithmetic with text") }
            return .number(apply(x, y))
        }
    }

    func call(_ function: String, _ arguments: [Expression]) throws -> LessonValue {
        guard Self.functions.contains(function) else {
            throw EvaluationError("unknown function \(function)() (functions: \(Self.functions.joined(separator: ", ")))")
        }
        let expected = ["dot", "top_k", "weight", "block"].contains(function) ? 2 : 1
        if function == "params" {
            guard arguments.count == 1 || arguments.count == 2 else {
                throw EvaluationError("params() takes a model or preset and maybe a part, as in params('gpt2-small', 'attention'); got \(arguments.count) arguments")
            }
            return try parameterCount(arguments)
        }
        guard arguments.count == expected else {
            throw EvaluationError("\(function)() takes \(expected) argument\(expected == 1 ? "" : "s"), got \(arguments.count)")
        }
        if function == "block" {
            // A field of a parameter's first block in a quantized file: block(blocks.0.attn.W_Q, 'd').
            return try blockValue(arguments)
        }
        if function == "compared" {
            // The same expression on the step's @compare sentence.
            return try comparedEvaluator().evaluate(arguments[0])
        }
        if function == "weight" {
            // The softmax weight query → key in the selected layer and head: the commonest claim.
            let stack = context.config.architecture == .encoderDecoder ? "decoder." : ""
            return try evaluate(.index(.name(stack + "blocks.{layer}.attn.pattern"), [.name("head"), arguments[0], arguments[1]]))
        }
        switch function {
        case "token", "target_token":
            let source: TokenSource = function == "token" ? .input : .decoder
            let position = try tokenPosition(arguments[0], function: function, in: source)
            let labels = context.labels(source)
            return .text(labels[position])
        case "count":
            switch arguments[0] {
            case .name("tokens"): return .integer(context.tokens.count)
            case .name("target_tokens"): return .integer(context.tokens(.decoder).count)
            case .name("params"):
                return .integer(context.parameters.elementCount)
            default:
                let value = try evaluate(arguments[0])
                guard case .array(let array) = value else { return .integer(1) }
                return .integer(array.count)
            }
        case "token_id":
            let position = try tokenPosition(arguments[0], function: "token_id")
            return .integer(context.tokens[position].id)
        case "id":
            return .integer(try vocabularyId(arguments[0]))
        case "vocab":
            guard let id = Self.whole(try evaluate(arguments[0]).number) else {
                throw EvaluationError("vocab() needs a token id, got \(arguments[0])")
            }
            guard id >= 0 && id < context.config.vocabSize, let text = context.loaded.tokenizer.token(for: id) else {
                throw EvaluationError("vocab(\(arguments[0])): \(id) is not an id of \(context.loaded.name)'s vocabulary (0 to \(context.config.vocabSize - 1))",
                                      learner: "(no token \(id) in the vocabulary)")
            }
            return .text(context.loaded.tokenizer.display(text))
        case "next_token":
            return try nextToken(try evaluate(arguments[0]), arguments[0])
        case "top_k":
            return try topK(try evaluate(arguments[0]), arguments[0], k: arguments[1])
        case "grouped":
            guard let number = try evaluate(arguments[0]).number, number == number.rounded(), abs(number) < 9e15 else {
                throw EvaluationError("grouped() needs a whole number, got \(arguments[0])")
            }
            return .text(NumberText.grouped(Int(number)))
        case "dot":
            guard case .array(let a) = try evaluate(arguments[0]), case .array(let b) = try evaluate(arguments[1]),
                  a.count == b.count else {
                throw EvaluationError("dot() needs two rows of the same length")
            }
            var sum = 0.0
            for (x, y) in zip(a.values, b.values) { sum += Double(x) * Double(y) }
            return .number(sum)
        default:
            return try reduceOrMap(function, try evaluate(arguments[0]))
        }
    }

    func reduceOrMap(_ function: String, _ value: LessonValue) throws -> LessonValue {
        let elementwise: ((Double) -> Double)? = ["sqrt": { $0.squareRoot() }, "exp": { Foundation.exp($0) },
                                                   "log": { Foundation.log($0) }, "sin": { Foundation.sin($0) },
                                                   "cos": { Foundation.cos($0) }, "tanh": { Foundation.tanh($0) },
                                                   "abs": { Swift.abs($0) }][function]
        if let f = elementwise {
            switch value {
            case .array(let a):
                return .array(LessonArray(name: a.name, shape: a.shape, roles: a.roles, values: a.values.map { Float(f(Double($0))) }))
            default:
                guard let x = value.number else { throw EvaluationError("\(function)() needs numbers") }
                return .number(f(x))
            }
        }
        guard case .array(let a) = value, a.count > 0 else {
            if let x = value.number, function != "softmax" {
                return function == "argmax" ? .integer(0) : .number(x)
            }
            throw EvaluationError("\(function)() needs a row of numbers")
        }
        let values = a.values.map(Double.init)
        switch function {
        case "sum": return .number(values.reduce(0, +))
        case "max": return .number(values.max()!)
        case "min": return .number(values.min()!)
        case "argmax": return .integer(values.indices.max { values[$0] < values[$1] }!)
        case "sort", "cumsum":
            guard a.shape.count == 1 else { throw EvaluationError("\(function)() needs one row, \(a.describe) has more") }
            if function == "cumsum" {
                var total = 0.0
                return .array(LessonArray(name: "cumsum(\(a.name))", shape: a.shape, roles: a.roles,
                                          values: values.map { total += $0; return Float(total) }))
            }
            // Largest first; the entries are ranks now, no longer tokens or positions.
            return .array(LessonArray(name: "sort(\(a.name))", shape: a.shape, roles: [.feature],
                                      values: a.values.sorted { $0 > $1 }))
        case "softmax":
            guard a.shape.count == 1 else { throw EvaluationError("softmax() needs one row, \(a.describe) has more") }
            let peak = values.max()!
            let terms = values.map { $0 == -.infinity ? 0 : Foundation.exp($0 - peak) }
            let total = terms.reduce(0, +)
            return .array(LessonArray(name: "softmax(\(a.name))", shape: a.shape, roles: a.roles,
                                      values: terms.map { Float($0 / total) }))
        default:
            throw EvaluationError("unknown function \(function)()")
        }
    }

    /// `top_k(v, k)`: the distribution `v` with all but its k largest entries set to 0 and the kept
    /// ones divided by their sum, so that they add up to 1 again. Of entries tied at the boundary the
    /// earliest are kept, as a stable sort, largest first, would order them. The entries keep their
    /// roles, so bars of it are still labelled by word.
    func topK(_ value: LessonValue, _ argument: Expression, k kArgument: Expression) throws -> LessonValue {
        guard case .array(let a) = value, a.count > 0 else {
            throw EvaluationError("top_k() needs a row of probabilities, as in top_k(probs[query], k), got \(argument)\(Self.kind(of: value))")
        }
        guard a.shape.count == 1 else { throw EvaluationError("top_k() needs one row, \(a.describe) has more") }
        let kValue = try evaluate(kArgument)
        guard let k = Self.whole(kValue.number), k >= 1 else {
            throw EvaluationError("top_k() keeps k entries: k must be a whole number of 1 or more, got \(kArgument)\(Self.kind(of: kValue))",
                                  learner: "(k must be a whole number of 1 or more)")
        }
        let values = a.values.map(Double.init)
        if let bad = values.first(where: { !($0 >= 0) }) {
            throw EvaluationError("top_k() needs probabilities (numbers of 0 or more), but \(a.name) has \(NumberText.format(bad)): take the softmax first, as in top_k(softmax(logits[query]), k)")
        }
        let order = values.indices.sorted { values[$0] != values[$1] ? values[$0] > values[$1] : $0 < $1 }
        let kept = order.prefix(k)
        let total = kept.reduce(0.0) { $0 + values[$1] }
        guard total > 0 else {
            throw EvaluationError("top_k(): the \(kept.count) largest entries of \(a.name) add up to 0, so there is nothing to share out")
        }
        var out = [Float](repeating: 0, count: values.count)
        for i in kept { out[i] = Float(values[i] / total) }
        return .array(LessonArray(name: "top_k(\(a.name), \(k))", shape: a.shape, roles: a.roles, values: out))
    }
}
