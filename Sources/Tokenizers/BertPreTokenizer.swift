/// BERT's pre-tokenizer: splits on white space (which is dropped), then isolates every punctuation
/// character as a word of its own (`"$5.00!"` → `"$"`, `"5"`, `"."`, `"00"`, `"!"`), punctuation
/// being BERT's: the ASCII symbols and Unicode's P* categories.
public struct BertPreTokenizer: PreTokenizer {
    public init() {}
    public func split(_ text: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        func finish() {
            if !current.isEmpty { words.append(String(current)); current = .init() }
        }
        for scalar in text.unicodeScalars {
            if ScalarClass.isSpace(scalar) {
                finish()
            } else if BertClass.isPunctuation(scalar) {
                finish()
                words.append(String(scalar))
            } else {
                current.append(scalar)
            }
        }
        finish()
        return words
    }
}
