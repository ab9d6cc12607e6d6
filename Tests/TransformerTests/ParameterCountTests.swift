import Foundation
import Testing
import Tensor
@testable import Transformer

/// Small configs of every family, for checks that must hold for any config.
enum SmallConfigs {
    /// 1 layer, D = 4, H = 2 (dh = 2), F = 8, V = 10, 6 learned positions, pre-LN with biases, untied.
    static let decoder = ModelConfig(
        architecture: .decoder, normPosition: .pre, activation: .geluTanh, positional: .learned,
        vocabSize: 10, dModel: 4, nHeads: 2, dFF: 8, nLayers: 1, maxPositions: 6, mask: .causal)

    /// Llama-style: 2 layers, D = 8, H = 4, H_kv = 2 (dh = 2), F = 12, V = 10, RMSNorm, SwiGLU, RoPE,
    /// no biases, untied.
    static let llama = ModelConfig(
        architecture: .decoder, normPosition: .pre, norm: .rmsNorm, activation: .silu, gatedMLP: true,
        positional: .rope, vocabSize: 10, dModel: 8, nHeads: 4, nKVHeads: 2, dFF: 12, nLayers: 2,
        maxPositions: 16, biases: .none, mask: .causal)

    /// BERT-style: 1 layer, D = 4, H = 2, F = 8, V = 10, 6 positions, 2 types, post-LN, pooler, no head.
    static let bert = ModelConfig(
        architecture: .encoder, normPosition: .post, activation: .gelu, positional: .learned,
        vocabSize: 10, dModel: 4, nHeads: 2, dFF: 8, nLayers: 1, maxPositions: 6, typeVocabSize: 2,
        embeddingNorm: true, lmHead: false, pooler: true, mask: .bidirectional)

    /// The original Transformer in miniature: 1 + 2 layers, D = 4, H = 2, F = 8, V = 10, sinusoidal,
    /// post-LN, shared and tied embeddings.
    static let encoderDecoder = ModelConfig(
        architecture: .encoderDecoder, normPosition: .post, activation: .relu, positional: .sinusoidal,
        vocabSize: 10, dModel: 4, nHeads: 2, dFF: 8, nLayers: 1, nDecoderLayers: 2, maxPositions: 6,
        scaleEmbeddings: true, tiedEmbeddings: true, sharedEmbeddings: true, mask: .causal)

    /// Sets of biases the grid runs through: all, none, Qwen2's, and an odd mix.
    static let biasSets: [Biases] = [
        .standard, .none, Biases(q: true, k: true, v: true),
        Biases(k: true, o: true, mlpGate: true, mlpOut: true, lmHead: true),
    ]

    /// Many combinations of the options that change parameters.
    static var grid: [ModelConfig] {
        var configs: [ModelConfig] = []
        for architecture in [ModelConfig.Architecture.decoder, .encoder, .encoderDecoder] {
            for (norm, position) in [(ModelConfig.NormKind.layerNorm, ModelConfig.NormPosition.pre),
                                     (.layerNorm, .post), (.rmsNorm, .pre)] {
                for positional in [ModelConfig.Positional.learned, .sinusoidal, .rope] {
                    for biases in biasSets {
                        for (tied, shared) in [(false, false), (true, false), (true, true), (false, true)] {
                            let variant = configs.count
                            var config = ModelConfig(
                                architecture: architecture, normPosition: position, norm: norm,
                                activation: .relu, gatedMLP: variant % 2 == 0, positional: positional,
                                vocabSize: 11, dModel: 6, nHeads: 3, nKVHeads: variant % 3 == 0 ? 1 : nil,
                                dHead: variant % 5 == 0 ? 4 : nil, dFF: 10, nLayers: 2,
                                nDecoderLayers: variant % 4 == 0 ? 3 : nil, maxPositions: 7,
                                typeVocabSize: variant % 3 == 1 ? 2 : 0, embeddingNorm: variant % 2 == 1,
                                biases: biases, tiedEmbeddings: tied, lmHead: variant % 7 != 0,
                                sharedEmbeddings: shared, pooler: variant % 5 == 1, mask: .causal)
                            if architecture != .encoderDecoder { config.sharedEmbeddings = false }
                            if positional == .learned && variant % 3 == 2 { config.positionOffset = 2 }
                            configs.append(config)
                        }
                    }
                }
            }
        }
        return configs
    }
}

@Suite struct ParameterCountTests {
    // MARK: - Presets

