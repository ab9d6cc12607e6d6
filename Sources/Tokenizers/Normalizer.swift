import Foundation

/// The first stage of Hugging Face's pipeline: rewrites the whole input text before it is split.
public protocol Normalizer: Sendable {
    func normalize(_ text: String) -> String
}

/// Lower-cases with Unicode's full case mapping (`"Straße"` → `"straße"`, `"İ"` → `"i̇"`).
public struct Lowercase: Normalizer {
    public init() {}
    public func normalize(_ text: String) -> String { text.lowercased() }
}

/// One of Unicode's four normalization forms.
public struct UnicodeNormalizer: Normalizer {
    public enum Form: String, Sendable { case nfc = "NFC", nfd = "NFD", nfkc = "NFKC", nfkd = "NFKD" }
    public let form: Form
    public init(_ form: Form) { self.form = form }
    public func normalize(_ text: String) -> String {
        switch form {
        case .nfc: return text.precomposedStringWithCanonicalMapping
        case .nfd: return text.decomposedStringWithCanonicalMapping
        case .nfkc: return text.precomposedStringWithCompatibilityMapping
        case .nfkd: return text.decomposedStringWithCompatibilityMapping
        }
    }
}

/// Removes combining marks (general category Mn), as Hugging Face's `StripAccents` does; it is
/// meant to follow NFD, which splits `é` into `e` + U+0301.
public struct StripAccents: Normalizer {
    public init() {}
    public func normalize(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: text.unicodeScalars.filter { $0.properties.generalCategory != .nonspacingMark })
        return String(scalars)
    }
}

/// Puts a fixed string before the text (Llama's `▁`), unless the text is empty.
public struct Prepend: Normalizer {
    public let prefix: String
    public init(_ prefix: String) { self.prefix = prefix }
    public func normalize(_ text: String) -> String { text.isEmpty ? text : prefix + text }
}

/// Replaces every occurrence of a literal string, matched on Unicode scalars.
public struct Replace: Normalizer {
    public let pattern: String
    public let content: String
    public init(pattern: String, content: String) { self.pattern = pattern; self.content = content }
    public func normalize(_ text: String) -> String {
        guard !pattern.isEmpty else { return text }
        let needle = Array(pattern.unicodeScalars)
        let hay = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < hay.count {
            if i + needle.count <= hay.count && Array(hay[i..<i + needle.count]) == needle {
                out.append(contentsOf: content.unicodeScalars)
                i += needle.count
            } else {
                out.append(hay[i])
                i += 1
            }
        }
        return String(out)
    }
}

/// Several normalizers applied in order.
public struct NormalizerSequence: Normalizer {
    public let stages: [any Normalizer]
    public init(_ stages: [any Normalizer]) { self.stages = stages }
    public func normalize(_ text: String) -> String { stages.reduce(text) { $1.normalize($0) } }
}
