/// What `explorer params` shows: a model's parameter count, part by part, each with its formula
/// in symbols (`L × (4·D² + 4·D)`) and in numbers (`12 layers × (4 × 768 × 768 + 4 × 768)`).
///
/// Encoded as JSON (`--json`) it reads
/// `{"config": "gpt2-small", "total": 124439808, "parts": [{"name": "embeddings", "count": …,
/// "formula": …, "symbolic": …}, …], "symbols": [{"symbol": "D", "value": 768, …}, …],
/// "feed_forward_to_attention": 1.999…}`.
public struct ParameterReport: Codable, Equatable, Sendable {
    /// One part of the model and how its count comes about.
    public struct Part: Codable, Equatable, Sendable {
        /// A `ModelPart` raw value: `embeddings`, `attention`, `feed-forward`, `norms`,
        /// `output head`, `pooler`.
        public var name: String
        public var count: Int
        /// The arithmetic with the config's numbers: `12 layers × (4 × 768 × 768 + 4 × 768)`.
        public var formula: String
        /// The same formula in the symbols of `symbols`: `L × (4·D² + 4·D)`.
        public var symbolic: String
        /// A remark a learner needs to read the count (a tied head, cross-attention included).
        public var note: String?
    }

    /// A size the formulas name: `D = 768`, the model width.
    public struct Symbol: Codable, Equatable, Sendable {
        public var symbol: String
        public var value: Int
        public var meaning: String
    }

    /// The config's name: a preset's name or the model's.
    public var config: String
    /// One line about the model, and where its numbers come from, when known.
    public var summary: String?
    public var source: String?
    /// The number of parameters: the sum of `ModelConfig.parameterShapes()`, and of `parts`.
    public var total: Int
    public var parts: [Part]
    /// The sizes the formulas use, in a fixed order (layers, vocabulary, …, widths).
    public var symbols: [Symbol]
    /// Feed-forward parameters per attention parameter (about 2 with F = 4D); nil without attention.
    public var feedForwardToAttention: Double?

    enum CodingKeys: String, CodingKey {
        case config, summary, source, total, parts, symbols
        case feedForwardToAttention = "feed_forward_to_attention"
    }

    /// Counts `config`'s parameters. Throws `ModelError.badConfig` when the config is invalid or its
    /// count does not fit in an `Int`.
    public init(config: ModelConfig, name: String, summary: String? = nil, source: String? = nil) throws {
        total = try config.parameterCount()
        self.config = name
        self.summary = summary
        self.source = source

        let shapes = config.parameterShapes()
        var shown: [ModelPart] = [.embeddings, .attention, .feedForward, .norms]
        if config.lmHead { shown.append(.outputHead) }
        if config.pooler { shown.append(.pooler) }
        var used = Set<FormulaSymbol>()
        parts = shown.map { part in
            let count = shapes.filter { $0.part == part }.reduce(0) { $0 + $1.count }
            let formula = config.formula(for: part)
            used.formUnion(formula.symbols)
            return Part(name: part.rawValue, count: count, formula: formula.numeric(in: config),
                        symbolic: formula.symbolic, note: config.note(on: part))
        }
        symbols = used.sorted().map { Symbol(symbol: $0.name, value: $0.value(in: config), meaning: $0.meaning) }
        let attention = count(of: .attention) ?? 0
        feedForwardToAttention = attention > 0 ? Double(count(of: .feedForward) ?? 0) / Double(attention) : nil
    }

    /// Counts a preset's parameters.
    public init(preset: ParameterPreset) throws {
        try self.init(config: preset.config, name: preset.name, summary: preset.summary, source: preset.source)
    }

    /// The count of one part; nil when the report does not list it (no LM head, no pooler).
    public func count(of part: ModelPart) -> Int? {
        parts.first { $0.name == part.rawValue }?.count
    }

