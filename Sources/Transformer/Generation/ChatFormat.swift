import Foundation

/// The common chat formats, recognised from a tokenizer's chat template (a Jinja program, which is
/// not run: its text names the markers a format uses). The template may come from a Hugging Face
/// `tokenizer_config.json` (`chat_template`) or a GGUF file's `tokenizer.chat_template` metadata.
public enum ChatFormat: String, Equatable, Sendable, CaseIterable {
    /// `<|im_start|>user\n…<|im_end|>\n<|im_start|>assistant\n` (Qwen2, SmolLM2, …).
    case chatML = "ChatML"
    /// `[INST] … [/INST]` after the start token (Llama 2, Mistral).
    case llama2 = "Llama 2"
    /// `<|start_header_id|>user<|end_header_id|>\n\n…<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n`
    /// after `<|begin_of_text|>` (Llama 3).
    case llama3 = "Llama 3"

    /// How each format's template gives itself away, for messages.
    public static let markers = "ChatML <|im_start|>, Llama 2 [INST], Llama 3 <|start_header_id|>"

    /// The format whose markers `template` uses; nil for any other template.
    public static func detect(template: String) -> ChatFormat? {
        if template.contains("<|start_header_id|>") && template.contains("<|end_header_id|>") { return .llama3 }
        if template.contains("<|im_start|>") { return .chatML }
        if template.contains("[INST]") && template.contains("[/INST]") { return .llama2 }
        return nil
    }

    /// The token that ends the assistant's turn, beside the model's end-of-sequence token.
    public var endOfTurn: String {
        switch self {
        case .chatML: "<|im_end|>"
        case .llama2: "</s>"
        case .llama3: "<|eot_id|>"
        }
    }

    /// `prompt` as one user turn followed by the opening of the assistant's, as the template writes it
    /// for one user message with the generation prompt on. The start-of-text token (Llama's `<s>`,
    /// `<|begin_of_text|>`) is left to the tokenizer, which adds it. A ChatML template that writes a
    /// default system message when none is given (`'<|im_start|>system\nYou are …<|im_end|>\n'`) gets it.
    public func wrap(_ prompt: String, template: String) -> String {
        switch self {
        case .chatML:
            let system = Self.defaultSystemMessage(in: template)
                .map { "<|im_start|>system\n\($0)<|im_end|>\n" } ?? ""
            return system + "<|im_start|>user\n\(prompt)<|im_end|>\n<|im_start|>assistant\n"
        case .llama2:
            return "[INST] \(prompt.trimmingCharacters(in: .whitespacesAndNewlines)) [/INST]"
        case .llama3:
            return "<|start_header_id|>user<|end_header_id|>\n\n\(prompt.trimmingCharacters(in: .whitespacesAndNewlines))<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n"
        }
    }

    /// The literal system message a ChatML template writes when the conversation has none: the text
    /// between `<|im_start|>system` plus a line break (written `\n` in the template's string, or a real
    /// one) and `<|im_end|>`, when it is plain text (no quote, brace or Jinja code inside).
    static func defaultSystemMessage(in template: String) -> String? {
        for opening in ["<|im_start|>system\\n", "<|im_start|>system\n"] {
            var rest = template[...]
            while let start = rest.range(of: opening) {
                rest = rest[start.upperBound...]
                guard let end = rest.range(of: "<|im_end|>") else { break }
                let message = rest[..<end.lowerBound]
                if !message.isEmpty, !message.contains(where: { "'\"{}".contains($0) }) {
                    return message.replacingOccurrences(of: "\\n", with: "\n")
                }
            }
        }
        return nil
    }

    /// The chat template of a model at `path`: a GGUF file's `tokenizer.chat_template` metadata, or a
    /// Hugging Face directory's (below). Nil when there is none.
    public static func template(ofModelAt path: String) throws -> String? {
        guard GGUF.isGGUF(path: path) else { return try template(inDirectory: path) }
        guard let value = try GGUF.open(path: path).metadata["tokenizer.chat_template"] else { return nil }
        guard let text = value.string else {
            throw ModelError.badFile(path: path, reason: "tokenizer.chat_template is not a string")
        }
        return text
    }

    /// The chat template in a Hugging Face model directory: `chat_template.jinja` when present, else
    /// `tokenizer_config.json`'s `chat_template` (a string, or a list of `{"name", "template"}` of which
    /// the one named `default` is taken, else the first). Nil when there is none; throws, naming the
    /// file, when a file is there but cannot be read.
    public static func template(inDirectory directory: String) throws -> String? {
        let files = FileManager.default
        let jinja = (directory as NSString).appendingPathComponent("chat_template.jinja")
        if files.fileExists(atPath: jinja) {
            guard let data = files.contents(atPath: jinja), let text = String(data: data, encoding: .utf8) else {
                throw ModelError.badInput("\(jinja): cannot be read as UTF-8 text")
            }
            return text
        }
        let config = (directory as NSString).appendingPathComponent("tokenizer_config.json")
        guard files.fileExists(atPath: config) else { return nil }
        guard let data = files.contents(atPath: config),
              let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw ModelError.badInput("\(config): not a JSON object")
        }
        switch object["chat_template"] {
        case nil, is NSNull:
            return nil
        case let text as String:
            return text
        case let list as [[String: Any]]:
            let named = list.first { $0["name"] as? String == "default" } ?? list.first
            if let text = named?["template"] as? String { return text }
            fallthrough
        default:
            throw ModelError.badInput("\(config): chat_template must be a string or a list of {\"name\", \"template\"}")
        }
    }
}
