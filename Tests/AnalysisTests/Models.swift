import Foundation
import Tensor
import Transformer

/// The repository's bundled models, loaded for the tests.
enum Models {
    /// The repository root (this file is `Tests/AnalysisTests/Models.swift`).
    static let root: String = {
        var path = "\(#filePath)" as NSString
        for _ in 0..<3 { path = path.deletingLastPathComponent as NSString }
        return path as String
    }()

    static let bundled = ["tiny-gpt", "tiny-bert", "tiny-llama", "tiny-transformer"]

    static func load(_ name: String) throws -> LoadedModel {
        try ModelDirectory.load(path: (root as NSString).appendingPathComponent("Models/\(name)"), name: name, bundled: true)
    }

    /// A run recording everything, `attn.weighted` included (a target for an encoder–decoder).
    static func run(_ loaded: LoadedModel, text: String = "the cat sat on the mat because it was tired") throws -> Inspection {
        let target: String? = loaded.config.architecture == .encoderDecoder ? "the cat sat" : nil
        return try Inspection(loaded, text: text, target: target, recording: .all, weightedLimit: nil)
    }

    /// A one-block decoder of width 2 with one head of size 2: small enough to work by hand.
    static let handConfig = ModelConfig(
        architecture: .decoder, normPosition: .pre, activation: .gelu, positional: .learned,
        vocabSize: 3, dModel: 2, nHeads: 1, dFF: 4, nLayers: 1, maxPositions: 4, mask: .causal)
}
