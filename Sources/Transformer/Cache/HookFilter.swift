/// Which hooks a forward pass records: a comma-separated list of globs matched against whole
/// names, `*` matching any characters (dots included), e.g. `blocks.0.attn.*,logits`.
public struct HookFilter: Sendable, Equatable, CustomStringConvertible {
    /// The globs, as given.
    public let patterns: [String]

    /// Every hook.
    public static let all = HookFilter(patterns: ["*"])
    /// No hook: the forward pass records nothing and pays nothing for it.
    public static let none = HookFilter(patterns: [])

    /// Whether some glob is `*` alone (full recording asks every name; this answers without matching).
    private let matchesEverything: Bool

    public init(patterns: [String]) {
        self.patterns = patterns
        matchesEverything = patterns.contains("*")
    }

    /// Parses `a,b*,c`; spaces around commas are ignored, empty pieces dropped.
    public init(parsing text: String) {
        self.init(patterns: text.split(separator: ",").map { $0.trimmingCharacters(in: " ") }.filter { !$0.isEmpty })
    }

    /// Whether this filter records nothing.
    public var isEmpty: Bool { patterns.isEmpty }

    /// Whether `name` is recorded.
    public func matches(_ name: String) -> Bool {
        matchesEverything || patterns.contains { Self.glob($0, matches: name) }
    }

    /// The globs that match none of `names` (to tell a user their filter selects nothing).
    public func unmatched(in names: [String]) -> [String] {
        patterns.filter { pattern in !names.contains { Self.glob(pattern, matches: $0) } }
    }

    public var description: String { patterns.joined(separator: ",") }

    /// Whole-string glob match where `*` matches any run of characters.
    static func glob(_ pattern: String, matches name: String) -> Bool {
        let p = Array(pattern.utf8), s = Array(name.utf8)
        var pi = 0, si = 0, star = -1, mark = 0
        while si < s.count {
            if pi < p.count && p[pi] == UInt8(ascii: "*") {
                star = pi; mark = si; pi += 1
            } else if pi < p.count && p[pi] == s[si] {
                pi += 1; si += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; si = mark
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}

private extension Substring {
    func trimmingCharacters(in set: Character) -> String {
        var s = self
        while s.first == set { s.removeFirst() }
        while s.last == set { s.removeLast() }
        return String(s)
    }
}
