import Foundation
import Tokenizers

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How far a learner got in each lesson: saved as JSON in
/// `$XDG_STATE_HOME/explorer/progress.json` (by default `~/.local/state/explorer/progress.json`).
public struct Progress: Codable, Sendable, Equatable {
    /// Progress by lesson id.
    public var lessons: [String: LessonProgress]

    public init(lessons: [String: LessonProgress] = [:]) { self.lessons = lessons }

    /// The progress of lesson `id` (empty if never started).
    public subscript(id: String) -> LessonProgress {
        get { lessons[id] ?? LessonProgress() }
        set { lessons[id] = newValue }
    }
}

/// One lesson's progress.
public struct LessonProgress: Codable, Sendable, Equatable {
    /// The furthest step reached (0-based).
    public var reached: Int
    /// The step the learner was last on (0-based), to resume there.
    public var current: Int
    /// Answers by quiz id (`2.1`: step 2's first quiz).
    public var answers: [String: QuizAnswer]

    public init(reached: Int = 0, current: Int = 0, answers: [String: QuizAnswer] = [:]) {
        self.reached = reached; self.current = current; self.answers = answers
    }

    /// Whether the learner reached the last of `steps` steps.
    public func isComplete(steps: Int) -> Bool { steps > 0 && reached >= steps - 1 }
}

/// The learner's latest answer to a quiz.
public struct QuizAnswer: Codable, Sendable, Equatable {
    public var answer: String
    public var correct: Bool
    /// How many answers they gave (right or wrong).
    public var tries: Int

    public init(answer: String, correct: Bool, tries: Int = 1) {
        self.answer = answer; self.correct = correct; self.tries = tries
    }
}

/// Why the progress file could not be read or written.
public struct ProgressError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "\(path): \(reason)" }
}

/// Reads and writes the progress file. Every change rewrites the whole file atomically (a temporary
/// file beside it, then a rename), so a crash never leaves half a file.
public struct ProgressStore: Sendable {
    /// The progress file.
    public let path: String

    /// The store at `path`.
    public init(path: String) { self.path = path }

    /// The store at the default place for `environment`.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.init(path: Self.defaultPath(environment: environment))
    }

    /// `$XDG_STATE_HOME/explorer/progress.json`, or `~/.local/state/explorer/progress.json`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let state = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty || !$0.hasPrefix("/") ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) as NSString).appendingPathComponent(".local/state")
        return (state as NSString).appendingPathComponent("explorer/progress.json")
    }

    /// The saved progress; empty when there is no file yet.
    public func load() throws -> Progress {
        guard FileManager.default.fileExists(atPath: path) else { return Progress() }
        let data: Data
        do { data = try RegularFile.read(path) } catch {
            throw ProgressError(path: path, reason: "cannot read the progress file (it \(error))")
        }
        do {
            return try JSONDecoder().decode(Progress.self, from: data)
        } catch {
            throw ProgressError(path: path, reason: "the progress file is damaged (`explorer lessons --reset-progress` starts afresh)")
        }
    }

    /// The progress of one lesson.
    public func progress(of lesson: String) throws -> LessonProgress { try load()[lesson] }

    /// Records that the learner is on `step` of `lesson` (and has reached it).
    @discardableResult
    public func record(lesson: String, step: Int) throws -> LessonProgress {
        try update { progress in
            progress[lesson].current = step
            progress[lesson].reached = max(progress[lesson].reached, step)
        }[lesson]
    }

    /// Records an answer to quiz `quiz` (its id, `2.1`) of `lesson`.
    @discardableResult
    public func record(lesson: String, quiz: String, answer: String, correct: Bool) throws -> LessonProgress {
        try update { progress in
            let tries = (progress[lesson].answers[quiz]?.tries ?? 0) + 1
            progress[lesson].answers[quiz] = QuizAnswer(answer: answer, correct: correct, tries: tries)
        }[lesson]
    }

    /// Forgets one lesson's progress.
    public func reset(lesson: String) throws {
        try update { $0.lessons[lesson] = nil }
    }

    /// Forgets all progress (removes the file; a damaged file too).
    public func resetAll() throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        do { try FileManager.default.removeItem(atPath: path) } catch {
            throw ProgressError(path: path, reason: "cannot remove the progress file")
        }
    }

    /// Loads, changes and saves the progress.
    @discardableResult
    public func update(_ change: (inout Progress) -> Void) throws -> Progress {
        var progress = try load()
        change(&progress)
        try save(progress)
        return progress
    }

    /// Writes `progress` to a temporary file beside the progress file, then renames it into place.
    public func save(_ progress: Progress) throws {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ProgressError(path: path, reason: "cannot create the folder \(directory)")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(progress)
        let temporary = (directory as NSString).appendingPathComponent(".progress.json.\(getpid()).\(UUID().uuidString).tmp")
        guard FileManager.default.createFile(atPath: temporary, contents: data),
              let handle = FileHandle(forWritingAtPath: temporary) else {
            throw ProgressError(path: path, reason: "cannot write a temporary file in \(directory)")
        }
        try? handle.synchronize()
        try? handle.close()
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw ProgressError(path: path, reason: "cannot rename the temporary file into place")
        }
    }
}
