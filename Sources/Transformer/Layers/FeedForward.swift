import Tensor

/// The position-wise feed-forward network: `W_out(act(x W_in + b_in)) + b_out`, or the gated form
/// (SwiGLU, Shazeer 2020) `W_out(silu(x W_gate + b_gate) * (x W_in + b_in)) + b_out`; each bias only
/// where the model has one.
public struct FeedForward: Sendable {
    /// `W_in [D,F]` (the up projection when gated), `W_out [F,D]`, `W_gate [D,F]` when gated, each as
    /// floats or kept in a GGUF file's quantized blocks (Linear layout `[out, in]`).
    let inputWeight, outputWeight: LinearWeight
    let gateWeight: LinearWeight?
    /// `b_in [F]`, `b_out [D]`, and `b_gate [F]` when gated; each nil where the model has no bias there.
    public let inputBias, outputBias, gateBias: Tensor?
    public let activation: Activation

    /// Loads `<name>.W_in` … (e.g. name `blocks.0.mlp`); with `packing`, float weights are also kept
    /// packed for the matrix product (`PackedMatrix`: faster products at a few tokens, for a copy).
    init(_ name: String, config: ModelConfig, parameters: Parameters, packing: Bool = false) throws {
        let (d, f) = (config.dModel, config.dFF)
        inputWeight = try LinearWeight("\(name).W_in", shape: [d, f], parameters: parameters, packing: packing)
        outputWeight = try LinearWeight("\(name).W_out", shape: [f, d], parameters: parameters, packing: packing)
        gateWeight = config.gatedMLP
            ? try LinearWeight("\(name).W_gate", shape: [d, f], parameters: parameters, packing: packing) : nil
        inputBias = config.biases.mlpIn ? try parameters.require("\(name).b_in", shape: [f]) : nil
        outputBias = config.biases.mlpOut ? try parameters.require("\(name).b_out", shape: [d]) : nil
        gateBias = config.hasGateBias ? try parameters.require("\(name).b_gate", shape: [f]) : nil
        activation = config.activation
    }

    /// `x [T,D]` → `[T,D]`, recording `<name>.pre [T,F]`, `.post [T,F]`, `.out [T,D]`.
    func callAsFunction(_ x: Tensor, name: String, recorder: inout Recorder) -> Tensor {
        var post: Tensor
        if let gateWeight {
            let gate = gateWeight.apply(x, addingRow: gateBias)
            recorder.record("\(name).pre", gate)
            let up = inputWeight.apply(x, addingRow: inputBias)
            post = gate.applying(activation) * up
        } else {
            let pre = inputWeight.apply(x, addingRow: inputBias)
            recorder.record("\(name).pre", pre)
            post = pre.applying(activation)
        }
        recorder.record("\(name).post", post)
        let out = outputWeight.apply(post, addingRow: outputBias)
        recorder.record("\(name).out", out)
        return out
    }
}