    @Test(arguments: [
        ("gpt2-small", 124_439_808),
        ("bert-base", 109_482_240),
        ("llama2-7b", 6_738_415_616),
        ("gpt3-175b", 174_604_259_328),
        ("transformer-base", 63_082_496),
        ("gpt2-medium", 354_823_168),
        ("bert-large", 335_141_888),
        ("llama3-8b", 8_030_261_248),
        ("minilm-l6", 22_713_216),
    ])
    func presetTotals(name: String, total: Int) throws {
        let preset = try ParameterPresets.named(name)
        #expect(try preset.config.parameterCount() == total)
        #expect(try ParameterReport(preset: preset).total == total)
    }

    @Test func everyPresetIsValidAndDescribed() throws {
        #expect(ParameterPresets.names.count == Set(ParameterPresets.names).count)
        for preset in ParameterPresets.all {
            try preset.config.validate()
            #expect(!preset.summary.isEmpty && !preset.summary.contains("\n"))
            #expect(!preset.source.isEmpty && !preset.source.contains("\n"))
        }
    }

    @Test func gpt2SmallByParts() throws {
        let report = try ParameterReport(preset: try ParameterPresets.named("gpt2-small"))
        // 50,257 × 768 token embeddings + 1,024 × 768 positions.
        #expect(report.count(of: .embeddings) == 38_597_376 + 786_432)
        // 12 × (W_Q, W_K, W_V, W_O: 4 × 768²; their biases 4 × 768).
        #expect(report.count(of: .attention) == 12 * (2_359_296 + 3_072))
        // 12 × (W_in and W_out 2 × 768 × 3,072; b_in 3,072; b_out 768).
        #expect(report.count(of: .feedForward) == 12 * (4_718_592 + 3_840))
        // (2 per block × 12 + ln_final) norms of w and b: 25 × 1,536.
        #expect(report.count(of: .norms) == 38_400)
        #expect(report.count(of: .outputHead) == 0)
        #expect(report.count(of: .pooler) == nil)
        let attention = try #require(report.parts.first { $0.name == "attention" })
        #expect(attention.symbolic == "L × (4·D² + 4·D)")
        #expect(attention.formula == "12 layers × (4 × 768 × 768 + 4 × 768)")
        let ratio = try #require(report.feedForwardToAttention)
        #expect(abs(ratio - 2) < 0.01)
    }

    @Test func bertBaseCountsItsPoolerAndEmbeddingNorm() throws {
        let report = try ParameterReport(preset: try ParameterPresets.named("bert-base"))
        #expect(report.count(of: .pooler) == 768 * 768 + 768)
        #expect(report.count(of: .outputHead) == nil)
        // Tokens, positions, 2 types, and the embedding LayerNorm's w and b.
        #expect(report.count(of: .embeddings) == 30_522 * 768 + 512 * 768 + 2 * 768 + 2 * 768)
        // Post-LN: two norms a block, no final norm.
        #expect(report.count(of: .norms) == 12 * 2 * 2 * 768)
    }

