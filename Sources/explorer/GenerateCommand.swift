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
            same command gives the same tokens on every run.
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
        let ids = try loaded.tokenizer.checkedEncode(prompt).map(\.id)
        try loaded.model.checkRoom(for: ids, maxTokens: maxTokens)
        let tokenizer = loaded.tokenizer
        let encoderDecoder = loaded.config.architecture == .encoderDecoder
        // Print the text as the tokenizer decodes it (a byte-level BPE's pieces join into words and
        // characters), as each token arrives: decode everything so far, write what is new.
        let context = encoderDecoder ? [] : ids
        var produced: [Int] = []
        var written = encoderDecoder ? "" : tokenizer.decode(context)
        FileHandle.standardOutput.write(Data(Sanitizer.sanitize(encoderDecoder ? "" : prompt).utf8))
        _ = try loaded.model.generate(ids, maxTokens: maxTokens, settings: settings, seed: seed) { id in
            produced.append(id)
            let text = tokenizer.decode(context + produced)
            // A byte token may end in the middle of a character: wait until it is whole.
            guard !text.hasSuffix("\u{FFFD}") else { return }
            let fresh = text.hasPrefix(written) ? String(text.dropFirst(written.count)) : text
            FileHandle.standardOutput.write(Data(Sanitizer.sanitize(fresh).utf8))
            written = text
        }
        print()
    }
}
