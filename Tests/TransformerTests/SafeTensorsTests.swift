import Foundation
import Testing
@testable import Tensor
@testable import Transformer

// MARK: - Helpers

/// Little-endian bytes of values.
private func bytes(_ floats: [Float]) -> [UInt8] { floats.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) } }
private func bytes(_ halves: [UInt16]) -> [UInt8] { halves.flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) } }
private func bytes(_ doubles: [Double]) -> [UInt8] { doubles.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) } }

/// A safetensors file: the 8-byte length (`declaredLength`, or the header's true length), the
/// header text, then `data`.
private func file(_ header: String, _ data: [UInt8] = [], declaredLength: UInt64? = nil) -> [UInt8] {
    let text = Array(header.utf8)
    return withUnsafeBytes(of: (declaredLength ?? UInt64(text.count)).littleEndian, Array.init) + text + data
}

/// Loads `contents` from a file called model.safetensors and returns the reason the load failed
/// (the error's text after "path: "); records an issue if it loaded.
private func failure(_ contents: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    let directory = try TemporaryDirectory()
    let path = try directory.write("model.safetensors", contents)
    do {
        _ = try SafeTensors.load(path: path)
    } catch let error as ModelError {
        let text = error.description
        #expect(text.hasPrefix(path + ": "), "error does not name the file: \(text)", sourceLocation: sourceLocation)
        return String(text.dropFirst(path.count + 2))
    }
    Issue.record("a corrupt file loaded without error", sourceLocation: sourceLocation)
    return ""
}

// MARK: - Round trip and layout

@Suite struct SafeTensorsRoundTrip {
    @Test func writeThenLoadGivesTheSameTensors() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("model.safetensors")
        let tensors: [String: Tensor] = [
            "embed.W_E": Tensor(shape: [3, 2], scalars: [1, -2, 0.5, 1e-8, -0.0, 3.25]),
            "blocks.0.attn.W_Q": Tensor(shape: [2, 2, 3], scalars: (0..<12).map { Float($0) / 7 }),
            "ln_final.b": Tensor(shape: [], scalars: [42]),
            "empty": Tensor(shape: [0, 4]),
            "naïve \"quoted\" name\n": Tensor(shape: [1], scalars: [.infinity]),
        ]
        let metadata = ["format": "pt", "note": "line\nbreak \"and\" \\ backslash"]
        try SafeTensors.write(tensors, metadata: metadata, to: path)

