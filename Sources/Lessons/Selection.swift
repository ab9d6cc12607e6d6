/// Where the learner's cursor is: which block (layer), which head, which query token (row) and
/// which key token (column), and the sampling settings a step about generation lets them turn: the
/// temperature and top-k's k. `{layer}`, `{head}`, `head`, `query`, `key`, `temperature` and `k` in a
/// lesson read it.
public struct Selection: Sendable, Equatable, Hashable, Codable {
    public var layer: Int
    public var head: Int
    public var query: Int
    public var key: Int
    /// The sampling temperature T (logits are divided by it before the softmax).
    public var temperature: Double
    /// How many of the likeliest tokens top-k sampling keeps.
    public var k: Int

    /// The temperature a learner starts with.
    public static let defaultTemperature = 1.0
    /// The k a learner starts with.
    public static let defaultK = 10
    /// The temperatures the learner's keys step through, lowest first; the first and last are the
    /// range a temperature is kept in.
    public static let temperatureLadder: [Double] = [0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5, 2, 3, 5]
    /// The lowest and highest temperature a selection may hold.
    public static let temperatureRange: ClosedRange<Double> = temperatureLadder.first!...temperatureLadder.last!

    public init(layer: Int = 0, head: Int = 0, query: Int = 0, key: Int = 0,
                temperature: Double = Selection.defaultTemperature, k: Int = Selection.defaultK) {
        self.layer = layer; self.head = head; self.query = query; self.key = key
        self.temperature = temperature; self.k = k
    }

    enum CodingKeys: String, CodingKey { case layer, head, query, key, temperature, k }

    /// Reads data written before the temperature and k were kept: they take their defaults.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(layer: try container.decode(Int.self, forKey: .layer), head: try container.decode(Int.self, forKey: .head),
                  query: try container.decode(Int.self, forKey: .query), key: try container.decode(Int.self, forKey: .key),
                  temperature: try container.decodeIfPresent(Double.self, forKey: .temperature) ?? Self.defaultTemperature,
                  k: try container.decodeIfPresent(Int.self, forKey: .k) ?? Self.defaultK)
    }

    /// The key/value head the selected query head reads (query head h reads h / (H / H_kv)).
    public func kvHead(in context: LessonContext) -> Int {
        head / max(1, context.config.nHeads / max(1, context.config.kvHeads))
    }

    /// The same selection moved inside the model and the input: every part between 0 and its count − 1,
    /// the temperature in `temperatureRange` and k from 1 to the vocabulary's size.
    public func clamped(in context: LessonContext) -> Selection {
        let counts = Self.counts(in: context)
        func clamp(_ value: Int, _ count: Int) -> Int { min(max(0, value), max(0, count - 1)) }
        let range = Self.temperatureRange
        return Selection(layer: clamp(layer, counts.layers), head: clamp(head, counts.heads), query: clamp(query, counts.queries),
                         key: clamp(key, counts.keys),
                         temperature: temperature.isNaN ? Self.defaultTemperature : min(max(range.lowerBound, temperature), range.upperBound),
                         k: clamp(k - 1, counts.vocabulary) + 1)
    }

    /// How many values each part can take in `context` (layers, heads, tokens, tokens, and the
    /// vocabulary's size, the largest k).
    public static func counts(in context: LessonContext) -> (layers: Int, heads: Int, queries: Int, keys: Int, vocabulary: Int) {
        let config = context.config
        let layers = max(config.nLayers, config.architecture == .encoderDecoder ? config.decoderLayers : 0)
        let tokens = max(context.tokens.count, context.inspection.decoderTokens?.count ?? 0)
        return (layers, config.nHeads, tokens, tokens, config.vocabSize)
    }

    /// The next rung of `temperatureLadder` above the temperature (`steps` 1) or below it (−1); a
    /// temperature between rungs moves to the nearest rung that way. It stays at the ladder's ends.
    public func temperature(steppedBy steps: Int) -> Double {
        let ladder = Self.temperatureLadder
        let tolerance = 1e-9
        if steps > 0 { return ladder.first { $0 > temperature + tolerance } ?? ladder.last! }
        if steps < 0 { return ladder.last { $0 < temperature - tolerance } ?? ladder.first! }
        return temperature
    }

    /// The temperature as the learner reads it: `0.7`, `1`, `1.5`.
    public var temperatureText: String { Self.text(temperature: temperature) }

    /// A temperature with at most two decimals and no trailing zeros (`0.7`, `1`, `1.5`).
    public static func text(temperature: Double) -> String {
        var text = NumberText.format(temperature, decimals: 2)
        while text.contains("."), text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
