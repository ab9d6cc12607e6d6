import Tensor
import Transformer

/// One attention head's weights (or scores) on two sentences, side by side, and their difference where
/// the tokens line up. Rows are queries, columns are keys; queries and keys are aligned separately,
/// since cross-attention's queries are the decoder's tokens and its keys the encoder's.
public struct PatternComparison: Sendable {
    /// The head's matrix on sentence A: `[T_q(A), T_k(A)]`.
    public var a: Tensor
    /// The head's matrix on sentence B: `[T_q(B), T_k(B)]`.
    public var b: Tensor
    /// How the query tokens (rows) of A and B line up.
    public var queries: TokenAlignment
    /// How the key tokens (columns) of A and B line up.
    public var keys: TokenAlignment
    /// B − A on the cells whose query and key both have partners: `[P_q, P_k]`, rows in the order of
    /// `queries.pairs`, columns in the order of `keys.pairs`. Two masked cells (−∞ in both) differ by 0.
    public var difference: Tensor

    /// Compares the matrices `a [T_q(A), T_k(A)]` and `b [T_q(B), T_k(B)]` under the given alignments.
    public init(a: Tensor, b: Tensor, queries: TokenAlignment, keys: TokenAlignment) {
        precondition(a.rank == 2 && b.rank == 2, "a head's matrix is [T_q, T_k]")
        self.a = a; self.b = b; self.queries = queries; self.keys = keys
        let (columnsA, columnsB) = (a.shape[1], b.shape[1])
        let (valuesA, valuesB) = (a.scalars, b.scalars)
        var cells: [Float] = []
        cells.reserveCapacity(queries.pairs.count * keys.pairs.count)
        for row in queries.pairs {
            for column in keys.pairs {
                let valueA = valuesA[row.a * columnsA + column.a], valueB = valuesB[row.b * columnsB + column.b]
                cells.append(valueA == valueB ? 0 : valueB - valueA)
            }
        }
        difference = Tensor(shape: [queries.pairs.count, keys.pairs.count], scalars: cells)
    }

    /// Compares head `head` of the attention hook `hook` (`[H, T_q, T_k]`: scores, scaled, masked or
    /// pattern) in two runs; nil when either run did not record it or has no such head.
    public init?(hook: Hook, head: Int, a: ComparedRun, b: ComparedRun) {
        guard PatternComparison.comparablePoints.contains(hook.point), hook.axes.count == 3,
              let wholeA = a.cache[hook.name], let wholeB = b.cache[hook.name],
              wholeA.rank == 3, wholeB.rank == 3,
              (0..<wholeA.shape[0]).contains(head), (0..<wholeB.shape[0]).contains(head) else { return nil }
        let querySource = hook.site.queryTokens, keySource = hook.site.keyTokens
        self.init(a: wholeA.slice(head), b: wholeB.slice(head),
                  queries: TokenAlignment(a.tokens(querySource), b.tokens(querySource)),
                  keys: TokenAlignment(a.tokens(keySource), b.tokens(keySource)))
    }

    /// The points of an attention site whose `[H, T_q, T_k]` matrices can be compared cell by cell.
    public static let comparablePoints: Set<Hook.Point> = [.scores, .scaled, .masked, .pattern]

    /// The values of A's cell (`query`, `key`) and of its partner cell in B (nil when the query or
    /// the key has no partner in B).
    public func cell(queryA query: Int, keyA key: Int) -> (a: Float, b: Float?) {
        let valueA = a[query, key]
        guard let row = queries.partner(ofA: query), let column = keys.partner(ofA: key) else { return (valueA, nil) }
        return (valueA, b[row, column])
    }
}

/// One of the two runs a comparison reads: what the forward recorded and the token strings (the
/// vocabulary's, special tokens included) of its token lists.
public struct ComparedRun: Sendable {
    public var cache: ActivationCache
    /// The input's tokens (the encoder's, in an encoder–decoder).
    public var input: [String]
    /// The decoder's tokens of an encoder–decoder (empty otherwise).
    public var decoder: [String]

    public init(cache: ActivationCache, input: [String], decoder: [String] = []) {
        self.cache = cache; self.input = input; self.decoder = decoder
    }

    /// A run as `inspect` made it: its cache and its token lists.
    public init(_ inspection: Inspection) {
        self.init(cache: inspection.result.cache, input: inspection.tokens.map(\.text),
                  decoder: inspection.decoderTokens?.map(\.text) ?? [])
    }

    /// The token list an axis of `source` counts.
    public func tokens(_ source: TokenSource) -> [String] { source == .decoder ? decoder : input }
}