        let archive = try SafeTensors.load(path: path)
        #expect(archive.tensors == tensors)
        #expect(archive.metadata == metadata)
        #expect(archive.skipped.isEmpty)
        #expect(archive.entries.map(\.name) == tensors.keys.sorted())
        #expect(archive.entries.allSatisfy { $0.dtype == .f32 })
        #expect(try archive.parameters.require("embed.W_E", shape: [3, 2]) == tensors["embed.W_E"])
    }

    @Test func f32TensorsViewTheMappingWithoutCopying() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("model.safetensors")
        try SafeTensors.write(["a": Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]), "b": Tensor(shape: [3], scalars: [5, 6, 7])], to: path)
        let archive = try SafeTensors.load(path: path)
        let a = try #require(archive.tensors["a"])
        #expect(!a.storage.ownsMemory)            // a view of the mapped file
        #expect(a.storage.owner is MappedFile)
        // Writing copies first; the file is untouched.
        var b = try #require(archive.tensors["b"])
        b[0] = 9
        #expect(b.scalars == [9, 6, 7])
        #expect(try SafeTensors.load(path: path).tensors["b"]?.scalars == [5, 6, 7])
    }

    @Test func misalignedF32DataIsCopied() throws {
        // Pad the header so the data starts one byte past a multiple of 4.
        var header = #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
        while (8 + header.utf8.count) % 4 != 1 { header += " " }
        let directory = try TemporaryDirectory()
        let path = try directory.write("odd.safetensors", file(header, bytes([1.5, -2.5] as [Float])))
        let w = try #require(try SafeTensors.load(path: path).tensors["w"])
        #expect(w.scalars == [1.5, -2.5])
        #expect(w.storage.ownsMemory)
    }

    @Test func headerIsSortedSpacePaddedJSON() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("small.safetensors")
        try SafeTensors.write(["b": Tensor(shape: [2], scalars: [3, 4]), "a": Tensor(shape: [1], scalars: [2])], to: path)
        let written = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let json = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        let padded = json + String(repeating: " ", count: (8 - json.utf8.count % 8) % 8)
        #expect(written == file(padded, bytes([2, 3, 4] as [Float])))
        #expect(padded.utf8.count % 8 == 0)
    }

    @Test func layoutReadsTheHeaderAlone() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("small.safetensors")
        try SafeTensors.write(["b": Tensor(shape: [2], scalars: [3, 4]), "a": Tensor(shape: [1], scalars: [2])],
                              metadata: ["format": "pt"], to: path)
        let layout = try SafeTensors.layout(path: path)
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
        #expect(layout.fileLength == size)
        #expect(layout.dataLength == 12)
        #expect(layout.headerLength % 8 == 0 && layout.headerLength > 0)
        #expect(layout.entries.map(\.name) == ["a", "b"])
        #expect(layout.entries[1].shape == [2] && layout.entries[1].dataOffsets == 4..<12)
        #expect(layout.metadata == ["format": "pt"])
        #expect(throws: ModelError.self) { try SafeTensors.layout(path: directory.file("missing.safetensors")) }
    }

    @Test func metadataComesFirstAndEmptyFilesAreValid() throws {
        #expect(SafeTensors.encodeHeader([], metadata: [:]) == Array("{}      ".utf8))
        let header = String(decoding: SafeTensors.encodeHeader([("x", [2])], metadata: ["k": "v"]), as: UTF8.self)
        #expect(header.hasPrefix(#"{"__metadata__":{"k":"v"},"x":{"#))

        let directory = try TemporaryDirectory()
        let path = directory.file("none.safetensors")
        try SafeTensors.write([:], to: path)
        let archive = try SafeTensors.load(path: path)
        #expect(archive.tensors.isEmpty && archive.metadata.isEmpty)
    }

    @Test func writingReplacesAtomicallyAndLeavesNoTemporaryFiles() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("model.safetensors")
        try SafeTensors.write(["x": Tensor(shape: [1], scalars: [1])], to: path)
        let old = try SafeTensors.load(path: path)          // keeps the old file mapped
        try SafeTensors.write(["x": Tensor(shape: [2], scalars: [2, 3])], to: path)
        #expect(old.tensors["x"]?.scalars == [1])            // the old mapping is intact
        #expect(try SafeTensors.load(path: path).tensors["x"]?.scalars == [2, 3])
        #expect(try directory.contents() == ["model.safetensors"])
    }

    @Test func writeErrorsNameThePath() throws {
        let directory = try TemporaryDirectory()
        let missing = directory.file("no/such/dir/model.safetensors")
        #expect(throws: ModelError.self) { try SafeTensors.write(["x": Tensor(shape: [1])], to: missing) }
        do { try SafeTensors.write(["x": Tensor(shape: [1])], to: missing) } catch {
            #expect("\(error)".hasPrefix(missing + ": "))
        }
        let reserved = directory.file("r.safetensors")
        #expect(throws: ModelError.self) { try SafeTensors.write(["__metadata__": Tensor(shape: [1])], to: reserved) }
        #expect(try directory.contents().isEmpty)
    }

    @Test func missingFileAndDirectory() throws {
        let directory = try TemporaryDirectory()
        let nowhere = directory.file("absent.safetensors")
        #expect(throws: ModelError.missingFile(nowhere)) { try SafeTensors.load(path: nowhere) }
        #expect(throws: ModelError.badFile(path: directory.path, reason: "is a directory, not a regular file")) {
            try SafeTensors.load(path: directory.path)
        }
    }
}

// MARK: - Other dtypes

@Suite struct SafeTensorsDTypes {
    @Test func float16BitPatterns() {
        let cases: [(UInt16, Float)] = [
            (0x3C00, 1), (0xC000, -2), (0x0000, 0), (0x3800, 0.5), (0x4248, 3.140625),
            (0x7BFF, 65504),                       // largest finite
            (0x0400, 0x1p-14),                     // smallest normal
            (0x0001, 0x1p-24),                     // smallest subnormal
            (0x03FF, 1023 * 0x1p-24),              // largest subnormal
            (0x8001, -0x1p-24), (0x0200, 0x1p-15),
            (0x7C00, .infinity), (0xFC00, -.infinity),
        ]
        for (bits, value) in cases {
            #expect(HalfPrecision.float(fromFloat16: bits) == value, "F16 0x\(String(bits, radix: 16))")
        }
        #expect(HalfPrecision.float(fromFloat16: 0x8000).bitPattern == (-0.0 as Float).bitPattern)
        #expect(HalfPrecision.float(fromFloat16: 0x7E00).isNaN)
        #expect(HalfPrecision.float(fromFloat16: 0x7C01).isNaN)      // signalling NaN stays NaN
        #expect(HalfPrecision.float(fromFloat16: 0xFE00).isNaN)
    }

