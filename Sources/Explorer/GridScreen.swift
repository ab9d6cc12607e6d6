import Tensor
import Terminal
import Transformer

/// Where the model grid's tiles go: one small heatmap per attention site (rows) and head (columns).
struct GridLayout {
    let state: AppState
    let sites: [String]
    let heads: [Int]
    let tile: (width: Int, height: Int)
    let origin: (x: Int, y: Int) = (x: 12, y: 5)

    init(_ state: AppState) {
        self.state = state
        sites = state.session.sites
        heads = sites.map { state.session.cache?[$0 + ".pattern"]?.shape[0] ?? 0 }
        let tokens = state.session.inspection.map { max($0.tokens.count, $0.decoderTokens?.count ?? 0) } ?? 1
        let maxHeads = max(1, heads.max() ?? 1)
        // A tile shows its T×S pattern in half blocks: T columns, T/2 lines, plus a caption line.
        let widthFit = (state.width - origin.x - 1) / maxHeads - 2
        let heightFit = (state.height - origin.y - 2) / max(1, sites.count) - 1
        tile = (width: max(4, min(tokens, widthFit)), height: max(2, min((tokens + 1) / 2, heightFit)))
    }

    /// The tile rectangle (cells only) of a site and head.
    func rect(site: Int, head: Int) -> Rect {
        Rect(x: origin.x + head * (tile.width + 2), y: origin.y + site * (tile.height + 1), width: tile.width, height: tile.height)
    }

    /// The site and head whose tile is under (x, y).
    func site(x: Int, y: Int) -> (site: Int, head: Int)? {
        for s in sites.indices {
            for h in 0..<heads[s] where rect(site: s, head: h).contains(x: x, y: y) { return (s, h) }
        }
        return nil
    }
}

/// Every layer × head of the run as small heatmaps: which heads look where, at a glance.
struct GridScreen {
    let state: AppState
    let theme: Theme

    func render(into canvas: inout Canvas) {
        TitleBar(state: state, theme: theme).render(into: &canvas)
        SentenceLine(state: state).render(into: &canvas, theme: theme)
        let layout = GridLayout(state)
        canvas.write("softmax weights of every head · rows: queries, columns: keys · Enter opens the chosen one",
                     x: 1, y: 2, style: theme.dim, maxWidth: state.width - 2)
        for h in 0..<(layout.heads.max() ?? 0) {
            let rect = layout.rect(site: 0, head: h)
            canvas.write("head \(h)", x: rect.x, y: 3, style: theme.dim, maxWidth: layout.tile.width + 1)
        }
        for (s, site) in layout.sites.enumerated() {
            let top = layout.rect(site: s, head: 0)
            canvas.write(Self.shortName(site), x: 1, y: top.y, style: s == state.siteIndex ? theme.accent : theme.dim,
                         maxWidth: layout.origin.x - 2)
            guard let pattern = state.session.cache?[site + ".pattern"] else { continue }
            for h in 0..<layout.heads[s] {
                let rect = layout.rect(site: s, head: h)
                guard rect.maxY < state.height - 1 else { continue }
                var map = Heatmap(values: pattern.slice(h).matrix, scale: theme.sequential, range: 0...1, theme: theme,
                                  mode: theme.usesColor ? .compact : .cells(width: 1))
                map.showsLegend = false
                map.showsValues = false
                map.render(into: &canvas, area: rect)
                if s == state.siteIndex && h == state.head {
                    Box(border: .single, theme: theme).render(
                        into: &canvas, area: Rect(x: rect.x - 1, y: rect.y - 1, width: rect.width + 2, height: rect.height + 2))
                }
            }
        }
    }

    /// `blocks.0.attn` → `L0 attn`, `decoder.blocks.1.cross_attn` → `dec L1 cross`.
    static func shortName(_ site: String) -> String {
        var parts: [String] = []
        if site.hasPrefix("encoder.") { parts.append("enc") }
        if site.hasPrefix("decoder.") { parts.append("dec") }
        if let layer = site.split(separator: ".").compactMap({ Int($0) }).first { parts.append("L\(layer)") }
        parts.append(site.hasSuffix("cross_attn") ? "cross" : "self")
        return parts.joined(separator: " ")
    }
}
