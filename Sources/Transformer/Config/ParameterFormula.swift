/// A size that a parameter formula names, such as `D` (the model width).
enum FormulaSymbol: Int, CaseIterable, Comparable, Sendable {
    case layers, encoderLayers, decoderLayers, vocab, typeVocab, positions, positionOffset, width
    case heads, kvHeads, headSize, ffWidth

    static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    var name: String {
        switch self {
        case .layers: return "L"
        case .encoderLayers: return "L_enc"
        case .decoderLayers: return "L_dec"
        case .vocab: return "V"
        case .typeVocab: return "V_type"
        case .positions: return "T_max"
        case .positionOffset: return "T_off"
        case .width: return "D"
        case .heads: return "H"
        case .kvHeads: return "H_kv"
        case .headSize: return "dh"
        case .ffWidth: return "F"
        }
    }

    var meaning: String {
        switch self {
        case .layers: return "blocks"
        case .encoderLayers: return "encoder blocks"
        case .decoderLayers: return "decoder blocks"
        case .vocab: return "vocabulary"
        case .typeVocab: return "token types"
        case .positions: return "positions"
        case .positionOffset: return "position rows before position 0"
        case .width: return "model width"
        case .heads: return "query heads"
        case .kvHeads: return "key/value heads"
        case .headSize: return "head size"
        case .ffWidth: return "feed-forward width"
        }
    }

    /// Whether this counts blocks, so that the numbers read "12 layers × (…)".
    var countsLayers: Bool { self == .layers || self == .encoderLayers || self == .decoderLayers }

    func value(in config: ModelConfig) -> Int {
        switch self {
        case .layers, .encoderLayers: return config.nLayers
        case .decoderLayers: return config.decoderLayers
        case .vocab: return config.vocabSize
        case .typeVocab: return config.typeVocabSize
        case .positions: return config.maxPositions
        case .positionOffset: return config.positionOffset
        case .width: return config.dModel
        case .heads: return config.nHeads
        case .kvHeads: return config.kvHeads
        case .headSize: return config.headSize
        case .ffWidth: return config.dFF
        }
    }
}

/// A coefficient times a product of sizes: `4·D²` is 4 × [D, D].
struct FormulaTerm: Equatable, Sendable {
    var coefficient: Int
    var symbols: [FormulaSymbol]

    /// Terms with the same key are like terms (`D·F` and `F·D`).
    var key: [FormulaSymbol] { symbols.sorted() }

    /// `4·D²`, `2·D·H_kv·dh`, `F`, `1`.
    var symbolic: String {
        var powers: [(FormulaSymbol, Int)] = []
        for symbol in symbols {
            if let i = powers.firstIndex(where: { $0.0 == symbol }) { powers[i].1 += 1 } else { powers.append((symbol, 1)) }
        }
        let factors = powers.map { $0.0.name + superscript($0.1) }
        if factors.isEmpty { return String(coefficient) }
        return ((coefficient == 1 ? [] : [String(coefficient)]) + factors).joined(separator: "·")
    }

    /// `4 × 768 × 768`, with the sizes' values.
    func numeric(in config: ModelConfig) -> String {
        let values = symbols.map { grouped($0.value(in: config)) }
        if values.isEmpty { return grouped(coefficient) }
        return ((coefficient == 1 ? [] : [grouped(coefficient)]) + values).joined(separator: " × ")
    }

    private func superscript(_ power: Int) -> String {
        guard power > 1 else { return "" }
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        return String(String(power).map { digits[Int(String($0))!] })
    }
}

/// A sum of terms, like terms merged, constants written last.
struct FormulaSum: Equatable, Sendable {
    var terms: [FormulaTerm] = []

    static let one = FormulaSum(terms: [FormulaTerm(coefficient: 1, symbols: [])])

    init(terms: [FormulaTerm] = []) {
        for term in terms { add(term) }
    }

    /// A single term: `FormulaSum(2, .width)` is `2·D`.
    init(_ coefficient: Int, _ symbols: FormulaSymbol...) {
        add(FormulaTerm(coefficient: coefficient, symbols: symbols))
    }

