import Analysis
import Tensor
import Terminal
import Transformer

/// Where the model grid's tiles go: one small heatmap per attention site (rows) and head (columns).
struct GridLayout {
    let state: Scene
    let sites: [AttentionSite]
    let heads: [Int]
    let tile: (width: Int, height: Int)
    let origin: (x: Int, y: Int) = (x: 12, y: 6)

    init(_ state: Scene) {
        self.state = state
        sites = state.run?.sites ?? []
        heads = sites.map(\.heads)
        let tokens = state.session.inspection.map { max($0.tokens.count, $0.decoderTokens?.count ?? 0) } ?? 1
        let maxHeads = max(1, heads.max() ?? 1)
        // A tile shows its T×S pattern in half blocks: T columns, T/2 lines; under it the head's
        // character, then a line for the chosen tile's frame.
        let widthFit = (state.width - origin.x - 1) / maxHeads - 2
        let heightFit = (state.height - origin.y - 2) / max(1, sites.count) - 2
        tile = (width: max(4, min(tokens, widthFit)), height: max(2, min((tokens + 1) / 2, heightFit)))
    }

    /// How many heads and sites fit across and down.
    var visibleHeads: Int { max(1, (state.width - origin.x - 1) / (tile.width + 2)) }
    var visibleSites: Int { max(1, (state.height - origin.y - 2) / (tile.height + 2)) }
    /// The first head and site shown: the chosen tile always shows.
    var firstHead: Int { max(0, min(state.selection.head - visibleHeads + 1, (heads.max() ?? 0) - visibleHeads)).clamped(to: state.selection.head) }
    var firstSite: Int { max(0, min(state.siteIndex - visibleSites + 1, sites.count - visibleSites)).clamped(to: state.siteIndex) }

    /// The tile rectangle (cells only) of a site and head, nil when scrolled off.
    func rect(site: Int, head: Int) -> Rect? {
        let column = head - firstHead, row = site - firstSite
        guard column >= 0, column < visibleHeads, row >= 0, row < visibleSites else { return nil }
        return Rect(x: origin.x + column * (tile.width + 2), y: origin.y + row * (tile.height + 2),
                    width: tile.width, height: tile.height)
    }

    /// Every tile on screen, for mouse clicks.
    var tiles: [FrameLayout.Tile] {
        sites.indices.flatMap { s in
            (0..<heads[s]).compactMap { h in rect(site: s, head: h).map { FrameLayout.Tile(site: s, head: h, rect: $0) } }
        }
    }
}

/// Every layer × head of the run as small heatmaps: which heads look where, at a glance.
struct GridScreen {
    let state: Scene
    let theme: Theme

    /// Draws the grid; returns the tiles on screen.
    @discardableResult
    func render(into canvas: inout Canvas) -> [FrameLayout.Tile] {
        TitleBar(state: state, theme: theme).render(into: &canvas)
        SentenceLine(state: state.app).render(into: &canvas, theme: theme)
        if state.grid.queryBars {
            QueryAcrossHeads(state: state, theme: theme).render(into: &canvas)
            return []
        }
        let layout = GridLayout(state)
        let scrolls = (layout.heads.max() ?? 0) > layout.visibleHeads || layout.sites.count > layout.visibleSites
        canvas.write(firstFitting: ["softmax weights of every head · rows: queries, columns: keys · Enter opens the chosen one",
                                    "softmax weights of every head · Enter opens one", "every head · Enter opens one"],
                     x: 1, y: 2, style: theme.dim, maxWidth: state.width - (scrolls ? 31 : 2))
        for h in 0..<(layout.heads.max() ?? 0) {
            guard let rect = layout.rect(site: layout.firstSite, head: h) else { continue }
            let label = layout.tile.width >= 6 ? "head \(h)" : "h\(h)"
            canvas.write(label, x: rect.x, y: 3, style: h == state.selection.head ? theme.accent : theme.dim,
                         maxWidth: layout.tile.width + 1)
        }
        if scrolls {
            canvas.write("← → ↑ ↓ scroll to the rest", x: max(1, state.width - 28), y: 2, style: theme.dim)
        }
        if let site = state.site {
            // The tiles' columns are the key tokens, left to right.
            let keys = state.session.keyLabels(site: site).enumerated().map { "\($0.offset) \($0.element)" }
            canvas.write("keys →", x: 1, y: 4, style: theme.dim)
            canvas.write(keys.joined(separator: "  "), x: layout.origin.x, y: 4, style: theme.text,
                         maxWidth: state.width - layout.origin.x - 1)
        }
        for (s, site) in layout.sites.enumerated() {
            guard let top = layout.rect(site: s, head: layout.firstHead) else { continue }
            canvas.write(Self.shortName(site), x: 1, y: top.y, style: s == state.siteIndex ? theme.accent : theme.dim,
                         maxWidth: layout.origin.x - 2)
            guard let pattern = state.session.tensor(.pattern, at: site) else { continue }
            for h in 0..<layout.heads[s] {
                guard let rect = layout.rect(site: s, head: h), rect.maxY < state.height - 1 else { continue }
                var map = Heatmap(values: pattern.slice(h).matrix, scale: theme.sequential, range: 0...1, theme: theme,
                                  mode: theme.usesColor ? .compact : .cells(width: 1))
                map.showsLegend = false
                map.showsValues = false
                map.showsScrollIndicator = false
                map.render(into: &canvas, area: rect)
                let chosen = s == state.siteIndex && h == state.selection.head
                let character = HeadCharacter(pattern: pattern.slice(h), site: site.site, head: h)
                canvas.write(Self.caption(character, width: rect.width), x: rect.x, y: rect.maxY,
                             style: chosen ? theme.accent : theme.dim, maxWidth: rect.width)
                if chosen {
                    Box(border: .single, theme: theme).render(
                        into: &canvas, area: Rect(x: rect.x - 1, y: rect.y - 1, width: rect.width + 2, height: rect.height + 3))
                }
            }
        }
        return layout.tiles
    }

    /// A head's character in a few columns: where most of a query's weight goes when one place takes
    /// at least half of it on average (`self .98`, `prev .93`, `first .87`), else how spread the
    /// weights are (`spread 2.1b`: the mean entropy in bits).
    static func caption(_ character: HeadCharacter, width: Int) -> String {
        let shares = [("self", "s", character.selfShare), ("prev", "p", character.previousShare), ("first", "f", character.firstShare)]
        let two = TableFormat(decimals: 2, dropsLeadingZero: true)
        if let top = shares.max(by: { $0.2 < $1.2 }), top.2 >= 0.5 {
            let value = two.string(Float(top.2))
            return [top.0 + " " + value, top.1 + value].first { $0.count <= width } ?? top.1 + value
        }
        let bits = NumberFormat.fixed(character.entropyBits, decimals: 1)
        return ["spread \(bits)b", "H \(bits)b", "H\(bits)"].first { $0.count <= width } ?? "H\(bits)"
    }

    /// `blocks.0.attn` → `L0 attn`, `decoder.blocks.1.cross_attn` → `dec L1 cross`.
    static func shortName(_ site: AttentionSite) -> String {
        var parts: [String] = []
        switch site.site.stack {
        case .encoder: parts.append("enc")
        case .decoder: parts.append("dec")
        case .none: break
        }
        parts.append("L\(site.layer)")
        parts.append(site.keySource != site.querySource ? "cross" : "self")
        return parts.joined(separator: " ")
    }
}

private extension Int {
    /// `self`, but never past `index` (so the window starting here includes `index`).
    func clamped(to index: Int) -> Int { Swift.min(self, index) }
}
