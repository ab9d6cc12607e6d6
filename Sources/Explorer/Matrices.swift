import Tensor
import Terminal

extension Tensor {
    /// The rank-2 tensor as the terminal widgets' plain `Matrix` (`[R,C]` → R×C).
    var matrix: Matrix {
        precondition(rank == 2, "a matrix needs rank 2, got \(shape)")
        return Matrix(rows: shape[0], columns: shape[1], values: scalars)
    }
}

/// Formats numbers the same way everywhere on screen: fixed decimals, a real minus sign, ∞ spelled out.
enum NumberText {
    static func format(_ value: Float, decimals: Int = 2) -> String {
        if value == -.infinity { return "−∞" }
        if value == .infinity { return "∞" }
        if value.isNaN { return "NaN" }
        let text = String(format: "%.\(decimals)f", Double(value))
        return text.hasPrefix("-") ? "−" + text.dropFirst() : text
    }

    /// `[ 0.12 −0.50 … ]` with as many values as fit in `width` columns.
    static func vector(_ values: [Float], decimals: Int = 2, width: Int) -> String {
        var parts: [String] = []
        var used = 2
        for (n, v) in values.enumerated() {
            let piece = format(v, decimals: decimals)
            let remaining = values.count - n - 1
            let needs = used + piece.count + 1 + (remaining > 0 ? 2 : 0)
            if needs > width && n > 0 { parts.append("…"); break }
            parts.append(piece)
            used += piece.count + 1
        }
        return "[" + parts.joined(separator: " ") + "]"
    }
}
