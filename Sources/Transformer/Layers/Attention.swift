#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Tensor

/// Multi-head scaled dot-product attention (Vaswani et al. 2017, §3.2) with grouped-query heads
/// (H query heads share H_kv key/value heads), optional RoPE, and recording of the six steps.
///
/// Shapes: T queries, S keys (S = T in self-attention), D model width, dh head size.
public struct Attention: Sendable {
    /// `W_Q [H,D,dh]`, `W_K`/`W_V [H_kv,D,dh]`, `W_O [H,dh,D]` as floats; nil when the weights are
    /// kept quantized (`quantized`).
    public let queryWeight, keyWeight, valueWeight, outputWeight: Tensor?
    /// The same four weights kept in a GGUF file's blocks, in Linear layout: q `[H·dh, D]`, k and v
    /// `[H_kv·dh, D]`, o `[D, H·dh]`; nil for float weights.
    let quantized: QuantizedAttention?
    /// `b_Q [H,dh]`, `b_K`/`b_V [H_kv,dh]`, `b_O [D]`; each nil where the model has no bias there.
    public let queryBias, keyBias, valueBias, outputBias: Tensor?
    public let rotary: RotaryEmbedding?
    /// W_Q, W_K and W_V side by side as one `[D, (H + 2·H_kv)·dh]` matrix, so self-attention projects
    /// every head with a single product, packed once at load into the product's panels (the per-head
    /// tensors stay the parameters). Nil for cross-attention, which projects queries and keys from
    /// different inputs.
    let packedProjection: PackedMatrix?
    /// W_O seen as `[H·dh, D]`, packed for the product that combines the heads; nil unless asked for
    /// at load (`packingOutput`) and the weights are floats.
    let packedOutput: PackedMatrix?
    /// b_Q, b_K and b_V end to end `[(H + 2·H_kv)·dh]`, the bias of `packedProjection` (zeros stand
    /// in for a site without a bias, inside this sum only); nil when none of the three has one.
    let packedBias: Tensor?

    public let heads: Int
    public let kvHeads: Int
    public let headSize: Int

    /// Loads `<name>.W_Q` … `<name>.W_O` and the biases `config.biases` names (e.g. name `blocks.0.attn`);
    /// with `packingOutput`, W_O is also kept packed for the product (see `PackedMatrix`).
    init(_ name: String, config: ModelConfig, parameters: Parameters, rotary: RotaryEmbedding?,
         selfAttention: Bool = true, packingOutput: Bool = false) throws {
        let (d, h, hkv, dh) = (config.dModel, config.nHeads, config.kvHeads, config.headSize)
        (heads, kvHeads, headSize) = (h, hkv, dh)
        quantized = try QuantizedAttention(name, config: config, parameters: parameters)
        if quantized == nil {
            queryWeight = try parameters.require("\(name).W_Q", shape: [h, d, dh])
            keyWeight = try parameters.require("\(name).W_K", shape: [hkv, d, dh])
            valueWeight = try parameters.require("\(name).W_V", shape: [hkv, d, dh])
            outputWeight = try parameters.require("\(name).W_O", shape: [h, dh, d])
        } else {
            (queryWeight, keyWeight, valueWeight, outputWeight) = (nil, nil, nil, nil)
        }
        let biases = config.biases
        queryBias = biases.q ? try parameters.require("\(name).b_Q", shape: [h, dh]) : nil
        keyBias = biases.k ? try parameters.require("\(name).b_K", shape: [hkv, dh]) : nil
        valueBias = biases.v ? try parameters.require("\(name).b_V", shape: [hkv, dh]) : nil
        outputBias = biases.o ? try parameters.require("\(name).b_O", shape: [d]) : nil
        self.rotary = rotary
        packedProjection = selfAttention && quantized == nil
            ? PackedMatrix(HeadProjection.pack([queryWeight!, keyWeight!, valueWeight!])) : nil
        packedOutput = packingOutput && quantized == nil ? PackedMatrix(outputWeight!.reshaped([h * dh, d])) : nil
        if selfAttention && (biases.q || biases.k || biases.v) {
            func scalars(_ bias: Tensor?, heads: Int) -> [Float] { bias?.scalars ?? Array(repeating: 0, count: heads * dh) }
            packedBias = Tensor(shape: [(h + 2 * hkv) * dh],
                                scalars: scalars(queryBias, heads: h) + scalars(keyBias, heads: hkv) + scalars(valueBias, heads: hkv))
        } else {
            packedBias = nil
        }
    }

