/// Where the learner's cursor is: which block (layer), which head, which query token (row) and
/// which key token (column). `{layer}`, `{head}`, `head`, `query` and `key` in a lesson read it.
public struct Selection: Sendable, Equatable, Hashable, Codable {
    public var layer: Int
    public var head: Int
    public var query: Int
    public var key: Int

    public init(layer: Int = 0, head: Int = 0, query: Int = 0, key: Int = 0) {
        self.layer = layer; self.head = head; self.query = query; self.key = key
    }

    /// The key/value head the selected query head reads (query head h reads h / (H / H_kv)).
    public func kvHead(in context: LessonContext) -> Int {
        head / max(1, context.config.nHeads / max(1, context.config.kvHeads))
    }

    /// The same selection moved inside the model and the input: every part between 0 and its count − 1.
    public func clamped(in context: LessonContext) -> Selection {
        let config = context.config
        let layers = max(config.nLayers, config.architecture == .encoderDecoder ? config.decoderLayers : 0)
        let tokens = max(context.tokens.count, context.inspection.decoderTokens?.count ?? 0)
        func clamp(_ value: Int, _ count: Int) -> Int { min(max(0, value), max(0, count - 1)) }
        return Selection(layer: clamp(layer, layers), head: clamp(head, config.nHeads), query: clamp(query, tokens),
                         key: clamp(key, tokens))
    }

    /// How many values each part can take in `context` (layers, heads, tokens, tokens).
    public static func counts(in context: LessonContext) -> (layers: Int, heads: Int, queries: Int, keys: Int) {
        let config = context.config
        let layers = max(config.nLayers, config.architecture == .encoderDecoder ? config.decoderLayers : 0)
        let tokens = max(context.tokens.count, context.inspection.decoderTokens?.count ?? 0)
        return (layers, config.nHeads, tokens, tokens)
    }
}
