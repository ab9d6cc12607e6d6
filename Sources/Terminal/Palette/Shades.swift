/// Monochrome stand-ins for colour: the block shades ` ░▒▓█`, darkest (empty) to fullest.
public enum Shades {
    /// The five levels, from nothing to a full block.
    public static let levels: [Character] = [" ", "░", "▒", "▓", "█"]

    /// The shade for an intensity 0…1 (clamped): five equal bins, so values below 0.2 show as a
    /// blank and values of 0.8 and above as a full block.
    public static func glyph(for intensity: Double) -> Character {
        let i = intensity.isNaN ? 0 : Int((intensity.clamped(0, 1) * 5).rounded(.down))
        return levels[min(i, levels.count - 1)]
    }

    /// The intensity shown for a position on a scale: the position itself on a sequential scale;
    /// the distance from the neutral middle (0…1) on a diverging one, whose sign the caller shows.
    public static func intensity(at t: Double, kind: ColorScale.Kind) -> Double {
        kind == .sequential ? t : abs(2 * t - 1)
    }
}
