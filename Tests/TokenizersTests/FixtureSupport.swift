import Foundation
@testable import Tokenizers

/// The fixtures made by `Tests/Fixtures/tokenizers/make_fixtures.py` with Hugging Face's library.
enum Fixtures {
    static let directory: String = {
        var path = "\(#filePath)" as NSString
        path = path.deletingLastPathComponent as NSString  // TokenizersTests
        path = path.deletingLastPathComponent as NSString  // Tests
        return path.appendingPathComponent("Fixtures/tokenizers")
    }()

    static func json(_ name: String) -> JSONValue {
        let data = FileManager.default.contents(atPath: (directory as NSString).appendingPathComponent(name))!
        return try! JSONValue.parse([UInt8](data))
    }

    static let strings: [String] = json("strings.json")["tricky"]!.array!.map { $0.string! }
    static let randomStrings: [String] = json("strings.json")["random"]!.array!.map { $0.string! }
    static let stages = json("stages.json")

    /// The library's results for the tokenizer `name` (`"tricky"` and `"random"`).
    static func expected(_ name: String) -> JSONValue { json("\(name)/expected.json") }

    /// Each fixture directory, with the name of the tokenizer whose references it must match.
    static let tokenizers: [(directory: String, reference: String)] = [
        ("gpt2", "gpt2"), ("gpt2-files", "gpt2"), ("roberta", "roberta"), ("bert", "bert"), ("bert-files", "bert"), ("bert-added", "bert-added"),
        ("llama", "llama"), ("llama-legacy", "llama-legacy"), ("llama3", "llama3"),
    ]

    static func load(_ name: String) throws -> Tokenizer {
        try TokenizerFiles.load(directory: (directory as NSString).appendingPathComponent(name))
    }
}

/// Scalars, so that canonically equivalent strings do not compare equal.
func scalars(_ text: String) -> [UInt32] { text.unicodeScalars.map(\.value) }
func scalars(_ texts: [String]) -> [[UInt32]] { texts.map(scalars) }

/// A string with everything outside printable ASCII escaped, for failure messages.
func escaped(_ text: String) -> String {
    text.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F ? String($0) : "\\u{\(String($0.value, radix: 16))}" }
        .joined()
}
