import Testing
@testable import Terminal

@Suite struct PaletteTests {
    @Test func viridisMatchesItsPublishedPoints() {
        let v = ColorScale.viridis
        #expect(v.rgb(at: 0) == RGB(hex: 0x440154))
        #expect(v.rgb(at: 1) == RGB(hex: 0xFDE725))
        // Matplotlib's entries 64 (#3B528B) and 128 (#21918C) are at t = 64/255 and 128/255.
        #expect(close(v.rgb(at: 64.0 / 255), RGB(hex: 0x3B528B)))
        #expect(close(v.rgb(at: 128.0 / 255), RGB(hex: 0x21918C)))
        #expect(close(v.rgb(at: 191.0 / 255), RGB(hex: 0x5CC863)))
        // Out of range clamps, NaN reads as 0.
        #expect(v.rgb(at: -3) == v.rgb(at: 0) && v.rgb(at: 7) == v.rgb(at: 1) && v.rgb(at: .nan) == v.rgb(at: 0))
    }

    @Test func cividisEnds() {
        #expect(ColorScale.cividis.rgb(at: 0) == RGB(hex: 0x00224E))
        #expect(ColorScale.cividis.rgb(at: 1) == RGB(hex: 0xFEE838))
    }

    @Test func viridisGetsLighterThroughout() {
        var previous = -1.0
        for i in 0...32 {
            let l = ColorScale.viridis.rgb(at: Double(i) / 32).oklab.L
            #expect(l > previous)
            previous = l
        }
    }

    @Test func divergingScalesCentreOnZero() {
        for scale in [ColorScale.blueRed, .purpleOrange] {
            #expect(scale.kind == .diverging)
            #expect(scale.rgb(at: 0.5) == RGB(hex: 0xF7F7F7))
            #expect(scale.position(of: 0, in: -3...1) == 0.5)
            #expect(scale.position(of: -3, in: -3...1) == 0)
            #expect(scale.position(of: 1, in: -3...1) == 0.5 + 0.5 / 3)
        }
        #expect(ColorScale.blueRed.rgb(at: 0) == RGB(hex: 0x053061))   // negative: blue
        #expect(ColorScale.blueRed.rgb(at: 1) == RGB(hex: 0x67001F))   // positive: red
    }

    @Test func positionsAndRanges() {
        let v = ColorScale.viridis
        #expect(v.position(of: 0.25, in: 0...1) == 0.25)
        #expect(v.position(of: 2, in: 0...1) == 1)
        #expect(v.position(of: -.infinity, in: 0...1) == nil)
        #expect(v.position(of: .nan, in: 0...1) == nil)
        #expect(v.position(of: .infinity, in: 0...1) == 1)
        #expect(v.position(of: 3, in: 3...3) == 0.5)
        let values: [Float] = [-.infinity, 0.5, -2, 4, .nan]
        #expect(v.range(of: values) == -2...4)
        #expect(ColorScale.blueRed.range(of: values) == -4...4)
        #expect(v.range(of: [Float.nan, -.infinity]) == 0...1)
        #expect(ColorScale.blueRed.range(of: [Float]()) == -1...1)
    }

    @Test func shades() {
        #expect(Shades.glyph(for: 0) == " ")
        #expect(Shades.glyph(for: 0.19) == " ")
        #expect(Shades.glyph(for: 0.2) == "░")
        #expect(Shades.glyph(for: 0.5) == "▒")
        #expect(Shades.glyph(for: 0.7) == "▓")
        #expect(Shades.glyph(for: 0.8) == "█")
        #expect(Shades.glyph(for: 1) == "█")
        #expect(Shades.intensity(at: 0, kind: .diverging) == 1)
        #expect(Shades.intensity(at: 0.5, kind: .diverging) == 0)
    }

    @Test func contrastAndLightness() {
        #expect(RGB(hex: 0x440154).contrastingText == RGB(255, 255, 255))
        #expect(RGB(hex: 0xFDE725).contrastingText == RGB(0, 0, 0))
        #expect(abs(RGB(255, 255, 255).oklab.L - 1) < 1e-3)
        #expect(abs(RGB(0, 0, 0).oklab.L) < 1e-9)
        #expect(RGB(hex: 0x0A0B0C).hexString == "#0A0B0C")
    }

    func close(_ a: RGB, _ b: RGB) -> Bool {
        abs(Int(a.red) - Int(b.red)) <= 2 && abs(Int(a.green) - Int(b.green)) <= 2 && abs(Int(a.blue) - Int(b.blue)) <= 2
    }
}
