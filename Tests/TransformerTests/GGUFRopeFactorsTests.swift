import Foundation
import Testing
import Tensor
@testable import Transformer

/// Tests/Fixtures/gguf/tiny-llama-rope-freqs.gguf (make_tiny_gguf_model.py): tiny-llama's weights plus
/// Llama 3.1's RoPE scaling as llama.cpp's converter stores it, `rope_freqs.weight` [32] computed from
/// llama3 parameters (factor 8, low 1, high 4, original context 16). Against the NumPy forward in
/// reference-tiny-rope-freqs (which divides pair i's frequency by rope_freqs[i], as llama.cpp's
/// `ggml_rope_ext` does), with tiny-llama's tolerances: every pattern entry within 1e-4, every logit
/// within 5e-4 × (1 + |reference|).
@Suite struct GGUFRopeFactors {
    static let path = Repository.path("Tests/Fixtures/gguf/tiny-llama-rope-freqs.gguf")
    static let references = Repository.path("Tests/Fixtures/gguf/reference-tiny-rope-freqs")

    struct Case: Decodable { let text: String; let ids: [Int] }

    /// The largest pattern and logit errors of `model` against the reference case `name`.
    static func errors(_ model: TransformerModel, case name: String) throws -> (pattern: Float, logits: Float) {
        let folder = references + "/" + name
        let reference = try JSONDecoder().decode(Case.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/case.json")))
        let result = try model.forward(reference.ids)
        let pattern = try NPY.read(path: folder + "/blocks.0.attn.pattern.npy")
        let actual = try #require(result.cache["blocks.0.attn.pattern"])
        #expect(actual.shape == pattern.shape)
        let logits = try NPY.read(path: folder + "/logits.npy")
        let computed = try #require(result.logits)
        #expect(computed.shape == logits.shape)
        return (zip(actual.scalars, pattern.scalars).map { abs($0 - $1) }.max() ?? .infinity,
                zip(computed.scalars, logits.scalars).map { abs($0 - $1) / (1 + abs($1)) }.max() ?? .infinity)
    }

    @Test(arguments: ["fox", "code"])
    func matchesTheNumPyReference(name: String) throws {
        let loaded = try ModelDirectory.load(path: Self.path)
        guard case .frequencyFactors(let factors)? = loaded.config.ropeScaling else {
            Issue.record("rope_scaling is \(String(describing: loaded.config.ropeScaling))"); return
        }
        #expect(factors.count == 32 && factors.last == 8)
        let reference = try JSONDecoder().decode(Case.self, from: Data(contentsOf: URL(fileURLWithPath: Self.references + "/\(name)/case.json")))
        #expect(loaded.tokenizer.encode(reference.text).map(\.id) == reference.ids)
        let (pattern, logits) = try Self.errors(loaded.model, case: name)
        #expect(pattern <= GGUFTinyModel.patternTolerance, "pattern differs by \(pattern)")
        #expect(logits <= GGUFTinyModel.logitTolerance, "logits differ by \(logits) × (1 + |ref|)")
    }

    /// The same weights with the factors left out miss the reference by far more than its tolerance.
    @Test(arguments: ["fox", "code"])
    func withoutTheFactorsTheReferenceIsMissed(name: String) throws {
        let loaded = try ModelDirectory.load(path: Self.path)
        var config = loaded.config
        config.ropeScaling = nil
        let plain = try TransformerModel(config: config, parameters: loaded.model.parameters)
        let (pattern, logits) = try Self.errors(plain, case: name)
        #expect(pattern > 100 * GGUFTinyModel.patternTolerance, "pattern differs by only \(pattern)")
        #expect(logits > 100 * GGUFTinyModel.logitTolerance, "logits differ by only \(logits) × (1 + |ref|)")
    }

    /// The file's factors turn the pairs as the Hugging Face loader's llama3 scaling of the same
    /// parameters does (float32 factors: within 1e-6 relative).
    @Test func theFactorsAreLlama3sScaling() throws {
        let loaded = try ModelDirectory.load(path: Self.path)
        let fromFile = RotaryEmbedding(headSize: 64, theta: 10000, scaling: loaded.config.ropeScaling)
        let llama3 = RotaryEmbedding(headSize: 64, theta: 10000, scaling: .llama3(
            factor: 8, lowFrequencyFactor: 1, highFrequencyFactor: 4, originalMaxPositions: 16))
        #expect(fromFile.inverseFrequencies.count == 32)
        for (got, want) in zip(fromFile.inverseFrequencies, llama3.inverseFrequencies) {
            #expect(abs(got - want) <= 1e-6 * want, "\(got) vs \(want)")
        }
        guard case .object(let fields) = loaded.rawConfig, case .object(let scaling)? = fields["rope_scaling"] else {
            Issue.record("the config does not show the scaling"); return
        }
        #expect(scaling["rope_type"] == .string("frequency_factors"))
    }

    /// A linear scaling in the metadata (`rope.scaling.type` linear) multiplies every factor, as
    /// llama.cpp's `freq_scale` does.
    @Test func aLinearScalingIsFoldedIn() throws {
        let file = try GGUF.open(path: Self.path)
        let plain = try #require(try GGUFRopeFactorsReader.read(file, headSize: 64, linear: nil))
        let folded = try #require(try GGUFRopeFactorsReader.read(file, headSize: 64, linear: .linear(factor: 2)))
        guard case .frequencyFactors(let a) = plain, case .frequencyFactors(let b) = folded else {
            Issue.record("not frequency factors"); return
        }
        #expect(b == a.map { $0 * 2 })
        #expect(try GGUFRopeFactorsReader.read(try GGUF.open(path: GGUFTinyModel.path), headSize: 64, linear: nil) == nil)
    }

    /// A copy of the fixture with `patch` applied to its bytes, given the offsets of the tensor
    /// info's axis length and type and of the tensor's data; the error loading it, after "path: ".
    static func failure(_ patch: (inout [UInt8], _ axis: Int, _ type: Int, _ data: Int) -> Void,
                        sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let name = Array(GGUFRopeFactorsReader.tensorName.utf8)
        let at = try #require((0...(bytes.count - name.count)).first { Array(bytes[$0..<$0 + name.count]) == name })
        let file = try GGUF.open(path: path)
        let info = try #require(file.info(GGUFRopeFactorsReader.tensorName))
        // After the name: axis count (u32), its one axis (u64), type (u32), offset (u64).
        patch(&bytes, at + name.count + 4, at + name.count + 12, file.dataStart + info.offset)
        let directory = try TemporaryDirectory()
        let copy = try directory.write("broken.gguf", bytes)
        do {
            _ = try ModelDirectory.load(path: copy)
        } catch let error as ModelError {
            let text = error.description
            #expect(text.hasPrefix(copy + ": "), "error does not name the file: \(text)", sourceLocation: sourceLocation)
            #expect(text.contains("rope_freqs.weight"), "error does not name the tensor: \(text)", sourceLocation: sourceLocation)
            return String(text.dropFirst(copy.count + 2))
        }
        Issue.record("a corrupt rope_freqs.weight loaded", sourceLocation: sourceLocation)
        return ""
    }

    static func putFloat(_ value: Float, _ bytes: inout [UInt8], at offset: Int) {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.replaceSubrange(offset..<offset + 4, with: $0) }
    }

