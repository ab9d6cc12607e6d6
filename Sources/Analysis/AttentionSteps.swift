import Transformer

/// The numbers of attention for one head, one query and one key, in the six steps. Every number is
/// the cache's (marked *cache* below) or arithmetic on numbers shown here (marked *arithmetic*),
/// and the arithmetic ends at the cache's value within 1e-5 × (1 + |value|).
public struct AttentionSteps: Sendable, Equatable, Codable {
    /// The attention (`blocks.0.attn`, `decoder.blocks.1.cross_attn`).
    public var site: String
    public var head: Int
    /// The key/value head that `head` reads (the same number unless grouped-query).
    public var kvHead: Int
    public var query: Int
    public var key: Int
    public var queryToken: String
    public var keyToken: String
    /// Every key's token, for the rows of step 4.
    public var keyTokens: [String]
    /// dh.
    public var headSize: Int

    /// Step 1 (cache): `attn.q[head, query]`, `attn.k[kvHead, key]`, `attn.v[kvHead, key]`, each [dh].
    public var q: [Float]
    public var k: [Float]
    public var v: [Float]

    /// Step 2 (arithmetic): `q[c] × k[c]` for every c, [dh], and their sum.
    public var products: [Double]
    public var productSum: Double
    /// Step 2 (cache): `attn.scores[head, query, key]`.
    public var score: Float

    /// Step 3 (arithmetic): √dh, and score ÷ √dh.
    public var sqrtHeadSize: Double
    public var scoreOverSqrt: Double
    /// Step 3 (cache): `attn.scaled[head, query, key]`.
    public var scaled: Float

    /// The mask (cache): `attn.masked[head, query, key]`, −∞ when the mask hides this key.
    public var masked: Float
    public var isMasked: Bool

    /// Step 4 (cache): the query's row of masked scores, [T_keys].
    public var maskedRow: [Float]
    /// Step 4 (arithmetic): the row's largest value, subtracted before exp so nothing overflows
    /// (it cancels in the division), and each key's exp(masked − max) (0 where masked), and their sum.
    public var rowMax: Float
    public var expTerms: [Double]
    public var expSum: Double
    /// Step 4 (arithmetic): this key's exp term ÷ the sum.
    public var expRatio: Double
    /// Step 4 (cache): `attn.pattern[head, query, key]`, and the whole row [T_keys].
    public var weight: Float
    public var weights: [Float]

    /// Step 5: `attn.weighted[head, query, j]` for every key j, [T_keys][dh] (cache; when the run
    /// did not record it, weight × v computed here). `weightedV` is the selected key's row.
    public var weightedRows: [[Float]]
    public var weightedV: [Float]
    /// Step 5 (arithmetic): weight × v for the selected key, to set beside `weightedV`.
    public var weightTimesV: [Double]

    /// Step 6 (arithmetic): Σ_j weightedRows[j], [dh].
    public var weightedSum: [Double]
    /// Step 6 (cache): `attn.z[head, query]`, [dh].
    public var z: [Float]

    /// Whether the run recorded `attn.weighted` (false: step 5's rows are weight × v computed here).
    public var weightedFromCache: Bool

    public init(site: String, head: Int, kvHead: Int, query: Int, key: Int, queryToken: String, keyToken: String,
                keyTokens: [String], headSize: Int, q: [Float], k: [Float], v: [Float], products: [Double],
                productSum: Double, score: Float, sqrtHeadSize: Double, scoreOverSqrt: Double, scaled: Float,
                masked: Float, isMasked: Bool, maskedRow: [Float], rowMax: Float, expTerms: [Double], expSum: Double,
                expRatio: Double, weight: Float, weights: [Float], weightedRows: [[Float]], weightedV: [Float],
                weightTimesV: [Double], weightedSum: [Double], z: [Float], weightedFromCache: Bool) {
        self.site = site; self.head = head; self.kvHead = kvHead; self.query = query; self.key = key
        self.queryToken = queryToken; self.keyToken = keyToken; self.keyTokens = keyTokens; self.headSize = headSize
        self.q = q; self.k = k; self.v = v; self.products = products; self.productSum = productSum; self.score = score
        self.sqrtHeadSize = sqrtHeadSize; self.scoreOverSqrt = scoreOverSqrt; self.scaled = scaled
        self.masked = masked; self.isMasked = isMasked; self.maskedRow = maskedRow; self.rowMax = rowMax
        self.expTerms = expTerms; self.expSum = expSum; self.expRatio = expRatio; self.weight = weight
        self.weights = weights; self.weightedRows = weightedRows; self.weightedV = weightedV
        self.weightTimesV = weightTimesV; self.weightedSum = weightedSum; self.z = z
        self.weightedFromCache = weightedFromCache
    }
}
