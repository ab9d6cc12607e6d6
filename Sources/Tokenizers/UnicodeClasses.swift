/// Unicode character classes as the reference implementation sees them: on scalars (Rust's `char`),
/// never on grapheme clusters.
enum ScalarClass {
    /// `\w` of a regular expression: alphabetic, marks, decimal digits, connector punctuation,
    /// join controls.
    static func isWord(_ s: Unicode.Scalar) -> Bool {
        let p = s.properties
        if p.isAlphabetic || p.isJoinControl { return true }
        switch p.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation: return true
        default: return false
        }
    }

    /// `\s`: Unicode's White_Space property (also Rust's `char::is_whitespace`).
    static func isSpace(_ s: Unicode.Scalar) -> Bool { s.properties.isWhitespace }

    /// `\p{L}`: any letter category.
    static func isLetter(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    /// `\p{N}`: any number category.
    static func isNumber(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber: return true
        default: return false
        }
    }

    static func isMark(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }
}

/// The character classes of BERT's normalizer and pre-tokenizer. The reference takes the general
/// categories from a crate whose tables are Unicode 8.0's: a character assigned later is not
/// punctuation, a control or a combining mark there (U+2E43, punctuation since Unicode 9, is not
/// split off; an emoji of Unicode 13 is kept). Characters are therefore tested on today's
/// category *and* on their age.
enum BertClass {
    static func assignedByUnicode8(_ s: Unicode.Scalar) -> Bool {
        guard let age = s.properties.age else { return false }
        return age.major < 8 || (age.major == 8 && age.minor == 0)
    }

    /// BERT's white space: tab, newline, carriage return and White_Space.
    static func isWhitespace(_ s: Unicode.Scalar) -> Bool {
        s == "\t" || s == "\n" || s == "\r" || s.properties.isWhitespace
    }

    /// BERT's "control": the Other categories Cc, Cf, Co, Cs, except tab, newline and carriage
    /// return (unassigned code points are kept, as the reference keeps them).
    static func isControl(_ s: Unicode.Scalar) -> Bool {
        if s == "\t" || s == "\n" || s == "\r" { return false }
        switch s.properties.generalCategory {
        case .control, .format, .privateUse, .surrogate: return assignedByUnicode8(s)
        default: return false
        }
    }

    /// BERT's punctuation: ASCII 33–47, 58–64, 91–96, 123–126 (`$`, `^`, `~` included) and the
    /// Unicode P* categories.
    static func isPunctuation(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 33...47, 58...64, 91...96, 123...126: return true
        default: break
        }
        switch s.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return assignedByUnicode8(s)
        default: return false
        }
    }

    /// A combining mark that BERT's accent stripping removes (category Mn).
    static func isNonspacingMark(_ s: Unicode.Scalar) -> Bool {
        s.properties.generalCategory == .nonspacingMark && assignedByUnicode8(s)
    }

    /// The CJK ideograph blocks around which BERT puts spaces.
    static func isChineseCharacter(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
             0x2B740...0x2B81F, 0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default: return false
        }
    }
}
