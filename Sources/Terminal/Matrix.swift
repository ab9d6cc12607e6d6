/// A rows × columns grid of numbers, row-major: the plain data a `Heatmap` or `MatrixView` draws
/// (the app copies one out of a tensor, e.g. one head of `attn.pattern` [T, T]).
public struct Matrix: Hashable, Codable, Sendable {
    public let rows: Int
    public let columns: Int
    /// `rows × columns` values, row by row.
    public let values: [Float]

    /// From row-major `values`, which must hold `rows × columns` numbers.
    public init(rows: Int, columns: Int, values: [Float]) {
        precondition(rows >= 0 && columns >= 0 && values.count == rows * columns,
                     "a \(rows)×\(columns) matrix needs \(rows * columns) values, not \(values.count)")
        self.rows = rows; self.columns = columns; self.values = values
    }

    /// From rows of equal length.
    public init(_ rows: [[Float]]) {
        let columns = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == columns }, "matrix rows must have the same length")
        self.init(rows: rows.count, columns: columns, values: rows.flatMap { $0 })
    }

    public subscript(row: Int, column: Int) -> Float { values[row * columns + column] }

    /// Row `row`, `columns` values.
    public func row(_ row: Int) -> ArraySlice<Float> { values[(row * columns)..<((row + 1) * columns)] }

    public var isEmpty: Bool { rows == 0 || columns == 0 }
}

/// A cell of a matrix, by row and column (0-based): a heatmap's cursor, a table's selection.
public struct MatrixIndex: Hashable, Codable, Sendable {
    public var row: Int
    public var column: Int
    public init(row: Int, column: Int) { self.row = row; self.column = column }
    public static let zero = MatrixIndex(row: 0, column: 0)
}
