import Testing
import Tensor
import Transformer
@testable import Analysis

/// The next-token distribution is the recorded `probs`, not a softmax made again.
@Suite struct NextTokenDistributionReadsProbs {
    @Test func itIsTheRecordedRowEvenWhenItIsNotTheLogitsSoftmax() throws {
        var cache = ActivationCache()
        // Deliberately not softmax(logits): the distribution must be what `probs` holds.
        cache.store("logits", Tensor(shape: [2, 3], scalars: [0, 0, 0, 5, 1, 0]))
        cache.store("probs", Tensor(shape: [2, 3], scalars: [0.2, 0.3, 0.5, 0.1, 0.7, 0.2]))
        let last = try #require(NextTokenDistribution(cache: cache, config: Models.handConfig))
        #expect(last.position == 1)
        #expect(last.probabilities == [0.1, 0.7, 0.2])
        #expect(last.top(2) == [.init(id: 1, probability: 0.7), .init(id: 2, probability: 0.2)])
        let first = try #require(NextTokenDistribution(cache: cache, config: Models.handConfig, position: 0))
        #expect(first.top(5).map(\.id) == [2, 1, 0])
        #expect(NextTokenDistribution(cache: cache, config: Models.handConfig, position: 2) == nil)
        #expect(NextTokenDistribution(cache: ActivationCache(), config: Models.handConfig) == nil)
    }

    @Test(arguments: Models.bundled)
    func aRealRunsDistribution(_ model: String) throws {
        let loaded = try Models.load(model)
        let run = try Models.run(loaded)
        let config = loaded.config
        guard config.lmHead else {
            #expect(NextTokenDistribution(cache: run.result.cache, config: config) == nil)
            return
        }
        let d = try #require(NextTokenDistribution(cache: run.result.cache, config: config))
        let probs = try #require(run.result.cache[config.hook(.probs, at: Site(stack: config.outputStack, kind: .head))!.name])
        #expect(d.position == probs.shape[0] - 1)
        #expect(d.probabilities == probs.slice(d.position).scalars)
        #expect(abs(d.probabilities.reduce(0, +) - 1) < 1e-4)
        let top = d.top(5)
        #expect(top.count == min(5, config.vocabSize))
        #expect(zip(top, top.dropFirst()).allSatisfy { $0.probability >= $1.probability })
        #expect(top[0].probability == d.probabilities.max())
    }
}
