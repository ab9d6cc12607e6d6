import Foundation
import Testing
import Tensor
@testable import Lessons
import Transformer

/// `@mask` and `@model`: a step run with another mask, or on another model, with the learner's sentence.
@Suite struct StepRuns {
    @Test func parsesMaskAndModel() throws {
        let lesson = try parseClean(lessonText("""
            # Step 1: Prefix
            @mask prefix:3
            Text.
            # Step 2: Open
            @mask bidirectional
            @model tiny-bert
            Text.
            # Step 3: Plain
            Text.
            """))
        #expect(lesson.steps[0].mask == MaskSpec(mask: .prefix(3), line: 9))
        #expect(lesson.steps[0].model == nil)
        #expect(lesson.steps[1].mask?.mask == .bidirectional)
        #expect(lesson.steps[1].model == ModelSpec(name: "tiny-bert", line: 13))
        #expect(lesson.steps[2].mask == nil && lesson.steps[2].model == nil)
    }

    @Test func maskAndModelMistakes() {
        #expect(parseErrors(lessonText("# Step 1\n@mask sideways\nText.")) == [
            "9: unknown mask 'sideways' (masks: causal, bidirectional, prefix:N with N a whole number of tokens)"])
        #expect(parseErrors(lessonText("# Step 1\n@mask\nText.")) == ["9: @mask needs a mask: causal, bidirectional or prefix:N"])
        #expect(parseErrors(lessonText("# Step 1\n@mask causal\n@mask prefix:2\nText.")) == [
            "10: a step has one @mask (this step's first is on line 9)"])
        #expect(parseErrors(lessonText("# Step 1\n@model\nText.")) == ["9: @model needs one model name, such as @model tiny-bert"])
        #expect(parseErrors(lessonText("# Step 1\n@model tiny-bert\n@model tiny-gpt\nText.")) == [
            "10: a step has one @model (this step's first is on line 9)"])
    }

    @Test func aMaskedStepIsEvaluatedOnARunWithItsMask() throws {
        let live = try Live("the cat sat on the mat")
        let lesson = try parseClean(lessonText("""
            # Step 1: Prefix
            @mask prefix:3
            {{ mask }} {{ blocks.0.attn.masked[0, 0, 2] }} {{ blocks.0.attn.masked[0, 0, 3] }}
            # Step 2: Back
            {{ mask }} {{ blocks.0.attn.masked[0, 0, 2] }}
            """))
        let first = LessonRuntime.evaluate(lesson, step: 0, in: live.context, selection: Selection())
        #expect(first.problems.isEmpty, "\(first.problems)")
        #expect(first.mask == .prefix(3))
        guard case .text(let text) = first.blocks.first else { Issue.record("no text"); return }
        let scores = try #require(live.context.running(mask: .prefix(3)).cache["blocks.0.attn.masked"])
        #expect(text == "prefix:3 \(NumberText.format(scores[0, 0, 2])) −∞")
        // The next step runs with the model's own mask again.
        let second = LessonRuntime.evaluate(lesson, step: 1, in: live.context, selection: Selection())
        #expect(second.mask == .causal)
        guard case .text(let back) = second.blocks.first else { Issue.record("no text"); return }
        #expect(back == "causal −∞")
        // The UI's run for the step: the same context when it already has the mask.
        let prepared = try LessonRuntime.context(for: lesson.steps[0], from: live.context)
        #expect(prepared.mask == .prefix(3))
        #expect(try LessonRuntime.context(for: lesson.steps[0], from: prepared).inspection.result.cache.names
            == prepared.inspection.result.cache.names)
        #expect(LessonRuntime.mask(for: lesson.steps[1], config: live.context.config) == .causal)
    }

    @Test func aStepOnAnotherModel() throws {
        let live = try Live("the cat sat because it was tired")
        let lesson = try parseClean(lessonText("""
            # Step 1: BERT
            @model tiny-bert
            {{ token(0) }} {{ mask }} {{ config.architecture }}
            """))
        // Without a way to load the model, the step says so rather than showing tiny-gpt's numbers.
        let unprepared = LessonRuntime.evaluate(lesson, step: 0, in: live.context, selection: Selection())
        #expect(unprepared.problems.first?.message.contains("this step runs on tiny-bert") == true)
        let context = try LessonRuntime.context(for: lesson.steps[0], from: live.context) { try Repository.model($0) }
        #expect(context.loaded.name == "tiny-bert")
        #expect(context.inspection.text == "the cat sat because it was tired")
        let step = LessonRuntime.evaluate(lesson, step: 0, in: context, selection: Selection())
        #expect(step.problems.isEmpty, "\(step.problems)")
        #expect(step.model == "tiny-bert" && step.mask == .bidirectional)
        #expect(step.blocks.first == .text("[CLS] bidirectional encoder"))
        #expect(LessonRuntime.model(for: lesson.steps[0], in: lesson) == "tiny-bert")
    }

    @Test func theCheckerRunsEachStepOnItsModel() throws {
        let body = """
            # Step 1
            @model tiny-bert
            @select query='it'
            {{ blocks.1.attn.pattern[0, query, 'cat'] }} {{ probs[0, 0] }}
            # Step 2
            @model tiny-gpt-9
            Text.
            """
        let found = try Checking.check(body)
        // tiny-bert has no LM head: its run has no probs, and the checker says so at the line.
        #expect(found.contains { $0.hasPrefix("11: in {{ probs[0, 0] }}: unknown hook or parameter 'probs'") }, "\(found)")
        #expect(!found.contains { $0.contains("blocks.1.attn.pattern") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("13: the step cannot run (model tiny-gpt-9") && $0.contains("no model named \"tiny-gpt-9\"") }, "\(found)")
    }
}

