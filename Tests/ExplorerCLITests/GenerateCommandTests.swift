import Foundation
import Testing

/// `explorer generate --json` and `--chat` as a user runs them. Expected ids come from the
/// vocabulary files themselves (a word-level vocabulary is a lookup), the expected text from
/// hand-worked Pig Latin, and the cached run's ids from the plain path (`--no-kv-cache`).
@Suite struct GenerateCommand {
    static let repository = ("\(#filePath)" as NSString).deletingLastPathComponent + "/../.."

    static func json(_ run: CommandLine.Run) throws -> [String: Any] {
        #expect(run.status == 0, "\(run.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stdout)")
    }

    /// A word-level `tokenizer.json`'s vocabulary.
    static func vocabulary(_ model: String) throws -> [String: Int] {
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(repository)/Models/\(model)/tokenizer.json"))
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return try #require((object?["model"] as? [String: Any])?["vocab"] as? [String: Int])
    }

    @Test func jsonHasTheFiveKeysAndTheModelsTokens() throws {
        let arguments = ["generate", "--model", "tiny-gpt", "--prompt", "the cat sat", "--temperature", "0",
                         "--max-tokens", "8", "--json"]
        let object = try Self.json(try CommandLine.run(arguments))
        #expect(Set(object.keys) == ["prompt_ids", "ids", "text", "tokens_per_second", "prompt_ms"])
        let vocabulary = try Self.vocabulary("tiny-gpt")
        #expect(object["prompt_ids"] as? [Int] == ["the", "cat", "sat"].map { vocabulary[$0]! })
        let ids = try #require(object["ids"] as? [Int])
        #expect(ids.count == 8)
        let words = Dictionary(uniqueKeysWithValues: vocabulary.map { ($1, $0) })
        #expect(object["text"] as? String == " " + ids.map { words[$0]! }.joined(separator: " "))
        #expect((object["tokens_per_second"] as? Double ?? 0) > 0)
        #expect((object["prompt_ms"] as? Double ?? 0) > 0)
        // The plain path (the whole sequence again for every token) draws the same tokens.
        let plain = try Self.json(try CommandLine.run(arguments + ["--no-kv-cache"]))
        #expect(plain["ids"] as? [Int] == ids)
        #expect(plain["text"] as? String == object["text"] as? String)
    }

    /// tiny-transformer translates into Pig Latin and ends with `</s>`: generation stops there, and
    /// the end token is in neither the ids nor the text.
    @Test func stopsAtTheEndOfSequenceToken() throws {
        let arguments = ["generate", "--model", "tiny-transformer", "--prompt", "the cat sat on the mat",
                         "--temperature", "0", "--max-tokens", "20"]
        let object = try Self.json(try CommandLine.run(arguments + ["--json"]))
        #expect(object["text"] as? String == "ethay atcay atsay onway ethay atmay")
        let ids = try #require(object["ids"] as? [Int])
        #expect(ids.count == 6)
        #expect(!ids.contains(try #require(try Self.vocabulary("tiny-transformer")["</s>"])))
        #expect((object["tokens_per_second"] as? Double ?? 0) > 0)
        let plain = try Self.json(try CommandLine.run(arguments + ["--json", "--no-kv-cache"]))
        #expect(plain["ids"] as? [Int] == ids)
        let text = try CommandLine.run(arguments)
        #expect(text.status == 0)
        #expect(text.stdout == "ethay atcay atsay onway ethay atmay\n")
    }

    /// No token runs after the prompt: tokens_per_second is null, the ids empty.
    @Test func zeroTokensGiveNullSpeed() throws {
        let object = try Self.json(try CommandLine.run(["generate", "--prompt", "the cat", "--max-tokens", "0", "--json"]))
        #expect(object["ids"] as? [Int] == [])
        #expect(object["text"] as? String == "")
        #expect(object["tokens_per_second"] is NSNull)
    }

