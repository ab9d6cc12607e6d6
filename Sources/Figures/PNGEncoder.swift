/// Writes a `Raster` as a PNG file (ISO/IEC 15948): 8-bit RGB, not interlaced, every row with
/// filter 0 (none), the image data compressed by `Deflate` (our own, so the binary needs no zlib
/// or libpng on the students' machines).
public enum PNGEncoder {
    /// The whole file: signature, IHDR, one IDAT, IEND.
    public static func encode(_ raster: Raster) -> [UInt8] {
        var file: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header = bigEndian(UInt32(raster.width)) + bigEndian(UInt32(raster.height))
        header += [8, 2, 0, 0, 0]  // bit depth 8, colour type 2 (RGB), deflate, filter method 0, no interlace
        file += chunk("IHDR", header)
        var scanlines: [UInt8] = []
        scanlines.reserveCapacity(raster.height * (raster.width * 3 + 1))
        let stride = raster.width * 3
        for row in 0..<raster.height {
            scanlines.append(0)  // filter type 0: the row as it is
            scanlines += raster.pixels[(row * stride)..<((row + 1) * stride)]
        }
        file += chunk("IDAT", Deflate.zlib(scanlines))
        file += chunk("IEND", [])
        return file
    }

    /// Length, type, data, and the CRC-32 of type and data.
    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeBytes = Array(type.utf8)
        return bigEndian(UInt32(data.count)) + typeBytes + data + bigEndian(Checksums.crc32(typeBytes + data))
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}
