import Analysis
import Foundation
import Tensor
import Terminal
import Transformer

/// The explore screen once a pinned sentence and a new one have both run: the head's matrix on the
/// pinned sentence and on the new one side by side, their difference (now − pinned) where the tokens
/// line up (Analysis' `PatternComparison`, as `explorer compare` prints it), and the selected cell's
/// two values. The selection belongs to the new sentence; the other two maps show its partner cell.
struct ExploreComparison {
    let state: Scene
    let pinned: RunStore.Run
    let site: AttentionSite
    let theme: Theme

    /// Whether the pinned run can be compared with the one on screen: another run of the same model.
    static func applies(_ state: Scene) -> RunStore.Run? {
        guard let pinned = state.pinned, let summary = state.explore.pinned, let run = state.run,
              summary.id != run.id, summary.model == run.model else { return nil }
        return pinned
    }

    /// The comparison of the selected head at the shown stage.
    var comparison: PatternComparison? {
        guard let now = state.session.inspection,
              let hook = state.session.loaded.config.hook(state.explore.stage.point, at: site.site) else { return nil }
        return PatternComparison(hook: hook, head: state.selection.head, a: ComparedRun(pinned.inspection), b: ComparedRun(now))
    }

    /// Draws the three maps and the lines under them in `body`; returns where the new sentence's map went.
    func render(into canvas: inout Canvas, body: Rect) -> HeatmapLayout? {
        let head = state.selection.head, stage = state.explore.stage
        canvas.write(firstFitting: ["\(site.name) · head \(head) · \(stage.title) · pinned, now, and now − pinned",
                                    "\(site.name) · head \(head) · \(stage.shortTitle) · pinned | now | difference",
                                    "\(site.name) · h\(head) · \(stage.shortTitle)"],
                     x: 1, y: body.y, style: theme.accent, maxWidth: body.width - 2)
        guard let comparison else {
            canvas.write("this head is not recorded on both sentences", x: 1, y: body.y + 1, style: theme.dim)
            return nil
        }
        let gap = 2
        let panelWidth = (body.width - 2 - 2 * gap) / 3
        let panelHeight = body.height - 3
        let panels = (0..<3).map { Rect(x: 1 + $0 * (panelWidth + gap), y: body.y + 1, width: panelWidth, height: panelHeight) }
        let query = state.selection.query, key = state.selection.key
        let partnerRow = comparison.queries.partner(ofB: query), partnerColumn = comparison.keys.partner(ofB: key)
        let pairRow = comparison.queries.pairs.firstIndex { $0.b == query }
        let pairColumn = comparison.keys.pairs.firstIndex { $0.b == key }

        let pinnedLabels = (labels(pinned.inspection, site.querySource), labels(pinned.inspection, site.keySource))
        let nowLabels = (state.session.queryLabels(site: site), state.session.keyLabels(site: site))
        let titles = ["pinned", "now", "now − pinned"]
        for (n, panel) in panels.enumerated() {
            canvas.write(titles[n], x: panel.x, y: panel.y, style: theme.dim.adding(.bold), maxWidth: panel.width)
        }
        func area(_ panel: Rect) -> Rect { Rect(x: panel.x, y: panel.y + 1, width: panel.width, height: panel.height - 1) }

        let panelArea = area(panels[0])
        var pinnedMap = map(comparison.a, rows: pinnedLabels.0, columns: pinnedLabels.1,
                            cursor: partnerRow.flatMap { row in partnerColumn.map { MatrixIndex(row: row, column: $0) } },
                            hidden: hiddenCells(pinned.inspection, rows: comparison.a.shape[0]))
        pinnedMap.origin = .zero
        fit(&pinnedMap, in: panelArea)
        pinnedMap.render(into: &canvas, area: area(panels[0]))

        var nowMap = map(comparison.b, rows: nowLabels.0, columns: nowLabels.1, cursor: MatrixIndex(row: query, column: key),
                         hidden: state.session.inspection.map { hiddenCells($0, rows: comparison.b.shape[0]) } ?? [])
        fit(&nowMap, in: panelArea)
        nowMap.render(into: &canvas, area: area(panels[1]))
        var bottom = [pinnedMap.layout(in: area(panels[0])), nowMap.layout(in: area(panels[1]))]

        if comparison.difference.shape.allSatisfy({ $0 > 0 }) {
            let pairs = (comparison.queries.pairs, comparison.keys.pairs)
            let largest = comparison.difference.scalars.map { abs($0) }.max() ?? 0
            var difference = Heatmap(values: comparison.difference.matrix,
                                     rowLabels: pairs.0.map { nowLabels.0[$0.b] }, columnLabels: pairs.1.map { nowLabels.1[$0.b] },
                                     scale: theme.diverging, range: largest > 0 ? -largest...largest : -1...1, theme: theme,
                                     cursor: pairRow.flatMap { row in pairColumn.map { MatrixIndex(row: row, column: $0) } })
            difference.hidden = bothMasked(comparison)
            fit(&difference, in: panelArea)
            difference.render(into: &canvas, area: area(panels[2]))
            bottom.append(difference.layout(in: area(panels[2])))
        } else {
            canvas.write("no query and key line up", x: panels[2].x, y: panels[2].y + 1, style: theme.dim, maxWidth: panels[2].width)
        }

        // Under the tallest map, or at the bottom of the body.
        let lowest = bottom.map { [$0.captionLine, $0.legendLine, $0.scrollLine].compactMap { $0 }.max() ?? $0.grid.maxY }.max() ?? 0
        let valueLine = min(body.maxY - 2, lowest + 2)
        canvas.write(selectedValues(comparison, nowLabels: nowLabels, partner: (partnerRow, partnerColumn)),
                     x: 1, y: valueLine, style: theme.text, maxWidth: body.width - 2)
        canvas.write(unpaired(comparison, pinnedLabels: pinnedLabels, nowLabels: nowLabels),
                     x: 1, y: valueLine + 1, style: theme.dim, maxWidth: body.width - 2)
        return nowMap.layout(in: area(panels[1]))
    }

