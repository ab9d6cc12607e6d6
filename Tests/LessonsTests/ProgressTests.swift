import Foundation
import Testing
@testable import Lessons

@Suite struct ProgressFile {
    @Test func defaultPathFollowsXDG() {
        #expect(ProgressStore.defaultPath(environment: ["XDG_STATE_HOME": "/state", "HOME": "/home/ada"]) == "/state/explorer/progress.json")
        #expect(ProgressStore.defaultPath(environment: ["HOME": "/home/ada"]) == "/home/ada/.local/state/explorer/progress.json")
        #expect(ProgressStore.defaultPath(environment: ["XDG_STATE_HOME": "", "HOME": "/home/ada"]) == "/home/ada/.local/state/explorer/progress.json")
        // The spec says relative paths are to be ignored.
        #expect(ProgressStore.defaultPath(environment: ["XDG_STATE_HOME": "state", "HOME": "/home/ada"]) == "/home/ada/.local/state/explorer/progress.json")
        #expect(ProgressStore(environment: ["XDG_STATE_HOME": "/tmp/x"]).path == "/tmp/x/explorer/progress.json")
    }

    @Test func roundTrip() throws {
        let directory = try TemporaryDirectory()
        let store = ProgressStore(environment: ["XDG_STATE_HOME": directory.path])
        #expect(try store.load() == Progress())
        #expect(try store.progress(of: "six-steps") == LessonProgress())
        try store.record(lesson: "six-steps", step: 3)
        try store.record(lesson: "six-steps", step: 1)
        try store.record(lesson: "six-steps", quiz: "2.1", answer: "50", correct: false)
        try store.record(lesson: "six-steps", quiz: "2.1", answer: "56.31", correct: true)
        try store.record(lesson: "other", step: 0)
        let reopened = ProgressStore(path: directory.path + "/explorer/progress.json")
        let progress = try reopened.load()
        let sixSteps = progress["six-steps"]
        #expect(sixSteps.reached == 3)
        #expect(sixSteps.current == 1)
        #expect(sixSteps.answers["2.1"] == QuizAnswer(answer: "56.31", correct: true, tries: 2))
        #expect(sixSteps.isComplete(steps: 4) && !sixSteps.isComplete(steps: 6))
        #expect(progress.lessons.keys.sorted() == ["other", "six-steps"])
    }

    @Test func resetOneAndAll() throws {
        let directory = try TemporaryDirectory()
        let store = ProgressStore(path: directory.path + "/nested/progress.json")
        try store.record(lesson: "a", step: 2)
        try store.record(lesson: "b", step: 1)
        try store.reset(lesson: "a")
        #expect(try store.load().lessons.keys.sorted() == ["b"])
        try store.resetAll()
        #expect(!FileManager.default.fileExists(atPath: store.path))
        #expect(try store.load() == Progress())
        try store.resetAll()
    }

    @Test func writesAreAtomic() throws {
        let directory = try TemporaryDirectory()
        let store = ProgressStore(path: directory.path + "/progress.json")
        for step in 0..<20 { try store.record(lesson: "six-steps", step: step) }
        // Only the file itself: every temporary file was renamed into place.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["progress.json"])
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: store.path))) as? [String: Any]
        #expect((object?["lessons"] as? [String: Any])?["six-steps"] != nil)
    }

    @Test func aDamagedFileIsAClearErrorAndCanBeReset() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("progress.json", "{ not json")
        let store = ProgressStore(path: path)
        #expect(throws: ProgressError.self) { try store.load() }
        do { _ = try store.load() } catch let error as ProgressError {
            #expect(error.description.contains("damaged"))
        }
        try store.resetAll()
        #expect(try store.load() == Progress())
    }
}
