import Foundation
import Testing
import Tensor
@testable import Lessons
import Transformer

/// A tiny-gpt run on the lesson sentence, and helpers to evaluate lesson text on it.
struct Live {
    let context: LessonContext

    init(_ text: String = Repository.sentence, model: String = "tiny-gpt", target: String? = nil) throws {
        context = try LessonContext(loaded: try Repository.model(model), text: text, target: target)
    }

    /// The selection "it" → "animal" in block 0, head 1 (tiny-gpt's pronoun head).
    var pronoun: Selection { Selection(layer: 0, head: 1, query: 9, key: 1) }

    /// Step 1 of a one-step lesson with `body`, evaluated.
    func step(_ body: String, selection: Selection? = nil) throws -> EvaluatedStep {
        let lesson = try parseClean(lessonText("# Step 1: Test\n" + body))
        return LessonRuntime.evaluate(lesson, step: 0, in: context, selection: selection ?? pronoun)
    }

    /// The prose of a one-step lesson, evaluated.
    func text(_ body: String, selection: Selection? = nil) throws -> String {
        let step = try step(body, selection: selection)
        #expect(step.problems.isEmpty, "\(step.problems)")
        guard case .text(let text) = step.blocks.first else { return "" }
        return text
    }

    /// The content of a one-show lesson.
    func show(_ directive: String, selection: Selection? = nil) throws -> Shown {
        let step = try step(directive, selection: selection)
        #expect(step.problems.isEmpty, "\(step.problems)")
        guard case .show(let shown) = step.blocks.first else { throw EvaluationError("no show") }
        return shown
    }

    func tensor(_ name: String) -> Tensor { context.cache[name] ?? context.parameters[name]! }
}