    @Test func aCorruptTensorIsAClearError() throws {
        let wrongType = try Self.failure { bytes, _, type, _ in bytes[type] = 1 }   // F16
        #expect(wrongType.contains("is F16, not F32"), "\(wrongType)")
        let wrongLength = try Self.failure { bytes, axis, _, _ in bytes[axis] = 16 }
        #expect(wrongLength.contains("has shape [16], not [32]"), "\(wrongLength)")
        for bad: Float in [0, -1.5, .nan, .infinity] {
            let message = try Self.failure { bytes, _, _, data in Self.putFloat(bad, &bytes, at: data + 4 * 5) }
            #expect(message.contains("at index 5") && message.contains("positive"), "\(message)")
        }
    }

    @Test func factorsRoundTripAndAreChecked() throws {
        let scaling = RopeScaling.frequencyFactors([1, 2.5, 8])
        #expect(try JSONDecoder().decode(RopeScaling.self, from: JSONEncoder().encode(scaling)) == scaling)
        #expect(scaling.scale([1, 0.5, 0.25]) == [1, 0.2, 0.03125])
        #expect(RopeScaling.frequencyFactors([1, 0, 2]).problem?.contains("factor 1") == true)
        #expect(scaling.problem == nil)
        var config = try Repository.model("tiny-llama").config
        config.ropeScaling = .frequencyFactors(Array(repeating: 2, count: config.headSize / 2 + 1))
        #expect(throws: ModelError.self) { try config.validate() }
        config.ropeScaling = .frequencyFactors(Array(repeating: 2, count: config.headSize / 2))
        try config.validate()
    }
}
