import CNcurses
import Terminal

extension CursesTerminal {
    /// Paints `canvas`: only the cells that differ from the last frame presented, or every cell
    /// after a resize, a change of size or `redrawAll()`. Cells beyond the screen are clipped.
    public func present(_ canvas: Canvas) {
        guard !isShutDown else { return }
        let full = needsFullRepaint || lastPresented.map { $0.width != canvas.width || $0.height != canvas.height } ?? true
        if full { werase(te_stdscr()) }
        for change in canvas.changes(since: full ? nil : lastPresented)
        where !change.cell.isContinuation && change.x < width && change.y < height {
            let wide = change.x + 1 < canvas.width && canvas[change.x + 1, change.y].isContinuation
            draw(change.cell, x: change.x, y: change.y, wide: wide)
        }
        lastPresented = canvas
        needsFullRepaint = false
        placeCursor()
        wnoutrefresh(te_stdscr())
        doupdate()
    }

    /// Makes the next `present` repaint every cell and the terminal clear first (for a screen
    /// that something else wrote over).
    public func redrawAll() {
        guard !isShutDown else { return }
        needsFullRepaint = true
        clearok(te_stdscr(), true)
    }

    /// Shows the cursor at a cell (an edit position), now and after every frame until `hideCursor()`.
    public func showCursor(at x: Int, y: Int) {
        if let current = cursor, current == (x, y) { return }
        cursor = (x, y)
        refreshCursor()
    }

    /// Hides the cursor (the default).
    public func hideCursor() {
        guard cursor != nil else { return }
        cursor = nil
        refreshCursor()
    }

    private func refreshCursor() {
        guard !isShutDown else { return }
        placeCursor()
        wnoutrefresh(te_stdscr())
        doupdate()
    }

    private func placeCursor() {
        if let (x, y) = cursor, x >= 0, y >= 0, x < width, y < height {
            wmove(te_stdscr(), Int32(y), Int32(x))
            if !cursorShown { curs_set(1); cursorShown = true }
        } else if cursorShown {
            curs_set(0)
            cursorShown = false
        }
    }

    /// Writes one cell. A character whose width the C library sees differently from the canvas
    /// (or cannot print in this locale), or a wide one cut by the screen's right edge, is drawn as
    /// "?", so curses' idea of the line stays aligned.
    func draw(_ cell: Cell, x: Int, y: Int, wide: Bool) {
        let attributes = Self.attributes(cell.style.attributes)
        let pair = pairNumber(for: cell.style)
        var scalars = cell.text.unicodeScalars.prefix(5).map(\.value)
        if scalars.isEmpty { scalars = [0x20] }
        if Int(te_wcwidth(scalars[0])) != (wide ? 2 : 1) || (wide && x + 1 >= width) {
            put([0x3F], x: x, y: y, attributes: attributes, pair: pair)
            if wide { put([0x20], x: x + 1, y: y, attributes: attributes, pair: pair) }
            return
        }
        if put(scalars, x: x, y: y, attributes: attributes, pair: pair) == -2 {
            put([scalars[0]], x: x, y: y, attributes: attributes, pair: pair)   // keep the base character
        }
    }

    @discardableResult
    private func put(_ scalars: [UInt32], x: Int, y: Int, attributes: attr_t, pair: Int32) -> Int32 {
        let text = scalars.map { wchar_t(bitPattern: $0) } + [0]
        return text.withUnsafeBufferPointer { te_draw_cell(Int32(y), Int32(x), $0.baseAddress, attributes, pair) }
    }

    static func attributes(_ attributes: Attributes) -> attr_t {
        var out = te_attr_normal()
        if attributes.contains(.bold) { out |= te_attr_bold() }
        if attributes.contains(.dim) { out |= te_attr_dim() }
        if attributes.contains(.underline) { out |= te_attr_underline() }
        if attributes.contains(.reverse) { out |= te_attr_reverse() }
        if attributes.contains(.italic) { out |= te_attr_italic() }
        return out
    }

    /// The colour pair for a style's colours, defined on first use.
    func pairNumber(for style: Style) -> Int32 {
        guard colorCount > 0 else { return 0 }
        let key = Style(foreground: style.foreground, background: style.background)
        if let known = pairByStyle[key] { return known }
        var colors = ColorPairs.Colors(foreground: mapColor(style.foreground, colorCount),
                                       background: mapColor(style.background, colorCount))
        if !hasDefaultColors && colors != ColorPairs.Colors(foreground: -1, background: -1) {
            if colors.foreground == -1 { colors.foreground = 7 }
            if colors.background == -1 { colors.background = 0 }
        }
        var (number, isNew) = pairs.pair(for: colors)
        if isNew && init_extended_pair(number, colors.foreground, colors.background) == ERR {
            pairs.refuse(colors)
            number = 0
        }
        pairByStyle[key] = number
        return number
    }
}
