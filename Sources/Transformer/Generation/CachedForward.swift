import Tensor

extension TransformerModel {
    /// An empty KV cache for this model, with room for `capacity` positions to start with (it grows
    /// past that when needed). For an encoder–decoder, runs the encoder once on `encoderIds` and keeps
    /// each cross-attention layer's keys and values of its output.
    ///
    /// Throws for a model without an LM head, for a self-attention mask under which earlier tokens
    /// would see later ones (bidirectional: a new token would change every earlier token's states, so
    /// there is nothing to keep), and for bad encoder ids.
    public func makeKVCache(capacity: Int, encoderIds: [Int]? = nil) throws -> KVCache {
        guard config.lmHead else {
            throw ModelError.badInput("this model has no LM head (it is an encoder): it cannot generate text")
        }
        let stack = decoder ?? main
        let layer = LayerKeysValues(kvHeads: config.kvHeads, headSize: config.headSize,
                                    capacity: max(1, min(capacity, config.maxPositions)))
        let layers = Array(repeating: layer, count: stack.blocks.count)
        guard decoder != nil else { return KVCache(layers: layers, cross: nil, encoderIds: nil) }
        guard let encoderIds else {
            throw ModelError.badInput("an encoder-decoder model needs the encoder's input to start a KV cache")
        }
        try check(encoderIds, what: "input")
        var recorder = Recorder(filter: .none)
        let encoded = main(encoderIds, mask: .bidirectional, encoderOutput: nil, recorder: &recorder).hidden
        let cross = stack.blocks.map { block in
            let projected = block.crossAttention!.projectKeysValues(encoded)
            return CrossKeysValues(keys: projected.keys, values: projected.values)
        }
        return KVCache(layers: layers, cross: cross, encoderIds: encoderIds)
    }

    /// Runs T new tokens `ids` at positions `cache.count ..< cache.count + T` (the decoder's tokens in
    /// an encoder–decoder): their queries attend to every key in `cache` and to their own (causally),
    /// and their keys and values join `cache`. The prompt runs once this way (prefill), then each
    /// generated token alone.
    ///
    /// Records, as `forward` does, the hooks `filter` selects, for the new tokens only: rows are the new
    /// queries, columns every key so far (`attn.pattern [H,T,S]` with S = `cache.count` after the step),
    /// `attn.k`/`attn.v [H_kv,T,dh]` the new keys and values (the cache holds the rest). An
    /// encoder–decoder records the decoder's hooks (`decoder.…`); its `cross_attn.k`/`.v` are the
    /// encoder's, whole.
    ///
    /// → the step's cache and the logits: `[T,V]`, or only the last row `[1,V]` when `lastRowOnly` and
    /// the filter asks for none of `ln_final.out`, `logits`, `probs`.
    public func forward(
        _ ids: [Int], cache: inout KVCache, recording filter: HookFilter = .none, weightedLimit: Int? = nil,
        lastRowOnly: Bool = true
    ) throws -> ForwardResult {
        try check(ids, what: decoder == nil ? "input" : "decoder input")
        let start = cache.count
        guard start + ids.count <= config.maxPositions else {
            throw ModelError.inputTooLong(tokens: start + ids.count, limit: config.maxPositions)
        }
        let mask = config.mask
        // Keys kept from earlier steps were computed without seeing the new tokens: right only when
        // no earlier query may see a new key.
        if start > 0 && !mask.hides(query: start - 1, key: start) {
            throw ModelError.badInput("a KV cache cannot extend a sequence under the \(mask) mask: earlier tokens would see the new one")
        }
        let stack = decoder ?? main
        var recorder = Recorder(filter: filter, weightedLimit: weightedLimit)
        let outerPrefix = recorder.prefix
        recorder.prefix = outerPrefix + stack.prefix
        var stream = stack.embedding(ids, start: start, recorder: &recorder)
        for (l, block) in stack.blocks.enumerated() {
            let name = "blocks.\(l)"
            stream = block.run(
                stream, recorder: &recorder, crossing: cache.cross != nil,
                selfAttend: { input, recorder in
                    block.attention(input, cache: &cache.layers[l], start: start, mask: mask,
                                    name: "\(name).attn", recorder: &recorder)
                },
                crossAttend: { input, recorder in
                    block.crossAttention!(input, precomputed: cache.cross![l], name: "\(name).cross_attn",
                                          recorder: &recorder)
                })
        }
        let logits = stack.head(stream, lastRowOnly: lastRowOnly, recorder: &recorder).logits
        recorder.prefix = outerPrefix
        return ForwardResult(cache: recorder.cache, logits: logits, omitted: recorder.omitted)
    }
}

extension Attention {
    /// Self-attention for T new tokens `x [T,D]` at positions `start ..< start + T`, over the keys and
    /// values `layer` holds and their own, which join `layer`. RoPE turns the new queries and keys by
    /// their own positions; query i hides key j where `mask` hides position `start + i` from j.
    /// Records `q [H,T,dh]`, `k`/`v [H_kv,T,dh]` (the new tokens'), then as `attend`. → `out [T,D]`.
    func callAsFunction(_ x: Tensor, cache layer: inout LayerKeysValues, start: Int, mask: AttentionMask,
                        name: String, recorder: inout Recorder) -> Tensor {
        var (queries, keys, values) = project(x, keysFrom: nil)
        if let rotary {
            queries = rotary.apply(queries, offset: start)
            keys = rotary.apply(keys, offset: start)
        }
        recorder.record("\(name).q", queries)
        recorder.record("\(name).k", keys)
        recorder.record("\(name).v", values)
        layer.append(keys: keys, values: values)
        let (t, s) = (queries.shape[1], layer.count)
        let hidden = HiddenKeys(queries: t, keys: s) { mask.hides(query: start + $0, key: $1) }
        return attend(queries, keys: layer.keys, values: layer.values, keyCount: s, hidden: hidden,
                      name: name, recorder: &recorder)
    }

    /// Cross-attention from `x [T,D]` to keys and values projected once from the encoder's output.
    /// Records `q [H,T,dh]`, `k`/`v [H_kv,S,dh]`, then as `attend`. → `out [T,D]`.
    func callAsFunction(_ x: Tensor, precomputed cross: CrossKeysValues, name: String,
                        recorder: inout Recorder) -> Tensor {
        let queries = projectQueries(x)
        recorder.record("\(name).q", queries)
        recorder.record("\(name).k", cross.keys)
        recorder.record("\(name).v", cross.values)
        return attend(queries, keys: cross.keys, values: cross.values, keyCount: cross.keys.shape[1],
                      hidden: nil, name: name, recorder: &recorder)
    }
}
