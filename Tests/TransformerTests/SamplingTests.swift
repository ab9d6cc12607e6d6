import Foundation
import Testing
@testable import Transformer

@Suite struct Sampling {
    @Test func splitMix64MatchesTheReferenceSequence() {
        // SplitMix64 from seed 0: the first outputs of the reference C implementation.
        var generator = SplitMix64(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(generator.next() == 0x06C4_5D18_8009_454F)
    }

    @Test func greedyTakesTheLargestLogitAndTiesGoToTheLowerId() {
        let settings = SamplingSettings(temperature: 0)
        #expect(Sampler.candidates(logits: [0.1, 3, -2, 3], settings: settings) == [Candidate(id: 1, probability: 1)])
    }

    @Test func temperatureSharpensOrFlattens() {
        // softmax([2, 1, 0] / T): at T = 1 the weights are e², e, 1 over their sum.
        let logits: [Float] = [2, 1, 0]
        let warm = Sampler.candidates(logits: logits, settings: SamplingSettings(temperature: 1))
        let total = exp(2.0) + exp(1.0) + 1
        #expect(abs(warm[0].probability - exp(2.0) / total) < 1e-9)
        #expect(abs(warm[2].probability - 1 / total) < 1e-9)
        let cold = Sampler.candidates(logits: logits, settings: SamplingSettings(temperature: 0.5))
        #expect(cold[0].probability > warm[0].probability)
    }

    @Test func topKKeepsKAndRenormalises() {
        let pool = Sampler.candidates(logits: [0, 5, 1, 4], settings: SamplingSettings(temperature: 1, topK: 2))
        #expect(pool.map(\.id) == [1, 3])
        #expect(abs(pool[0].probability - exp(5.0) / (exp(5.0) + exp(4.0))) < 1e-9)
        #expect(abs(pool.map(\.probability).reduce(0, +) - 1) < 1e-12)
    }

    @Test func topPKeepsTheSmallestSetReachingP() {
        // Probabilities 0.5, 0.3, 0.2 (logits are their logs): p = 0.7 keeps the first two (0.8 ≥ 0.7).
        let logits = [0.5, 0.3, 0.2].map { Float(log($0)) }
        let pool = Sampler.candidates(logits: logits, settings: SamplingSettings(temperature: 1, topP: 0.7))
        #expect(pool.map(\.id) == [0, 1])
        #expect(abs(pool[0].probability - 0.5 / 0.8) < 1e-6)
        let all = Sampler.candidates(logits: logits, settings: SamplingSettings(temperature: 1, topP: 1))
        #expect(all.count == 3)
    }

    @Test func samplingFollowsTheProbabilities() {
        var generator = SplitMix64(seed: 1)
        let logits = [0.75, 0.25].map { Float(log($0)) }
        var counts = [0, 0]
        for _ in 0..<20_000 {
            counts[Sampler.sample(logits: logits, settings: SamplingSettings(), generator: &generator)] += 1
        }
        // 15,000 expected; 5 standard deviations is ±306.
        #expect(abs(counts[0] - 15_000) < 306)
    }

    @Test func badSettingsAreRejected() {
        #expect(throws: ModelError.self) { try SamplingSettings(temperature: -1).validate() }
        #expect(throws: ModelError.self) { try SamplingSettings(topK: 0).validate() }
        #expect(throws: ModelError.self) { try SamplingSettings(topP: 0).validate() }
    }

    @Test func generationStopsAtTheContextLength() throws {
        let loaded = try Repository.model("tiny-gpt")
        let ids = loaded.tokenizer.encode("the cat sat on the mat").map(\.id)
        let produced = try loaded.model.generate(ids, maxTokens: 100, settings: SamplingSettings(temperature: 0), seed: 0)
        #expect(ids.count + produced.count == loaded.config.maxPositions)
    }
}
