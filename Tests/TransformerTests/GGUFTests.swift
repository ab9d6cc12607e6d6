import Foundation
import Testing
@testable import Tensor
@testable import Transformer

/// Tests/Fixtures/gguf/types.gguf, written by the `gguf` package (make_gguf_fixtures.py).
private let typesFile = Repository.path("Tests/Fixtures/gguf/types.gguf")

@Suite struct GGUFReading {
    @Test func readsHeaderMetadataOfEveryTypeAndTensorInfos() throws {
        let file = try GGUF.open(path: typesFile)
        #expect(file.version == 3)
        #expect(file.alignment == 32)
        #expect(file.metadata["general.architecture"] == .string("llama"))
        #expect(file.metadata["test.uint8"] == .uint8(200))
        #expect(file.metadata["test.int8"] == .int8(-100))
        #expect(file.metadata["test.uint16"] == .uint16(60000))
        #expect(file.metadata["test.int16"] == .int16(-30000))
        #expect(file.metadata["test.uint32"] == .uint32(4_000_000_000))
        #expect(file.metadata["test.int32"] == .int32(-2_000_000_000))
        #expect(file.metadata["test.float32"] == .float32(0.15625))
        #expect(file.metadata["test.uint64"] == .uint64(1 << 63 + 5))
        #expect(file.metadata["test.uint64"]?.int == nil)            // does not fit in Int
        #expect(file.metadata["test.int64"] == .int64(-(1 << 62)))
        #expect(file.metadata["test.float64"] == .float64(-1.0e-300))
        #expect(file.metadata["test.bool"] == .bool(true))
        #expect(file.metadata["test.string"] == .string("naïve 漢字 🙂"))
        #expect(file.metadata["test.strings"] == .array(.string, [.string("a"), .string(""), .string("Ġthe")]))
        #expect(file.metadata["test.int32s"]?.elements?.compactMap(\.int) == [1, -2, 3])
        #expect(file.metadata["test.nested"] == .array(.array, [.array(.int32, [.int32(1), .int32(2)]),
                                                              .array(.int32, [.int32(3)])]))
        #expect(file.keys.first == "general.architecture" && file.keys.count == file.metadata.count)

        let names = ["F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K", "Q2_K"]
        #expect(file.tensors.map(\.name) == names)
        for info in file.tensors {
            #expect(info.type.name == info.name)
            #expect(info.shape == (info.name == "Q2_K" ? [1, 256] : [2, 256]))
            #expect(info.offset % 32 == 0)
            #expect(info.byteCount == info.rows * 256 / info.type.blockSize * info.type.blockBytes)
        }
        #expect(file.info("Q4_K")?.byteCount == 2 * 144)
    }

    /// Each type's blocks widen to exactly what `gguf.quants.dequantize` makes of them (bit for bit:
    /// no fused multiply-add, the reference's order of products), on every kernel tier of this CPU.
    @Test(arguments: ["F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K"])
    func dequantizationMatchesTheGGUFPackage(type: String) throws {
        let file = try GGUF.open(path: typesFile)
        let expected = try NPY.read(path: Repository.path("Tests/Fixtures/gguf/types/\(type).npy"))
        let floats = try file.floats(type)
        #expect(floats.shape == [2, 256])
        #expect(floats.scalars.map(\.bitPattern) == expected.scalars.map(\.bitPattern))
        let matrix = try file.quantized(type)
        #expect(matrix.rows == 2 && matrix.columns == 256 && matrix.format.name == type)
        for kernel in GemmKernel.supportedTiers {
            #expect(matrix.widened(kernel: kernel).scalars.map(\.bitPattern) == expected.scalars.map(\.bitPattern),
                    "\(type) on \(kernel)")
        }
        // Row by row, block by block (an embedding lookup reads single rows).
        #expect(matrix.rows([1, 0]).scalars == Array(expected.scalars[256...]) + Array(expected.scalars[..<256]))
        #expect(!expected.scalars.allSatisfy { $0 == 0 })
    }

    @Test func refusesATypeItDoesNotReadNamingIt() throws {
        let file = try GGUF.open(path: typesFile)
        #expect(file.info("Q2_K")?.type == .q2_K)
        for attempt in [{ _ = try file.floats("Q2_K") }, { _ = try file.quantized("Q2_K") }] {
            do {
                try attempt()
                Issue.record("a Q2_K tensor was read")
            } catch let error as ModelError {
                #expect(error.description == "\(typesFile): tensor Q2_K is of type Q2_K, which the explorer does not read (it reads F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K)")
            }
        }
        #expect(throws: ModelError.missingTensor(name: "nope", file: typesFile)) { try file.floats("nope") }
    }

    @Test func version2ReadsAsVersion3AndTheMagicIsWhatCounts() throws {
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: typesFile)))
        bytes[4] = 2
        let directory = try TemporaryDirectory()
        let blob = try directory.write("sha256-0123abcd", bytes)
        #expect(GGUF.isGGUF(path: blob))
        let file = try GGUF.open(path: blob)
        #expect(file.version == 2)
        #expect(try file.floats("Q6_K") == (try GGUF.open(path: typesFile).floats("Q6_K")))
        #expect(!GGUF.isGGUF(path: directory.path))
        #expect(!GGUF.isGGUF(path: Repository.path("Models/tiny-gpt/model.safetensors")))
        #expect(!GGUF.isGGUF(path: directory.file("missing")))
    }
}
