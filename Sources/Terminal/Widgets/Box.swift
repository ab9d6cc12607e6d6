/// A border around an area, with an optional title in the top edge: `┌─ title ─────┐`.
/// Draws the border only (the inside is left as it is unless `fillsInterior`); what goes inside
/// is drawn into `inner(area)`.
public struct Box: Widget, Sendable {
    /// The line characters of a border.
    public enum Border: Hashable, Sendable {
        case single, rounded, double, heavy, ascii

        /// top-left, top-right, bottom-left, bottom-right, horizontal, vertical.
        var glyphs: (String, String, String, String, String, String) {
            switch self {
            case .single: ("┌", "┐", "└", "┘", "─", "│")
            case .rounded: ("╭", "╮", "╰", "╯", "─", "│")
            case .double: ("╔", "╗", "╚", "╝", "═", "║")
            case .heavy: ("┏", "┓", "┗", "┛", "━", "┃")
            case .ascii: ("+", "+", "+", "+", "-", "|")
            }
        }
    }

    public var title: String?
    public var border: Border
    public var borderStyle: Style
    public var titleStyle: Style
    /// Clears the inside (with blank cells in `fillStyle`) before drawing the border.
    public var fillsInterior: Bool
    public var fillStyle: Style

    public init(title: String? = nil, border: Border = .single, theme: Theme = .dark, fillsInterior: Bool = false) {
        self.title = title; self.border = border
        borderStyle = theme.border; titleStyle = theme.accent
        self.fillsInterior = fillsInterior; fillStyle = theme.text
    }

    /// The area inside the border.
    public static func inner(_ area: Rect) -> Rect { area.inset(1) }

    public func render(into canvas: inout Canvas, area: Rect) {
        guard area.width >= 2, area.height >= 2 else { return }
        if fillsInterior { canvas.fill(area.inset(1), with: Cell(" ", style: fillStyle)) }
        let (tl, tr, bl, br, h, v) = border.glyphs
        let right = area.maxX - 1, bottom = area.maxY - 1
        let rule = String(repeating: h, count: area.width - 2)
        canvas.write(tl + rule + tr, x: area.x, y: area.y, style: borderStyle, maxWidth: area.width)
        canvas.write(bl + rule + br, x: area.x, y: bottom, style: borderStyle, maxWidth: area.width)
        for y in (area.y + 1)..<bottom {
            canvas.write(v, x: area.x, y: y, style: borderStyle, maxWidth: 1)
            canvas.write(v, x: right, y: y, style: borderStyle, maxWidth: 1)
        }
        // ┌─ title ─┐ needs corner, rule, space, at least one column of title, space, rule, corner.
        if let title, !title.isEmpty, area.width >= 7 {
            let text = TextFit.truncate(title, to: area.width - 6)
            canvas.write(" ", x: area.x + 2, y: area.y, style: borderStyle)
            let used = canvas.write(text, x: area.x + 3, y: area.y, style: titleStyle, maxWidth: area.width - 6)
            canvas.write(" ", x: area.x + 3 + used, y: area.y, style: borderStyle)
        }
    }
}
