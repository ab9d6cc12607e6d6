/// How the tokens of two sentences line up, as a diff lines up the lines of two files: the longest
/// run of tokens with the same strings, in order, is paired; every other token is named as having no
/// partner. Comparisons of two runs read a cell of one against its partner cell in the other only
/// where both its query and its key are paired.
public struct TokenAlignment: Sendable, Equatable, Codable {
    /// A token of sentence A and its partner in sentence B (positions, 0-based, special tokens included).
    public struct Pair: Sendable, Equatable, Hashable, Codable {
        public var a: Int
        public var b: Int
        public init(a: Int, b: Int) { self.a = a; self.b = b }
    }

    /// The paired positions, in the order of both sentences (both `a` and `b` increase).
    public var pairs: [Pair]
    /// Positions of A with no partner in B, in order.
    public var onlyInA: [Int]
    /// Positions of B with no partner in A, in order.
    public var onlyInB: [Int]

    /// Aligns `a` with `b` by their longest common subsequence of equal strings.
    public init(_ a: [String], _ b: [String]) {
        var removed = Set<Int>(), inserted = Set<Int>()
        for change in b.difference(from: a) {
            switch change {
            case .remove(let offset, _, _): removed.insert(offset)
            case .insert(let offset, _, _): inserted.insert(offset)
            }
        }
        let keptA = a.indices.filter { !removed.contains($0) }
        let keptB = b.indices.filter { !inserted.contains($0) }
        pairs = zip(keptA, keptB).map { Pair(a: $0, b: $1) }
        onlyInA = removed.sorted()
        onlyInB = inserted.sorted()
    }

    /// The partner in B of A's token at `position`, when it has one.
    public func partner(ofA position: Int) -> Int? { pairs.first { $0.a == position }?.b }

    /// The partner in A of B's token at `position`, when it has one.
    public func partner(ofB position: Int) -> Int? { pairs.first { $0.b == position }?.a }

    /// Whether every token of both sentences has a partner.
    public var isComplete: Bool { onlyInA.isEmpty && onlyInB.isEmpty }
}