/// Functions and names added for the curriculum: logs and waves, sorting, ids, the loss, counts, files.
@Suite struct MoreFunctions {
    @Test func elementwiseAndRows() throws {
        let live = try Live("the cat sat on the mat")
        #expect(try live.text("{{ log(exp(2)) | 3 }} {{ sin(0) | 1 }} {{ cos(0) | 1 }} {{ tanh(0) | 1 }}") == "2.000 0.0 1.0 0.0")
        let row = live.tensor("probs").slice(5).scalars
        let sorted = row.sorted(by: >)
        #expect(try live.text("{{ sort(probs[last])[0] | 4 }} {{ sort(probs[last])[1] | 4 }}")
            == "\(NumberText.format(sorted[0], decimals: 4)) \(NumberText.format(sorted[1], decimals: 4))")
        #expect(try live.text("{{ cumsum(sort(probs[last]))[1] | 4 }}") == NumberText.format(Double(sorted[0]) + Double(sorted[1]), decimals: 4))
        #expect(try live.text("{{ cumsum(probs[last])[last] | 3 }}") == "1.000")
    }

    @Test func idsAndTheVocabulary() throws {
        let live = try Live("the cat sat on the mat")
        let tokenizer = live.context.loaded.tokenizer
        let cat = try #require(tokenizer.id(for: "cat"))
        #expect(try live.text("{{ id('cat') }} {{ token_id(1) }} {{ vocab(id('cat')) }} {{ id(token(1)) }}") == "\(cat) \(cat) cat \(cat)")
        #expect(try live.text("{{ ids | 0 }}") == "[" + live.context.tokens.map { String($0.id) }.joined(separator: ", ") + "]")
        #expect(try live.text("{{ vocab(argmax(probs[last])) }}") == tokenizer.token(for: live.tensor("probs").slice(5).scalars.indices.max {
            live.tensor("probs")[5, $0] < live.tensor("probs")[5, $1] }!))
        let step = try live.step("{{ vocab(9999) }} {{ id('zebra') }}")
        #expect(step.problems.map(\.learnerMessage) == ["(no token 9999 in the vocabulary)", "('zebra' is not a word this model knows)"])
    }

    @Test func nextTokenAndTheLoss() throws {
        let live = try Live("the cat sat on the mat")
        let probs = live.tensor("probs")
        let ids = live.context.tokens.map(\.id)
        let picked = (0..<5).map { probs[$0, ids[$0 + 1]] }
        #expect(try live.text("{{ next_token(probs) | 4 }}") == NumberText.vector(picked, decimals: 4))
        let loss = -picked.map { Foundation.log(Double($0)) }.reduce(0, +) / 5
        #expect(try live.text("{{ -sum(log(next_token(probs))) / (count(tokens) - 1) | 4 }}") == NumberText.format(loss, decimals: 4))
        let shown = try live.show("@show vector next_token(probs)")
        guard case .vector(let vector) = shown.content else { Issue.record("\(shown.content)"); return }
        #expect(vector.labels == ["the", "cat", "sat", "on", "the"])
        let step = try live.step("{{ next_token(embed) }}")
        #expect(step.problems.first?.message.contains("next_token() needs a hook with a row of the vocabulary per token") == true)
    }

    @Test func parameterCounts() throws {
        let live = try Live()
        #expect(try live.text("{{ params('gpt2-small') }} {{ grouped(params('gpt3-175b')) }}") == "124439808 174,604,259,328")
        #expect(try live.text("{{ params('gpt2-small', 'attention') }} {{ params('tiny-gpt') }}")
            == "28348416 \(live.context.parameters.tensors.values.reduce(0) { $0 + $1.count })")
        #expect(try live.text("{{ grouped(50257 * 768) }} {{ grouped(-1234) }} {{ grouped(12) }}") == "38,597,376 -1,234 12")
        let step = try live.step("{{ params('gpt-5') }} {{ params('gpt2-small', 'wings') }}")
        #expect(step.problems.count == 2)
        #expect(step.problems[0].message.contains("'gpt-5' is neither a preset of explorer params (gpt2-small, gpt2-medium"))
        #expect(step.problems[1].message.contains("'wings' is not a part of gpt2-small (parts: embeddings, attention, feed-forward, norms, output head)"))
    }

    @Test func theWeightsFile() throws {
        let live = try Live()
        let path = live.context.loaded.path + "/model.safetensors"
        let layout = try SafeTensors.layout(path: path)
        #expect(try live.text("{{ safetensors.header_length }} {{ safetensors.data_length }} {{ safetensors.file_length }} {{ safetensors.tensors }}")
            == "\(layout.headerLength) \(layout.dataLength) \(layout.fileLength) \(layout.entries.count)")
        #expect(layout.dataLength == 4 * live.context.parameters.tensors.values.reduce(0) { $0 + $1.count })
        let step = try live.step("{{ safetensors.magic }}")
        #expect(step.problems.first?.message == "in {{ safetensors.magic }}: safetensors.magic is not known (fields: header_length, data_length, file_length, tensors)")
    }

    @Test func maskAndTargetTokens() throws {
        let live = try Live("the cat sat", model: "tiny-transformer", target: "ethay atcay")
        #expect(try live.text("{{ mask }} {{ count(target_tokens) }} {{ target_tokens }}") == "causal 3 <s> · ethay · atcay")
    }
}

