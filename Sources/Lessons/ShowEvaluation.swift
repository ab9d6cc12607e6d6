import Analysis
import Foundation
import Transformer

/// Turns a `@show` into plain data on the live model.
struct ShowEvaluation {
    let evaluator: Evaluator
    var context: LessonContext { evaluator.context }
    var selection: Selection { evaluator.selection }

    func evaluate(_ show: ShowDirective) throws -> Shown {
        switch show.kind {
        case .tokens:
            return Shown(title: show.label ?? "tokens", content: .tokens(tokens()), decimals: show.decimals, line: show.line)
        case .steps:
            let site = show.expression ?? .name(defaultSite())
            guard case .name(let name) = site else {
                throw EvaluationError("steps takes an attention's name, such as blocks.{layer}.attn, not \(site)")
            }
            let steps = try AttentionStepsBuilder(evaluator: evaluator).build(site: try evaluator.substitute(name))
            let title = show.label ?? "\(steps.site) · head \(steps.head) · \(steps.queryToken) → \(steps.keyToken)"
            return Shown(title: title, content: .steps(steps), decimals: show.decimals, line: show.line)
        case .params:
            var name: String?
            if let expression = show.expression { name = try evaluator.text(of: expression, in: "@show params") }
            let report = try evaluator.parameterReport(named: name)
            let sizes = report.symbols.map { "\($0.symbol) = \(NumberText.grouped($0.value))" }.joined(separator: ", ")
            return Shown(title: show.label ?? "\(report.config): \(sizes)", content: .table(Self.table(report)),
                         decimals: show.decimals, line: show.line)
        case .safetensors:
            let layout = try evaluator.safetensorsLayout()
            let title = show.label ?? "model.safetensors: 8 bytes of length, \(NumberText.grouped(layout.headerLength)) bytes of JSON header, \(NumberText.grouped(layout.dataLength)) bytes of tensors"
            return Shown(title: title, content: .table(Self.table(layout)), decimals: show.decimals, line: show.line)
        case .compare:
            return try comparison(show)
        case .block:
            guard let expression = show.expression else { throw EvaluationError("a parameter's name is needed") }
            let block = try evaluator.weightBlock(expression)
            return Shown(title: show.label ?? Self.title(block), content: .table(Self.table(block, decimals: show.decimals ?? 4)),
                         decimals: show.decimals, line: show.line)
        case .heatmap, .matrix, .vector, .bars, .plot:
            guard let expression = show.expression else { throw EvaluationError("a name is needed") }
            let value = try evaluator.evaluate(expression)
            guard case .array(let array) = value else {
                let what: String
                if case .text = value { what = "text" } else { what = "one value" }
                throw EvaluationError("a hook or parameter is needed, but \(expression) is \(what)")
            }
            let rank = show.kind == .vector || show.kind == .bars ? 1 : 2
            let (filled, fixed) = try fill(array, toRank: rank, kind: show.kind)
            let title = show.label ?? ([filled.name] + fixed).joined(separator: " · ")
            return Shown(title: title, content: try content(show, filled), decimals: show.decimals, line: show.line)
        }
    }

    func defaultSite() -> String {
        context.config.architecture == .encoderDecoder ? "decoder.blocks.{layer}.attn" : "blocks.{layer}.attn"
    }

