#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Tensor
import Tokenizers

/// A GGUF file (llama.cpp's format), mapped and validated: its metadata, its tensor infos, and its
/// tensors' bytes read in place.
///
/// Nothing is converted when the file is opened. `floats(_:)` widens one tensor to `Float` on
/// request (a view of the mapping for F32), and `quantized(_:)` hands a 2-D tensor over as a
/// `QuantizedMatrix` whose blocks stay in the mapping.
public struct GGUFFile: Sendable {
    /// The file, as given to `GGUF.open(path:)`.
    public let path: String
    /// The format version (2 or 3).
    public let version: Int
    /// The metadata's keys in file order.
    public let keys: [String]
    /// The metadata by key.
    public let metadata: [String: GGUFValue]
    /// The tensor infos in file order.
    public let tensors: [GGUFTensorInfo]
    /// The data section's alignment (`general.alignment`, or 32).
    public let alignment: Int
    /// Where the data section starts in the file.
    public let dataStart: Int
    let mapping: MappedFile
    let byName: [String: Int]

    /// The info of tensor `name`, nil when the file has none.
    public func info(_ name: String) -> GGUFTensorInfo? { byName[name].map { tensors[$0] } }

    /// The raw bytes of tensor `name`'s data, in place.
    public func data(_ info: GGUFTensorInfo) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: mapping.bytes[dataStart + info.offset ..< dataStart + info.offset + info.byteCount])
    }

    /// The error for a tensor of a type the explorer does not read.
    func unsupported(_ info: GGUFTensorInfo) -> ModelError {
        .badFile(path: path, reason: "tensor \(info.name) is of type \(info.type.name), which the explorer does not read (it reads \(GGUFTensorType.supported.map(\.name).joined(separator: ", ")))")
    }

    /// Tensor `name` as floats with the file's shape (outermost first): a view of the mapping for a
    /// 4-byte-aligned F32 tensor, else widened from its blocks (exactly as ggml's `dequantize_row_*`).
    /// Throws for a missing tensor and for a type the explorer does not read, naming it.
    public func floats(_ name: String) throws -> Tensor {
        guard let info = info(name) else { throw ModelError.missingTensor(name: name, file: path) }
        guard let format = info.type.blockFormat else { throw unsupported(info) }
        let bytes = data(info)
        if info.count == 0 { return Tensor(shape: info.shape) }
        #if _endian(little)
        if info.type == .f32, Int(bitPattern: bytes.baseAddress!) % MemoryLayout<Float>.alignment == 0 {
            return Tensor(shape: info.shape, viewing: bytes.baseAddress!.assumingMemoryBound(to: Float.self), owner: mapping)
        }
        #endif
        var tensor = Tensor(uninitializedShape: info.shape)
        let blocks = info.count / info.type.blockSize
        let widened = tensor.withUnsafeMutableBufferPointer { out in
            format.widen(bytes.baseAddress!, blocks: blocks, into: out.baseAddress!)
        }
        precondition(widened, "the kernels refused \(format.name), a type they read")
        return tensor
    }

    /// The 2-D tensor `name` `[rows, columns]` as a matrix whose quantized blocks are read in place;
    /// F32, F16 and BF16 are accepted too (widened a panel at a time like the blocks).
    public func quantized(_ name: String) throws -> QuantizedMatrix {
        guard let info = info(name) else { throw ModelError.missingTensor(name: name, file: path) }
        guard let format = info.type.blockFormat else { throw unsupported(info) }
        guard info.shape.count == 2 else {
            throw ModelError.badFile(path: path, reason: "tensor \(name) has shape \(info.shape), not a matrix")
        }
        return QuantizedMatrix(rows: info.shape[0], columns: info.shape[1], format: format, bytes: data(info),
                               owner: mapping)
    }
}

extension GGUFTensorType {
    /// The block layout for the kernels; nil for a type the explorer does not read.
    public var blockFormat: BlockFormat? {
        isSupported ? BlockFormat(code: rawValue, name: name, values: blockSize, bytes: blockBytes) : nil
    }
}

/// Reading GGUF files.
public enum GGUF {
    /// Memory-maps and validates the GGUF file at `path`; no tensor is read yet. Every problem with
    /// the file is a thrown `ModelError.badFile` naming it and the field (and the tensor or key).
    public static func open(path: String) throws -> GGUFFile {
        let file = try MappedFile(path: path)
        let header = try GGUFHeader.parse(file.bytes, path: path)
        var byName: [String: Int] = [:]
        for (index, info) in header.tensors.enumerated() { byName[info.name] = index }
        return GGUFFile(path: path, version: header.version, keys: header.metadata.map(\.key),
                        metadata: Dictionary(uniqueKeysWithValues: header.metadata.map { ($0.key, $0.value) }),
                        tensors: header.tensors, alignment: header.alignment, dataStart: header.dataStart,
                        mapping: file, byName: byName)
    }

    /// Whether the file at `path` starts with GGUF's magic bytes, whatever its name (Ollama keeps its
    /// models as `sha256-…` blobs). False for anything unreadable or not a regular file.
    public static func isGGUF(path: String) -> Bool {
        do {
            guard try RegularFile.kind(path) == nil else { return false }
        } catch { return false }
        guard let handle = fopen(path, "rb") else { return false }
        defer { fclose(handle) }
        var magic = [UInt8](repeating: 0, count: 4)
        guard fread(&magic, 1, 4, handle) == 4 else { return false }
        return magic == GGUFHeader.magic
    }
}
