import Foundation
import Testing
import Tensor
@testable import Transformer

@Suite struct ExportContract {
    static let sentence = "the animal didn't cross the street because it was too tired"

    struct Variant: CustomStringConvertible, Sendable {
        var model: String
        var mask: String?
        var target: String?
        var description: String { "\(model) \(mask ?? "default")" }
    }

    static let variants: [Variant] = [
        Variant(model: "tiny-gpt"), Variant(model: "tiny-gpt", mask: "bidirectional"),
        Variant(model: "tiny-gpt", mask: "prefix:4"),
        Variant(model: "tiny-bert"), Variant(model: "tiny-bert", mask: "causal"),
        Variant(model: "tiny-bert", mask: "prefix:2"),
        Variant(model: "tiny-llama"), Variant(model: "tiny-llama", mask: "prefix:3"),
        Variant(model: "tiny-transformer", target: "the cat"),
        Variant(model: "tiny-transformer", mask: "bidirectional", target: "the cat"),
        Variant(model: "tiny-transformer", mask: "prefix:2", target: "the cat sat"),
    ]

    static func export(_ variant: Variant, to directory: String) throws -> Inspection {
        let loaded = try Repository.model(variant.model)
        let inspection = try Inspection(loaded, text: sentence, target: variant.target,
                                        mask: variant.mask.flatMap(AttentionMask.init))
        try Exporter.write(inspection, loaded: loaded, to: directory, display: loaded.tokenizer.display)
        return inspection
    }

    @Test(arguments: variants)
    func sharedCheckerAcceptsTheExport(_ variant: Variant) throws {
        let directory = try TemporaryDirectory()
        let out = directory.file("export")
        _ = try Self.export(variant, to: out)
        Repository.expectExportPasses(out, what: "\(variant)")
    }

    @Test func manifestAndTokens() throws {
        let directory = try TemporaryDirectory()
        let out = directory.file("export")
        let inspection = try Self.export(Variant(model: "tiny-transformer", mask: "prefix:2", target: "the cat"), to: out)
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/manifest.json"))) as! [String: Any]
        #expect(manifest["architecture"] as? String == "encoder-decoder")
        #expect(manifest["norm"] as? String == "post")
        #expect(manifest["mask"] as? String == "prefix:2")
        #expect(manifest["model"] as? String == "tiny-transformer")
        #expect((manifest["config"] as? [String: Any])?["model_type"] as? String == "explorer")
        #expect((manifest["input"] as? [String: Any])?["target"] as? String == "the cat")
        let hooks = manifest["hooks"] as! [String: [Int]]
        #expect(hooks.count == inspection.result.cache.count)
        #expect(hooks["decoder.blocks.0.cross_attn.pattern"]?.count == 3)
        let tokens = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/tokens.json"))) as! [String: Any]
        #expect(tokens["ids"] as? [Int] == inspection.ids)
        #expect((tokens["decoder_ids"] as? [Int])?.first == inspection.decoderTokens?.first?.id)
        for name in inspection.result.cache.names {
            #expect(FileManager.default.fileExists(atPath: out + "/\(name).npy"), "\(name).npy")
        }
    }

    @Test func refusesADirectoryWithOtherFiles() throws {
        let directory = try TemporaryDirectory()
        _ = try directory.write("notes.txt", Array("mine".utf8))
        #expect(throws: ModelError.self) { _ = try Self.export(Variant(model: "tiny-gpt"), to: directory.path) }
        #expect(try directory.contents() == ["notes.txt"])
    }

    @Test func replacesAnEarlierExportOnly() throws {
        let directory = try TemporaryDirectory()
        let out = directory.file("export")
        _ = try Self.export(Variant(model: "tiny-llama"), to: out)
        try Data("keep".utf8).write(to: URL(fileURLWithPath: out + "/README.txt"))
        _ = try Self.export(Variant(model: "tiny-gpt"), to: out)
        let names = try FileManager.default.contentsOfDirectory(atPath: out)
        #expect(names.contains("README.txt"))
        // tiny-llama has 4 heads with grouped K/V; nothing of its export may survive.
        let k = try NPY.read(path: out + "/blocks.0.attn.k.npy")
        #expect(k.shape[0] == 2 && k.shape[2] == 8)
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/manifest.json"))) as! [String: Any]
        #expect(names.filter { $0.hasSuffix(".npy") }.count == (manifest["hooks"] as! [String: Any]).count)
    }
}
