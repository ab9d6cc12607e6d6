/// How `@show block` lays out a weight's first block: a title with the block's type, d and m, and a
/// table of its values.
extension ShowEvaluation {
    /// At most this many of a block's values go in the table (a k-quant's block holds 256).
    static let blockRows = 32

    /// `Q4_1 block of blocks.0.attn.W_Q · head 0 (quantized here): d = 0.0421, m = −0.3302; 20 bytes for 32 values`.
    static func title(_ block: WeightBlock) -> String {
        var fields = ["d = " + NumberText.format(Double(block.scale), decimals: 4)]
        if let minimum = block.minimum {
            fields.append((block.type.hasSuffix("_K") ? "dmin = " : "m = ") + NumberText.format(Double(minimum), decimals: 4))
        }
        let source = block.fromFile ? "the file's" : "quantized here"
        var title = "\(block.type) block of \(block.title) (\(source)): \(fields.joined(separator: ", ")); "
            + "\(block.bytes.count) bytes for \(block.count) values"
        if block.count > blockRows { title += ", the first \(blockRows) shown" }
        return title
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

    /// One row per value: where it sits, the original float (when quantized here), its code, what the
    /// code widens to, and the error (widened − original).
    static func table(_ block: WeightBlock, decimals: Int) -> LessonTable {
        func number(_ value: Float) -> String { NumberText.format(Double(value), decimals: decimals) }
        var headers = ["entry"]
        if block.original != nil { headers.append("original") }
        if block.codes != nil { headers.append("code q") }
        headers.append(widening(block.type))
        if block.original != nil { headers.append("error") }
        let rows = (0..<min(block.count, blockRows)).map { i -> [String] in
            var row = [block.entries[i]]
            if let original = block.original { row.append(number(original[i])) }
            if let codes = block.codes { row.append(String(codes[i])) }
            row.append(number(block.widened[i]))
            if let original = block.original { row.append(number(block.widened[i] - original[i])) }
            return row
        }
        return LessonTable(headers: headers, rows: rows)
    }
}
