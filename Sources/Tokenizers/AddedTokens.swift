/// A token matched in the raw text before the pipeline runs (`<|endoftext|>`, `[MASK]`, `<s>`),
/// with Hugging Face's options.
public struct AddedToken: Sendable, Equatable {
    public var id: Int
    public var content: String
    /// Skipped by `decode(_:skipSpecialTokens:)`; special tokens are usually not normalized.
    public var special: Bool
    /// Matched in the normalized text (its own content normalized too) rather than the raw text.
    public var normalized: Bool
    /// The match takes the white space on its left (`lstrip`) or right (`rstrip`) with it.
    public var lstrip: Bool
    public var rstrip: Bool
    /// Matched only where no word character (`\w`) touches it on either side.
    public var singleWord: Bool

    public init(id: Int, content: String, special: Bool = true, normalized: Bool? = nil, lstrip: Bool = false,
                rstrip: Bool = false, singleWord: Bool = false) {
        self.id = id
        self.content = content
        self.special = special
        self.normalized = normalized ?? !special
        self.lstrip = lstrip
        self.rstrip = rstrip
        self.singleWord = singleWord
    }
}

/// Finds added tokens in a text as the reference does: leftmost-longest, non-overlapping matches
/// on scalars, with the `single_word`, `lstrip` and `rstrip` rules, cutting the text into
/// pieces of plain text and matched tokens.
struct AddedTokenMatcher: Sendable {
    struct Pattern: Sendable {
        let scalars: [Unicode.Scalar]
        let token: AddedToken
    }

    enum Piece: Equatable {
        /// Plain text; `atStart` when it begins the string that was split.
        case text(String, atStart: Bool)
        /// A matched token; the text is what it matched, stripped white space included.
        case added(Token)
    }

    private let patterns: [Pattern]
    /// Finds, for every position of a text, the longest pattern starting there.
    private let automaton: LongestMatchAutomaton

    /// - Parameter patterns: each token with the text to look for (its content, or its normalized
    ///   content for a normalized token).
    init(_ patterns: [(String, AddedToken)]) {
        var list: [Pattern] = []
        for (text, token) in patterns {
            let scalars = Array(text.unicodeScalars)
            guard !scalars.isEmpty else { continue }
            list.append(Pattern(scalars: scalars, token: token))
        }
        self.patterns = list
        automaton = LongestMatchAutomaton(list.map(\.scalars))
    }

    var isEmpty: Bool { patterns.isEmpty }

    func split(_ text: String) -> [Piece] {
        let s = Array(text.unicodeScalars)
        guard !s.isEmpty else { return [] }
        guard !patterns.isEmpty else { return [.text(text, atStart: true)] }
        let longest = automaton.longestMatchStarting(at: s)
        var pieces: [Piece] = []
        var pieceStart = 0
        var i = 0
        while i < s.count {
            guard let index = longest[i] else {
                i += 1
                continue
            }
            let pattern = patterns[index]
            var start = i
            var stop = i + pattern.scalars.count
            i = stop
            let token = pattern.token
            if token.singleWord {
                let wordBefore = start > 0 && ScalarClass.isWord(s[start - 1])
                let wordAfter = stop < s.count && ScalarClass.isWord(s[stop])
                if wordBefore || wordAfter { continue }
            }
            if token.lstrip {
                var k = start
                while k > 0 && ScalarClass.isSpace(s[k - 1]) { k -= 1 }
                start = max(k, pieceStart)
            }
            if token.rstrip {
                while stop < s.count && ScalarClass.isSpace(s[stop]) { stop += 1 }
                i = stop
            }
            if pieceStart < start {
                pieces.append(.text(String(scalars: s[pieceStart..<start]), atStart: pieceStart == 0))
            }
            pieces.append(.added(Token(id: token.id, text: String(scalars: s[start..<stop]))))
            pieceStart = stop
        }
        if pieceStart < s.count {
            pieces.append(.text(String(scalars: s[pieceStart...]), atStart: pieceStart == 0))
        }
        return pieces
    }
}

/// Aho–Corasick over the patterns reversed, run over the text reversed: at each position it gives
/// the longest pattern that starts there, for the whole text in time linear in the text's and the
/// patterns' lengths (a pattern of a million characters against a text of a million costs two
/// million steps, not their product). Among equal patterns the first listed wins.
struct LongestMatchAutomaton: Sendable {
    /// Transitions: (state << 21 | scalar) → state. State 0 is the root.
    private var next: [UInt64: Int32] = [:]
    private var failure: [Int32] = [0]
    /// The pattern (its index) a state spells, if it spells one whole.
    private var own: [Int32] = [-1]
    /// The longest pattern that is a suffix of what the state spells (itself or down its failures).
    private var best: [Int32] = [-1]
    private var depth: [Int32] = [0]
    private var lengths: [Int] = []

    init(_ patterns: [[Unicode.Scalar]]) {
        lengths = patterns.map(\.count)
        for (index, pattern) in patterns.enumerated() {
            var state: Int32 = 0
            for scalar in pattern.reversed() {
                let key = Self.key(state, scalar)
                if let known = next[key] {
                    state = known
                } else {
                    let created = Int32(failure.count)
                    failure.append(0); own.append(-1); best.append(-1); depth.append(depth[Int(state)] + 1)
                    next[key] = created
                    state = created
                }
            }
            if own[Int(state)] < 0 { own[Int(state)] = Int32(index) }
        }
        // Children by state, to walk the trie breadth first.
        var children = [[(Unicode.Scalar, Int32)]](repeating: [], count: failure.count)
        for (key, child) in next {
            children[Int(key >> 21)].append((Unicode.Scalar(UInt32(key & 0x1F_FFFF))!, child))
        }
        var queue: [Int32] = [0]
        var head = 0
        best[0] = -1
        while head < queue.count {
            let state = queue[head]
            head += 1
            for (scalar, child) in children[Int(state)] {
                if state != 0 {
                    var fallback = failure[Int(state)]
                    while true {
                        if let target = next[Self.key(fallback, scalar)] {
                            failure[Int(child)] = target
                            break
                        }
                        if fallback == 0 { failure[Int(child)] = 0; break }
                        fallback = failure[Int(fallback)]
                    }
                }
                // Its own pattern is longer than any suffix's.
                best[Int(child)] = own[Int(child)] >= 0 ? own[Int(child)] : best[Int(failure[Int(child)])]
                queue.append(child)
            }
        }
    }

    private static func key(_ state: Int32, _ scalar: Unicode.Scalar) -> UInt64 {
        UInt64(UInt32(bitPattern: state)) << 21 | UInt64(scalar.value)
    }

    /// For each position of `text`, the index of the longest pattern starting there (nil: none).
    func longestMatchStarting(at text: [Unicode.Scalar]) -> [Int?] {
        var result = [Int?](repeating: nil, count: text.count)
        var state: Int32 = 0
        for position in stride(from: text.count - 1, through: 0, by: -1) {
            let scalar = text[position]
            while true {
                if let target = next[Self.key(state, scalar)] {
                    state = target
                    break
                }
                if state == 0 { break }
                state = failure[Int(state)]
            }
            let found = best[Int(state)]
            if found >= 0 { result[position] = Int(found) }
        }
        return result
    }
}
