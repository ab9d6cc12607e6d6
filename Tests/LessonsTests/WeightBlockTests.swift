import Foundation
import Testing
@testable import Lessons
import Tensor
import Transformer

/// `block(NAME, 'field')` and `@show block NAME`: a weight's first block as a quantized file holds it.
@Suite struct WeightBlockTests {
    static func evaluator(_ loaded: LoadedModel, selection: Selection = Selection()) throws -> Evaluator {
        Evaluator(context: try LessonContext(loaded: loaded, text: "the cat sat on the mat"), selection: selection)
    }

    static func value(_ text: String, _ evaluator: Evaluator) throws -> LessonValue {
        try evaluator.evaluate(try ExpressionParser.parse(text))
    }

    /// The gguf package's Q4_1 block of tiny-gpt's first 32 `embed.W_E` numbers
    /// (`Tests/Fixtures/quantize/q4_1.json`, case "tiny-gpt embed.W_E, first 32").
    static func referenceBlock() throws -> (hex: String, widened: [Float]) {
        struct Case: Decodable { let name: String; let bytes: String; let widened: [UInt32] }
        let data = try Data(contentsOf: URL(fileURLWithPath: Repository.path("Tests/Fixtures/quantize/q4_1.json")))
        let found = try #require(try JSONDecoder().decode([Case].self, from: data).first { $0.name == "tiny-gpt embed.W_E, first 32" })
        return (found.bytes, found.widened.map(Float.init(bitPattern:)))
    }