@Suite struct Placeholders {
    @Test func numbersWithDecimals() throws {
        let live = try Live()
        let pattern = live.tensor("blocks.0.attn.pattern")[1, 9, 1]
        let scaled = live.tensor("blocks.0.attn.scaled")[1, 9, 1]
        #expect(try live.text("w = {{ blocks.0.attn.pattern[head, query, key] | 4 }}") == "w = \(NumberText.format(pattern, decimals: 4))")
        #expect(try live.text("{{ blocks.{layer}.attn.scaled[head, 'it', 'animal'] | 3 }}") == NumberText.format(scaled, decimals: 3))
        #expect(try live.text("{{ blocks.{layer}.attn.scaled[head, query, key] }}") == NumberText.format(scaled, decimals: 2))
        #expect(try live.text("{{ blocks.0.attn.scores[head, query, key] / sqrt(dh) | 3 }}")
            == NumberText.format(Double(live.tensor("blocks.0.attn.scores")[1, 9, 1]) / 8.0.squareRoot(), decimals: 3))
    }

    @Test func maskedScoresAreMinusInfinity() throws {
        let live = try Live()
        #expect(try live.text("{{ blocks.0.attn.masked[head, 0, last] }}") == "−∞")
        #expect(try live.text("{{ blocks.0.attn.pattern[head, 0, last] }}") == "0.00")
    }

    @Test func selectionTokensAndConfig() throws {
        let live = try Live()
        #expect(try live.text("{{ token(query) }} → {{ token(key) }}") == "it → animal")
        #expect(try live.text("{{ layer }} {{ head }} {{ query }} {{ key }} {{ kv_head }} {{ last }}") == "0 1 9 1 1 12")
        #expect(try live.text("{{ dh }} {{ config.d_model }} {{ config.n_heads }} {{ config.d_head }} {{ config.activation }}") == "8 16 2 8 gelu_tanh")
        #expect(try live.text("{{ count(tokens) }} {{ token(last) }} {{ token(3) }} {{ token('t') }}") == "13 tired ' t")
        #expect(try live.text("{{ tokens }}").hasPrefix("the · animal · didn · ' · t · cross"))
        let total = live.context.parameters.tensors.values.reduce(0) { $0 + $1.count }
        #expect(try live.text("{{ count(params) }} {{ count(blocks.0.attn.W_Q) }}") == "\(total) 256")
        #expect(try live.text("{{ dh | 1 }}") == "8.0")
    }

    @Test func rowsAndFunctions() throws {
        let live = try Live()
        let q = live.tensor("blocks.0.attn.q").slice(1).slice(9).scalars
        #expect(try live.text("{{ blocks.0.attn.q[head, query] | 1 }}") == NumberText.vector(q, decimals: 1))
        let column = (0..<16).map { live.tensor("blocks.0.attn.W_Q")[1, $0, 0] }
        #expect(try live.text("{{ blocks.0.attn.W_Q[head, :, 0] | 1 }}") == NumberText.vector(column, decimals: 1))
        #expect(try live.text("{{ token(argmax(blocks.0.attn.pattern[head, query])) }}") == "animal")
        let row = live.tensor("blocks.0.attn.scores").slice(1).slice(9).scalars.map(Double.init)
        #expect(try live.text("{{ max(blocks.0.attn.scores[head, query]) | 3 }}") == NumberText.format(row.max()!, decimals: 3))
        #expect(try live.text("{{ sum(blocks.0.attn.pattern[head, query]) | 4 }}") == "1.0000")
        #expect(try live.text("{{ sum(softmax(blocks.0.attn.masked[head, query])) | 4 }}") == "1.0000")
        let x = live.tensor("blocks.0.ln1.out").slice(9).scalars
        let dot = zip(x, column).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        #expect(try live.text("{{ dot(blocks.0.ln1.out[query], blocks.0.attn.W_Q[head, :, 0]) | 4 }}") == NumberText.format(dot, decimals: 4))
        #expect(try live.text("{{ probs[last, '.'] | 3 }}") == NumberText.format(live.tensor("probs")[12, try #require(live.context.loaded.tokenizer.id(for: "."))], decimals: 3))
    }

    @Test func missingTokenIsSaidInPlaceNotACrash() throws {
        let live = try Live("the dog sat on the mat because it was tired")
        let step = try live.step("Weight {{ blocks.0.attn.pattern[head, 'it', 'animal'] }} here.",
                                 selection: Selection(layer: 0, head: 1, query: 7, key: 1))
        guard case .text(let note) = step.blocks.first, case .text(let text) = step.blocks.dropFirst().first else {
            Issue.record("no text"); return
        }
        #expect(note == "⚠ No 'animal' in your sentence: the numbers that need it show as — below.")
        #expect(text == "Weight — here.", "said once above the prose, not spliced into it")
        #expect(step.problems.count == 1)
        #expect(step.problems.first?.line == 9)
        #expect(step.problems.first?.message.contains("unknown token 'animal'") == true)
    }

    @Test func indexBeyondAShortSentence() throws {
        let live = try Live("the cat")
        let step = try live.step("{{ blocks.0.attn.pattern[head, 5, 0] }}", selection: Selection(layer: 0, head: 0, query: 1, key: 0))
        guard case .text(let note) = step.blocks.first, case .text(let text) = step.blocks.dropFirst().first else {
            Issue.record("no text"); return
        }
        #expect(note.contains("Your sentence has no token 5"))
        #expect(text == LessonRuntime.missingValue)
    }

    @Test func hugeNumbersAreNotACrash() throws {
        let live = try Live()
        let step = try live.step("""
            @select head=99999999999999999999
            {{ token(99999999999999999999) }} {{ embed[99999999999999999999, 0] }} {{ count(params) * 9999999999999 * 9999999999999 }}
            """)
        #expect(step.problems.count == 2)
        let (_, problems) = LessonRuntime.startingSelection(for: try parseClean(lessonText("# S\n@select head=99999999999999999999\nText.")).steps[0],
                                                            in: live.context)
        #expect(problems.first?.message == "@select head=1e+20 is not a whole number")
    }

    @Test func tooBigForAPlaceholder() throws {
        let live = try Live()
        let step = try live.step("{{ blocks.0.attn.pattern[head] }}")
        #expect(step.problems.first?.message.contains("is 13×13 numbers: a placeholder shows one number or one row") == true)
    }
}

