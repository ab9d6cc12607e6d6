import ArgumentParser
import Foundation
import Tensor
import Terminal
import Transformer

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a model on your text, print its tokens and a per-layer summary, and export every tensor.",
        discussion: """
            --export DIR writes DIR/<hook>.npy for every recorded hook (NumPy .npy, float32), \
            DIR/tokens.json and DIR/manifest.json. It refuses a non-empty DIR unless DIR holds an \
            earlier export, which it replaces.
            Hook names: embed, pos_embed, blocks.{l}.attn.{q,k,v,scores,scaled,masked,pattern,weighted,z,result,out}, \
            blocks.{l}.{resid_pre,ln1.out,resid_mid,ln2.out,mlp.pre,mlp.post,mlp.out,resid_post}, ln_final.out, logits, probs.
            """)

    @OptionGroup var modelOption: ModelOption

    @Option(name: .long, help: "The text to run the model on.")
    var text: String

    @Option(name: .long, help: "The decoder's input, for an encoder-decoder model.")
    var target: String?

    @Option(name: .long, help: ArgumentHelp("Override the self-attention mask (the decoder's, in an encoder-decoder).", valueName: "causal|bidirectional|prefix:N"))
    var mask: String?

    @Option(name: .long, help: ArgumentHelp("Write every recorded tensor, tokens.json and manifest.json here.", valueName: "DIR"))
    var export: String?

    @Option(name: .long, help: ArgumentHelp("Record only these hooks: comma-separated globs, `*` matching anything (e.g. 'blocks.0.attn.*,logits').", valueName: "GLOBS"))
    var hooks: String?

    @Flag(name: .long, help: "Print the tokens, hook shapes and summary as JSON.")
    var json = false

    func validate() throws {
        if let mask, AttentionMask(mask) == nil {
            throw ValidationError("--mask must be causal, bidirectional or prefix:N (N a whole number), got '\(mask)'")
        }
        if let hooks, HookFilter(parsing: hooks).isEmpty {
            throw ValidationError("--hooks names no hook: give comma-separated globs such as 'blocks.0.attn.*,logits'")
        }
    }

    func run() throws {
        let loaded = try modelOption.load()
        let filter = try hooks.map { try hookFilter($0, for: loaded.model) } ?? .all
        let inspection = try Inspection(loaded, text: text, target: target, mask: mask.flatMap(AttentionMask.init),
                                        recording: filter)
        if let export {
            try Exporter.write(inspection, loaded: loaded, to: export, display: loaded.tokenizer.display)
        }
        let summary = InspectionSummary(inspection, loaded: loaded)
        if json {
            print(try summary.json())
        } else {
            print(summary.rendered())
            if let export { print("exported \(inspection.result.cache.count) tensors to \(Sanitizer.sanitize(export))") }
        }
    }
}

/// `--hooks GLOBS` as a filter. Every glob must name something the model records (a typo should
/// not pass silently), and at least one glob must be given.
func hookFilter(_ text: String, for model: TransformerModel) throws -> HookFilter {
    let filter = HookFilter(parsing: text)
    let unknown = filter.isEmpty ? [text] : filter.unmatched(in: model.config.hookNames)
    guard unknown.isEmpty else {
        throw usageFailure("--hooks: no hook matches \(unknown.map { "'\($0)'" }.joined(separator: ", ")) (see `explorer inspect --help` for the names)")
    }
    return filter
}