    /// Fixes leading axes by the selection (head, query, key) until `rank` remain; says which.
    func fill(_ array: LessonArray, toRank rank: Int, kind: ShowKind) throws -> (LessonArray, [String]) {
        var array = array
        var fixed: [String] = []
        let name = array.name
        while array.shape.count > rank {
            let role = array.roles[0]
            let position: Int
            let said: String
            switch role {
            case .head:
                position = selection.head; said = "head \(position)"
            case .kvHead:
                position = selection.kvHead(in: context)
                said = context.config.kvHeads == context.config.nHeads ? "head \(position)" : "key/value head \(position)"
            case .query(let source):
                position = selection.query; said = "\(label(position, source)) (query \(position))"
            case .key(let source):
                position = selection.key; said = "\(label(position, source)) (key \(position))"
            case .position:
                position = selection.query; said = "position \(position)"
            case .vocabulary, .feature:
                throw EvaluationError("\(name) has \(array.shape.count) axes, and the first (\(array.shape[0]) entries) is not a head or a token the selection can choose; give an index, e.g. \(name)[0]")
            }
            guard position >= 0 && position < array.shape[0] else {
                throw EvaluationError("the selection's \(said) is out of range for \(name) (\(array.shape[0]) entries)",
                                      learner: "(the selection is outside this run)")
            }
            array = array.taking(position, axis: 0)
            fixed.append(said)
        }
        guard !array.shape.isEmpty else {
            throw EvaluationError("\(name) is one number: use a placeholder {{ }} for it")
        }
        return (array, fixed)
    }

    func label(_ position: Int, _ source: TokenSource) -> String {
        let labels = context.labels(source)
        return labels.indices.contains(position) ? labels[position] : "#\(position)"
    }

    static func axisName(_ role: AxisRole) -> String {
        switch role {
        case .head, .kvHead: return "head"
        case .query: return "query"
        case .key: return "key"
        case .position: return "position"
        case .vocabulary: return "vocabulary"
        case .feature: return "dimension"
        }
    }

    func highlight(_ role: AxisRole) -> Int? {
        switch role {
        case .head: return selection.head
        case .kvHead: return selection.kvHead(in: context)
        case .query: return selection.query
        case .key: return selection.key
        default: return nil
        }
    }

    func content(_ show: ShowDirective, _ array: LessonArray) throws -> ShownContent {
        switch show.kind {
        case .vector:
            let labels = context.labels(for: array.roles[0], count: array.shape[0])
            let chosen = show.columns ?? Array(0..<array.shape[0])
            if let bad = chosen.first(where: { $0 >= array.shape[0] }) {
                throw EvaluationError("columns=\(bad) is out of range for \(array.name), which has \(array.shape[0]) entries")
            }
            let values = array.values
            return .vector(LessonVector(values: chosen.map { values[$0] }, labels: chosen.map { labels[$0] },
                                        axis: Self.axisName(array.roles[0]),
                                        highlighted: highlight(array.roles[0]).flatMap { chosen.firstIndex(of: $0) }))
        case .bars:
            let labels = context.labels(for: array.roles[0], count: array.shape[0])
            var bars = array.values.enumerated().map { LessonBars.Bar(label: labels[$0.offset], value: $0.element, index: $0.offset) }
            if let top = show.top {
                // The largest first, leaving out entries of exactly 0 (those top_k() dropped) unless
                // nothing else is left.
                let ordered = bars.sorted { $0.value > $1.value || ($0.value == $1.value && $0.index < $1.index) }
                let nonzero = ordered.filter { $0.value != 0 }
                bars = Array((nonzero.isEmpty ? ordered : nonzero).prefix(top))
            }
            let selected = highlight(array.roles[0])
            return .bars(LessonBars(bars: bars, highlighted: selected.flatMap { s in bars.firstIndex { $0.index == s } },
                                    axis: Self.axisName(array.roles[0])))
        case .heatmap, .matrix:
            var grid = try grid(array, columns: show.columns)
            if array.shape.count == 1 { grid.rowAxis = "" }
            return show.kind == .heatmap ? .heatmap(grid) : .matrix(grid)
        case .plot:
            let matrix = array.shape.count == 1
                ? array.reshaped([array.shape[0], 1], roles: [array.roles[0], .feature])
                : array
            let (rows, columns) = (matrix.shape[0], matrix.shape[1])
            let chosen = show.columns ?? Array(0..<columns)
            if let bad = chosen.first(where: { $0 >= columns }) {
                throw EvaluationError("columns=\(bad) is out of range for \(array.name), which has \(columns) columns")
            }
            let columnLabels = context.labels(for: matrix.roles[1], count: columns)
            let all = matrix.values
            let series = chosen.map { c in
                LessonPlot.Series(name: "\(Self.axisName(matrix.roles[1])) \(columnLabels[c])",
                                  values: (0..<rows).map { all[$0 * columns + c] })
            }
            return .plot(LessonPlot(series: series, xLabels: context.labels(for: matrix.roles[0], count: rows),
                                    xAxis: Self.axisName(matrix.roles[0])))
        case .steps, .tokens, .params, .safetensors, .compare, .block:
            throw EvaluationError("internal: \(show.kind.rawValue) has no array content")
        }
    }