@Suite struct Shows {
    @Test func heatmapIsTheSelectedHead() throws {
        let live = try Live()
        let shown = try live.show("@show heatmap blocks.{layer}.attn.pattern")
        #expect(shown.title == "blocks.0.attn.pattern · head 1")
        guard case .heatmap(let grid) = shown.content else { Issue.record("\(shown.content)"); return }
        #expect(grid.rows == 13 && grid.columns == 13)
        #expect(grid.values[9][1] == live.tensor("blocks.0.attn.pattern")[1, 9, 1])
        #expect(grid.rowLabels[9] == "it" && grid.columnLabels[1] == "animal")
        #expect(grid.rowAxis == "query" && grid.columnAxis == "key")
        #expect(grid.highlightedRow == 9 && grid.highlightedColumn == 1)
    }

    @Test func matrixIsTheHeadsSlice() throws {
        let live = try Live()
        let shown = try live.show("@show matrix blocks.{layer}.attn.W_Q columns=0,4")
        guard case .matrix(let grid) = shown.content else { Issue.record("\(shown.content)"); return }
        #expect(grid.rows == 16 && grid.columns == 2)
        #expect(grid.values[3][0] == live.tensor("blocks.0.attn.W_Q")[1, 3, 0])
        #expect(grid.values[3][1] == live.tensor("blocks.0.attn.W_Q")[1, 3, 4])
        #expect(grid.columnLabels == ["0", "4"])
    }

    @Test func vectorsFollowQueryOrKey() throws {
        let live = try Live()
        let q = try live.show("@show vector blocks.{layer}.attn.q")
        guard case .vector(let qv) = q.content else { Issue.record("\(q.content)"); return }
        #expect(qv.values == live.tensor("blocks.0.attn.q").slice(1).slice(9).scalars)
        #expect(q.title == "blocks.0.attn.q · head 1 · it (query 9)")
        let k = try live.show("@show vector blocks.{layer}.attn.k")
        guard case .vector(let kv) = k.content else { Issue.record("\(k.content)"); return }
        #expect(kv.values == live.tensor("blocks.0.attn.k").slice(1).slice(1).scalars)
        #expect(k.title == "blocks.0.attn.k · head 1 · animal (key 1)")
    }

    @Test func barsTopAndHighlight() throws {
        let live = try Live()
        let shown = try live.show("@show bars blocks.{layer}.attn.pattern top=3")
        guard case .bars(let bars) = shown.content else { Issue.record("\(shown.content)"); return }
        #expect(bars.bars.count == 3)
        #expect(bars.bars[0].label == "animal" && bars.bars[0].index == 1)
        #expect(bars.highlighted == 0)
        #expect(bars.bars.map(\.value) == bars.bars.map(\.value).sorted(by: >))
        let probs = try live.show("@show bars probs top=5", selection: Selection(layer: 0, head: 0, query: 12, key: 0))
        guard case .bars(let next) = probs.content else { Issue.record("\(probs.content)"); return }
        #expect(next.axis == "vocabulary")
        #expect(next.bars.first?.label == ".")
        #expect(next.highlighted == nil)
    }

    @Test func plotColumnsAsWaves() throws {
        let live = try Live()
        let shown = try live.show("@show plot pos_embed columns=10,11,12")
        guard case .plot(let plot) = shown.content else { Issue.record("\(shown.content)"); return }
        #expect(plot.series.count == 3)
        #expect(plot.series[0].name == "dimension 10")
        #expect(plot.series[1].values == (0..<13).map { live.tensor("pos_embed")[$0, 11] })
        #expect(plot.xLabels.first == "the" && plot.xAxis == "query")
        let table = try live.show("@show plot pos_embed.W_pos columns=13")
        guard case .plot(let whole) = table.content else { Issue.record("\(table.content)"); return }
        #expect(whole.series[0].values.count == 32 && whole.xAxis == "position")
    }

