import Foundation
import Testing
import Terminal
@testable import Figures

/// The PNG writer, checked by python3's zlib (an independent inflater), not by our own code.
@Suite struct PNGEncoding {
    /// A picture with flat areas, repeated rows, a gradient and noise decodes to the same pixels.
    @Test func pythonDecodesEveryPixel() throws {
        var raster = Raster(width: 67, height: 41, background: RGB(10, 20, 30))
        raster.fill(x: 5, y: 5, width: 30, height: 20, RGB(250, 128, 3))
        var seed: UInt32 = 12345
        for x in 40..<67 {
            for y in 0..<41 {
                seed = seed &* 1_103_515_245 &+ 12345
                raster.fill(x: x, y: y, width: 1, height: 1, RGB(UInt8(x * 3), UInt8(y * 6), UInt8(seed >> 24)))
            }
        }
        let folder = try ScratchFolder()
        let path = folder.file("mixed.png")
        try Data(PNGEncoder.encode(raster)).write(to: URL(fileURLWithPath: path))
        let probes = [(0, 0), (5, 5), (34, 24), (35, 25), (40, 0), (66, 40), (50, 17), (41, 33)].map { (x: $0.0, y: $0.1) }
        guard let decoded = try decodeWithPython(png: path, pixels: probes) else { return }
        #expect(decoded.size == (67, 41))
        for (probe, color) in zip(probes, decoded.colors) {
            let expected = raster[probe.x, probe.y]
            #expect(color == [Int(expected.red), Int(expected.green), Int(expected.blue)], "pixel \(probe)")
        }
    }

    /// Matches longer than a run and across rows (a heatmap's repeated rows) compress: a flat
    /// 800×800 picture is far smaller than its 1.9 MB of pixels.
    @Test func flatAreasCompress() {
        let raster = Raster(width: 800, height: 800, background: RGB(1, 2, 3))
        #expect(PNGEncoder.encode(raster).count < 20_000)
    }

    @Test func checksumsMatchTheirStandardsTestValues() {
        // The check values of the CRC-32 and Adler-32 catalogues for "123456789" and "Wikipedia".
        #expect(Checksums.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(Checksums.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
    }
}