    func grid(_ array: LessonArray, columns chosenColumns: [Int]?) throws -> LessonGrid {
        let matrix = array.shape.count == 1
            ? array.reshaped([1, array.shape[0]], roles: [.feature, array.roles[0]])
            : array
        let (rows, columns) = (matrix.shape[0], matrix.shape[1])
        let chosen = chosenColumns ?? Array(0..<columns)
        if let bad = chosen.first(where: { $0 >= columns }) {
            throw EvaluationError("columns=\(bad) is out of range for \(array.name), which has \(columns) columns")
        }
        let allColumnLabels = context.labels(for: matrix.roles[1], count: columns)
        let all = matrix.values
        let values = (0..<rows).map { r in chosen.map { all[r * columns + $0] } }
        let highlightedColumn = highlight(matrix.roles[1]).flatMap { chosen.firstIndex(of: $0) }
        return LessonGrid(values: values, rowLabels: context.labels(for: matrix.roles[0], count: rows),
                          columnLabels: chosen.map { allColumnLabels[$0] },
                          rowAxis: Self.axisName(matrix.roles[0]), columnAxis: Self.axisName(matrix.roles[1]),
                          highlightedRow: array.shape.count == 1 ? nil : highlight(matrix.roles[0]),
                          highlightedColumn: highlightedColumn)
    }

    /// Each part's count, share of the total and formula (in symbols, then in numbers), and the total.
    static func table(_ report: ParameterReport) -> LessonTable {
        func share(_ count: Int) -> String {
            guard report.total > 0 else { return "—" }
            let percent = Double(count) * 100 / Double(report.total)
            return count > 0 && percent < 0.1 ? "<0.1%" : NumberText.format(percent, decimals: 1) + "%"
        }
        var rows = report.parts.map { part in
            [part.name, NumberText.grouped(part.count), share(part.count),
             part.note.map { part.count == 0 ? $0 : part.symbolic + " (" + $0 + ")" } ?? part.symbolic,
             part.count == 0 && part.note != nil ? "" : part.formula]
        }
        rows.append(["total", NumberText.grouped(report.total), share(report.total), "", ""])
        return LessonTable(headers: ["part", "parameters", "share", "formula", "in numbers"], rows: rows)
    }

    /// One row per tensor of the header, in data order: name, dtype, shape, and its bytes in the data region.
    static func table(_ layout: SafeTensorsLayout) -> LessonTable {
        var rows = layout.entries.map { entry in
            [entry.name, entry.dtype.rawValue, "[" + entry.shape.map(String.init).joined(separator: ", ") + "]",
             NumberText.grouped(entry.dataOffsets.lowerBound) + " – " + NumberText.grouped(entry.dataOffsets.upperBound),
             NumberText.grouped(entry.dataOffsets.count)]
        }
        for (key, value) in layout.metadata.sorted(by: { $0.key < $1.key }) {
            rows.append(["__metadata__ " + key, value, "", "", ""])
        }
        return LessonTable(headers: ["tensor", "dtype", "shape", "bytes (from … to)", "length"], rows: rows)
    }

