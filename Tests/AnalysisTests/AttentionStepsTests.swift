import Foundation
import Testing
import Tensor
import Transformer
@testable import Analysis

/// One cell's six steps: on a cache worked by hand, and on real runs where the arithmetic must end
/// at the cache's values within 1e-5 × (1 + |value|).
@Suite struct AttentionStepsGathered {
    static func close(_ shown: Double, _ cached: Float) -> Bool {
        if cached == -.infinity { return shown == -.infinity }
        return abs(shown - Double(cached)) <= 1e-5 * (1 + abs(Double(cached)))
    }

    /// One head of size 2 over two tokens, causal:
    /// q = [[1,0],[0,2]], k = [[1,1],[2,0]], v = [[1,2],[3,4]].
    static func handCache() -> ActivationCache {
        let root2 = Float(2).squareRoot()
        let e = Float(exp(Double(2 / root2)))
        let (w0, w1) = (e / (e + 1), 1 / (e + 1))
        var cache = ActivationCache()
        let site = "blocks.0.attn"
        cache.store("\(site).q", Tensor(shape: [1, 2, 2], scalars: [1, 0, 0, 2]))
        cache.store("\(site).k", Tensor(shape: [1, 2, 2], scalars: [1, 1, 2, 0]))
        cache.store("\(site).v", Tensor(shape: [1, 2, 2], scalars: [1, 2, 3, 4]))
        cache.store("\(site).scores", Tensor(shape: [1, 2, 2], scalars: [1, 2, 2, 0]))
        cache.store("\(site).scaled", Tensor(shape: [1, 2, 2], scalars: [1 / root2, 2 / root2, 2 / root2, 0]))
        cache.store("\(site).masked", Tensor(shape: [1, 2, 2], scalars: [1 / root2, -.infinity, 2 / root2, 0]))
        cache.store("\(site).pattern", Tensor(shape: [1, 2, 2], scalars: [1, 0, w0, w1]))
        cache.store("\(site).z", Tensor(shape: [1, 2, 2], scalars: [1, 2, w0 * 1 + w1 * 3, w0 * 2 + w1 * 4]))
        return cache
    }

    @Test func aCellWorkedByHand() throws {
        let site = Site(layer: 0, kind: .attention)
        let s = try AttentionSteps(site: site, head: 0, query: 1, key: 0, cache: Self.handCache(), config: Models.handConfig,
                                   queryLabels: ["the", "cat"], keyLabels: ["the", "cat"])
        #expect(s.site == "blocks.0.attn" && s.queryToken == "cat" && s.keyToken == "the" && s.keyTokens == ["the", "cat"])
        #expect(s.q == [0, 2] && s.k == [1, 1] && s.v == [1, 2] && s.kvHead == 0)
        #expect(s.products == [0, 2] && s.productSum == 2 && s.score == 2)
        #expect(abs(s.sqrtHeadSize - 1.41421356) < 1e-8)
        #expect(abs(s.scoreOverSqrt - 1.41421356) < 1e-7)
        #expect(!s.isMasked && abs(Double(s.rowMax) - 1.41421356) < 1e-6)
        // exp(1.41421 − 1.41421) = 1 and exp(0 − 1.41421) = 0.243117; 1 / 1.243117 = 0.804430.
        #expect(abs(s.expTerms[0] - 1) < 1e-6 && abs(s.expTerms[1] - 0.243117) < 1e-6)
        #expect(abs(s.expRatio - 0.804430) < 1e-6)
        #expect(Self.close(s.expRatio, s.weight))
        // Step 5 from v (the cache has no weighted), step 6: 0.804430·[1,2] + 0.195570·[3,4].
        #expect(!s.weightedFromCache)
        #expect(abs(s.weightedSum[0] - 1.391140) < 1e-5 && abs(s.weightedSum[1] - 2.391140) < 1e-5)
        for c in 0..<2 { #expect(Self.close(s.weightedSum[c], s.z[c])) }

        let hidden = try AttentionSteps(site: site, head: 0, query: 0, key: 1, cache: Self.handCache(), config: Models.handConfig,
                                        queryLabels: ["the", "cat"], keyLabels: ["the", "cat"])
        #expect(hidden.isMasked && hidden.expTerms[1] == 0 && hidden.expRatio == 0 && hidden.weight == 0)
    }

    @Test func whatCannotBeGatheredIsSaid() throws {
        let config = Models.handConfig, cache = Self.handCache()
        #expect(throws: AttentionStepsError.notAnAttention(Site(layer: 0, kind: .mlp))) {
            try AttentionSteps(site: Site(layer: 0, kind: .mlp), head: 0, query: 0, key: 0, cache: cache, config: config,
                               queryLabels: [], keyLabels: [])
        }
        #expect(throws: AttentionStepsError.notAnAttention(Site(layer: 3, kind: .attention))) {
            try AttentionSteps(site: Site(layer: 3, kind: .attention), head: 0, query: 0, key: 0, cache: cache, config: config,
                               queryLabels: [], keyLabels: [])
        }
        #expect(throws: AttentionStepsError.outside(head: 1, query: 0, key: 0, heads: 1, queries: 2, keys: 2)) {
            try AttentionSteps(site: Site(layer: 0, kind: .attention), head: 1, query: 0, key: 0, cache: cache, config: config,
                               queryLabels: [], keyLabels: [])
        }
        #expect(throws: AttentionStepsError.notRecorded("blocks.0.attn.q")) {
            try AttentionSteps(site: Site(layer: 0, kind: .attention), head: 0, query: 0, key: 0, cache: ActivationCache(),
                               config: config, queryLabels: [], keyLabels: [])
        }
    }

    @Test(arguments: Models.bundled)
    func arithmeticEndsAtTheCachesValues(_ model: String) throws {
        let loaded = try Models.load(model)
        let run = try Models.run(loaded)
        let (config, cache) = (loaded.config, run.result.cache)
        var checked = 0
        for site in config.attentionSites {
            let pattern = try #require(cache[config.hook(.pattern, at: site)!.name])
            for head in 0..<pattern.shape[0] {
                for query in Set([0, pattern.shape[1] - 1]) {
                    for key in Set([0, query % pattern.shape[2], pattern.shape[2] - 1]) {
                        let s = try AttentionSteps(site: site, head: head, query: query, key: key, cache: cache, config: config,
                                                   queryLabels: [], keyLabels: [])
                        let place = "\(model) \(site.name) head \(head) \(query)→\(key)"
                        #expect(s.weightedFromCache, "\(place)")
                        #expect(Self.close(s.productSum, s.score), "\(place)")
                        #expect(Self.close(s.scoreOverSqrt, s.scaled), "\(place)")
                        #expect(Self.close(s.expRatio, s.weight), "\(place)")
                        for c in 0..<s.headSize {
                            #expect(Self.close(s.weightTimesV[c], s.weightedV[c]), "\(place) dimension \(c)")
                            #expect(Self.close(s.weightedSum[c], s.z[c]), "\(place) z[\(c)]")
                        }
                        #expect(s.weight == pattern[head, query, key])
                        checked += 1
                    }
                }
            }
        }
        #expect(checked >= config.attentionSites.count * config.nHeads)
    }
}
