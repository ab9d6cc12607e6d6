import Tensor
import Transformer

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
        case .array(let array) where array.shape.isEmpty: return Double(array.values[0])
        default: return nil
        }
    }
}

/// Part of a tensor, with what its axes count. Indexing the leading axis shares the tensor's
/// storage, so a row of a large hook is taken without copying the rest.
public struct LessonArray: Sendable, Equatable {
    /// The hook or parameter it came from, with the indices applied (`blocks.0.attn.q[1, 9]`).
    public var name: String
    public var tensor: Tensor
    public var roles: [AxisRole]

    public init(name: String, tensor: Tensor, roles: [AxisRole]) {
        self.name = name; self.tensor = tensor; self.roles = roles
    }

    public init(name: String, shape: [Int], roles: [AxisRole], values: [Float]) {
        self.init(name: name, tensor: Tensor(shape: shape, scalars: values), roles: roles)
    }

    public var shape: [Int] { tensor.shape }
    /// Row-major (a copy: read it once, not in a loop).
    public var values: [Float] { tensor.scalars }
    public var count: Int { tensor.count }

    var describe: String { "\(name) [\(shape.map(String.init).joined(separator: ","))]" }

    /// The same numbers under other roles and shape (a row seen as a one-row matrix).
    func reshaped(_ shape: [Int], roles: [AxisRole]) -> LessonArray {
        LessonArray(name: name, tensor: tensor.reshaped(shape), roles: roles)
    }

    /// The sub-array at `index` along `axis`, which is removed.
    func taking(_ index: Int, axis: Int) -> LessonArray {
        var roles = roles
        roles.remove(at: axis)
        if axis == 0 { return LessonArray(name: name, tensor: tensor.slice(index), roles: roles) }
        let outer = shape[..<axis].reduce(1, *)
        let size = shape[axis]
        let inner = shape[(axis + 1)...].reduce(1, *)
        var out: [Float] = []
        out.reserveCapacity(outer * inner)
        tensor.withUnsafeBufferPointer { all in
            for o in 0..<outer {
                let base = (o * size + index) * inner
                out.append(contentsOf: all[base..<(base + inner)])
            }
        }
        var shape = shape
        shape.remove(at: axis)
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
