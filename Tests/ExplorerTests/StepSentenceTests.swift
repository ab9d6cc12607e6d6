import Foundation
import Lessons
import Testing
@testable import Explorer
import Terminal
import Transformer

/// A lesson step with its own sentence (`@input`) runs on it, and the learner edits that one there;
/// the other steps keep the lesson's sentence as the learner left it.
@Suite struct StepSentences {
    static let text = """
        ---
        id: own
        title: Own sentences
        summary: Steps with sentences of their own.
        model: tiny-gpt
        input: the cat sat on the mat
        ---
        # Step 1: The lesson's
        @controls input, query, key
        Tokens: {{ count(tokens) }}.
        # Step 2: Its own
        @input the dog ran home
        Tokens: {{ count(tokens) }}, first {{ token(1) }}.
        # Step 3: Two
        @compare the dog ran away
        @show compare blocks.0.attn.pattern
        """

    static func app() throws -> TestApp {
        let (parsed, diagnostics) = LessonParser.parse(text, file: "own.md")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let lesson = try #require(parsed)
        let app = try Fixtures.app(screen: .home, lessons: [lesson])
        app.apply { openLesson(&$0, LessonEntry(lesson)) }
        return app
    }

    static func type(_ app: TestApp, _ text: String) {
        app.press(.character("e"))
        for _ in 0..<40 { app.press(.backspace) }
        app.send(.paste(text))
        app.press(.enter)
    }

    @Test func aStepsOwnSentenceComesAndGoes() throws {
        let app = try Self.app()
        #expect(app.state.input.text == "the cat sat on the mat")
        Self.type(app, "the cat sat on the warm mat")
        app.press(.character("n"))
        // Step 2 runs on its own sentence, and its numbers are that run's.
        #expect(app.state.input.text == "the dog ran home")
        #expect(LessonRunner.pageText(app).contains("Tokens: 4, first dog."), "\(LessonRunner.pageText(app))")
        Self.type(app, "the dog ran far from home")
        #expect(LessonRunner.pageText(app).contains("Tokens: 6, first dog."))
        // Step 3 is back on the lesson's sentence as the learner left it.
        app.press(.character("n"))
        #expect(app.state.input.text == "the cat sat on the warm mat")
        // And step 2 keeps the learner's edit of its own sentence.
        app.press(.character("p"))
        #expect(app.state.input.text == "the dog ran far from home")
        app.press(.character("p"))
        #expect(app.state.input.text == "the cat sat on the warm mat")
        #expect(LessonRunner.pageText(app).contains("Tokens: 7."))
    }

    @Test func aCompareStepShowsBothSentencesAndTheirDifference() throws {
        let app = try Self.app()
        app.press(.character("n"))
        app.press(.character("n"))
        let page = LessonRunner.pageText(app)
        #expect(page.contains("A: the cat sat on the mat") && page.contains("B: the dog ran away"), "\(page)")
        #expect(page.contains("B − A") && page.contains("only in A: cat sat on the mat · only in B: dog ran away"), "\(page)")
    }
}
