import Foundation

/// A tokenizer file that cannot be used; the description is one line naming the file (by the path it
/// was read from) and the problem.
public struct TokenizerError: Error, Equatable, CustomStringConvertible {
    public let file: String
    public let reason: String
    public init(file: String, reason: String) { self.file = file; self.reason = reason }
    public var description: String { "\(file): \(reason)" }
}

extension TokenizerError {
    /// The bytes of the regular file at `path`; anything else (missing, a directory, a FIFO) is an
    /// error naming the file.
    static func read(_ path: String) throws -> Data {
        do { return try RegularFile.read(path) } catch {
            throw TokenizerError(file: path, reason: error.description)
        }
    }
}