    @Test func unknownPresetListsTheNames() {
        #expect(throws: ModelError.self) { try ParameterPresets.named("gpt-5") }
        do {
            _ = try ParameterPresets.named("gpt-5")
        } catch {
            let message = String(describing: error)
            #expect(message.contains("gpt-5"))
            for name in ParameterPresets.names { #expect(message.contains(name)) }
        }
        #expect((try? ParameterPresets.named("GPT2-Small"))?.name == "gpt2-small")
    }

    // MARK: - Shapes by hand

    @Test func tinyDecoderByHand() throws {
        let config = SmallConfigs.decoder
        let shapes = config.parameterShapes()
        let expected: [(String, [Int])] = [
            ("embed.W_E", [10, 4]), ("pos_embed.W_pos", [6, 4]),
            ("blocks.0.ln1.w", [4]), ("blocks.0.ln1.b", [4]),
            ("blocks.0.attn.W_Q", [2, 4, 2]), ("blocks.0.attn.W_K", [2, 4, 2]),
            ("blocks.0.attn.W_V", [2, 4, 2]), ("blocks.0.attn.W_O", [2, 2, 4]),
            ("blocks.0.attn.b_Q", [2, 2]), ("blocks.0.attn.b_K", [2, 2]),
            ("blocks.0.attn.b_V", [2, 2]), ("blocks.0.attn.b_O", [4]),
            ("blocks.0.ln2.w", [4]), ("blocks.0.ln2.b", [4]),
            ("blocks.0.mlp.W_in", [4, 8]), ("blocks.0.mlp.W_out", [8, 4]),
            ("blocks.0.mlp.b_in", [8]), ("blocks.0.mlp.b_out", [4]),
            ("ln_final.w", [4]), ("ln_final.b", [4]),
            ("unembed.W_U", [4, 10]), ("unembed.b_U", [10]),
        ]
        #expect(shapes.map(\.name) == expected.map(\.0))
        #expect(shapes.map(\.shape) == expected.map(\.1))

        let embeddings = 10 * 4 + 6 * 4          // W_E + W_pos = 64
        let attention = 4 * (2 * 4 * 2) + 3 * (2 * 2) + 4  // W_Q,K,V,O + b_Q,K,V + b_O = 80
        let mlp = 4 * 8 + 8 * 4 + 8 + 4          // W_in + W_out + b_in + b_out = 76
        let norms = 3 * (4 + 4)                  // ln1, ln2, ln_final = 24
        let head = 4 * 10 + 10                   // W_U + b_U = 50
        #expect(embeddings + attention + mlp + norms + head == 294)
        #expect(try config.parameterCount() == 294)

        let report = try ParameterReport(config: config, name: "tiny")
        #expect(report.parts.map(\.count) == [embeddings, attention, mlp, norms, head])
        #expect(report.parts.map(\.name) == ["embeddings", "attention", "feed-forward", "norms", "output head"])
    }

    @Test func llamaStyleHasGroupedKeysRMSNormsAndAGate() throws {
        let config = SmallConfigs.llama
        let shapes = Dictionary(uniqueKeysWithValues: config.parameterShapes().map { ($0.name, $0.shape) })
        #expect(shapes["blocks.1.attn.W_Q"] == [4, 8, 2])
        #expect(shapes["blocks.1.attn.W_K"] == [2, 8, 2])
        #expect(shapes["blocks.1.attn.W_V"] == [2, 8, 2])
        #expect(shapes["blocks.1.attn.W_O"] == [4, 2, 8])
        #expect(shapes["blocks.1.mlp.W_gate"] == [8, 12])
        #expect(shapes["blocks.1.ln1.w"] == [8])
        #expect(shapes["unembed.W_U"] == [8, 10])
        // RoPE has no table, RMSNorm no bias, and the model has no biases at all.
        #expect(!shapes.keys.contains { $0.hasSuffix(".b") || $0.contains(".b_") || $0.hasPrefix("pos_embed") })
        // Embeddings + unembedding 2 × 10 × 8; per block: W_Q and W_O 2 × 8 × 8, W_K and W_V
        // 2 × 8 × 4, W_in, W_gate, W_out 3 × 8 × 12, two norms 2 × 8; ln_final 8.
        let block = 2 * 8 * 8 + 2 * 8 * 4 + 3 * 8 * 12 + 2 * 8
        #expect(try config.parameterCount() == 2 * 10 * 8 + 2 * block + 8)
        let attention = try #require(try ParameterReport(config: config, name: "llama").parts.first {
            $0.name == "attention"
        })
        #expect(attention.symbolic == "L × (2·D² + 2·D·H_kv·dh)")
        #expect(attention.formula == "2 layers × (2 × 8 × 8 + 2 × 8 × 2 × 2)")
    }

    @Test func gatedWithBiasHasNoGateBias() throws {
        var config = SmallConfigs.llama
        config.biases = .standard
        let names = config.parameterShapes().map(\.name)
        #expect(names.contains("blocks.0.mlp.b_in"))
        #expect(names.contains("blocks.0.mlp.b_out"))
        #expect(!names.contains { $0.hasSuffix("b_gate") })
        #expect(!names.contains("blocks.0.ln1.b"))  // RMSNorm, bias or not
        // Llama's mlp_bias: the gate's too.
        config.biases.mlpGate = true
        let gated = Dictionary(uniqueKeysWithValues: config.parameterShapes().map { ($0.name, $0.shape) })
        #expect(gated["blocks.1.mlp.b_gate"] == [12])
        // An MLP without a gate has no gate bias, whatever the flag says.
        config.gatedMLP = false
        #expect(!config.parameterShapes().contains { $0.name.hasSuffix("b_gate") })
    }

    /// Each site's bias is there exactly when its flag is set: Qwen2's q, k and v, and nothing else.
    @Test func biasesPerSite() throws {
        var config = SmallConfigs.llama
        config.biases = Biases(q: true, k: true, v: true)
        let shapes = Dictionary(uniqueKeysWithValues: config.parameterShapes().map { ($0.name, $0.shape) })
        #expect(shapes["blocks.0.attn.b_Q"] == [4, 2] && shapes["blocks.0.attn.b_K"] == [2, 2] && shapes["blocks.0.attn.b_V"] == [2, 2])
        #expect(!shapes.keys.contains { $0.hasSuffix("b_O") || $0.contains("mlp.b_") || $0.hasSuffix("b_U") })
        // Two layers of b_Q (H·dh = 8) and b_K, b_V (H_kv·dh = 4 each) on top of the bias-free count.
        #expect(try config.parameterCount() == (try SmallConfigs.llama.parameterCount()) + 2 * (8 + 4 + 4))
        let attention = try #require(try ParameterReport(config: config, name: "qwen").parts.first { $0.name == "attention" })
        #expect(attention.symbolic == "L × (2·D² + 2·D·H_kv·dh + D + 2·H_kv·dh)")

        var decoder = SmallConfigs.decoder
        decoder.biases = Biases(o: true, mlpOut: true, norm: true)
        let names = Set(decoder.parameterShapes().map(\.name))
        #expect(names.isSuperset(of: ["blocks.0.attn.b_O", "blocks.0.mlp.b_out", "blocks.0.ln1.b", "ln_final.b"]))
        #expect(names.isDisjoint(with: ["blocks.0.attn.b_Q", "blocks.0.attn.b_K", "blocks.0.mlp.b_in", "unembed.b_U"]))
    }

    /// A position table with rows before position 0's (RoBERTa) counts every row the file holds.
    @Test func positionOffsetRowsAreCounted() throws {
        var config = SmallConfigs.bert
        config.positionOffset = 2
        let table = try #require(config.parameterShapes().first { $0.name == "pos_embed.W_pos" })
        #expect(table.shape == [8, 4])
        #expect(try config.parameterCount() == (try SmallConfigs.bert.parameterCount()) + 2 * 4)
        let embeddings = try #require(try ParameterReport(config: config, name: "roberta").parts.first { $0.name == "embeddings" })
        #expect(embeddings.symbolic == "V·D + T_max·D + T_off·D + V_type·D + 2·D")
        #expect(embeddings.note?.contains("row 2") == true)
        config.positional = .sinusoidal
        #expect(throws: ModelError.self) { try config.validate() }
    }

    @Test func bertStyleShapes() throws {
        let names = SmallConfigs.bert.parameterShapes().map(\.name)
        for name in ["embed_type.W_type", "embed_ln.w", "embed_ln.b", "pooler.W", "pooler.b"] {
            #expect(names.contains(name))
        }
        #expect(!names.contains { $0.hasPrefix("ln_final") || $0.hasPrefix("unembed") })
        // W_E 40 + W_pos 24 + W_type 8 + embed_ln 8; block: attention 80, mlp 76, ln1 + ln2 16;
        // pooler 4 × 4 + 4.
        #expect(try SmallConfigs.bert.parameterCount() == 40 + 24 + 8 + 8 + 80 + 76 + 16 + 20)
    }

    @Test func encoderDecoderSharedAndTied() throws {
        let config = SmallConfigs.encoderDecoder
        let names = config.parameterShapes().map(\.name)
        #expect(names.first == "embed.W_E")
        #expect(names.filter { $0.hasSuffix("W_E") } == ["embed.W_E"])
        #expect(names.contains("encoder.blocks.0.attn.W_Q"))
        #expect(!names.contains("encoder.blocks.0.cross_attn.W_Q"))
        #expect(names.contains("decoder.blocks.1.cross_attn.W_K"))
        #expect(names.contains("decoder.blocks.1.ln_cross.b"))
        #expect(!names.contains { $0.contains("unembed") || $0.contains("ln_final") || $0.contains("pos_embed") })
        // Shared W_E 40; encoder block 80 + 76 + 16; decoder blocks add cross-attention 80 and
        // ln_cross 8.
        let encoderBlock = 80 + 76 + 16
        #expect(try config.parameterCount() == 40 + encoderBlock + 2 * (encoderBlock + 80 + 8))
    }

    @Test func encoderDecoderSeparateAndUntied() throws {
        var config = SmallConfigs.encoderDecoder
        (config.sharedEmbeddings, config.tiedEmbeddings) = (false, false)
        config.normPosition = .pre
        config.positional = .learned
        let names = Set(config.parameterShapes().map(\.name))
        for name in ["encoder.embed.W_E", "decoder.embed.W_E", "encoder.pos_embed.W_pos",
                     "decoder.pos_embed.W_pos", "encoder.ln_final.w", "decoder.ln_final.b",
                     "decoder.unembed.W_U", "decoder.unembed.b_U"] {
            #expect(names.contains(name), "\(name)")
        }
        #expect(!names.contains("embed.W_E") && !names.contains("encoder.unembed.W_U"))
        config.tiedEmbeddings = true
        #expect(!config.parameterShapes().contains { $0.name.contains("unembed") })
    }

    // MARK: - Any config

    @Test func namesAreUniqueAndPartsSumToTheTotal() throws {
        for config in SmallConfigs.grid + ParameterPresets.all.map(\.config) {
            let shapes = config.parameterShapes()
            #expect(Set(shapes.map(\.name)).count == shapes.count)
            let report = try ParameterReport(config: config, name: "grid")
            #expect(report.parts.reduce(0) { $0 + $1.count } == report.total)
            #expect(shapes.reduce(0) { $0 + $1.count } == report.total)
        }
    }

    /// What a learner reads must be true: every part's formula, in numbers and in symbols,
    /// evaluates to its count.
    @Test func formulasEvaluateToTheCounts() throws {
        let configs = SmallConfigs.grid + ParameterPresets.all.map(\.config)
        for config in configs {
            let report = try ParameterReport(config: config, name: "grid")
            let values = Dictionary(uniqueKeysWithValues: report.symbols.map { ($0.symbol, $0.value) })
            for part in report.parts {
                #expect(try FormulaEvaluator.evaluate(part.formula, symbols: [:]) == part.count,
                        "\(part.name): \(part.formula)")
                #expect(try FormulaEvaluator.evaluate(part.symbolic, symbols: values) == part.count,
                        "\(part.name): \(part.symbolic)")
            }
        }
    }

    /// The loader and the list agree: a model builds from exactly `parameterShapes()`, and misses
    /// each tensor it needs (all of them but the pooler's, which the forward pass does not use).
    @Test func theLoaderNeedsExactlyTheseTensors() throws {
        var qwen = SmallConfigs.llama
        qwen.biases = Biases(q: true, k: true, v: true, mlpGate: true)
        var roberta = SmallConfigs.bert
        roberta.positionOffset = 2
        roberta.biases = Biases(k: true, v: true, o: true, mlpIn: true)
        for config in [SmallConfigs.decoder, SmallConfigs.llama, SmallConfigs.bert, SmallConfigs.encoderDecoder, qwen, roberta] {
            let shapes = config.parameterShapes()
            let all = Parameters(Dictionary(uniqueKeysWithValues: shapes.map { ($0.name, Tensor(shape: $0.shape)) }))
            _ = try TransformerModel(config: config, parameters: all)
            for shape in shapes where shape.part != .pooler {
                var missing = all
                missing[shape.name] = nil
                #expect(throws: ModelError.self, "\(shape.name)") {
                    try TransformerModel(config: config, parameters: missing)
                }
            }
        }
    }

    @Test func tooLargeOrInvalidConfigsThrow() {
        var huge = SmallConfigs.decoder
        huge.vocabSize = Int.max / 2
        #expect(throws: ModelError.self) { try huge.parameterCount() }
        #expect(throws: ModelError.self) { try ParameterReport(config: huge, name: "huge") }
        var bad = SmallConfigs.decoder
        bad.nHeads = 3
        #expect(throws: ModelError.self) { try bad.parameterCount() }
    }

    // MARK: - Report

    @Test func jsonHasAnIntegerTotalAndTheParts() throws {
        let report = try ParameterReport(preset: try ParameterPresets.named("gpt2-small"))
        let data = try JSONEncoder().encode(report)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["config"] as? String == "gpt2-small")
        #expect((object["total"] as? NSNumber)?.int64Value == 124_439_808)
        #expect(String(data: data, encoding: .utf8)!.contains("\"total\":124439808"))
        let parts = try #require(object["parts"] as? [[String: Any]])
        #expect(parts.map { $0["name"] as? String } == ["embeddings", "attention", "feed-forward", "norms", "output head"])
        #expect(parts.allSatisfy { $0["count"] is NSNumber && $0["formula"] is String })
        #expect(object["feed_forward_to_attention"] is NSNumber)
        #expect(try JSONDecoder().decode(ParameterReport.self, from: data) == report)
    }

    @Test func textFitsEightyColumns() throws {
        for preset in ParameterPresets.all {
            let text = try ParameterReport(preset: preset).text()
            for line in text.split(separator: "\n") {
                #expect(line.count <= 80, "\(preset.name): \(line)")
            }
        }
        let text = try ParameterReport(preset: try ParameterPresets.named("gpt2-small")).text()
        #expect(text.contains("total         124,439,808  100.0%   ≈ 124.4 million"))
        #expect(text.contains("  = 12 layers × (4 × 768 × 768 + 4 × 768)"))
        #expect(text.contains("feed-forward / attention = 56,669,184 / 28,348,416 ≈ 2.00"))
        #expect(text.contains("tied"))
    }

    @Test func textShowsNoControlCharacters() throws {
        let report = try ParameterReport(config: SmallConfigs.decoder, name: "evil\u{1B}[2J\u{202E}name")
        let text = report.text()
        #expect(!text.unicodeScalars.contains {
            $0 != "\n" && ($0.properties.generalCategory == .control || $0.properties.generalCategory == .format)
        })
    }
}

