/// Which keys each query may attend to in self-attention. Rows are queries i, columns keys j.
public enum AttentionMask: Equatable, Sendable, CustomStringConvertible {
    /// Every query sees every key (an encoder).
    case bidirectional
    /// Query i sees keys j ≤ i (a decoder must not see the future).
    case causal
    /// Bidirectional over the first `n` tokens, causal after: key j is hidden from query i
    /// when j > i and j ≥ n (a prefix LM such as T5's). `n` counts tokens as the model sees them.
    case prefix(Int)

    /// Whether query `i` may not see key `j`.
    @inlinable
    public func hides(query i: Int, key j: Int) -> Bool {
        switch self {
        case .bidirectional: return false
        case .causal: return j > i
        case .prefix(let n): return j > i && j >= n
        }
    }

    /// `bidirectional`, `causal` or `prefix:N`, as the command line and the export manifest write it.
    public var description: String {
        switch self {
        case .bidirectional: return "bidirectional"
        case .causal: return "causal"
        case .prefix(let n): return "prefix:\(n)"
        }
    }

    /// Parses `bidirectional`, `causal` or `prefix:N` (N ≥ 0); nil otherwise.
    public init?(_ text: String) {
        switch text {
        case "bidirectional": self = .bidirectional
        case "causal": self = .causal
        default:
            guard text.hasPrefix("prefix:"), let n = Int(text.dropFirst("prefix:".count)), n >= 0 else {
                return nil
            }
            self = .prefix(n)
        }
    }
}

extension AttentionMask: Codable {
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let mask = AttentionMask(text) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "mask must be causal, bidirectional or prefix:N, got \"\(text)\""))
        }
        self = mask
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
