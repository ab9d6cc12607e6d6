import Foundation

/// Byte-pair encoding, as GPT-2 and Llama use it. A word starts as its characters (Unicode
/// scalars), each looked up in the vocabulary; then the adjacent pair with the best (lowest) merge
/// rank is merged, again and again, leftmost first among equal ranks, until no adjacent pair has a
/// merge. A character outside the vocabulary becomes its UTF-8 byte tokens (`<0xE2>`) when
/// `byteFallback` is on and they exist, else the unknown token (consecutive ones fused into one
/// when `fuseUnknown`), else nothing.
public struct BPE: TokenizerModel {
    public let vocabulary: Vocabulary
    /// For each mergeable pair of ids: its rank (its line in the merges) and the merged token's id.
    let merges: [Pair: Merge]
    public let unknownToken: String?
    public let continuingSubwordPrefix: String?
    public let endOfWordSuffix: String?
    public let fuseUnknown: Bool
    public let byteFallback: Bool
    /// Look the whole word up first, and use it if it is in the vocabulary (Llama 3).
    public let ignoreMerges: Bool
    let cache = WordCache()

    struct Pair: Hashable { let left: Int32; let right: Int32 }
    struct Merge { let rank: Int32; let id: Int32 }

    /// A merge list entry that names a token outside the vocabulary.
    public struct InvalidMerge: Error, Equatable, CustomStringConvertible {
        public let line: Int
        public let token: String
        public var reason = "which is not in the vocabulary"
        public var description: String {
            line == 0 ? "vocabulary token \"\(token)\" \(reason)" : "merge \(line) uses \"\(token)\", \(reason)"
        }
    }

    /// - Parameter merges: the pairs in rank order (best first), as in `merges.txt` or the
    ///   `"merges"` of `tokenizer.json`.
    public init(vocabulary: Vocabulary, merges: [(String, String)], unknownToken: String? = nil,
                continuingSubwordPrefix: String? = nil, endOfWordSuffix: String? = nil,
                fuseUnknown: Bool = false, byteFallback: Bool = false, ignoreMerges: Bool = false) throws {
        self.vocabulary = vocabulary
        self.unknownToken = unknownToken
        self.continuingSubwordPrefix = continuingSubwordPrefix
        self.endOfWordSuffix = endOfWordSuffix
        self.fuseUnknown = fuseUnknown
        self.byteFallback = byteFallback
        self.ignoreMerges = ignoreMerges
        // Ids and ranks are kept as Int32: every id must fit, whatever file the vocabulary came from.
        if vocabulary.size > Vocabulary.idLimit, let (token, id) = vocabulary.largest {
            throw InvalidMerge(line: 0, token: token, reason: "has id \(id), above the limit \(Vocabulary.idLimit - 1)")
        }
        guard merges.count < Int(Int32.max) else {
            throw InvalidMerge(line: merges.count, token: "", reason: "too many merges")
        }
        var table: [Pair: Merge] = [:]
        table.reserveCapacity(merges.count)
        for (rank, (left, right)) in merges.enumerated() {
            guard let a = vocabulary.id(for: left) else { throw InvalidMerge(line: rank + 1, token: left) }
            guard let b = vocabulary.id(for: right) else { throw InvalidMerge(line: rank + 1, token: right) }
            // The merged token is the two joined, without the right one's continuation prefix.
            let tail = continuingSubwordPrefix.flatMap { right.droppingScalarPrefix($0) } ?? right
            let joined = left + tail
            guard let merged = vocabulary.id(for: joined) else { throw InvalidMerge(line: rank + 1, token: joined) }
            table[Pair(left: Int32(a), right: Int32(b))] = Merge(rank: Int32(rank), id: Int32(merged))
        }
        self.merges = table
    }

    public func tokenize(_ word: String) -> [Token] {
        if word.unicodeScalars.isEmpty { return [] }
        if ignoreMerges, let id = vocabulary.id(for: word) { return [Token(id: id, text: word)] }
        let key = word.unicodeScalars.map(\.value)
        let ids = cache.ids(for: key) ?? {
            let ids = merge(symbols(of: word))
            cache.store(ids, for: key)
            return ids
        }()
        return ids.map { Token(id: $0, text: vocabulary.token(for: $0) ?? "") }
    }

