import Tensor
import Transformer

/// A loaded model and its latest run on the learner's text: what every screen reads its numbers from.
public struct ModelSession: Sendable {
    public let loaded: LoadedModel
    public private(set) var text: String
    /// The decoder's input in an encoder–decoder.
    public private(set) var target: String?
    /// A mask override (nil: the model's own).
    public private(set) var mask: AttentionMask?
    /// The latest successful run.
    public private(set) var inspection: Inspection?
    /// Why the latest text could not be run (too long, no tokens, …); the previous run stays shown.
    public private(set) var problem: String?

    public init(loaded: LoadedModel, text: String, target: String? = nil, mask: AttentionMask? = nil) {
        self.loaded = loaded
        self.text = text
        self.target = target ?? (loaded.config.architecture == .encoderDecoder ? "" : nil)
        self.mask = mask
        run()
    }

    /// Runs the model on new text (and target), keeping the last good run if this one fails.
    public mutating func update(text: String, target: String? = nil) {
        self.text = text
        if let target { self.target = target }
        run()
    }

    /// Sets the mask override and re-runs.
    public mutating func update(mask: AttentionMask?) {
        self.mask = mask
        run()
    }

    mutating func run() {
        do {
            inspection = try Inspection(loaded, text: text, target: target?.isEmpty == true ? nil : target, mask: mask)
            problem = nil
        } catch {
            problem = "\(error)"
        }
    }

    public var cache: ActivationCache? { inspection?.result.cache }

    /// The attention sites the run recorded (`blocks.0.attn`, `decoder.blocks.1.cross_attn`, …), in order.
    public var sites: [String] {
        (cache?.names ?? []).filter { $0.hasSuffix(".pattern") }.map { String($0.dropLast(".pattern".count)) }
    }

    /// The readable form of each token the queries of `site` belong to.
    public func queryLabels(site: String) -> [String] {
        guard let inspection else { return [] }
        let tokens = site.hasPrefix("decoder.") ? inspection.decoderTokens ?? [] : inspection.tokens
        return tokens.map { loaded.tokenizer.display($0.text) }
    }

    /// The readable form of each token the keys of `site` belong to (the encoder's in cross-attention).
    public func keyLabels(site: String) -> [String] {
        guard let inspection else { return [] }
        let tokens = site.hasPrefix("decoder.") && !site.hasSuffix("cross_attn")
            ? inspection.decoderTokens ?? [] : inspection.tokens
        return tokens.map { loaded.tokenizer.display($0.text) }
    }
}
