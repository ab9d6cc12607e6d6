import CKernels

/// How a quantized matrix stores a row: blocks of `values` elements in `bytes` bytes each, of a
/// kind the kernels read (GGUF's `ggml_type` numbering: Q8_0 is 8, Q4_K 12, F16 1).
public struct BlockFormat: Sendable, Equatable {
    /// The `ggml_type` number.
    public let code: UInt32
    /// Its name as llama.cpp gives it (`Q4_1`), for a learner and for errors.
    public let name: String
    /// Elements per block.
    public let values: Int
    /// Bytes per block.
    public let bytes: Int

    public init(code: UInt32, name: String, values: Int, bytes: Int) {
        self.code = code
        self.name = name
        self.values = values
        self.bytes = bytes
    }

    /// Widens `blocks` consecutive blocks at `source` into `blocks × values` floats at
    /// `destination`, bit for bit as ggml's `dequantize_row_*`. Returns false for a type the kernels
    /// do not read.
    public func widen(_ source: UnsafeRawPointer, blocks: Int, into destination: UnsafeMutablePointer<Float>,
                      kernel: GemmKernel = .automatic) -> Bool {
        ck_dequantize(Int32(bitPattern: code), source, destination, blocks, kernel.cValue) == 0
    }
}
