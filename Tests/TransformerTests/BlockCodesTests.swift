import Foundation
import Tensor
import Testing
@testable import Transformer

/// `BlockCodes` unpacks a block's fields for a learner (d, m, the codes, a k-quant's groups); the
/// values rebuilt from them by each type's rule must be what the `gguf` package's `dequantize` made of
/// the same blocks (Tests/Fixtures/gguf/types: random rows of every type, two rows of 256).
@Suite struct BlockCodesTests {
    static let typesFile = Repository.path("Tests/Fixtures/gguf/types.gguf")

    /// Every block of the type's two rows, as bytes.
    static func blocks(_ type: String) throws -> (format: BlockFormat, blocks: [[UInt8]], expected: [Float]) {
        let file = try GGUF.open(path: typesFile)
        let matrix = try file.quantized(type)
        let format = matrix.format
        let all = Array(UnsafeRawBufferPointer(start: matrix.bytes.baseAddress!, count: matrix.rows * matrix.rowBytes))
        let blocks = stride(from: 0, to: all.count, by: format.bytes).map { Array(all[$0 ..< $0 + format.bytes]) }
        let expected = try NPY.read(path: Repository.path("Tests/Fixtures/gguf/types/\(type).npy")).scalars
        return (format, blocks, expected)
    }

    /// The value of code `q` at position `i` of a block, by the type's rule, with the products in the
    /// reference's order (the step d·scale first, then times the code, less the floor).
    static func rebuilt(_ type: String, i: Int, q: Int, d: Float, m: Float?, groups: [BlockGroup]?) -> Float {
        switch type {
        case "Q8_0": return d * Float(q)
        case "Q4_0": return d * Float(q - 8)
        case "Q5_0": return d * Float(q - 16)
        case "Q4_1", "Q5_1": return d * Float(q) + m!
        case "Q4_K", "Q5_K":
            let group = groups![i / 32]
            return (d * Float(group.scale)) * Float(q) - m! * Float(group.minimum!)
        default:   // Q6_K
            return (d * Float(groups![i / 16].scale)) * Float(q - 32)
        }
    }

    @Test(arguments: ["Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K"])
    func fieldsRebuildTheGGUFPackagesValues(type: String) throws {
        let (format, blocks, expected) = try Self.blocks(type)
        #expect(blocks.count * format.values == expected.count)
        let range: ClosedRange<Int> = switch type {
        case "Q8_0": -128...127
        case "Q5_0", "Q5_1", "Q5_K": 0...31
        case "Q6_K": 0...63
        default: 0...15
        }
        var worst: Float = 0
        for (b, bytes) in blocks.enumerated() {
            let (d, m, unpacked) = BlockCodes.read(bytes, format: format)
            let groups = BlockCodes.groups(bytes, format: format)
            #expect((groups == nil) == !type.hasSuffix("_K"))
            let codes = try #require(unpacked, "\(type)")
            #expect(codes.count == format.values && codes.allSatisfy(range.contains), "\(type)")
            for (i, q) in codes.enumerated() {
                let reference = expected[b * format.values + i]
                let value = Self.rebuilt(type, i: i, q: q, d: d, m: m, groups: groups)
                worst = Swift.max(worst, abs(value - reference) / (Float.ulpOfOne * (1 + abs(reference))))
            }
        }
        // Within a few float roundings of the reference: the fields are right, not just near.
        #expect(worst <= 4, "\(type): \(worst) roundings off")
    }

    /// A k-quant's groups as ggml packs them: Q4_K and Q5_K 8 groups of 32 with 6-bit scales and mins,
    /// Q6_K 16 groups of 16 with signed 8-bit scales; the other types have one scale and no groups.
    @Test func groupShapes() throws {
        for type in ["Q4_K", "Q5_K"] {
            let (format, blocks, _) = try Self.blocks(type)
            let groups = try #require(BlockCodes.groups(blocks[0], format: format))
            #expect(groups.count == 8 && groups.allSatisfy { $0.count == 32 && (0...63).contains($0.scale) && (0...63).contains($0.minimum!) })
        }
        let (format, blocks, _) = try Self.blocks("Q6_K")
        let groups = try #require(BlockCodes.groups(blocks[0], format: format))
        #expect(groups.count == 16 && groups.allSatisfy { $0.count == 16 && $0.minimum == nil && (-128...127).contains($0.scale) })
        let q4 = try Self.blocks("Q4_1")
        #expect(BlockCodes.groups(q4.blocks[0], format: q4.format) == nil)
    }
}
