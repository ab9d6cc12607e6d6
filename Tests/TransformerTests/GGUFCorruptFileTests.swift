import Foundation
import Testing
@testable import Tensor
@testable import Transformer

// MARK: - Helpers

/// A GGUF file built byte by byte, so that each test can break one field.
private struct GGUFBytes {
    var bytes: [UInt8] = []

    mutating func u32(_ v: UInt32) { bytes += withUnsafeBytes(of: v.littleEndian, Array.init) }
    mutating func u64(_ v: UInt64) { bytes += withUnsafeBytes(of: v.littleEndian, Array.init) }
    mutating func string(_ s: String) {
        u64(UInt64(s.utf8.count))
        bytes += Array(s.utf8)
    }
    mutating func pad(to alignment: Int) {
        while bytes.count % alignment != 0 { bytes.append(0) }
    }

    /// Header with `tensors` tensor infos and `keys` key/values to follow.
    static func header(version: UInt32 = 3, tensors: UInt64, keys: UInt64) -> GGUFBytes {
        var b = GGUFBytes(bytes: Array("GGUF".utf8))
        b.u32(version)
        b.u64(tensors)
        b.u64(keys)
        return b
    }

    mutating func tensorInfo(_ name: String, dims: [UInt64], type: UInt32, offset: UInt64) {
        string(name)
        u32(UInt32(dims.count))
        for d in dims { u64(d) }
        u32(type)
        u64(offset)
    }
}

/// A valid file: metadata `general.architecture` = "llama", one F32 tensor `w` of shape [2, 3]
/// (dims 3, 2) holding 1…6, and one Q8_0 tensor `q` of one block.
private func validFile() -> [UInt8] {
    var b = GGUFBytes.header(tensors: 2, keys: 1)
    b.string("general.architecture")
    b.u32(8)
    b.string("llama")
    b.tensorInfo("w", dims: [3, 2], type: 0, offset: 0)
    b.tensorInfo("q", dims: [32], type: 8, offset: 32)
    b.pad(to: 32)
    for v in 1...6 { b.u32(Float(v).bitPattern) }
    b.pad(to: 32)
    b.bytes += [0x00, 0x3C] + (0..<32).map { UInt8($0) }   // d = 1, q = 0…31
    return b.bytes
}

/// Opens `contents` as a file called model.gguf and returns the reason it failed (the error's text
/// after "path: "); records an issue if it opened.
private func failure(_ contents: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    let directory = try TemporaryDirectory()
    let path = try directory.write("model.gguf", contents)
    do {
        _ = try GGUF.open(path: path)
    } catch let error as ModelError {
        let text = error.description
        #expect(text.hasPrefix(path + ": "), "error does not name the file: \(text)", sourceLocation: sourceLocation)
        return String(text.dropFirst(path.count + 2))
    }
    Issue.record("a corrupt file opened without error", sourceLocation: sourceLocation)
    return ""
}

// MARK: - Tests

@Suite struct GGUFCorruptFiles {
    @Test func theValidFileOpens() throws {
        let directory = try TemporaryDirectory()
        let file = try GGUF.open(path: try directory.write("model.gguf", validFile()))
        #expect(try file.floats("w") == Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]))
        #expect(try file.floats("q").scalars == (0..<32).map(Float.init))
    }

    @Test func emptyShortAndWrongMagic() throws {
        #expect(try failure([]) == "file is empty; a GGUF file starts with the magic \"GGUF\"")
        #expect(try failure(Array("GGU".utf8)) == "not a GGUF file (it starts with bytes 47 47 55, not the magic \"GGUF\")")
        #expect(try failure(Array("{\"a\": 1}".utf8)) == "not a GGUF file (it starts with bytes 7B 22 61 22, not the magic \"GGUF\")")
    }

