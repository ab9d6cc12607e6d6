import Testing
@testable import Lessons

/// Lesson text with the usual front matter (lines 1–7); the body starts on line 8.
func lessonText(_ body: String, front: String? = nil) -> String {
    let header = front ?? """
        ---
        id: test
        title: A test
        summary: For the tests.
        model: tiny-gpt
        input: the cat sat on the mat because it was tired
        ---
        """
    return header + "\n" + body
}

@Suite struct ParsingWhatIsRight {
    @Test func frontMatter() throws {
        let lesson = try parseClean(lessonText("# Step 1: Hello\nSome text.", front: """
            ---
            id: six-steps
            title: Attention in six steps
            summary: "Quoted: kept without its quotes."
            model: tiny-transformer
            input: the cat sat
            target: ethay atcay
            builds-on: first-look, tokens
            order: 2.5
            ---
            """))
        #expect(lesson.id == "six-steps")
        #expect(lesson.title == "Attention in six steps")
        #expect(lesson.summary == "Quoted: kept without its quotes.")
        #expect(lesson.model == "tiny-transformer")
        #expect(lesson.input == "the cat sat")
        #expect(lesson.target == "ethay atcay")
        #expect(lesson.buildsOn == ["first-look", "tokens"])
        #expect(lesson.order == 2.5)
        #expect(lesson.line(of: "model") == 5)
        #expect(lesson.line(of: "order") == 9)
        #expect(lesson.steps.count == 1)
    }

    @Test func stepsProseAndComments() throws {
        let lesson = try parseClean(lessonText("""

            <!-- a note for teachers
                 over two lines -->
            # Step 1: First

            One **bold** line.
            Another with `code`.

            A second paragraph.
            \\@ is not a directive here.
            ```
            @show not a directive
            # not a step
            ```
            # Step 2: Second
            ## A sub-heading is prose
            Text.
            """))
        #expect(lesson.steps.map(\.title) == ["Step 1: First", "Step 2: Second"])
        #expect(lesson.steps.map(\.line) == [11, 22])
        guard case .prose(let prose) = lesson.steps[0].blocks.first else { Issue.record("no prose"); return }
        #expect(prose.lines.first?.line == 13)
        #expect(prose.lines.count == 9)
        let texts = prose.lines.map { $0.segments.map { if case .text(let t) = $0 { return t } else { return "" } }.joined() }
        #expect(texts.contains("@ is not a directive here."))
        #expect(texts.contains("@show not a directive"))
        #expect(texts.contains("# not a step"))
        #expect(lesson.steps[1].blocks.count == 1)
    }

    @Test func placeholders() throws {
        let lesson = try parseClean(lessonText("""
            # Step 1: Values
            A {{ blocks.{layer}.attn.scaled[head, 'it', 'cat'] | 3 }} and {{token(query)}}, {{ blocks.{layer}.attn.pattern[head, query, key]}}!
            """))
        guard case .prose(let prose) = lesson.steps[0].blocks[0] else { Issue.record("no prose"); return }
        let line = prose.lines[0]
        #expect(line.line == 9)
        let placeholders = line.placeholders
        #expect(placeholders.count == 3)
        #expect(placeholders[0].decimals == 3)
        #expect(placeholders[0].expression == .index(.name("blocks.{layer}.attn.scaled"), [.name("head"), .token("it"), .token("cat")]))
        #expect(placeholders[1].expression == .call("token", [.name("query")]))
        #expect(placeholders[1].decimals == nil)
        #expect(placeholders[2].source == "blocks.{layer}.attn.pattern[head, query, key]")
        guard case .text(let last) = line.segments.last else { Issue.record("no text at the end"); return }
        #expect(last == "!")
    }

