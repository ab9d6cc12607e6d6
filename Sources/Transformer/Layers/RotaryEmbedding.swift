#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Tensor

/// Rotary position embedding (Su et al. 2021) as Hugging Face applies it: dimension i is paired with
/// i + dh/2 (`rotate_half`), and the pair at position p turns by the angle p · θ^(−2i/dh) — or by
/// p times that frequency as `scaling` changes it.
public struct RotaryEmbedding: Sendable {
    public let headSize: Int
    public let theta: Float
    public let scaling: RopeScaling?
    /// Radians per position of each pair `[dh/2]`: θ^(−2i/dh), then scaled.
    public let inverseFrequencies: [Double]

    public init(headSize: Int, theta: Float, scaling: RopeScaling? = nil) {
        self.headSize = headSize
        self.theta = theta
        self.scaling = scaling
        let plain = (0..<headSize / 2).map { pow(Double(theta), -2 * Double($0) / Double(headSize)) }
        inverseFrequencies = scaling?.scale(plain) ?? plain
    }

    /// The angle of pair `i` at position `p`, in radians.
    public func angle(position p: Int, pair i: Int) -> Double {
        Double(p) * inverseFrequencies[i]
    }

    /// Rotates every head of `x [H,T,dh]`, token t at position `offset + t`.
    public func apply(_ x: Tensor, offset: Int = 0) -> Tensor {
        let (heads, t, dh) = (x.shape[0], x.shape[1], x.shape[2])
        let half = dh / 2
        var cosines = [Float](repeating: 0, count: t * half)
        var sines = [Float](repeating: 0, count: t * half)
        for p in 0..<t {
            for i in 0..<half {
                let a = angle(position: offset + p, pair: i)
                cosines[p * half + i] = Float(cos(a))
                sines[p * half + i] = Float(sin(a))
            }
        }
        var out = x
        out.withUnsafeMutableBufferPointer { po in
            for h in 0..<heads {
                for p in 0..<t {
                    let row = (h * t + p) * dh
                    for i in 0..<half {
                        let (c, s) = (cosines[p * half + i], sines[p * half + i])
                        let (a, b) = (po[row + i], po[row + i + half])
                        po[row + i] = a * c - b * s
                        po[row + i + half] = b * c + a * s
                    }
                }
            }
        }
        return out
    }
}

/// The fixed positional encoding of Vaswani et al.: PE[p, 2i] = sin(p / 10000^(2i/D)),
/// PE[p, 2i+1] = cos(p / 10000^(2i/D)), for positions `start ..< start + t`. → `[T,D]`.
public func sinusoidalPositions(count t: Int, width d: Int, from start: Int = 0) -> Tensor {
    var table = Tensor(shape: [t, d])
    table.withUnsafeMutableBufferPointer { pt in
        for p in 0..<t {
            var i = 0
            while i < d {
                let frequency = pow(10000.0, -Double(i) / Double(d))
                pt[p * d + i] = Float(sin(Double(start + p) * frequency))
                if i + 1 < d { pt[p * d + i + 1] = Float(cos(Double(start + p) * frequency)) }
                i += 2
            }
        }
    }
    return table
}
