import Terminal

/// An RGB picture, 8 bits a channel, row by row from the top left: what a PNG holds.
public struct Raster: Hashable, Sendable {
    public let width: Int
    public let height: Int
    /// `width × height × 3` bytes: red, green, blue of each pixel, row-major.
    public private(set) var pixels: [UInt8]

    public init(width: Int, height: Int, background: RGB) {
        self.width = max(0, width)
        self.height = max(0, height)
        pixels = [UInt8](repeating: 0, count: self.width * self.height * 3)
        fill(x: 0, y: 0, width: self.width, height: self.height, background)
    }

    /// The colour of the pixel at (x, y).
    public subscript(x: Int, y: Int) -> RGB {
        let i = (y * width + x) * 3
        return RGB(pixels[i], pixels[i + 1], pixels[i + 2])
    }

    /// Paints the rectangle (clipped to the picture).
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, _ color: RGB) {
        let x0 = max(0, x), y0 = max(0, y), x1 = min(width, x + w), y1 = min(height, y + h)
        guard x0 < x1, y0 < y1 else { return }
        for row in y0..<y1 {
            var i = (row * width + x0) * 3
            for _ in x0..<x1 {
                pixels[i] = color.red; pixels[i + 1] = color.green; pixels[i + 2] = color.blue
                i += 3
            }
        }
    }

    /// How text is turned on the picture: along the row, or up the page (a column label, read with
    /// the head tilted left).
    public enum Direction: Sendable { case horizontal, upward }

    /// Draws `text` with `font`, each font pixel a `scale × scale` square, starting at (x, y): the
    /// top left of the first glyph (`horizontal`), or its bottom left (`upward`, the text running up
    /// from there). `bold` draws every glyph twice, one pixel apart. Returns the length drawn in pixels.
    @discardableResult
    public mutating func draw(_ text: String, x: Int, y: Int, color: RGB, font: BitmapFont = .font8x8, scale: Int = 2,
                              bold: Bool = false, direction: Direction = .horizontal) -> Int {
        let advance = font.glyphSize * scale
        var offset = 0
        for scalar in font.glyphScalars(text) {
            let rows = font.rows(scalar)
            for (r, bits) in rows.enumerated() where bits != 0 {
                for c in 0..<8 where bits & (1 << c) != 0 {
                    // The glyph's pixel (c, r) on the page.
                    let (px, py): (Int, Int)
                    switch direction {
                    case .horizontal: (px, py) = (x + offset + c * scale, y + r * scale)
                    case .upward: (px, py) = (x + r * scale, y - offset - (c + 1) * scale)
                    }
                    fill(x: px, y: py, width: scale, height: scale, color)
                    if bold {
                        if direction == .horizontal { fill(x: px + 1, y: py, width: scale, height: scale, color) }
                        else { fill(x: px, y: py - 1, width: scale, height: scale, color) }
                    }
                }
            }
            offset += advance
        }
        return offset
    }

    /// The length in pixels `text` takes when drawn at `scale`.
    public static func length(of text: String, font: BitmapFont = .font8x8, scale: Int = 2) -> Int {
        font.glyphScalars(text).count * font.glyphSize * scale
    }
}
