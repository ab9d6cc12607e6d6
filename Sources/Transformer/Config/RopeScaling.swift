import Foundation

/// How a model stretches RoPE to a longer context than it was first trained on, by changing the
/// rotation speed (inverse frequency) of each dimension pair. Written as Hugging Face writes it in
/// `config.json` (`rope_scaling` / `rope_parameters`): `{"rope_type": "linear", "factor": 4}`; the
/// explorer's own `{"rope_type": "frequency_factors", "factors": [...]}` gives each pair's divisor.
public enum RopeScaling: Equatable, Sendable {
    /// Position interpolation (Chen et al. 2023): every pair turns `factor` times slower.
    case linear(factor: Double)
    /// Llama 3.1's: pairs whose wavelength exceeds `originalMaxPositions / lowFrequencyFactor` turn
    /// `factor` times slower, those shorter than `originalMaxPositions / highFrequencyFactor` keep their
    /// speed, and the band between blends the two by where its wavelength falls.
    case llama3(factor: Double, lowFrequencyFactor: Double, highFrequencyFactor: Double, originalMaxPositions: Int)
    /// One divisor per pair `[dh/2]`: pair i turns at θ^(−2i/dh) / `factors[i]`. This is how llama.cpp
    /// stores Llama 3.1's scaling in a GGUF file (the tensor `rope_freqs.weight`, which its converter
    /// computes from the `llama3` parameters), and how it applies it (`freq_factors` of `ggml_rope_ext`).
    case frequencyFactors([Double])

    /// The inverse frequencies `[dh/2]` after scaling (radians per position of each pair).
    public func scale(_ inverseFrequencies: [Double]) -> [Double] {
        switch self {
        case .linear(let factor):
            return inverseFrequencies.map { $0 / factor }
        case .llama3(let factor, let low, let high, let original):
            let lowFrequencyWavelength = Double(original) / low
            let highFrequencyWavelength = Double(original) / high
            return inverseFrequencies.map { frequency in
                let wavelength = 2 * Double.pi / frequency
                if wavelength < highFrequencyWavelength { return frequency }
                if wavelength > lowFrequencyWavelength { return frequency / factor }
                let smooth = (Double(original) / wavelength - low) / (high - low)
                return (1 - smooth) * frequency / factor + smooth * frequency
            }
        case .frequencyFactors(let factors):
            return inverseFrequencies.enumerated().map { i, frequency in
                i < factors.count ? frequency / factors[i] : frequency
            }
        }
    }

    /// The factors accepted: far wider than any model uses, narrow enough that the frequencies they
    /// divide stay finite and non-zero.
    static let factorRange: ClosedRange<Double> = 1e-6...1e6

    /// A problem with the numbers, or nil.
    var problem: String? {
        switch self {
        case .linear(let factor):
            return Self.factorRange.contains(factor) ? nil : "RoPE scaling factor must be positive and within \(Self.factorRange) (rope_scaling.factor), is \(factor)"
        case .llama3(let factor, let low, let high, let original):
            if !Self.factorRange.contains(factor) { return "RoPE scaling factor must be positive and within \(Self.factorRange) (rope_scaling.factor), is \(factor)" }
            if !(low > 0 && high > low && high.isFinite && low >= 1e-6) { return "llama3 RoPE scaling needs 0 < low_freq_factor < high_freq_factor, has \(low) and \(high)" }
            if original < 1 { return "llama3 RoPE scaling needs original_max_position_embeddings ≥ 1, has \(original)" }
            return nil
        case .frequencyFactors(let factors):
            guard let i = factors.firstIndex(where: { !Self.factorRange.contains($0) }) else { return nil }
            return "RoPE frequency factor \(i) must be positive and within \(Self.factorRange), is \(factors[i])"
        }
    }
}

extension RopeScaling: Codable {
    enum CodingKeys: String, CodingKey {
        case ropeType = "rope_type", factor, lowFrequencyFactor = "low_freq_factor"
        case highFrequencyFactor = "high_freq_factor", originalMaxPositions = "original_max_position_embeddings"
        case factors
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let type = try c.decode(String.self, forKey: .ropeType)
        switch type {
        case "linear":
            self = .linear(factor: try c.decode(Double.self, forKey: .factor))
        case "llama3":
            self = .llama3(factor: try c.decode(Double.self, forKey: .factor),
                           lowFrequencyFactor: try c.decode(Double.self, forKey: .lowFrequencyFactor),
                           highFrequencyFactor: try c.decode(Double.self, forKey: .highFrequencyFactor),
                           originalMaxPositions: try c.decode(Int.self, forKey: .originalMaxPositions))
        case "frequency_factors":
            self = .frequencyFactors(try c.decode([Double].self, forKey: .factors))
        default:
            throw DecodingError.dataCorruptedError(forKey: .ropeType, in: c,
                debugDescription: "rope_type must be linear, llama3 or frequency_factors, is \"\(type)\"")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .linear(let factor):
            try c.encode("linear", forKey: .ropeType)
            try c.encode(factor, forKey: .factor)
        case .llama3(let factor, let low, let high, let original):
            try c.encode("llama3", forKey: .ropeType)
            try c.encode(factor, forKey: .factor)
            try c.encode(low, forKey: .lowFrequencyFactor)
            try c.encode(high, forKey: .highFrequencyFactor)
            try c.encode(original, forKey: .originalMaxPositions)
        case .frequencyFactors(let factors):
            try c.encode("frequency_factors", forKey: .ropeType)
            try c.encode(factors, forKey: .factors)
        }
    }
}
