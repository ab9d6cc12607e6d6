import Tensor
import Tokenizers
import Transformer

/// The live model a lesson step is evaluated on: the loaded model (config, parameters, tokenizer)
/// and its latest run on the learner's sentence.
public struct LessonContext: Sendable {
    public let loaded: LoadedModel
    public let inspection: Inspection

    /// A run the caller already made (the UI's). Hooks it did not record are reported as missing.
    public init(loaded: LoadedModel, inspection: Inspection) {
        self.loaded = loaded
        self.inspection = inspection
    }

    /// Runs `loaded` on `text` (and `target`), recording every hook, `attn.weighted` included, with
    /// `mask` as the self-attention mask (nil: the model's own).
    public init(loaded: LoadedModel, text: String, target: String? = nil, mask: AttentionMask? = nil) throws {
        self.loaded = loaded
        inspection = try Inspection(loaded, text: text, target: target, mask: mask, recording: .all, weightedLimit: nil)
    }

    /// The self-attention mask the run used (the decoder's, in an encoder–decoder).
    public var mask: AttentionMask { inspection.mask }

    /// The same input run again with another self-attention mask.
    public func running(mask: AttentionMask) throws -> LessonContext {
        try LessonContext(loaded: loaded, text: inspection.text, target: inspection.target, mask: mask)
    }

    public var config: ModelConfig { loaded.config }
    public var cache: ActivationCache { inspection.result.cache }
    public var parameters: Parameters { loaded.model.parameters }

    /// The input's tokens (the encoder's, in an encoder–decoder), special tokens included.
    public var tokens: [Token] { inspection.tokens }

    /// The readable form of each token of `source`, from the tokenizer.
    public func labels(_ source: TokenSource) -> [String] {
        tokens(source).map { loaded.tokenizer.display($0.text) }
    }

    /// The tokens of `source`.
    public func tokens(_ source: TokenSource) -> [Token] {
        switch source {
        case .input: return inspection.tokens
        case .decoder: return inspection.decoderTokens ?? []
        }
    }

    /// The first position of the token whose vocabulary string or readable form is `text`, in `source`.
    public func position(of text: String, in source: TokenSource = .input) -> Int? {
        let list = tokens(source)
        return list.firstIndex { $0.text == text || loaded.tokenizer.display($0.text) == text }
    }

    /// Every name an expression may use: the recorded hooks, then the parameters.
    public var knownNames: [String] { cache.names + parameters.names }
}

/// Which token list an axis of tokens belongs to.
public enum TokenSource: String, Sendable, Equatable, Codable {
    /// The input (the encoder's, in an encoder–decoder).
    case input
    /// The decoder's input of an encoder–decoder.
    case decoder
}

/// What an axis of a hook or parameter counts, which decides how the selection fills it, how a
/// quoted token is looked up on it, and how its entries are labelled.
public enum AxisRole: Sendable, Equatable {
    /// Query heads: filled by the selected head.
    case head
    /// Key/value heads (fewer than query heads under grouped-query attention): filled by the key/value
    /// head the selected query head reads.
    case kvHead
    /// Tokens in the role of the query (the row; for most hooks the token itself).
    case query(TokenSource)
    /// Tokens in the role of the key (the column).
    case key(TokenSource)
    /// Positions of a position table (`pos_embed.W_pos`).
    case position
    /// The vocabulary.
    case vocabulary
    /// Anything else: the model's width, the head size, the FFN width.
    case feature

    /// Whether the axis counts tokens of the input.
    public var tokenSource: TokenSource? {
        switch self {
        case .query(let source), .key(let source): return source
        default: return nil
        }
    }
}

extension LessonContext {
    /// The roles of the axes of the hook or parameter `name` with shape `shape`.
    public func axisRoles(of name: String, shape: [Int]) -> [AxisRole] {
        let isDecoder = name.hasPrefix("decoder.")
        let own: TokenSource = isDecoder && config.architecture == .encoderDecoder ? .decoder : .input
        let cross = name.contains(".cross_attn.")
        let keys: TokenSource = cross ? .input : own
        let last = name.split(separator: ".").last.map(String.init) ?? name
        var roles: [AxisRole]
        if parameters[name] != nil && cache[name] == nil {
            switch last {
            case "W_Q", "W_O": roles = [.head, .feature, .feature]
            case "W_K", "W_V": roles = [.kvHead, .feature, .feature]
            case "b_Q": roles = [.head, .feature]
            case "b_K", "b_V": roles = [.kvHead, .feature]
            case "W_E": roles = [.vocabulary, .feature]
            // Row p is position p, unless the table has rows before position 0's (RoBERTa).
            case "W_pos": roles = [config.positionOffset == 0 ? .position : .feature, .feature]
            case "W_U": roles = [.feature, .vocabulary]
            case "b_U": roles = [.vocabulary]
            default: roles = shape.map { _ in .feature }
            }
        } else {
            switch last {
            case "q", "z", "result": roles = [.head, .query(own), .feature]
            case "k", "v": roles = [.kvHead, .key(keys), .feature]
            case "scores", "scaled", "masked", "pattern": roles = [.head, .query(own), .key(keys)]
            case "weighted": roles = [.head, .query(own), .key(keys), .feature]
            case "logits", "probs": roles = [.query(own), .vocabulary]
            default: roles = [.query(own)] + Array(repeating: .feature, count: max(0, shape.count - 1))
            }
        }
        if roles.count != shape.count { roles = shape.map { _ in .feature } }
        return roles
    }

    /// Labels for the entries of an axis: token texts, vocabulary strings, or numbers.
    public func labels(for role: AxisRole, count: Int) -> [String] {
        switch role {
        case .query(let source), .key(let source):
            let list = labels(source)
            return (0..<count).map { $0 < list.count ? list[$0] : "\($0)" }
        case .vocabulary:
            return (0..<count).map { loaded.tokenizer.token(for: $0).map(loaded.tokenizer.display) ?? "\($0)" }
        case .head, .kvHead, .position, .feature:
            return (0..<count).map { "\($0)" }
        }
    }
}
