import Foundation
import Testing
@testable import Transformer

/// A loaded model's parameter count is the number of weights its file holds: the loader keeps exactly
/// the file's parameters (no zeros for a bias the file lacks, no row of a table dropped), and
/// `parameterShapes()` lists exactly those. The expected number is read from the safetensors header
/// by a parse of its own (8-byte little-endian length, then JSON), not by `SafeTensorsHeader`.
@Suite struct FileParameterCount {
    /// The weights in `directory/model.safetensors`, buffers (`position_ids`, GPT-2's `attn.bias` and
    /// `attn.masked_bias`) and a head tied by `config.json` (`lm_head.weight`) left out.
    static func storedWeights(_ directory: String) throws -> Int {
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/model.safetensors"))
        let length = data.prefix(8).reversed().reduce(0) { $0 << 8 | Int($1) }
        let header = try #require(try JSONSerialization.jsonObject(with: data.dropFirst(8).prefix(length)) as? [String: Any])
        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/config.json"))) as? [String: Any]
        let tied = config?["tie_word_embeddings"] as? Bool ?? true
        return try header.filter { name, _ in
            name != "__metadata__" && !name.hasSuffix("position_ids") && !name.hasSuffix(".attn.bias")
                && !name.hasSuffix(".attn.masked_bias") && !(tied && name == "lm_head.weight")
        }.reduce(0) { total, entry in
            let shape = try #require((entry.value as? [String: Any])?["shape"] as? [Int], "\(entry.key)")
            return total + shape.reduce(1, *)
        }
    }

    @Test(arguments: HuggingFaceFixtures.models)
    func huggingFaceFixture(_ model: String) throws {
        let directory = HuggingFaceFixtures.directory(model)
        let loaded = try HuggingFaceParity.load(model)
        let stored = try Self.storedWeights(directory)
        #expect(try ParameterReport(config: loaded.config, name: model).total == stored)
        #expect(loaded.model.parameters.tensors.values.reduce(0) { $0 + $1.count } == stored)
    }

    @Test(arguments: Repository.bundledModels)
    func bundledModel(_ model: String) throws {
        let loaded = try Repository.model(model)
        #expect(try ParameterReport(config: loaded.config, name: model).total == (try Self.storedWeights(Repository.path("Models/\(model)"))))
    }
}
