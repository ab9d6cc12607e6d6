import Testing
@testable import Lessons
import Transformer

/// Mistakes only a run of the model can show, each at its line.
@Suite struct Checking {
    static func check(_ body: String, front: String? = nil) throws -> [String] {
        let (lesson, parseMistakes) = LessonParser.parse(lessonText(body, front: front), file: "test.md")
        #expect(parseMistakes.isEmpty, "\(parseMistakes)")
        var models = LessonChecker.Models(catalog: Repository.catalog)
        return LessonChecker.check(try #require(lesson), models: &models).map { "\($0.line): \($0.message)" }
    }

    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var body: String
        var expected: [String]
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "unknown hook", body: "# Step 1\nA {{ blocks.0.attn.patern[head, query, key] }}.",
             expected: ["9: in {{ blocks.0.attn.patern[head, query, key] }}: unknown hook or parameter 'blocks.0.attn.patern' (did you mean 'blocks.0.attn.pattern'?)"]),
        Case(name: "unknown parameter", body: "# Step 1\n@show matrix blocks.{layer}.attn.W_X",
             expected: ["9: in @show matrix blocks.{layer}.attn.W_X: unknown hook or parameter 'blocks.0.attn.W_X' (did you mean 'blocks.0.attn.W_K'?)"]),
        Case(name: "unknown name without a guess", body: "# Step 1\nA {{ gradients }}.",
             expected: ["9: in {{ gradients }}: unknown hook or parameter 'gradients'"]),
        Case(name: "unknown token", body: "# Step 1\nA {{ blocks.0.attn.pattern[head, 'it', 'animal'] }}.",
             expected: ["9: in {{ blocks.0.attn.pattern[head, 'it', 'animal'] }}: unknown token 'animal' in an index of blocks.0.attn.pattern [2,10,10]: the input's tokens are the cat sat on the mat because it was tired"]),
        Case(name: "index out of range", body: "# Step 1\nA {{ blocks.0.attn.pattern[2, 0, 0] }}.",
             expected: ["9: in {{ blocks.0.attn.pattern[2, 0, 0] }}: index 2 is out of range for axis 0 of blocks.0.attn.pattern [2,10,10], which has 2 entries"]),
        Case(name: "too many indices", body: "# Step 1\nA {{ embed[0, 0, 0] }}.",
             expected: ["9: in {{ embed[0, 0, 0] }}: embed [10,16] has 2 axes but 3 indices were given"]),
        Case(name: "unknown function", body: "# Step 1\nA {{ mean(embed[0]) }}.",
             expected: ["9: in {{ mean(embed[0]) }}: unknown function mean() (functions: token, target_token, count, sqrt, exp, log, sin, cos, tanh, abs, sum, max, min, argmax, dot, softmax, top_k, sort, cumsum, token_id, id, vocab, next_token, params, grouped, weight, compared, block)"]),
        Case(name: "unknown config field", body: "# Step 1\nA {{ config.width }}.",
             expected: ["9: in {{ config.width }}: config.width is not in the model's config.json (fields: activation, architecture, bias, bos_token_id, d_ff, d_head, d_model, eos_token_id, gated_mlp, lm_head, mask, max_positions, model_type, n_heads, n_layers, norm, norm_eps, norm_position, pad_token_id, positional, tied_embeddings, unk_token_id, vocab_size)"]),
        Case(name: "unknown braces", body: "# Step 1\nA {{ blocks.{block}.attn.q[0, 0, 0] }}.",
             expected: ["9: in {{ blocks.{block}.attn.q[0, 0, 0] }}: unknown {block} in the name blocks.{block}.attn.q (a name may contain {layer} and {head})"]),
        Case(name: "select token", body: "# Step 1\n@select query='animal'\nText.",
             expected: ["9: @select query='animal': unknown token 'animal': the input's tokens are the cat sat on the mat because it was tired"]),
        Case(name: "select out of range", body: "# Step 1\n@select head=2\nText.",
             expected: ["9: @select head=2: 2 is out of range (tiny-gpt has 2 heads, 0 to 1)"]),
        Case(name: "number quiz with an unknown answer", body: "# Step 1\n@quiz number blocks.0.attn.weights[head, query, key]\nHow much?\n@end",
             expected: ["9: the quiz's answer blocks.0.attn.weights[head, query, key]: unknown hook or parameter 'blocks.0.attn.weights' (did you mean 'blocks.0.attn.weighted'?)"]),
        Case(name: "number quiz answer that is a row", body: "# Step 1\n@quiz number blocks.0.attn.pattern[head, query]\nHow much?\n@end",
             expected: ["9: the quiz's answer blocks.0.attn.pattern[head, query]: blocks.0.attn.pattern[head, query] is not one number (it is 10 numbers: index it further)"]),
        Case(name: "a show of one number", body: "# Step 1\n@show vector blocks.0.attn.pattern[0, 0, 0]",
             expected: ["9: in @show vector blocks.0.attn.pattern[0, 0, 0]: a hook or parameter is needed, but blocks.0.attn.pattern[0, 0, 0] is one value"]),
        Case(name: "columns out of range", body: "# Step 1\n@show plot pos_embed columns=3,16",
             expected: ["9: in @show plot pos_embed columns=3,16: columns=16 is out of range for pos_embed, which has 16 columns"]),
        Case(name: "only when the learner picks another head",
             body: "# Step 1\n@select head=0\n@controls head\nA {{ blocks.0.attn.pattern[head + 1, 0, 0] }}.",
             expected: ["11: in {{ blocks.0.attn.pattern[head + 1, 0, 0] }}: index 2 (head + 1) is out of range for axis 0 of blocks.0.attn.pattern [2,10,10], which has 2 entries (when the learner picks layer 0, head 1, which @controls allows)"]),
        Case(name: "only at a high temperature",
             body: "# Step 1\n@controls temperature\nThe {{ logits[query, temperature * 50] }}.",
             expected: ["10: in {{ logits[query, temperature * 50] }}: index 250 (temperature * 50) is out of range for axis 1 of logits [10,235], which has 235 entries (when the learner picks temperature 5, which @controls allows)"]),
        Case(name: "a high temperature the step does not allow", body: "# Step 1\n@controls input\nThe {{ logits[query, temperature * 50] }}.",
             expected: []),
        Case(name: "only at k = 1",
             body: "# Step 1\n@select k=4\n@controls input, top-k\nThe {{ max(top_k(probs[query], k - 1)) }}.",
             expected: ["11: in {{ max(top_k(probs[query], k - 1)) }}: top_k() keeps k entries: k must be a whole number of 1 or more, got k - 1 (when the learner picks k = 1, which @controls allows)"]),
        Case(name: "only at the largest k", body: "# Step 1\n@controls top-k\nThe {{ probs[query, k] }}.",
             expected: ["10: in {{ probs[query, k] }}: index 235 (k) is out of range for axis 1 of probs [10,235], which has 235 entries (when the learner picks k = 235, which @controls allows)"]),
        Case(name: "k at the step's start is fine, and the ends of both ranges too",
             body: "# Step 1\n@select temperature=0.5 k=6\n@controls temperature, top-k, head\n@show bars top_k(softmax(logits[query] / temperature), k) top=12\nThe {{ max(top_k(softmax(logits[query] / temperature), k)) | 3 }} at {{ temperature }}.",
             expected: []),
        Case(name: "select k beyond the vocabulary", body: "# Step 1\n@select k=500\nText.",
             expected: ["9: @select k=500: top-k keeps at most the whole vocabulary (tiny-gpt has 235 tokens, so k is 1 to 235)"]),
        Case(name: "a layer that only some blocks have", body: "# Step 1\n@controls layer\n@show heatmap blocks.{layer}.attn.pattern\nA {{ blocks.{layer}.mlp.W_in[0, 0] }} and {{ blocks.0.attn.q[0, 0, 0] }}.",
             expected: []),
        Case(name: "a selection carried to the next step", body: "# Step 1\n@select query='it'\nText.\n# Step 2\nIt is {{ token(query) }}.",
             expected: []),
    ]

    @Test(arguments: cases)
    func reportsTheMistakeAtItsLine(_ mistake: Case) throws {
        let found = try Self.check(mistake.body)
        #expect(found == mistake.expected)
    }

    @Test func unknownModel() throws {
        let front = "---\nid: test\ntitle: T\nsummary: S\nmodel: gpt-9\ninput: hi\n---"
        #expect(try Self.check("# Step 1\nText.", front: front)
            == ["5: no model named \"gpt-9\" (known: tiny-bert, tiny-gpt, tiny-llama, tiny-transformer); give a name from `explorer models` or a directory"])
    }

    /// A model directory is accepted as `--model` and `lessons preview` accept it: the checker and the
    /// preview load models the same way.
    @Test func aModelDirectory() throws {
        let front = "---\nid: test\ntitle: T\nsummary: S\nmodel: \(Repository.root)/Models/tiny-gpt\ninput: the cat sat\n---"
        #expect(try Self.check("# Step 1\nThe {{ count(tokens) }} tokens.", front: front) == [])
        let missing = "---\nid: test\ntitle: T\nsummary: S\nmodel: \(Repository.root)/Models/none\ninput: hi\n---"
        #expect(try Self.check("# Step 1\nText.", front: missing).first?.hasPrefix("5: ") == true)
    }

    @Test func inputTheModelCannotRun() throws {
        let long = String(repeating: "the cat ", count: 20)
        let front = "---\nid: test\ntitle: T\nsummary: S\nmodel: tiny-gpt\ninput: \(long)\n---"
        #expect(try Self.check("# Step 1\nText.", front: front)
            == ["6: tiny-gpt cannot run on the input: input is 40 tokens long but the model's context is 32 tokens"])
    }

    @Test func targetForADecoder() throws {
        let front = "---\nid: test\ntitle: T\nsummary: S\nmodel: tiny-gpt\ninput: the cat\ntarget: ethay atcay\n---"
        #expect(try Self.check("# Step 1\nText.", front: front)
            == ["7: target is for encoder-decoder models; tiny-gpt is a decoder model"])
    }

    @Test func encoderDecoderNames() throws {
        let front = "---\nid: test\ntitle: T\nsummary: S\nmodel: tiny-transformer\ninput: the cat sat\ntarget: ethay atcay\n---"
        #expect(try Self.check("""
            # Step 1
            @select query='atcay' key='cat'
            Cross: {{ decoder.blocks.0.cross_attn.pattern[head, query, key] }} from {{ target_token(query) }} to {{ token(key) }}.
            @show heatmap decoder.blocks.{layer}.cross_attn.pattern
            @show steps decoder.blocks.{layer}.cross_attn
            """, front: front) == [])
        let found = try Self.check("# Step 1\nA {{ blocks.0.attn.q[0, 0, 0] }}.", front: front)
        #expect(found == ["10: in {{ blocks.0.attn.q[0, 0, 0] }}: unknown hook or parameter 'blocks.0.attn.q' (this model's names begin with encoder. or decoder.)"])
    }
}
