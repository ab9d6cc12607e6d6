import Tensor
import Transformer

/// The first block of a weight as a quantized file holds it: what `@show block NAME` draws and
/// `block(NAME, 'field')` reads.
///
/// A weight kept as floats (tiny-gpt's) is quantized here to Q4_1 (`Q4_1Block`, bit for bit as
/// llama.cpp and the `gguf` package do): its first 32 numbers, in the order the parameter's layout
/// stores them after the selection fixes a head axis. A weight a GGUF file keeps quantized is the file's
/// own first block of the selected head's first row (the file's Linear rows, `[out, in]`), read in
/// place and widened by the kernels the forward pass uses.
public struct WeightBlock: Sendable, Equatable {
    /// The parameter, with its head when the selection fixed one (`blocks.0.attn.W_Q · head 1`).
    public var title: String
    /// The block type's name (`Q4_1`, `Q8_0`, `Q4_K`).
    public var type: String
    /// True when the block is the file's own; false when it was quantized here from floats.
    public var fromFile: Bool
    /// The block's scale d, widened from its half float (Q4_K, Q5_K: the super-block's d; Q6_K: d).
    public var scale: Float
    /// The block's minimum m (Q4_1, Q5_1), or the super-block's dmin (Q4_K, Q5_K); nil when the type
    /// has none.
    public var minimum: Float?
    /// The codes as stored (Q4_1: 0…15; Q8_0: −128…127; Q4_0: 0…15 standing for q − 8; Q5_0 and
    /// Q5_1: 0…31; Q4_K 0…15, Q5_K 0…31, Q6_K 0…63 standing for q − 32); nil for a type without codes.
    public var codes: [Int]?
    /// A k-quant's groups (each 32 or 16 values' own scale and min, see `BlockGroup`); nil otherwise.
    public var groups: [BlockGroup]? = nil
    /// The values the block stands for, as the forward pass widens them.
    public var widened: [Float]
    /// The floats that were quantized (nil for a file's own block: the file keeps no original).
    public var original: [Float]?
    /// The block's bytes as a file holds them.
    public var bytes: [UInt8]
    /// Where each value sits in the parameter (`[0, 3]` within the selected head's slice).
    public var entries: [String]

    /// Values per block (32; 256 for the k-quants).
    public var count: Int { widened.count }
}

extension Evaluator {
    /// The first block of the parameter named by `argument` (a name, `{layer}` and `{head}` written in).
    func weightBlock(_ argument: Expression) throws -> WeightBlock {
        guard case .name(let written) = argument else {
            throw EvaluationError("block() and @show block take a parameter's name, as in blocks.{layer}.attn.W_Q, not \(argument)")
        }
        let name = try substitute(written)
        if context.cache[name] != nil && context.parameters[name] == nil {
            throw EvaluationError("\(name) is a hook, computed on the sentence: a file's blocks hold parameters (weights), such as blocks.{layer}.attn.W_Q")
        }
        if let weight = context.parameters.quantized[name], weight.matrix.format.values > 1,
           context.parameters.tensors[name] == nil {
            return try fileBlock(weight, name: name)
        }
        guard let tensor = context.parameters[name] else { throw unknownName(name) }
        var array = LessonArray(name: name, tensor: tensor, roles: context.axisRoles(of: name, shape: tensor.shape))
        var title = name
        if let role = array.roles.first, role == .head || role == .kvHead, array.shape.count > 1 {
            let head = role == .head ? selection.head : selection.kvHead(in: context)
            guard head < array.shape[0] else {
                throw EvaluationError("the selected head \(head) is out of range for \(name) (\(array.shape[0]) heads)")
            }
            array = array.taking(head, axis: 0)
            title += " · head \(head)"
        }
        let values = Array(array.values.prefix(Q4_1Block.format.values))
        guard values.count == Q4_1Block.format.values else {
            throw EvaluationError("\(title) has \(array.count) numbers, and a Q4_1 block needs 32")
        }
        guard let block = Q4_1Block(quantizing: values) else {
            throw EvaluationError("the first 32 numbers of \(title) cannot be quantized (one is infinite or not a number)",
                                  learner: "(these weights cannot be quantized)")
        }
        return WeightBlock(title: title, type: Q4_1Block.format.name, fromFile: false, scale: block.scale,
                           minimum: block.minimum, codes: block.codes.map(Int.init), widened: block.widened,
                           original: values, bytes: block.bytes,
                           entries: (0..<values.count).map { Self.entry($0, shape: array.shape) })
    }