    @Test func tokens() throws {
        let live = try Live()
        let shown = try live.show("@show tokens")
        guard case .tokens(let tokens) = shown.content else { Issue.record("\(shown.content)"); return }
        #expect(tokens.tokens.map(\.display) == ["the", "animal", "didn", "'", "t", "cross", "the", "street", "because", "it", "was", "too", "tired"])
        #expect(tokens.tokens[1].id == live.context.tokens[1].id)
        #expect(tokens.query == 9 && tokens.key == 1)
    }

    @Test func unavailableOnTheLearnersSentence() throws {
        let live = try Live("the cat sat")
        let step = try live.step("@show vector blocks.0.attn.scores[head, 'it']", selection: Selection(layer: 0, head: 1, query: 2, key: 0))
        guard case .show(let shown) = step.blocks.first else { Issue.record("no show"); return }
        #expect(shown.content == .unavailable("(no 'it' in your sentence)"))
        #expect(step.problems.count == 1)
    }

    @Test func aWidthAxisNeedsAnIndex() throws {
        let live = try Live()
        let step = try live.step("@show vector unembed.W_U")
        #expect(step.problems.first?.message.contains("give an index") == true)
    }
}

@Suite struct Selections {
    @Test func selectResolvesTokensOnTheLearnersSentence() throws {
        let lesson = try parseClean(lessonText("# Step 1\n@select layer=0 head=1 query='it' key='animal'\nText."))
        let live = try Live("a big animal ran because it was happy")
        let (selection, problems) = LessonRuntime.startingSelection(for: lesson.steps[0], in: live.context)
        #expect(problems.isEmpty)
        #expect(selection == Selection(layer: 0, head: 1, query: 5, key: 2))
    }

    @Test func aMissingTokenKeepsTheCurrentPart() throws {
        let lesson = try parseClean(lessonText("# Step 1\n@select head=1 query='it' key='animal'\nText."))
        let live = try Live("the cat sat on the mat")
        let current = Selection(layer: 1, head: 0, query: 4, key: 2)
        let (selection, problems) = LessonRuntime.startingSelection(for: lesson.steps[0], in: live.context, current: current)
        #expect(selection == Selection(layer: 1, head: 1, query: 4, key: 2))
        #expect(problems.map(\.learnerMessage) == ["(no 'it' in your sentence: the query stays where it was)",
                                                   "(no 'animal' in your sentence: the key stays where it was)"])
    }

    @Test func defaultsAndClamping() throws {
        let lesson = try parseClean(lessonText("# Step 1\nText."))
        let live = try Live("the cat sat")
        let (selection, _) = LessonRuntime.startingSelection(for: lesson.steps[0], in: live.context)
        #expect(selection == Selection(layer: 0, head: 0, query: 2, key: 0))
        #expect(Selection(layer: 9, head: -1, query: 40, key: 7).clamped(in: live.context) == Selection(layer: 1, head: 0, query: 2, key: 2))
    }
}

@Suite struct Quizzes {
    @Test func numberQuizChecksAgainstTheLiveValue() throws {
        let live = try Live()
        let step = try live.step("@quiz number blocks.{layer}.attn.scaled[head, query, key] tolerance=0.01\nScaled?\n@end")
        guard case .quiz(let quiz) = step.blocks.first else { Issue.record("no quiz"); return }
        let value = Double(live.tensor("blocks.0.attn.scaled")[1, 9, 1])
        #expect(quiz.id == "1.1")
        #expect(quiz.check(answer: NumberText.format(value, decimals: 2)).correct)
        #expect(quiz.check(answer: String(value + 0.0099)).correct)
        #expect(!quiz.check(answer: String(value + 0.02)).correct)
        #expect(quiz.check(answer: String(value + 0.5)).message.contains("too high"))
        #expect(quiz.check(answer: String(value - 0.5)).message.contains("too low"))
        let unreadable = quiz.check(answer: "twenty")
        #expect(!unreadable.correct && !unreadable.understood)
        #expect(quiz.expected == NumberText.format(value, decimals: 2))
    }

