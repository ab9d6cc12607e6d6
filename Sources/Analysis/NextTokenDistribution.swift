import Tensor
import Transformer

/// The model's next-token distribution after one token, as the forward pass recorded it: a row of
/// `probs [T,V]` (never recomputed from the logits, so it is the number the model produced).
public struct NextTokenDistribution: Sendable, Equatable {
    /// One candidate token and its probability.
    public struct Candidate: Sendable, Equatable, Codable {
        public var id: Int
        public var probability: Float

        public init(id: Int, probability: Float) { self.id = id; self.probability = probability }
    }

    /// The position whose prediction it is (the token the next one follows).
    public var position: Int
    /// `probs[position]`, one probability per vocabulary id, [V].
    public var probabilities: [Float]

    public init(position: Int, probabilities: [Float]) {
        self.position = position; self.probabilities = probabilities
    }

    /// Reads row `position` (nil: the last) of the `probs [T,V]` of `stack`'s LM head (nil: the
    /// model's output stack); nil when the model has no head there, the run did not record it, or
    /// the position is outside it.
    public init?(cache: ActivationCache, config: ModelConfig, stack: Site.Stack? = nil, position: Int? = nil) {
        guard let hook = config.hook(.probs, at: Site(stack: stack ?? config.outputStack, kind: .head)),
              let probs = cache[hook.name], probs.rank == 2, probs.shape[0] > 0 else { return nil }
        let row = position ?? probs.shape[0] - 1
        guard row >= 0, row < probs.shape[0] else { return nil }
        self.init(position: row, probabilities: probs.slice(row).scalars)
    }

    /// The `count` most likely tokens, most likely first.
    public func top(_ count: Int) -> [Candidate] {
        probabilities.indices.sorted { probabilities[$0] > probabilities[$1] }.prefix(max(0, count))
            .map { Candidate(id: $0, probability: probabilities[$0]) }
    }
}
