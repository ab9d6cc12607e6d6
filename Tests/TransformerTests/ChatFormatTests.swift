import Foundation
import Testing
@testable import Transformer

/// Recognising chat formats from template text, and the prompt each writes, against hand-written
/// expectations taken from what the real templates render for one user message.
@Suite struct ChatFormats {
    /// Qwen2's template: ChatML with the default system message "You are a helpful assistant.".
    static let qwen2 = "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
    /// A ChatML template with no default system message (the system turn only from the messages).
    static let plainChatML = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
    static let mistral = "{{ bos_token }}{% for message in messages %}{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token}}{% endif %}{% endfor %}"
    static let llama3 = "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}"
    static let gemma = "{{ bos_token }}{% for message in messages %}{{ '<start_of_turn>' + message['role'] + '\n' + message['content'] | trim + '<end_of_turn>\n' }}{% endfor %}"

    @Test func detectsTheThreeFormatsAndNothingElse() {
        #expect(ChatFormat.detect(template: Self.qwen2) == .chatML)
        #expect(ChatFormat.detect(template: Self.plainChatML) == .chatML)
        #expect(ChatFormat.detect(template: Self.mistral) == .llama2)
        #expect(ChatFormat.detect(template: Self.llama3) == .llama3)
        #expect(ChatFormat.detect(template: Self.gemma) == nil)
        #expect(ChatFormat.detect(template: "") == nil)
    }

    @Test func chatMLWritesTheDefaultSystemMessageWhenTheTemplateHasOne() {
        #expect(ChatFormat.chatML.wrap("Why is the sky blue?", template: Self.qwen2)
                == "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nWhy is the sky blue?<|im_end|>\n<|im_start|>assistant\n")
        #expect(ChatFormat.chatML.wrap("Hi", template: Self.plainChatML)
                == "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n")
    }

    @Test func llamaFormatsTrimTheMessage() {
        #expect(ChatFormat.llama2.wrap("  Hi \n", template: Self.mistral) == "[INST] Hi [/INST]")
        #expect(ChatFormat.llama3.wrap(" Hi ", template: Self.llama3)
                == "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n")
    }

    @Test func endOfTurnTokens() {
        #expect(ChatFormat.chatML.endOfTurn == "<|im_end|>")
        #expect(ChatFormat.llama3.endOfTurn == "<|eot_id|>")
    }

    @Test func templateIsReadFromTheJinjaFileOrTheTokenizerConfig() throws {
        let files = FileManager.default
        let dir = files.temporaryDirectory.appendingPathComponent("template-\(UUID())").path
        try files.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? files.removeItem(atPath: dir) }
        #expect(try ChatFormat.template(inDirectory: dir) == nil)
        let config = dir + "/tokenizer_config.json"
        try Data(#"{"chat_template": [{"name": "tool_use", "template": "x"}, {"name": "default", "template": "[INST] [/INST]"}]}"#.utf8)
            .write(to: URL(fileURLWithPath: config))
        #expect(try ChatFormat.template(inDirectory: dir) == "[INST] [/INST]")
        try Data(#"{"chat_template": 7}"#.utf8).write(to: URL(fileURLWithPath: config))
        #expect(throws: ModelError.self) { _ = try ChatFormat.template(inDirectory: dir) }
        try Data("<|im_start|>".utf8).write(to: URL(fileURLWithPath: dir + "/chat_template.jinja"))
        #expect(try ChatFormat.template(inDirectory: dir) == "<|im_start|>")
    }
}
