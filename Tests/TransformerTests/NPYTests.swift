import Foundation
import Testing
import Tensor
@testable import Transformer

/// A `.npy` file from its parts: version, header text (padded by the caller or not) and data.
private func npy(major: UInt8 = 1, _ text: String, _ data: [UInt8] = []) -> [UInt8] {
    let header = Array(text.utf8)
    let length: [UInt8] = major == 1
        ? withUnsafeBytes(of: UInt16(header.count).littleEndian, Array.init)
        : withUnsafeBytes(of: UInt32(header.count).littleEndian, Array.init)
    return [0x93] + Array("NUMPY".utf8) + [major, 0] + length + header + data
}

private func le(_ floats: [Float]) -> [UInt8] { floats.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) } }
private func le(_ doubles: [Double]) -> [UInt8] { doubles.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) } }

/// Decodes `bytes` and returns the error's reason (after "path: "); records an issue if it decoded.
private func failure(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> String {
    do {
        _ = try bytes.withUnsafeBytes { try NPY.decode($0, path: "x.npy") }
    } catch let error as ModelError {
        let text = error.description
        #expect(text.hasPrefix("x.npy: "), sourceLocation: sourceLocation)
        return String(text.dropFirst("x.npy: ".count))
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
    }
    Issue.record("a bad .npy file decoded without error", sourceLocation: sourceLocation)
    return ""
}

@Suite struct NPYFormat {
    @Test func headerBytesForASmallTensor() {
        // The dict is 59 characters; magic (6) + version (2) + length (2) + dict + "\n" = 70, so
        // 58 spaces of padding bring the header to 128 = 2 × 64, and the length field says 118.
        let tensor = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"
        #expect(dict.utf8.count == 59)
        let expected: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 0x01, 0x00, 0x76, 0x00]
            + Array(dict.utf8) + [UInt8](repeating: 0x20, count: 58) + [0x0A]
            + [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x40, 0x40,   // 1, 2, 3
               0x00, 0x00, 0x80, 0x40, 0x00, 0x00, 0xA0, 0x40, 0x00, 0x00, 0xC0, 0x40]   // 4, 5, 6
        #expect(NPY.encode(tensor) == expected)
    }

    @Test func scalarAndRankOneShapes() {
        let scalar = NPY.encode(Tensor(shape: [], scalars: [1.5]))
        #expect(String(decoding: scalar[10..<128], as: UTF8.self).hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (), }  "))
        let vector = NPY.encode(Tensor(shape: [3], scalars: [1, 2, 3]))
        #expect(String(decoding: vector[10..<128], as: UTF8.self).hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }  "))
        for bytes in [scalar, vector] {
            #expect(bytes[127] == 0x0A && Int(bytes[8]) + 10 == 128)
        }
    }

    @Test func everyHeaderIsAMultipleOf64() {
        for shape in [[], [0], [7], [1, 2, 3, 4, 5, 6, 7, 8], Array(repeating: 1, count: 40), [123_456_789, 0, 42]] {
            let bytes = NPY.encode(Tensor(shape: shape))
            let headerEnd = 10 + Int(bytes[8]) + Int(bytes[9]) << 8
            #expect(headerEnd % 64 == 0 && bytes[headerEnd - 1] == 0x0A, "shape \(shape)")
        }
    }

    @Test func roundTripThroughAFile() throws {
        let directory = try TemporaryDirectory()
        let tensors = [
            Tensor(shape: [], scalars: [-3.5]),
            Tensor(shape: [0]),
            Tensor(shape: [4], scalars: [0, -0.0, .infinity, .leastNonzeroMagnitude]),
            Tensor(shape: [2, 3, 4], scalars: (0..<24).map { Float($0) * 0.37 - 2 }),
        ]
        for (i, tensor) in tensors.enumerated() {
            let path = directory.file("t\(i).npy")
            try NPY.write(tensor, to: path)
            #expect(try NPY.read(path: path) == tensor)
            #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) == NPY.encode(tensor))
        }
        #expect(try directory.contents() == ["t0.npy", "t1.npy", "t2.npy", "t3.npy"])
    }

    @Test func readsVersion2AndFloat64() throws {
        let v2 = npy(major: 2, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n", le([1.25, -4] as [Float]))
        #expect(try v2.withUnsafeBytes { try NPY.decode($0, path: "v2.npy") } == Tensor(shape: [2], scalars: [1.25, -4]))
        // Keys in another order, double quotes, a Python 2 long and no trailing comma are all Python.
        let f8 = npy("{\"shape\": (1L, 2), \"fortran_order\": False, \"descr\": \"<f8\"}    \n", le([0.1, 1e300] as [Double]))
        #expect(try f8.withUnsafeBytes { try NPY.decode($0, path: "f8.npy") } == Tensor(shape: [1, 2], scalars: [Float(0.1), .infinity]))
    }

    @Test func rejectsWhatItCannotRead() {
        let f4 = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n"
        let data = le([1, 2] as [Float])
        #expect(failure([]).contains("not a .npy file"))
        #expect(failure(Array("PK\u{3}\u{4}rest".utf8)).contains("not a .npy file"))
        #expect(failure([0x93] + Array("NUMPY".utf8)).contains("cut off"))
        #expect(failure(npy(major: 4, f4, data)) == "unsupported .npy format version 4.0 (this reader handles 1.0, 2.0 and 3.0)")
        #expect(failure(Array(npy(f4, data).prefix(40))).contains("header length 58 runs past the end of the file"))
        #expect(failure(npy(f4.replacingOccurrences(of: "<f4", with: ">f4"), data)).contains("big-endian"))
        #expect(failure(npy(f4.replacingOccurrences(of: "<f4", with: "<i8"), data)).contains("dtype '<i8' is not supported"))
        #expect(failure(npy(f4.replacingOccurrences(of: "False", with: "True"), data)).contains("Fortran order"))
        #expect(failure(npy(f4, Array(data.prefix(6)))) == "data is truncated: shape [2] of '<f4' needs 8 bytes, the file holds 6")
        #expect(failure(npy(f4, data + [0])).contains("1 unexpected bytes after the array"))
        #expect(failure(npy("{'descr': '<f4', 'shape': (2,), }\n", data)).contains("exactly the keys"))
        #expect(failure(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': 1}\n", data)).contains("exactly the keys"))
        #expect(failure(npy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }\n", data)).contains("structured arrays"))
        #expect(failure(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }\n", data)).contains("negative dimension -2"))
        #expect(failure(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }\n", data)).contains("integer too large"))
        #expect(failure(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }\n", data)).contains("overflows"))
        #expect(failure(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,) \n", data)).contains("not a Python dict literal"))
        #expect(failure(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), } junk\n", data)).contains("unexpected text after the dict"))
        #expect(failure(npy(String(repeating: "(", count: 10_000), data)).contains("nesting too deep"))
        #expect(failure(npy("[1, 2]\n", data)) == ".npy header is not a dict")
    }

    @Test func missingFileIsReported() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("absent.npy")
        #expect(throws: ModelError.missingFile(path)) { try NPY.read(path: path) }
    }

    /// NumPy loads what the writer makes, and the reader loads what NumPy makes. Runs only where
    /// python3 with NumPy is installed.
    @Test func interoperatesWithNumPy() throws {
        let directory = try TemporaryDirectory()
        let cases: [(String, Tensor, String)] = [
            ("scalar", Tensor(shape: [], scalars: [2.5]), "()"),
            ("vector", Tensor(shape: [3], scalars: [1, -0.5, 1e-30]), "(3,)"),
            ("cube", Tensor(shape: [2, 3, 4], scalars: (0..<24).map { Float($0) / 8 }), "(2, 3, 4)"),
            ("empty", Tensor(shape: [2, 0]), "(2, 0)"),
        ]
        var checks = ["import numpy as np"]
        for (name, tensor, shape) in cases {
            let path = directory.file("\(name).npy")
            try NPY.write(tensor, to: path)
            let values = tensor.scalars.map { "\($0)" }.joined(separator: ", ")
            checks.append("a = np.load(\(pythonString(path)))")
            checks.append("assert a.dtype == np.float32 and a.shape == \(shape), (\(pythonString(name)), a.dtype, a.shape)")
            checks.append("assert a.ravel().tolist() == np.array([\(values)], dtype=np.float32).tolist(), \(pythonString(name))")
        }
        let fromNumPy = directory.file("from-numpy")
        checks.append("""
            a = np.arange(12, dtype=np.float32).reshape(3, 4) / 3
            np.save(\(pythonString(fromNumPy + "-f4.npy")), a)
            np.save(\(pythonString(fromNumPy + "-f8.npy")), a.astype(np.float64) - 1)
            np.save(\(pythonString(fromNumPy + "-scalar.npy")), np.float32(7))
            with open(\(pythonString(fromNumPy + "-v2.npy")), 'wb') as f:
                np.lib.format.write_array(f, a, version=(2, 0))
            print('ok')
            """)
        guard let (status, output) = runNumPy(checks.joined(separator: "\n")) else {
            print("NPYFormat.interoperatesWithNumPy: skipped, python3 with numpy is not available")
            return
        }
        #expect(status == 0, "numpy rejected a file: \(output)")
        guard status == 0 else { return }

        let expected = Tensor(shape: [3, 4], scalars: (0..<12).map { Float($0) / 3 })
        #expect(try NPY.read(path: fromNumPy + "-f4.npy") == expected)
        #expect(try NPY.read(path: fromNumPy + "-v2.npy") == expected)
        let f8 = try NPY.read(path: fromNumPy + "-f8.npy")
        #expect(f8.shape == [3, 4] && f8.scalars == (0..<12).map { Float(Double(Float($0) / 3) - 1) })
        #expect(try NPY.read(path: fromNumPy + "-scalar.npy") == Tensor(shape: [], scalars: [7]))
    }
}

/// `text` as a Python string literal.
private func pythonString(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
}
