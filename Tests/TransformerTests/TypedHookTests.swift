import Testing
@testable import Transformer

/// The typed hooks, computed from the config alone, name exactly what a forward pass records, with
/// the shapes it records, for every bundled model and every Hugging Face fixture.
@Suite struct TypedHooks {
    static let models: [(name: String, path: String)] =
        Repository.bundledModels.map { ($0, Repository.path("Models/\($0)")) }
        + HuggingFaceFixtures.models.map { ($0, HuggingFaceFixtures.directory($0)) }

    static func load(_ name: String) throws -> LoadedModel {
        let path = models.first { $0.name == name }!.path
        return try ModelDirectory.load(path: path, name: name, tokenizer: .ifSupported)
    }

    @Test(arguments: models.map(\.name))
    func namesAndShapesAreWhatTheForwardPassRecords(_ model: String) throws {
        let loaded = try Self.load(model)
        let config = loaded.config
        let ids = (0..<7).map { (3 + 11 * $0) % config.vocabSize }
        let decoderIds = config.architecture == .encoderDecoder ? Array(ids.prefix(4).reversed()) : nil
        let cache = try loaded.model.forward(ids, decoderIds: decoderIds, recording: .all, weightedLimit: nil).cache
        let hooks = config.hooks
        #expect(Set(hooks.map(\.name)) == Set(cache.names), "\(model): names differ")
        #expect(hooks.map(\.name) == cache.names, "\(model): order differs")
        #expect(hooks.count == Set(hooks.map(\.name)).count, "\(model): a name twice")
        let (t, tDec) = (ids.count, decoderIds?.count ?? 0)
        let recorded = Dictionary(uniqueKeysWithValues: cache.shapes.map { ($0.name, $0.shape) })
        for hook in hooks {
            #expect(hook.shape(inputTokens: t, decoderTokens: tDec) == recorded[hook.name], "\(model): \(hook.name)")
        }
        // The derived entries are formed on reading, with the shape the hook says.
        for hook in hooks where hook.isDerived {
            #expect(cache[hook.name]?.shape == hook.shape(inputTokens: t, decoderTokens: tDec), "\(model): \(hook.name)")
        }
    }

    @Test(arguments: models.map(\.name))
    func everyNameParsesBackToItsHookAndSite(_ model: String) throws {
        let config = try Self.load(model).config
        for hook in config.hooks {
            #expect(Hook(parsing: hook.name, in: config) == hook, "\(model): \(hook.name)")
        }
        for site in config.sites {
            #expect(Site(parsing: site.name, in: config) == site, "\(model): site \(site.name)")
        }
        let attention = config.attentionSites
        #expect(attention.count == config.stacks.reduce(0) { $0 + config.layers(in: $1) * ($1 == .decoder ? 2 : 1) })
        for name in ["blocks.99.attn.pattern", "blocks.0.attn.nothing", "blocks.x.attn.q", "blocks.0.attn.", "", "decoder",
                     "encoder.logits", "blocks.0.cross_attn.q", "logits.x"] {
            let hook = Hook(parsing: name, in: config)
            #expect(hook == nil || config.hookNames.contains(name), "\(model): '\(name)' parsed as \(String(describing: hook?.name))")
        }
    }

    @Test func rolesSayWhichTokensEachAxisCounts() throws {
        let config = try Self.load("tiny-transformer").config
        let cross = try #require(Hook(parsing: "decoder.blocks.0.cross_attn.pattern", in: config))
        #expect(cross.roles == [.head, .query(.decoder), .key(.input)])
        #expect(cross.axes.map(\.symbol) == ["H", "T_dec", "T_enc"])
        #expect(cross.shape(inputTokens: 5, decoderTokens: 3) == [config.nHeads, 3, 5])
        let keys = try #require(Hook(parsing: "decoder.blocks.0.cross_attn.k", in: config))
        #expect(keys.roles == [.kvHead, .key(.input), .feature])
        let logits = try #require(Hook(parsing: "decoder.logits", in: config))
        #expect(logits.roles == [.query(.decoder), .vocabulary])
        #expect(Hook(parsing: "logits", in: config) == nil)
        #expect(Site(parsing: "decoder.blocks.0.cross_attn", in: config)?.kind == .crossAttention)
        #expect(Site(parsing: "encoder.blocks.0", in: config)?.kind == .residual)
        #expect(Site(parsing: "decoder.unembed", in: config)?.kind == .head)
        #expect(Site(parsing: "encoder.embed", in: config) == Site(stack: .encoder, kind: .embedding))
        #expect(Site(parsing: "encoder.unembed", in: config) == nil)

        let gpt = try Self.load("tiny-gpt").config
        #expect(Hook(parsing: "blocks.0.attn.weighted", in: gpt)?.axes.map(\.symbol) == ["H", "T", "T", "dh"])
        #expect(Hook(parsing: "decoder.blocks.0.attn.q", in: gpt) == nil)
        #expect(Hook(parsing: "blocks.0.ln1.out", in: gpt)?.site.kind == .ln1)
    }
}
