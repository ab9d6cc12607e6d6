#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How the next token is chosen from a row of logits: greedy (temperature 0), or sampled from
/// softmax(logits / temperature) restricted to the top k and then to the smallest set whose
/// probability reaches p (nucleus sampling, Holtzman et al. 2019).
public struct SamplingSettings: Equatable, Sendable {
    /// 0 picks the most likely token; otherwise logits are divided by it before the softmax.
    public var temperature: Double = 1
    /// Keep only the k most likely tokens (nil: all).
    public var topK: Int?
    /// Keep the most likely tokens until their probability reaches p (nil or 1: all).
    public var topP: Double?

    public init(temperature: Double = 1, topK: Int? = nil, topP: Double? = nil) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
    }

    /// Checks the ranges; throws `ModelError.badInput` naming the setting.
    public func validate() throws {
        guard temperature >= 0, temperature.isFinite else {
            throw ModelError.badInput("temperature must be 0 or more, got \(temperature)")
        }
        if let topK, topK < 1 { throw ModelError.badInput("top-k must be at least 1, got \(topK)") }
        if let topP, !(topP > 0 && topP <= 1) { throw ModelError.badInput("top-p must be in (0, 1], got \(topP)") }
    }
}

/// One candidate after filtering, with its renormalised probability.
public struct Candidate: Equatable, Sendable {
    public var id: Int
    public var probability: Double
}

public enum Sampler {
    /// The candidates `settings` keeps for a row of logits, most likely first, probabilities summing to 1.
    /// Ties are broken by the lower id, so the result never depends on sort stability.
    public static func candidates(logits: [Float], settings: SamplingSettings) -> [Candidate] {
        if settings.temperature == 0 { return greedy(logits).map { [Candidate(id: $0, probability: 1)] } ?? [] }
        let order = logits.indices.sorted { logits[$0] != logits[$1] ? logits[$0] > logits[$1] : $0 < $1 }
        guard let best = order.first else { return [] }
        if settings.temperature == 0 { return [Candidate(id: best, probability: 1)] }
        var kept = Array(order.prefix(settings.topK ?? order.count))
        let peak = Double(logits[best])
        var weights = kept.map { exp((Double(logits[$0]) - peak) / settings.temperature) }
        var total = weights.reduce(0, +)
        if let p = settings.topP, p < 1 {
            var running = 0.0
            var cut = kept.count
            for (n, w) in weights.enumerated() {
                running += w / total
                if running >= p { cut = n + 1; break }
            }
            kept = Array(kept.prefix(cut))
            weights = Array(weights.prefix(cut))
            total = weights.reduce(0, +)
        }
        return zip(kept, weights).map { Candidate(id: $0, probability: $1 / total) }
    }

    /// The largest logit's id, the lowest id among equals (as the sort above orders them); one pass,
    /// no sort, for a vocabulary of tens of thousands at every generation step. Nil for no logits.
    static func greedy(_ logits: [Float]) -> Int? {
        guard var best = logits.indices.first else { return nil }
        for i in logits.indices.dropFirst() where logits[i] > logits[best] { best = i }
        return best
    }

    /// Draws one token id from a row of logits with `generator`.
    public static func sample(logits: [Float], settings: SamplingSettings, generator: inout SplitMix64) -> Int {
        let pool = candidates(logits: logits, settings: settings)
        if pool.count == 1 { return pool[0].id }
        let u = generator.nextUnit()
        var running = 0.0
        for candidate in pool {
            running += candidate.probability
            if u < running { return candidate.id }
        }
        return pool[pool.count - 1].id
    }
}