    /// A map of one matrix, sized like the explore heatmap's in a narrow panel.
    private func map(_ values: Tensor, rows: [String], columns: [String], cursor: MatrixIndex?, hidden: [Bool]) -> Heatmap {
        let weights = state.explore.stage == .pattern
        var map = Heatmap(values: values.matrix, rowLabels: rows, columnLabels: columns,
                          scale: weights ? theme.sequential : theme.diverging, range: weights ? 0...1 : nil, theme: theme,
                          cursor: cursor, origin: state.layout.heatmap?.origin ?? .zero)
        map.hidden = hidden
        return map
    }

    /// Narrow panels: short labels, few lines of column labels on a small screen, and cells as wide
    /// as fit (at least two columns, so the labels show), as the explore heatmap has them.
    private func fit(_ map: inout Heatmap, in area: Rect) {
        map.maxColumnLabelLines = state.height < 30 ? 3 : 6
        map.maxLabelWidth = 8
        map.decimals = 4
        let labels = min(map.maxLabelWidth, map.rowLabels.map { DisplayWidth.of($0) }.max() ?? 0) + 1
        let fit = (area.width - labels) / max(1, map.values.columns)
        if fit >= 2 && map.values.rows <= area.height - 6 { map.mode = .cells(width: min(fit, map.maxCellWidth)) }
        if state.explore.overview { map.mode = theme.usesColor ? .compact : .cells(width: 1) }
    }

    /// The softmax weights the mask forced to 0, drawn as masked (the pattern stage only).
    private func hiddenCells(_ inspection: Inspection, rows: Int) -> [Bool] {
        guard state.explore.stage == .pattern,
              let hook = state.session.loaded.config.hook(.masked, at: site.site),
              let masked = inspection.result.cache[hook.name], masked.rank == 3 else { return [] }
        return masked.slice(min(state.selection.head, masked.shape[0] - 1)).scalars.map { $0 == -.infinity }
    }

    /// Lined-up cells masked in both sentences.
    private func bothMasked(_ comparison: PatternComparison) -> [Bool] {
        let hiddenA = hiddenCells(pinned.inspection, rows: comparison.a.shape[0])
        let columnsA = comparison.a.shape[1], valuesA = comparison.a.scalars
        return comparison.queries.pairs.flatMap { row in
            comparison.keys.pairs.map { column in
                let index = row.a * columnsA + column.a
                return valuesA[index] == -.infinity || (hiddenA.indices.contains(index) && hiddenA[index])
            }
        }
    }

    private func labels(_ inspection: Inspection, _ source: TokenSource) -> [String] {
        let tokens = source == .decoder ? inspection.decoderTokens ?? [] : inspection.tokens
        return tokens.map { pinned.loaded.tokenizer.display($0.text) }
    }

    /// "it → animal: pinned 0.8734 · now 0.9120 · change +0.0386".
    private func selectedValues(_ comparison: PatternComparison, nowLabels: ([String], [String]),
                                partner: (Int?, Int?)) -> String {
        let query = state.selection.query, key = state.selection.key
        guard comparison.b.shape[0] > query, comparison.b.shape[1] > key else { return "" }
        let name = "\(label(nowLabels.0, query)) → \(label(nowLabels.1, key))"
        let now = comparison.b[query, key]
        guard let row = partner.0, let column = partner.1 else {
            let missing = partner.0 == nil ? label(nowLabels.0, query) : label(nowLabels.1, key)
            return "\(name): now \(NumberFormat.fixed(now, decimals: 4)) · \(missing) has no partner in the pinned sentence"
        }
        let before = comparison.a[row, column]
        // Enough decimals that a change too small for four still shows as one.
        let difference = now == before ? 0 : now - before
        var decimals = 4
        while decimals < 8, difference != 0, abs(difference) < 0.5 * pow(10, Float(-decimals)) { decimals += 1 }
        let change = NumberFormat.fixed(difference, decimals: decimals)
        // A sign only on a change that shows as one.
        let signed = change.hasPrefix("-") || change.allSatisfy({ $0 == "0" || $0 == "." }) ? change : "+" + change
        return "\(name): pinned \(NumberFormat.fixed(before, decimals: 4)) · now \(NumberFormat.fixed(now, decimals: 4)) · change \(signed)"
    }

    /// "only in the pinned sentence: tired · only now: wide".
    private func unpaired(_ comparison: PatternComparison, pinnedLabels: ([String], [String]),
                          nowLabels: ([String], [String])) -> String {
        var onlyPinned = comparison.queries.onlyInA.map { label(pinnedLabels.0, $0) }
        var onlyNow = comparison.queries.onlyInB.map { label(nowLabels.0, $0) }
        if site.querySource != site.keySource {
            onlyPinned += comparison.keys.onlyInA.map { label(pinnedLabels.1, $0) }
            onlyNow += comparison.keys.onlyInB.map { label(nowLabels.1, $0) }
        }
        if onlyPinned.isEmpty && onlyNow.isEmpty { return "every token lines up with one of the pinned sentence · p unpins" }
        func list(_ names: [String]) -> String { names.isEmpty ? "none" : names.joined(separator: " ") }
        return "only in the pinned sentence: \(list(onlyPinned)) · only now: \(list(onlyNow)) · p unpins"
    }

    private func label(_ labels: [String], _ index: Int) -> String {
        labels.indices.contains(index) ? labels[index] : "\(index)"
    }
}
