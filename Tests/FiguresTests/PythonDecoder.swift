import Foundation

/// Decodes a PNG with python3's own zlib, independently of our encoder: checks the signature, every
/// chunk's CRC and the Adler-32 (zlib.decompress checks it), undoes the row filters, and prints
/// `width height` and then the `r g b` of each pixel asked for. nil when there is no python3 (and
/// EXPLORER_REQUIRE_EXTERNAL_CHECKS is unset: CI sets it, so there the check always runs).
func decodeWithPython(png path: String, pixels: [(x: Int, y: Int)]) throws -> (size: (Int, Int), colors: [[Int]])? {
    let script = #"""
    import sys, zlib, struct
    data = open(sys.argv[1], 'rb').read()
    assert data[:8] == b'\x89PNG\r\n\x1a\n', 'signature'
    pos, idat, header = 8, b'', None
    while pos < len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        crc, = struct.unpack('>I', data[pos + 8 + n:pos + 12 + n])
        assert zlib.crc32(kind + body) == crc, 'crc of ' + kind.decode()
        if kind == b'IHDR': header = struct.unpack('>IIBBBBB', body)
        if kind == b'IDAT': idat += body
        pos += 12 + n
    w, h, depth, color, _, _, interlace = header
    assert depth == 8 and color == 2 and interlace == 0, header
    raw = zlib.decompress(idat)
    stride = w * 3
    assert len(raw) == h * (stride + 1), (len(raw), h, stride)
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in (range(stride) if f else ()):
            a = line[i - 3] if i >= 3 else 0
            b, c = prev[i], (prev[i - 3] if i >= 3 else 0)
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
            else: assert f == 0, 'filter %d' % f
        rows.append(line); prev = line
    print(w, h)
    for arg in sys.argv[2:]:
        x, y = map(int, arg.split(','))
        print(*rows[y][3 * x:3 * x + 3])
    """#
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script, path] + pixels.map { "\($0.x),\($0.y)" }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    do { try process.run() } catch {
        if ProcessInfo.processInfo.environment["EXPLORER_REQUIRE_EXTERNAL_CHECKS"] != nil { throw error }
        return nil
    }
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let problem = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    if process.terminationStatus == 127, ProcessInfo.processInfo.environment["EXPLORER_REQUIRE_EXTERNAL_CHECKS"] == nil { return nil }
    guard process.terminationStatus == 0 else { throw DecodeFailure(message: problem) }
    let lines = text.split(separator: "\n").map { $0.split(separator: " ").compactMap { Int($0) } }
    return ((lines[0][0], lines[0][1]), Array(lines.dropFirst()))
}

struct DecodeFailure: Error, CustomStringConvertible { var message: String; var description: String { message } }

/// A fresh folder for one test's files, removed when released.
final class ScratchFolder {
    let path: String
    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("figures-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func file(_ name: String) -> String { path + "/" + name }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}
