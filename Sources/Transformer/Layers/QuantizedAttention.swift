import Tensor

/// Attention's four projections kept in a GGUF file's quantized blocks (Linear layout, rows = outputs),
/// multiplied in place: q `[H·dh, D]`, k and v `[H_kv·dh, D]`, o `[D, H·dh]`. The rows of q and k are
/// in Hugging Face's order (the loader undid llama.cpp's permutation), so heads split as they do there.
struct QuantizedAttention: Sendable {
    let query, key, value, output: QuantizedMatrix

    /// The quantized `<name>.W_Q` … `W_O`, or nil when the model holds them as floats. All four or none:
    /// a model with some quantized is refused as a bad file.
    init?(_ name: String, config: ModelConfig, parameters: Parameters) throws {
        let (d, h, hkv, dh) = (config.dModel, config.nHeads, config.kvHeads, config.headSize)
        let found = [try parameters.quantized("\(name).W_Q", shape: [h, d, dh]),
                     try parameters.quantized("\(name).W_K", shape: [hkv, d, dh]),
                     try parameters.quantized("\(name).W_V", shape: [hkv, d, dh]),
                     try parameters.quantized("\(name).W_O", shape: [h, dh, d])]
        if found.allSatisfy({ $0 == nil }) { return nil }
        guard let query = found[0], let key = found[1], let value = found[2], let output = found[3] else {
            throw ModelError.badFile(path: parameters.source, reason: "\(name) has some projections quantized and some not")
        }
        (self.query, self.key, self.value, self.output) = (query, key, value, output)
    }

    /// `x [T,D]` through `weight [n·dh, D]` plus `bias [n,dh]`, split by head: → `[n,T,dh]`.
    func project(_ x: Tensor, _ weight: QuantizedMatrix, _ bias: Tensor?, heads: Int) -> Tensor {
        let product = weight.product(x)                                  // [T, n·dh]
        let (t, width) = (product.shape[0], product.shape[1])
        let dh = width / heads
        var out = Tensor(uninitializedShape: [heads, t, dh])
        product.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for h in 0..<heads {
                    for i in 0..<t {
                        (dst.baseAddress! + (h * t + i) * dh).update(from: src.baseAddress! + i * width + h * dh, count: dh)
                    }
                }
            }
        }
        return bias.map { out.addingPerHeadBias($0) } ?? out
    }

    /// `Σ_h z[h] · W_O[h] + b`: z `[H,T,dh]` interleaved to `[T, H·dh]`, through `output`, plus `bias [D]`.
    func combinedOutput(_ z: Tensor, bias: Tensor?) -> Tensor {
        let (heads, t, dh) = (z.shape[0], z.shape[1], z.shape[2])
        var zt = Tensor(uninitializedShape: [t, heads * dh])
        z.withUnsafeBufferPointer { pz in
            zt.withUnsafeMutableBufferPointer { pt in
                for h in 0..<heads {
                    for i in 0..<t {
                        (pt.baseAddress! + i * heads * dh + h * dh).update(from: pz.baseAddress! + (h * t + i) * dh, count: dh)
                    }
                }
            }
        }
        return output.product(zt, addingRow: bias)                      // [T, D]
    }

    /// `W_O` widened to DESIGN.md's `[H, dh, D]`, for the per-head results a learner asks for.
    func widenedOutput(heads: Int) -> Tensor {
        QuantizedParameter(output, layout: .headsOut(heads: heads)).widened()
    }
}
