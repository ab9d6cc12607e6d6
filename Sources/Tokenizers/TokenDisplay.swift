/// How `Tokenizer.display` turns a vocabulary string into a short readable one for a learner.
///
/// The convention, whatever the tokenizer:
/// - a space is `␣` (U+2423 OPEN BOX), a newline `↵`, a tab `⇥`: `Ġthe` (GPT-2), `▁the` (Llama)
///   and ` the` all show as `␣the`;
/// - a WordPiece continuation shows `⋯` (U+22EF) instead of its prefix: `##ing` → `⋯ing`;
/// - a byte that is not a whole character shows as `<E2>` (byte-level pieces of a character, and
///   Llama's byte tokens `<0xE2>`); a byte token of a whole ASCII character shows that character
///   (`<0x41>` → `A`);
/// - other invisible characters (controls, format characters such as U+200D ZERO WIDTH JOINER, other
///   spaces) show as `<U+200D>`; a combining mark that starts a token is shown on `◌`.
/// Every character of the result is printable, and each is one terminal column wide except wide
/// characters of the text itself (CJK, emoji).
public struct TokenDisplay: Sendable, Equatable {
    /// Tokens are spelled in GPT-2's byte-level alphabet (`Ġ` for a space byte).
    public var byteLevel: Bool
    /// The character that stands for a space (`▁`), if any.
    public var spaceMarker: Unicode.Scalar?
    /// `<0xNN>` tokens stand for one byte.
    public var byteTokens: Bool
    /// The prefix that marks a word's continuation (`##`), if any.
    public var continuingPrefix: String?

    public init(byteLevel: Bool = false, spaceMarker: Unicode.Scalar? = nil, byteTokens: Bool = false,
                continuingPrefix: String? = nil) {
        self.byteLevel = byteLevel
        self.spaceMarker = spaceMarker
        self.byteTokens = byteTokens
        self.continuingPrefix = continuingPrefix
    }

    /// Tokens shown as they are, only made visible.
    public static let plain = TokenDisplay()

    public static let space = "\u{2423}"
    public static let continuation = "\u{22EF}"

    /// The readable form of a vocabulary string.
    public func render(_ token: String) -> String {
        if byteTokens, let byte = ByteFallbackDecoder.byte(of: token) {
            return byte < 0x80 ? Self.visible(String(Unicode.Scalar(byte))) : Self.hex(byte)
        }
        if byteLevel, let bytes = ByteLevelAlphabet.decode(token) {
            return Self.readable(bytes)
        }
        var text = token
        if let marker = spaceMarker {
            text = String(scalars: text.unicodeScalars.map { $0 == marker ? " " : $0 })
        }
        if let prefix = continuingPrefix, text.unicodeScalars.count > prefix.unicodeScalars.count,
           let rest = text.droppingScalarPrefix(prefix) {
            return Self.continuation + Self.visible(rest)
        }
        return Self.visible(text)
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return "<" + (digits.count == 1 ? "0" : "") + digits + ">"
    }

    /// Bytes as text where they are whole UTF-8 characters, as `<XX>` where they are not.
    static func readable(_ bytes: [UInt8]) -> String {
        var out = ""
        var text: [UInt8] = []
        func flushText() {
            if !text.isEmpty { out += visible(String(decoding: text, as: UTF8.self)) }
            text.removeAll()
        }
        var i = 0
        while i < bytes.count {
            let length = utf8SequenceLength(bytes, at: i)
            if length > 0 {
                text += bytes[i..<i + length]
                i += length
            } else {
                flushText()
                out += hex(bytes[i])
                i += 1
            }
        }
        flushText()
        return out
    }

    /// The length of the well-formed UTF-8 sequence at `i`, or 0 if there is none.
    static func utf8SequenceLength(_ bytes: [UInt8], at i: Int) -> Int {
        let lead = bytes[i]
        let length: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: return 0
        }
        guard i + length <= bytes.count else { return 0 }
        for k in 1..<length {
            let b = bytes[i + k]
            let (lo, hi) = k == 1 ? (low, high) : (0x80, 0xBF)
            guard b >= lo && b <= hi else { return 0 }
        }
        return length
    }

    /// Text with its invisible characters made visible (see the type's documentation).
    public static func visible(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for (index, scalar) in text.unicodeScalars.enumerated() {
            switch scalar {
            case " ": out.append(contentsOf: space.unicodeScalars)
            case "\n": out.append("\u{21B5}")
            case "\t": out.append("\u{21E5}")
            default:
                if isInvisible(scalar) {
                    let digits = String(scalar.value, radix: 16, uppercase: true)
                    out.append(contentsOf: ("<U+" + String(repeating: "0", count: max(0, 4 - digits.count))
                        + digits + ">").unicodeScalars)
                } else {
                    if index == 0 && ScalarClass.isMark(scalar) { out.append("\u{25CC}") }
                    out.append(scalar)
                }
            }
        }
        return String(out)
    }

    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.properties.isWhitespace { return true }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator:
            return true
        default:
            return false
        }
    }
}

extension TokenDisplay {
    /// The display a pipeline calls for, read from its stages.
    static func inferred(normalizer: (any Normalizer)?, preTokenizer: (any PreTokenizer)?,
                         model: any TokenizerModel, decoder: (any TokenDecoder)?) -> TokenDisplay {
        let decoders = flattened(decoder)
        let preTokenizers = flattened(preTokenizer)
        let normalizers = flattened(normalizer)
        var display = TokenDisplay()
        display.byteLevel = decoders.contains { $0 is ByteLevelDecoder }
            || preTokenizers.contains { $0 is ByteLevelPreTokenizer }
        if let metaspace = decoders.lazy.compactMap({ $0 as? MetaspaceDecoder }).first {
            display.spaceMarker = metaspace.replacement
        } else if let metaspace = preTokenizers.lazy.compactMap({ $0 as? Metaspace }).first {
            display.spaceMarker = metaspace.replacement
        } else if let replace = decoders.lazy.compactMap({ $0 as? ReplaceDecoder })
            .first(where: { $0.content == " " && $0.pattern.unicodeScalars.count == 1 }) {
            display.spaceMarker = replace.pattern.unicodeScalars.first
        } else if let replace = normalizers.lazy.compactMap({ $0 as? Replace })
            .first(where: { $0.pattern == " " && $0.content.unicodeScalars.count == 1 }) {
            display.spaceMarker = replace.content.unicodeScalars.first
        }
        display.byteTokens = decoders.contains { $0 is ByteFallbackDecoder } || (model as? BPE)?.byteFallback == true
        display.continuingPrefix = decoders.lazy.compactMap({ $0 as? WordPieceDecoder }).first?.prefix
            ?? (model as? WordPiece)?.continuingSubwordPrefix
            ?? (model as? BPE)?.continuingSubwordPrefix
        return display
    }

    static func flattened(_ decoder: (any TokenDecoder)?) -> [any TokenDecoder] {
        guard let decoder else { return [] }
        if let sequence = decoder as? DecoderSequence { return sequence.stages.flatMap { flattened($0) } }
        return [decoder]
    }

    static func flattened(_ preTokenizer: (any PreTokenizer)?) -> [any PreTokenizer] {
        guard let preTokenizer else { return [] }
        if let sequence = preTokenizer as? PreTokenizerSequence { return sequence.stages.flatMap { flattened($0) } }
        return [preTokenizer]
    }

    static func flattened(_ normalizer: (any Normalizer)?) -> [any Normalizer] {
        guard let normalizer else { return [] }
        if let sequence = normalizer as? NormalizerSequence { return sequence.stages.flatMap { flattened($0) } }
        return [normalizer]
    }
}
