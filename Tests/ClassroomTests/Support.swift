import Foundation
@testable import Classroom
import Explorer
import Lessons
import Terminal
import Transformer

/// The bundled model and lessons, a teacher's app, and a classroom around it, for the classroom's tests.
enum Support {
    static let root: String = {
        var path = "\(#filePath)" as NSString
        for _ in 0..<3 { path = path.deletingLastPathComponent as NSString }
        return path as String
    }()

    static func model(_ name: String) throws -> LoadedModel {
        try ModelDirectory.load(path: root + "/Models/\(name)", name: name, bundled: true)
    }

    static let sentence = "the animal didn't cross the street because it was too tired"

    static func library() -> LessonLibrary { LessonLibrary.load(directory: root + "/Lessons") }

    static func environment(lessons: [Lesson] = []) -> ExplorerEnvironment {
        ExplorerEnvironment(load: { try Support.model($0) }, lessons: lessons, progress: nil)
    }

    /// The teacher's app on tiny-gpt, its first run landed; on the explore screen, or at `lesson`'s first step.
    static func teacher(lesson id: String? = nil, width: Int = 120, height: Int = 40) throws -> Program {
        let lessons = library().lessons
        let entries = [ModelCatalog.Entry(name: "tiny-gpt", architecture: "decoder", path: root + "/Models/tiny-gpt", bundled: true)]
        var state = AppState(input: RunInput(model: "tiny-gpt", text: sentence), models: entries, width: width, height: height,
                             screen: .explore)
        state.lessons = lessons.map(LessonEntry.init)
        let program = Program(state: state, store: RunStore(), environment: environment(lessons: lessons))
        program.apply { startingEffects(&$0) }
        program.settle()
        if let id {
            let lesson = try library().find(id)
            program.apply { openLesson(&$0, LessonEntry(lesson)) }
            program.settle()
        }
        _ = program.frame()
        program.settle()
        return program
    }

    /// A classroom with the code "c0de" around `teacher`, its current frame published.
    static func classroom(_ teacher: Program, maxFollowers: Int = 200, keysPerSecond: Double = 1000,
                          keyBurst: Double = 1000) -> Classroom {
        let classroom = Classroom(options: .init(code: "c0de", maxFollowers: maxFollowers, keysPerSecond: keysPerSecond,
                                                 keyBurst: keyBurst, ownThreads: 1),
                                  environment: environment(lessons: library().lessons))
        publish(teacher, to: classroom)
        return classroom
    }

    static func publish(_ teacher: Program, to classroom: Classroom) {
        classroom.publish(state: teacher.state, store: teacher.store, canvas: teacher.frame(), changedAt: epochMilliseconds())
    }

    /// Joins with the right code.
    static func join(_ classroom: Classroom, size: FollowerSize? = nil) async throws -> Follower {
        guard case .joined(let follower) = await classroom.admit(code: "c0de", address: "127.0.0.1", size: size) else {
            throw Failure("the right code was refused")
        }
        return follower
    }

    /// Waits for the follower's own-mode work to be done, then takes the newest frame waiting (nil: none).
    static func settledFrame(_ classroom: Classroom, _ follower: Follower) -> Mailbox.Frame? {
        classroom.pool.waitUntilIdle()
        return follower.mailbox.take().frame
    }

    /// A frame's state object.
    static func state(_ frame: Mailbox.Frame?) throws -> [String: Any] {
        guard let frame, let object = try JSONSerialization.jsonObject(with: Data(frame.state.utf8)) as? [String: Any] else {
            throw Failure("no frame")
        }
        return object
    }

    /// A frame's canvas as text, one line per row.
    static func text(_ frame: Mailbox.Frame?) throws -> String {
        guard let frame else { throw Failure("no frame") }
        let canvas = try ScreenCoding.decode(try JSONSerialization.jsonObject(with: Data(frame.screen.utf8)))
        return (0..<canvas.height).map { y in (0..<canvas.width).map { canvas[$0, y].text }.joined() }.joined(separator: "\n")
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
