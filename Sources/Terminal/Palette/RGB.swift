#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A 24-bit sRGB colour: the stops of a colour scale, and the reference colours of a terminal's
/// palette that `ColorDepth` matches against.
public struct RGB: Hashable, Codable, Sendable {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
        self.red = red; self.green = green; self.blue = blue
    }

    /// From `0xRRGGBB`.
    public init(hex: UInt32) {
        self.init(UInt8((hex >> 16) & 0xFF), UInt8((hex >> 8) & 0xFF), UInt8(hex & 0xFF))
    }

    /// As a cell colour.
    public var color: Color { .rgb(red, green, blue) }

    /// `#RRGGBB`.
    public var hexString: String {
        "#" + [red, green, blue].map { Sanitizer.hex(UInt32($0), width: 2) }.joined()
    }

    /// The straight-line mix in sRGB: `self` at `t = 0`, `other` at `t = 1` (as Matplotlib
    /// interpolates between a listed colormap's entries).
    public func mixed(with other: RGB, _ t: Double) -> RGB {
        func channel(_ a: UInt8, _ b: UInt8) -> UInt8 {
            UInt8((Double(a) + (Double(b) - Double(a)) * t).rounded().clamped(0, 255))
        }
        return RGB(channel(red, other.red), channel(green, other.green), channel(blue, other.blue))
    }

    /// Relative luminance (WCAG 2), 0 for black to 1 for white.
    public var luminance: Double {
        0.2126 * Self.linear(red) + 0.7152 * Self.linear(green) + 0.0722 * Self.linear(blue)
    }

    /// Black or white, whichever reads better on this colour as a background: the WCAG contrast
    /// ratio against black beats the one against white above a luminance of about 0.179.
    public var contrastingText: RGB { luminance > 0.179 ? RGB(0, 0, 0) : RGB(255, 255, 255) }

    /// The colour in OKLab (Björn Ottosson, 2020), where straight-line distance follows perceived
    /// difference far better than in sRGB: `L` lightness 0…1, `a` green–red, `b` blue–yellow.
    public var oklab: (L: Double, a: Double, b: Double) {
        let r = Self.linear(red), g = Self.linear(green), b = Self.linear(blue)
        let l = (0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b).cubeRoot
        let m = (0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b).cubeRoot
        let s = (0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b).cubeRoot
        return (0.2104542553 * l + 0.7936177850 * m - 0.0040720033 * s,
                1.9779984951 * l - 2.4285922050 * m + 0.4505937099 * s,
                0.0259040371 * l + 0.7827717662 * m - 0.8086757660 * s)
    }

    /// Squared OKLab distance: the metric `ColorDepth` uses to pick the nearest palette entry.
    public func distanceSquared(to other: RGB) -> Double {
        let p = oklab, q = other.oklab
        return (p.L - q.L) * (p.L - q.L) + (p.a - q.a) * (p.a - q.a) + (p.b - q.b) * (p.b - q.b)
    }

    /// An sRGB channel (0…255) as linear light (0…1).
    static func linear(_ channel: UInt8) -> Double {
        let c = Double(channel) / 255
        return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
    }
}

extension Double {
    func clamped(_ lower: Double, _ upper: Double) -> Double { Swift.min(Swift.max(self, lower), upper) }
    var cubeRoot: Double { self < 0 ? -pow(-self, 1.0 / 3) : pow(self, 1.0 / 3) }
}
