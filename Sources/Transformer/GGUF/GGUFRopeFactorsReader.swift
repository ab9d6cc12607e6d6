/// Llama 3.1's RoPE scaling as llama.cpp's converter stores it: not as metadata but as the tensor
/// `rope_freqs.weight` (F32, `[dh/2]`), the factor that pair i's frequency is divided by, computed from
/// config.json's `rope_scaling` (`rope_type` llama3): 1 for the fast pairs, `factor` for the slow ones,
/// a blend between. llama.cpp applies it as `ggml_rope_ext`'s `freq_factors`, angle
/// p · θ^(−2i/dh) / rope_freqs[i], times 1/factor when `<arch>.rope.scaling.type` is also linear (its
/// `freq_scale`). The converter writes no `rope.scaling.*` key for llama3.
enum GGUFRopeFactorsReader {
    static let tensorName = "rope_freqs.weight"

    /// The file's RoPE scaling for a model whose heads are `headSize` wide: nil when the file has no
    /// `rope_freqs.weight` (then `linear`, from the metadata, stands as it is); else each pair's divisor,
    /// `linear`'s factor folded in. Throws a `badFile` naming the file and the tensor for a tensor that
    /// is not F32, not `[headSize/2]`, or holds a value that is not a positive finite number.
    static func read(_ file: GGUFFile, headSize: Int, linear: RopeScaling?) throws -> RopeScaling? {
        guard let info = file.info(tensorName) else { return nil }
        func fail(_ reason: String) -> ModelError {
            .badFile(path: file.path, reason: "tensor \(tensorName) (Llama 3.1's RoPE frequency factors) \(reason)")
        }
        guard info.type == .f32 else { throw fail("is \(info.type.name), not F32") }
        guard info.shape == [headSize / 2] else {
            throw fail("has shape \(info.shape), not [\(headSize / 2)] (one factor per RoPE pair of the \(headSize)-wide heads)")
        }
        let values = try file.floats(tensorName).scalars
        if let i = values.firstIndex(where: { !($0.isFinite && $0 > 0) }) {
            throw fail("holds \(values[i]) at index \(i); every factor must be a positive number")
        }
        var factors = values.map(Double.init)
        switch linear {
        case nil: break
        case .linear(let factor)?: factors = factors.map { $0 * factor }
        case let other?: throw fail("comes with RoPE scaling \(other) besides, which the explorer does not combine with it")
        }
        return .frequencyFactors(factors)
    }
}