    /// Attends from `queriesFrom [T,D]` to `keysFrom [S,D]` (nil in self-attention: the queries' own input; the
    /// encoder's output in cross-attention), hiding cells per `mask` (nil: none). Records
    /// `<name>.q/k/v/scores/scaled/masked/pattern/weighted/z/result/out`. → `out [T,D]`.
    func callAsFunction(
        _ queriesFrom: Tensor, keysFrom: Tensor? = nil, mask: AttentionMask?, name: String, recorder: inout Recorder
    ) -> Tensor {
        // Step 1: queries, keys and values for every head.
        var (queries, keys, values) = project(queriesFrom, keysFrom: keysFrom)
        if let rotary {
            queries = rotary.apply(queries)
            keys = rotary.apply(keys)
        }
        recorder.record("\(name).q", queries)
        recorder.record("\(name).k", keys)
        recorder.record("\(name).v", values)
        let (t, s) = (queries.shape[1], keys.shape[1])
        let hidden = mask.flatMap { mask in
            mask == .bidirectional ? nil : HiddenKeys(queries: t, keys: s) { mask.hides(query: $0, key: $1) }
        }
        return attend(queries, keys: keys, values: values, keyCount: s, hidden: hidden, name: name, recorder: &recorder)
    }

    /// Step 1 without RoPE: `queriesFrom [T,D]` → queries `[H,T,dh]`; `keysFrom [S,D]` (nil: the
    /// same input) → keys and values `[H_kv,S,dh]`.
    /// The queries of `x [T,D]` alone: `[H,T,dh]`.
    func projectQueries(_ x: Tensor) -> Tensor {
        if let quantized { return quantized.project(x, quantized.query, queryBias, heads: heads) }
        return HeadProjection.project(x, queryWeight!, queryBias)
    }

    /// The keys and values of `source [S,D]` alone (cross-attention's, from the encoder): `[H_kv,S,dh]` each.
    func projectKeysValues(_ source: Tensor) -> (keys: Tensor, values: Tensor) {
        if let quantized {
            return (quantized.project(source, quantized.key, keyBias, heads: kvHeads),
                    quantized.project(source, quantized.value, valueBias, heads: kvHeads))
        }
        return (HeadProjection.project(source, keyWeight!, keyBias), HeadProjection.project(source, valueWeight!, valueBias))
    }

    func project(_ queriesFrom: Tensor, keysFrom: Tensor?) -> (queries: Tensor, keys: Tensor, values: Tensor) {
        if let quantized {
            // Weights kept in their file's blocks (GGUF): each product reads them in place.
            let keysFrom = keysFrom ?? queriesFrom
            return (quantized.project(queriesFrom, quantized.query, queryBias, heads: heads),   // [H,T,dh]
                    quantized.project(keysFrom, quantized.key, keyBias, heads: kvHeads),        // [H_kv,S,dh]
                    quantized.project(keysFrom, quantized.value, valueBias, heads: kvHeads))    // [H_kv,S,dh]
        }
        if keysFrom != nil || packedProjection == nil {
            let keysFrom = keysFrom ?? queriesFrom
            return (HeadProjection.project(queriesFrom, queryWeight!, queryBias),    // [H,T,dh]
                    HeadProjection.project(keysFrom, keyWeight!, keyBias),           // [H_kv,S,dh]
                    HeadProjection.project(keysFrom, valueWeight!, valueBias))       // [H_kv,S,dh]
        }
        // Self-attention: one product for every head's q, k and v.
        let split = HeadProjection.projectPacked(queriesFrom, packedProjection!, bias: packedBias,
                                                 heads: [heads, kvHeads, kvHeads], headSize: headSize)
        return (split[0], split[1], split[2])
    }

