import Foundation
import Tensor
import Transformer

/// Why the six steps of a cell could not be gathered from a run.
public enum AttentionStepsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The site is not an attention of the model.
    case notAnAttention(Site)
    /// The run did not record this hook (the recording filter left it out).
    case notRecorded(String)
    /// The head, query or key is outside the attention.
    case outside(head: Int, query: Int, key: Int, heads: Int, queries: Int, keys: Int)

    public var description: String {
        switch self {
        case .notAnAttention(let site): return "\(site.name) is not an attention"
        case .notRecorded(let name): return "this run did not record \(name)"
        case let .outside(head, query, key, heads, queries, keys):
            return "the selection (head \(head), query \(query), key \(key)) is outside: \(heads) heads, \(queries) queries, \(keys) keys"
        }
    }
}

extension AttentionSteps {
    /// Gathers the six steps of one cell from a run's cache and does the arithmetic a learner can
    /// follow on the numbers it shows, ending at the cache's values within 1e-5 × (1 + |value|).
    ///
    /// Reads `q [H,T_q,dh]`, `k`/`v [H_kv,T_k,dh]`, `scores`/`scaled`/`masked`/`pattern [H,T_q,T_k]`,
    /// `z [H,T_q,dh]` of `site`, and `weighted [H,T_q,T_k,dh]` when recorded (else step 5 is
    /// weight × v computed here).
    /// - Parameters:
    ///   - site: an attention site of `config` (self- or cross-attention).
    ///   - head: the query head; it reads key/value head `head / (H / H_kv)`.
    ///   - query: the row (a token of `site.queryTokens`); key: the column (of `site.keyTokens`).
    ///   - queryLabels / keyLabels: the readable tokens of the two lists, for the labels.
    public init(site: Site, head: Int, query: Int, key: Int, cache: ActivationCache, config: ModelConfig,
                queryLabels: [String], keyLabels: [String]) throws {
        guard site.kind.isAttention, config.hook(.pattern, at: site) != nil else { throw AttentionStepsError.notAnAttention(site) }
        func hook(_ point: Hook.Point) throws -> Tensor {
            guard let name = config.hook(point, at: site)?.name, let tensor = cache[name] else {
                throw AttentionStepsError.notRecorded("\(site.name).\(point.rawValue)")
            }
            return tensor
        }
        let q = try hook(.q), k = try hook(.k), v = try hook(.v)
        let scores = try hook(.scores), scaled = try hook(.scaled), masked = try hook(.masked)
        let pattern = try hook(.pattern), z = try hook(.z)
        let weighted = try? hook(.weighted)

        let (heads, queries, headSize) = (q.shape[0], q.shape[1], q.shape[2])
        let keys = k.shape[1]
        let kvHead = head / max(1, heads / max(1, k.shape[0]))
        guard head >= 0, query >= 0, key >= 0, head < heads, query < queries, key < keys else {
            throw AttentionStepsError.outside(head: head, query: query, key: key, heads: heads, queries: queries, keys: keys)
        }

        // Step 1: the vectors; step 2: their products and sum beside the cache's score.
        let queryVector = q.slice(head).slice(query).scalars
        let keyVector = k.slice(kvHead).slice(key).scalars
        let valueVector = v.slice(kvHead).slice(key).scalars
        let products = zip(queryVector, keyVector).map { Double($0) * Double($1) }
        let root = Double(headSize).squareRoot()
        let score = scores[head, query, key]

        // Step 4: the softmax of the masked row, the row's largest value subtracted first.
        let maskedRow = masked.slice(head).slice(query).scalars
        let rowMax = maskedRow.filter { $0 != -.infinity }.max() ?? 0
        let expTerms = maskedRow.map { $0 == -.infinity ? 0 : Foundation.exp(Double($0) - Double(rowMax)) }
        let expSum = expTerms.reduce(0, +)
        let weights = pattern.slice(head).slice(query).scalars

        // Steps 5 and 6: each key's weighted value, and their sum beside the cache's z.
        let weightedRows: [[Float]] = (0..<keys).map { j in
            if let weighted { return weighted.slice(head).slice(query).slice(j).scalars }
            let w = weights[j]
            return v.slice(kvHead).slice(j).scalars.map { w * $0 }
        }
        let weightedSum = (0..<headSize).map { c in weightedRows.reduce(0.0) { $0 + Double($1[c]) } }

        func label(_ labels: [String], _ index: Int) -> String { labels.indices.contains(index) ? labels[index] : "#\(index)" }
        self.init(
            site: site.name, head: head, kvHead: kvHead, query: query, key: key,
            queryToken: label(queryLabels, query), keyToken: label(keyLabels, key),
            keyTokens: (0..<keys).map { label(keyLabels, $0) },
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
