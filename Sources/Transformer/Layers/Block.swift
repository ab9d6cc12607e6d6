import Tensor

/// One transformer block: self-attention, optionally cross-attention on an encoder's output, and the
/// feed-forward network, each around a residual connection with a norm before (pre-LN) or after (post-LN).
public struct Block: Sendable {
    public let index: Int
    public let normPosition: ModelConfig.NormPosition
    public let ln1: Norm
    public let attention: Attention
    public let lnCross: Norm?
    public let crossAttention: Attention?
    public let ln2: Norm
    public let feedForward: FeedForward

    /// Loads `blocks.{index}.*` (under `prefix`, e.g. `decoder.`), with cross-attention when asked; with
    /// `packing`, W_O and the MLP's float weights are also kept packed for the product (`PackedMatrix`).
    init(index: Int, prefix: String, config: ModelConfig, parameters: Parameters, crossAttention: Bool,
         rotary: RotaryEmbedding?, packing: Bool = false) throws {
        let base = "\(prefix)blocks.\(index)"
        self.index = index
        normPosition = config.normPosition
        ln1 = try Norm("\(base).ln1", config: config, parameters: parameters)
        attention = try Attention("\(base).attn", config: config, parameters: parameters, rotary: rotary,
                                  packingOutput: packing)
        if crossAttention {
            lnCross = try Norm("\(base).ln_cross", config: config, parameters: parameters)
            self.crossAttention = try Attention("\(base).cross_attn", config: config, parameters: parameters,
                                                rotary: nil, selfAttention: false)
        } else {
            (lnCross, self.crossAttention) = (nil, nil)
        }
        ln2 = try Norm("\(base).ln2", config: config, parameters: parameters)
        feedForward = try FeedForward("\(base).mlp", config: config, parameters: parameters, packing: packing)
    }

    /// The block on the residual stream `x [T,D]` → `[T,D]`; `encoderOutput [S,D]` feeds cross-attention.
    /// Records the residual names of DESIGN.md (`resid_pre`, `ln1.out`, `resid_mid`, …).
    func callAsFunction(_ x: Tensor, mask: AttentionMask, encoderOutput: Tensor?, recorder: inout Recorder) -> Tensor {
        let name = "blocks.\(index)"
        let crossing = crossAttention != nil && lnCross != nil && encoderOutput != nil
        return run(x, recorder: &recorder, crossing: crossing,
                   selfAttend: { input, recorder in
                       attention(input, mask: mask, name: "\(name).attn", recorder: &recorder)
                   },
                   crossAttend: { input, recorder in
                       crossAttention!(input, keysFrom: encoderOutput!, mask: nil, name: "\(name).cross_attn",
                                       recorder: &recorder)
                   })
    }

    /// The block's residual wiring around its attention (`selfAttend`), cross-attention (`crossAttend`,
    /// used when `crossing`) and feed-forward network, on `x [T,D]` → `[T,D]`. The attention is passed
    /// in, so a step with a KV cache runs the same wiring as a full pass.
    func run(_ x: Tensor, recorder: inout Recorder, crossing: Bool,
             selfAttend: (Tensor, inout Recorder) -> Tensor,
             crossAttend: (Tensor, inout Recorder) -> Tensor) -> Tensor {
        let name = "blocks.\(index)"
        recorder.record("\(name).resid_pre", x)
        switch normPosition {
        case .pre:
            // h = x + attn(norm(x)); [h = h + cross(norm(h), e)]; out = h + mlp(norm(h))
            let normed = ln1(x)
            recorder.record("\(name).ln1.out", normed)
            var stream = x + selfAttend(normed, &recorder)
            recorder.record("\(name).resid_mid", stream)
            if crossing, let lnCross {
                let crossIn = lnCross(stream)
                recorder.record("\(name).ln_cross.out", crossIn)
                stream = stream + crossAttend(crossIn, &recorder)
                recorder.record("\(name).resid_cross", stream)
            }
            let mlpIn = ln2(stream)
            recorder.record("\(name).ln2.out", mlpIn)
            let out = stream + feedForward(mlpIn, name: "\(name).mlp", recorder: &recorder)
            recorder.record("\(name).resid_post", out)
            return out
        case .post:
            // h = norm(x + attn(x)); [h = norm(h + cross(h, e))]; out = norm(h + mlp(h))
            let mid = x + selfAttend(x, &recorder)
            recorder.record("\(name).resid_mid", mid)
            var stream = ln1(mid)
            recorder.record("\(name).ln1.out", stream)
            if crossing, let lnCross {
                let sum = stream + crossAttend(stream, &recorder)
                recorder.record("\(name).resid_cross", sum)
                stream = lnCross(sum)
                recorder.record("\(name).ln_cross.out", stream)
            }
            let out = ln2(stream + feedForward(stream, name: "\(name).mlp", recorder: &recorder))
            recorder.record("\(name).ln2.out", out)
            recorder.record("\(name).resid_post", out)
            return out
        }
    }
}
