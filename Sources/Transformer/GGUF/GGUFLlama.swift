import Tensor

/// Llama-family tensors as llama.cpp's converter names them, mapped onto DESIGN.md's parameters. The
/// 2-D weights stay in the file's blocks (`QuantizedParameter`, widened only when a learner reads one);
/// norms are float views of the file (widened when stored as F16).
///
/// | file                           | shape (rows first)  | parameter                                  |
/// |--------------------------------|---------------------|--------------------------------------------|
/// | `token_embd.weight`            | [V, D]              | `embed.W_E`                                |
/// | `blk.{l}.attn_norm.weight`     | [D]                 | `blocks.{l}.ln1.w`                         |
/// | `blk.{l}.attn_q.weight`        | [H·dh, D]           | `attn.W_Q` [H, D, dh] (rows unpermuted)    |
/// | `blk.{l}.attn_k.weight`        | [H_kv·dh, D]        | `attn.W_K` [H_kv, D, dh] (rows unpermuted) |
/// | `blk.{l}.attn_v.weight`        | [H_kv·dh, D]        | `attn.W_V`                                 |
/// | `blk.{l}.attn_output.weight`   | [D, H·dh]           | `attn.W_O` [H, dh, D]                      |
/// | `blk.{l}.attn_{q,k,v}.bias`    | [H·dh] / [H_kv·dh]  | `attn.b_Q` … (Qwen2)                       |
/// | `blk.{l}.ffn_norm.weight`      | [D]                 | `blocks.{l}.ln2.w`                         |
/// | `blk.{l}.ffn_gate.weight`      | [F, D]              | `mlp.W_gate` [D, F]                        |
/// | `blk.{l}.ffn_up.weight`        | [F, D]              | `mlp.W_in` [D, F]                          |
/// | `blk.{l}.ffn_down.weight`      | [D, F]              | `mlp.W_out` [F, D]                         |
/// | `output_norm.weight`           | [D]                 | `ln_final.w`                               |
/// | `output.weight` (untied only)  | [V, D]              | `unembed.W_U` [D, V]                       |
///
/// llama.cpp's converter permutes the q and k rows of the models it converts as Llama (`llama`, and
/// Mistral, converted the same way) and not Qwen2's (whose RoPE already pairs i with i + dh/2):
/// `permutedQK` says which, and the rows (and biases) are put back only then, as transformers does.
enum GGUFLlama {
    /// `meter` hears of each tensor as it is made ready.
    static func parameters(_ file: GGUFFile, config: ModelConfig, permutedQK: Bool,
                           meter: LoadMeter = LoadMeter(nil, total: 0)) throws -> Parameters {
        let (v, d, h, hkv, dh, f) = (config.vocabSize, config.dModel, config.nHeads, config.kvHeads,
                                     config.headSize, config.dFF)
        var out = Parameters(source: file.path)
        func matrix(_ name: String, _ shape: [Int]) throws -> QuantizedMatrix {
            guard let info = file.info(name) else { throw ModelError.missingTensor(name: name, file: file.path) }
            guard info.shape == shape else {
                throw ModelError.wrongShape(name: name, expected: shape, got: info.shape, file: file.path)
            }
            defer { meter.read(name, bytes: info.byteCount) }
            return try file.quantized(name)
        }
        func vector(_ name: String, _ length: Int) throws -> Tensor {
            guard let info = file.info(name) else { throw ModelError.missingTensor(name: name, file: file.path) }
            guard info.shape == [length] else {
                throw ModelError.wrongShape(name: name, expected: [length], got: info.shape, file: file.path)
            }
            defer { meter.read(name, bytes: info.byteCount) }
            return try file.floats(name)
        }
        out.quantized["embed.W_E"] = QuantizedParameter(try matrix("token_embd.weight", [v, d]), layout: .rows)
        for l in 0..<config.nLayers {
            let (from, to) = ("blk.\(l).", "blocks.\(l).")
            out["\(to)ln1.w"] = try vector(from + "attn_norm.weight", d)
            let query = try matrix(from + "attn_q.weight", [h * dh, d])
            let key = try matrix(from + "attn_k.weight", [hkv * dh, d])
            out.quantized["\(to)attn.W_Q"] = QuantizedParameter(
                permutedQK ? query.reorderingRows(unpermutedRows(heads: h, headSize: dh)) : query, layout: .headsIn(heads: h))
            out.quantized["\(to)attn.W_K"] = QuantizedParameter(
                permutedQK ? key.reorderingRows(unpermutedRows(heads: hkv, headSize: dh)) : key, layout: .headsIn(heads: hkv))
            out.quantized["\(to)attn.W_V"] = QuantizedParameter(try matrix(from + "attn_v.weight", [hkv * dh, d]),
                                                                  layout: .headsIn(heads: hkv))
            out.quantized["\(to)attn.W_O"] = QuantizedParameter(try matrix(from + "attn_output.weight", [d, h * dh]),
                                                                  layout: .headsOut(heads: h))
            let biases = config.biases
            if biases.q {
                let bias = try vector(from + "attn_q.bias", h * dh)
                out["\(to)attn.b_Q"] = (permutedQK ? unpermuted(bias, heads: h, headSize: dh) : bias).reshaped([h, dh])
            }
            if biases.k {
                let bias = try vector(from + "attn_k.bias", hkv * dh)
                out["\(to)attn.b_K"] = (permutedQK ? unpermuted(bias, heads: hkv, headSize: dh) : bias).reshaped([hkv, dh])
            }
            if biases.v { out["\(to)attn.b_V"] = try vector(from + "attn_v.bias", hkv * dh).reshaped([hkv, dh]) }
            if biases.o { out["\(to)attn.b_O"] = try vector(from + "attn_output.bias", d) }
            out["\(to)ln2.w"] = try vector(from + "ffn_norm.weight", d)
            out.quantized["\(to)mlp.W_gate"] = QuantizedParameter(try matrix(from + "ffn_gate.weight", [f, d]), layout: .transposed)
            out.quantized["\(to)mlp.W_in"] = QuantizedParameter(try matrix(from + "ffn_up.weight", [f, d]), layout: .transposed)
            out.quantized["\(to)mlp.W_out"] = QuantizedParameter(try matrix(from + "ffn_down.weight", [d, f]), layout: .transposed)
            if config.hasGateBias { out["\(to)mlp.b_gate"] = try vector(from + "ffn_gate.bias", f) }
            if biases.mlpIn { out["\(to)mlp.b_in"] = try vector(from + "ffn_up.bias", f) }
            if biases.mlpOut { out["\(to)mlp.b_out"] = try vector(from + "ffn_down.bias", d) }
        }
        out["ln_final.w"] = try vector("output_norm.weight", d)
        if !config.tiedEmbeddings {
            out.quantized["unembed.W_U"] = QuantizedParameter(try matrix("output.weight", [v, d]), layout: .transposed)
        }
        return out
    }

    /// llama.cpp's converter reorders each head's query and key rows for its own RoPE (which pairs
    /// dimensions 2i and 2i+1): Hugging Face's row `i·dh/2 + j` of a head (half i, pair j) is stored at
    /// row `2j + i`. The order that reads them back, as transformers' `reverse_permute_weights` does:
    /// entry r of the result is the file's row for Hugging Face's row r.
    static func unpermutedRows(heads: Int, headSize dh: Int) -> [Int] {
        (0..<heads * dh).map { row in
            let (head, within) = (row / dh, row % dh)
            let (half, pair) = (within / (dh / 2), within % (dh / 2))
            return head * dh + 2 * pair + half
        }
    }

    /// A query or key bias `[n·dh]` read back into Hugging Face's order (as its rows).
    static func unpermuted(_ bias: Tensor, heads: Int, headSize dh: Int) -> Tensor {
        let scalars = bias.scalars
        return Tensor(shape: [heads * dh], scalars: unpermutedRows(heads: heads, headSize: dh).map { scalars[$0] })
    }
}
