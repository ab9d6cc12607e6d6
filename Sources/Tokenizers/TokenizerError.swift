/// A tokenizer file that cannot be used; the description is one line naming the file (by the path it
/// was read from) and the problem.
public struct TokenizerError: Error, Equatable, CustomStringConvertible {
    public let file: String
    public let reason: String
    public init(file: String, reason: String) { self.file = file; self.reason = reason }
    public var description: String { "\(file): \(reason)" }
}
