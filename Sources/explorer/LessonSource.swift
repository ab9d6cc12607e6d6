import ArgumentParser
import Foundation
import Lessons

/// Where `explorer lesson` finds its lesson: among the bundled ones by id, in a folder given with
/// `--dir` by id, or in a file given by path.
///
/// A lesson that is not a bundled one is known to the app, and keeps its progress, under
/// `file:` followed by its file's absolute path (`file:/home/me/lessons/masks.md`), so a teacher's
/// edited copy of a bundled lesson never shares the bundled lesson's progress, and two copies in
/// two folders never share theirs.
enum LessonSource {
    /// The key a lesson read from `path` is known and saved by.
    static func progressKey(file path: String) -> String {
        "file:" + absolute(path)
    }

    /// `path` from the root, with `.`, `..` and symbolic links resolved.
    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// Whether `argument` names a lesson file rather than an id: a file that exists, or a name
    /// ending in `.md`.
    static func namesFile(_ argument: String) -> Bool {
        argument.hasSuffix(".md") || FileManager.default.fileExists(atPath: argument)
    }

    /// The lesson `argument` names, ready to run: from the file it names, from `directory` by id, or
    /// the bundled one. A lesson from a file comes back with its `id` set to its progress key. Parse
    /// mistakes are printed as `FILE:LINE: message` and end the command with status 1.
    static func find(_ argument: String, directory: String?) throws -> Lesson {
        if let directory {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder), isFolder.boolValue else {
                printError("Error: \(directory): no such folder")
                throw ExitCode(1)
            }
            if namesFile(argument) && !FileManager.default.fileExists(atPath: argument) {
                // `--dir lessons masks.md`: the file in that folder.
                return try file((directory as NSString).appendingPathComponent(argument))
            }
            if namesFile(argument) { return try file(argument) }
            let library = folder(directory)
            if library.lesson(id: argument) == nil, let broken = library.parsed.first(where: { $0.id == argument }) {
                for diagnostic in library.diagnostics where diagnostic.file == broken.file { printError(diagnostic.description) }
                throw ExitCode(1)
            }
            return keyed(try library.find(argument))
        }
        if namesFile(argument) { return try file(argument) }
        return try LessonLibrary.bundled().find(argument)
    }

    /// The lessons of `directory`, read beside the bundled ones (so `builds-on` may name those, and a
    /// lesson of the folder with a bundled lesson's id is that folder's).
    static func folder(_ directory: String) -> LessonLibrary {
        LessonLibrary.load(files: LessonLibrary.lessonFiles(in: directory), alongside: LessonLibrary.bundled().parsed)
    }

    /// A lesson read from a file, its id set to its progress key.
    static func keyed(_ lesson: Lesson) -> Lesson {
        var lesson = lesson
        lesson.id = progressKey(file: lesson.file)
        return lesson
    }

    /// The lesson in the file at `path`, its id set to its progress key.
    static func file(_ path: String) throws -> Lesson {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            printError("Error: \(path) is a folder: give a lesson file, or the folder with --dir and a lesson id")
            throw ExitCode(1)
        }
        let (parsed, diagnostics) = LessonParser.parse(contentsOf: path)
        for diagnostic in diagnostics { printError(diagnostic.description) }
        guard var lesson = parsed, diagnostics.isEmpty else { throw ExitCode(1) }
        lesson.id = progressKey(file: path)
        return lesson
    }
}
