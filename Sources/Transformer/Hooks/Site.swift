/// A place in the model where the forward pass records hooks: one stack's embedding, a block's
/// attention, cross-attention, MLP, norms or residual stream, the final norm, the LM head.
///
/// A site's `name` is the start its hooks' names share (`blocks.0.attn` for `blocks.0.attn.pattern`,
/// `decoder.blocks.1.cross_attn`, `blocks.0` for the residual stream's `blocks.0.resid_pre`), except
/// for the embedding and the head, whose hooks hang off the stack (`embed`, `decoder.logits`): they
/// are named as their parameters are, `embed` and `unembed` (`decoder.embed`, `decoder.unembed`).
public struct Site: Sendable, Equatable, Hashable, Codable {
    /// The stack a site belongs to: the only one, or one half of an encoder–decoder.
    public enum Stack: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
        case none, encoder, decoder

        /// `""`, `"encoder."` or `"decoder."`, the start of the stack's hook and parameter names.
        public var prefix: String { self == .none ? "" : rawValue + "." }
    }

    /// What the site is. The raw value is the site's own part of its hook names (empty for those
    /// whose hooks hang directly off the stack or the block).
    public enum Kind: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
        /// `embed`, `pos_embed`, `embed_type` (stack-wide).
        case embedding = "embed"
        /// BERT's norm after the embeddings: `embed_ln.out`.
        case embeddingNorm = "embed_ln"
        /// A block's residual stream: `resid_pre`, `resid_mid`, `resid_cross`, `resid_post`.
        case residual = "blocks"
        case ln1, ln2
        case lnCross = "ln_cross"
        /// Self-attention: `q` … `out`.
        case attention = "attn"
        /// A decoder block's attention to the encoder's output.
        case crossAttention = "cross_attn"
        /// The feed-forward network: `pre`, `post`, `out`.
        case mlp
        /// The norm after the last block (pre-LN models): `ln_final.out`.
        case finalNorm = "ln_final"
        /// The LM head: `logits`, `probs` (stack-wide).
        case head = "unembed"

        /// Whether the site is a norm (its one hook is `out`).
        public var isNorm: Bool { [.embeddingNorm, .ln1, .ln2, .lnCross, .finalNorm].contains(self) }
        /// Whether the site is an attention (self or cross).
        public var isAttention: Bool { self == .attention || self == .crossAttention }
        /// Whether the site lives in a block (then it has a layer).
        public var inBlock: Bool { [.residual, .ln1, .ln2, .lnCross, .attention, .crossAttention, .mlp].contains(self) }
    }

    public var stack: Stack
    /// The block, for a site in one; nil for the embedding, the final norm and the head.
    public var layer: Int?
    public var kind: Kind

    public init(stack: Stack = .none, layer: Int? = nil, kind: Kind) {
        self.stack = stack; self.layer = layer; self.kind = kind
    }

    /// The site's name (see the type's comment).
    public var name: String { join(kind == .residual ? nil : kind.rawValue) }

    /// The start its hooks' names share, without the final dot (empty for the embedding and head of
    /// a single stack).
    var hookPrefix: String { join(kind == .residual || kind == .embedding || kind == .head ? nil : kind.rawValue) }

    private func join(_ last: String?) -> String {
        var parts: [String] = []
        if stack != .none { parts.append(stack.rawValue) }
        if let layer { parts.append("blocks.\(layer)") }
        if let last { parts.append(last) }
        return parts.joined(separator: ".")
    }

    /// The token list of the stack's own tokens (the queries' list).
    public var queryTokens: TokenSource { stack == .decoder ? .decoder : .input }
    /// The token list the keys count: the encoder's input in cross-attention, else the queries' list.
    public var keyTokens: TokenSource { kind == .crossAttention ? .input : queryTokens }
}