/// The new pictures: tables of parameters and of a weights file, and chosen entries of a vector.
@Suite struct TableShows {
    @Test func parametersOfAPreset() throws {
        let live = try Live()
        let shown = try live.show("@show params gpt2-small")
        #expect(shown.title == "gpt2-small: L = 12, V = 50,257, T_max = 1,024, D = 768, F = 3,072")
        guard case .table(let table) = shown.content else { Issue.record("\(shown.content)"); return }
        #expect(table.headers == ["part", "parameters", "share", "formula", "in numbers"])
        #expect(table.rows.map { $0[0] } == ["embeddings", "attention", "feed-forward", "norms", "output head", "total"])
        #expect(table.rows[1] == ["attention", "28,348,416", "22.8%", "L × (4·D² + 4·D)", "12 layers × (4 × 768 × 768 + 4 × 768)"])
        #expect(table.rows[4][1] == "0" && table.rows[4][3].hasPrefix("tied:"))
        #expect(table.rows.last == ["total", "124,439,808", "100.0%", "", ""])
        #expect(table.rows.allSatisfy { $0.count == table.headers.count })
    }

    @Test func parametersOfTheLessonsModel() throws {
        let live = try Live()
        let shown = try live.show("@show params")
        guard case .table(let table) = shown.content else { Issue.record("\(shown.content)"); return }
        let total = live.context.parameters.tensors.values.reduce(0) { $0 + $1.count }
        #expect(table.rows.last?[1] == NumberText.grouped(total))
        #expect(shown.title.hasPrefix("tiny-gpt: L = 2"))
        #expect(try live.show("@show params label=\"mine\"").title == "mine")
    }

    @Test func theSafetensorsHeader() throws {
        let live = try Live()
        let shown = try live.show("@show safetensors")
        guard case .table(let table) = shown.content else { Issue.record("\(shown.content)"); return }
        let layout = try SafeTensors.layout(path: live.context.loaded.path + "/model.safetensors")
        #expect(table.rows.count == layout.entries.count + layout.metadata.count)
        let embed = try #require(table.rows.first { $0[0] == "embed.W_E" })
        #expect(embed[1] == "F32" && embed[2] == "[235, 16]" && embed[4] == "15,040")
        #expect(table.rows.last == ["__metadata__ format", "pt", "", "", ""])
        #expect(shown.title.contains("\(NumberText.grouped(layout.headerLength)) bytes of JSON header"))
    }

    @Test func chosenEntriesOfAVector() throws {
        let live = try Live()
        let shown = try live.show("@show vector embed columns=1,2")
        guard case .vector(let vector) = shown.content else { Issue.record("\(shown.content)"); return }
        #expect(vector.labels == ["1", "2"])
        #expect(vector.values == [live.tensor("embed")[9, 1], live.tensor("embed")[9, 2]])
    }

    @Test func parsing() {
        #expect(parseErrors(lessonText("# Step 1\n@show safetensors embed")) == [
            "9: @show safetensors takes no name (it shows the model file's header)"])
        #expect(parseErrors(lessonText("# Step 1\n@show bars probs columns=1")) == [
            "9: columns= is for @show plot, heatmap, matrix and vector"])
        let lesson = LessonParser.parse(lessonText("# Step 1\n@show params gpt2-small decimals=1"), file: "t.md").lesson
        guard case .show(let show) = lesson?.steps.first?.blocks.first else { Issue.record("no show"); return }
        #expect(show.expression == .token("gpt2-small") && show.decimals == 1)
    }

    @Test func anUnknownPresetIsTheCheckersMistake() throws {
        #expect(try Checking.check("# Step 1\n@show params gpt-9") == [
            "9: in @show params gpt-9: 'gpt-9' is neither a preset of explorer params (\(ParameterPresets.names.joined(separator: ", "))) nor this lesson's model, tiny-gpt"])
    }
}
