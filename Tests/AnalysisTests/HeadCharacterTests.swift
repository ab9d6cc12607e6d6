import Foundation
import Testing
import Tensor
import Transformer
@testable import Analysis

/// Per-head character on patterns worked by hand.
@Suite struct HeadCharacterByHand {
    static let site = Site(layer: 0, kind: .attention)

    static func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-6 * (1 + abs(b)) }

    @Test func aCausalPatternOfThreeTokens() {
        // Rows: queries, columns: keys.
        //   [1    0    0  ]
        //   [0.5  0.5  0  ]
        //   [0.25 0.25 0.5]
        let pattern = Tensor(shape: [3, 3], scalars: [1, 0, 0, 0.5, 0.5, 0, 0.25, 0.25, 0.5])
        let c = HeadCharacter(pattern: pattern, site: Self.site, head: 2)
        #expect(c.head == 2 && c.site == Self.site)
        #expect(Self.close(c.selfShare, (1 + 0.5 + 0.5) / 3))
        #expect(Self.close(c.previousShare, (0.5 + 0.25) / 2))
        #expect(Self.close(c.firstShare, (1 + 0.5 + 0.25) / 3))
        // Entropies 0, 1 and 1.5 bits.
        #expect(Self.close(c.entropyBits, (0 + 1 + 1.5) / 3))
    }

    @Test func aPreviousTokenHeadAndAnEvenHead() {
        let previous = Tensor(shape: [3, 3], scalars: [1, 0, 0, 1, 0, 0, 0, 1, 0])
        let p = HeadCharacter(pattern: previous, site: Self.site, head: 0)
        #expect(p.previousShare == 1 && p.entropyBits == 0)
        #expect(Self.close(p.selfShare, 1.0 / 3) && Self.close(p.firstShare, 2.0 / 3))
        let even = Tensor(shape: [2, 4], scalars: Array(repeating: 0.25, count: 8))
        let e = HeadCharacter(pattern: even, site: Self.site, head: 0)
        #expect(Self.close(e.entropyBits, 2))
        #expect(Self.close(e.selfShare, 0.25) && Self.close(e.previousShare, 0.25) && Self.close(e.firstShare, 0.25))
        let one = HeadCharacter(pattern: Tensor(shape: [1, 1], scalars: [1]), site: Self.site, head: 0)
        #expect(one.previousShare == 0 && one.selfShare == 1 && one.entropyBits == 0)
    }

    @Test(arguments: Models.bundled)
    func everyRecordedHeadOnceInTheModelsOrder(_ model: String) throws {
        let loaded = try Models.load(model)
        let run = try Models.run(loaded)
        let config = loaded.config
        let all = HeadCharacter.all(in: run.result.cache, config: config)
        #expect(all.count == config.attentionSites.count * config.nHeads)
        #expect(all.map(\.site) == config.attentionSites.flatMap { Array(repeating: $0, count: config.nHeads) })
        for c in all {
            let pattern = run.result.cache[config.hook(.pattern, at: c.site)!.name]!.slice(c.head)
            #expect(c == HeadCharacter(pattern: pattern, site: c.site, head: c.head))
            #expect(c.entropyBits >= 0 && c.entropyBits <= log2(Double(pattern.shape[1])) + 1e-6)
            for share in [c.selfShare, c.previousShare, c.firstShare] { #expect(share >= 0 && share <= 1 + 1e-6) }
        }
        // A causal decoder's first query can only look at itself.
        if config.mask == .causal && config.architecture == .decoder {
            let first = run.result.cache[config.hook(.pattern, at: config.attentionSites[0])!.name]!
            #expect(abs(first[0, 0, 0] - 1) < 1e-6)
        }
    }
}
