import Foundation
import Tensor
import Transformer

/// Gathers `AttentionSteps` for the selected head, query and key of one attention from the cache,
/// and does the arithmetic a learner can follow on the numbers it shows.
struct AttentionStepsBuilder {
    let evaluator: Evaluator
    var context: LessonContext { evaluator.context }
    var selection: Selection { evaluator.selection }

    /// - Parameter site: the attention's name with the layer written in (`blocks.0.attn`).
    func build(site: String) throws -> AttentionSteps {
        let config = context.config
        guard let attention = Site(parsing: site, in: config), attention.kind.isAttention else {
            let sites = config.attentionSites.map(\.name)
            throw EvaluationError("no attention named \(site) (attentions: \(sites.sorted().joined(separator: ", ")))",
                                  learner: "(no attention \(site) in this model)")
        }
        func hook(_ point: Hook.Point) throws -> Tensor {
            let name = config.hook(point, at: attention)?.name ?? "\(site).\(point.rawValue)"
            guard let tensor = context.cache[name] else {
                throw EvaluationError("this run did not record \(name)", learner: "(\(name) was not recorded)")
            }
            return tensor
        }
        let q = try hook(.q), k = try hook(.k), v = try hook(.v)
        let scores = try hook(.scores), scaled = try hook(.scaled), masked = try hook(.masked)
        let pattern = try hook(.pattern), z = try hook(.z)
        let weighted = try? hook(.weighted)

        let (heads, queries, headSize) = (q.shape[0], q.shape[1], q.shape[2])
        let keys = k.shape[1]
        let head = selection.head, query = selection.query, key = selection.key
        let kvHead = head / max(1, heads / max(1, k.shape[0]))
        guard head < heads, query < queries, key < keys else {
            throw EvaluationError("the selection (head \(head), query \(query), key \(key)) is outside \(site): \(heads) heads, \(queries) queries, \(keys) keys",
                                  learner: "(the selection is outside this attention)")
        }

        let queryVector = q.slice(head).slice(query).scalars
        let keyVector = k.slice(kvHead).slice(key).scalars
        let valueVector = v.slice(kvHead).slice(key).scalars
        let products = zip(queryVector, keyVector).map { Double($0) * Double($1) }
        let root = Double(headSize).squareRoot()
        let score = scores[head, query, key]

        let maskedRow = masked.slice(head).slice(query).scalars
        let rowMax = maskedRow.filter { $0 != -.infinity }.max() ?? 0
        let expTerms = maskedRow.map { $0 == -.infinity ? 0 : Foundation.exp(Double($0) - Double(rowMax)) }
        let expSum = expTerms.reduce(0, +)
        let weights = pattern.slice(head).slice(query).scalars

        let weightedRows: [[Float]] = (0..<keys).map { j in
            if let weighted { return weighted.slice(head).slice(query).slice(j).scalars }
            let w = weights[j]
            return v.slice(kvHead).slice(j).scalars.map { w * $0 }
        }
        let weightedSum = (0..<headSize).map { c in weightedRows.reduce(0.0) { $0 + Double($1[c]) } }

        let queryLabels = context.labels(attention.queryTokens), keyLabels = context.labels(attention.keyTokens)

        return AttentionSteps(
            site: site, head: head, kvHead: kvHead, query: query, key: key,
            queryToken: queryLabels.indices.contains(query) ? queryLabels[query] : "#\(query)",
            keyToken: keyLabels.indices.contains(key) ? keyLabels[key] : "#\(key)",
            keyTokens: (0..<keys).map { keyLabels.indices.contains($0) ? keyLabels[$0] : "#\($0)" },
            headSize: headSize,
            q: queryVector, k: keyVector, v: valueVector,
            products: products, productSum: products.reduce(0, +), score: score,
            sqrtHeadSize: root, scoreOverSqrt: Double(score) / root, scaled: scaled[head, query, key],
            masked: maskedRow[key], isMasked: maskedRow[key] == -.infinity,
            maskedRow: maskedRow, rowMax: rowMax, expTerms: expTerms, expSum: expSum,
            expRatio: expSum > 0 ? expTerms[key] / expSum : 0,
            weight: weights[key], weights: weights,
            weightedRows: weightedRows, weightedV: weightedRows[key],
            weightTimesV: valueVector.map { Double(weights[key]) * Double($0) },
            weightedSum: weightedSum, z: z.slice(head).slice(query).scalars,
            weightedFromCache: weighted != nil)
    }
}

extension AttentionSteps {
    /// The six steps of one attention (`blocks.0.attn`, `decoder.blocks.1.cross_attn`) for a head,
    /// a query and a key of the run in `context`.
    public static func build(site: String, head: Int, query: Int, key: Int, in context: LessonContext) throws -> AttentionSteps {
        let selection = Selection(layer: 0, head: head, query: query, key: key)
        return try AttentionStepsBuilder(evaluator: Evaluator(context: context, selection: selection)).build(site: site)
    }
}