/// Evaluates a report's formula text: integers (with thousands commas), the report's symbols,
/// `+`, `×` and `·`, parentheses, superscript powers, and the words "layer"/"layers" (ignored).
enum FormulaEvaluator {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func evaluate(_ text: String, symbols: [String: Int]) throws -> Int {
        var parser = Parser(tokens: try tokens(text), symbols: symbols)
        let value = try parser.sum()
        guard parser.position == parser.tokens.count else { throw Failure(description: "trailing text in \(text)") }
        return value
    }

    enum Token: Equatable { case number(Int), name(String), plus, times, open, close, power(Int) }

    static func tokens(_ text: String) throws -> [Token] {
        let superscripts: [Character: Int] = ["²": 2, "³": 3, "⁴": 4]
        var tokens: [Token] = []
        var chars = Array(text)[...]
        while let c = chars.first {
            if c == " " { chars = chars.dropFirst(); continue }
            if c.isNumber && c.isASCII {
                let digits = chars.prefix { ($0.isNumber && $0.isASCII) || $0 == "," }
                chars = chars.dropFirst(digits.count)
                tokens.append(.number(Int(String(digits.filter { $0 != "," }))!))
            } else if c.isLetter {
                let word = chars.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
                chars = chars.dropFirst(word.count)
                if word != ["l", "a", "y", "e", "r", "s"] && word != ["l", "a", "y", "e", "r"] {
                    tokens.append(.name(String(word)))
                }
            } else {
                chars = chars.dropFirst()
                switch c {
                case "+": tokens.append(.plus)
                case "×", "·": tokens.append(.times)
                case "(": tokens.append(.open)
                case ")": tokens.append(.close)
                default:
                    guard let power = superscripts[c] else { throw Failure(description: "unexpected \(c) in \(text)") }
                    tokens.append(.power(power))
                }
            }
        }
        return tokens
    }

    struct Parser {
        let tokens: [Token]
        let symbols: [String: Int]
        var position = 0

        mutating func sum() throws -> Int {
            var value = try product()
            while position < tokens.count, tokens[position] == .plus {
                position += 1
                value += try product()
            }
            return value
        }

        mutating func product() throws -> Int {
            var value = try power()
            while position < tokens.count, tokens[position] == .times {
                position += 1
                value *= try power()
            }
            return value
        }

        mutating func power() throws -> Int {
            let base = try atom()
            if position < tokens.count, case .power(let n) = tokens[position] {
                position += 1
                return (0..<n).reduce(1) { value, _ in value * base }
            }
            return base
        }

        mutating func atom() throws -> Int {
            guard position < tokens.count else { throw Failure(description: "formula ends early") }
            let token = tokens[position]
            position += 1
            switch token {
            case .number(let n): return n
            case .name(let name):
                guard let value = symbols[name] else { throw Failure(description: "unknown symbol \(name)") }
                return value
            case .open:
                let value = try sum()
                guard position < tokens.count, tokens[position] == .close else {
                    throw Failure(description: "missing )")
                }
                position += 1
                return value
            default: throw Failure(description: "unexpected \(token)")
            }
        }
    }
}
