import Foundation
import Testing
import Tensor
@testable import Transformer

/// Generation with the KV cache against the plain path (the whole sequence run again for every
/// token): the same greedy ids on every model that generates, bundled and Hugging Face (learned
/// positions, sinusoidal, RoPE with and without scaling, grouped-query heads, an encoder–decoder);
/// every step's logits within |a − b| ≤ 1e-4 × (1 + |plain|); a recorded step's hooks within the same
/// tolerance of the last row of a full forward over the same sequence.
@Suite struct KVCacheParity {
    static let tolerance: Float = 1e-4

    /// Every model that generates, with a prompt's ids.
    static let models: [String] = ["tiny-gpt", "tiny-llama", "tiny-transformer",
                                   "tiny-gpt2", "hf/tiny-llama", "tiny-llama3-rope", "tiny-qwen2", "tiny-mistral"]

    static func load(_ model: String) throws -> LoadedModel {
        if Repository.bundledModels.contains(model) { return try Repository.model(model) }
        let name = model.hasPrefix("hf/") ? String(model.dropFirst(3)) : model
        return try ModelDirectory.load(path: HuggingFaceFixtures.directory(name), name: name, tokenizer: .ifSupported)
    }

    /// A prompt as the model sees it: the first reference case's ids for a Hugging Face fixture.
    static func prompt(_ model: String, _ loaded: LoadedModel) throws -> [Int] {
        if Repository.bundledModels.contains(model) {
            return try loaded.tokenizer.checkedEncode("the cat sat on the mat").map(\.id)
        }
        let reference = try #require(HuggingFaceFixtures.cases.first { $0.model == loaded.name })
        return Array(reference.ids.prefix(12))
    }

    /// Generates greedily, never stopping early, and keeps each step's id and logits.
    static func run(_ loaded: LoadedModel, _ ids: [Int], tokens: Int, kvCache: Bool,
                    recording: HookFilter = .none) throws -> [GenerationStep] {
        var steps: [GenerationStep] = []
        let generation = try loaded.model.generate(
            ids, maxTokens: tokens, settings: SamplingSettings(temperature: 0), seed: 0,
            options: GenerationOptions(kvCache: kvCache, recording: recording, stopIds: [])) { steps.append($0) }
        #expect(generation.ids == steps.map(\.id))
        return steps
    }

    @Test(arguments: models)
    func greedyIdsAndLogitsMatchThePlainPath(_ model: String) throws {
        let loaded = try Self.load(model)
        let ids = try Self.prompt(model, loaded)
        // Up to the context's end (the bundled models hold 32 positions), so the last steps run there.
        let tokens = min(24, loaded.config.maxPositions - (loaded.config.architecture == .encoderDecoder ? 1 : ids.count))
        let cached = try Self.run(loaded, ids, tokens: tokens, kvCache: true)
        let plain = try Self.run(loaded, ids, tokens: tokens, kvCache: false)
        #expect(cached.count == tokens)
        #expect(cached.map(\.id) == plain.map(\.id), "\(model)")
        #expect(cached.map(\.tokensRun) == [cached[0].tokensRun] + Array(repeating: 1, count: tokens - 1))
        var worst: Float = 0
        for (a, b) in zip(cached, plain) {
            let (x, y) = (Tensor(shape: [a.logits.count], scalars: a.logits), Tensor(shape: [b.logits.count], scalars: b.logits))
            worst = max(worst, x.maxRelativeError(to: y))
        }
        print("kv cache \(model): \(tokens) tokens, logits differ by at most \(worst)")
        #expect(worst <= Self.tolerance, "\(model): logits differ by \(worst)")
    }

    /// Each recorded step holds the new token's row of every hook a full forward records (the
    /// encoder's aside), within the tolerance.
    @Test(arguments: models)
    func recordedStepIsTheLastRowOfAFullForward(_ model: String) throws {
        let loaded = try Self.load(model)
        let ids = try Self.prompt(model, loaded)
        let encoderDecoder = loaded.config.architecture == .encoderDecoder
        let steps = try Self.run(loaded, ids, tokens: 4, kvCache: true, recording: .all)
        var running = encoderDecoder ? [loaded.config.decoderStartTokenId ?? 0] : ids
        for (n, step) in steps.enumerated() {
            let full = encoderDecoder
                ? try loaded.model.forward(ids, decoderIds: running, recording: .all)
                : try loaded.model.forward(running, recording: .all)
            let expectedNames = full.cache.names.filter { !$0.hasPrefix("encoder.") }
            #expect(step.cache.names == expectedNames, "\(model) step \(n)")
            for name in expectedNames {
                let expected = try #require(full.cache[name])
                let actual = try #require(step.cache[name], "\(model) step \(n): no \(name)")
                // The prompt's pass records every row; later passes, the new token's row.
                let wanted = n == 0 || name.contains("cross_attn.k") || name.contains("cross_attn.v")
                    ? expected : Self.lastRow(expected, axis: expected.shape.count == 2 ? 0 : 1)
                #expect(actual.shape == wanted.shape, "\(model) step \(n): \(name) \(actual.shape) vs \(wanted.shape)")
                let error = Self.maxError(actual, wanted)
                #expect(error <= Self.tolerance, "\(model) step \(n): \(name) differs by \(error)")
            }
            running.append(step.id)
        }
    }

    /// The last index along `axis` of `tensor`, keeping the axis (length 1).
    static func lastRow(_ tensor: Tensor, axis: Int) -> Tensor {
        var shape = tensor.shape
        let outer = shape[..<axis].reduce(1, *), inner = shape[(axis + 1)...].reduce(1, *), length = shape[axis]
        let scalars = tensor.scalars
        var out: [Float] = []
        for o in 0..<outer { out += scalars[((o * length + length - 1) * inner)..<((o * length + length) * inner)] }
        shape[axis] = 1
        return Tensor(shape: shape, scalars: out)
    }