    #if !(os(macOS) && arch(x86_64))
    @Test func float16AgreesWithTheStandardLibraryOnAllPatterns() {
        for bits in UInt16.min...UInt16.max {
            let ours = HalfPrecision.float(fromFloat16: bits)
            let reference = Float(Float16(bitPattern: bits))
            if reference.isNaN {
                #expect(ours.isNaN && ours.sign == reference.sign, "F16 0x\(String(bits, radix: 16))")
            } else {
                #expect(ours.bitPattern == reference.bitPattern, "F16 0x\(String(bits, radix: 16))")
            }
        }
    }
    #endif

    @Test func bfloat16BitPatterns() {
        let cases: [(UInt16, Float)] = [
            (0x3F80, 1), (0xC000, -2), (0x0000, 0), (0x3F00, 0.5), (0x4049, 3.140625),
            (0x7F80, .infinity), (0xFF80, -.infinity), (0x0001, 0x1p-133), (0x0080, 0x1p-126),
        ]
        for (bits, value) in cases {
            #expect(HalfPrecision.float(fromBFloat16: bits) == value, "BF16 0x\(String(bits, radix: 16))")
        }
        #expect(HalfPrecision.float(fromBFloat16: 0x7FC0).isNaN)
    }

    @Test func f16BF16AndF64TensorsAreConverted() throws {
        let header = """
            {"h":{"dtype":"F16","shape":[2,2],"data_offsets":[0,8]},\
            "b":{"dtype":"BF16","shape":[3],"data_offsets":[8,14]},\
            "d":{"dtype":"F64","shape":[2],"data_offsets":[14,30]}}
            """
        let data = bytes([0x3C00, 0xC000, 0x7C00, 0x0001] as [UInt16])
            + bytes([0x3F80, 0xC000, 0x4049] as [UInt16])
            + bytes([0.1, -1e300] as [Double])
        let directory = try TemporaryDirectory()
        let archive = try SafeTensors.load(path: try directory.write("m.safetensors", file(header, data)))
        #expect(archive.tensors["h"] == Tensor(shape: [2, 2], scalars: [1, -2, .infinity, 0x1p-24]))
        #expect(archive.tensors["b"] == Tensor(shape: [3], scalars: [1, -2, 3.140625]))
        #expect(archive.tensors["d"] == Tensor(shape: [2], scalars: [Float(0.1), -.infinity]))
        #expect(archive.entries.map(\.dtype) == [.f16, .bf16, .f64])
    }

    @Test func integerBoolAndQuantisedTensorsAreSkippedWithAReason() throws {
        let header = """
            {"__metadata__":{"format":"pt"},\
            "embeddings.position_ids":{"dtype":"I64","shape":[1,2],"data_offsets":[0,16]},\
            "mask":{"dtype":"BOOL","shape":[2],"data_offsets":[16,18]},\
            "q":{"dtype":"F8_E4M3","shape":[2],"data_offsets":[18,20]},\
            "packed":{"dtype":"F4","shape":[4],"data_offsets":[20,22]},\
            "w":{"dtype":"F32","shape":[1],"data_offsets":[22,26]}}
            """
        let data = [UInt8](repeating: 0, count: 22) + bytes([7] as [Float])
        let directory = try TemporaryDirectory()
        let archive = try SafeTensors.load(path: try directory.write("bert.safetensors", file(header, data)))
        #expect(archive.tensors == ["w": Tensor(shape: [1], scalars: [7])])
        #expect(archive.metadata == ["format": "pt"])
        #expect(Set(archive.skipped.keys) == ["embeddings.position_ids", "mask", "q", "packed"])
        #expect(archive.skipped["embeddings.position_ids"]?.contains("integer tensor (I64)") == true)
        #expect(archive.skipped["mask"]?.contains("BOOL") == true)
        #expect(archive.skipped["q"]?.contains("F8_E4M3") == true)
        #expect(archive.entries.map(\.name) == ["embeddings.position_ids", "mask", "q", "packed", "w"])
    }
}

// MARK: - Corrupted files

@Suite struct SafeTensorsCorruption {
    private let w = #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
    private let eight = [UInt8](repeating: 0, count: 8)

    @Test func emptyFile() throws {
        #expect(try failure([]).contains("file is empty"))
    }

    @Test func shorterThanTheLengthField() throws {
        #expect(try failure([1, 2, 3, 4, 5]).contains("only 5 bytes long"))
    }

    @Test func headerCutOff() throws {
        let whole = file(w, eight)
        let reason = try failure(Array(whole.prefix(30)))
        #expect(reason.contains("header length \(w.utf8.count) runs past the end of the file"))
        #expect(reason.contains("only 22 bytes follow"))
    }