    @Test func selectAndControls() throws {
        let lesson = try parseClean(lessonText("""
            # Step 1: One
            @select layer=1 head=0 query='it' key=last
            @controls input, head, top-k
            Text.
            # Step 2: Two
            Inherits the controls.
            # Step 3: Three
            @controls none
            @select key="'"
            Nothing to change.
            """))
        let first = lesson.steps[0]
        #expect(first.selection == SelectionSpec(layer: .number(1), head: .number(0), query: .token("it"), key: .name("last"), line: 9))
        #expect(first.controls == [.input, .head, .topK])
        #expect(lesson.steps[1].selection == nil)
        #expect(lesson.steps[1].controls == [.input, .head, .topK])
        #expect(lesson.steps[2].controls == [])
        #expect(lesson.steps[2].selection?.key == .token("'"))
        #expect(lesson.steps[2].selection?.layer == nil)
    }

    @Test func selectTemperatureAndK() throws {
        let lesson = try parseClean(lessonText("""
            # Step 1: Sampling
            @select temperature=0.5 k=6
            @controls input, query, temperature, top-k
            Text.
            # Step 2: Only k
            @select k=1 query=last
            Text.
            # Step 3: The ends of the range
            @select temperature=0.1
            Text.
            # Step 4: And the other
            @select temperature=5
            Text.
            """))
        #expect(lesson.steps[0].selection == SelectionSpec(temperature: 0.5, k: 6, line: 9))
        #expect(lesson.steps[0].controls == [.input, .query, .temperature, .topK])
        #expect(lesson.steps[1].selection == SelectionSpec(query: .name("last"), k: 1, line: 13))
        #expect(lesson.steps[1].selection?.temperature == nil)
        #expect(lesson.steps[2].selection?.temperature == 0.1)
        #expect(lesson.steps[3].selection?.temperature == 5)
    }

    @Test func defaultControls() throws {
        let lesson = try parseClean(lessonText("# Step 1\nText."))
        #expect(lesson.steps[0].controls == [.input, .query, .key])
    }

    @Test func everyShowKind() throws {
        let lesson = try parseClean(lessonText("""
            # Step 1: Shows
            @show heatmap blocks.{layer}.attn.pattern
            @show matrix blocks.{layer}.attn.W_Q columns=0,1
            @show vector blocks.{layer}.attn.q decimals=3
            @show bars probs top=10 label="next word"
            @show plot pos_embed columns=10,11,12
            @show steps
            @show steps blocks.1.attn
            @show tokens
            @show vector exp(blocks.0.attn.masked[head, query] - max(blocks.0.attn.masked[head, query])) label="e^(s − max)"
            """))
        let shows = lesson.steps[0].blocks.compactMap { if case .show(let s) = $0 { return s } else { return nil } }
        #expect(shows.map(\.kind) == [.heatmap, .matrix, .vector, .bars, .plot, .steps, .steps, .tokens, .vector])
        #expect(shows.map(\.line) == Array(9...17))
        #expect(shows[0].expression == .name("blocks.{layer}.attn.pattern"))
        #expect(shows[1].columns == [0, 1])
        #expect(shows[2].decimals == 3)
        #expect(shows[3].top == 10 && shows[3].label == "next word")
        #expect(shows[4].columns == [10, 11, 12])
        #expect(shows[5].expression == nil)
        #expect(shows[6].expression == .name("blocks.1.attn"))
        #expect(shows[7].expression == nil)
        #expect(shows[8].label == "e^(s − max)")
        if case .call("exp", _) = shows[8].expression {} else { Issue.record("\(String(describing: shows[8].expression))") }
    }

    @Test func quizzes() throws {
        let lesson = try parseClean(lessonText("""
            # Step 1: Quizzes
            @quiz choice
            Which is right?
            - [ ] wrong
            - [x] right
            - [X] also right
            > Because.
            @end
            @quiz number blocks.0.attn.pattern[head, 'it', 'cat'] tolerance=0.05 decimals=3
            How much?
            @end
            @quiz number blocks.0.attn.scaled[head, query, key]
            And now?
            @end
            """))
        let quizzes = lesson.steps[0].quizzes
        #expect(quizzes.count == 3)
        #expect(quizzes.map(\.line) == [9, 16, 19])
        guard case .choice(let options) = quizzes[0].kind else { Issue.record("not a choice"); return }
        #expect(options.map(\.correct) == [false, true, true])
        #expect(options.map(\.line) == [11, 12, 13])
        #expect(quizzes[0].explanation?.lines.first?.line == 14)
        #expect(quizzes[0].question.lines.count == 1)
        guard case .number(let answer, let tolerance, let decimals, _) = quizzes[1].kind else { Issue.record("not a number"); return }
        #expect(answer == .index(.name("blocks.0.attn.pattern"), [.name("head"), .token("it"), .token("cat")]))
        #expect(tolerance == 0.05 && decimals == 3)
        guard case .number(_, let defaultTolerance, nil, _) = quizzes[2].kind else { Issue.record("not a number"); return }
        #expect(defaultTolerance == 0.01)
    }