    /// Steps 2–6 and the output projection for `queries [H,T,dh]` over the first `keyCount` rows S
    /// of `keys`/`values [H_kv,R,dh]`, hiding what `hidden` hides. Records
    /// `<name>.scores/scaled/masked/pattern/weighted/z/result/out` (`[H,T,S]`, `[H,T,S,dh]`, …). → `out [T,D]`.
    func attend(_ queries: Tensor, keys: Tensor, values: Tensor, keyCount s: Int, hidden: HiddenKeys?,
                name: String, recorder: inout Recorder) -> Tensor {
        // Steps 2–4 and 6, the heads split between the cores.
        let (t, dh) = (queries.shape[1], headSize)
        let group = heads / kvHeads
        let keepMasked = recorder.wants("\(name).masked")
        let steps = BatchedAttention(queries: queries, keys: keys, values: values, keyCount: s, hidden: hidden,
                                     keepScaled: keepMasked || recorder.wants("\(name).scaled"),
                                     keepMasked: keepMasked)
        recorder.record("\(name).scores", steps.scores)
        recorder.record("\(name).scaled") { steps.scaled! }
        recorder.record("\(name).masked") { steps.masked ?? steps.scaled! }
        let pattern = steps.pattern
        recorder.record("\(name).pattern", pattern)

        // Step 5: each value times its weight, [H,T,S,dh]. It is T times larger than v and holds
        // nothing that pattern and v do not, so the cache forms it from them when first read.
        if recorder.wants("\(name).weighted") {
            if let limit = recorder.weightedLimit, t > limit {
                recorder.omitted.append("\(name).weighted")
            } else {
                recorder.recordDerived("\(name).weighted", shape: [heads, t, s, dh]) {
                    Self.weighted(pattern, values, group: group)
                }
            }
        }
        recorder.record("\(name).z", steps.z)

        // Heads combine through W_O: out = Σ_h z[h] · W_O[h] + b_O, one product for all heads.
        // Each head's own contribution [H,T,D] is H times larger than out and follows from z and
        // W_O, so (like step 5) the cache forms it when first read.
        let (z, outputWeight, quantized, heads) = (steps.z, outputWeight, quantized, heads)
        let width = quantized?.output.rows ?? outputWeight!.shape[2]
        recorder.recordDerived("\(name).result", shape: [heads, t, width]) {
            // Quantized: W_O is widened only when a learner reads a head's own contribution.
            HeadProjection.perHeadResults(z, outputWeight ?? quantized!.widenedOutput(heads: heads))
        }
        let out = quantized.map { $0.combinedOutput(steps.z, bias: outputBias) }
            ?? HeadProjection.combinedOutput(steps.z, outputWeight!, packed: packedOutput, bias: outputBias)
        recorder.record("\(name).out", out)
        return out
    }

    /// `pattern[h,i,j] · v[j]` for every head, query and key: `[H,T,S,dh]`, from `pattern [H,T,S]`
    /// and the first S rows of `values [H_kv,R,dh]`.
    static func weighted(_ pattern: Tensor, _ values: Tensor, group: Int) -> Tensor {
        let (heads, t, s) = (pattern.shape[0], pattern.shape[1], pattern.shape[2])
        let (rows, dh) = (values.shape[1], values.shape[2])
        var out = Tensor(uninitializedShape: [heads, t, s, dh])
        let parts = Parallel.chunks(heads, parts: Parallel.threads)
        pattern.withUnsafeBufferPointer { pp in
            values.withUnsafeBufferPointer { pv in
                out.withUnsafeMutableBufferPointer { po in
                    let (weights, v, o) = (pp.baseAddress!, pv.baseAddress!, po.baseAddress!)
                    Parallel.forEach(parts.count) { part in
                        for h in parts[part] {
                            for i in 0..<t {
                                for j in 0..<s {
                                    let weight = weights[(h * t + i) * s + j]
                                    let row = v + ((h / group) * rows + j) * dh
                                    let target = o + ((h * t + i) * s + j) * dh
                                    for c in 0..<dh { target[c] = weight * row[c] }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}
