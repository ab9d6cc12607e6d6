import Foundation
import Tensor
import Transformer

/// One attention head's character in a few numbers, from its pattern: how much of a query's weight
/// goes to the query itself, to the token before it, and to the first token, and how spread the
/// weights are (entropy).
public struct HeadCharacter: Sendable, Equatable, Codable {
    public var site: Site
    public var head: Int
    /// The mean over queries of the weight on the query's own position (i → i).
    public var selfShare: Double
    /// The mean over queries 1… of the weight on the previous position (i → i − 1); 0 for one token.
    public var previousShare: Double
    /// The mean over queries of the weight on the first token (i → 0).
    public var firstShare: Double
    /// The mean over queries of the entropy of its weights, in bits: 0 when all weight is on one key,
    /// log2(n) when spread evenly over n keys.
    public var entropyBits: Double

    public init(site: Site, head: Int, selfShare: Double, previousShare: Double, firstShare: Double, entropyBits: Double) {
        self.site = site; self.head = head; self.selfShare = selfShare; self.previousShare = previousShare
        self.firstShare = firstShare; self.entropyBits = entropyBits
    }

    /// The character of one head from its pattern `[T_q, T_k]` (rows sum to 1).
    public init(pattern: Tensor, site: Site, head: Int) {
        precondition(pattern.rank == 2, "a head's pattern is [T_q, T_k], not \(pattern.shape)")
        let (t, s) = (pattern.shape[0], pattern.shape[1])
        let weights = pattern.scalars
        var selfSum = 0.0, previousSum = 0.0, firstSum = 0.0, entropy = 0.0
        for i in 0..<t {
            if i < s { selfSum += Double(weights[i * s + i]) }
            if i >= 1 && i - 1 < s { previousSum += Double(weights[i * s + i - 1]) }
            if s > 0 { firstSum += Double(weights[i * s]) }
            for j in 0..<s {
                let p = Double(weights[i * s + j])
                if p > 0 { entropy -= p * log2(p) }
            }
        }
        let queries = Double(max(1, t))
        self.init(site: site, head: head, selfShare: selfSum / queries,
                  previousShare: t > 1 ? previousSum / Double(t - 1) : 0, firstShare: firstSum / queries,
                  entropyBits: entropy / queries)
    }

    /// Every head of every attention the run recorded a pattern `[H,T_q,T_k]` for, in the model's order.
    public static func all(in cache: ActivationCache, config: ModelConfig) -> [HeadCharacter] {
        config.attentionSites.flatMap { site -> [HeadCharacter] in
            guard let hook = config.hook(.pattern, at: site), let pattern = cache[hook.name], pattern.rank == 3 else { return [] }
            return (0..<pattern.shape[0]).map { HeadCharacter(pattern: pattern.slice($0), site: site, head: $0) }
        }
    }
}
