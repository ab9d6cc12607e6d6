/// One character cell of the screen. A wide character occupies its cell and a `continuation`
/// cell to its right, so every row always has exactly `width` cells.
public struct Cell: Hashable, Codable, Sendable {
    /// One grapheme cluster (already sanitised), `" "` for blank, `""` for the right half of a wide character.
    public var text: String
    public var style: Style

    public init(_ text: String = " ", style: Style = .plain) {
        self.text = text
        self.style = style
    }

    public static let blank = Cell()
    /// Whether this cell is the right half of the wide character to its left.
    public var isContinuation: Bool { text.isEmpty }
}

/// A rectangle of cells, in columns and rows from the top left.
public struct Rect: Hashable, Codable, Sendable {
    public var x, y, width, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x; self.y = y; self.width = max(0, width); self.height = max(0, height)
    }
    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width <= 0 || height <= 0 }
    public func contains(x px: Int, y py: Int) -> Bool { px >= x && px < maxX && py >= y && py < maxY }
    /// The rectangle shrunk by `n` on every side.
    public func inset(_ n: Int) -> Rect { Rect(x: x + n, y: y + n, width: width - 2 * n, height: height - 2 * n) }
    public func intersection(_ other: Rect) -> Rect {
        let x0 = max(x, other.x), y0 = max(y, other.y)
        return Rect(x: x0, y: y0, width: min(maxX, other.maxX) - x0, height: min(maxY, other.maxY) - y0)
    }
}