    /// The word's characters as ids, before any merge.
    func symbols(of word: String) -> [Int] {
        let scalars = Array(word.unicodeScalars)
        let unknownID = unknownToken.flatMap { vocabulary.id(for: $0) }
        var ids: [Int] = []
        var pendingUnknown = false
        for (index, scalar) in scalars.enumerated() {
            var piece = String(scalar)
            if index > 0, let prefix = continuingSubwordPrefix { piece = prefix + piece }
            if index == scalars.count - 1, let suffix = endOfWordSuffix { piece += suffix }
            if let id = vocabulary.id(for: piece) {
                if pendingUnknown, let unknownID { ids.append(unknownID); pendingUnknown = false }
                ids.append(id)
                continue
            }
            if byteFallback {
                let bytes = piece.utf8.map { vocabulary.id(for: Self.byteToken($0)) }
                if bytes.allSatisfy({ $0 != nil }) {
                    // As the reference: a pending unknown token is not flushed here.
                    ids += bytes.map { $0! }
                    continue
                }
            }
            guard let unknownID else { continue }
            if pendingUnknown && !fuseUnknown { ids.append(unknownID) }
            pendingUnknown = true
        }
        if pendingUnknown, let unknownID { ids.append(unknownID) }
        return ids
    }

    /// The vocabulary string of a byte: `<0x0A>`, `<0xE2>`.
    public static func byteToken(_ byte: UInt8) -> String {
        let hex = String(byte, radix: 16, uppercase: true)
        return "<0x" + (hex.count == 1 ? "0" + hex : hex) + ">"
    }

    /// Applies the merges: always the lowest rank first, the leftmost among equals.
    func merge(_ ids: [Int]) -> [Int] {
        guard ids.count > 1 else { return ids }
        var symbols = ids.map(Int32.init)
        var next = Array(1...symbols.count).map { $0 == symbols.count ? -1 : $0 }
        var previous = Array(-1..<(symbols.count - 1))
        var alive = [Bool](repeating: true, count: symbols.count)
        var queue = MergeQueue()
        for i in 0..<(symbols.count - 1) {
            if let m = merges[Pair(left: symbols[i], right: symbols[i + 1])] {
                queue.push(.init(rank: m.rank, position: i, id: m.id))
            }
        }
        while let top = queue.pop() {
            let i = top.position
            guard alive[i], next[i] >= 0 else { continue }
            let j = next[i]
            // A stale entry: the pair at i changed since it was queued.
            guard let m = merges[Pair(left: symbols[i], right: symbols[j])], m.id == top.id else { continue }
            symbols[i] = m.id
            alive[j] = false
            next[i] = next[j]
            if next[j] >= 0 { previous[next[j]] = i }
            if previous[i] >= 0, let left = merges[Pair(left: symbols[previous[i]], right: symbols[i])] {
                queue.push(.init(rank: left.rank, position: previous[i], id: left.id))
            }
            if next[i] >= 0, let right = merges[Pair(left: symbols[i], right: symbols[next[i]])] {
                queue.push(.init(rank: right.rank, position: i, id: right.id))
            }
        }
        return symbols.indices.filter { alive[$0] }.map { Int(symbols[$0]) }
    }

    public func token(for id: Int) -> String? { vocabulary.token(for: id) }
    public func id(for token: String) -> Int? { vocabulary.id(for: token) }
    public var vocabularySize: Int { vocabulary.size }
}

/// A min-heap of pending merges ordered by rank, then position.
struct MergeQueue {
    struct Entry { let rank: Int32; let position: Int; let id: Int32 }
    private var heap: [Entry] = []

    static func before(_ a: Entry, _ b: Entry) -> Bool {
        a.rank != b.rank ? a.rank < b.rank : a.position < b.position
    }

    mutating func push(_ entry: Entry) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.before(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Entry? {
        guard let top = heap.first else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var best = parent
                if left < heap.count && Self.before(heap[left], heap[best]) { best = left }
                if right < heap.count && Self.before(heap[right], heap[best]) { best = right }
                if best == parent { break }
                heap.swapAt(parent, best)
                parent = best
            }
        }
        return top
    }
}

/// Words already merged, keyed by their exact scalars; bounded, shared by copies of the model.
final class WordCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [[UInt32]: [Int]] = [:]
    static let capacity = 10_000
    static let longestWord = 256

    func ids(for key: [UInt32]) -> [Int]? {
        lock.lock(); defer { lock.unlock() }
        return entries[key]
    }

    func store(_ ids: [Int], for key: [UInt32]) {
        guard key.count < Self.longestWord else { return }
        lock.lock(); defer { lock.unlock() }
        if entries.count < Self.capacity { entries[key] = ids }
    }
}
