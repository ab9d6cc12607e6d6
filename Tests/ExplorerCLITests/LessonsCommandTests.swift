import Foundation
import Testing

/// `explorer lessons`, `lessons --json`, `lessons check` and `--reset-progress`, run as a user runs them.
@Suite struct LessonsCommandLine {
    /// A state directory of the test's own, so a real user's progress is never read or touched.
    static func withState<T>(_ body: ([String: String], String) throws -> T) throws -> T {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("cli-state-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        return try body(["XDG_STATE_HOME": state], state)
    }

    @Test func listsTheLessons() throws {
        try Self.withState { environment, _ in
            let run = try CommandLine.run(["lessons"], environment: environment)
            #expect(run.status == 0, "\(run.stderr)")
            let line = try #require(run.stdout.split(separator: "\n").first { $0.hasPrefix("six-steps") })
            #expect(line.contains("Attention in six steps"))
            #expect(line.contains("6 steps"))
        }
    }

    @Test func listsTheLessonsAsJSON() throws {
        let run = try CommandLine.run(["lessons", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let list = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]] ?? []
        let sixSteps = try #require(list.first { $0["id"] as? String == "six-steps" })
        #expect(sixSteps["title"] as? String == "Attention in six steps")
        #expect(sixSteps["steps"] as? Int == 6)
        #expect(list.allSatisfy { Set($0.keys) == ["id", "title", "steps"] })
    }

    @Test func checksTheBundledLessons() throws {
        let run = try CommandLine.run(["lessons", "check"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("no mistakes"))
    }

    @Test func checksAGoodFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cli-lesson-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/good.md"
        try Data("""
            ---
            id: good-one
            title: Good
            summary: A lesson without mistakes.
            model: tiny-gpt
            input: the cat sat on the mat because it was tired
            builds-on: six-steps
            ---
            # Step 1: Look
            @select head=1 query='it' key='cat'
            **{{ token(query) }}** gives **{{ token(key) }}** {{ blocks.0.attn.pattern[head, query, key] | 2 }}.
            @show heatmap blocks.{layer}.attn.pattern
            """.utf8).write(to: URL(fileURLWithPath: path))
        let run = try CommandLine.run(["lessons", "check", path])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("checked 1 lesson file: no mistakes"))
    }

    @Test func previewsALessonOnAnotherSentence() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cli-lesson-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/preview.md"
        try Data("""
            ---
            id: preview-one
            title: Preview
            summary: A lesson to print.
            model: tiny-gpt
            input: the cat sat on the mat because it was tired
            ---
            # Step 1: Look
            @select head=1 query='it' key='cat'
            **{{ token(query) }}** gives **{{ token(key) }}** {{ blocks.0.attn.pattern[head, query, key] | 2 }}.
            @show bars blocks.{layer}.attn.pattern[head, query]
            @quiz number query tolerance=0
            Which position is it?
            @end
            # Step 2: Open
            @model tiny-bert
            {{ token(0) }} under the {{ mask }} mask.
            """.utf8).write(to: URL(fileURLWithPath: path))
        let run = try CommandLine.run(["lessons", "preview", path, "--input", "the cat ran because it was hungry"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("# Step 1: Look"))
        #expect(run.stdout.contains("it gives cat 1.00."), "the preview is clean text, without ** markers")
        #expect(run.stdout.contains("answer: 4.00 (± 0.0)"))
        #expect(run.stdout.contains("(model: tiny-bert; mask: bidirectional;"))
        #expect(run.stdout.contains("[CLS] under the bidirectional mask."))
    }

    @Test func checksABadFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cli-lesson-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/bad.md"
        try Data("""
            ---
            id: bad-one
            title: Bad
            summary: A lesson with mistakes.
            model: tiny-gpt
            input: the cat sat on the mat
            ---
            # Step 1: Oops
            A {{ blocks.0.attn.patern[head, query, key] }} and {{ blocks.0.attn.pattern[head, 'dog', 0] }}.
            @show hatmap blocks.0.attn.pattern
            @quiz choice
            Which?
            - [ ] none is right
            """.utf8).write(to: URL(fileURLWithPath: path))
        let run = try CommandLine.run(["lessons", "check", path])
        #expect(run.status == 1)
        #expect(!run.stderr.contains("Fatal error"))
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("\(path):9: in {{ blocks.0.attn.patern[head, query, key] }}: unknown hook or parameter 'blocks.0.attn.patern' (did you mean 'blocks.0.attn.pattern'?)"), "\(run.stdout)")
        #expect(lines.contains { $0.hasPrefix("\(path):9: in {{ blocks.0.attn.pattern[head, 'dog', 0] }}: unknown token 'dog'") })
        #expect(lines.contains { $0.hasPrefix("\(path):10: unknown @show kind 'hatmap'") })
        #expect(lines.contains("\(path):11: unterminated @quiz: add @end after its options"))
        #expect(lines.last == "4 mistakes in 1 of 1 lesson file")
    }

    @Test func aMissingFileIsReported() throws {
        let run = try CommandLine.run(["lessons", "check", "/nonexistent/lesson.md"])
        #expect(run.status == 1)
        #expect(run.stdout.contains("/nonexistent/lesson.md: cannot read the file"))
    }

    @Test func resetProgressClearsIt() throws {
        try Self.withState { environment, state in
            let file = state + "/explorer/progress.json"
            try FileManager.default.createDirectory(atPath: state + "/explorer", withIntermediateDirectories: true)
            try Data(#"{"lessons":{"six-steps":{"reached":5,"current":5,"answers":{}}}}"#.utf8).write(to: URL(fileURLWithPath: file))
            let listed = try CommandLine.run(["lessons"], environment: environment)
            #expect(listed.stdout.contains("done"))
            let run = try CommandLine.run(["lessons", "--reset-progress"], environment: environment)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("Cleared"))
            #expect(!FileManager.default.fileExists(atPath: file))
        }
    }
}
