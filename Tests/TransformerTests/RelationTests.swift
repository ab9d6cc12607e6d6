import Testing
import Tensor
@testable import Transformer

/// Relations every forward pass must satisfy, on every bundled model.
@Suite struct Relations {
    static let sentence = "the cat sat on the mat because it was tired"

    static func patterns(_ model: String, mask: AttentionMask?) throws -> [(String, Tensor)] {
        let loaded = try Repository.model(model)
        let target: String? = loaded.config.architecture == .encoderDecoder ? "the cat sat" : nil
        let cache = try Inspection(loaded, text: sentence, target: target, mask: mask).result.cache
        return cache.names.filter { $0.hasSuffix("attn.pattern") }.map { ($0, cache[$0]!) }
    }

    @Test(arguments: Repository.bundledModels)
    func patternRowsSumToOne(_ model: String) throws {
        for (name, pattern) in try Self.patterns(model, mask: nil) {
            let (h, t, s) = (pattern.shape[0], pattern.shape[1], pattern.shape[2])
            for head in 0..<h {
                for i in 0..<t {
                    var sum: Float = 0
                    for j in 0..<s { sum += pattern[head, i, j] }
                    #expect(abs(sum - 1) < 1e-5, "\(model) \(name) head \(head) row \(i) sums to \(sum)")
                }
            }
        }
    }

    @Test(arguments: Repository.bundledModels)
    func maskedCellsAreExactlyZero(_ model: String) throws {
        for mask in [AttentionMask.causal, .prefix(3)] {
            for (name, pattern) in try Self.patterns(model, mask: mask) where !name.contains("cross_attn")
                && !name.hasPrefix("encoder.") {
                let (h, t) = (pattern.shape[0], pattern.shape[1])
                for head in 0..<h {
                    for i in 0..<t {
                        for j in 0..<t {
                            if mask.hides(query: i, key: j) {
                                #expect(pattern[head, i, j] == 0, "\(model) \(name) [\(head),\(i),\(j)]")
                            } else {
                                #expect(pattern[head, i, j] > 0, "\(model) \(name) [\(head),\(i),\(j)] visible but 0")
                            }
                        }
                    }
                }
            }
        }
    }

    @Test func prefixRule() {
        let mask = AttentionMask.prefix(3)
        // Inside the prefix every key is visible, including later ones.
        #expect(!mask.hides(query: 0, key: 2))
        // After it, causal.
        #expect(mask.hides(query: 3, key: 4))
        #expect(!mask.hides(query: 4, key: 3))
        #expect(mask.hides(query: 1, key: 3))
        #expect(AttentionMask("prefix:3") == mask && AttentionMask("prefix:-1") == nil && AttentionMask("sideways") == nil)
    }

    @Test func encoderOfAnEncoderDecoderIsAlwaysBidirectional() throws {
        for (name, pattern) in try Self.patterns("tiny-transformer", mask: .causal) where name.hasPrefix("encoder.") {
            #expect(pattern[0, 0, pattern.shape[2] - 1] > 0, "\(name): the encoder must see the whole input")
        }
    }

    @Test func recordingNothingStillComputesLogits() throws {
        let loaded = try Repository.model("tiny-gpt")
        let ids = loaded.tokenizer.encode(Self.sentence).map(\.id)
        let silent = try loaded.model.forward(ids, recording: .none)
        let full = try loaded.model.forward(ids, recording: .all)
        #expect(silent.cache.isEmpty)
        #expect(silent.logits!.maxRelativeError(to: full.cache["logits"]!) < 1e-6)
    }