    /// `[i, j]`: the flat position `flat` as indices of `shape` (row-major).
    static func entry(_ flat: Int, shape: [Int]) -> String {
        var rest = flat
        var indices: [Int] = []
        for size in shape.reversed() {
            indices.append(rest % size)
            rest /= size
        }
        return "[" + indices.reversed().map(String.init).joined(separator: ", ") + "]"
    }

    /// The file's own first block of the selected head's first row (or of row 0).
    func fileBlock(_ weight: QuantizedParameter, name: String) throws -> WeightBlock {
        let matrix = weight.matrix
        var row = 0
        var title = name
        var head = 0
        if case .headsIn(let heads) = weight.layout {
            head = heads == context.config.nHeads ? selection.head : selection.kvHead(in: context)
            guard head < heads else {
                throw EvaluationError("the selected head \(head) is out of range for \(name) (\(heads) heads)")
            }
            row = head * (matrix.rows / heads)
            title += " · head \(head)"
        }
        let format = matrix.format
        let start = matrix.bytes.baseAddress! + row * matrix.rowBytes
        let bytes = Array(UnsafeRawBufferPointer(start: start, count: format.bytes))
        var widened = [Float](repeating: 0, count: format.values)
        let read = widened.withUnsafeMutableBufferPointer { format.widen(start, blocks: 1, into: $0.baseAddress!) }
        guard read else {
            throw EvaluationError("\(name) is stored as \(format.name), whose blocks this program does not read")
        }
        let dh = context.config.headSize
        let entries: [String] = (0..<format.values).map { column in
            switch weight.layout {
            case .rows: return "[\(row), \(column)]"
            case .headsIn(let heads): return "[\(column), \(row - head * (matrix.rows / heads))]"
            case .headsOut: return "[\(column / dh), \(column % dh), \(row)]"
            case .transposed: return "[\(column), \(row)]"
            }
        }
        let (scale, minimum, codes) = BlockCodes.read(bytes, format: format)
        return WeightBlock(title: title, type: format.name, fromFile: true, scale: scale, minimum: minimum,
                           codes: codes, groups: BlockCodes.groups(bytes, format: format), widened: widened,
                           original: nil, bytes: bytes, entries: entries)
    }

    /// `block(NAME, 'field')`: a field of the parameter's first block.
    func blockValue(_ arguments: [Expression]) throws -> LessonValue {
        let field = try text(of: arguments[1], in: "block()")
        let fields = ["type", "file", "d", "m", "codes", "values", "original", "bytes", "hex", "size", "count", "rule", "scales"]
        guard fields.contains(field) else {
            throw EvaluationError("block(): '\(field)' is not a field of a block (fields: \(fields.joined(separator: ", ")))")
        }
        let block = try weightBlock(arguments[0])
        func row(_ values: [Float]) -> LessonValue {
            .array(LessonArray(name: "block(\(block.title), '\(field)')", shape: [values.count], roles: [.feature], values: values))
        }
        switch field {
        case "type": return .text(block.type)
        case "file": return .integer(block.fromFile ? 1 : 0)
        case "d": return .number(Double(block.scale))
        case "m":
            guard let minimum = block.minimum else {
                throw EvaluationError("a \(block.type) block has no minimum m (only a scale d)", learner: "(a \(block.type) block has no m)")
            }
            return .number(Double(minimum))
        case "codes":
            guard let codes = block.codes else {
                throw EvaluationError("a \(block.type) block has no codes (only the quantized types have)",
                                      learner: "(the codes of \(block.type) are not shown)")
            }
            return row(codes.map(Float.init))
        case "values": return row(block.widened)
        case "original":
            guard let original = block.original else {
                throw EvaluationError("\(block.title) is the file's own \(block.type) block: the file keeps no original floats",
                                      learner: "(the file keeps no original numbers)")
            }
            return row(original)
        case "bytes": return row(block.bytes.map(Float.init))
        case "hex": return .text(block.bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined(separator: " "))
        case "size": return .integer(block.bytes.count)
        case "rule": return .text(ShowEvaluation.rule(block.type))
        case "scales": return .text(ShowEvaluation.scales(block).joined(separator: " and "))
        default: return .integer(block.count)
        }
    }
}
