/// The limits a config's numbers must keep before any arithmetic is done on them.
///
/// Every integer anywhere in a `config.json` is first held to `integerLimit`, so the mapping of a
/// Hugging Face config onto `ModelConfig` (`4 × n_embd`, `pad_token_id + 1`, `n_heads × head_dim`)
/// cannot overflow; `ModelConfig.validate` then holds each size to a limit far above any real
/// model's, and the sizes that multiply into an allocation to `elementLimit`.
public enum ConfigBounds {
    /// |n| for any integer in a config file.
    public static let integerLimit = Int(Int32.max)
    /// Sizes: the most of each that a model the explorer runs may have.
    public static let vocabulary = 1 << 24
    public static let width = 1 << 17
    public static let heads = 1 << 12
    public static let headSize = 1 << 14
    public static let feedForward = 1 << 20
    public static let layers = 1 << 12
    public static let positions = 1 << 24
    public static let tokenTypes = 1 << 16
    /// Elements in one parameter tensor, or in one table the model builds (a position table).
    public static let elementLimit = 1 << 34

    /// The first integer in `value` (a whole config file) outside ±`integerLimit`, as a message
    /// naming its field; nil when there is none.
    public static func outOfRangeInteger(in value: JSONValue, path: String = "") -> String? {
        switch value {
        case .integer(let n) where n > integerLimit || n < -integerLimit:
            return "field \"\(path)\" is \(n), out of range (at most \(integerLimit) in size)"
        case .array(let items):
            for (i, item) in items.enumerated() {
                if let problem = outOfRangeInteger(in: item, path: "\(path)[\(i)]") { return problem }
            }
        case .object(let fields):
            for key in fields.keys.sorted() {
                if let problem = outOfRangeInteger(in: fields[key]!, path: path.isEmpty ? key : "\(path).\(key)") {
                    return problem
                }
            }
        default: break
        }
        return nil
    }

    /// `a × b × …`, or nil when it overflows.
    public static func product(_ factors: Int...) -> Int? {
        var total = 1
        for factor in factors {
            let (value, overflow) = total.multipliedReportingOverflow(by: factor)
            if overflow { return nil }
            total = value
        }
        return total
    }
}
