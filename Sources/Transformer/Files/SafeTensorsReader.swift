import Tensor

/// Reading and writing safetensors files (https://huggingface.co/docs/safetensors).
public enum SafeTensors {
    /// Memory-maps and validates the safetensors file at `path` and returns its float tensors.
    ///
    /// F32 tensors view the mapping in place (zero copy) when 4-byte aligned, and are copied
    /// otherwise; F16, BF16 and F64 are converted to `Float`. Tensors of other types (integers, bools,
    /// 8-bit and smaller floats, complex) are validated and then listed in `skipped` with a reason.
    /// Every problem with the file is a thrown `ModelError` naming the file and, where there is one,
    /// the tensor.
    public static func load(path: String) throws -> SafeTensorsArchive {
        let file = try open(path: path)
        var tensors: [String: Tensor] = [:]
        var skipped: [String: String] = [:]
        for entry in file.entries {
            if let reason = entry.dtype.skipReason {
                skipped[entry.name] = reason
            } else {
                tensors[entry.name] = file.tensor(entry.name)
            }
        }
        return SafeTensorsArchive(
            path: path, tensors: tensors, metadata: file.metadata, skipped: skipped, entries: file.entries)
    }

    /// The tensor for a validated float entry whose bytes start at `bytes`.
    static func floatTensor(_ entry: SafeTensorsEntry, at bytes: UnsafeRawPointer, owner: AnyObject) -> Tensor {
        let shape = entry.shape
        let count = shape.reduce(1, *)                 // validated: no overflow
        if count == 0 { return Tensor(shape: shape) }
        #if _endian(little)
        if entry.dtype == .f32, Int(bitPattern: bytes) % MemoryLayout<Float>.alignment == 0 {
            let floats = bytes.bindMemory(to: Float.self, capacity: count)
            return Tensor(shape: shape, viewing: floats, owner: owner)
        }
        #endif
        var tensor = Tensor(shape: shape)
        tensor.withUnsafeMutableBufferPointer { out in
            switch entry.dtype {
            case .f32:
                for i in 0..<count {
                    out[i] = Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
                }
            case .f16:
                for i in 0..<count {
                    out[i] = HalfPrecision.float(fromFloat16: UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
                }
            case .bf16:
                for i in 0..<count {
                    out[i] = HalfPrecision.float(fromBFloat16: UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
                }
            case .f64:
                for i in 0..<count {
                    out[i] = Float(Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))))
                }
            default:
                preconditionFailure("\(entry.dtype.rawValue) is not loaded as float")
            }
        }
        return tensor
    }
}

/// The contents of a safetensors file.
public struct SafeTensorsArchive: Sendable {
    /// The file, as given to `SafeTensors.load(path:)`.
    public let path: String
    /// The float tensors by name, with the shapes the header gives (e.g. `[V, D]` for an embedding).
    public let tensors: [String: Tensor]
    /// The header's `"__metadata__"` (empty if it has none).
    public let metadata: [String: String]
    /// Tensors present in the file but not loaded, by name, with the reason
    /// (e.g. BERT's I64 `embeddings.position_ids`: "integer tensor (I64), …").
    public let skipped: [String: String]
    /// Every header entry, loaded or skipped, in data order.
    public let entries: [SafeTensorsEntry]

    /// The float tensors as `Parameters`, naming this file in their errors.
    public var parameters: Parameters { Parameters(tensors, source: path) }
}

/// How a safetensors file is laid out, read from its header alone: an 8-byte length N, N bytes of
/// JSON describing each tensor, then the tensors' bytes. What a lesson shows of a model file.
public struct SafeTensorsLayout: Sendable, Equatable {
    /// N: the length in bytes of the JSON header after the 8-byte length field (spaces included).
    public let headerLength: Int
    /// The length in bytes of the data region after the header.
    public let dataLength: Int
    /// Every tensor's entry, in data order.
    public let entries: [SafeTensorsEntry]
    /// The header's `"__metadata__"` (empty if it has none).
    public let metadata: [String: String]

    /// 8 + N + the data: the file's length.
    public var fileLength: Int { 8 + headerLength + dataLength }
}

extension SafeTensors {
    /// Reads and validates the header of the safetensors file at `path`, without loading a tensor.
    public static func layout(path: String) throws -> SafeTensorsLayout {
        let file = try MappedFile(path: path)
        let header = try SafeTensorsHeader.parse(file.bytes, path: path)
        return SafeTensorsLayout(headerLength: header.dataStart - 8, dataLength: header.dataLength,
                                 entries: header.entries, metadata: header.metadata)
    }
}