    /// max |a − b| / (1 + |b|), −∞ equal to −∞; infinity when the shapes differ.
    static func maxError(_ a: Tensor, _ b: Tensor) -> Float {
        guard a.shape == b.shape else { return .infinity }
        return zip(a.scalars, b.scalars).reduce(0) { worst, pair in
            if pair.0 == pair.1 { return worst }
            return max(worst, abs(pair.0 - pair.1) / (1 + abs(pair.1)))
        }
    }
}

@Suite struct KVCacheBehaviour {
    /// Appending past the capacity moves the held rows into larger storage, in order, per head.
    @Test func layerStorageGrowsAndKeepsEveryRow() {
        var layer = LayerKeysValues(kvHeads: 2, headSize: 3, capacity: 1)
        // Head h, position p, component c holds 100h + 10p + c.
        func rows(_ positions: Range<Int>, offset: Float = 0) -> Tensor {
            var scalars: [Float] = []
            for h in 0..<2 { for p in positions { for c in 0..<3 { scalars.append(Float(100 * h + 10 * p + c) + offset) } } }
            return Tensor(shape: [2, positions.count, 3], scalars: scalars)
        }
        layer.append(keys: rows(0..<2), values: rows(0..<2, offset: 0.5))
        layer.append(keys: rows(2..<3), values: rows(2..<3, offset: 0.5))
        layer.append(keys: rows(3..<5), values: rows(3..<5, offset: 0.5))
        #expect(layer.count == 5)
        #expect(layer.capacity >= 5)
        #expect(layer.heldKeys.shape == [2, 5, 3])
        #expect(layer.heldKeys.scalars == rows(0..<5).scalars)
        #expect(layer.heldValues.scalars == rows(0..<5, offset: 0.5).scalars)
    }

    /// Positions continue where the cache stopped: a prompt run in two parts gives the same last
    /// logits as one pass over it (learned positions and RoPE).
    @Test(arguments: ["tiny-gpt", "tiny-llama"])
    func promptInPartsMatchesOnePass(_ model: String) throws {
        let loaded = try Repository.model(model)
        let ids = try loaded.tokenizer.checkedEncode("the cat sat on the mat because it was tired").map(\.id)
        var cache = try loaded.model.makeKVCache(capacity: 2)
        _ = try loaded.model.forward(Array(ids[..<4]), cache: &cache)
        #expect(cache.count == 4)
        let parts = try #require(try loaded.model.forward(Array(ids[4...]), cache: &cache).logits)
        let whole = try #require(try loaded.model.forward(ids, recording: .none).logits)
        #expect(cache.count == ids.count)
        #expect(parts.shape == [1, loaded.config.vocabSize])
        let error = KVCacheParity.maxError(parts, KVCacheParity.lastRow(whole, axis: 0))
        #expect(error <= KVCacheParity.tolerance, "\(model): \(error)")
    }

    /// Past the context, a step is refused as a forward pass is.
    @Test func aStepPastTheContextIsRefused() throws {
        let loaded = try Repository.model("tiny-gpt")
        var cache = try loaded.model.makeKVCache(capacity: 8)
        _ = try loaded.model.forward(Array(repeating: 5, count: loaded.config.maxPositions), cache: &cache)
        #expect(throws: ModelError.self) { _ = try loaded.model.forward([5], cache: &cache) }
    }

    /// Under a bidirectional mask every earlier token would see the new one: the cache refuses to
    /// extend, and `generate` takes the plain path, giving the plain path's tokens.
    @Test func bidirectionalMaskIsNotCached() throws {
        let loaded = try Repository.model("tiny-gpt")
        var config = loaded.config
        config.mask = .bidirectional
        let model = try TransformerModel(config: config, parameters: loaded.model.parameters)
        var cache = try model.makeKVCache(capacity: 8)
        _ = try model.forward([2, 5, 6], cache: &cache)
        #expect(throws: ModelError.self) { _ = try model.forward([7], cache: &cache) }
        let greedy = SamplingSettings(temperature: 0)
        let cached = try model.generate([2, 5, 6], maxTokens: 6, settings: greedy, seed: 0,
                                        options: GenerationOptions(kvCache: true, stopIds: []))
        let plain = try model.generate([2, 5, 6], maxTokens: 6, settings: greedy, seed: 0,
                                       options: GenerationOptions(kvCache: false, stopIds: []))
        #expect(cached.ids == plain.ids)
    }

    /// The end-of-sequence token stops generation and is not among the ids; a sampled run with the
    /// cache draws the same tokens as the plain path from the same seed.
    @Test func stopTokenEndsGenerationOutsideTheIds() throws {
        let loaded = try Repository.model("tiny-gpt")
        let ids = try loaded.tokenizer.checkedEncode("the cat").map(\.id)
        let settings = SamplingSettings(temperature: 1)
        let free = try loaded.model.generate(ids, maxTokens: 10, settings: settings, seed: 7,
                                             options: GenerationOptions(stopIds: []))
        let plain = try loaded.model.generate(ids, maxTokens: 10, settings: settings, seed: 7,
                                              options: GenerationOptions(kvCache: false, stopIds: []))
        #expect(free.ids == plain.ids)
        let stop = free.ids[3]
        let stopped = try loaded.model.generate(ids, maxTokens: 10, settings: settings, seed: 7,
                                                options: GenerationOptions(stopIds: [stop]))
        let first = try #require(free.ids.firstIndex(of: stop))
        #expect(stopped.ids == Array(free.ids[..<first]))
        #expect(stopped.stoppedBy == stop)
    }
}
