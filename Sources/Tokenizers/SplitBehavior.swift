/// What a splitting pre-tokenizer does with the delimiters it finds (Hugging Face's
/// `SplitDelimiterBehavior`), shown on `"the-final--countdown"` split on `-`:
/// `removed` → `the` `final` `countdown`; `isolated` → `the` `-` `final` `-` `-` `countdown`;
/// `mergedWithPrevious` → `the-` `final-` `-` `countdown`; `mergedWithNext` → `the` `-final` `-`
/// `-countdown`; `contiguous` → `the` `-` `final` `--` `countdown`.
public enum SplitBehavior: String, Sendable {
    case removed, isolated, contiguous
    case mergedWithPrevious = "merged_with_previous"
    case mergedWithNext = "merged_with_next"

    /// Cuts `scalars` into pieces given the delimiters' ranges (sorted, not overlapping), as the
    /// reference does; empty pieces are dropped.
    func pieces(_ scalars: [Unicode.Scalar], delimiters: [Range<Int>]) -> [String] {
        // The whole text as alternating (range, isDelimiter) parts.
        var parts: [(range: Range<Int>, isMatch: Bool)] = []
        var previousEnd = 0
        for match in delimiters {
            if previousEnd < match.lowerBound { parts.append((previousEnd..<match.lowerBound, false)) }
            parts.append((match, true))
            previousEnd = match.upperBound
        }
        if previousEnd < scalars.count { parts.append((previousEnd..<scalars.count, false)) }

        var kept: [Range<Int>] = []
        switch self {
        case .isolated:
            kept = parts.map(\.range)
        case .removed:
            kept = parts.filter { !$0.isMatch }.map(\.range)
        case .contiguous, .mergedWithPrevious:
            var previousMatch = false
            for part in parts {
                let merge = self == .contiguous ? part.isMatch == previousMatch : part.isMatch && !previousMatch
                if merge, let last = kept.last {
                    kept[kept.count - 1] = last.lowerBound..<part.range.upperBound
                } else {
                    kept.append(part.range)
                }
                previousMatch = part.isMatch
            }
        case .mergedWithNext:
            var previousMatch = false
            for part in parts.reversed() {
                if part.isMatch && !previousMatch, let last = kept.last {
                    kept[kept.count - 1] = part.range.lowerBound..<last.upperBound
                } else {
                    kept.append(part.range)
                }
                previousMatch = part.isMatch
            }
            kept.reverse()
        }
        return kept.filter { !$0.isEmpty }.map { String(scalars: scalars[$0]) }
    }

    /// One delimiter for each scalar that passes `test`.
    static func delimiters(_ scalars: [Unicode.Scalar], where test: (Unicode.Scalar) -> Bool) -> [Range<Int>] {
        scalars.indices.filter { test(scalars[$0]) }.map { $0..<$0 + 1 }
    }
}
