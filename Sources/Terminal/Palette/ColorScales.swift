/// The scales the explorer offers, from their published sources.
extension ColorScale {
    /// viridis (Smith, van der Walt and Firing, 2015; Matplotlib's default, CC0): perceptually
    /// uniform, readable in grey and by the common kinds of colour blindness. The 17 stops are
    /// Matplotlib's 256-entry `_viridis_data` (`_cm_listed.py`) sampled at t = k/16, interpolating
    /// between neighbouring entries, rounded to 8 bits.
    public static let viridis = ColorScale(name: "viridis", kind: .sequential, stops: [
        0x440154, 0x48186A, 0x472D7B, 0x424086, 0x3B528B, 0x33638D, 0x2C728E, 0x26818E, 0x21908C,
        0x1F9F88, 0x28AE80, 0x3EBC74, 0x5DC963, 0x82D34C, 0xABDC32, 0xD5E21A, 0xFDE725,
    ].map { RGB(hex: $0) })

    /// cividis (Nuñez, Anderton and Renslow, 2018): designed to look the same to viewers with and
    /// without red–green colour blindness, blue to yellow. Sampled like `viridis` from Matplotlib's
    /// `_cividis_data`.
    public static let cividis = ColorScale(name: "cividis", kind: .sequential, stops: [
        0x00224E, 0x002E6A, 0x1A386F, 0x32436D, 0x434E6C, 0x52596D, 0x61656F, 0x6F7073, 0x7C7B78,
        0x8B8778, 0x9B9376, 0xABA072, 0xBBAD6C, 0xCCBA64, 0xDDC958, 0xEFD748, 0xFEE838,
    ].map { RGB(hex: $0) })

    /// Blue for negative, near-white for zero, red for positive: ColorBrewer's 11-class RdBu
    /// (Cynthia Brewer, colorbrewer2.org, marked colour-blind safe there), run from its blue end.
    public static let blueRed = ColorScale(name: "blue-red", kind: .diverging, stops: [
        0x053061, 0x2166AC, 0x4393C3, 0x92C5DE, 0xD1E5F0, 0xF7F7F7, 0xFDDBC7, 0xF4A582, 0xD6604D,
        0xB2182B, 0x67001F,
    ].map { RGB(hex: $0) })

    /// Purple for negative, near-white for zero, orange for positive: ColorBrewer's 11-class PuOr,
    /// run from its purple end; safe for every common kind of colour blindness.
    public static let purpleOrange = ColorScale(name: "purple-orange", kind: .diverging, stops: [
        0x2D004B, 0x542788, 0x8073AC, 0xB2ABD2, 0xD8DAEB, 0xF7F7F7, 0xFEE0B6, 0xFDB863, 0xE08214,
        0xB35806, 0x7F3B08,
    ].map { RGB(hex: $0) })

    /// Every scale above, for a settings menu and for tests.
    public static let all: [ColorScale] = [.viridis, .cividis, .blueRed, .purpleOrange]
}
