/// String operations on Unicode scalars. Swift's `String` compares, searches and takes prefixes by
/// grapheme cluster under canonical equivalence; tokenizers must not (`"e\u{301}"` is two tokens'
/// worth of scalars, and `"café"` composed and decomposed are different vocabulary entries).
extension String {
    /// A string made of exactly these scalars.
    init<S: Sequence>(scalars: S) where S.Element == Unicode.Scalar {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        self = String(view)
    }

    /// Whether the scalars of `prefix` begin this string's scalars.
    func hasScalarPrefix(_ prefix: String) -> Bool {
        var mine = unicodeScalars.makeIterator()
        for s in prefix.unicodeScalars { guard mine.next() == s else { return false } }
        return true
    }

    /// This string without the scalars of `prefix` at its start, or nil if it does not start so.
    func droppingScalarPrefix(_ prefix: String) -> String? {
        guard hasScalarPrefix(prefix) else { return nil }
        return String(scalars: unicodeScalars.dropFirst(prefix.unicodeScalars.count))
    }

    /// Every non-overlapping occurrence of `pattern`, left to right, replaced by `content`.
    func replacingScalars(_ pattern: String, with content: String) -> String {
        let needle = Array(pattern.unicodeScalars)
        guard !needle.isEmpty else { return self }
        let hay = Array(unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < hay.count {
            if i + needle.count <= hay.count && hay[i..<i + needle.count].elementsEqual(needle) {
                out.append(contentsOf: content.unicodeScalars)
                i += needle.count
            } else {
                out.append(hay[i])
                i += 1
            }
        }
        return String(out)
    }

    /// The pieces between occurrences of one scalar, empty pieces kept (`"a b"` → `"a"`, `"b"`; a
    /// space before a combining mark still separates, unlike `split` on `Character`s).
    func splitScalars(on separator: Unicode.Scalar) -> [String] {
        unicodeScalars.split(separator: separator, omittingEmptySubsequences: false).map { String(scalars: $0) }
    }

    /// Whether two strings have the same scalars (not merely canonically equivalent).
    func sameScalars(_ other: String) -> Bool { unicodeScalars.elementsEqual(other.unicodeScalars) }
}
