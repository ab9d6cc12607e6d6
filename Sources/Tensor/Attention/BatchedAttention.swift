#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Steps 2–4 and 6 of attention for every head at once: scores, scaling, masking, softmax and the
/// weighted sum of the values. Heads are independent, so they are split between the cores; each
/// head's products are small (`[T,dh]·[dh,S]`), so every head runs its own single-threaded ones.
/// The keys `[S,dh]` are read as stored: the product takes them transposed without a copy.
/// `reference(…)` computes the same with plain tensor operations, head by head: the oracle the tests
/// hold this kernel to.
///
/// Shapes: H query heads over H_kv key/value heads (query head h reads key/value head
/// h / (H / H_kv)), T queries, S keys, dh head size.
public struct BatchedAttention: Sendable {
    /// The raw scores `q·kᵀ` `[H,T,S]`.
    public var scores: Tensor
    /// The scores ÷ √dh `[H,T,S]`; nil when not asked for.
    public var scaled: Tensor?
    /// The scaled scores with `-inf` where the mask hides a key `[H,T,S]`; nil when not asked for,
    /// or when the mask hides nothing (then it equals `scaled`).
    public var masked: Tensor?
    /// The softmax of the masked scores over the keys `[H,T,S]`.
    public var pattern: Tensor
    /// `z[h,i] = Σ_j pattern[h,i,j] · v[j]` `[H,T,dh]`.
    public var z: Tensor

    /// Runs the steps for `queries [H,T,dh]`, `keys`/`values [H_kv,R,dh]` with the keys `hidden`
    /// hides (nil: every key visible). Only the first `keyCount` rows of each head's keys and values
    /// are attended (S = `keyCount`, default R): a KV cache keeps room for keys still to come.
    /// `scaled` is kept when `keepScaled` (or when `masked` needs it), `masked` when `keepMasked` and
    /// some key is hidden.
    public init(queries: Tensor, keys: Tensor, values: Tensor, keyCount: Int? = nil, hidden: HiddenKeys?,
                keepScaled: Bool, keepMasked: Bool) {
        let (heads, t, dh) = (queries.shape[0], queries.shape[1], queries.shape[2])
        let (kvHeads, rows) = (keys.shape[0], keys.shape[1])
        let s = keyCount ?? rows
        precondition(s <= rows && values.shape[1] == rows, "attending \(s) keys of \(rows)")
        let group = heads / kvHeads
        let scale = 1 / sqrtf(Float(dh))
        let masking = keepMasked && hidden != nil
        let scaling = keepScaled || masking

        var scores = Tensor(uninitializedShape: [heads, t, s])
        // Tensors not asked for are left empty (and never written).
        var scaled = Tensor(uninitializedShape: scaling ? [heads, t, s] : [0])
        var masked = Tensor(uninitializedShape: masking ? [heads, t, s] : [0])
        var pattern = Tensor(uninitializedShape: [heads, t, s])
        var z = Tensor(uninitializedShape: [heads, t, dh])
        let parts = Parallel.chunks(heads, parts: Parallel.threads)

        queries.withUnsafeBufferPointer { pq in
        keys.withUnsafeBufferPointer { pk in
        values.withUnsafeBufferPointer { pv in
        scores.withUnsafeMutableBufferPointer { ps in
        scaled.withUnsafeMutableBufferPointer { pScaled in
        masked.withUnsafeMutableBufferPointer { pMasked in
        pattern.withUnsafeMutableBufferPointer { pp in
        z.withUnsafeMutableBufferPointer { pz in
            let (q, k, v) = (pq.baseAddress!, pk.baseAddress!, pv.baseAddress!)
            let (sc, w, out) = (ps.baseAddress!, pp.baseAddress!, pz.baseAddress!)
            Parallel.forEach(parts.count) { part in
                for h in parts[part] {
                    let kv = h / group
                    let block = h * t * s
                    // Step 2: q·kᵀ, the keys [S,dh] read as stored.
                    gemm(m: t, n: s, k: dh, a: q + h * t * dh, lda: dh, transposedB: k + kv * rows * dh, ldb: dh,
                         c: sc + block, ldc: s, threads: 1)
                    for i in 0..<t {
                        let row = block + i * s
                        // Step 3: ÷√dh; step 4: −∞ where the mask hides the key.
                        for j in 0..<s { w[row + j] = sc[row + j] * scale }
                        if !pScaled.isEmpty { (pScaled.baseAddress! + row).update(from: w + row, count: s) }
                        hidden?.apply(query: i, to: w + row)
                        if !pMasked.isEmpty { (pMasked.baseAddress! + row).update(from: w + row, count: s) }
                    }
                    // The softmax over the keys, in place.
                    softmaxRows(w + block, w + block, rows: t, length: s, threads: 1)
                    // Step 6: z = pattern · v.
                    gemm(m: t, n: dh, k: s, a: w + block, lda: s, b: v + kv * rows * dh, ldb: dh,
                         c: out + h * t * dh, ldc: dh, threads: 1)
                }
            }
        }}}}}}}}
        self.scores = scores
        self.scaled = scaling ? scaled : nil
        self.masked = masking ? masked : nil
        self.pattern = pattern
        self.z = z
    }
}

