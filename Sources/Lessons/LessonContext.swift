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

extension LessonContext {
    /// The roles of the axes of the hook or parameter `name` with shape `shape`: the model's typed
    /// hook for a recorded name, else the parameter's axes; every axis a feature when neither fits.
    public func axisRoles(of name: String, shape: [Int]) -> [AxisRole] {
        var roles: [AxisRole]
        if cache[name] == nil, parameters[name] != nil {
            roles = config.parameterRoles(of: name, rank: shape.count)
        } else if let hook = Hook(parsing: name, in: config) {
            roles = hook.roles
        } else {
            roles = shape.map { _ in .feature }
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
