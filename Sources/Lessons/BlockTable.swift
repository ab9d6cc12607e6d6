#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How `@show block` lays out a weight's first block: a title with the block's type, d and m, and a
/// table of its values.
extension ShowEvaluation {
    /// At most this many of a block's values go in the table (a k-quant's block holds 256).
    static let blockRows = 32

    /// `Q4_1 block of blocks.0.attn.W_Q · head 0 (quantized here): d = 0.0421, m = −0.3302; 20 bytes for 32 values`.
    static func title(_ block: WeightBlock) -> String {
        let fields = scales(block)
        let source = block.fromFile ? "the file's" : "quantized here"
        var title = "\(block.type) block of \(block.title) (\(source)): \(fields.joined(separator: ", ")); "
            + "\(block.bytes.count) bytes for \(block.count) values"
        if block.count > blockRows { title += ", the first \(blockRows) shown" }
        return title
    }

    /// The block's scale and minimum as text (`scaleText`): `["d = 0.04213", "m = −0.3302"]`; a type
    /// without a minimum (Q8_0, Q4_0, Q5_0) has only d, a k-quant's minimum is its super-block's dmin,
    /// and a k-quant adds its first group's own scale (and min).
    static func scales(_ block: WeightBlock) -> [String] {
        var fields = ["d = " + scaleText(block.scale)]
        if let minimum = block.minimum {
            fields.append((block.type.hasSuffix("_K") ? "dmin = " : "m = ") + scaleText(minimum))
        }
        if let groups = block.groups, groups.count > 1 {
            let first = groups[0]
            if let min = first.minimum {
                fields.append("for the first \(first.count) numbers scale = \(first.scale) and min = \(min)")
            } else {
                fields.append("scale = \(first.scale) for the first \(first.count) numbers (\(groups[1].scale) for the next \(groups[1].count))")
            }
        }
        return fields
    }

    /// A scale or minimum as text: 4 decimals, or 4 significant digits when it is smaller than 0.1,
    /// so that a code times it, worked out by hand, lands within a quiz's tolerance (a Q8_0 step of
    /// 0.00245 times a code of 127).
    static func scaleText(_ value: Float) -> String {
        let magnitude = abs(Double(value))
        let decimals = magnitude > 0 && magnitude < 0.1 ? 3 - Int(log10(magnitude).rounded(.down)) : 4
        return NumberText.format(Double(value), decimals: min(decimals, 9))
    }

    /// The formula a code widens by, as the table's header says it.
    static func widening(_ type: String) -> String {
        switch type {
        case "Q4_1", "Q5_1": return "d·q + m"
        case "Q8_0": return "d·q"
        case "Q4_0": return "d·(q − 8)"
        case "Q5_0": return "d·(q − 16)"
        default: return "widened"
        }
    }

    /// The formula in words for `block(NAME, 'rule')`: the table header's, and for a k-quant the rule
    /// the table cannot head a column with.
    static func rule(_ type: String) -> String {
        switch type {
        case "Q4_K", "Q5_K": return "d·scale·q − dmin·min, with a 6-bit scale and min for each 32 numbers"
        case "Q6_K": return "d·scale·(q − 32), with an 8-bit scale for each 16 numbers"
        default: return widening(type)
        }
    }

    /// Where a type's 16 bytes of 4-bit codes start in a block (byte j: code j low, code j + 16 high).
    static func nibbleBytes(_ type: String) -> Int? {
        ["Q4_0": 2, "Q4_1": 4][type]
    }

    /// A block of 32: sixteen rows, value j on the left and value j + 16 on the right, as the codes
    /// share a byte (Q4_0, Q4_1: that byte, in hexadecimal, between them). Each side: where the value
    /// sits, the original float (when quantized here), its code and what the code widens to. A k-quant's
    /// block: one row per value, the first 32 (its first group's scale and min are in the title).
    static func table(_ block: WeightBlock, decimals: Int) -> LessonTable {
        func number(_ value: Float) -> String { NumberText.format(Double(value), decimals: decimals) }
        var side = ["entry"]
        if block.original != nil { side.append("original") }
        if block.codes != nil { side.append("q") }
        side.append(widening(block.type))
        func cells(_ i: Int) -> [String] {
            var row = [block.entries[i]]
            if let original = block.original { row.append(number(original[i])) }
            if let codes = block.codes { row.append(String(codes[i])) }
            row.append(number(block.widened[i]))
            return row
        }
        guard block.count == 32 else {
            return LessonTable(headers: side, rows: (0..<min(block.count, blockRows)).map(cells))
        }
        let packed = nibbleBytes(block.type)
        let headers = side + (packed == nil ? [] : ["byte"]) + side
        let rows = (0..<16).map { j -> [String] in
            let byte = packed.map { [String(block.bytes[$0 + j], radix: 16).leftPadded(to: 2)] } ?? []
            return cells(j) + byte + cells(j + 16)
        }
        return LessonTable(headers: headers, rows: rows)
    }
}

extension String {
    /// The text with zeros before it up to `width` characters (`6` → `06`).
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
