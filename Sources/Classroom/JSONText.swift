import Transformer

/// Writing JSON by hand where it is made often (every frame): strings escaped as RFC 8259 asks.
enum JSONText {
    /// `text` as a JSON string literal, quotes included.
    static func string(_ text: String) -> String { jsonQuoted(text) }

    /// An optional string, or `null`.
    static func string(_ text: String?) -> String { text.map { string($0) } ?? "null" }
}
