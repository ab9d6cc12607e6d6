/// One tensor the forward pass records: its site, its point there, and its axes. Its `name` is the
/// contract of DESIGN.md (the cache's key and an export's file name).
public struct Hook: Sendable, Equatable, Hashable, Codable {
    /// The last part of a hook's name: what it is at its site.
    public enum Point: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
        case embed
        case posEmbed = "pos_embed"
        case embedType = "embed_type"
        case residPre = "resid_pre", residMid = "resid_mid", residCross = "resid_cross", residPost = "resid_post"
        /// A norm's output, an attention's combined output, an MLP's output.
        case out
        /// The six steps of attention (DESIGN.md): q, k, v; scores; scaled; masked; pattern; weighted; z.
        case q, k, v, scores, scaled, masked, pattern, weighted, z
        /// Each head's output after its slice of W_O.
        case result
        /// The MLP's activation input and what its down projection reads.
        case pre, post
        case logits, probs
    }

    public var site: Site
    public var point: Point
    /// The axes in order, e.g. `[H, T_q, T_k]` for a pattern.
    public var axes: [HookAxis]

    public init(site: Site, point: Point, axes: [HookAxis]) {
        self.site = site; self.point = point; self.axes = axes
    }

    /// The hook's name in DESIGN.md: `blocks.0.attn.pattern`, `decoder.logits`, `embed`.
    public var name: String {
        let base = site.hookPrefix
        return base.isEmpty ? point.rawValue : base + "." + point.rawValue
    }

    /// What each axis counts.
    public var roles: [AxisRole] { axes.map(\.role) }

    /// The shape `[…]` recorded for a run of `inputTokens` input tokens (and `decoderTokens` decoder
    /// tokens in an encoder–decoder).
    public func shape(inputTokens: Int, decoderTokens: Int = 0) -> [Int] {
        axes.map { $0.length(inputTokens: inputTokens, decoderTokens: decoderTokens) }
    }

    /// Whether the cache forms the tensor from others on its first read (`attn.weighted`, `attn.result`).
    public var isDerived: Bool { point == .weighted || point == .result }

    /// The hook `point` at the same site.
    public func sibling(_ point: Point, in config: ModelConfig) -> Hook? { config.hook(point, at: site) }
}
