/// The model's sites and hooks, from its config alone (no forward pass): exactly the names a forward
/// pass with every hook selected records, in its order.
extension ModelConfig {
    /// The stacks: `[.none]`, or `[.encoder, .decoder]` for an encoder–decoder.
    public var stacks: [Site.Stack] { architecture == .encoderDecoder ? [.encoder, .decoder] : [.none] }

    /// The number of blocks of `stack`.
    public func layers(in stack: Site.Stack) -> Int { stack == .decoder ? decoderLayers : nLayers }

    /// The stack whose tokens are the model's output (the decoder of an encoder–decoder).
    public var outputStack: Site.Stack { architecture == .encoderDecoder ? .decoder : .none }

    /// Every hook a forward pass records, in its order.
    public var hooks: [Hook] { stacks.flatMap(hooks(in:)) }

    /// Every hook's name, in the forward pass's order.
    public var hookNames: [String] { hooks.map(\.name) }

    /// Every site, in the order of its first hook.
    public var sites: [Site] {
        var seen = Set<Site>()
        return hooks.compactMap { seen.insert($0.site).inserted ? $0.site : nil }
    }

    /// The attention sites (self- and cross-attention), in the forward pass's order.
    public var attentionSites: [Site] { sites.filter(\.kind.isAttention) }

    /// The hooks of one site, in the forward pass's order (empty for a site the model lacks).
    public func hooks(at site: Site) -> [Hook] { hooks(near: site).filter { $0.site == site } }

    /// The hook `point` of `site`, if the model records it.
    public func hook(_ point: Hook.Point, at site: Site) -> Hook? { hooks(at: site).first { $0.point == point } }

    /// The hooks of `stack`: the embedding's, each block's, the final norm's and the head's.
    public func hooks(in stack: Site.Stack) -> [Hook] {
        startHooks(stack) + (0..<layers(in: stack)).flatMap { blockHooks(stack, layer: $0) } + endHooks(stack)
    }

    /// The hooks of the part of the model `site` is in (its block, or the stack's start or end).
    func hooks(near site: Site) -> [Hook] {
        guard stacks.contains(site.stack) else { return [] }
        if let layer = site.layer {
            guard site.kind.inBlock, layer >= 0, layer < layers(in: site.stack) else { return [] }
            return blockHooks(site.stack, layer: layer)
        }
        return startHooks(site.stack) + endHooks(site.stack)
    }

    /// Embeddings: `embed`, `pos_embed` (learned or sinusoidal), `embed_type`, `embed_ln.out`.
    func startHooks(_ stack: Site.Stack) -> [Hook] {
        let site = Site(stack: stack, kind: .embedding)
        var points: [Hook.Point] = [.embed]
        if positional != .rope { points.append(.posEmbed) }
        if typeVocabSize > 0 { points.append(.embedType) }
        var hooks = points.map { make($0, at: site) }
        if embeddingNorm { hooks.append(make(.out, at: Site(stack: stack, kind: .embeddingNorm))) }
        return hooks
    }

    /// The final norm (pre-LN) and the LM head where the stack has one.
    func endHooks(_ stack: Site.Stack) -> [Hook] {
        var hooks: [Hook] = []
        if normPosition == .pre { hooks.append(make(.out, at: Site(stack: stack, kind: .finalNorm))) }
        if lmHead && stack != .encoder {
            let head = Site(stack: stack, kind: .head)
            hooks += [make(.logits, at: head), make(.probs, at: head)]
        }
        return hooks
    }

    /// One block's hooks in the order `Block` records them (pre-LN and post-LN differ).
    func blockHooks(_ stack: Site.Stack, layer: Int) -> [Hook] {
        func site(_ kind: Site.Kind) -> Site { Site(stack: stack, layer: layer, kind: kind) }
        func resid(_ point: Hook.Point) -> Hook { make(point, at: site(.residual)) }
        func norm(_ kind: Site.Kind) -> Hook { make(.out, at: site(kind)) }
        let attentionPoints: [Hook.Point] = [.q, .k, .v, .scores, .scaled, .masked, .pattern, .weighted, .z, .result, .out]
        let attention = attentionPoints.map { make($0, at: site(.attention)) }
        let mlp = [Hook.Point.pre, .post, .out].map { make($0, at: site(.mlp)) }
        let cross = stack == .decoder
        let crossAttention = cross ? attentionPoints.map { make($0, at: site(.crossAttention)) } : []
        switch normPosition {
        case .pre:
            return [resid(.residPre), norm(.ln1)] + attention + [resid(.residMid)]
                + (cross ? [norm(.lnCross)] + crossAttention + [resid(.residCross)] : [])
                + [norm(.ln2)] + mlp + [resid(.residPost)]
        case .post:
            return [resid(.residPre)] + attention + [resid(.residMid), norm(.ln1)]
                + (cross ? crossAttention + [resid(.residCross), norm(.lnCross)] : [])
                + mlp + [norm(.ln2), resid(.residPost)]
        }
    }

    /// The hook `point` at `site` with its axes (DESIGN.md's shapes).
    func make(_ point: Hook.Point, at site: Site) -> Hook {
        let encoderDecoder = architecture == .encoderDecoder
        func tokens(_ source: TokenSource, query: Bool) -> HookAxis {
            let symbol = encoderDecoder ? (source == .decoder ? "T_dec" : "T_enc") : "T"
            return HookAxis(role: query ? .query(source) : .key(source), size: nil, symbol: symbol)
        }
        let queries = tokens(site.queryTokens, query: true), keys = tokens(site.keyTokens, query: false)
        let heads = HookAxis(role: .head, size: nHeads, symbol: "H")
        let kvHeads = HookAxis(role: .kvHead, size: self.kvHeads, symbol: "H_kv")
        let headSize = HookAxis(role: .feature, size: self.headSize, symbol: "dh")
        let width = HookAxis(role: .feature, size: dModel, symbol: "D")
        let ffn = HookAxis(role: .feature, size: dFF, symbol: "F")
        let vocabulary = HookAxis(role: .vocabulary, size: vocabSize, symbol: "V")
        let axes: [HookAxis]
        switch point {
        case .q, .z: axes = [heads, queries, headSize]
        case .k, .v: axes = [kvHeads, keys, headSize]
        case .scores, .scaled, .masked, .pattern: axes = [heads, queries, keys]
        case .weighted: axes = [heads, queries, keys, headSize]
        case .result: axes = [heads, queries, width]
        case .pre, .post: axes = [queries, ffn]
        case .logits, .probs: axes = [queries, vocabulary]
        case .embed, .posEmbed, .embedType, .residPre, .residMid, .residCross, .residPost, .out: axes = [queries, width]
        }
        return Hook(site: site, point: point, axes: axes)
    }
}
