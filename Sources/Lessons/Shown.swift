import Analysis

/// A `@show` evaluated on the live model: plain data for the UI to draw, with a title and labels.
public struct Shown: Sendable, Equatable, Codable {
    /// The teacher's `label=`, or what is shown (`blocks.0.attn.pattern · head 1`).
    public var title: String
    public var content: ShownContent
    /// The `decimals=` the teacher asked for, if any.
    public var decimals: Int?
    /// The directive's line in the lesson file.
    public var line: Int

    public init(title: String, content: ShownContent, decimals: Int? = nil, line: Int) {
        self.title = title; self.content = content; self.decimals = decimals; self.line = line
    }
}

/// What a `@show` draws.
public enum ShownContent: Sendable, Equatable, Codable {
    /// Coloured cells: rows are queries, columns keys, for an attention pattern.
    case heatmap(LessonGrid)
    /// Numbers in a grid: a weight matrix, one head's slice.
    case matrix(LessonGrid)
    /// One row of numbers.
    case vector(LessonVector)
    /// A distribution as bars.
    case bars(LessonBars)
    /// Curves: the columns of a matrix over its rows.
    case plot(LessonPlot)
    /// The six steps of attention for one cell.
    case steps(AttentionSteps)
    /// The tokens as the model saw them.
    case tokens(LessonTokens)
    /// Rows of text under headers: a parameter count part by part, a file's header entries.
    case table(LessonTable)
    /// One attention matrix on two sentences and their difference (`@show compare`).
    case comparison(LessonComparison)
    /// What could not be shown on this input, said for the learner (`no 'animal' in your sentence`).
    case unavailable(String)
}

/// One attention matrix on the step's sentence (A) and on its `@compare` sentence (B), and B − A on
/// the cells whose query and key both line up (Analysis' `PatternComparison`).
public struct LessonComparison: Sendable, Equatable, Codable {
    public var sentenceA: String
    public var sentenceB: String
    public var a: LessonGrid
    public var b: LessonGrid
    /// B − A over the lined-up rows and columns, labelled with their tokens.
    public var difference: LessonGrid
    /// The tokens (readable forms) of each sentence with no partner in the other.
    public var onlyInA: [String]
    public var onlyInB: [String]

    public init(sentenceA: String, sentenceB: String, a: LessonGrid, b: LessonGrid, difference: LessonGrid,
                onlyInA: [String], onlyInB: [String]) {
        self.sentenceA = sentenceA; self.sentenceB = sentenceB; self.a = a; self.b = b; self.difference = difference
        self.onlyInA = onlyInA; self.onlyInB = onlyInB
    }
}

/// A matrix of numbers with labels, as rows.
public struct LessonGrid: Sendable, Equatable, Codable {
    /// `values[row][column]`; −∞ where a mask hides a key.
    public var values: [[Float]]
    public var rowLabels: [String]
    public var columnLabels: [String]
    /// What the rows and columns count: `query`, `key`, `dimension`, `vocabulary`, `position`, `head`.
    public var rowAxis: String
    public var columnAxis: String
    /// The selected row and column, when the axes are the selection's (query, key, head).
    public var highlightedRow: Int?
    public var highlightedColumn: Int?

    public init(values: [[Float]], rowLabels: [String], columnLabels: [String], rowAxis: String, columnAxis: String,
                highlightedRow: Int? = nil, highlightedColumn: Int? = nil) {
        self.values = values; self.rowLabels = rowLabels; self.columnLabels = columnLabels
        self.rowAxis = rowAxis; self.columnAxis = columnAxis
        self.highlightedRow = highlightedRow; self.highlightedColumn = highlightedColumn
    }

    public var rows: Int { values.count }
    public var columns: Int { values.first?.count ?? 0 }
}

/// One row of numbers, each with a label (a dimension number or a token).
public struct LessonVector: Sendable, Equatable, Codable {
    public var values: [Float]
    public var labels: [String]
    public var axis: String
    public var highlighted: Int?

    public init(values: [Float], labels: [String], axis: String, highlighted: Int? = nil) {
        self.values = values; self.labels = labels; self.axis = axis; self.highlighted = highlighted
    }
}

/// Bars, in the order to draw them (by size when `top=` was asked for).
public struct LessonBars: Sendable, Equatable, Codable {
    public struct Bar: Sendable, Equatable, Codable {
        public var label: String
        public var value: Float
        /// Its position on the axis (a key's position, a token id).
        public var index: Int
        public init(label: String, value: Float, index: Int) { self.label = label; self.value = value; self.index = index }
    }

    public var bars: [Bar]
    /// The bar (an index into `bars`) of the selected key or query, if it is shown.
    public var highlighted: Int?
    public var axis: String

    public init(bars: [Bar], highlighted: Int?, axis: String) {
        self.bars = bars; self.highlighted = highlighted; self.axis = axis
    }
}

/// Curves over a shared x axis.
public struct LessonPlot: Sendable, Equatable, Codable {
    public struct Series: Sendable, Equatable, Codable {
        public var name: String
        public var values: [Float]
        public init(name: String, values: [Float]) { self.name = name; self.values = values }
    }

    public var series: [Series]
    /// The x axis's labels (positions, tokens).
    public var xLabels: [String]
    public var xAxis: String

    public init(series: [Series], xLabels: [String], xAxis: String) {
        self.series = series; self.xLabels = xLabels; self.xAxis = xAxis
    }
}

/// A table of text: a header for each column, and rows of as many cells. Cells are plain text (numbers
/// already written out, `38,597,376`); a column whose cells are all numbers may be right-aligned.
public struct LessonTable: Sendable, Equatable, Codable {
    public var headers: [String]
    public var rows: [[String]]

    public init(headers: [String], rows: [[String]]) {
        self.headers = headers; self.rows = rows
    }
}

/// The tokens as the model saw them (special tokens included), with the selection.
public struct LessonTokens: Sendable, Equatable, Codable {
    public struct Entry: Sendable, Equatable, Codable {
        public var position: Int
        public var id: Int
        /// The vocabulary's own string (`Ġthe`, `##ing`).
        public var text: String
        /// The readable form for a learner.
        public var display: String
        public init(position: Int, id: Int, text: String, display: String) {
            self.position = position; self.id = id; self.text = text; self.display = display
        }
    }

    public var tokens: [Entry]
    /// The decoder's tokens, for an encoder–decoder.
    public var decoderTokens: [Entry]?
    public var query: Int?
    public var key: Int?

    public init(tokens: [Entry], decoderTokens: [Entry]? = nil, query: Int?, key: Int?) {
        self.tokens = tokens; self.decoderTokens = decoderTokens; self.query = query; self.key = key
    }
}

