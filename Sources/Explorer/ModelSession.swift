import Lessons
import Tensor
import Transformer

/// The model and run a frame shows, read from the store for the run the state names: what every
/// screen reads its numbers from. A read-only view; the state says what is asked for.
public struct ModelSession: Sendable {
    public let loaded: LoadedModel
    /// The run on screen (nil before the first one lands).
    public let inspection: Inspection?
    /// The sentence as the state has it now (it may be newer than the run).
    public let text: String
    /// The decoder's input in an encoder–decoder.
    public let target: String?
    /// Why the newest text could not run; the run on screen is the last one that did.
    public let problem: String?

    public init(loaded: LoadedModel, inspection: Inspection?, text: String, target: String?, problem: String?) {
        self.loaded = loaded
        self.inspection = inspection
        self.text = text
        self.target = target
        self.problem = problem
    }

    public var cache: ActivationCache? { inspection?.result.cache }

    /// The run's tensor of the hook `point` at `site` (e.g. `.pattern`, `[H,T_q,T_k]`), if recorded.
    public func tensor(_ point: Hook.Point, at site: AttentionSite) -> Tensor? {
        loaded.config.hook(point, at: site.site).flatMap { cache?[$0.name] }
    }

    /// The readable form of each token of one side of a site.
    public func labels(_ source: TokenSource) -> [String] {
        guard let inspection else { return [] }
        let tokens = source == .decoder ? inspection.decoderTokens ?? [] : inspection.tokens
        return tokens.map { loaded.tokenizer.display($0.text) }
    }

    /// The readable form of each token the queries of `site` belong to.
    public func queryLabels(site: AttentionSite) -> [String] { labels(site.querySource) }

    /// The readable form of each token the keys of `site` belong to (the encoder's in cross-attention).
    public func keyLabels(site: AttentionSite) -> [String] { labels(site.keySource) }
}
