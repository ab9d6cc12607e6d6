import Foundation
import Terminal

/// Numbers as a lesson writes them: fixed decimals, no locale, `−∞` for a masked score.
public enum NumberText {
    /// The decimals a placeholder uses when none are given.
    public static let defaultDecimals = 2

    /// `value` with exactly `decimals` digits after the point (rounded half away from zero);
    /// `−∞`, `∞` and `nan` spelt out; no minus sign on a value that rounds to zero: the project's
    /// one number formatter, `NumberFormat.fixed`.
    public static func format(_ value: Double, decimals: Int = defaultDecimals) -> String {
        NumberFormat.fixed(value, decimals: decimals)
    }

    /// `Float` as `format` does it.
    public static func format(_ value: Float, decimals: Int = defaultDecimals) -> String {
        format(Double(value), decimals: decimals)
    }

    /// `124,439,808`: a whole number with its digits in groups of three.
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (n, digit) in digits.enumerated() {
            if n > 0 && (digits.count - n) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// `[0.12, -0.40, 1.00]`.
    public static func vector(_ values: [Float], decimals: Int = defaultDecimals) -> String {
        "[" + values.map { format($0, decimals: decimals) }.joined(separator: ", ") + "]"
    }

    /// `[0.12 -0.50 …]` with as many values as fit in `width` columns, for a narrow pane.
    public static func vector(_ values: [Float], decimals: Int = defaultDecimals, width: Int) -> String {
        var parts: [String] = []
        var used = 2
        for (n, value) in values.enumerated() {
            let piece = format(value, decimals: decimals)
            let more = n + 1 < values.count
            if n > 0 && used + piece.count + 1 + (more ? 2 : 0) > width { parts.append("…"); break }
            parts.append(piece)
            used += piece.count + 1
        }
        return "[" + parts.joined(separator: " ") + "]"
    }

    /// A number a learner typed: `0.5`, `-1.2`, `−1.2`, `.5`, `1e-3`, `50%`, `-inf`, `−∞`; nil if it is
    /// none of those.
    public static func parse(_ text: String) -> Double? {
        var s = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "−", with: "-")
            .replacingOccurrences(of: ",", with: ".")
        if ["-∞", "-inf", "-infinity"].contains(s.lowercased()) { return -.infinity }
        if ["∞", "inf", "+inf", "infinity"].contains(s.lowercased()) { return .infinity }
        var percent = false
        if s.hasSuffix("%") { percent = true; s.removeLast() }
        s = s.trimmingCharacters(in: .whitespaces)
        if s.hasPrefix(".") { s = "0" + s }
        if s.hasPrefix("-.") { s = "-0" + s.dropFirst() }
        guard !s.isEmpty, s.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }),
              let value = Double(s), value.isFinite else { return nil }
        return percent ? value / 100 : value
    }
}