    @Test func headerLengthLargerThanTheFile() throws {
        #expect(try failure(file(w, eight, declaredLength: 10_000)).contains("header length 10000 runs past the end of the file"))
        #expect(try failure(file(w, eight, declaredLength: 200_000_000)).contains("exceeds the 100000000-byte limit"))
        #expect(try failure(file(w, eight, declaredLength: .max)).contains("exceeds the 100000000-byte limit"))
    }

    @Test func headerNotJSON() throws {
        #expect(try failure(file("{not json}   ", eight)).contains("header is not valid JSON"))
        #expect(try failure(file("", [])).contains("header is not valid JSON"))
        #expect(try failure(file("{} \0\0\0\0\0")).contains("header is not valid JSON"))
        #expect(try failure([8, 0, 0, 0, 0, 0, 0, 0, 0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D, 0x20]).contains("not valid UTF-8"))
        // UTF-16 JSON is still not a safetensors header.
        let utf16 = Array("{}  ".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        #expect(try failure([8, 0, 0, 0, 0, 0, 0, 0] + utf16).contains("contains a NUL byte at header offset 1"))
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(try failure(file(deep)).contains("header is not valid JSON"))
    }

    @Test func headerJSONNotAnObject() throws {
        #expect(try failure(file("[1, 2, 3]")).contains("not an object mapping tensor names to entries (it is a list)"))
        #expect(try failure(file(#""text"  "#)).contains("not an object"))
        #expect(try failure(file("42")).contains("not an object"))
    }

    @Test func entryMissingAField() throws {
        #expect(try failure(file(#"{"w":{"shape":[2],"data_offsets":[0,8]}}"#, eight)) == #"tensor w: entry has no "dtype""#)
        #expect(try failure(file(#"{"w":{"dtype":"F32","data_offsets":[0,8]}}"#, eight)) == #"tensor w: entry has no "shape""#)
        #expect(try failure(file(#"{"w":{"dtype":"F32","shape":[2]}}"#, eight)) == #"tensor w: entry has no "data_offsets""#)
        #expect(try failure(file(#"{"w":[1,2]}"#, eight)).hasPrefix("tensor w: entry is a list, not an object"))
    }

    @Test func malformedFields() throws {
        func entry(_ fields: String) -> [UInt8] { file(#"{"w":{"# + fields + "}}", eight) }
        #expect(try failure(entry(#""dtype":32,"shape":[2],"data_offsets":[0,8]"#)) == #"tensor w: "dtype" is 32, not a string"#)
        #expect(try failure(entry(#""dtype":"F32","shape":2,"data_offsets":[0,8]"#)).contains(#""shape" is 2, not a list"#))
        #expect(try failure(entry(#""dtype":"F32","shape":[1.5],"data_offsets":[0,8]"#)).contains("shape entry 1.5 is not an integer"))
        #expect(try failure(entry(#""dtype":"F32","shape":[true],"data_offsets":[0,8]"#)).contains("shape entry true is not an integer"))
        #expect(try failure(entry(#""dtype":"F32","shape":["2"],"data_offsets":[0,8]"#)).contains("shape entry the string \"2\" is not an integer"))
        #expect(try failure(entry(#""dtype":"F32","shape":[1e30],"data_offsets":[0,8]"#)).contains("is not an integer"))
        #expect(try failure(entry(#""dtype":"F32","shape":[18446744073709551615],"data_offsets":[0,8]"#)).contains("is not an integer that fits in 64 bits"))
        #expect(try failure(entry(#""dtype":"F32","shape":[2],"data_offsets":[0]"#)).contains(#""data_offsets" is a list, not a pair [begin, end]"#))
        #expect(try failure(entry(#""dtype":"F32","shape":[2],"data_offsets":"0-8""#)).contains(#""data_offsets" is the string"#))
        #expect(try failure(entry(#""dtype":"F32","shape":[2],"data_offsets":[-8,0]"#)) == "tensor w: data_offsets [-8, 0] are negative")
        #expect(try failure(entry(#""dtype":"F32","shape":[2],"data_offsets":[8,0]"#)) == "tensor w: data_offsets [8, 0] end before they begin")
        #expect(try failure(file(#"{"__metadata__":[1],"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, eight)).contains(#""__metadata__" is a list, not an object of strings"#))
        #expect(try failure(file(#"{"__metadata__":{"n":1},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, eight)).contains(#""__metadata__" entry "n" is 1, not a string"#))
    }

    @Test func offsetsPastTheEnd() throws {
        let header = #"{"blocks.0.attn.W_Q":{"dtype":"F32","shape":[20],"data_offsets":[10,90]}}"#
        #expect(try failure(file(header, [UInt8](repeating: 0, count: 80)))
                == "tensor blocks.0.attn.W_Q: data_offsets [10, 90] run past the end of the data (80 bytes)")
    }

    @Test func overlappingTensors() throws {
        let header = #"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}}"#
        #expect(try failure(file(header, [UInt8](repeating: 0, count: 24)))
                == "tensor b: data_offsets [8, 24] overlap tensor a's [0, 16]")
        let same = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
        #expect(try failure(file(same, eight)).contains("overlap tensor a's [0, 8]"))
    }

    @Test func gapsAndUncoveredBytes() throws {
        let gap = #"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[4],"data_offsets":[20,36]}}"#
        #expect(try failure(file(gap, [UInt8](repeating: 0, count: 36)))
                == "tensor b: data_offsets [20, 36] leave a gap of 4 unused bytes after tensor a's [0, 16]")
        let leading = #"{"a":{"dtype":"F32","shape":[4],"data_offsets":[4,20]}}"#
        #expect(try failure(file(leading, [UInt8](repeating: 0, count: 20)))
                == "tensor a: data_offsets [4, 20] leave 4 unused bytes at the start of the data")
        #expect(try failure(file(w, eight + [1, 2, 3])).contains("tensor w is the last and ends at byte 8 of the data, but the data is 11 bytes; 3 trailing bytes"))
        #expect(try failure(file("{}", [0, 0])) == "header lists no tensors but 2 bytes of data follow it")
    }

    @Test func shapeDisagreesWithTheByteSpan() throws {
        let header = #"{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,20]}}"#
        #expect(try failure(file(header, [UInt8](repeating: 0, count: 20)))
                == "tensor w: shape [2, 3] of F32 needs 24 bytes but data_offsets [0, 20] span 20")
        let packed = #"{"w":{"dtype":"F4","shape":[3],"data_offsets":[0,2]}}"#
        #expect(try failure(file(packed, [0, 0])).contains("is 12 bits, not a whole number of bytes"))
    }

    @Test func unknownDType() throws {
        let header = #"{"w":{"dtype":"Q4_K","shape":[2],"data_offsets":[0,8]}}"#
        let reason = try failure(file(header, eight))
        #expect(reason.hasPrefix(#"tensor w: unknown dtype "Q4_K" (known: BOOL, U8"#))
    }

    @Test func negativeDimension() throws {
        let header = #"{"w":{"dtype":"F32","shape":[2,-1],"data_offsets":[0,8]}}"#
        #expect(try failure(file(header, eight)) == "tensor w: negative dimension -1 in shape [2, -1]")
    }

    @Test func absurdShapesOverflowWithoutTrapping() throws {
        let elements = #"{"w":{"dtype":"F32","shape":[4294967296,4294967296,16],"data_offsets":[0,8]}}"#
        #expect(try failure(file(elements, eight)).contains("has too many elements (the count overflows 64 bits)"))
        let bytes = #"{"w":{"dtype":"F64","shape":[2305843009213693952],"data_offsets":[0,8]}}"#
        #expect(try failure(file(bytes, eight)).contains("is too large (the byte size overflows 64 bits)"))
        let big = #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[9223372036854775807,9223372036854775807]}}"#
        #expect(try failure(file(big, eight)).contains("run past the end of the data"))
    }

    /// Every truncation and many single-byte corruptions of a valid file are reported, never a crash.
    @Test func mutatedFilesNeverCrash() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("model.safetensors")
        try SafeTensors.write(["a": Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]), "b": Tensor(shape: [1], scalars: [5])],
                              metadata: ["k": "v"], to: path)
        let valid = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let target = directory.file("mutant.safetensors")
        for length in 0..<valid.count {
            try Data(valid.prefix(length)).write(to: URL(fileURLWithPath: target))
            #expect(throws: ModelError.self) { try SafeTensors.load(path: target) }
        }
        let replacements: [UInt8] = [0x00, 0x20, 0x22, 0x2C, 0x2D, 0x30, 0x39, 0x5B, 0x7B, 0x7D, 0xFF]
        var loaded = 0, rejected = 0
        for position in 0..<valid.count {
            for byte in replacements where valid[position] != byte {
                var mutant = valid
                mutant[position] = byte
                try Data(mutant).write(to: URL(fileURLWithPath: target))
                do { _ = try SafeTensors.load(path: target); loaded += 1 } catch is ModelError { rejected += 1 }
            }
        }
        #expect(rejected > 0 && loaded > 0)   // data bytes may change freely; header damage is caught
    }
}