    @Test func answersALearnerMightType() throws {
        #expect(NumberText.parse("0.5") == 0.5)
        #expect(NumberText.parse(" −1.25 ") == -1.25)
        #expect(NumberText.parse(".5") == 0.5)
        #expect(NumberText.parse("-.5") == -0.5)
        #expect(NumberText.parse("97%") == 0.97)
        #expect(NumberText.parse("1e-3") == 0.001)
        #expect(NumberText.parse("0,25") == 0.25)
        #expect(NumberText.parse("−∞") == -.infinity)
        #expect(NumberText.parse("-inf") == -.infinity)
        #expect(NumberText.parse("abc") == nil)
        #expect(NumberText.parse("") == nil)
    }

    @Test func choiceQuiz() throws {
        let live = try Live()
        let step = try live.step("@quiz choice\nWhich?\n- [ ] one\n- [x] Two\n- [x] three\n> Because {{ dh }}.\n@end")
        guard case .quiz(let quiz) = step.blocks.first else { Issue.record("no quiz"); return }
        #expect(quiz.options == ["one", "Two", "three"])
        #expect(quiz.explanation == "Because 8.")
        #expect(quiz.check(choice: 1).correct && quiz.check(choice: 2).correct && !quiz.check(choice: 0).correct)
        #expect(quiz.check(answer: "2").correct)
        #expect(quiz.check(answer: "b").correct)
        #expect(quiz.check(answer: "two").correct)
        #expect(!quiz.check(answer: "a").correct)
        #expect(!quiz.check(answer: "7").understood)
        #expect(!quiz.check(answer: "maybe").understood)
        #expect(!quiz.check(choice: -1).understood)
    }

    @Test func unanswerableOnTheLearnersSentence() throws {
        let live = try Live("the cat sat")
        let step = try live.step("@quiz number blocks.0.attn.pattern[head, 'it', 'animal']\nHow much?\n@end",
                                 selection: Selection(layer: 0, head: 1, query: 2, key: 0))
        guard case .quiz(let quiz) = step.blocks.first else { Issue.record("no quiz"); return }
        #expect(quiz.kind == .unanswerable("(no 'it' in your sentence)"))
        let feedback = quiz.check(answer: "1")
        #expect(!feedback.correct && !feedback.understood)
        #expect(feedback.message == "This cannot be checked on your sentence: no 'it' in your sentence.")
        #expect(step.problems.count == 1)
    }
}

@Suite struct Numbers {
    @Test func formatting() {
        #expect(NumberText.format(0.87344, decimals: 3) == "0.873")
        #expect(NumberText.format(-0.0004, decimals: 3) == "0.000")
        #expect(NumberText.format(-1.5, decimals: 1) == "-1.5")
        #expect(NumberText.format(2.5, decimals: 0) == "3")
        #expect(NumberText.format(-Double.infinity) == "−∞")
        #expect(NumberText.format(Double.infinity) == "∞")
        #expect(NumberText.format(Double.nan) == "nan")
        #expect(NumberText.vector([1, -0.25, -.infinity], decimals: 2) == "[1.00, -0.25, −∞]")
    }
}

@Suite struct OutOfRangeStep {
    @Test func aStepThatDoesNotExistIsAProblemNotACrash() throws {
        let live = try Live()
        let lesson = try parseClean(lessonText("# Step 1\nText."))
        let step = LessonRuntime.evaluate(lesson, step: 5, in: live.context, selection: live.pronoun)
        #expect(step.blocks.isEmpty)
        #expect(step.problems.first?.message == "test has no step 6 (it has 1)")
    }
}

