import Terminal

/// Maps a colour to the ncurses colour number that shows it on a terminal with `colors` colours
/// (`COLORS`); -1 is the terminal's default colour. `CursesTerminal` takes one at start-up.
public typealias ColorMapper = @Sendable (_ color: Color, _ colors: Int) -> Int32

/// A minimal mapping from `Color` to what the terminal has: direct colour, the xterm 256-colour
/// palette, 16 or 8 ANSI colours, or none.
///
/// Stand-in: replace with the Terminal module's `ColorDepth` mapping when it lands (pass it as the
/// `mapColor` closure), and delete this file.
enum BasicColorMapping {
    static func map(_ color: Color, colors: Int) -> Int32 {
        guard colors >= 8 else { return -1 }
        switch color {
        case .terminalDefault:
            return -1
        case .ansi(let n):
            let n = Int(n & 15)
            if colors >= 16 && colors < 1 << 24 { return Int32(n) }
            if n < 8 { return Int32(n) }
            if colors >= 1 << 24 { return direct(ansi[n]) }
            return Int32(n - 8)
        case .rgb(let r, let g, let b):
            if colors >= 1 << 24 { return direct((Int(r), Int(g), Int(b))) }
            if colors >= 256 { return Int32(xterm256(Int(r), Int(g), Int(b))) }
            return Int32(nearest((Int(r), Int(g), Int(b)), among: colors >= 16 ? 16 : 8))
        }
    }

    /// xterm's default values of the 16 ANSI colours.
    static let ansi: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]
    static let cubeLevels = [0, 95, 135, 175, 215, 255]

    /// A direct-colour number (0xRRGGBB); values below 8 would mean ANSI colours, so they step up to 8.
    static func direct(_ c: (Int, Int, Int)) -> Int32 { Int32(max(8, c.0 << 16 | c.1 << 8 | c.2)) }

    /// The nearest of the 6×6×6 colour cube (16–231) and the grey ramp (232–255).
    static func xterm256(_ r: Int, _ g: Int, _ b: Int) -> Int {
        func level(_ v: Int) -> Int { cubeLevels.indices.min { abs(cubeLevels[$0] - v) < abs(cubeLevels[$1] - v) }! }
        let (ri, gi, bi) = (level(r), level(g), level(b))
        let cube = 16 + 36 * ri + 6 * gi + bi
        let grey = min(23, max(0, ((r + g + b) / 3 - 8 + 5) / 10))
        let greyValue = 8 + 10 * grey
        let cubeDistance = distance((r, g, b), (cubeLevels[ri], cubeLevels[gi], cubeLevels[bi]))
        return distance((r, g, b), (greyValue, greyValue, greyValue)) < cubeDistance ? 232 + grey : cube
    }

    static func nearest(_ c: (Int, Int, Int), among count: Int) -> Int {
        (0..<count).min { distance(c, ansi[$0]) < distance(c, ansi[$1]) }!
    }

    static func distance(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
        (a.0 - b.0) * (a.0 - b.0) + (a.1 - b.1) * (a.1 - b.1) + (a.2 - b.2) * (a.2 - b.2)
    }
}
