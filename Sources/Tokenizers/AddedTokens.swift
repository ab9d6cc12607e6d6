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

    /// Patterns by their first scalar, longest first.
    private let byFirst: [Unicode.Scalar: [Pattern]]

    /// - Parameter patterns: each token with the text to look for (its content, or its normalized
    ///   content for a normalized token).
    init(_ patterns: [(String, AddedToken)]) {
        var table: [Unicode.Scalar: [Pattern]] = [:]
        for (text, token) in patterns {
            let scalars = Array(text.unicodeScalars)
            guard let first = scalars.first else { continue }
            table[first, default: []].append(Pattern(scalars: scalars, token: token))
        }
        byFirst = table.mapValues { $0.sorted { $0.scalars.count > $1.scalars.count } }
    }

    var isEmpty: Bool { byFirst.isEmpty }

    func split(_ text: String) -> [Piece] {
        let s = Array(text.unicodeScalars)
        guard !s.isEmpty else { return [] }
        guard !byFirst.isEmpty else { return [.text(text, atStart: true)] }
        var pieces: [Piece] = []
        var pieceStart = 0
        var i = 0
        while i < s.count {
            guard let candidates = byFirst[s[i]],
                  let pattern = candidates.first(where: {
                      i + $0.scalars.count <= s.count && s[i..<i + $0.scalars.count].elementsEqual($0.scalars)
                  }) else {
                i += 1
                continue
            }
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
