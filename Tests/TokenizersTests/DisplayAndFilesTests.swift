import Foundation
import Testing
@testable import Tokenizers

@Suite struct TokenDisplays {
    @Test func byteLevelTokensShowTheirText() throws {
        let gpt2 = try Fixtures.load("gpt2")
        #expect(gpt2.tokenDisplay == TokenDisplay(byteLevel: true))
        #expect(gpt2.display("Ġthe") == "␣the")
        #expect(gpt2.display("ĊĊ") == "↵↵")
        #expect(gpt2.display("ĉx") == "⇥x")
        #expect(gpt2.display("Ã©") == "é")
        // Part of a character: the loose bytes in hex; a whole ZWJ by its code point.
        #expect(gpt2.display("ĠðŁ") == "␣<F0><9F>")
        #expect(gpt2.display("âĢį") == "<U+200D>")
        // A combining mark alone is shown on a dotted circle.
        #expect(gpt2.display("Ìģ") == "◌\u{301}")
        #expect(gpt2.display("<|endoftext|>") == "<|endoftext|>")
    }

    @Test func wordPieceContinuationsAreMarked() throws {
        let bert = try Fixtures.load("bert")
        #expect(bert.display("##ing") == "⋯ing")
        #expect(bert.display("play") == "play")
        #expect(bert.display("##") == "##")
        #expect(bert.display("[CLS]") == "[CLS]")
    }

    @Test func metaspaceAndByteTokens() throws {
        for name in ["llama", "llama-legacy"] {
            let llama = try Fixtures.load(name)
            #expect(llama.display("▁the") == "␣the")
            #expect(llama.display("<0xE6>") == "<E6>")
            #expect(llama.display("<0x41>") == "A")
            #expect(llama.display("<0x0A>") == "↵")
            #expect(llama.display("<0x00>") == "<U+0000>")
            #expect(llama.display("<s>") == "<s>")
        }
    }

    @Test func everyTokenOfEveryFixtureDisplaysPrintably() throws {
        for (name, _) in Fixtures.tokenizers {
            let tokenizer = try Fixtures.load(name)
            for id in 0..<tokenizer.vocabularySize {
                guard let token = tokenizer.token(for: id) else { continue }
                let shown = tokenizer.display(token)
                #expect(!shown.isEmpty)
                #expect(!shown.unicodeScalars.contains { TokenDisplay.isInvisible($0) }, "\(name) \(id): \(escaped(shown))")
            }
        }
    }

    @Test func plainTokensAreOnlyMadeVisible() {
        #expect(TokenDisplay.plain.render("the") == "the")
        #expect(TokenDisplay.plain.render("a b\u{1B}[31m") == "a␣b<U+001B>[31m")
    }
}

@Suite struct TokenizerDirectories {
    static func temporaryDirectory(_ files: [String: String]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tok-\(UUID())").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, text) in files {
            try text.write(toFile: (path as NSString).appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return path
    }

    @Test func missingFilesAreListed() throws {
        let empty = try Self.temporaryDirectory([:])
        defer { try? FileManager.default.removeItem(atPath: empty) }
        #expect(throws: TokenizerError(file: empty, reason:
            "no tokenizer files: looked for tokenizer.json, vocab.json + merges.txt, and vocab.txt")) {
            try TokenizerFiles.load(directory: empty)
        }
        let half = try Self.temporaryDirectory(["vocab.json": "{}"])
        defer { try? FileManager.default.removeItem(atPath: half) }
        #expect(throws: TokenizerError(file: half, reason: "vocab.json without merges.txt")) {
            try TokenizerFiles.load(directory: half)
        }
        #expect(throws: TokenizerError.self) { try TokenizerFiles.load(directory: "/nonexistent/model") }
    }

    @Test func badOlderFilesNameTheFileAndTheProblem() throws {
        let merges = try Self.temporaryDirectory(["vocab.json": #"{"a": 0, "b": 1}"#, "merges.txt": "#version: 0.2\na b\n"])
        defer { try? FileManager.default.removeItem(atPath: merges) }
        #expect(throws: TokenizerError(file: merges + "/merges.txt", reason: "merge 1 uses \"ab\", which is not in the vocabulary")) {
            try TokenizerFiles.load(directory: merges)
        }
        let bert = try Self.temporaryDirectory(["vocab.txt": "a\nb\n"])
        defer { try? FileManager.default.removeItem(atPath: bert) }
        #expect(throws: TokenizerError(file: bert + "/vocab.txt", reason: "the unknown token \"[UNK]\" is not in the vocabulary")) {
            try TokenizerFiles.load(directory: bert)
        }
    }

    /// An error in `tokenizer.json` names the file by its full path, as config.json's and the
    /// weights' errors do.
    @Test func tokenizerJSONErrorsNameTheFullPath() throws {
        let directory = try Self.temporaryDirectory(["tokenizer.json": #"{"model": {"type": "Unigram"}}"#])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: TokenizerError(file: directory + "/tokenizer.json", reason: "unsupported tokenizer model \"Unigram\"")) {
            try TokenizerFiles.load(directory: directory)
        }
        let broken = try Self.temporaryDirectory(["tokenizer.json": "{oops"])
        defer { try? FileManager.default.removeItem(atPath: broken) }
        #expect(throws: TokenizerError(file: broken + "/tokenizer.json", reason: "not valid JSON")) {
            try TokenizerFiles.load(directory: broken)
        }
    }

    @Test func tokenizerJSONIsPreferred() throws {
        let json = TokenizerFromJSON.json
        let both = try Self.temporaryDirectory(["tokenizer.json": json, "vocab.txt": "[UNK]\nzzz\n"])
        defer { try? FileManager.default.removeItem(atPath: both) }
        #expect(try TokenizerFiles.load(directory: both).encode("the cat").map(\.text) == ["[CLS]", "the", "cat", "[SEP]"])
    }

    @Test func casedBertFromItsConfig() throws {
        let dir = try Self.temporaryDirectory([
            "vocab.txt": "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nCafé\ncafe\n##s\n",
            "tokenizer_config.json": #"{"do_lower_case": false}"#,
        ])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tokenizer = try TokenizerFiles.load(directory: dir)
        #expect(tokenizer.encode("Cafés cafe [MASK]").map(\.text) == ["[CLS]", "Café", "##s", "cafe", "[MASK]", "[SEP]"])
        #expect(tokenizer.decode(tokenizer.encode("Cafés cafe").map(\.id)) == "Cafés cafe")
    }
}
