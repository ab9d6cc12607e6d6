import Foundation

/// Limits that keep one `encode` bounded in time and memory whatever the tokenizer file says, and
/// the way a stage that hits one reports it: the stage gives up on its piece (returning nothing for
/// it), reports why here, and `Tokenizer.checkedEncode` turns the report into an error naming the file.
public enum EncodeLimits {
    /// A normalizer may make text at most this many times longer (plus `normalizedSlack` bytes):
    /// Unicode normalization expands a character 18 times at most; doubling stages are refused.
    public static let normalizedGrowth = 32
    public static let normalizedSlack = 1024
    /// The time one regular expression may take on one piece of text, in seconds.
    public static let regexSeconds: Double = 1

    /// The longest normalized text allowed for an input of `bytes` UTF-8 bytes.
    static func normalizedLimit(_ bytes: Int) -> Int { normalizedGrowth * bytes + normalizedSlack }
}

/// Where stages report that they gave up (one per `checkedEncode`, carried by a task-local value so
/// the stages' signatures stay as Hugging Face's).
final class EncodeFaults: @unchecked Sendable {
    @TaskLocal static var current: EncodeFaults?

    private let lock = NSLock()
    private var first: String?

    var message: String? { lock.withLock { first } }

    /// Records `message` if it is the first fault of this encode.
    static func report(_ message: @autoclosure () -> String) {
        guard let faults = current else { return }
        let text = message()
        faults.lock.withLock { if faults.first == nil { faults.first = text } }
    }
}

extension Tokenizer {
    /// `encode`, with the stages' limits enforced: a normalizer that grows the text past
    /// `EncodeLimits.normalizedGrowth` times, or a regular expression that runs past
    /// `EncodeLimits.regexSeconds`, is a `TokenizerError` naming the tokenizer's file and the stage.
    public func checkedEncode(_ text: String, addSpecialTokens: Bool = true) throws -> [Token] {
        let faults = EncodeFaults()
        let tokens = EncodeFaults.$current.withValue(faults) { encode(text, addSpecialTokens: addSpecialTokens) }
        if let message = faults.message { throw TokenizerError(file: source, reason: message) }
        return tokens
    }
}
