import Foundation
import Testing
@testable import Tensor

/// A case of `Tests/Fixtures/quantize/q4_1.json`, made by the `gguf` package's quantize and dequantize
/// (`make_q4_1_fixtures.py`): values and widened values as float32 bit patterns, the blocks as hex.
private struct Q4_1Case: Decodable {
    let name: String
    let values: [UInt32]
    let bytes: String
    let widened: [UInt32]
}

private func fixtureCases() throws -> [Q4_1Case] {
    var path = "\(#filePath)" as NSString
    for _ in 0..<3 { path = path.deletingLastPathComponent as NSString }
    let file = path.appendingPathComponent("Tests/Fixtures/quantize/q4_1.json")
    return try JSONDecoder().decode([Q4_1Case].self, from: Data(contentsOf: URL(fileURLWithPath: file)))
}

private func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

@Suite struct Q4_1BlockTests {
    /// Every block of every case: the same 20 bytes as gguf's `quantize`, bit for bit, and the same
    /// widened floats as its `dequantize`, bit for bit (normal weights, values far from 0, half-float
    /// subnormals, large values, a constant block, an outlier, values on half steps).
    @Test func matchesTheGGUFPackageBitForBit() throws {
        let cases = try fixtureCases()
        #expect(cases.count == 12)
        for fixture in cases {
            let values = fixture.values.map(Float.init(bitPattern:))
            var bytes: [UInt8] = []
            var widened: [UInt32] = []
            for start in stride(from: 0, to: values.count, by: 32) {
                let block = try #require(Q4_1Block(quantizing: Array(values[start..<start + 32])), "\(fixture.name)")
                bytes += block.bytes
                widened += block.widened.map(\.bitPattern)
                #expect(block.codes.allSatisfy { $0 <= 15 })
            }
            #expect(hex(bytes) == fixture.bytes, "\(fixture.name): bytes differ from gguf's quantize")
            #expect(widened == fixture.widened, "\(fixture.name): widened values differ from gguf's dequantize")
        }
    }

    /// A hand-worked block: the values 0, 1, …, 15 twice, so d = 15/15 = 1 and m = 0; each code is the
    /// value itself, half floats 0x3C00 (1) and 0x0000 (0), and the packed byte j is j | j << 4.
    @Test func handWorkedBlock() throws {
        let values = (0..<32).map { Float($0 % 16) }
        let block = try #require(Q4_1Block(quantizing: values))
        #expect(block.scale == 1 && block.minimum == 0)
        #expect(block.codes == values.map { UInt8($0) })
        #expect(block.bytes == [0x00, 0x3C, 0x00, 0x00] + (0..<16).map { UInt8($0 | $0 << 4) })
        #expect(block.widened == values)
    }

    /// d = (0.9 − (−0.6)) / 15 = 0.1; 0.26 sits at (0.26 + 0.6) / 0.1 = 8.6 steps, so its code is 9 and
    /// it widens to about 9 × 0.1 − 0.6 = 0.3 (with d and m rounded to half floats); every value is
    /// within d/2 of its original, give or take that rounding.
    @Test func roundsToTheNearestStep() throws {
        var values = [Float](repeating: 0, count: 32)
        values[0] = -0.6; values[1] = 0.9; values[2] = 0.26
        let block = try #require(Q4_1Block(quantizing: values))
        #expect(block.codes[0] == 0 && block.codes[1] == 15 && block.codes[2] == 9 && block.codes[3] == 6)
        #expect(abs(block.scale - 0.1) < 1e-4 && abs(block.minimum + 0.6) < 1e-3)
        #expect(abs(block.widened[2] - 0.3) < 2e-3)
        for (x, y) in zip(values, block.widened) {
            #expect(abs(x - y) <= 0.05 + 2e-3)
        }
    }

    /// Not 32 values, or not all finite: no block (the reference has no meaning for them).
    @Test func refusesWhatItCannotQuantize() {
        #expect(Q4_1Block(quantizing: [Float](repeating: 1, count: 31)) == nil)
        #expect(Q4_1Block(quantizing: [Float](repeating: 1, count: 31) + [.nan]) == nil)
        #expect(Q4_1Block(quantizing: [Float](repeating: 1, count: 31) + [.infinity]) == nil)
        #expect(Q4_1Block(quantizing: [-3e38] + [Float](repeating: 3e38, count: 31)) == nil)
    }
}