    @Test func filterSelectsByGlob() throws {
        let loaded = try Repository.model("tiny-gpt")
        let ids = loaded.tokenizer.encode(Self.sentence).map(\.id)
        let cache = try loaded.model.forward(ids, recording: HookFilter(parsing: "blocks.0.attn.*, logits")).cache
        #expect(Set(cache.names) == Set(["q", "k", "v", "scores", "scaled", "masked", "pattern", "weighted", "z", "result", "out"]
            .map { "blocks.0.attn.\($0)" } + ["logits"]))
    }

    @Test func weightedIsFormedOnFirstReadAndEqualsPatternTimesV() throws {
        let loaded = try Repository.model("tiny-llama")   // grouped-query: 4 heads over 2 kv heads
        let ids = loaded.tokenizer.encode(Self.sentence).map(\.id)
        let cache = try loaded.model.forward(ids, recording: .all).cache
        let (pattern, v) = (cache["blocks.0.attn.pattern"]!, cache["blocks.0.attn.v"]!)
        let shape = cache.shapes.first { $0.name == "blocks.0.attn.weighted" }!.shape
        #expect(shape == [pattern.shape[0], ids.count, ids.count, v.shape[2]])
        let weighted = cache["blocks.0.attn.weighted"]!
        #expect(weighted.shape == shape)
        let group = pattern.shape[0] / v.shape[0]
        for h in 0..<shape[0] {
            for i in 0..<shape[1] {
                for j in 0..<shape[2] {
                    for c in 0..<shape[3] {
                        #expect(weighted[h, i, j, c] == pattern[h, i, j] * v[h / group, j, c])
                    }
                }
            }
        }
        #expect(cache["blocks.0.attn.weighted"]! == weighted)
    }

    /// The steps recorded one at a time equal the same steps recorded all together (each filter
    /// takes a different path through the attention kernel).
    @Test func eachStepAloneEqualsTheFullRecording() throws {
        let loaded = try Repository.model("tiny-gpt")
        let ids = loaded.tokenizer.encode(Self.sentence).map(\.id)
        let full = try loaded.model.forward(ids, recording: .all).cache
        for step in ["scores", "scaled", "masked", "pattern", "z", "result", "out"] {
            let name = "blocks.1.attn.\(step)"
            let alone = try loaded.model.forward(ids, recording: HookFilter(patterns: [name])).cache
            #expect(alone.names == [name])
            #expect(alone[name]! == full[name]!, "\(name)")
        }
        let masked = full["blocks.1.attn.masked"]!
        #expect(masked[0, 0, 1] == -.infinity && masked[0, 1, 0] == full["blocks.1.attn.scaled"]![0, 1, 0])
    }

    @Test func weightedIsLeftOutAboveTheLimit() throws {
        let loaded = try Repository.model("tiny-gpt")
        let ids = loaded.tokenizer.encode(Self.sentence).map(\.id)
        let result = try loaded.model.forward(ids, recording: .all, weightedLimit: 4)
        #expect(result.cache["blocks.0.attn.weighted"] == nil)
        #expect(result.omitted.contains("blocks.0.attn.weighted"))
        #expect(result.cache["blocks.0.attn.z"] != nil)
    }
}

@Suite struct GlobMatching {
    @Test func filtersMatchWholeNames() {
        #expect(HookFilter.all.matches("decoder.blocks.3.cross_attn.pattern") && HookFilter.all.matches(""))
        #expect(!HookFilter.none.matches("logits"))
        let some = HookFilter(parsing: " logits , blocks.*.attn.z")
        #expect(some.patterns == ["logits", "blocks.*.attn.z"])
        #expect(some.matches("logits") && some.matches("blocks.2.attn.z") && !some.matches("blocks.2.attn.q"))
        #expect(HookFilter(parsing: "x,*").matches("anything") && HookFilter(parsing: "*").isEmpty == false)
    }

    @Test func starMatchesAcrossDots() {
        #expect(HookFilter.glob("blocks.*.attn.pattern", matches: "blocks.10.attn.pattern"))
        #expect(HookFilter.glob("*pattern", matches: "decoder.blocks.0.cross_attn.pattern"))
        #expect(!HookFilter.glob("blocks.0.attn.*", matches: "blocks.0.mlp.out"))
        #expect(!HookFilter.glob("logits", matches: "decoder.logits"))
        #expect(HookFilter.glob("*", matches: ""))
        #expect(HookFilter(parsing: " a , ,b ").patterns == ["a", "b"])
    }
}