    /// A copy of a Hugging Face fixture whose tokenizer_config.json holds `template` (nil: no
    /// chat_template key).
    static func modelWithTemplate(_ fixture: String, _ template: String?) throws -> String {
        let files = FileManager.default
        let dir = files.temporaryDirectory.appendingPathComponent("chat-\(UUID())").path
        try files.copyItem(atPath: "\(repository)/Tests/Fixtures/hf/\(fixture)", toPath: dir)
        var config: [String: Any] = ["tokenizer_class": "PreTrainedTokenizerFast"]
        if let template { config["chat_template"] = template }
        try? files.removeItem(atPath: dir + "/tokenizer_config.json")
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: dir + "/tokenizer_config.json"))
        return dir
    }

    struct ChatCase: CustomStringConvertible, Sendable {
        var fixture: String
        var template: String
        /// The prompt "Hi there " as the format writes it (the start token left to the tokenizer).
        var wrapped: String
        var description: String { wrapped }
    }

    /// Abbreviated forms of the real templates: SmolLM2's (ChatML with a default system message),
    /// Llama 2's and Llama 3's.
    static let chatCases: [ChatCase] = [
        ChatCase(fixture: "tiny-qwen2",
                 template: "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}",
                 wrapped: "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n<|im_start|>user\nHi there <|im_end|>\n<|im_start|>assistant\n"),
        ChatCase(fixture: "tiny-llama",
                 template: "{% for message in messages %}{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + message['content'].strip() + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ ' '  + message['content'].strip() + ' ' + eos_token }}{% endif %}{% endfor %}",
                 wrapped: "[INST] Hi there [/INST]"),
        ChatCase(fixture: "tiny-llama",
                 template: "{{ bos_token }}{% for message in messages %}{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}",
                 wrapped: "<|start_header_id|>user<|end_header_id|>\n\nHi there<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"),
    ]

    /// `--chat` gives the ids of the hand-written wrapped prompt.
    @Test(arguments: chatCases)
    func chatWrapsThePromptInTheTemplatesFormat(_ chat: ChatCase) throws {
        let dir = try Self.modelWithTemplate(chat.fixture, chat.template)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let wrapped = try Self.json(try CommandLine.run(["generate", "--model", dir, "--prompt", "Hi there ", "--chat",
                                                         "--temperature", "0", "--max-tokens", "3", "--json"]))
        let literal = try Self.json(try CommandLine.run(["generate", "--model", dir, "--prompt", chat.wrapped,
                                                         "--temperature", "0", "--max-tokens", "3", "--json"]))
        #expect(wrapped["prompt_ids"] as? [Int] == literal["prompt_ids"] as? [Int])
        #expect(wrapped["ids"] as? [Int] == literal["ids"] as? [Int])
        #expect((wrapped["prompt_ids"] as? [Int])?.count ?? 0 > 4)
        // As text, --chat prints only the reply: the continuation --json gives as text.
        let reply = try CommandLine.run(["generate", "--model", dir, "--prompt", "Hi there ", "--chat",
                                         "--temperature", "0", "--max-tokens", "3"])
        #expect(reply.status == 0)
        #expect(reply.stdout == (wrapped["text"] as? String ?? "") + "\n", "\(reply.stdout)")
    }

    @Test func chatWithoutAKnownTemplateSaysSo() throws {
        for (template, mentions) in [(nil, "has no chat template"),
                                     ("{{ messages[0]['content'] }}<odd>", "not one of the formats")] as [(String?, String)] {
            let dir = try Self.modelWithTemplate("tiny-qwen2", template)
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let run = try CommandLine.run(["generate", "--model", dir, "--prompt", "hi", "--chat", "--json"])
            #expect(run.status == 1)
            #expect(run.stdout.isEmpty)
            #expect(run.stderr.hasPrefix("Error: --chat: ") && run.stderr.contains(mentions), "\(run.stderr)")
            #expect(run.stderr.split(separator: "\n").count == 1)
        }
    }

    /// `bench` times greedy generation with and without the cache; a prompt and new tokens that do not
    /// both fit the 32-token context are cut to fit.
    @Test func benchReportsGenerationFigures() throws {
        for (tokens, newTokens, prompt, made) in [(8, 4, 8, 4), (64, 32, 1, 31)] {
            let run = try CommandLine.run(["bench", "--model", "tiny-gpt", "--tokens", "\(tokens)", "--new-tokens", "\(newTokens)",
                                           "--seconds", "0.05", "--no-matmul", "--no-ui", "--no-reference", "--json"])
            let object = try Self.json(run)
            let generation = try #require(object["generation"] as? [String: Any])
            #expect(generation["prompt_tokens"] as? Int == prompt && generation["new_tokens"] as? Int == made)
            for key in ["cached_tokens_per_second", "plain_tokens_per_second", "cached_prompt_ms", "peak_memory_mb"] {
                #expect((generation[key] as? Double ?? 0) > 0, "\(key)")
            }
            #expect(generation["torch"] == nil)
        }
        let run = try CommandLine.run(["bench", "--new-tokens", "0"])
        #expect(run.status == 64 && run.stderr.contains("--new-tokens"))
    }
}
