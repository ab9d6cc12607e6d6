/// The fourth stage: adds the model's special tokens around the encoded text
/// (`[CLS] … [SEP]` for BERT, `<s> …` for Llama).
public protocol PostProcessor: Sendable {
    func process(_ tokens: [Token]) -> [Token]
}

/// Hugging Face's `TemplateProcessing` for a single sequence: a template of pieces, each either
/// the sequence itself (`$A`) or a special token.
public struct TemplateProcessing: PostProcessor {
    public enum Piece: Equatable, Sendable {
        case sequence
        case special(Token)
    }

    public let single: [Piece]

    public init(single: [Piece]) { self.single = single }

    public func process(_ tokens: [Token]) -> [Token] {
        single.flatMap { piece -> [Token] in
            switch piece {
            case .sequence: return tokens
            case .special(let token): return [token]
            }
        }
    }
}

/// Hugging Face's `ByteLevel` post-processor only trims offsets, which this pipeline does not keep:
/// it adds no token.
public struct ByteLevelPostProcessor: PostProcessor {
    public init() {}
    public func process(_ tokens: [Token]) -> [Token] { tokens }
}

/// Several post-processors applied in order.
public struct PostProcessorSequence: PostProcessor {
    public let stages: [any PostProcessor]
    public init(_ stages: [any PostProcessor]) { self.stages = stages }
    public func process(_ tokens: [Token]) -> [Token] { stages.reduce(tokens) { $1.process($0) } }
}
