/// Which sites of a model carry a bias, one flag a site, as the model's file has them: GPT-2 and BERT
/// have a bias on every linear layer and LayerNorm, Llama on none, Qwen2 on the q, k and v projections
/// only. A site without a bias has no parameter at all (not a vector of zeros).
///
/// In a `config.json` of the project's own format this is the value of `"bias"`: `true` (the set
/// `standard`, which is what the single flag always meant), `false` (`none`), or an object naming
/// the sites that have one, e.g. `{"q": true, "k": true, "v": true}`; a site it leaves out has none.
public struct Biases: Codable, Equatable, Hashable, Sendable {
    /// `attn.b_Q [H,dh]`: added to the queries of every head (self- and cross-attention alike).
    public var q: Bool
    /// `attn.b_K [H_kv,dh]`: added to the keys.
    public var k: Bool
    /// `attn.b_V [H_kv,dh]`: added to the values.
    public var v: Bool
    /// `attn.b_O [D]`: added once to the heads' combined output.
    public var o: Bool
    /// `mlp.b_in [F]`: added to `x W_in` (a gated MLP's up projection).
    public var mlpIn: Bool
    /// `mlp.b_gate [F]`: added to a gated MLP's gate `x W_gate`; no site in an MLP without a gate.
    public var mlpGate: Bool
    /// `mlp.b_out [D]`: added to the MLP's output.
    public var mlpOut: Bool
    /// `.b [D]` of every LayerNorm (`ln1`, `ln2`, `ln_cross`, `embed_ln`, `ln_final`); an RMSNorm has
    /// no bias whatever this says.
    public var norm: Bool
    /// `unembed.b_U [V]`: the LM head's bias; no site when the head is tied to the token table.
    public var lmHead: Bool

    public init(q: Bool = false, k: Bool = false, v: Bool = false, o: Bool = false,
                mlpIn: Bool = false, mlpGate: Bool = false, mlpOut: Bool = false,
                norm: Bool = false, lmHead: Bool = false) {
        self.q = q; self.k = k; self.v = v; self.o = o
        self.mlpIn = mlpIn; self.mlpGate = mlpGate; self.mlpOut = mlpOut
        self.norm = norm; self.lmHead = lmHead
    }

    /// No biases anywhere (Llama, Mistral; `"bias": false`).
    public static let none = Biases()

    /// A bias on every linear layer and every LayerNorm, as in GPT-2, BERT and the original
    /// Transformer (`"bias": true`). A gated MLP's gate gets none: the single flag never gave it one.
    public static let standard = Biases(q: true, k: true, v: true, o: true, mlpIn: true, mlpOut: true,
                                        norm: true, lmHead: true)

    /// Whether any site has a bias.
    public var any: Bool { self != .none }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case q, k, v, o, mlpIn = "mlp_in", mlpGate = "mlp_gate", mlpOut = "mlp_out", norm, lmHead = "lm_head"
    }

    /// A Boolean (`true`: `standard`, `false`: `none`) or an object of per-site flags; an unknown
    /// key in the object is an error (a misspelt site would otherwise be silently bias-free).
    public init(from decoder: Decoder) throws {
        if let all = try? decoder.singleValueContainer().decode(Bool.self) {
            self = all ? .standard : .none
            return
        }
        let keys = try decoder.container(keyedBy: AnyKey.self)
        if let unknown = keys.allKeys.first(where: { CodingKeys(rawValue: $0.stringValue) == nil }) {
            throw DecodingError.dataCorruptedError(
                forKey: unknown, in: keys,
                debugDescription: "unknown bias site \"\(unknown.stringValue)\" (sites: \(CodingKeys.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func flag(_ key: CodingKeys) throws -> Bool { try c.decodeIfPresent(Bool.self, forKey: key) ?? false }
        self.init(q: try flag(.q), k: try flag(.k), v: try flag(.v), o: try flag(.o),
                  mlpIn: try flag(.mlpIn), mlpGate: try flag(.mlpGate), mlpOut: try flag(.mlpOut),
                  norm: try flag(.norm), lmHead: try flag(.lmHead))
    }

    /// `true` for `standard`, `false` for `none`, else an object with every site.
    public func encode(to encoder: Encoder) throws {
        if self == .standard || self == .none {
            var single = encoder.singleValueContainer()
            try single.encode(self == .standard)
            return
        }
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(q, forKey: .q); try c.encode(k, forKey: .k); try c.encode(v, forKey: .v)
        try c.encode(o, forKey: .o); try c.encode(mlpIn, forKey: .mlpIn); try c.encode(mlpGate, forKey: .mlpGate)
        try c.encode(mlpOut, forKey: .mlpOut); try c.encode(norm, forKey: .norm); try c.encode(lmHead, forKey: .lmHead)
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

extension ModelConfig {
    /// Whether every LayerNorm has `.b [D]`: the norms are LayerNorms and `biases.norm` is set.
    public var hasNormBias: Bool { norm == .layerNorm && biases.norm }
    /// Whether the MLP's gate has `b_gate [F]`: the MLP is gated and `biases.mlpGate` is set.
    public var hasGateBias: Bool { gatedMLP && biases.mlpGate }
    /// Whether the LM head has `unembed.b_U [V]`: there is a head of its own (not tied) and
    /// `biases.lmHead` is set.
    public var hasUnembedBias: Bool { lmHead && !tiedEmbeddings && biases.lmHead }
}
