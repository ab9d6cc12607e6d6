/// The colours a terminal's palette indices stand for, as xterm defines them, and the nearest
/// index for any RGB. Terminals let users change the first 16, so those use xterm's defaults as
/// a reference; 16–231 are the 6×6×6 cube (levels 0, 95, 135, 175, 215, 255) and 232–255 the
/// grey ramp 8, 18, …, 238, which terminals do not change.
public enum XtermPalette {
    /// xterm's default colours for indices 0–15.
    public static let ansi16: [RGB] = [
        RGB(0, 0, 0), RGB(205, 0, 0), RGB(0, 205, 0), RGB(205, 205, 0),
        RGB(0, 0, 238), RGB(205, 0, 205), RGB(0, 205, 205), RGB(229, 229, 229),
        RGB(127, 127, 127), RGB(255, 0, 0), RGB(0, 255, 0), RGB(255, 255, 0),
        RGB(92, 92, 255), RGB(255, 0, 255), RGB(0, 255, 255), RGB(255, 255, 255),
    ]

    /// The six levels of each channel in the colour cube.
    public static let cubeLevels: [UInt8] = [0, 95, 135, 175, 215, 255]

    /// The colour of palette index `index` (0–255).
    public static func rgb(_ index: UInt8) -> RGB {
        switch index {
        case 0..<16: return ansi16[Int(index)]
        case 16..<232:
            let i = Int(index) - 16
            return RGB(cubeLevels[i / 36], cubeLevels[(i / 6) % 6], cubeLevels[i % 6])
        default:
            let grey = UInt8(8 + 10 * (Int(index) - 232))
            return RGB(grey, grey, grey)
        }
    }

    /// The nearest of indices 16–255 (cube and grey ramp) by OKLab distance; ties go to the lower index.
    public static func nearest256(_ color: RGB) -> UInt8 { nearest(color, in: extended) }

    /// The nearest of the 16 ANSI colours (xterm's defaults) by OKLab distance.
    public static func nearest16(_ color: RGB) -> UInt8 { nearest(color, in: first16) }

    /// The nearest of the 8 basic ANSI colours (xterm's defaults) by OKLab distance.
    public static func nearest8(_ color: RGB) -> UInt8 { nearest(color, in: Array(first16.prefix(8))) }

    struct Entry: Sendable { var index: UInt8; var lab: (L: Double, a: Double, b: Double) }

    static let first16: [Entry] = (0..<16).map { Entry(index: UInt8($0), lab: rgb(UInt8($0)).oklab) }
    static let extended: [Entry] = (16..<256).map { Entry(index: UInt8($0), lab: rgb(UInt8($0)).oklab) }

    static func nearest(_ color: RGB, in entries: [Entry]) -> UInt8 {
        let p = color.oklab
        var best = entries[0].index, bestDistance = Double.infinity
        for e in entries {
            let d = (p.L - e.lab.L) * (p.L - e.lab.L) + (p.a - e.lab.a) * (p.a - e.lab.a) + (p.b - e.lab.b) * (p.b - e.lab.b)
            if d < bestDistance { bestDistance = d; best = e.index }
        }
        return best
    }
}
