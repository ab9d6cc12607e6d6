import Foundation
import Testing
import Tensor
@testable import Transformer

/// Every hook of every bundled model matches the independent NumPy forward pass in
/// `Tests/Fixtures/reference.py` within 1e-5 × (1 + |reference|), -inf equal to -inf.
@Suite struct ReferenceParity {
    static let tolerance: Float = 1e-5

    struct Case: Decodable, CustomStringConvertible {
        var model: String
        var text: String
        var target: String?
        var mask: String
        var ids: [Int]
        var tokens: [String]
        var decoder_ids: [Int]?
        var directory: String = ""
        enum CodingKeys: String, CodingKey { case model, text, target, mask, ids, tokens, decoder_ids }
        var description: String { "\(model): \(text) [\(mask)]" }
    }

    static let cases: [Case] = {
        let root = Repository.path("Tests/Fixtures/reference")
        let files = FileManager.default
        var found: [Case] = []
        for model in ((try? files.contentsOfDirectory(atPath: root)) ?? []).sorted() {
            let modelDir = (root as NSString).appendingPathComponent(model)
            for name in ((try? files.contentsOfDirectory(atPath: modelDir)) ?? []).sorted() {
                let dir = (modelDir as NSString).appendingPathComponent(name)
                guard let data = files.contents(atPath: (dir as NSString).appendingPathComponent("case.json")),
                      var entry = try? JSONDecoder().decode(Case.self, from: data) else { continue }
                entry.directory = dir
                found.append(entry)
            }
        }
        return found
    }()

    @Test func fixturesCoverEveryBundledModel() {
        let covered = Set(Self.cases.map(\.model))
        for model in Repository.bundledModels { #expect(covered.contains(model), "no reference fixture for \(model)") }
    }

    @Test(arguments: cases)
    func everyHookMatches(_ reference: Case) throws {
        let loaded = try Repository.model(reference.model)
        let inspection = try Inspection(loaded, text: reference.text, target: reference.target,
                                        mask: AttentionMask(reference.mask), weightedLimit: nil)
        #expect(inspection.ids == reference.ids, "token ids differ")
        #expect(inspection.tokens.map(\.text) == reference.tokens, "tokens differ")
        if let decoderIds = reference.decoder_ids { #expect(inspection.decoderTokens?.map(\.id) == decoderIds) }
        let files = try FileManager.default.contentsOfDirectory(atPath: reference.directory)
            .filter { $0.hasSuffix(".npy") }
        #expect(!files.isEmpty)
        let cache = inspection.result.cache
        for file in files {
            let hook = String(file.dropLast(4))
            let expected = try NPY.read(path: (reference.directory as NSString).appendingPathComponent(file))
            guard let actual = cache[hook] else {
                Issue.record("\(reference): hook \(hook) is in the reference but was not recorded")
                continue
            }
            #expect(actual.shape == expected.shape, "\(hook): shape")
            let error = actual.maxRelativeError(to: expected)
            #expect(error <= Self.tolerance, "\(reference): \(hook) differs by \(error)")
        }
        // And nothing recorded that the reference does not have.
        let referenceHooks = Set(files.map { String($0.dropLast(4)) })
        for name in cache.names { #expect(referenceHooks.contains(name), "\(reference): \(name) has no reference") }
    }
}
