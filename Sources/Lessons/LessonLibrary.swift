import Foundation
import Transformer

/// The lessons of a folder (every `*.md` but `README.md`), in curriculum order, with what is wrong
/// with any of them.
public struct LessonLibrary: Sendable {
    /// The lessons without mistakes the parser can see, in curriculum order: a lesson comes after
    /// those it builds on, then by `order`, then by id.
    public private(set) var lessons: [Lesson]
    /// Every lesson whose front matter could be read, mistakes or not (what `check` runs on).
    public private(set) var parsed: [Lesson]
    /// The parser's mistakes and those across files (duplicate ids, unknown or circular `builds-on`).
    public private(set) var diagnostics: [LessonDiagnostic]
    /// The files read, in order.
    public private(set) var files: [String]

    /// The lessons shipped with the program (`Lessons/` under the resource root); empty when it was
    /// not found.
    public static func bundled(locator: ResourceLocator = ResourceLocator()) -> LessonLibrary {
        guard let directory = locator.lessons else { return LessonLibrary(files: [], names: [], alongside: []) }
        return load(directory: directory)
    }

    /// The lesson files of `directory`: every `*.md` but `README.md`, by name.
    public static func lessonFiles(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".md") && $0 != "README.md" }.sorted()
            .map { (directory as NSString).appendingPathComponent($0) }
    }

    /// Reads every lesson file of `directory`.
    public static func load(directory: String) -> LessonLibrary {
        let files = lessonFiles(in: directory)
        return LessonLibrary(files: files, names: files, alongside: [])
    }

    /// Reads the given files. `names` are how messages name them (default: the paths). `alongside`
    /// are lessons from other files that these will live beside (the bundled ones, when checking a
    /// new lesson): `builds-on` may name them. A given file with the id of one of them stands in for
    /// it (a teacher's edited copy of a bundled lesson is checked on its own, not as a duplicate);
    /// only two given files with one id are a mistake.
    public static func load(files: [String], names: [String]? = nil, alongside: [Lesson] = []) -> LessonLibrary {
        LessonLibrary(files: files, names: names ?? files, alongside: alongside)
    }

    init(files: [String], names: [String], alongside: [Lesson]) {
        self.files = files
        var parsed: [Lesson] = []
        var diagnostics: [LessonDiagnostic] = []
        var clean = Set<String>()
        for (path, name) in zip(files, names) {
            let (lesson, problems) = LessonParser.parse(contentsOf: path, name: name)
            diagnostics += problems
            if let lesson {
                parsed.append(lesson)
                if problems.isEmpty { clean.insert(lesson.file + "\u{0}" + lesson.id) }
            }
        }
        // One id, one lesson among the given files; a given file replaces a lesson alongside with its id.
        let given = Set(parsed.map(\.id))
        var first: [String: Lesson] = Dictionary(alongside.filter { !given.contains($0.id) }.map { ($0.id, $0) },
                                                 uniquingKeysWith: { a, _ in a })
        var duplicates = Set<String>()
        for lesson in parsed {
            if let earlier = first[lesson.id] {
                diagnostics.append(LessonDiagnostic(file: lesson.file, line: lesson.line(of: "id"),
                                                    message: "duplicate lesson id '\(lesson.id)' (also in \(earlier.file):\(earlier.line(of: "id")))"))
                duplicates.insert(lesson.file + "\u{0}" + lesson.id)
            } else {
                first[lesson.id] = lesson
            }
        }
        // builds-on names lessons that exist, without going round in a circle.
        let known = Set(first.keys)
        for lesson in parsed {
            for other in lesson.buildsOn where !known.contains(other) {
                diagnostics.append(LessonDiagnostic(file: lesson.file, line: lesson.line(of: "builds-on"),
                                                    message: "builds-on names '\(other)', which is not a lesson (lessons: \(known.sorted().joined(separator: ", ")))"))
            }
            if lesson.buildsOn.contains(lesson.id) {
                diagnostics.append(LessonDiagnostic(file: lesson.file, line: lesson.line(of: "builds-on"),
                                                    message: "lesson '\(lesson.id)' builds on itself"))
            } else if let cycle = Self.cycle(from: lesson.id, in: first) {
                diagnostics.append(LessonDiagnostic(file: lesson.file, line: lesson.line(of: "builds-on"),
                                                    message: "builds-on goes round in a circle: \(cycle.joined(separator: " → "))"))
            }
        }
        self.parsed = parsed
        self.diagnostics = diagnostics.sorted()
        let usable = parsed.filter {
            let key = $0.file + "\u{0}" + $0.id
            return clean.contains(key) && !duplicates.contains(key)
        }
        lessons = Self.curriculumOrder(usable)
    }

    /// A path of `builds-on` links from `id` back to itself, if there is one.
    static func cycle(from id: String, in lessons: [String: Lesson]) -> [String]? {
        var path: [String] = [id]
        var visited = Set<String>()
        func walk(_ current: String) -> Bool {
            for next in lessons[current]?.buildsOn ?? [] {
                if next == id { path.append(next); return true }
                if visited.insert(next).inserted {
                    path.append(next)
                    if walk(next) { return true }
                    path.removeLast()
                }
            }
            return false
        }
        return walk(id) ? path : nil
    }

    /// Lessons after those they build on; otherwise by `order` (none last), then id.
    static func curriculumOrder(_ lessons: [Lesson]) -> [Lesson] {
        func before(_ a: Lesson, _ b: Lesson) -> Bool {
            let (x, y) = (a.order ?? .infinity, b.order ?? .infinity)
            return x != y ? x < y : a.id < b.id
        }
        var remaining = lessons.sorted(by: before)
        let ids = Set(lessons.map(\.id))
        var placed = Set<String>()
        var ordered: [Lesson] = []
        while !remaining.isEmpty {
            // The first lesson whose prerequisites (among these lessons) are placed; a circle, which the
            // checker reports, is broken by taking the first lesson.
            let next = remaining.firstIndex { $0.buildsOn.allSatisfy { !ids.contains($0) || placed.contains($0) } } ?? 0
            let lesson = remaining.remove(at: next)
            placed.insert(lesson.id)
            ordered.append(lesson)
        }
        return ordered
    }

    /// The usable lesson called `id`.
    public func lesson(id: String) -> Lesson? { lessons.first { $0.id == id } }

    /// The usable lesson called `id`, or an error a command can print as one line: the lesson has
    /// mistakes, or there is none by that name (with the ids there are and a near one).
    public func find(_ id: String) throws -> Lesson {
        if let lesson = lesson(id: id) { return lesson }
        if let broken = parsed.first(where: { $0.id == id }) {
            throw LessonNotFound(message: "lesson '\(id)' (\(broken.file)) has mistakes: see `explorer lessons check`")
        }
        let ids = lessons.map(\.id)
        var message = "no lesson '\(id)'"
        if let near = Evaluator.closest(to: id, in: ids) { message += " (did you mean '\(near)'?)" }
        message += ids.isEmpty ? "; no lessons were found" : "; lessons: \(ids.joined(separator: ", "))"
        throw LessonNotFound(message: message)
    }

    /// Checks every lesson whose front matter could be read against a run of its model; returns
    /// these together with the parser's and cross-file mistakes, sorted by file and line.
    public func check(models: inout LessonChecker.Models) -> [LessonDiagnostic] {
        var all = diagnostics
        for lesson in parsed { all += LessonChecker.check(lesson, models: &models) }
        return all.sorted()
    }

    /// `check` with the catalog's models.
    public func check(catalog: ModelCatalog = ModelCatalog()) -> [LessonDiagnostic] {
        var models = LessonChecker.Models(catalog: catalog)
        return check(models: &models)
    }
}

/// Why `LessonLibrary.find` found no usable lesson: one line for the learner.
public struct LessonNotFound: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