/// Which keys a mask hides from each query, as a table built once per call.
public struct HiddenKeys: Sendable {
    /// `[T·S]`: whether query i may not see key j.
    private let table: [Bool]
    private let keys: Int

    /// The table for `t` queries and `s` keys, query i not seeing key j where `hides(i, j)`; nil when
    /// it hides nothing.
    public init?(queries t: Int, keys s: Int, hides: (_ query: Int, _ key: Int) -> Bool) {
        var table = [Bool](repeating: false, count: t * s)
        var any = false
        for i in 0..<t {
            for j in 0..<s where hides(i, j) {
                table[i * s + j] = true
                any = true
            }
        }
        guard any else { return nil }
        self.table = table
        keys = s
    }

    /// Whether query `i` may not see key `j`.
    public func hides(query i: Int, key j: Int) -> Bool { table[i * keys + j] }

    /// Sets the hidden keys of query `i` in `row [S]` to −∞.
    func apply(query i: Int, to row: UnsafeMutablePointer<Float>) {
        table.withUnsafeBufferPointer { hidden in
            for j in 0..<keys where hidden[i * keys + j] { row[j] = -.infinity }
        }
    }
}

extension BatchedAttention {
    /// The same steps as the kernel, written plainly with tensor operations, head by head: the
    /// oracle for tests. Every intermediate is kept.
    public static func reference(queries: Tensor, keys: Tensor, values: Tensor, hidden: HiddenKeys?) -> BatchedAttention {
        let (heads, t, dh) = (queries.shape[0], queries.shape[1], queries.shape[2])
        let group = heads / keys.shape[0]
        let scale = 1 / Float(dh).squareRoot()
        var scores: [Tensor] = [], scaled: [Tensor] = [], masked: [Tensor] = [], patterns: [Tensor] = [], zs: [Tensor] = []
        for h in 0..<heads {
            let q = queries.slice(h), k = keys.slice(h / group), v = values.slice(h / group)
            let score = matmul(q, k.transposed())                       // step 2: q·kᵀ [T,S]
            let scaledScore = Tensor(shape: score.shape, scalars: score.scalars.map { $0 * scale })   // step 3
            var maskedScalars = scaledScore.scalars                      // the mask: −∞ where hidden
            let s = score.shape[1]
            for i in 0..<t { for j in 0..<s where hidden?.hides(query: i, key: j) == true { maskedScalars[i * s + j] = -.infinity } }
            let maskedScore = Tensor(shape: score.shape, scalars: maskedScalars)
            let pattern = maskedScore.softmaxLastAxis()                  // step 4
            scores.append(score); scaled.append(scaledScore); masked.append(maskedScore); patterns.append(pattern)
            zs.append(matmul(pattern, v))                                // step 6: Σ_j pattern[i,j] v[j]
        }
        return BatchedAttention(scores: .stack(scores), scaled: .stack(scaled), masked: .stack(masked),
                                pattern: .stack(patterns), z: .stack(zs))
    }

    init(scores: Tensor, scaled: Tensor?, masked: Tensor?, pattern: Tensor, z: Tensor) {
        self.scores = scores; self.scaled = scaled; self.masked = masked; self.pattern = pattern; self.z = z
    }
}
