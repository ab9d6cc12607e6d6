import Analysis

/// Keeps a selected token on the same token when the sentence changes: the token's position in the
/// new run, found by aligning the old and new token lists (the tokens an edit left alone keep
/// their identity, whatever moved around them).
enum TokenAnchor {
    /// Where the token at `position` of `old` is in `new`:
    /// 1. the same token, when the edit left it in place (the two lists aligned by their longest
    ///    common subsequence);
    /// 2. else the new last token, when `position` was the last and `followsEnd` (typing at the end
    ///    keeps the selection on the end);
    /// 3. else the nearest token with the same text;
    /// 4. else the same position, moved inside the new list.
    static func position(_ position: Int, from old: [String], to new: [String], followsEnd: Bool = false) -> Int {
        guard !new.isEmpty else { return 0 }
        guard old.indices.contains(position) else { return min(max(0, position), new.count - 1) }
        if let kept = alignment(from: old, to: new)[position] { return kept }
        if followsEnd && position == old.count - 1 { return new.count - 1 }
        let text = old[position]
        let same = new.indices.filter { new[$0] == text }
        if let nearest = same.min(by: { abs($0 - position) < abs($1 - position) }) { return nearest }
        return min(position, new.count - 1)
    }

    /// For each position of `old` that the change from `old` to `new` left in place, its position in `new`.
    static func alignment(from old: [String], to new: [String]) -> [Int: Int] {
        Dictionary(uniqueKeysWithValues: TokenAlignment(old, new).pairs.map { ($0.a, $0.b) })
    }
}
