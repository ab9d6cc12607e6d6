/// What can go wrong loading or running a model; each case's description is one line a user can act on.
public enum ModelError: Error, Equatable, CustomStringConvertible {
    case badConfig(String)
    case missingFile(String)
    case badFile(path: String, reason: String)
    case missingTensor(name: String, file: String)
    case wrongShape(name: String, expected: [Int], got: [Int], file: String)
    case inputTooLong(tokens: Int, limit: Int)
    case emptyInput
    case badInput(String)
    /// A forward pass produced NaN or ±∞, first in `hook`.
    case nonFinite(hook: String, value: Float)

    public var description: String {
        switch self {
        case .badConfig(let message): return "bad model config: \(message)"
        case .missingFile(let path): return "\(path): no such file"
        case .badFile(let path, let reason): return "\(path): \(reason)"
        case .missingTensor(let name, let file): return "\(file): tensor \(name) is missing"
        case .wrongShape(let name, let expected, let got, let file):
            return "\(file): tensor \(name) has shape \(got), expected \(expected)"
        case .inputTooLong(let tokens, let limit):
            return "input is \(tokens) tokens long but the model's context is \(limit) tokens"
        case .emptyInput: return "the input text is empty"
        case .badInput(let message): return message
        case .nonFinite(let hook, let value):
            return "the forward pass produced a non-finite value (\(value)), first in hook \(hook): the model's config or weights make its numbers overflow"
        }
    }
}
