import Tensor

/// Finding where a forward pass first produced a number that is not finite (NaN or ±∞), so a run
/// that went wrong says so, and where, instead of printing NaN as a result.
extension ActivationCache {
    /// The first recorded hook, in recording order, holding a value that is not finite, with that
    /// value. `-inf` in `attn.masked` is the mask, not a fault. Recipes formed on read
    /// (`attn.weighted`, `attn.result`) are skipped: they are products of hooks checked before them.
    public func firstNonFinite() -> (hook: String, value: Float)? {
        for name in names where !name.hasSuffix(".weighted") && !name.hasSuffix(".result") {
            guard let tensor = self[name] else { continue }
            let masked = name.hasSuffix(".masked")
            if let value = tensor.firstNonFinite(allowingNegativeInfinity: masked) { return (name, value) }
        }
        return nil
    }
}

extension Tensor {
    /// The first element that is NaN or infinite (`-inf` passes when `allowingNegativeInfinity`).
    func firstNonFinite(allowingNegativeInfinity: Bool = false) -> Float? {
        withUnsafeBufferPointer { values in
            for value in values where !value.isFinite {
                if allowingNegativeInfinity && value == -.infinity { continue }
                return value
            }
            return nil
        }
    }
}

extension TransformerModel {
    /// Throws `ModelError.nonFinite` naming the first hook with a non-finite value when `result` (or its
    /// logits) holds one; a pass recorded with a narrower filter is run again, recording every hook,
    /// to find where.
    public func checkFinite(_ result: ForwardResult, ids: [Int], decoderIds: [Int]?, mask: AttentionMask?) throws {
        if let (hook, value) = result.cache.firstNonFinite() { throw ModelError.nonFinite(hook: hook, value: value) }
        guard let logits = result.logits, logits.firstNonFinite() != nil else { return }
        let full = try forward(ids, decoderIds: decoderIds, mask: mask, recording: .all, weightedLimit: 0)
        let (hook, value) = full.cache.firstNonFinite() ?? ("logits", logits.firstNonFinite() ?? .nan)
        throw ModelError.nonFinite(hook: hook, value: value)
    }
}