    @Test func versions() throws {
        #expect(try failure(GGUFBytes.header(version: 1, tensors: 0, keys: 0).bytes).contains("GGUF version 1 is not supported"))
        #expect(try failure(GGUFBytes.header(version: 0x0300_0000, tensors: 0, keys: 0).bytes)
                    .contains("looks byte-swapped: big-endian GGUF files are not supported"))
        #expect(try failure(GGUFBytes.header(version: 7, tensors: 0, keys: 0).bytes) == "GGUF version 7 is not supported (versions 2 and 3 are)")
    }

    @Test func truncatedAnywhereBeforeTheLastTensorsEnd() throws {
        let valid = validFile()
        let directory = try TemporaryDirectory()
        let path = directory.file("model.gguf")
        for length in 0..<valid.count {
            try Data(valid.prefix(length)).write(to: URL(fileURLWithPath: path))
            #expect(throws: ModelError.self, "length \(length)") { try GGUF.open(path: path) }
        }
        #expect(try failure(Array(valid.prefix(100))) == "file ends inside type of tensor w at byte 98 (needs 4 bytes, 2 left); the file is truncated")
        #expect(try failure(Array(valid.prefix(valid.count - 1)))
                    .contains("tensor q: its 34 bytes of Q8_0 [32] at data offset 32 run past the end of the file (the data section is 65 bytes)"))
    }

    @Test func absurdCountsAndLengths() throws {
        #expect(try failure(GGUFBytes.header(tensors: 1 << 40, keys: 0).bytes)
                    == "tensor count 1099511627776 at byte 8 is larger than the file could hold (8 bytes left); the file is corrupt")
        #expect(try failure(GGUFBytes.header(tensors: 0, keys: UInt64.max).bytes)
                    .hasPrefix("metadata count 18446744073709551615 at byte 16 is larger than the file could hold"))
        var long = GGUFBytes.header(tensors: 0, keys: 1)
        long.u64(1 << 50)
        long.bytes += [UInt8](repeating: 0, count: 16)
        #expect(try failure(long.bytes).hasPrefix("length of key of metadata entry 0 1125899906842624 at byte 24 is larger than the file could hold"))
        var array = GGUFBytes.header(tensors: 0, keys: 1)
        array.string("tokenizer.ggml.tokens")
        array.u32(9)
        array.u32(8)
        array.u64(1 << 33)
        #expect(try failure(array.bytes).hasPrefix("element count of metadata tokenizer.ggml.tokens 8589934592 at byte"))
        var nested = GGUFBytes.header(tensors: 0, keys: 1)
        nested.string("deep")
        nested.u32(9)
        for _ in 0..<20 { nested.u32(9); nested.u64(1) }
        #expect(try failure(nested.bytes).contains("nests arrays more than 8 deep"))
    }

    @Test func unknownTypesAndBadValues() throws {
        var value = GGUFBytes.header(tensors: 0, keys: 1)
        value.string("k")
        value.u32(13)
        #expect(try failure(value.bytes) == "metadata k has unknown value type 13 at byte 33 (known: 0 to 12)")
        var flag = GGUFBytes.header(tensors: 0, keys: 1)
        flag.string("k")
        flag.u32(7)
        flag.bytes.append(2)
        #expect(try failure(flag.bytes) == "metadata k at byte 37 is a bool of value 2, not 0 or 1")
        var key = GGUFBytes.header(tensors: 0, keys: 1)
        key.u64(2)
        key.bytes += [0xC3, 0x28, 0, 0, 0, 0, 1]
        #expect(try failure(key.bytes) == "key of metadata entry 0 at byte 24 is not valid UTF-8")
        var twice = GGUFBytes.header(tensors: 0, keys: 2)
        for _ in 0..<2 { twice.string("k"); twice.u32(0); twice.bytes.append(1) }
        #expect(try failure(twice.bytes) == "metadata key k appears twice")
        var tensorType = GGUFBytes.header(tensors: 1, keys: 0)
        tensorType.tensorInfo("w", dims: [4], type: 31, offset: 0)
        tensorType.pad(to: 32)
        tensorType.bytes += [UInt8](repeating: 0, count: 16)
        #expect(try failure(tensorType.bytes) == "tensor w: unknown tensor type 31")
    }

    @Test func alignment() throws {
        for (type, value, message) in [(UInt32(4), UInt32(24), "metadata general.alignment 24 is not a power of two up to 1 MiB"),
                                       (UInt32(4), UInt32(0), "metadata general.alignment 0 is not a power of two up to 1 MiB"),
                                       (UInt32(5), UInt32(32), "metadata general.alignment is int32, not uint32")] {
            var b = GGUFBytes.header(tensors: 0, keys: 1)
            b.string("general.alignment")
            b.u32(type)
            b.u32(value)
            #expect(try failure(b.bytes) == message)
        }
        var misaligned = GGUFBytes.header(tensors: 1, keys: 0)
        misaligned.tensorInfo("w", dims: [1], type: 0, offset: 4)
        misaligned.pad(to: 32)
        misaligned.bytes += [UInt8](repeating: 0, count: 8)
        #expect(try failure(misaligned.bytes) == "tensor w: data offset 4 is not a multiple of the alignment 32")
    }

    @Test func tensorInfosThatDisagreeWithTheFile() throws {
        func one(dims: [UInt64], type: UInt32 = 0, offset: UInt64 = 0, data: Int = 64) -> [UInt8] {
            var b = GGUFBytes.header(tensors: 1, keys: 0)
            b.tensorInfo("w", dims: dims, type: type, offset: offset)
            b.pad(to: 32)
            b.bytes += [UInt8](repeating: 0, count: data)
            return b.bytes
        }
        #expect(try failure(one(dims: [16], offset: 1 << 62)).contains("tensor w: its 64 bytes of F32 [16] at data offset 4611686018427387904 run past the end of the file"))
        #expect(try failure(one(dims: [17])).contains("tensor w: its 68 bytes of F32 [17] at data offset 0 run past the end of the file (the data section is 64 bytes)"))
        #expect(try failure(one(dims: [33], type: 8)) == "tensor w: rows of 33 elements are not a whole number of Q8_0 blocks of 32")
        #expect(try failure(one(dims: [])) == "tensor w: has 0 axes; a GGUF tensor has 1 to 4")
        #expect(try failure(one(dims: [1, 1, 1, 1, 1])) == "tensor w: has 5 axes; a GGUF tensor has 1 to 4")
        #expect(try failure(one(dims: [1 << 40])) == "tensor w: axis 0 has length 1099511627776, more than the 2147483647 accepted")
        #expect(try failure(one(dims: [1 << 31 - 1, 1 << 31 - 1, 1 << 31 - 1]))
                    == "tensor w: shape [2147483647, 2147483647, 2147483647] of F32 is too large (the byte size overflows 64 bits)")

        var overlap = GGUFBytes.header(tensors: 2, keys: 0)
        overlap.tensorInfo("a", dims: [16], type: 0, offset: 0)
        overlap.tensorInfo("b", dims: [8], type: 0, offset: 32)
        overlap.pad(to: 32)
        overlap.bytes += [UInt8](repeating: 0, count: 64)
        #expect(try failure(overlap.bytes) == "tensor b: data at offset 32 overlaps tensor a's 64 bytes at offset 0")
        var twice = GGUFBytes.header(tensors: 2, keys: 0)
        twice.tensorInfo("a", dims: [1], type: 0, offset: 0)
        twice.tensorInfo("a", dims: [1], type: 0, offset: 32)
        #expect(try failure(twice.bytes) == "tensor a appears twice")
    }

    /// Many single-byte corruptions of a valid file are reported or read, never a crash.
    @Test func mutatedFilesNeverCrash() throws {
        let valid = validFile()
        let directory = try TemporaryDirectory()
        let path = directory.file("mutant.gguf")
        var opened = 0, rejected = 0
        for position in 0..<valid.count {
            for byte: UInt8 in [0x00, 0x07, 0xFF] where valid[position] != byte {
                var mutant = valid
                mutant[position] = byte
                try Data(mutant).write(to: URL(fileURLWithPath: path))
                do {
                    let file = try GGUF.open(path: path)
                    for info in file.tensors where info.type.isSupported { _ = try file.floats(info.name) }
                    opened += 1
                } catch is ModelError { rejected += 1 }
            }
        }
        #expect(rejected > 0 && opened > 0)
    }
}