    /// A table for the terminal, at most `width` columns wide (long formulas wrap at spaces):
    /// each part's count, share and formula, the total, and the feed-forward / attention ratio.
    public func text(width: Int = 80) -> String {
        var lines: [String] = []
        // Adds `words`, wrapped between words; continuation lines are indented.
        func add(_ words: [String], indent: Int = 4) {
            lines += wrap(words, width: width, continuation: String(repeating: " ", count: indent))
        }
        func add(_ line: String, indent: Int = 4) {
            let margin = String(line.prefix { $0 == " " })
            var words = line.dropFirst(margin.count).split(separator: " ").map(String.init)
            if !words.isEmpty { words[0] = margin + words[0] }
            add(words, indent: indent)
        }
        add(sanitized(config) + (summary.map { ": " + sanitized($0) } ?? ""))
        if let source { add("from " + sanitized(source)) }
        let legend = symbols.map { "\($0.symbol) = \(grouped($0.value)) (\($0.meaning))" }
        add(legend.enumerated().map { $0.offset < legend.count - 1 ? $0.element + "," : $0.element })
        lines.append("")

        let nameWidth = (parts.map(\.name) + ["total"]).map(\.count).max()!
        let countWidth = max("parameters".count, grouped(total).count)
        func row(_ name: String, _ count: String, _ share: String) -> String {
            name.padding(nameWidth) + "  " + count.padded(countWidth) + "  " + share.padded(6)
        }
        lines.append(row("part", "parameters", "share"))
        for part in parts {
            lines.append(row(part.name, grouped(part.count), percent(part.count)))
            if part.symbolic != "0" || part.note == nil {
                add("    " + part.symbolic, indent: 8)
                if part.formula != part.symbolic { add("  = " + part.formula, indent: 8) }
            }
            if let note = part.note { add("    (" + note + ")", indent: 5) }
        }
        lines.append(String(repeating: "─", count: nameWidth + countWidth + 10))
        lines.append(row("total", grouped(total), percent(total)) + (approximately(total).map { "   ≈ " + $0 } ?? ""))
        if let ratio = feedForwardToAttention {
            add("feed-forward / attention = \(grouped(count(of: .feedForward) ?? 0)) / "
                + "\(grouped(count(of: .attention) ?? 0)) ≈ \(twoDecimals(ratio))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - Formatting

    private func percent(_ count: Int) -> String {
        guard total > 0 else { return "—" }
        let tenths = (Double(count) * 1000 / Double(total)).rounded()
        if tenths == 0 && count > 0 { return "<0.1%" }
        return "\(Int(tenths) / 10).\(Int(tenths) % 10)%"
    }

    /// `124.4 million`, `6.74 billion`; nil below a thousand.
    private func approximately(_ n: Int) -> String? {
        let units: [(Int, String)] = [(1_000_000_000_000, "trillion"), (1_000_000_000, "billion"),
                                      (1_000_000, "million"), (1_000, "thousand")]
        guard let (unit, word) = units.first(where: { n >= $0.0 }) else { return nil }
        let decimals = n / unit < 10 ? 2 : 1
        let step = decimals == 2 ? unit / 100 : unit / 10
        let scaled = n / step + (n % step >= step / 2 ? 1 : 0)
        let scale = decimals == 2 ? 100 : 10
        let fraction = String(scaled % scale)
        return "\(scaled / scale).\(String(repeating: "0", count: decimals - fraction.count))\(fraction) \(word)"
    }

    private func twoDecimals(_ x: Double) -> String {
        let hundredths = Int((x * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// Control and format characters (escape sequences, bidirectional overrides) as `?`.
    private func sanitized(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator: return "?"
            default: return scalar
            }
        }))
    }

    /// Greedy wrap: `words` joined by spaces, a new line (starting with `continuation`) before a
    /// word that would pass `width`. A word longer than the width gets a line of its own.
    private func wrap(_ words: [String], width: Int, continuation: String) -> [String] {
        var lines: [String] = []
        var current: String?
        for word in words {
            if let line = current, line.count + 1 + word.count > width {
                lines.append(line)
                current = continuation + word
            } else {
                current = current.map { $0 + " " + word } ?? word
            }
        }
        if let current { lines.append(current) }
        return lines
    }
}

extension ModelConfig {
    /// A remark on one part, or nil.
    fileprivate func note(on part: ModelPart) -> String? {
        switch part {
        case .embeddings:
            if positional == .learned && positionOffset > 0 {
                return "position 0 reads row \(positionOffset) of pos_embed.W_pos; the \(positionOffset) rows "
                    + "before it are in the file and counted, though no position reads them"
            }
            guard architecture == .encoderDecoder else { return nil }
            return sharedEmbeddings
                ? "one token table shared by encoder and decoder"
                : "encoder and decoder each have a token table"
        case .attention:
            return architecture == .encoderDecoder
                ? "each decoder block has self-attention and cross-attention" : nil
        case .norms:
            return embeddingNorm ? "the embedding norm is counted with the embeddings" : nil
        case .outputHead:
            guard tiedEmbeddings else { return nil }
            let table = architecture == .encoderDecoder && !sharedEmbeddings ? "decoder.embed.W_E" : "embed.W_E"
            return "tied: the head reuses \(table) transposed, no parameters of its own"
        case .feedForward, .pooler:
            return nil
        }
    }
}

extension String {
    /// Left-aligned in `width` columns.
    fileprivate func padding(_ width: Int) -> String {
        self + String(repeating: " ", count: max(0, width - count))
    }

    /// Right-aligned in `width` columns.
    fileprivate func padded(_ width: Int) -> String {
        String(repeating: " ", count: max(0, width - count)) + self
    }
}
