import Tensor

/// NumPy `.npy` files holding one float array.
///
/// The writer produces format 1.0 with dtype `<f4` in C order, which `numpy.load` reads as a
/// `float32` array of the tensor's shape (`()` for a scalar). The reader accepts versions 1.0, 2.0
/// and 3.0 with dtype `<f4` or `<f8` (converted to `Float`) in C order, and rejects anything else
/// with an error that says what was found.
public enum NPY {
    /// Writes `tensor` to `path` as a float32 `.npy` file, atomically.
    public static func write(_ tensor: Tensor, to path: String) throws {
        try AtomicFile.write(path: path) { sink in
            try sink.write(NPYHeader(descr: "<f4", fortranOrder: false, shape: tensor.shape).encoded())
            try tensor.withUnsafeBufferPointer { floats in
                #if _endian(little)
                try sink.write(UnsafeRawBufferPointer(floats))
                #else
                try sink.write(floats.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) })
                #endif
            }
        }
    }

    /// The bytes of `tensor` as a float32 `.npy` file.
    public static func encode(_ tensor: Tensor) -> [UInt8] {
        var bytes = NPYHeader(descr: "<f4", fortranOrder: false, shape: tensor.shape).encoded()
        tensor.withUnsafeBufferPointer { floats in
            for value in floats {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 }
            }
        }
        return bytes
    }

    /// Reads the `.npy` file at `path` (see the type's documentation for what is accepted).
    public static func read(path: String) throws -> Tensor {
        let file = try MappedFile(path: path)
        return try decode(file.bytes, path: path)
    }

    /// Decodes the bytes of a `.npy` file; `path` names the source in errors.
    public static func decode(_ bytes: UnsafeRawBufferPointer, path: String) throws -> Tensor {
        func fail(_ reason: String) -> ModelError { .badFile(path: path, reason: reason) }

        let (header, dataStart) = try NPYHeader.parse(bytes, path: path)
        let itemSize: Int
        switch header.descr {
        case "<f4": itemSize = 4
        case "<f8": itemSize = 8
        case ">f4", ">f8":
            throw fail("array is big-endian ('\(header.descr)'); save it as little-endian with a.astype('<f4')")
        default:
            throw fail("array dtype '\(header.descr)' is not supported; only float32 ('<f4') and float64 ('<f8') can be read (convert with a.astype(np.float32))")
        }
        if header.fortranOrder {
            throw fail("array is in Fortran order; save a C-ordered copy with np.ascontiguousarray(a)")
        }
        var count = 1
        for dim in header.shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dim)
            guard !overflow else { throw fail("shape \(header.shape) has too many elements (the count overflows 64 bits)") }
            count = product
        }
        let (needed, overflow) = count.multipliedReportingOverflow(by: itemSize)
        guard !overflow else { throw fail("shape \(header.shape) is too large (the byte size overflows 64 bits)") }
        let available = bytes.count - dataStart
        guard available == needed else {
            let what = available < needed ? "is truncated" : "has \(available - needed) unexpected bytes after the array"
            throw fail("data \(what): shape \(header.shape) of '\(header.descr)' needs \(needed) bytes, the file holds \(available)")
        }

        var tensor = Tensor(shape: header.shape)
        guard count > 0, let base = bytes.baseAddress else { return tensor }
        let data = base + dataStart
        tensor.withUnsafeMutableBufferPointer { out in
            if itemSize == 4 {
                for i in 0..<count {
                    out[i] = Float(bitPattern: UInt32(littleEndian: data.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
                }
            } else {
                for i in 0..<count {
                    out[i] = Float(Double(bitPattern: UInt64(littleEndian: data.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))))
                }
            }
        }
        return tensor
    }
}
