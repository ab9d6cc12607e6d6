import ArgumentParser
import Foundation
import Terminal
import Transformer

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Continue a prompt, one token at a time.",
        discussion: """
            Temperature 0 always picks the most likely token. Otherwise the next token is drawn from \
            softmax(logits / temperature), kept to the top-k tokens and then to the smallest set whose \
            probability reaches top-p. The random numbers come from SplitMix64 seeded by --seed, so the \
            same command gives the same tokens on every run. Each layer keeps its keys and values (a KV \
            cache): the prompt runs once, then each new token alone. Generation stops at the model's \
            end-of-sequence token (not printed, not in --json's ids). --json prints one object: \
            prompt_ids, ids (the new tokens), text (the new text), prompt_ms (the prompt's pass, which \
            gives the first new token) and tokens_per_second (the tokens of the one-token steps after \
            it over their time; null when there were none). --chat wraps the prompt as one user turn \
            in the model's chat template when that is ChatML, Llama 2 or Llama 3 (recognised from the \
            template's text), and also stops at the end of the assistant's turn.
            """)

    @OptionGroup var modelOption: ModelOption

    @Option(name: .long, help: "The text to continue (for an encoder-decoder: the encoder's input).")
    var prompt: String

    @Option(name: .long, help: "The most tokens to add.")
    var maxTokens: Int = 20

    @Option(name: .long, help: "0 for greedy; higher is more random.")
    var temperature: Double = 1.0

    @Option(name: .long, help: "Sample only among the k most likely tokens.")
    var topK: Int?

    @Option(name: .long, help: "Sample only among the most likely tokens whose probabilities add up to p.")
    var topP: Double?

    @Option(name: .long, help: "The random seed.")
    var seed: UInt64 = 0

    @Flag(name: .long, help: "Print one JSON object (prompt_ids, ids, text, tokens_per_second, prompt_ms) instead of the text.")
    var json = false

    @Flag(name: .long, help: "Wrap the prompt in the model's chat template (ChatML, Llama 2 or Llama 3).")
    var chat = false

    @Flag(name: .long, help: "Run the whole sequence again for every token instead of keeping keys and values (slower; for comparison).")
    var noKvCache = false

    func validate() throws {
        if maxTokens < 0 { throw ValidationError("--max-tokens must be 0 or more, got \(maxTokens)") }
        do { try settings.validate() } catch let error as ModelError { throw ValidationError("--\(error)") }
    }

    var settings: SamplingSettings { SamplingSettings(temperature: temperature, topK: topK, topP: topP) }

    func run() throws {
        let loaded = try modelOption.load()
        guard !prompt.isEmpty else { throw ModelError.emptyInput }
        guard loaded.config.lmHead else {
            throw ModelError.badInput("\(loaded.name) has no LM head (it is an encoder): it cannot generate text; try tiny-gpt")
        }
        let tokenizer = loaded.tokenizer
        var stopIds = Set([loaded.config.eosTokenId].compactMap { $0 })
        var text = prompt
        if chat {
            let (format, template) = try Self.chatFormat(of: loaded)
            text = format.wrap(prompt, template: template)
            if let end = tokenizer.id(for: format.endOfTurn) { stopIds.insert(end) }
        }
        let ids = try tokenizer.checkedEncode(text).map(\.id)
        try loaded.model.checkRoom(for: ids, maxTokens: maxTokens)
        let encoderDecoder = loaded.config.architecture == .encoderDecoder
        // Print the text as the tokenizer decodes it (a byte-level BPE's pieces join into words and
        // characters), as each token arrives: decode everything so far, write what is new.
        let context = encoderDecoder ? [] : ids
        let promptText = tokenizer.decode(context)
        var produced: [Int] = []
        var written = promptText
        // The prompt, then its continuation; with --chat only the reply (the wrapped prompt is markup).
        if !json && !chat { FileHandle.standardOutput.write(Data(Sanitizer.sanitize(encoderDecoder ? "" : text).utf8)) }
        let options = GenerationOptions(kvCache: !noKvCache, stopIds: stopIds)
        let start = DispatchTime.now().uptimeNanoseconds
        var stepTimes: [UInt64] = []
        let generation = try loaded.model.generate(ids, maxTokens: maxTokens, settings: settings, seed: seed,
                                                   options: options) { step in
            stepTimes.append(DispatchTime.now().uptimeNanoseconds)
            guard !step.stops, !json else { return }
            produced.append(step.id)
            let text = tokenizer.decode(context + produced)
            // A byte token may end in the middle of a character: wait until it is whole.
            guard !text.hasSuffix("\u{FFFD}") else { return }
            let fresh = text.hasPrefix(written) ? String(text.dropFirst(written.count)) : text
            FileHandle.standardOutput.write(Data(Sanitizer.sanitize(fresh).utf8))
            written = text
        }
        guard json else {
            print()
            return
        }
        let whole = tokenizer.decode(context + generation.ids)
        let newText = whole.hasPrefix(promptText) ? String(whole.dropFirst(promptText.count)) : tokenizer.decode(generation.ids)
        try printJSON(GenerateReport(promptIds: ids, ids: generation.ids, text: newText,
                                     timing: GenerationTiming(start: start, steps: stepTimes)), snakeCase: true)
    }

    /// The chat format of `loaded`'s template, and the template; throws, saying why, when there is none
    /// or it is another.
    static func chatFormat(of loaded: LoadedModel) throws -> (ChatFormat, String) {
        guard let template = try ChatFormat.template(ofModelAt: loaded.path) else { throw noTemplate(loaded) }
        guard let format = ChatFormat.detect(template: template) else {
            throw ModelError.badInput("--chat: the chat template of \(loaded.name) is not one of the formats --chat knows (\(ChatFormat.markers)); give the prompt already formatted, without --chat")
        }
        return (format, template)
    }

    static func noTemplate(_ loaded: LoadedModel) -> ModelError {
        .badInput("--chat: \(loaded.name) has no chat template (no chat_template in its tokenizer_config.json, no chat_template.jinja, no tokenizer.chat_template in a GGUF file), so there is no chat format to wrap the prompt in")
    }
}

/// When a generation's steps happened: the prompt's pass, then the one-token steps.
struct GenerationTiming {
    /// Milliseconds from the start to the first token (the prompt's pass and the first draw).
    var promptMs: Double
    /// One-token steps after the prompt's pass per second; nil when there were none.
    var tokensPerSecond: Double?

    /// From the start time and the time each token was drawn (the stop token's included), in
    /// nanoseconds of `DispatchTime`.
    init(start: UInt64, steps: [UInt64]) {
        promptMs = steps.first.map { Double($0 - start) / 1e6 } ?? 0
        if steps.count >= 2, steps.last! > steps.first! {
            tokensPerSecond = Double(steps.count - 1) / (Double(steps.last! - steps.first!) / 1e9)
        }
    }
}

/// What `generate --json` prints.
struct GenerateReport: Encodable {
    var promptIds: [Int]
    var ids: [Int]
    var text: String
    var timing: GenerationTiming

    enum CodingKeys: String, CodingKey { case promptIds, ids, text, tokensPerSecond, promptMs }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(promptIds, forKey: .promptIds)
        try container.encode(ids, forKey: .ids)
        try container.encode(text, forKey: .text)
        // null, not absent, when no one-token step ran.
        try container.encode(timing.tokensPerSecond, forKey: .tokensPerSecond)
        try container.encode(timing.promptMs, forKey: .promptMs)
    }
}
