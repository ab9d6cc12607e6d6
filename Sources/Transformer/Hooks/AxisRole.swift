/// Which token list an axis of tokens counts.
public enum TokenSource: String, Sendable, Equatable, Hashable, Codable {
    /// The input (the encoder's, in an encoder–decoder).
    case input
    /// The decoder's input of an encoder–decoder.
    case decoder
}

/// What an axis of a hook or parameter counts: it decides how a selection fills the axis, how a
/// quoted token is looked up on it, and how its entries are labelled.
public enum AxisRole: Sendable, Equatable, Hashable, Codable {
    /// Query heads H.
    case head
    /// Key/value heads H_kv (fewer than H under grouped-query attention); query head h reads kv head
    /// h / (H / H_kv).
    case kvHead
    /// Tokens in the role of the query (the row; for most hooks the token itself).
    case query(TokenSource)
    /// Tokens in the role of the key (the column).
    case key(TokenSource)
    /// Positions of a position table (`pos_embed.W_pos`).
    case position
    /// The vocabulary V.
    case vocabulary
    /// Anything else: the model's width D, the head size dh, the FFN width F.
    case feature

    /// The token list the axis counts, when it counts tokens.
    public var tokenSource: TokenSource? {
        switch self {
        case .query(let source), .key(let source): return source
        default: return nil
        }
    }
}

/// One axis of a hook: what it counts and how long it is.
public struct HookAxis: Sendable, Equatable, Hashable, Codable {
    public var role: AxisRole
    /// The length when it does not depend on the input (nil for an axis of tokens, whose length is
    /// the number of tokens in its list).
    public var size: Int?
    /// DESIGN.md's letter for it: `H`, `H_kv`, `T` (`T_enc` / `T_dec` in an encoder–decoder), `dh`,
    /// `D`, `F`, `V`.
    public var symbol: String

    public init(role: AxisRole, size: Int?, symbol: String) {
        self.role = role; self.size = size; self.symbol = symbol
    }

    /// The length for a run with `inputTokens` input tokens and `decoderTokens` decoder tokens.
    public func length(inputTokens: Int, decoderTokens: Int) -> Int {
        if let size { return size }
        return role.tokenSource == .decoder ? decoderTokens : inputTokens
    }
}
