/// A continuous colour scale: evenly spaced control points from `t = 0` to `t = 1`, mixed in a
/// straight line between neighbours. A heatmap turns each value into a position on the scale
/// (`position(of:in:)`) and the position into a colour (`rgb(at:)`).
public struct ColorScale: Hashable, Sendable {
    /// Whether the scale runs from low to high (weights, probabilities) or out from a neutral
    /// middle in two directions (signed scores, centred on zero).
    public enum Kind: String, Hashable, Codable, Sendable { case sequential, diverging }

    public var name: String
    public var kind: Kind
    /// The control points, evenly spaced over 0…1; at least one.
    public var stops: [RGB]

    public init(name: String, kind: Kind, stops: [RGB]) {
        precondition(!stops.isEmpty, "a colour scale needs at least one stop")
        self.name = name; self.kind = kind; self.stops = stops
    }

    /// The colour at `t` (clamped to 0…1; NaN reads as 0).
    public func rgb(at t: Double) -> RGB {
        guard stops.count > 1 else { return stops[0] }
        let clamped = t.isNaN ? 0 : t.clamped(0, 1)
        let position = clamped * Double(stops.count - 1)
        let index = min(Int(position), stops.count - 2)
        return stops[index].mixed(with: stops[index + 1], position - Double(index))
    }

    /// `rgb(at:)` as a cell colour.
    public func color(at t: Double) -> Color { rgb(at: t).color }

    /// The same scale run backwards.
    public func reversed() -> ColorScale { ColorScale(name: name + "_r", kind: kind, stops: stops.reversed()) }

    /// The value range to use when the caller gives none: the smallest to the largest finite value
    /// for a sequential scale; `-m…m` with `m` the largest finite magnitude for a diverging one, so
    /// zero sits in the middle. Masked (-inf) and NaN values are ignored; with no finite value at
    /// all, `0…1` (sequential) or `-1…1` (diverging).
    public func range(of values: some Sequence<Float>) -> ClosedRange<Float> {
        var lower = Float.infinity, upper = -Float.infinity
        for v in values where v.isFinite { lower = min(lower, v); upper = max(upper, v) }
        guard lower <= upper else { return kind == .sequential ? 0...1 : -1...1 }
        if kind == .diverging {
            let m = max(abs(lower), abs(upper))
            return m > 0 ? -m...m : -1...1
        }
        return lower...upper
    }

    /// Where `value` falls on the scale, 0…1 (clamped): `(v − lower) / (upper − lower)` for a
    /// sequential scale (0.5 when the range is a single point); `0.5 + 0.5 · v / m` with
    /// `m = max(|lower|, |upper|)` for a diverging one, so zero is always the neutral middle.
    /// `nil` for a masked (-inf) or NaN value, which have no colour on the scale; +inf is 1.
    public func position(of value: Float, in range: ClosedRange<Float>) -> Double? {
        if value.isNaN || value == -.infinity { return nil }
        let v = Double(value), lower = Double(range.lowerBound), upper = Double(range.upperBound)
        switch kind {
        case .sequential:
            if value == .infinity { return 1 }
            guard upper > lower else { return 0.5 }
            return ((v - lower) / (upper - lower)).clamped(0, 1)
        case .diverging:
            if value == .infinity { return 1 }
            let m = max(abs(lower), abs(upper))
            guard m > 0 else { return 0.5 }
            return (0.5 + 0.5 * v / m).clamped(0, 1)
        }
    }
}
