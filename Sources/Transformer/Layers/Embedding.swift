import Tensor

/// Turns token ids into the first residual stream: token embeddings (× √D where the model scales them),
/// plus positions (learned or sinusoidal; none for RoPE), plus token types, then an optional norm.
public struct Embedding: Sendable {
    /// `W_E [V,D]` as floats; nil when the table is kept quantized (`quantizedTable`).
    public let tokenTable: Tensor?
    /// `W_E [V,D]` kept in a GGUF file's blocks: rows are widened as tokens are looked up.
    let quantizedTable: QuantizedMatrix?
    /// `W_pos [offset + T_max, D]` for learned positions; position p reads row `offset + p`.
    public let positionTable: Tensor?
    /// Rows of `positionTable` before position 0's (RoBERTa's `pad_token_id + 1`; else 0).
    public let positionOffset: Int
    /// `W_type [types,D]` for BERT's token types.
    public let typeTable: Tensor?
    public let norm: Norm?
    public let positional: ModelConfig.Positional
    public let scale: Float
    public let maxPositions: Int

    /// Loads `<prefix>embed.W_E` (or `tokenTableName`), `<prefix>pos_embed.W_pos`, `<prefix>embed_type.W_type`,
    /// `<prefix>embed_ln`.
    init(prefix: String, tokenTableName: String, config: ModelConfig, parameters: Parameters) throws {
        let d = config.dModel
        quantizedTable = try parameters.quantized(tokenTableName, shape: [config.vocabSize, d])
        tokenTable = quantizedTable == nil ? try parameters.require(tokenTableName, shape: [config.vocabSize, d]) : nil
        positionTable = config.positional == .learned
            ? try parameters.require("\(prefix)pos_embed.W_pos", shape: [config.positionOffset + config.maxPositions, d]) : nil
        positionOffset = config.positionOffset
        typeTable = config.typeVocabSize > 0
            ? try parameters.require("\(prefix)embed_type.W_type", shape: [config.typeVocabSize, d]) : nil
        norm = config.embeddingNorm ? try Norm("\(prefix)embed_ln", config: config, parameters: parameters) : nil
        positional = config.positional
        scale = config.scaleEmbeddings ? Float(d).squareRoot() : 1
        maxPositions = config.maxPositions
    }

    /// The residual stream before block 0 for `ids` (all valid ids, at most T_max of them) → `[T,D]`,
    /// token t at position `start + t` (a KV cache's step starts after the tokens it holds).
    /// Records `embed`, `pos_embed`, `embed_type`, `embed_ln.out`.
    func callAsFunction(_ ids: [Int], tokenTypes: [Int]? = nil, start: Int = 0, recorder: inout Recorder) -> Tensor {
        var stream = quantizedTable?.rows(ids) ?? Self.gather(tokenTable!, rows: ids)
        if scale != 1 { stream = stream * scale }
        recorder.record("embed", stream)
        let d = stream.shape[1]
        switch positional {
        case .learned:
            let positions = Self.gather(positionTable!, rows: Array((positionOffset + start)..<(positionOffset + start + ids.count)))
            recorder.record("pos_embed", positions)
            stream = stream + positions
        case .sinusoidal:
            let positions = sinusoidalPositions(count: ids.count, width: d, from: start)
            recorder.record("pos_embed", positions)
            stream = stream + positions
        case .rope:
            break
        }
        if let typeTable {
            let types = Self.gather(typeTable, rows: tokenTypes ?? Array(repeating: 0, count: ids.count))
            recorder.record("embed_type", types)
            stream = stream + types
        }
        if let norm {
            stream = norm(stream)
            recorder.record("embed_ln.out", stream)
        }
        return stream
    }

    /// The tied LM head's logits `x · W_Eᵀ`: x `[T,D]` → `[T,V]`, reading the table as it is stored.
    func tiedLogits(_ x: Tensor) -> Tensor {
        quantizedTable?.product(x) ?? matmul(x, transposing: tokenTable!)
    }

    /// Rows `rows` of `table [N,D]` → `[rows.count, D]`.
    static func gather(_ table: Tensor, rows: [Int]) -> Tensor {
        let d = table.shape[1]
        var out = Tensor(shape: [rows.count, d])
        table.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for (i, row) in rows.enumerated() {
                    (dst.baseAddress! + i * d).update(from: src.baseAddress! + row * d, count: d)
                }
            }
        }
        return out
    }
}
