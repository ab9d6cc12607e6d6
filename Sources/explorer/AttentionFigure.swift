import Figures
import Foundation
import Tensor
import Terminal
import Transformer

/// One head of an attention hook of a run, as a `HeatmapFigure`: the values the model computed,
/// the readable tokens of the query and key sides, and a title naming model, hook, layer and head.
enum AttentionFigure {
    /// Runs `loaded` on `text` recording only `hook` (and the masked scores, which mark the cells a
    /// pattern's mask hid), and takes head `head` of it. A name that is not an [H,T,T] attention hook
    /// of the model, or a head out of range, is a usage error (status 64) that says what would do.
    static func make(_ loaded: LoadedModel, text: String, target: String?, hook name: String, head: Int) throws -> HeatmapFigure {
        let config = loaded.config
        let attentionPoints: [Hook.Point] = [.scores, .scaled, .masked, .pattern]
        let examples = config.hookNames.filter { $0.hasSuffix(".attn.pattern") }
        guard let hook = Hook(parsing: name, in: config) else {
            throw usageFailure("--hook '\(name)' is not a hook of \(loaded.name); attention heatmaps are "
                               + "\(examples.first.map { $0.replacingOccurrences(of: ".pattern", with: ".{scores,scaled,masked,pattern}") } ?? "none")"
                               + " for layers 0–\(max(0, examples.count - 1))")
        }
        guard hook.site.kind.isAttention, attentionPoints.contains(hook.point),
              case .head = hook.roles.first, hook.roles.count == 3 else {
            let shape = "[" + hook.axes.map(\.symbol).joined(separator: ",") + "]"
            throw usageFailure("--hook \(name) is \(shape), not an attention's [H,T,T]: use its site's scores, scaled, masked or pattern "
                               + "(e.g. \(examples.first ?? "blocks.0.attn.pattern"))")
        }
        let heads = hook.axes[0].size ?? 0
        guard head < heads else {
            throw usageFailure("--head \(head) is out of range: \(name) has \(heads) heads (0–\(heads - 1))")
        }
        var recorded = [name]
        let masked = hook.sibling(.masked, in: config)
        if hook.point == .pattern, let masked { recorded.append(masked.name) }
        let inspection = try Inspection(loaded, text: text, target: target, recording: HookFilter(patterns: recorded))
        guard let tensor = inspection.result.cache[name] else {
            throw ModelError.badInput("the run recorded no \(name)")
        }
        let slice = tensor.slice(head)
        let values = Matrix(rows: slice.shape[0], columns: slice.shape[1], values: slice.scalars)
        var hidden: [Bool] = []
        if hook.point == .pattern, let masked, let scores = inspection.result.cache[masked.name] {
            hidden = scores.slice(head).scalars.map { $0 == -.infinity }
        }
        func labels(_ role: AxisRole) -> [String] {
            let tokens = role.tokenSource == .decoder ? inspection.decoderTokens ?? [] : inspection.tokens
            return tokens.map { loaded.tokenizer.display($0.text) }
        }
        let weights = hook.point == .pattern
        let layer = hook.site.layer.map { "layer \($0), " } ?? ""
        let sentence = "\"" + text + "\"" + (target.map { " → \"" + $0 + "\"" } ?? "")
        return HeatmapFigure(
            title: "\(loaded.name) · \(name) · \(layer)head \(head)", subtitle: sentence,
            values: values, hidden: hidden, rowLabels: labels(hook.roles[1]), columnLabels: labels(hook.roles[2]),
            scale: weights ? .viridis : .blueRed, range: weights ? 0...1 : nil)
    }
}
