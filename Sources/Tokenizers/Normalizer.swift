import Foundation

/// The first stage of Hugging Face's pipeline: rewrites the whole input text before it is split.
public protocol Normalizer: Sendable {
    func normalize(_ text: String) -> String
}

/// Lower-cases scalar by scalar with Unicode's full case mapping and no context, as Rust's
/// `char::to_lowercase` does (`"Straße"` → `"straße"`, `"İ"` → `"i̇"`, `"Σ"` always `"σ"`).
public struct Lowercase: Normalizer {
    public init() {}
    public func normalize(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { out.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars) }
        return String(out)
    }
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

/// Removes combining marks (general categories Mn, Mc, Me), as Hugging Face's `StripAccents`
/// does; it is meant to follow NFD, which splits `é` into `e` + U+0301.
public struct StripAccents: Normalizer {
    public init() {}
    public func normalize(_ text: String) -> String {
        String(scalars: text.unicodeScalars.filter { !ScalarClass.isMark($0) })
    }
}

/// Puts a fixed string before the text (Llama's `▁`), unless the text is empty.
public struct Prepend: Normalizer {
    public let prefix: String
    public init(_ prefix: String) { self.prefix = prefix }
    public func normalize(_ text: String) -> String { text.unicodeScalars.isEmpty ? text : prefix + text }
}

/// Replaces every occurrence of a literal string, matched on Unicode scalars (Llama's `" "` → `"▁"`).
public struct Replace: Normalizer {
    public let pattern: String
    public let content: String
    public init(pattern: String, content: String) { self.pattern = pattern; self.content = content }
    public func normalize(_ text: String) -> String { text.replacingScalars(pattern, with: content) }
}

/// Removes white space at the start and/or the end of the text.
public struct StripNormalizer: Normalizer {
    public let left: Bool
    public let right: Bool
    public init(left: Bool, right: Bool) { self.left = left; self.right = right }
    public func normalize(_ text: String) -> String {
        var scalars = Array(text.unicodeScalars)
        if right { while let last = scalars.last, ScalarClass.isSpace(last) { scalars.removeLast() } }
        if left, let first = scalars.firstIndex(where: { !ScalarClass.isSpace($0) }) {
            scalars.removeFirst(first)
        } else if left {
            scalars.removeAll()
        }
        return String(scalars: scalars)
    }
}

/// Several normalizers applied in order.
public struct NormalizerSequence: Normalizer {
    public let stages: [any Normalizer]
    public init(_ stages: [any Normalizer]) { self.stages = stages }
    /// Each stage in turn; stops with a reported fault (and no text) once the text has grown past
    /// `EncodeLimits.normalizedGrowth` times its length, so stages that double it cannot run away.
    public func normalize(_ text: String) -> String {
        let limit = EncodeLimits.normalizedLimit(text.utf8.count)
        var current = text
        for (index, stage) in stages.enumerated() {
            current = stage.normalize(current)
            if current.utf8.count > limit {
                EncodeFaults.report("normalizer stage \(index + 1) (\(type(of: stage))) makes the text more than \(EncodeLimits.normalizedGrowth) times longer")
                return ""
            }
        }
        return current
    }

    /// How many times longer the stages can make a text, at most, from their Replace stages (each
    /// multiplies by its content's length over its pattern's); nil when that is unbounded.
    public var worstGrowth: Double {
        stages.reduce(1.0) { total, stage in
            switch stage {
            case let replace as Replace:
                let pattern = replace.pattern.unicodeScalars.count, content = replace.content.unicodeScalars.count
                return total * (pattern == 0 ? .infinity : max(1, Double(content) / Double(pattern)))
            case let sequence as NormalizerSequence: return total * sequence.worstGrowth
            default: return total
            }
        }
    }
}
