import Tensor

/// The keys and values one self-attention layer has computed so far, so a generation step runs only
/// its new tokens: their queries attend to every key kept here, and their own keys and values join.
///
/// Storage is `[H_kv, capacity, dh]`; the first `count` rows of each head are filled (keys after RoPE,
/// as `attn.k` records them). It grows when a step needs more room.
public struct LayerKeysValues: Sendable {
    /// `[H_kv, capacity, dh]`, rows `0..<count` of each head filled: the keys after RoPE.
    public private(set) var keys: Tensor
    /// `[H_kv, capacity, dh]`, rows `0..<count` of each head filled.
    public private(set) var values: Tensor
    /// How many positions are held.
    public private(set) var count = 0

    /// Empty storage for `kvHeads` heads of `headSize`, with room for `capacity` positions.
    init(kvHeads: Int, headSize: Int, capacity: Int) {
        keys = Tensor(shape: [kvHeads, capacity, headSize])
        values = Tensor(shape: [kvHeads, capacity, headSize])
    }

    public var capacity: Int { keys.shape[1] }

    /// Appends the keys and values of T new positions, `newKeys`/`newValues [H_kv,T,dh]`.
    mutating func append(keys newKeys: Tensor, values newValues: Tensor) {
        let (kvHeads, t, dh) = (newKeys.shape[0], newKeys.shape[1], newKeys.shape[2])
        precondition(newKeys.shape == newValues.shape && kvHeads == keys.shape[0] && dh == keys.shape[2],
                     "appending keys \(newKeys.shape) and values \(newValues.shape) to a cache of \(keys.shape)")
        if count + t > capacity { grow(to: max(count + t, 2 * capacity)) }
        Self.write(newKeys, into: &keys, at: count)
        Self.write(newValues, into: &values, at: count)
        count += t
    }

    /// Copies `new [H_kv,T,dh]` into rows `row ..< row + T` of each head of `store [H_kv,R,dh]`.
    private static func write(_ new: Tensor, into store: inout Tensor, at row: Int) {
        let (kvHeads, t, dh) = (new.shape[0], new.shape[1], new.shape[2])
        let rows = store.shape[1]
        new.withUnsafeBufferPointer { source in
            store.withUnsafeMutableBufferPointer { target in
                for h in 0..<kvHeads {
                    (target.baseAddress! + (h * rows + row) * dh).update(from: source.baseAddress! + h * t * dh, count: t * dh)
                }
            }
        }
    }

    /// Moves the held rows into storage with room for `newCapacity` positions.
    private mutating func grow(to newCapacity: Int) {
        let (kvHeads, rows, dh) = (keys.shape[0], keys.shape[1], keys.shape[2])
        func moved(_ old: Tensor) -> Tensor {
            var grown = Tensor(shape: [kvHeads, newCapacity, dh])
            old.withUnsafeBufferPointer { source in
                grown.withUnsafeMutableBufferPointer { target in
                    for h in 0..<kvHeads {
                        (target.baseAddress! + h * newCapacity * dh)
                            .update(from: source.baseAddress! + h * rows * dh, count: count * dh)
                    }
                }
            }
            return grown
        }
        keys = moved(keys)
        values = moved(values)
    }

    /// The held keys as `[H_kv, count, dh]` (a copy).
    public var heldKeys: Tensor { Self.held(keys, count: count) }
    /// The held values as `[H_kv, count, dh]` (a copy).
    public var heldValues: Tensor { Self.held(values, count: count) }

    private static func held(_ store: Tensor, count: Int) -> Tensor {
        let (kvHeads, rows, dh) = (store.shape[0], store.shape[1], store.shape[2])
        var out = Tensor(uninitializedShape: [kvHeads, count, dh])
        store.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                for h in 0..<kvHeads {
                    (target.baseAddress! + h * count * dh).update(from: source.baseAddress! + h * rows * dh, count: count * dh)
                }
            }
        }
        return out
    }
}

/// A cross-attention layer's keys and values `[H_kv, S_enc, dh]`, projected once from the encoder's
/// output: every decoder step's queries read the same ones.
public struct CrossKeysValues: Sendable {
    public let keys: Tensor
    public let values: Tensor
}

/// What a decoder keeps between generation steps (Pope et al. 2022, "Efficiently Scaling Transformer
/// Inference", §2): every self-attention layer's keys and values, so each step runs only the new
/// token; in an encoder–decoder, also each cross-attention layer's keys and values of the encoder's
/// output, computed once. `TransformerModel.makeKVCache` makes one; `forward(_:cache:…)` fills it.
public struct KVCache: Sendable {
    /// One per self-attention layer of the decoder (the decoder stack of an encoder–decoder).
    public internal(set) var layers: [LayerKeysValues]
    /// One per cross-attention layer of an encoder–decoder's decoder; nil for a decoder-only model.
    public let cross: [CrossKeysValues]?
    /// The encoder's input of an encoder–decoder.
    public let encoderIds: [Int]?

    /// How many positions the cache holds: the next token runs at this position.
    public var count: Int { layers.first?.count ?? 0 }
}