    @Test func windowsLineEndingsAndByteOrderMark() throws {
        let text = "\u{FEFF}" + lessonText("# Step 1: A\nText {{ dh }}.\n").replacingOccurrences(of: "\n", with: "\r\n")
        let lesson = try parseClean(text)
        #expect(lesson.id == "test")
        #expect(lesson.steps[0].title == "Step 1: A")
    }
}

@Suite struct ParsingMistakes {
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var text: String
        var expected: [String]
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "unknown directive", text: lessonText("# Step 1\nText.\n@foo bar"),
             expected: ["10: unknown directive @foo (directives: @select, @controls, @mask, @model, @input, @compare, @show, @quiz, @if, @else, @expect, @end; write \\@ to begin a line of text with @)"]),
        Case(name: "unknown show kind", text: lessonText("# Step 1\nText.\n@show hatmap blocks.0.attn.pattern"),
             expected: ["10: unknown @show kind 'hatmap' (kinds: heatmap, matrix, vector, bars, plot, steps, tokens, params, safetensors, block, compare)"]),
        Case(name: "show without kind", text: lessonText("# Step 1\nText.\n@show"),
             expected: ["10: @show needs a kind: heatmap, matrix, vector, bars, plot, steps, tokens, params, safetensors, block, compare"]),
        Case(name: "show without name", text: lessonText("# Step 1\nText.\n@show heatmap"),
             expected: ["10: @show heatmap needs a hook or parameter name, e.g. @show heatmap blocks.{layer}.attn.pattern"]),
        Case(name: "tokens with a name", text: lessonText("# Step 1\nText.\n@show tokens embed"),
             expected: ["10: @show tokens takes no name (it shows the input's tokens)"]),
        Case(name: "unknown show option", text: lessonText("# Step 1\nText.\n@show bars probs colour=red"),
             expected: ["10: @show has no option 'colour' (options: top=, columns=, decimals=, label=)"]),
        Case(name: "top for a heatmap", text: lessonText("# Step 1\nText.\n@show heatmap probs top=3"),
             expected: ["10: top= is for @show bars"]),
        Case(name: "bad decimals option", text: lessonText("# Step 1\nText.\n@show vector embed decimals=12"),
             expected: ["10: decimals= needs a whole number from 0 to 9, got '12'"]),
        Case(name: "bad columns", text: lessonText("# Step 1\nText.\n@show plot pos_embed columns=a,b"),
             expected: ["10: columns= needs whole numbers separated by commas (columns=10,11,12), got 'a,b'"]),
        Case(name: "show name that cannot be read", text: lessonText("# Step 1\nText.\n@show vector blocks.0.attn.q[head"),
             expected: ["10: @show vector blocks.0.attn.q[head: expected ']' after the indices of blocks.0.attn.q, found the end"]),
        Case(name: "unknown control", text: lessonText("# Step 1\n@controls input, temp\nText."),
             expected: ["9: unknown control 'temp' (controls: input, target, layer, head, query, key, temperature, top-k, or none)"]),
        Case(name: "empty controls", text: lessonText("# Step 1\n@controls\nText."),
             expected: ["9: @controls needs a list, such as 'input, head, query' (or 'none')"]),
        Case(name: "two selects", text: lessonText("# Step 1\n@select head=1\n@select head=0\nText."),
             expected: ["10: a step has one @select (this step's first is on line 9)"]),
        Case(name: "two controls", text: lessonText("# Step 1\n@controls input\n@controls head\nText."),
             expected: ["10: a step has one @controls (this step's first is on line 9)"]),
        Case(name: "select without name=value", text: lessonText("# Step 1\n@select head 1\nText."),
             expected: ["9: @select: expected name=value, got 'head'"]),
        Case(name: "select of something else", text: lessonText("# Step 1\n@select token=1\nText."),
             expected: ["9: @select has no 'token' (it sets layer, head, query, key, temperature and k)"]),
        Case(name: "select of nothing", text: lessonText("# Step 1\n@select\nText."),
             expected: ["9: @select needs at least one of layer=, head=, query=, key=, temperature=, k="]),
        Case(name: "select temperature that is not a number", text: lessonText("# Step 1\n@select temperature=hot\nText."),
             expected: ["9: @select temperature= needs a number from 0.1 to 5, got 'hot'"]),
        Case(name: "select temperature of 0", text: lessonText("# Step 1\nText.\n@select temperature=0"),
             expected: ["10: @select temperature= needs a number from 0.1 to 5, got '0'"]),
        Case(name: "select negative temperature", text: lessonText("# Step 1\n@select head=1 temperature=-0.5\nText."),
             expected: ["9: @select temperature= needs a number from 0.1 to 5, got '-0.5'"]),
        Case(name: "select temperature above the range", text: lessonText("# Step 1\n@select temperature=8\nText."),
             expected: ["9: @select temperature= needs a number from 0.1 to 5, got '8'"]),
        Case(name: "select k of 0", text: lessonText("# Step 1\n@select k=0\nText."),
             expected: ["9: @select k= needs a whole number of 1 or more (top-k keeps the k likeliest tokens), got '0'"]),
        Case(name: "select k that is not whole", text: lessonText("# Step 1\nText.\n\n@select k=2.5"),
             expected: ["11: @select k= needs a whole number of 1 or more (top-k keeps the k likeliest tokens), got '2.5'"]),
        Case(name: "select k that is not a number", text: lessonText("# Step 1\n@select k=last\nText."),
             expected: ["9: @select k= needs a whole number of 1 or more (top-k keeps the k likeliest tokens), got 'last'"]),
        Case(name: "select negative k", text: lessonText("# Step 1\n@select k=-3 temperature=9\nText."),
             expected: ["9: @select k= needs a whole number of 1 or more (top-k keeps the k likeliest tokens), got '-3'",
                        "9: @select temperature= needs a number from 0.1 to 5, got '9'"]),
        Case(name: "missing field", text: lessonText("# Step 1\nText.", front: "---\nid: x\ntitle: X\nmodel: tiny-gpt\ninput: hi\n---"),
             expected: ["1: missing front-matter field 'summary'"]),
        Case(name: "empty field", text: lessonText("# Step 1\nText.", front: "---\nid: x\ntitle:\nsummary: s\nmodel: tiny-gpt\ninput: hi\n---"),
             expected: ["3: front-matter field 'title' is empty"]),
        Case(name: "unknown field", text: lessonText("# Step 1\nText.", front: "---\nid: x\ntitle: X\ntitel: X\nsummary: s\nmodel: tiny-gpt\ninput: hi\n---"),
             expected: ["4: unknown front-matter field 'titel' (fields: id, title, summary, model, input, target, builds-on, order)"]),
        Case(name: "field twice", text: lessonText("# Step 1\nText.", front: "---\nid: x\nid: y\ntitle: X\nsummary: s\nmodel: tiny-gpt\ninput: hi\n---"),
             expected: ["3: front-matter field 'id' is given twice (first on line 2)"]),
        Case(name: "not a field", text: lessonText("# Step 1\nText.", front: "---\nid: x\njust words\ntitle: X\nsummary: s\nmodel: tiny-gpt\ninput: hi\n---"),
             expected: ["3: expected 'field: value' in the front matter, got 'just words'"]),
        Case(name: "bad id", text: lessonText("# Step 1\nText.", front: "---\nid: Six Steps\ntitle: X\nsummary: s\nmodel: tiny-gpt\ninput: hi\n---"),
             expected: ["2: lesson id 'Six Steps' should be lower-case letters, digits and hyphens (e.g. 'six-steps')"]),
        Case(name: "bad order", text: lessonText("# Step 1\nText.", front: "---\nid: x\ntitle: X\nsummary: s\nmodel: tiny-gpt\ninput: hi\norder: first\n---"),
             expected: ["7: order must be a number, got 'first'"]),
        Case(name: "bad builds-on", text: lessonText("# Step 1\nText.", front: "---\nid: x\ntitle: X\nsummary: s\nmodel: tiny-gpt\ninput: hi\nbuilds-on: Six Steps\n---"),
             expected: ["7: builds-on names 'Six Steps', which is not a lesson id (lower-case letters, digits and hyphens)"]),
        Case(name: "no front matter", text: "# Step 1\nText.",
             expected: ["1: a lesson starts with front matter: a line '---', fields such as 'id: my-lesson', then '---'"]),
        Case(name: "front matter not closed", text: "---\nid: x\ntitle: X\n# Step 1\nText.",
             expected: ["1: the front matter is not closed: add a line '---' after its fields"]),
        Case(name: "text before the first step", text: lessonText("Hello.\nMore.\n# Step 1\nText."),
             expected: ["8: text before the first step: a step starts with a heading such as '# Step 1: …'"]),
        Case(name: "step without a title", text: lessonText("# Step 1\nText.\n#\nMore."),
             expected: ["10: a step needs a title: write it after '# '"]),
        Case(name: "empty step", text: lessonText("# Step 1\n\n# Step 2\nText."),
             expected: ["8: step 'Step 1' is empty: give it some text"]),
        Case(name: "no steps", text: lessonText(""),
             expected: ["7: the lesson has no steps: start one with a heading such as '# Step 1: …'"]),
        Case(name: "choice quiz without options", text: lessonText("# Step 1\n@quiz choice\nWhy?\n@end"),
             expected: ["9: a choice quiz needs options: lines '- [x] a right answer' and '- [ ] a wrong one'"]),
        Case(name: "choice quiz without a right answer", text: lessonText("# Step 1\n@quiz choice\nWhy?\n- [ ] a\n- [ ] b\n@end"),
             expected: ["9: a choice quiz needs a right answer: mark it '- [x]'"]),
        Case(name: "choice quiz with one option", text: lessonText("# Step 1\n@quiz choice\nWhy?\n- [x] a\n@end"),
             expected: ["9: a choice quiz needs at least two options"]),
        Case(name: "quiz without a question", text: lessonText("# Step 1\n@quiz choice\n- [x] a\n- [ ] b\n@end"),
             expected: ["9: a quiz needs a question: write it on the lines after @quiz"]),
        Case(name: "unterminated quiz", text: lessonText("# Step 1\n@quiz choice\nWhy?\n- [x] a\n- [ ] b"),
             expected: ["9: unterminated @quiz: add @end after its options"]),
        Case(name: "quiz cut by a step", text: lessonText("# Step 1\n@quiz choice\nWhy?\n- [x] a\n- [ ] b\n# Step 2\nText."),
             expected: ["9: unterminated @quiz: add @end after its options"]),
        Case(name: "quiz in a quiz", text: lessonText("# Step 1\n@quiz choice\nWhy?\n@quiz choice\n- [x] a\n- [ ] b\n@end"),
             expected: ["11: a @quiz inside a @quiz: the one on line 9 needs @end first"]),
        Case(name: "directive in a quiz", text: lessonText("# Step 1\n@quiz choice\nWhy?\n@show tokens\n- [x] a\n- [ ] b\n@end"),
             expected: ["11: @show inside a @quiz: end the quiz with @end first"]),
        Case(name: "end without quiz", text: lessonText("# Step 1\nText.\n@end"),
             expected: ["10: @end without a @quiz before it"]),
        Case(name: "quiz without kind", text: lessonText("# Step 1\nText.\n@quiz\nWhy?\n@end"),
             expected: ["10: @quiz needs a kind: choice, number or token"]),
        Case(name: "unknown quiz kind", text: lessonText("# Step 1\nText.\n@quiz essay\nWhy?\n@end"),
             expected: ["10: unknown quiz kind 'essay' (kinds: choice, number, token)"]),
        Case(name: "number quiz without answer", text: lessonText("# Step 1\nText.\n@quiz number\nHow much?\n@end"),
             expected: ["10: @quiz number needs the value the answer is checked against, e.g. @quiz number blocks.0.attn.pattern[head, query, key]"]),
        Case(name: "number quiz with options", text: lessonText("# Step 1\nText.\n@quiz number dh\nHow big?\n- [x] 8\n@end"),
             expected: ["12: a number or token quiz has no options: its answer is the value after @quiz"]),
        Case(name: "bad tolerance", text: lessonText("# Step 1\nText.\n@quiz number dh tolerance=-1\nHow big?\n@end"),
             expected: ["10: tolerance= needs a number of 0 or more, got '-1'"]),
        Case(name: "text after options", text: lessonText("# Step 1\n@quiz choice\nWhy?\n- [x] a\n- [ ] b\nMore question.\n@end"),
             expected: ["13: text after a quiz's options: put the question before them, an explanation after '> '"]),
        Case(name: "unclosed placeholder", text: lessonText("# Step 1\nThe size is {{ dh.\nText."),
             expected: ["9: a placeholder is not closed: '{{' needs '}}' on the same line"]),
        Case(name: "empty placeholder", text: lessonText("# Step 1\nThe size is {{ }}."),
             expected: ["9: an empty placeholder {{ }}"]),
        Case(name: "bad placeholder decimals", text: lessonText("# Step 1\nThe size is {{ dh | two }}."),
             expected: ["9: in {{ dh | two }}: the decimals after '|' must be a whole number from 0 to 9"]),
        Case(name: "placeholder that cannot be read", text: lessonText("# Step 1\nA {{ blocks.0.attn.q[head, ] }}."),
             expected: ["9: in {{ blocks.0.attn.q[head, ] }}: unexpected ']'"]),
        Case(name: "unclosed quote", text: lessonText("# Step 1\nA {{ token('it) }}."),
             expected: ["9: a placeholder is not closed: '{{' needs '}}' on the same line"]),
        Case(name: "control character", text: lessonText("# Step 1\nA \u{1B}[31mred\u{1B}[0m word."),
             expected: ["9: control character U+001B in the line (a lesson is plain text)"]),
        Case(name: "unclosed comment", text: lessonText("# Step 1\nText.\n<!-- never closed\nmore"),
             expected: ["10: a comment '<!--' is not closed with '-->'"]),
    ]

    @Test(arguments: cases)
    func reportsTheMistakeAtItsLine(_ mistake: Case) {
        #expect(parseErrors(mistake.text) == mistake.expected)
    }

    @Test func everyMistakeIsReportedNotJustTheFirst() {
        let errors = parseErrors(lessonText("# Step 1\n@foo\n@show hatmap x\n@controls sideways\nText {{ }}."))
        #expect(errors.map { $0.prefix(3) } == ["9: ", "10:", "11:", "12:"])
    }

    @Test func diagnosticsPrintAsFileLineMessage() {
        let diagnostic = LessonParser.parse(lessonText("# Step 1\n@foo"), file: "Lessons/x.md").diagnostics.first
        #expect(diagnostic?.description.hasPrefix("Lessons/x.md:9: unknown directive @foo") == true)
        #expect(LessonDiagnostic(file: "x.md", line: 0, message: "cannot read the file").description == "x.md: cannot read the file")
    }

    @Test func unreadableFileIsADiagnosticNotACrash() {
        let (lesson, diagnostics) = LessonParser.parse(contentsOf: "/nonexistent/lesson.md", name: "lesson.md")
        #expect(lesson == nil)
        #expect(diagnostics.map(\.description) == ["lesson.md: cannot read the file"])
    }
}
