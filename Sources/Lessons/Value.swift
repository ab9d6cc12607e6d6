/// What an expression evaluates to.
public enum LessonValue: Sendable, Equatable {
    /// A count, a position, a config number, a selection part.
    case integer(Int)
    /// A number from the model (or arithmetic on such numbers).
    case number(Double)
    /// A token, a list of tokens, a config string.
    case text(String)
    /// Part of a tensor: a row, a matrix.
    case array(LessonArray)

    /// The value written into prose: numbers with `decimals` (default 2; whole numbers without
    /// decimals unless some are asked for), a row as `[a, b, …]`. Throws for more than a row.
    public func formatted(decimals: Int?) throws -> String {
        switch self {
        case .integer(let value):
            return decimals.map { NumberText.format(Double(value), decimals: $0) } ?? String(value)
        case .number(let value):
            return NumberText.format(value, decimals: decimals ?? NumberText.defaultDecimals)
        case .text(let text):
            return text
        case .array(let array):
            guard array.shape.count <= 1 else {
                throw EvaluationError("\(array.describe) is \(array.shape.map(String.init).joined(separator: "×")) numbers: a placeholder shows one number or one row (index it further, or use @show)",
                                      learner: "(too many numbers to write here)")
            }
            return NumberText.vector(array.values, decimals: decimals ?? NumberText.defaultDecimals)
        }
    }

    /// The value as one number, if it is one.
    public var number: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .number(let value): return value
        case .array(let array) where array.values.count == 1 && array.shape.count == 0: return Double(array.values[0])
        default: return nil
        }
    }
}

/// Part of a tensor, with what its axes count.
public struct LessonArray: Sendable, Equatable {
    /// The hook or parameter it came from, with the indices applied (`blocks.0.attn.q[1, 9]`).
    public var name: String
    public var shape: [Int]
    public var roles: [AxisRole]
    /// Row-major.
    public var values: [Float]

    public init(name: String, shape: [Int], roles: [AxisRole], values: [Float]) {
        self.name = name; self.shape = shape; self.roles = roles; self.values = values
    }

    var describe: String { "\(name) [\(shape.map(String.init).joined(separator: ","))]" }

    /// Rows of a rank-2 array.
    public var rows: [[Float]] {
        guard shape.count == 2 else { return [values] }
        return (0..<shape[0]).map { Array(values[($0 * shape[1])..<(($0 + 1) * shape[1])]) }
    }

    /// The sub-array at `index` along `axis`, which is removed.
    func taking(_ index: Int, axis: Int) -> LessonArray {
        let outer = shape[..<axis].reduce(1, *)
        let size = shape[axis]
        let inner = shape[(axis + 1)...].reduce(1, *)
        var out: [Float] = []
        out.reserveCapacity(outer * inner)
        for o in 0..<outer {
            let base = (o * size + index) * inner
            out.append(contentsOf: values[base..<(base + inner)])
        }
        var shape = shape, roles = roles
        shape.remove(at: axis)
        roles.remove(at: axis)
        return LessonArray(name: name, shape: shape, roles: roles, values: out)
    }
}

/// Why a value could not be computed: a message for the lesson's author (the checker prints it) and
/// a short one for the learner (the UI shows it in place of the value).
public struct EvaluationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var learnerMessage: String

    public init(_ message: String, learner: String? = nil) {
        self.message = message
        self.learnerMessage = learner ?? "(\(message))"
    }

    public var description: String { message }
}
