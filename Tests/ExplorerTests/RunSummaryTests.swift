import Testing
@testable import Explorer
import Transformer

/// A run's attention sites are the model's typed sites, sized by the run, with the token list each
/// side counts.
@Suite struct RunSummarySites {
    @Test(arguments: ["tiny-gpt", "tiny-bert", "tiny-llama", "tiny-transformer"])
    func sitesAreTheTypedAttentionSites(_ model: String) throws {
        let app = try Fixtures.app(model: model, text: "a dog chased the red ball")
        let run = try #require(app.state.run)
        let config = app.session.loaded.config
        let inspection = try #require(app.session.inspection)
        #expect(run.sites.map(\.site) == config.attentionSites)
        let (t, tDec) = (inspection.tokens.count, inspection.decoderTokens?.count ?? 0)
        for site in run.sites {
            let pattern = try #require(config.hook(.pattern, at: site.site))
            #expect([site.heads, site.queries, site.keys] == pattern.shape(inputTokens: t, decoderTokens: tDec), "\(site.name)")
            #expect(app.session.tensor(.pattern, at: site)?.shape == [site.heads, site.queries, site.keys])
            #expect(run.tokens(site.querySource).count == site.queries && run.tokens(site.keySource).count == site.keys)
        }
        if config.architecture == .encoderDecoder {
            let cross = try #require(run.sites.first { $0.site.kind == .crossAttention })
            #expect(cross.querySource == .decoder && cross.keySource == .input && cross.name == "decoder.blocks.0.cross_attn")
            #expect(GridScreen.shortName(cross) == "dec L0 cross")
            #expect(GridScreen.shortName(run.sites[0]) == "enc L0 self")
        } else {
            #expect(GridScreen.shortName(run.sites[1]) == "L1 self")
        }
    }
}
