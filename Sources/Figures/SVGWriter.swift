import Terminal

/// Builds an SVG document as plain XML text, element by element. Every attribute value and every
/// text is sanitised (no control characters, which XML 1.0 forbids) and escaped here.
public struct SVGWriter {
    public private(set) var lines: [String] = []

    /// Starts a `width × height` pixel document in a monospace font `fontSize` pixels high.
    public init(width: Int, height: Int, fontSize: Int, title: String) {
        lines.append(#"<?xml version="1.0" encoding="UTF-8"?>"#)
        lines.append(#"<svg xmlns="http://www.w3.org/2000/svg" width="\#(width)" height="\#(height)" viewBox="0 0 \#(width) \#(height)" "#
                     + #"font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="\#(fontSize)">"#)
        lines.append("<title>\(Self.escape(title))</title>")
    }

    /// `<name a="v" …/>`, or with `text`, `<name …>text</name>`.
    public mutating func element(_ name: String, _ attributes: [(String, String)], text: String? = nil) {
        let attrs = attributes.map { " \($0.0)=\"\(Self.escape($0.1))\"" }.joined()
        if let text { lines.append("<\(name)\(attrs)>\(Self.escape(text))</\(name)>") }
        else { lines.append("<\(name)\(attrs)/>") }
    }

    /// Opens `<name …>`; close it with `close(name)`.
    public mutating func open(_ name: String, _ attributes: [(String, String)] = []) {
        lines.append("<\(name)" + attributes.map { " \($0.0)=\"\(Self.escape($0.1))\"" }.joined() + ">")
    }

    public mutating func close(_ name: String) { lines.append("</\(name)>") }

    /// The finished document.
    public func finished() -> String { (lines + ["</svg>"]).joined(separator: "\n") + "\n" }

    /// `text` sanitised, with `& < > " '` as entities.
    public static func escape(_ text: String) -> String {
        var out = ""
        for character in Sanitizer.sanitize(text) {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }
}