/// The screen as a plain value: a grid of cells. Widgets draw into it, tests compare it as text,
/// the backend paints only what differs from the last frame, and a classroom can send it over a wire.
public struct Canvas: Hashable, Codable, Sendable {
    public let width: Int
    public let height: Int
    /// Row-major cells, `width × height`.
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, fill: Cell = .blank) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: fill, count: self.width * self.height)
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set {
            guard x >= 0, x < width, y >= 0, y < height else { return }
            cells[y * width + x] = newValue
        }
    }

    /// Sets the style of every cell in `rect` (clipped), leaving the characters.
    public mutating func style(_ rect: Rect, _ transform: (Style) -> Style) {
        let r = rect.intersection(bounds)
        for y in r.y..<r.maxY { for x in r.x..<r.maxX { cells[y * width + x].style = transform(cells[y * width + x].style) } }
    }

    /// Fills `rect` (clipped) with `cell`. A wide character cut in half by the rectangle's edge
    /// becomes a space, so the rows stay aligned.
    public mutating func fill(_ rect: Rect, with cell: Cell = .blank) {
        let r = rect.intersection(bounds)
        for y in r.y..<r.maxY {
            for x in r.x..<r.maxX { cells[y * width + x] = cell }
            repairEdges(y: y, from: r.x, to: r.maxX)
        }
    }

    /// Writes the first of `alternatives` (longest first: a line and its shorter forms) that fits in
    /// `maxWidth` columns, or the last one clipped, so that a line is shortened where it was written
    /// to be rather than cut mid-word. Returns the number of columns written.
    @discardableResult
    public mutating func write(firstFitting alternatives: [String], x: Int, y: Int, style: Style = .plain,
                               maxWidth: Int) -> Int {
        let text = alternatives.first { DisplayWidth.of(Sanitizer.sanitize($0)) <= maxWidth } ?? alternatives.last ?? ""
        return write(text, x: x, y: y, style: style, maxWidth: maxWidth)
    }

    /// Writes `text` (sanitised here) from column `x` on row `y`, clipped to `maxWidth` columns and
    /// to the canvas; a wide character that does not fit entirely is replaced by a space.
    /// Returns the number of columns written.
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, style: Style = .plain, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height else { return 0 }
        let limit = min(width, x + (maxWidth ?? width))
        var column = x
        for character in Sanitizer.sanitize(text) {
            let w = DisplayWidth.of(character)
            if w == 0 {
                // A zero-width character joins the character before it (the left half of a wide
                // one); with nothing before it on this line it is shown on a space.
                let previous = column - 1 >= 0 && column - 1 < width && self[column - 1, y].isContinuation
                    ? column - 2 : column - 1
                if column > x, previous >= 0, previous < width {
                    var cell = self[previous, y]
                    cell.text.unicodeScalars.append(contentsOf: character.unicodeScalars)
                    self[previous, y] = cell
                    continue
                }
                guard column + 1 <= limit else { break }
                if column >= 0 {
                    clearWide(at: column, y: y)
                    self[column, y] = Cell(" " + String(character), style: style)
                }
                column += 1
                continue
            }
            if column + w > limit {
                if column < limit && column >= 0 { clearWide(at: column, y: y); self[column, y] = Cell(" ", style: style) }
                break
            }
            if column >= 0 {
                clearWide(at: column, y: y)
                self[column, y] = Cell(String(character), style: style)
                if w == 2 { clearWide(at: column + 1, y: y); self[column + 1, y] = Cell("", style: style) }
            }
            column += w
        }
        return column - x
    }

    /// Before overwriting (x, y), blanks the other half of a wide character it belongs to.
    mutating func clearWide(at x: Int, y: Int) {
        guard x >= 0, x < width else { return }
        if self[x, y].isContinuation, x > 0 { self[x - 1, y] = Cell(" ", style: self[x - 1, y].style) }
        if x + 1 < width, self[x + 1, y].isContinuation, !self[x, y].isContinuation {
            self[x + 1, y] = Cell(" ", style: self[x + 1, y].style)
        }
    }

    /// Copies `other` onto this canvas with its top left at (x, y), clipped. A wide character cut in
    /// half, by the clipping or by the copy's edge over one beneath, becomes a space.
    public mutating func draw(_ other: Canvas, x: Int, y: Int) {
        for row in 0..<other.height {
            for col in 0..<other.width { self[x + col, y + row] = other[col, row] }
            if y + row >= 0, y + row < height { repairEdges(y: y + row, from: max(0, x), to: min(width, x + other.width)) }
        }
    }

    /// After cells `from..<to` of row `y` were replaced: a wide character whose right half was
    /// overwritten, or a right half whose wide character was, becomes a space (style kept).
    mutating func repairEdges(y: Int, from: Int, to: Int) {
        guard from < to else { return }
        for x in [from - 1, from, to - 1, to] where x >= 0 && x < width {
            let cell = self[x, y]
            if cell.isContinuation {
                if x == 0 || !isWide(self[x - 1, y]) { self[x, y] = Cell(" ", style: cell.style) }
            } else if isWide(cell) {
                if x + 1 >= width || !self[x + 1, y].isContinuation { self[x, y] = Cell(" ", style: cell.style) }
            }
        }
    }

    func isWide(_ cell: Cell) -> Bool { !cell.isContinuation && DisplayWidth.of(cell.text) >= 2 }

    /// The characters as text, one line per row, trailing spaces kept (for snapshot tests).
    public var text: String {
        (0..<height).map { y in (0..<width).map { cells[y * width + $0].text }.joined() }.joined(separator: "\n")
    }
}

/// A change between two frames: the cell at (x, y) is now `cell`.
public struct CellChange: Hashable, Codable, Sendable {
    public var x: Int, y: Int
    public var cell: Cell
}

extension Canvas {
    /// The cells that differ from `previous`, row by row; everything when the sizes differ.
    public func changes(since previous: Canvas?) -> [CellChange] {
        var out: [CellChange] = []
        let same = previous.map { $0.width == width && $0.height == height } ?? false
        for y in 0..<height {
            for x in 0..<width {
                let cell = cells[y * width + x]
                if !same || previous!.cells[y * width + x] != cell { out.append(CellChange(x: x, y: y, cell: cell)) }
            }
        }
        return out
    }
}
