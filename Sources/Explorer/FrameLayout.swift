import Terminal

/// Where the last frame put the parts that mouse clicks and scrolling need, computed once per frame
/// by `view` and handed to `update` as `.drawn` (so `update` never renders).
public struct FrameLayout: Equatable, Codable, Sendable {
    /// The explore screen's heatmap: its cells on screen and the first row and column shown (the
    /// next frame scrolls from there, as little as possible).
    public var heatmap: HeatmapLayout?
    /// Whether the explore screen left its numbers pane out (the projector layout on a short screen):
    /// Tab then has nothing to move to.
    public var detailsHidden = false
    /// The model grid's tiles on screen.
    public var tiles: [Tile] = []
    /// The lesson page: how far it is scrolled (after any jump to a quiz) and how far it can be.
    public var lessonScroll: Int?
    public var lessonMaxScroll = 0
    /// How many lines of the lesson page show at once.
    public var lessonPageHeight = 0

    public init() {}

    /// One tile of the model grid: a site's head, where it was drawn.
    public struct Tile: Equatable, Codable, Sendable {
        public var site: Int
        public var head: Int
        public var rect: Rect
        public init(site: Int, head: Int, rect: Rect) { self.site = site; self.head = head; self.rect = rect }
    }
}
