/// A bitmap of braille dots, 2 wide and 4 tall per cell (U+2800–U+28FF), for plotting lines at
/// eight times the resolution of the cells. Dots are addressed from the top left; each cell takes
/// the colour of the last dot set in it.
public struct BrailleGrid: Hashable, Sendable {
    /// Size in cells.
    public let width: Int
    public let height: Int
    var bits: [UInt8]
    var colors: [Color]

    public init(width: Int, height: Int) {
        self.width = max(0, width); self.height = max(0, height)
        bits = Array(repeating: 0, count: self.width * self.height)
        colors = Array(repeating: .terminalDefault, count: self.width * self.height)
    }

    /// Size in dots.
    public var dotWidth: Int { width * 2 }
    public var dotHeight: Int { height * 4 }

    /// The bit of each dot in a cell, by [column][row]: dots 1 2 3 7 down the left, 4 5 6 8 down the right.
    static let dotBits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

    /// Sets the dot at (x, y) (ignored outside the grid).
    public mutating func set(x: Int, y: Int, color: Color = .terminalDefault) {
        guard x >= 0, x < dotWidth, y >= 0, y < dotHeight else { return }
        let cell = (y / 4) * width + x / 2
        bits[cell] |= Self.dotBits[x % 2][y % 4]
        colors[cell] = color
    }

    /// Sets the dots of a straight line between two dots, both included (Bresenham).
    public mutating func line(from start: (x: Int, y: Int), to end: (x: Int, y: Int), color: Color = .terminalDefault) {
        var x = start.x, y = start.y
        let dx = abs(end.x - x), dy = -abs(end.y - y), sx = x < end.x ? 1 : -1, sy = y < end.y ? 1 : -1
        var error = dx + dy
        while true {
            set(x: x, y: y, color: color)
            if x == end.x && y == end.y { break }
            let twice = 2 * error
            if twice >= dy { error += dy; x += sx }
            if twice <= dx { error += dx; y += sy }
        }
    }

    /// The braille character of cell (column, row), `nil` when it has no dot.
    public func character(column: Int, row: Int) -> Character? {
        let b = bits[row * width + column]
        return b == 0 ? nil : Character(Unicode.Scalar(0x2800 + UInt32(b))!)
    }

    /// Draws the cells that have dots with (x, y) as the top left, each in its colour on `style`'s background.
    public func draw(into canvas: inout Canvas, x: Int, y: Int, style: Style = .plain) {
        for row in 0..<height {
            for column in 0..<width {
                guard let c = character(column: column, row: row) else { continue }
                canvas.write(String(c), x: x + column, y: y + row, style: style.with(foreground: colors[row * width + column]))
            }
        }
    }
}
