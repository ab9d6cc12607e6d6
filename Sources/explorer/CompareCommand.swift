import Analysis
import ArgumentParser
import Foundation
import Tensor
import Terminal
import Transformer

/// `explorer compare --text A --text B`: one head's attention on two sentences, and where they differ.
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare one attention head on two sentences: both tokenizations, both patterns, their difference.",
        discussion: """
            The tokens of the two sentences are lined up by their strings, as a diff lines up lines; \
            the difference B − A is shown for the cells whose query and key both line up, and the tokens \
            with no partner are named. --export DIR writes DIR/a/ and DIR/b/ (two ordinary exports, see \
            `explorer inspect --help`), DIR/difference.npy ([lined-up queries, lined-up keys], B − A) and \
            DIR/alignment.json (the pairs, the tokens without a partner, the hook and head).
            """)

    @OptionGroup var modelOption: ModelOption

    @Option(name: .long, help: ArgumentHelp("The two sentences: give --text twice (A, then B).", valueName: "TEXT"))
    var text: [String] = []

    @Option(name: .long, help: ArgumentHelp("The decoder's input for both, for an encoder-decoder model.", valueName: "TEXT"))
    var target: String?

    @Option(name: .long, help: ArgumentHelp("An attention matrix hook: blocks.L.attn.{pattern,scaled,masked,scores}, cross_attn too (default: the first attention's pattern).", valueName: "NAME"))
    var hook: String?

    @Option(name: .long, help: ArgumentHelp("The head, counting from 0 as the screen does.", valueName: "H"))
    var head: Int = 0

    @Option(name: .long, help: ArgumentHelp("Write both runs, the difference and the alignment here.", valueName: "DIR"))
    var export: String?

    @Flag(name: .long, help: "Print the tokens, both matrices, the difference and the alignment as JSON.")
    var json = false

    func validate() throws {
        guard text.count == 2 else {
            throw ValidationError("give exactly two sentences, --text A --text B (got \(text.count))")
        }
        guard head >= 0 else { throw ValidationError("--head counts from 0, got \(head)") }
    }

    func run() throws {
        let loaded = try modelOption.load()
        let config = loaded.config
        let chosen = try compareHook(hook, in: config)
        let heads = config.hookHeads(chosen)
        guard head < heads else {
            throw usageFailure("--head \(head): \(chosen.name) has \(heads) head\(heads == 1 ? "" : "s"), 0 to \(heads - 1)")
        }
        let target = config.architecture == .encoderDecoder ? (self.target ?? "") : self.target
        let a = try Inspection(loaded, text: text[0], target: target.flatMap { $0.isEmpty ? nil : $0 })
        let b = try Inspection(loaded, text: text[1], target: target.flatMap { $0.isEmpty ? nil : $0 })
        guard let comparison = PatternComparison(hook: chosen, head: head, a: ComparedRun(a), b: ComparedRun(b)) else {
            throw ModelError.badInput("\(chosen.name) was not recorded for both sentences")
        }
        if let export {
            try ComparisonExport.write(comparison, hook: chosen, head: head, a: a, b: b, loaded: loaded, to: export)
        }
        let report = ComparisonReport(comparison: comparison, hook: chosen, head: head, a: a, b: b, loaded: loaded)
        if json {
            print(try report.json())
        } else {
            print(report.rendered())
            if let export { print("\nexported both runs, difference.npy and alignment.json to \(Sanitizer.sanitize(export))") }
        }
    }
}

/// The hook `compare` reads: the one named (it must be an attention matrix `[H, T_q, T_k]`), or the
/// first attention's pattern.
func compareHook(_ name: String?, in config: ModelConfig) throws -> Hook {
    let allowed = PatternComparison.comparablePoints.map(\.rawValue).sorted().joined(separator: ", ")
    guard let name else {
        guard let site = config.attentionSites.first, let hook = config.hook(.pattern, at: site) else {
            throw ModelError.badInput("this model has no attention to compare")
        }
        return hook
    }
    guard let hook = Hook(parsing: name, in: config) else {
        throw usageFailure("--hook: this model records nothing named '\(name)' (see `explorer inspect --help` for the names)")
    }
    guard PatternComparison.comparablePoints.contains(hook.point), hook.site.kind.isAttention else {
        throw usageFailure("--hook \(name) is not an attention matrix [H, T_q, T_k]; compare one of its \(allowed)")
    }
    return hook
}

extension ModelConfig {
    /// How many heads the attention matrices at `hook`'s site have.
    func hookHeads(_ hook: Hook) -> Int { hook.axes.first?.size ?? nHeads }
}
