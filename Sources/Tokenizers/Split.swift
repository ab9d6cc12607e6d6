import Foundation

/// Hugging Face's `Split` pre-tokenizer: finds a literal string or a regular expression (Llama 3's
/// and Qwen's word patterns) and cuts the text around the matches as `behavior` says; `invert`
/// makes the text between matches the delimiters instead. Regular expressions run on ICU
/// (`NSRegularExpression`), whose `\s`, `\d`, `\p{L}`, `\p{N}`, look-ahead and `(?i:…)` agree with
/// the reference's Oniguruma; `\w` does not quite (ICU's includes the join controls, Oniguruma's
/// a few Latin-1 numbers), so it is rewritten to Oniguruma's class first. Match positions are taken back to scalars.
public struct Split: PreTokenizer {
    public enum Pattern: Sendable, Equatable {
        case string(String)
        case regex(String)
    }

    public let pattern: Pattern
    public let behavior: SplitBehavior
    public let invert: Bool
    let expression: RegularExpressionBox

    /// Throws when a regular expression does not compile.
    public init(pattern: Pattern, behavior: SplitBehavior, invert: Bool = false) throws {
        self.pattern = pattern
        self.behavior = behavior
        self.invert = invert
        switch pattern {
        case .string(let literal):
            expression = RegularExpressionBox(try NSRegularExpression(
                pattern: NSRegularExpression.escapedPattern(for: literal)))
        case .regex(let source):
            expression = RegularExpressionBox(try NSRegularExpression(pattern: Self.oniguruma(source)))
        }
    }

    /// Oniguruma's word characters, as measured: alphabetic, marks, decimal digits, connector
    /// punctuation, and the Latin-1 superscripts and fractions ² ³ ¹ ¼ ½ ¾; no join controls.
    static let word = #"\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\u00B2\u00B3\u00B9\u00BC-\u00BE"#

    /// The pattern with `\w` and `\W` spelled as Oniguruma means them.
    static func oniguruma(_ pattern: String) -> String {
        var out = ""
        var escaped = false
        for character in pattern {
            if escaped {
                switch character {
                case "w": out += "[" + word + "]"
                case "W": out += "[^" + word + "]"
                default: out += "\\" + String(character)
                }
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                out.append(character)
            }
        }
        if escaped { out += "\\" }
        return out
    }

    public func split(_ text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        guard !scalars.isEmpty else { return [] }
        var matches = expression.matches(in: text, scalars: scalars)
        if invert {
            var between: [Range<Int>] = []
            var previousEnd = 0
            for match in matches {
                if previousEnd < match.lowerBound { between.append(previousEnd..<match.lowerBound) }
                previousEnd = match.upperBound
            }
            if previousEnd < scalars.count { between.append(previousEnd..<scalars.count) }
            matches = between
        }
        return behavior.pieces(scalars, delimiters: matches)
    }
}

/// A compiled expression, shared by copies; `NSRegularExpression` is immutable and safe to share.
final class RegularExpressionBox: @unchecked Sendable {
    let expression: NSRegularExpression
    init(_ expression: NSRegularExpression) { self.expression = expression }

    /// The matches' ranges in scalar offsets (UTF-16 offsets from ICU, converted).
    func matches(in text: String, scalars: [Unicode.Scalar]) -> [Range<Int>] {
        // The scalar index at each UTF-16 offset.
        var scalarAt = [Int](repeating: 0, count: text.utf16.count + 1)
        var offset = 0
        for (index, scalar) in scalars.enumerated() {
            let width = scalar.utf16.count
            for k in 0..<width { scalarAt[offset + k] = index }
            offset += width
        }
        scalarAt[offset] = scalars.count
        let all = NSRange(location: 0, length: offset)
        // ICU backtracks: a pattern such as `(.*a){20}$` takes exponential time. The progress reports
        // come while a match is being searched for, so a time budget can stop it.
        let deadline = Date().addingTimeInterval(EncodeLimits.regexSeconds)
        var ranges: [Range<Int>] = []
        var gaveUp = false
        expression.enumerateMatches(in: text, options: [.reportProgress], range: all) { match, _, stop in
            if let match {
                ranges.append(scalarAt[match.range.location]..<scalarAt[match.range.location + match.range.length])
            }
            if Date() > deadline {
                gaveUp = true
                stop.pointee = true
            }
        }
        if gaveUp {
            EncodeFaults.report("Split pattern \"\(expression.pattern)\" took more than \(EncodeLimits.regexSeconds) s on a piece of \(scalars.count) characters (it backtracks too much)")
            return []
        }
        return ranges
    }
}

/// Hugging Face's `Punctuation` pre-tokenizer: BERT's punctuation characters as delimiters.
public struct Punctuation: PreTokenizer {
    public let behavior: SplitBehavior
    public init(behavior: SplitBehavior = .isolated) { self.behavior = behavior }
    public func split(_ text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        return behavior.pieces(scalars, delimiters: SplitBehavior.delimiters(scalars, where: BertClass.isPunctuation))
    }
}

/// Hugging Face's `Digits` pre-tokenizer: numbers apart from the rest, each digit alone when
/// `individualDigits` (`"x123"` → `x` `1` `2` `3`), else runs of digits (`x` `123`).
public struct Digits: PreTokenizer {
    public let individualDigits: Bool
    public init(individualDigits: Bool = false) { self.individualDigits = individualDigits }
    public func split(_ text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        return (individualDigits ? SplitBehavior.isolated : .contiguous)
            .pieces(scalars, delimiters: SplitBehavior.delimiters(scalars, where: ScalarClass.isNumber))
    }
}
