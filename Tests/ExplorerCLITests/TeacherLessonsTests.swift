import Foundation
import Testing

/// A teacher's own lessons: a file outside the Lessons folder, checked, listed from its folder and
/// run by path.
@Suite struct TeacherLessons {
    static let lessons = ("\(#filePath)" as NSString).deletingLastPathComponent + "/../../Lessons"

    /// A folder of the test's own holding `masks.md`, a copy of the bundled lesson with its title
    /// changed (the id stays `masks`, as a teacher's edited copy would).
    static func withEditedMasks<T>(_ body: (String, String) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("teacher-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let original = try String(contentsOfFile: lessons + "/masks.md", encoding: .utf8)
        #expect(original.contains("\ntitle: Masks\n"))
        let edited = original.replacingOccurrences(of: "\ntitle: Masks\n", with: "\ntitle: Masks, my way\n")
        let path = directory + "/masks.md"
        try Data(edited.utf8).write(to: URL(fileURLWithPath: path))
        return try body(directory, path)
    }

    @Test func anEditedCopyOfABundledLessonChecksClean() throws {
        try Self.withEditedMasks { _, path in
            let run = try CommandLine.run(["lessons", "check", path])
            #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
            #expect(!run.stdout.contains("duplicate lesson id"), "\(run.stdout)")
            #expect(run.stdout.contains("checked 1 lesson file: no mistakes"), "\(run.stdout)")
        }
    }

    @Test func aFolderOfLessonsIsListed() throws {
        try Self.withEditedMasks { directory, path in
            try Data("---\nid: broken\ntitle: Broken\n---\n".utf8).write(to: URL(fileURLWithPath: directory + "/broken.md"))
            let run = try CommandLine.run(["lessons", "--dir", directory])
            #expect(run.status == 0, "\(run.stderr)")
            let lines = run.stdout.split(separator: "\n")
            #expect(lines.count == 1, "\(run.stdout)")
            let line = try #require(lines.first)
            #expect(line.hasPrefix("masks"))
            #expect(line.contains("Masks, my way"))
            #expect(line.contains("7 steps"))
            #expect(run.stderr.contains("1 lesson file has mistakes"), "\(run.stderr)")

            let json = try CommandLine.run(["lessons", "--dir", directory, "--json"])
            let list = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]] ?? []
            #expect(list.map { $0["title"] as? String } == ["Masks, my way"])
            _ = path
        }
    }

    @Test func aFolderThatIsNotThereIsAnError() throws {
        let run = try CommandLine.run(["lessons", "--dir", "/nonexistent/lessons"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("/nonexistent/lessons: no such folder"))
    }

    @Test func aLessonFileWithAMistakeIsNotRun() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("teacher-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/oops.md"
        try Data("""
            ---
            id: oops
            title: Oops
            summary: A lesson with a mistake.
            model: tiny-gpt
            input: the cat sat on the mat
            ---
            # Step 1: Look
            @show hatmap blocks.0.attn.pattern
            """.utf8).write(to: URL(fileURLWithPath: path))
        for arguments in [["lesson", path], ["lesson", "oops", "--dir", directory], ["lesson", "oops.md", "--dir", directory]] {
            let run = try CommandLine.run(arguments)
            #expect(run.status == 1, "\(arguments)")
            let lines = run.stderr.split(separator: "\n").map(String.init)
            #expect(lines.contains { $0.hasPrefix("\(path):9: unknown @show kind 'hatmap'") }, "\(arguments): \(run.stderr)")
            #expect(!run.stderr.contains("no lesson"), "\(run.stderr)")
        }
    }

    @Test func aMissingLessonFileIsReported() throws {
        let run = try CommandLine.run(["lesson", "/nonexistent/lesson.md"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("/nonexistent/lesson.md: cannot read the file"), "\(run.stderr)")
    }

    @Test func aLessonFromAFolderIsFoundById() throws {
        try Self.withEditedMasks { directory, _ in
            let run = try CommandLine.run(["lesson", "six-steps", "--dir", directory])
            #expect(run.status == 1)
            #expect(run.stderr.contains("no lesson 'six-steps'"), "\(run.stderr)")
            #expect(run.stderr.contains("lessons: masks"), "\(run.stderr)")
        }
    }

    /// A lesson from a file keeps its progress under its own key, so resetting it leaves the bundled
    /// lesson's alone.
    @Test func aLessonFileHasItsOwnProgress() throws {
        try Self.withEditedMasks { directory, path in
            try LessonsCommandLine.withState { environment, state in
                let file = state + "/explorer/progress.json"
                try FileManager.default.createDirectory(atPath: state + "/explorer", withIntermediateDirectories: true)
                let key = "file:" + URL(fileURLWithPath: path).resolvingSymlinksInPath().path
                let progress: [String: Any] = ["lessons": [
                    "masks": ["reached": 6, "current": 6, "answers": [String: Any]()],
                    key: ["reached": 2, "current": 2, "answers": [String: Any]()],
                ]]
                try JSONSerialization.data(withJSONObject: progress).write(to: URL(fileURLWithPath: file))
                let listed = try CommandLine.run(["lessons", "--dir", directory], environment: environment)
                #expect(listed.stdout.contains("at step 3"), "\(listed.stdout)")
                let reset = try CommandLine.run(["lesson", path, "--reset-progress"], environment: environment)
                #expect(reset.status == 0, "\(reset.stderr)")
                #expect(reset.stdout.contains("progress of \(key) cleared"), "\(reset.stdout)")
                let saved = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any]
                let lessons = saved?["lessons"] as? [String: Any] ?? [:]
                #expect(Set(lessons.keys) == ["masks"])
            }
        }
    }

    /// `lessons --dir DIR --reset-progress` forgets the folder's lessons only.
    @Test func resettingAFolderLeavesTheOtherLessons() throws {
        try Self.withEditedMasks { directory, path in
            try LessonsCommandLine.withState { environment, state in
                let file = state + "/explorer/progress.json"
                try FileManager.default.createDirectory(atPath: state + "/explorer", withIntermediateDirectories: true)
                let key = "file:" + URL(fileURLWithPath: path).resolvingSymlinksInPath().path
                let progress: [String: Any] = ["lessons": [
                    "masks": ["reached": 6, "current": 6, "answers": [String: Any]()],
                    key: ["reached": 6, "current": 6, "answers": [String: Any]()],
                ]]
                try JSONSerialization.data(withJSONObject: progress).write(to: URL(fileURLWithPath: file))
                #expect(try CommandLine.run(["lessons", "--dir", directory], environment: environment).stdout.contains("done"))
                let reset = try CommandLine.run(["lessons", "--dir", directory, "--reset-progress"], environment: environment)
                #expect(reset.status == 0, "\(reset.stderr)")
                #expect(reset.stdout.contains("Cleared your progress in the 1 lesson file of"), "\(reset.stdout)")
                let saved = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any]
                #expect(Set((saved?["lessons"] as? [String: Any] ?? [:]).keys) == ["masks"])
                #expect(!(try CommandLine.run(["lessons", "--dir", directory], environment: environment).stdout.contains("done")))
            }
        }
    }

    @Test func aStepOutsideTheLessonFileIsAUsageError() throws {
        try Self.withEditedMasks { _, path in
            let run = try CommandLine.run(["lesson", path, "--step", "9"])
            #expect(run.status == 64)
            #expect(run.stderr.contains("--step must be from 1 to 7"), "\(run.stderr)")
        }
    }
}