    func tokens() -> LessonTokens {
        func entries(_ source: TokenSource) -> [LessonTokens.Entry] {
            context.tokens(source).enumerated().map {
                LessonTokens.Entry(position: $0.offset, id: $0.element.id, text: $0.element.text,
                                   display: context.loaded.tokenizer.display($0.element.text))
            }
        }
        return LessonTokens(tokens: entries(.input), decoderTokens: context.inspection.decoderTokens == nil ? nil : entries(.decoder),
                            query: selection.query, key: selection.key)
    }

    /// `@show compare NAME`: the matrix NAME leaves (after the selection fixes its head) on the step's
    /// sentence and on its `@compare` sentence, and B − A where both the query and the key line up.
    func comparison(_ show: ShowDirective) throws -> Shown {
        guard let expression = show.expression else { throw EvaluationError("a name is needed") }
        let other = try evaluator.comparedEvaluator()
        func matrix(_ evaluation: ShowEvaluation) throws -> (LessonArray, LessonGrid, [String]) {
            guard case .array(let array) = try evaluation.evaluator.evaluate(expression) else {
                throw EvaluationError("@show compare needs an attention matrix, such as blocks.{layer}.attn.pattern")
            }
            let (filled, fixed) = try evaluation.fill(array, toRank: 2, kind: .heatmap)
            guard case .query(let rows) = filled.roles[0], case .key(let columns) = filled.roles[1] else {
                throw EvaluationError("@show compare needs a matrix of queries by keys (an attention's scores, scaled, masked or pattern), not \(filled.name)")
            }
            _ = (rows, columns)
            return (filled, try evaluation.grid(filled, columns: nil), fixed)
        }
        let (arrayA, gridA, fixed) = try matrix(self)
        let (arrayB, gridB, _) = try matrix(ShowEvaluation(evaluator: other))
        guard case .query(let rowSource) = arrayA.roles[0], case .key(let columnSource) = arrayA.roles[1] else {
            throw EvaluationError("@show compare needs a matrix of queries by keys")
        }
        let queries = TokenAlignment(context.tokens(rowSource).map(\.text), other.context.tokens(rowSource).map(\.text))
        let keys = TokenAlignment(context.tokens(columnSource).map(\.text), other.context.tokens(columnSource).map(\.text))
        let compared = PatternComparison(a: arrayA.tensor, b: arrayB.tensor, queries: queries, keys: keys)
        let columnCount = keys.pairs.count
        let differences = compared.difference.scalars
        let difference = LessonGrid(
            values: (0..<queries.pairs.count).map { r in Array(differences[r * columnCount..<(r + 1) * columnCount]) },
            rowLabels: queries.pairs.map { gridB.rowLabels[$0.b] }, columnLabels: keys.pairs.map { gridB.columnLabels[$0.b] },
            rowAxis: gridA.rowAxis, columnAxis: gridA.columnAxis,
            highlightedRow: gridB.highlightedRow.flatMap { row in queries.pairs.firstIndex { $0.b == row } },
            highlightedColumn: gridB.highlightedColumn.flatMap { column in keys.pairs.firstIndex { $0.b == column } })
        var onlyInA = queries.onlyInA.map { gridA.rowLabels[$0] }, onlyInB = queries.onlyInB.map { gridB.rowLabels[$0] }
        if rowSource != columnSource {
            onlyInA += keys.onlyInA.map { gridA.columnLabels[$0] }
            onlyInB += keys.onlyInB.map { gridB.columnLabels[$0] }
        }
        let content = LessonComparison(sentenceA: context.inspection.text, sentenceB: other.context.inspection.text,
                                       a: gridA, b: gridB, difference: difference, onlyInA: onlyInA, onlyInB: onlyInB)
        let title = show.label ?? ([arrayA.name] + fixed).joined(separator: " · ")
        return Shown(title: title, content: .comparison(content), decimals: show.decimals, line: show.line)
    }
}
