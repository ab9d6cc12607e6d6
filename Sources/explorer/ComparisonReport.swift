import Analysis
import Foundation
import Tensor
import Terminal
import Transformer

/// What `compare` prints: both tokenizations, the head's matrix on each sentence, and B − A where the
/// tokens line up, with the tokens that have no partner named.
struct ComparisonReport {
    let comparison: PatternComparison
    let hook: Hook
    let head: Int
    let a: Inspection
    let b: Inspection
    let loaded: LoadedModel

    /// Columns of a number, and the gap before it.
    static let cellWidth = 7

    private func tokens(_ run: Inspection, _ source: TokenSource) -> [String] {
        let list = source == .decoder ? (run.decoderTokens ?? []) : run.tokens
        return list.map { Sanitizer.sanitize(loaded.tokenizer.display($0.text)) }
    }

    func rendered() -> String {
        let querySource = hook.site.queryTokens, keySource = hook.site.keyTokens
        let rowsA = tokens(a, querySource), rowsB = tokens(b, querySource)
        let columnsA = tokens(a, keySource), columnsB = tokens(b, keySource)
        var lines = ["model \(Sanitizer.sanitize(loaded.name)) · \(hook.name) · head \(head) · rows are queries, columns keys",
                     "A: \(Sanitizer.sanitize(a.text))", "B: \(Sanitizer.sanitize(b.text))"]
        if let target = a.target { lines.append("target (both): \(Sanitizer.sanitize(target))") }
        lines.append("")
        func listing(_ title: String, _ names: [String]) {
            lines.append("\(title) (\(names.count)): " + names.enumerated().map { "\($0):\($1)" }.joined(separator: "  "))
        }
        listing("tokens of A", tokens(a, .input))
        listing("tokens of B", tokens(b, .input))
        if a.decoderTokens != nil {
            listing("decoder tokens of A", tokens(a, .decoder))
            listing("decoder tokens of B", tokens(b, .decoder))
        }
        lines += alignmentLines(comparison.queries, rowsA, rowsB, what: querySource == keySource ? "tokens" : "queries")
        if querySource != keySource { lines += alignmentLines(comparison.keys, columnsA, columnsB, what: "keys") }
        lines.append("")
        lines.append("A")
        lines += table(comparison.a, rows: rowsA.enumerated().map { "\($0) \($1)" },
                       columns: columnsA.indices.map(String.init))
        lines.append("")
        lines.append("B")
        lines += table(comparison.b, rows: rowsB.enumerated().map { "\($0) \($1)" },
                       columns: columnsB.indices.map(String.init))
        lines.append("")
        let pairs = comparison.queries.pairs, keyPairs = comparison.keys.pairs
        if pairs.isEmpty || keyPairs.isEmpty {
            lines.append("B − A: no query and key line up in both sentences")
        } else {
            lines.append("B − A where the tokens line up (labels: position in A/position in B)")
            lines += table(comparison.difference, rows: pairs.map { "\($0.a)/\($0.b) \(rowsA[$0.a])" },
                           columns: keyPairs.map { "\($0.a)/\($0.b)" })
            lines.append(largestChange(rowsA, columnsA))
        }
        return lines.joined(separator: "\n")
    }

    /// The lined-up cell that changed most, or that none changed.
    private func largestChange(_ rowsA: [String], _ columnsA: [String]) -> String {
        let values = comparison.difference.scalars, n = comparison.keys.pairs.count
        guard let index = values.indices.max(by: { abs(values[$0]) < abs(values[$1]) }), values[index] != 0 else {
            return "every lined-up cell is the same in both sentences"
        }
        let row = comparison.queries.pairs[index / n], column = comparison.keys.pairs[index % n]
        let value = values[index]
        return "largest change: \(value > 0 ? "+" : "")\(NumberFormat.fixed(value, decimals: 4)) at query \(row.a) \(rowsA[row.a]) → key \(column.a) \(columnsA[column.a]) (positions in A)"
    }

    /// "lined up: 9 tokens; only in A: 7:tired; only in B: 7:wide".
    private func alignmentLines(_ alignment: TokenAlignment, _ namesA: [String], _ namesB: [String], what: String) -> [String] {
        func named(_ positions: [Int], _ names: [String]) -> String {
            positions.isEmpty ? "none" : positions.map { "\($0):\(names[$0])" }.joined(separator: "  ")
        }
        return ["lined up: \(alignment.pairs.count) \(what) · only in A: \(named(alignment.onlyInA, namesA)) · only in B: \(named(alignment.onlyInB, namesB))"]
    }

    /// A `[rows, columns]` matrix as text, every number in one format.
    private func table(_ matrix: Tensor, rows: [String], columns: [String]) -> [String] {
        let values = matrix.scalars
        let format = NumberFormat.common(values, width: Self.cellWidth - 1) ?? TableFormat(decimals: 0, dropsLeadingZero: false)
        let labelWidth = min(24, max(4, rows.map { DisplayWidth.of($0) }.max() ?? 0))
        let columnCount = matrix.shape[1]
        var lines = [String(repeating: " ", count: labelWidth + 2)
            + columns.map { TextFit.pad(TextFit.truncate($0, to: Self.cellWidth - 1), to: Self.cellWidth, alignment: .right) }.joined()]
        for (i, label) in rows.enumerated() {
            let cells = (0..<columnCount).map { j -> String in
                TextFit.pad(format.string(values[i * columnCount + j]), to: Self.cellWidth, alignment: .right)
            }
            lines.append("  " + TextFit.pad(TextFit.truncate(label, to: labelWidth), to: labelWidth) + cells.joined())
        }
        return lines
    }

    /// The report as one JSON object (snake_case keys; −∞ as null, since JSON has no infinity).
    func json() throws -> String {
        struct Side: Encodable { var text: String; var tokens: [String]; var decoderTokens: [String]?; var matrix: [[Float?]] }
        struct Axis: Encodable { var pairs: [[Int]]; var onlyA: [Int]; var onlyB: [Int] }
        struct Report: Encodable {
            var model: String, hook: String, head: Int
            var a: Side, b: Side
            var queries: Axis, keys: Axis
            var difference: [[Float?]]
        }
        func rows(_ matrix: Tensor) -> [[Float?]] {
            guard matrix.shape[0] > 0, matrix.shape[1] > 0 else { return [] }
            let n = matrix.shape[1], values = matrix.scalars
            return (0..<matrix.shape[0]).map { i in (0..<n).map { values[i * n + $0].isFinite ? values[i * n + $0] : nil } }
        }
        func side(_ run: Inspection, _ matrix: Tensor) -> Side {
            Side(text: run.text, tokens: run.tokens.map(\.text), decoderTokens: run.decoderTokens?.map(\.text), matrix: rows(matrix))
        }
        func axis(_ alignment: TokenAlignment) -> Axis {
            Axis(pairs: alignment.pairs.map { [$0.a, $0.b] }, onlyA: alignment.onlyInA, onlyB: alignment.onlyInB)
        }
        let report = Report(model: loaded.name, hook: hook.name, head: head,
                            a: side(a, comparison.a), b: side(b, comparison.b),
                            queries: axis(comparison.queries), keys: axis(comparison.keys),
                            difference: rows(comparison.difference))
        return try JSONOutput.encode(report, snakeCase: true)
    }
}