    mutating func add(_ term: FormulaTerm) {
        guard term.coefficient != 0 else { return }
        if let i = terms.firstIndex(where: { $0.key == term.key }) {
            terms[i].coefficient += term.coefficient
        } else {
            terms.append(term)
        }
    }

    mutating func add(_ coefficient: Int, _ symbols: FormulaSymbol...) {
        add(FormulaTerm(coefficient: coefficient, symbols: symbols))
    }

    mutating func add(_ other: FormulaSum) {
        for term in other.terms { add(term) }
    }

    /// The same terms, whatever their order.
    func isLike(_ other: FormulaSum) -> Bool {
        terms.count == other.terms.count && terms.allSatisfy { term in
            other.terms.contains { $0.key == term.key && $0.coefficient == term.coefficient }
        }
    }

    var isOne: Bool { isLike(.one) }

    /// Constants after the terms with sizes: `2·L + 1`, not `1 + 2·L`.
    private var ordered: [FormulaTerm] {
        terms.filter { !$0.symbols.isEmpty } + terms.filter { $0.symbols.isEmpty }
    }

    var symbolic: String { ordered.map(\.symbolic).joined(separator: " + ") }

    func numeric(in config: ModelConfig) -> String {
        ordered.map { $0.numeric(in: config) }.joined(separator: " + ")
    }

    var symbols: Set<FormulaSymbol> { Set(terms.flatMap(\.symbols)) }
}

/// One part's count as a sum of (multiplier × body) groups, e.g. attention's
/// `L × (4·D² + 4·D)` or the norms' `(2·L + 1) × 2·D`. Groups with like bodies merge their
/// multipliers, so an encoder–decoder's attention reads `(L_enc + 2·L_dec) × (4·D² + 4·D)`.
struct PartFormula: Sendable {
    var groups: [(multiplier: FormulaSum, body: FormulaSum)] = []

    mutating func add(_ multiplier: FormulaSum, times body: FormulaSum) {
        guard !multiplier.terms.isEmpty, !body.terms.isEmpty else { return }
        if let i = groups.firstIndex(where: { $0.body.isLike(body) }) {
            groups[i].multiplier.add(multiplier)
        } else {
            groups.append((multiplier, body))
        }
    }

    mutating func add(_ body: FormulaSum) { add(.one, times: body) }

    var symbols: Set<FormulaSymbol> {
        groups.reduce(into: Set()) { $0.formUnion($1.multiplier.symbols.union($1.body.symbols)) }
    }

    /// In symbols: `L × (4·D² + 4·D)`; `0` for no groups.
    var symbolic: String {
        render(multiplier: { $0.symbolic }, body: { $0.symbolic })
    }

    /// In numbers: `12 layers × (4 × 768 × 768 + 4 × 768)`; `0` for no groups.
    func numeric(in config: ModelConfig) -> String {
        render(multiplier: { sum in
            if sum.terms.count == 1, sum.terms[0].coefficient == 1, sum.terms[0].symbols.count == 1,
               sum.terms[0].symbols[0].countsLayers {
                let n = sum.terms[0].symbols[0].value(in: config)
                return grouped(n) + (n == 1 ? " layer" : " layers")
            }
            return sum.numeric(in: config)
        }, body: { $0.numeric(in: config) })
    }

    private func render(multiplier: (FormulaSum) -> String, body: (FormulaSum) -> String) -> String {
        if groups.isEmpty { return "0" }
        func factor(_ sum: FormulaSum, _ text: String) -> String {
            sum.terms.count > 1 ? "(" + text + ")" : text
        }
        return groups.map { group in
            if group.multiplier.isOne { return body(group.body) }
            return factor(group.multiplier, multiplier(group.multiplier)) + " × "
                + factor(group.body, body(group.body))
        }.joined(separator: " + ")
    }
}

/// `124439808` as `124,439,808`.
func grouped(_ n: Int) -> String {
    let digits = String(n.magnitude)
    var out = ""
    for (i, digit) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(digit)
    }
    return n < 0 ? "-" + out : out
}