    /// On tiny-gpt (floats) the block is quantized here, and every field matches the gguf package's
    /// quantize and dequantize of the same 32 numbers, bit for bit.
    @Test func floatWeightsAreQuantizedAsTheGGUFPackageDoes() throws {
        let evaluator = try Self.evaluator(try Repository.model("tiny-gpt"))
        let reference = try Self.referenceBlock()
        let hex = try Self.value("block(embed.W_E, 'hex')", evaluator)
        #expect(hex == .text(stride(from: 0, to: reference.hex.count, by: 2).map {
            String(reference.hex.dropFirst($0).prefix(2))
        }.joined(separator: " ")))
        guard case .array(let values) = try Self.value("block(embed.W_E, 'values')", evaluator),
              case .array(let original) = try Self.value("block(embed.W_E, 'original')", evaluator),
              case .array(let codes) = try Self.value("block(embed.W_E, 'codes')", evaluator) else {
            Issue.record("values, original and codes are rows"); return
        }
        #expect(values.values.map(\.bitPattern) == reference.widened.map(\.bitPattern))
        let table = try #require(try Repository.model("tiny-gpt").model.parameters["embed.W_E"]).scalars
        #expect(original.values == Array(table.prefix(32)))
        #expect(codes.values.allSatisfy { $0 >= 0 && $0 <= 15 && $0 == $0.rounded() })
        // d and m are the bytes' half floats: d = 0x33D9, m = 0xBDDB.
        #expect(try Self.value("block(embed.W_E, 'd')", evaluator).number == Double(Float(Float16(bitPattern: 0x33D9))))
        #expect(try Self.value("block(embed.W_E, 'm')", evaluator).number == Double(Float(Float16(bitPattern: 0xBDDB))))
        #expect(try Self.value("block(embed.W_E, 'type')", evaluator) == .text("Q4_1"))
        #expect(try Self.value("block(embed.W_E, 'file')", evaluator) == .integer(0))
        #expect(try Self.value("block(embed.W_E, 'size')", evaluator) == .integer(20))
        #expect(try Self.value("block(embed.W_E, 'count')", evaluator) == .integer(32))
        #expect(try Self.value("block(embed.W_E, 'rule')", evaluator) == .text("d·q + m"))
        #expect(try Self.value("block(embed.W_E, 'scales')", evaluator)
                == .text("d = \(NumberText.format(Double(Float(Float16(bitPattern: 0x33D9))), decimals: 4)) and m = \(NumberText.format(Double(Float(Float16(bitPattern: 0xBDDB))), decimals: 4))"))
        #expect(try Self.value("block(embed.W_E, 'codes')[6] * block(embed.W_E, 'd') + block(embed.W_E, 'm') - block(embed.W_E, 'values')[6]", evaluator).number == 0)
    }

    /// A head axis is fixed by the selection: W_Q's block is the selected head's first 32 numbers,
    /// rows 0–3 of its [D, dh] slice, labelled by where they sit.
    @Test func theSelectionFixesTheHead() throws {
        let loaded = try Repository.model("tiny-gpt")
        let evaluator = try Self.evaluator(loaded, selection: Selection(layer: 0, head: 1, query: 0, key: 0))
        let show = ShowDirective(kind: .block, expression: .name("blocks.{layer}.attn.W_Q"), source: "block blocks.{layer}.attn.W_Q", line: 7)
        let shown = try ShowEvaluation(evaluator: evaluator).evaluate(show)
        #expect(shown.title.hasPrefix("Q4_1 block of blocks.0.attn.W_Q · head 1 (quantized here): d = "))
        #expect(shown.title.hasSuffix("; 20 bytes for 32 values"))
        guard case .table(let table) = shown.content else { Issue.record("a table"); return }
        // Value j on the left, j + 16 on the right, the byte holding both codes between them.
        #expect(table.headers == ["entry", "original", "q", "d·q + m", "byte", "entry", "original", "q", "d·q + m"])
        #expect(table.rows.count == 16)
        #expect(table.rows[0][0] == "[0, 0]" && table.rows[0][5] == "[2, 0]" && table.rows[15][5] == "[3, 7]")
        let slice = try #require(loaded.model.parameters["blocks.0.attn.W_Q"]).scalars[128..<160]
        #expect((table.rows.map { $0[1] } + table.rows.map { $0[6] }) == slice.map { NumberText.format(Double($0), decimals: 4) })
        let block = try evaluator.weightBlock(.name("blocks.0.attn.W_Q"))
        for (j, row) in table.rows.enumerated() {
            #expect(row[2] == String(block.codes![j]) && row[7] == String(block.codes![j + 16]))
            #expect(UInt8(row[4], radix: 16) == UInt8(block.codes![j] | block.codes![j + 16] << 4))
        }
    }

    /// A GGUF file's quantized weight shows the file's own first block: its type, its codes where the
    /// type has simple ones, and values equal to the parameter widened by the forward pass's kernels.
    @Test func aGGUFFileShowsItsOwnBlocks() throws {
        let loaded = try ModelDirectory.load(path: Repository.path("Tests/Fixtures/gguf/tiny-llama.gguf"), name: "tiny-llama.gguf", bundled: false)
        let evaluator = try Self.evaluator(loaded)
        let parameters = loaded.model.parameters
        // (name, type, where the block's 32 values sit in the DESIGN layout, how a code widens)
        let cases: [(String, String, (Tensor) -> [Float], ((Int, Float, Float?) -> Float)?)] = [
            ("embed.W_E", "Q8_0", { Array($0.scalars.prefix(32)) }, { q, d, _ in Float(q) * d }),
            ("blocks.0.mlp.W_gate", "Q4_1", { t in (0..<32).map { t[$0, 0] } }, { q, d, m in Float(q) * d + m! }),
            ("blocks.0.mlp.W_in", "Q5_0", { t in (0..<32).map { t[$0, 0] } }, { q, d, _ in Float(q - 16) * d }),
            ("blocks.0.mlp.W_out", "Q5_1", { t in (0..<32).map { t[$0, 0] } }, { q, d, m in Float(q) * d + m! }),
            ("blocks.0.attn.W_Q", "Q4_K", { t in (0..<32).map { t[0, $0, 0] } }, nil),
        ]
        for (name, type, expected, widen) in cases {
            let block = try evaluator.weightBlock(.name(name))
            #expect(block.type == type && block.fromFile && block.original == nil, "\(name)")
            let widened = try #require(parameters[name], "\(name)")
            #expect(Array(block.widened.prefix(32)) == expected(widened), "\(name)")
            if let widen {
                let codes = try #require(block.codes, "\(name)")
                #expect(zip(codes, block.widened).allSatisfy { widen($0, block.scale, block.minimum) == $1 }, "\(name)")
            } else {
                // A k-quant: each 32 values' own scale and min from the groups.
                let codes = try #require(block.codes, "\(name)"), groups = try #require(block.groups, "\(name)")
                #expect(block.count == 256 && groups.count == 8)
                for (i, q) in codes.enumerated() {
                    let group = groups[i / 32]
                    let value = (block.scale * Float(group.scale)) * Float(q) - block.minimum! * Float(group.minimum!)
                    #expect(abs(value - block.widened[i]) <= 4 * Float.ulpOfOne * (1 + abs(block.widened[i])), "\(name) [\(i)]")
                }
            }
        }
        #expect(throws: EvaluationError.self) { try Self.value("block(embed.W_E, 'original')", evaluator) }
        #expect(throws: EvaluationError.self) { try Self.value("block(embed.W_E, 'm')", evaluator) }
        #expect(try Self.value("block(blocks.0.mlp.W_gate, 'file')", evaluator) == .integer(1))
        // The rule each type widens by, and only the scales the type has.
        #expect(try Self.value("block(embed.W_E, 'rule')", evaluator) == .text("d·q"))
        #expect(try Self.value("block(blocks.0.mlp.W_in, 'rule')", evaluator) == .text("d·(q − 16)"))
        #expect(try Self.value("block(blocks.0.attn.W_Q, 'rule')", evaluator) == .text("d·scale·q − dmin·min, with a 6-bit scale and min for each 32 numbers"))
        guard case .text(let scales) = try Self.value("block(embed.W_E, 'scales')", evaluator) else { Issue.record("text"); return }
        #expect(scales.hasPrefix("d = ") && !scales.contains(" m = "))
        let q4k = try evaluator.weightBlock(.name("blocks.0.attn.W_Q")), first = q4k.groups![0]
        #expect(try Self.value("block(blocks.0.attn.W_Q, 'scales')", evaluator)
                == .text("d = \(ShowEvaluation.scaleText(q4k.scale)) and dmin = \(ShowEvaluation.scaleText(q4k.minimum!)) and for the first 32 numbers scale = \(first.scale) and min = \(first.minimum!)"))
        // Four significant digits for a small step: worked by hand, a code's number lands within the quiz's 0.002.
        #expect(ShowEvaluation.scaleText(0.0024509) == "0.002451" && ShowEvaluation.scaleText(0.2448) == "0.2448")
    }

    /// Mistakes say what was wrong: a hook instead of a parameter, an unknown field, too few numbers.
    @Test func mistakes() throws {
        let evaluator = try Self.evaluator(try Repository.model("tiny-gpt"))
        func message(_ text: String) -> String {
            do { _ = try Self.value(text, evaluator); return "no error" } catch { return "\(error)" }
        }
        #expect(message("block(blocks.0.attn.q, 'd')").contains("is a hook"))
        #expect(message("block(embed.W_E, 'scale')").contains("'scale' is not a field of a block"))
        #expect(message("block(blocks.0.ln1.w, 'd')") == "blocks.0.ln1.w has 16 numbers, and a Q4_1 block needs 32")
        #expect(message("block(embed.W_X, 'd')").contains("unknown hook or parameter"))
        #expect(message("block(embed.W_E[0], 'd')").contains("take a parameter's name"))
        #expect(parseErrors("---\nid: a\ntitle: A\nsummary: s\nmodel: tiny-gpt\ninput: the cat\n---\n# Step 1: x\n@show block\n")
            .contains("9: @show block needs a hook or parameter name, e.g. @show block blocks.{layer}.attn.W_Q"))
    }
}
