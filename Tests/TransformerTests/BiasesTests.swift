import Foundation
import Testing
@testable import Transformer

/// `config.json`'s `"bias"`: the old single flag still reads as before, and the per-site form
/// names exactly the sites it sets.
@Suite struct BiasesTests {
    static func config(bias: String?) throws -> ModelConfig {
        let field = bias.map { "\"bias\": \($0)," } ?? ""
        let json = """
            {"model_type": "explorer", "architecture": "decoder", "norm_position": "pre", "activation": "gelu",
             "positional": "learned", "vocab_size": 10, "d_model": 4, "n_heads": 2, "d_ff": 8, "n_layers": 1,
             \(field) "max_positions": 6}
            """
        return try JSONDecoder().decode(ModelConfig.self, from: Data(json.utf8))
    }

    @Test func singleFlagReadsAsBefore() throws {
        #expect(try Self.config(bias: "true").biases == .standard)
        #expect(try Self.config(bias: "false").biases == .none)
        #expect(try Self.config(bias: nil).biases == .standard)
        #expect(!Biases.standard.mlpGate && Biases.standard.q && Biases.standard.lmHead && !Biases.none.any)
    }

    @Test func perSiteObject() throws {
        let qwen = try Self.config(bias: #"{"q": true, "k": true, "v": true}"#)
        #expect(qwen.biases == Biases(q: true, k: true, v: true))
        let names = Set(qwen.parameterShapes().map(\.name))
        #expect(names.contains("blocks.0.attn.b_V") && !names.contains("blocks.0.attn.b_O"))
        #expect(!names.contains("blocks.0.ln1.b") && !names.contains("unembed.b_U"))
        let mix = try Self.config(bias: #"{"o": true, "mlp_in": true, "mlp_gate": false, "mlp_out": true, "norm": true, "lm_head": true}"#)
        #expect(mix.biases == Biases(o: true, mlpIn: true, mlpOut: true, norm: true, lmHead: true))
    }

    @Test func unknownSiteOrWrongTypeIsAnError() throws {
        #expect(throws: DecodingError.self) { try Self.config(bias: #"{"q": true, "mlp_inn": true}"#) }
        #expect(throws: DecodingError.self) { try Self.config(bias: #""yes""#) }
        do {
            _ = try Self.config(bias: #"{"mlp_inn": true}"#)
        } catch let error as DecodingError {
            #expect(ModelDirectory.describe(error).contains("unknown bias site \"mlp_inn\""), "\(ModelDirectory.describe(error))")
        }
    }

    /// Encoding writes the short form where there is one, and every form reads back the same.
    @Test func roundTrip() throws {
        for biases in [Biases.standard, .none, Biases(q: true, k: true, v: true), Biases(mlpGate: true, norm: true)] {
            let data = try JSONEncoder().encode(biases)
            #expect(try JSONDecoder().decode(Biases.self, from: data) == biases)
            if biases == .standard { #expect(String(decoding: data, as: UTF8.self) == "true") }
            if biases == .none { #expect(String(decoding: data, as: UTF8.self) == "false") }
        }
        var config = try Self.config(bias: #"{"k": true}"#)
        config.positionOffset = 2
        let again = try JSONDecoder().decode(ModelConfig.self, from: try JSONEncoder().encode(config))
        #expect(again == config)
    }

    /// The bundled models' `"bias": true` / `false` load as before, with the parameters they had.
    @Test(arguments: Repository.bundledModels)
    func bundledModelsLoad(_ model: String) throws {
        let loaded = try Repository.model(model)
        #expect(loaded.config.biases == (model == "tiny-llama" ? .none : .standard))
        #expect(loaded.model.parameters.names == loaded.config.parameterShapes().map(\.name).sorted())
    }
}
