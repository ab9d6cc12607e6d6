/// GPT-2's splitting pattern,
/// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`,
/// matched by hand on Unicode scalars as the reference's regular expression engine matches it on
/// code points: at each position the first alternative that matches wins, each `+` is greedy, and
/// `\s+(?!\S)` gives back one white space when a non-space follows, so that the space goes with
/// the next word (`"a   b"` → `"a"`, `"  "`, `" b"`).
enum GPT2Pattern {
    static let contractions: [[Unicode.Scalar]] = ["'s", "'t", "'re", "'ve", "'m", "'ll", "'d"].map {
        Array($0.unicodeScalars)
    }

    /// The matches, as ranges of scalar offsets; they cover the text from start to end.
    static func matches(_ s: [Unicode.Scalar]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var i = 0
        while i < s.count {
            let end = match(s, at: i)
            ranges.append(i..<end)
            i = end
        }
        return ranges
    }

    static func isOther(_ c: Unicode.Scalar) -> Bool {
        !ScalarClass.isSpace(c) && !ScalarClass.isLetter(c) && !ScalarClass.isNumber(c)
    }

    /// The end of the match that starts at `i` (always past `i`: every scalar is a letter, a number,
    /// a space or something else, and each of those has an alternative).
    static func match(_ s: [Unicode.Scalar], at i: Int) -> Int {
        func run(from start: Int, _ test: (Unicode.Scalar) -> Bool) -> Int {
            var j = start
            while j < s.count && test(s[j]) { j += 1 }
            return j
        }
        // 's 't 're 've 'm 'll 'd, in that order, case-sensitive.
        if s[i] == "'" {
            for contraction in contractions where i + contraction.count <= s.count
                && s[i..<i + contraction.count].elementsEqual(contraction) {
                return i + contraction.count
            }
        }
        // ` ?\p{L}+`, ` ?\p{N}+`, ` ?[^\s\p{L}\p{N}]+`: an optional plain space, then a run.
        for test in [ScalarClass.isLetter, ScalarClass.isNumber, isOther] as [(Unicode.Scalar) -> Bool] {
            if s[i] == " ", i + 1 < s.count, test(s[i + 1]) { return run(from: i + 1, test) }
            if test(s[i]) { return run(from: i, test) }
        }
        // `\s+(?!\S)`, then `\s+`.
        let end = run(from: i, ScalarClass.isSpace)
        if end == s.count { return end }
        if end - i >= 2 { return end - 1 }
        return end
    }
}