/// The learner's sampling settings: `temperature` and `k` in expressions, `top_k()`, `@select`
/// of them, and how a selection keeps them in range and on disk.
@Suite struct SamplingSettingsInLessons {
    /// `top_k` of a hand-written row (not a hook), evaluated on a live run.
    static func topK(_ values: [Float], k: Double) throws -> [Float] {
        let live = try Live()
        let row = LessonArray(name: "v", shape: [values.count], roles: [.feature], values: values)
        guard case .array(let kept) = try Evaluator(context: live.context, selection: live.pronoun)
            .topK(.array(row), .name("v"), k: .number(k)) else { throw EvaluationError("not a row") }
        return kept.values
    }

    static func close(_ a: [Float], _ b: [Float]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) < 1e-6 }
    }

    @Test func temperatureAndKAreVariables() throws {
        let live = try Live()
        var selection = live.pronoun
        selection.temperature = 0.7
        selection.k = 6
        #expect(try live.text("T {{ temperature }}, {{ temperature | 1 }}; k {{ k }}, {{ k - 1 }}", selection: selection)
            == "T 0.70, 0.7; k 6, 5")
        #expect(try live.text("{{ temperature }} {{ k }}") == "1.00 10", "the defaults")
        #expect(Evaluator.variables.contains("temperature") && Evaluator.variables.contains("k"))
    }

    @Test func topKOfAHandWorkedRow() throws {
        // The two largest, 0.4 and 0.3, hold 0.7: they become 4/7 and 3/7.
        #expect(Self.close(try Self.topK([0.1, 0.4, 0.2, 0.3], k: 2), [0, 4.0 / 7, 0, 3.0 / 7]))
        #expect(Self.close(try Self.topK([0.1, 0.4, 0.2, 0.3], k: 1), [0, 1, 0, 0]))
        #expect(Self.close(try Self.topK([0.1, 0.4, 0.2, 0.3], k: 3), [0, 4.0 / 9, 2.0 / 9, 3.0 / 9]))
        // k as long as the row, or longer, keeps everything, divided by the sum.
        #expect(Self.close(try Self.topK([0.1, 0.4, 0.2, 0.3], k: 4), [0.1, 0.4, 0.2, 0.3]))
        #expect(Self.close(try Self.topK([1, 2, 1], k: 10), [0.25, 0.5, 0.25]))
    }

    @Test func topKKeepsTheEarliestOfTiedEntries() throws {
        #expect(Self.close(try Self.topK([0.2, 0.3, 0.3, 0.2], k: 1), [0, 1, 0, 0]))
        #expect(Self.close(try Self.topK([0.2, 0.3, 0.3, 0.2], k: 2), [0, 0.5, 0.5, 0]))
        #expect(Self.close(try Self.topK([0.2, 0.3, 0.3, 0.2], k: 3), [0.25, 0.375, 0.375, 0]))
        #expect(Self.close(try Self.topK([0.25, 0.25, 0.25, 0.25], k: 2), [0.5, 0.5, 0, 0]))
    }

    /// The lesson's top-k at a temperature is what `explorer generate` samples from.
    @Test func topKAtATemperatureIsTheSamplersPool() throws {
        let live = try Live()
        var selection = Selection(layer: 0, head: 0, query: 12, key: 0, temperature: 0.7, k: 6)
        selection = selection.clamped(in: live.context)
        let step = try live.step("@show bars top_k(softmax(logits[query] / temperature), k) top=20", selection: selection)
        #expect(step.problems.isEmpty, "\(step.problems)")
        guard case .show(let shown) = step.blocks.first, case .bars(let bars) = shown.content else {
            Issue.record("no bars"); return
        }
        let logits = live.tensor("logits").slice(12).scalars
        let pool = Sampler.candidates(logits: logits, settings: SamplingSettings(temperature: 0.7, topK: 6))
        #expect(bars.bars.map(\.index) == pool.map(\.id), "six bars, the zeros left out, in the sampler's order")
        for (bar, candidate) in zip(bars.bars, pool) { #expect(abs(Double(bar.value) - candidate.probability) < 1e-5) }
        let tokenizer = live.context.loaded.tokenizer
        #expect(bars.bars.map(\.label) == pool.map { tokenizer.display(tokenizer.token(for: $0.id)!) }, "labelled by word")
        #expect(bars.axis == "vocabulary")
    }

    @Test func topKMistakes() throws {
        let live = try Live()
        func message(_ placeholder: String) throws -> String? {
            try live.step("{{ \(placeholder) }}").problems.first?.message
        }
        #expect(try message("max(top_k(probs[query]))") == "in {{ max(top_k(probs[query])) }}: top_k() takes 2 arguments, got 1")
        #expect(try message("top_k(dh, 2)") == "in {{ top_k(dh, 2) }}: top_k() needs a row of probabilities, as in top_k(probs[query], k), got dh")
        #expect(try message("top_k(token(0), 2)")
            == "in {{ top_k(token(0), 2) }}: top_k() needs a row of probabilities, as in top_k(probs[query], k), got token(0) (it is the text 'the')")
        #expect(try message("max(top_k(probs, 2))") == "in {{ max(top_k(probs, 2)) }}: top_k() needs one row, probs [13,235] has more")
        #expect(try message("max(top_k(probs[query], 0))")
            == "in {{ max(top_k(probs[query], 0)) }}: top_k() keeps k entries: k must be a whole number of 1 or more, got 0")
        #expect(try message("max(top_k(probs[query], k / 4))")
            == "in {{ max(top_k(probs[query], k / 4)) }}: top_k() keeps k entries: k must be a whole number of 1 or more, got k / 4")
        let negative = try #require(try message("max(top_k(logits[query], 3))"))
        #expect(negative.hasPrefix("in {{ max(top_k(logits[query], 3)) }}: top_k() needs probabilities (numbers of 0 or more), but logits[9] has -"))
        #expect(negative.hasSuffix(": take the softmax first, as in top_k(softmax(logits[query]), k)"))
        #expect(try message("max(top_k(probs[query] * 0, 2))")
            == "in {{ max(top_k(probs[query] * 0, 2)) }}: top_k(): the 2 largest entries of probs[9] add up to 0, so there is nothing to share out")
    }

    @Test func barsLeaveOutWhatTopKDropped() throws {
        let live = try Live()
        var selection = Selection(layer: 0, head: 0, query: 12, key: 0, k: 3)
        let shown = try live.show("@show bars top_k(probs[query], k) top=10", selection: selection)
        guard case .bars(let bars) = shown.content else { Issue.record("\(shown.content)"); return }
        #expect(bars.bars.count == 3)
        #expect(abs(bars.bars.map(\.value).reduce(0, +) - 1) < 1e-5)
        selection.k = 40
        let more = try live.show("@show bars top_k(probs[query], k) top=10", selection: selection)
        guard case .bars(let ten) = more.content else { Issue.record("\(more.content)"); return }
        #expect(ten.bars.count == 10)
        // Nothing but zeros: the first of them, rather than an empty picture.
        let zeros = try live.show("@show bars probs[query] * 0 top=3", selection: selection)
        guard case .bars(let none) = zeros.content else { Issue.record("\(zeros.content)"); return }
        #expect(none.bars.map(\.index) == [0, 1, 2])
    }

    @Test func selectSetsTemperatureAndK() throws {
        let live = try Live()
        let lesson = try parseClean(lessonText("""
            # Step 1
            @select temperature=0.5 k=6
            Text.
            # Step 2
            @select query=2
            Text.
            # Step 3
            @select k=500
            Text.
            """))
        let (first, none) = LessonRuntime.startingSelection(for: lesson.steps[0], in: live.context)
        #expect(none.isEmpty)
        #expect(first.temperature == 0.5 && first.k == 6)
        var turned = first
        turned.temperature = 2
        turned.k = 9
        let (second, _) = LessonRuntime.startingSelection(for: lesson.steps[1], in: live.context, current: turned)
        #expect(second.temperature == 2 && second.k == 9 && second.query == 2, "a step without them keeps the learner's")
        let (third, problems) = LessonRuntime.startingSelection(for: lesson.steps[2], in: live.context, current: second)
        #expect(third.k == 235)
        #expect(problems.map(\.message) == ["@select k=500: top-k keeps at most the whole vocabulary (tiny-gpt has 235 tokens, so k is 1 to 235)"])
        #expect(problems.map(\.learnerMessage) == ["(k = 500 is more than the 235 tokens of tiny-gpt: k is 235)"])
    }

    @Test func clampingKeepsTemperatureAndKInRange() throws {
        let live = try Live("the cat sat")
        #expect(Selection().temperature == 1 && Selection().k == 10)
        #expect(Selection(temperature: 0.01, k: 0).clamped(in: live.context) == Selection(temperature: 0.1, k: 1))
        #expect(Selection(temperature: 9, k: 1000).clamped(in: live.context) == Selection(temperature: 5, k: 235))
        #expect(Selection(temperature: -1, k: -5).clamped(in: live.context) == Selection(temperature: 0.1, k: 1))
        #expect(Selection(temperature: .nan).clamped(in: live.context).temperature == 1)
        #expect(Selection(temperature: 0.4, k: 17).clamped(in: live.context) == Selection(temperature: 0.4, k: 17), "in range: kept")
        #expect(Selection.counts(in: live.context).vocabulary == 235)
    }

    @Test func theTemperatureLadder() {
        func up(_ t: Double) -> Double { Selection(temperature: t).temperature(steppedBy: 1) }
        func down(_ t: Double) -> Double { Selection(temperature: t).temperature(steppedBy: -1) }
        #expect(up(1) == 1.5 && down(1) == 0.7)
        #expect(up(0.1) == 0.2 && down(0.1) == 0.1, "the bottom rung stays")
        #expect(up(5) == 5 && down(5) == 3, "the top rung stays")
        #expect(up(0.4) == 0.5 && down(0.4) == 0.3, "between rungs: the nearest rung that way")
        var t = 0.1
        var climbed: [Double] = [t]
        while up(t) != t { t = up(t); climbed.append(t) }
        #expect(climbed == Selection.temperatureLadder)
        #expect(Selection.temperatureRange == 0.1...5)
        #expect([0.1, 0.7, 1, 1.5, 5].map { Selection.text(temperature: $0) } == ["0.1", "0.7", "1", "1.5", "5"])
    }

    @Test func aSelectionRoundTripsAndOldDataStillReads() throws {
        let selection = Selection(layer: 1, head: 0, query: 4, key: 2, temperature: 0.7, k: 6)
        let data = try JSONEncoder().encode(selection)
        #expect(try JSONDecoder().decode(Selection.self, from: data) == selection)
        // Written before the temperature and k were kept: they take their defaults.
        let old = Data(#"{"layer": 1, "head": 0, "query": 4, "key": 2}"#.utf8)
        #expect(try JSONDecoder().decode(Selection.self, from: old) == Selection(layer: 1, head: 0, query: 4, key: 2, temperature: 1, k: 10))
        let partial = Data(#"{"layer": 0, "head": 1, "query": 3, "key": 0, "k": 4}"#.utf8)
        #expect(try JSONDecoder().decode(Selection.self, from: partial) == Selection(layer: 0, head: 1, query: 3, key: 0, k: 4))
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Selection.self, from: Data(#"{"layer": 1}"#.utf8)) }
    }
}