extension ModelConfig {
    /// Each stack's layer symbol, whether its blocks have cross-attention, and whether it has its
    /// own token table.
    private var formulaStacks: [(layers: FormulaSymbol, cross: Bool, ownTokens: Bool)] {
        architecture == .encoderDecoder
            ? [(.encoderLayers, false, !sharedEmbeddings), (.decoderLayers, true, !sharedEmbeddings)]
            : [(.layers, false, true)]
    }

    /// One norm: `2·D` for a LayerNorm with a bias, else `D`.
    private var normFormula: FormulaSum {
        FormulaSum(hasNormBias ? 2 : 1, .width)
    }

    /// One attention: W_Q, W_K, W_V, W_O and the biases `biases` names. H·dh and H_kv·dh are written
    /// D when they are D.
    private var attentionFormula: FormulaSum {
        let queries: [FormulaSymbol] = nHeads * headSize == dModel ? [.width] : [.heads, .headSize]
        let keys: [FormulaSymbol] = kvHeads * headSize == dModel ? [.width] : [.kvHeads, .headSize]
        var sum = FormulaSum()
        sum.add(FormulaTerm(coefficient: 1, symbols: [.width] + queries))  // W_Q
        sum.add(FormulaTerm(coefficient: 2, symbols: [.width] + keys))     // W_K, W_V
        sum.add(FormulaTerm(coefficient: 1, symbols: queries + [.width]))  // W_O
        sum.add(FormulaTerm(coefficient: biases.q ? 1 : 0, symbols: queries))                     // b_Q
        sum.add(FormulaTerm(coefficient: (biases.k ? 1 : 0) + (biases.v ? 1 : 0), symbols: keys))  // b_K, b_V
        sum.add(biases.o ? 1 : 0, .width)                                                          // b_O
        return sum
    }

    /// One MLP: W_in, W_gate, W_out and the biases `biases` names (b_in, b_gate, b_out).
    private var mlpFormula: FormulaSum {
        var sum = FormulaSum(gatedMLP ? 3 : 2, .width, .ffWidth)
        sum.add((biases.mlpIn ? 1 : 0) + (hasGateBias ? 1 : 0), .ffWidth)
        sum.add(biases.mlpOut ? 1 : 0, .width)
        return sum
    }

    /// The formula for one part's count; it equals the sum of that part's `parameterShapes()`.
    func formula(for part: ModelPart) -> PartFormula {
        var formula = PartFormula()
        switch part {
        case .embeddings:
            var body = FormulaSum()
            if formulaStacks.allSatisfy({ !$0.ownTokens }) { body.add(1, .vocab, .width) }
            for stack in formulaStacks {
                if stack.ownTokens { body.add(1, .vocab, .width) }
                if positional == .learned {
                    body.add(1, .positions, .width)
                    body.add(positionOffset > 0 ? 1 : 0, .positionOffset, .width)
                }
                if typeVocabSize > 0 { body.add(1, .typeVocab, .width) }
                if embeddingNorm { body.add(normFormula) }
            }
            formula.add(body)
        case .attention:
            for stack in formulaStacks {
                formula.add(FormulaSum(1, stack.layers), times: attentionFormula)
                if stack.cross { formula.add(FormulaSum(1, stack.layers), times: attentionFormula) }
            }
        case .feedForward:
            for stack in formulaStacks {
                formula.add(FormulaSum(1, stack.layers), times: mlpFormula)
            }
        case .norms:
            for stack in formulaStacks {
                formula.add(FormulaSum(stack.cross ? 3 : 2, stack.layers), times: normFormula)
                if normPosition == .pre { formula.add(normFormula) }
            }
        case .outputHead:
            if lmHead && !tiedEmbeddings {
                var body = FormulaSum(1, .width, .vocab)
                if hasUnembedBias { body.add(1, .vocab) }
                formula.add(body)
            }
        case .pooler:
            if pooler {
                var body = FormulaSum(1, .width, .width)
                body.add(1, .width)
                formula.add(body)
            }
        }
        return formula
    }
}
