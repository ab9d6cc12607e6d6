/// Numbers as a learner sees them, wherever they are shown (widgets, lesson prose, the numbers
/// pane): fixed decimals, no locale, no exponent for ordinary sizes, `−∞` for a masked score. The
/// one formatter of the project: everything that prints a number for a learner goes through it.
public enum NumberFormat {
    /// `value` with exactly `decimals` digits after the point, rounded half away from zero
    /// (`0.87344` → `0.8734`); `−∞`, `∞`, `nan` spelt out; a result that rounds to zero has no
    /// minus sign. Magnitudes of 10¹⁵ and more fall back to Swift's shortest exponent form.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "−∞" : "∞" }
        let d = max(0, min(decimals, 9))
        var scale = 1.0
        for _ in 0..<d { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9e15 else { return "\(value)" }
        let units = UInt64(scaled), divisor = UInt64(scale)
        var digits = String(units / divisor)
        if d > 0 {
            let fraction = String(units % divisor)
            digits += "." + String(repeating: "0", count: d - fraction.count) + fraction
        }
        return (value < 0 && units != 0 ? "-" : "") + digits
    }

    /// `Float` as the `Double` form does it (the exponent fallback prints the float's own digits).
    public static func fixed(_ value: Float, decimals: Int) -> String {
        if value.isFinite, abs(Double(value)) * pow10(decimals) >= 9e15 { return "\(value)" }
        return fixed(Double(value), decimals: decimals)
    }

    static func pow10(_ decimals: Int) -> Double {
        var scale = 1.0
        for _ in 0..<max(0, min(decimals, 9)) { scale *= 10 }
        return scale
    }

    /// The most precise fixed form of `value` that fits in `width` columns, trying 4 decimals down
    /// to none and dropping a leading zero (`0.87` → `.87`, `-0.5` → `-.5`) when that is what makes
    /// it fit; `nil` when even the integer does not fit.
    public static func compact(_ value: Float, width: Int) -> String? {
        guard width > 0 else { return nil }
        if !value.isFinite { let s = fixed(value, decimals: 0); return s.count <= width ? s : nil }
        for decimals in stride(from: 4, through: 0, by: -1) {
            let s = fixed(value, decimals: decimals)
            if s.count <= width { return s }
            if s.hasPrefix("0.") && s.count - 1 <= width { return String(s.dropFirst()) }
            if s.hasPrefix("-0.") && s.count - 1 <= width { return "-" + s.dropFirst(2) }
        }
        return nil
    }

    /// One way to write every number of a table in `width` columns: the most decimals (4 down to 0)
    /// with which all of `values` fit, with their leading zeros or, if that is what makes them fit,
    /// without (`.87`, `-.5`);
    /// nil when not even whole numbers fit. Infinities and NaN are left out (they are drawn as marks).
    public static func common(_ values: [Float], width: Int) -> TableFormat? {
        guard width > 0 else { return nil }
        var low = Float.infinity, high = -Float.infinity
        for value in values where value.isFinite { low = min(low, value); high = max(high, value) }
        guard low <= high else { return TableFormat(decimals: 0, dropsLeadingZero: false) }
        // A number's width grows with its size (a minus sign adds one), so the widest of the table
        // are its smallest and its largest.
        for decimals in stride(from: 4, through: 0, by: -1) {
            for dropsLeadingZero in [false, true] {
                let format = TableFormat(decimals: decimals, dropsLeadingZero: dropsLeadingZero)
                if format.string(low).count <= width && format.string(high).count <= width { return format }
            }
        }
        return nil
    }
}

/// How every number of one table is written: the same decimals for all, and the leading zero
/// dropped for all or for none.
public struct TableFormat: Hashable, Sendable {
    public var decimals: Int
    public var dropsLeadingZero: Bool

    public init(decimals: Int, dropsLeadingZero: Bool) {
        self.decimals = decimals
        self.dropsLeadingZero = dropsLeadingZero
    }

    public func string(_ value: Float) -> String {
        let s = NumberFormat.fixed(value, decimals: decimals)
        guard dropsLeadingZero else { return s }
        if s.hasPrefix("0.") { return String(s.dropFirst()) }
        if s.hasPrefix("-0.") { return "-" + s.dropFirst(2) }
        return s
    }
}
