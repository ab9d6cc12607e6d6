/// BERT's normalizer, in the reference's order: clean the text (drop NUL, U+FFFD and control
/// characters; turn every white space into a plain space), put spaces around CJK ideographs, strip
/// accents (NFD, then drop the Mn marks; by default whenever it lower-cases), lower-case.
public struct BertNormalizer: Normalizer {
    public var cleanText: Bool
    public var handleChineseCharacters: Bool
    /// nil: follow `lowercase`, as BERT's uncased models do.
    public var stripAccents: Bool?
    public var lowercase: Bool

    public init(cleanText: Bool = true, handleChineseCharacters: Bool = true, stripAccents: Bool? = nil,
                lowercase: Bool = true) {
        self.cleanText = cleanText
        self.handleChineseCharacters = handleChineseCharacters
        self.stripAccents = stripAccents
        self.lowercase = lowercase
    }

    public func normalize(_ text: String) -> String {
        var scalars = Array(text.unicodeScalars)
        if cleanText {
            scalars = scalars.compactMap { s in
                if s.value == 0 || s.value == 0xFFFD || BertClass.isControl(s) { return nil }
                return BertClass.isWhitespace(s) ? " " : s
            }
        }
        if handleChineseCharacters {
            scalars = scalars.flatMap { s in BertClass.isChineseCharacter(s) ? [" ", s, " "] : [s] }
        }
        var result = String(scalars: scalars)
        if stripAccents ?? lowercase {
            result = String(scalars: UnicodeNormalizer(.nfd).normalize(result).unicodeScalars
                .filter { !BertClass.isNonspacingMark($0) })
        }
        if lowercase { result = Lowercase().normalize(result) }
        return result
    }
}
