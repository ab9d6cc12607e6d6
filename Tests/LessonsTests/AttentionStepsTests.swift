import Foundation
import Testing
@testable import Lessons
import Analysis
import Transformer

/// `@show steps`: every number is the cache's, or arithmetic on shown numbers that ends at the
/// cache's value within 1e-5 × (1 + |value|).
@Suite struct AttentionStepsArithmetic {
    static let models = ["tiny-gpt", "tiny-bert", "tiny-llama", "tiny-transformer"]

    static func close(_ shown: Double, _ cached: Float) -> Bool {
        if cached == -.infinity { return shown == -.infinity }
        return abs(shown - Double(cached)) <= 1e-5 * (1 + abs(Double(cached)))
    }

    @Test(arguments: models)
    func arithmeticEndsAtTheCachesValues(_ model: String) throws {
        let loaded = try Repository.model(model)
        let target: String? = loaded.config.architecture == .encoderDecoder ? "ethay atcay atsay" : nil
        let context = try LessonContext(loaded: loaded, text: "the cat sat on the mat because it was tired", target: target)
        let sites = context.cache.names.filter { $0.hasSuffix(".pattern") }.map { String($0.dropLast(".pattern".count)) }
        #expect(!sites.isEmpty)
        var checked = 0
        for site in sites {
            let pattern = try #require(context.cache[site + ".pattern"])
            let (heads, queries, keys) = (pattern.shape[0], pattern.shape[1], pattern.shape[2])
            for head in 0..<heads {
                for query in Set([0, queries / 2, queries - 1]) {
                    for key in Set([0, query % keys, keys - 1]) {
                        let selection = Selection(layer: 0, head: head, query: query, key: key)
                        let steps = try AttentionStepsBuilder(evaluator: Evaluator(context: context, selection: selection)).build(site: site)
                        check(steps, context: context, where: "\(model) \(site) head \(head) \(query)→\(key)")
                        checked += 1
                    }
                }
            }
        }
        #expect(checked > 20)
    }

    func check(_ s: AttentionSteps, context: LessonContext, where place: String) {
        let cache = context.cache
        let q = cache[s.site + ".q"]!, k = cache[s.site + ".k"]!, v = cache[s.site + ".v"]!
        // Step 1: the cache's vectors (the key/value head the query head reads).
        #expect(s.q == q.slice(s.head).slice(s.query).scalars, "\(place)")
        #expect(s.k == k.slice(s.kvHead).slice(s.key).scalars, "\(place)")
        #expect(s.v == v.slice(s.kvHead).slice(s.key).scalars, "\(place)")
        #expect(s.kvHead == s.head / (q.shape[0] / k.shape[0]), "\(place)")
        // Step 2: the products are of the shown numbers and add up to the cache's score.
        for c in 0..<s.headSize { #expect(s.products[c] == Double(s.q[c]) * Double(s.k[c]), "\(place)") }
        #expect(Self.close(s.productSum, s.score), "\(place): Σ q·k = \(s.productSum), score \(s.score)")
        #expect(s.score == cache[s.site + ".scores"]![s.head, s.query, s.key])
        // Step 3: score ÷ √dh ends at the cache's scaled score.
        #expect(s.sqrtHeadSize == Double(s.headSize).squareRoot())
        #expect(Self.close(s.scoreOverSqrt, s.scaled), "\(place): \(s.scoreOverSqrt) vs \(s.scaled)")
        #expect(s.scaled == cache[s.site + ".scaled"]![s.head, s.query, s.key])
        // The mask: −∞ where hidden, else the scaled score.
        #expect(s.masked == cache[s.site + ".masked"]![s.head, s.query, s.key])
        #expect(s.isMasked == (s.masked == -.infinity))
        if !s.isMasked { #expect(s.masked == s.scaled, "\(place)") }
        // Step 4: exp terms of the shown row, their sum, the ratio, which ends at the cache's weight.
        #expect(s.maskedRow == cache[s.site + ".masked"]!.slice(s.head).slice(s.query).scalars)
        for (j, term) in s.expTerms.enumerated() {
            let expected = s.maskedRow[j] == -.infinity ? 0 : exp(Double(s.maskedRow[j]) - Double(s.rowMax))
            #expect(term == expected, "\(place) key \(j)")
        }
        #expect(abs(s.expSum - s.expTerms.reduce(0, +)) <= 1e-12 * max(1, s.expSum))
        #expect(Self.close(s.expRatio, s.weight), "\(place): \(s.expRatio) vs \(s.weight)")
        #expect(s.weight == cache[s.site + ".pattern"]![s.head, s.query, s.key])
        if s.isMasked { #expect(s.weight == 0 && s.expRatio == 0) }
        // Step 5: weight × v beside the cache's weighted value.
        #expect(s.weightedFromCache)
        for c in 0..<s.headSize {
            #expect(Self.close(s.weightTimesV[c], s.weightedV[c]), "\(place) dimension \(c)")
        }
        // Step 6: the weighted rows add up to the cache's z.
        #expect(s.z == cache[s.site + ".z"]!.slice(s.head).slice(s.query).scalars)
        for c in 0..<s.headSize {
            #expect(Self.close(s.weightedSum[c], s.z[c]), "\(place) z[\(c)]: \(s.weightedSum[c]) vs \(s.z[c])")
        }
    }

    @Test func withoutWeightedRecordedStepFiveIsComputed() throws {
        let loaded = try Repository.model("tiny-gpt")
        let inspection = try Inspection(loaded, text: Repository.sentence, recording: HookFilter(parsing: "blocks.0.attn.*"),
                                        weightedLimit: 4)
        let context = LessonContext(loaded: loaded, inspection: inspection)
        #expect(context.cache["blocks.0.attn.weighted"] == nil)
        let steps = try AttentionStepsBuilder(evaluator: Evaluator(context: context, selection: Selection(layer: 0, head: 1, query: 9, key: 1)))
            .build(site: "blocks.0.attn")
        #expect(!steps.weightedFromCache)
        for c in 0..<steps.headSize { #expect(Self.close(steps.weightedSum[c], steps.z[c])) }
    }

    @Test func anUnknownAttentionIsNamed() throws {
        let context = try Live().context
        let evaluator = Evaluator(context: context, selection: Selection())
        #expect(throws: EvaluationError.self) { try AttentionStepsBuilder(evaluator: evaluator).build(site: "blocks.5.attn") }
        let step = try Live().step("@show steps blocks.{layer}.atn")
        #expect(step.problems.first?.message == "in @show steps blocks.{layer}.atn: no attention named blocks.0.atn (attentions: blocks.0.attn, blocks.1.attn)")
    }
}
