/// The third stage: turns one pre-tokenized word into vocabulary tokens.
public protocol TokenizerModel: Sendable {
    /// The tokens of one word, as (id, vocabulary string) pairs.
    func tokenize(_ word: String) -> [Token]
    /// The vocabulary string of an id, nil outside the vocabulary.
    func token(for id: Int) -> String?
    /// The id of a vocabulary string, nil if absent.
    func id(for token: String) -> Int?
    /// The number of ids.
    var vocabularySize: Int { get }
}

/// One token: its id and the vocabulary's own string for it.
public struct Token: Equatable, Sendable {
    public var id: Int
    public var text: String
    public init(id: Int, text: String) { self.id = id; self.text = text }
}

/// A vocabulary keyed by the exact Unicode scalars of each entry, so canonically equivalent
/// strings (precomposed `é` and `e` + U+0301) stay distinct, as they are in Hugging Face's files.
public struct Vocabulary: Sendable {
    private var idsByScalars: [[UInt32]: Int] = [:]
    private var tokensById: [Int: String] = [:]
    /// One more than the largest id.
    public private(set) var size = 0

    /// Entries in order; a repeated string keeps its last id.
    public init(_ entries: [(String, Int)]) {
        idsByScalars.reserveCapacity(entries.count)
        tokensById.reserveCapacity(entries.count)
        for (token, id) in entries {
            idsByScalars[Self.key(token)] = id
            tokensById[id] = token
            size = max(size, id < Int.max ? id + 1 : id)
        }
    }

    static func key(_ text: String) -> [UInt32] { text.unicodeScalars.map(\.value) }

    public func id(for token: String) -> Int? { idsByScalars[Self.key(token)] }
    /// The id of the entry spelled by exactly these scalars.
    public func id<S: Sequence>(scalars: S) -> Int? where S.Element == Unicode.Scalar {
        idsByScalars[scalars.map(\.value)]
    }
    public func token(for id: Int) -> String? { tokensById[id] }

    /// Ids must be below this (no real vocabulary comes near; ids are stored as `Int32` in places).
    public static let idLimit = 1 << 24

    /// The token with the largest id, and that id.
    public var largest: (String, Int)? { tokensById.max { $0.key < $1.key }.map { ($0.value, $0.key) } }
    /// The number of entries.
    public var count: Int { idsByScalars.count }
}

/// A whole-word vocabulary: each word is one token, or the unknown token.
public struct WordLevel: TokenizerModel {
    public let vocabulary: Vocabulary
    public let unknownToken: String

    public init(vocabulary: Vocabulary, unknownToken: String) {
        self.vocabulary = vocabulary
        self.unknownToken = unknownToken
    }

    public func tokenize(_ word: String) -> [Token] {
        if let id = vocabulary.id(for: word) { return [Token(id: id, text: word)] }
        if let unk = vocabulary.id(for: unknownToken) { return [Token(id: unk, text: unknownToken)] }
        return []
    }

    public func token(for id: Int) -> String? { vocabulary.token(for: id) }
    public func id(for token: String) -> Int? { vocabulary.id(for: token) }
    public var vocabularySize: Int { vocabulary.size }
}
