import ArgumentParser
import Foundation
import Lessons
import Terminal
import Transformer

/// `explorer lessons`: the lessons in curriculum order; `check` for lesson files; `--reset-progress`.
struct LessonsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lessons",
        abstract: "List the lessons, check lesson files, or clear your progress.",
        discussion: """
            Lessons are Markdown files in the Lessons folder (its README.md describes the format). \
            Your progress is kept in $XDG_STATE_HOME/explorer/progress.json (by default \
            ~/.local/state/explorer/progress.json).
            """,
        subcommands: [Check.self, Preview.self])

    @Flag(name: .long, help: "Print a JSON list of {id, title, steps}.")
    var json = false

    @Flag(name: .customLong("reset-progress"), help: "Forget your progress in every lesson (with --dir: in the folder's lessons only).")
    var resetProgress = false

    @Option(name: .long, help: ArgumentHelp("List the lesson files of this folder instead of the bundled lessons (run one with `explorer lesson ID --dir DIR`).", valueName: "DIR"))
    var dir: String?

    func run() throws {
        if let dir {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir, isDirectory: &isFolder), isFolder.boolValue else {
                printError("Error: \(dir): no such folder")
                throw ExitCode(1)
            }
        }
        if resetProgress, let dir {
            // Only the folder's lessons (every lesson file of it, mistakes or not).
            let keys = LessonLibrary.lessonFiles(in: dir).map { LessonSource.progressKey(file: $0) }
            try ProgressStore().update { progress in for key in keys { progress.lessons[key] = nil } }
            print("Cleared your progress in the \(keys.count) lesson file\(keys.count == 1 ? "" : "s") of \(Sanitizer.sanitize(dir)).")
            return
        }
        if resetProgress {
            let store = ProgressStore()
            try store.resetAll()
            print("Cleared your progress in every lesson (\(Sanitizer.sanitize(store.path))).")
            return
        }
        let library: LessonLibrary
        if let dir {
            library = LessonSource.folder(dir)
        } else {
            library = LessonLibrary.bundled()
        }
        // A folder's lessons keep their progress under their files' keys (see LessonSource).
        func progressKey(_ lesson: Lesson) -> String { dir == nil ? lesson.id : LessonSource.progressKey(file: lesson.file) }
        if json {
            struct Entry: Encodable { var id: String; var title: String; var steps: Int }
            try printJSON(library.lessons.map { Entry(id: $0.id, title: $0.title, steps: $0.steps.count) })
        } else {
            let progress = (try? ProgressStore().load()) ?? Progress()
            let width = max(12, library.lessons.map(\.id.count).max() ?? 0) + 2
            let titleWidth = max(20, library.lessons.map(\.title.count).max() ?? 0) + 2
            for lesson in library.lessons {
                let steps = "\(lesson.steps.count) step\(lesson.steps.count == 1 ? "" : "s")"
                var line = Sanitizer.sanitize(lesson.id).padded(to: width) + Sanitizer.sanitize(lesson.title).padded(to: titleWidth) + steps
                if let mine = progress.lessons[progressKey(lesson)] {
                    line += mine.isComplete(steps: lesson.steps.count) ? "   done" : "   at step \(mine.reached + 1)"
                }
                print(line)
            }
            if library.lessons.isEmpty { print("(no lessons found)") }
        }
        let broken = Set(library.diagnostics.map(\.file))
        if !broken.isEmpty {
            let check = dir == nil ? "explorer lessons check" : "explorer lessons check FILE"
            printError("note: \(broken.count) lesson file\(broken.count == 1 ? " has" : "s have") mistakes and \(broken.count == 1 ? "is" : "are") left out (see `\(check)`)")
        }
    }

    /// `explorer lessons preview FILE`: every step evaluated on the lesson's sentence (or `--input`),
    /// as plain text.
    struct Preview: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a lesson's steps as plain text, evaluated on its sentence.",
            discussion: """
                Runs the lesson's model on its input (or --input) and prints each step as a learner \
                would read it, with the live values, the pictures as numbers and the quizzes' answers.
                """)

        @Argument(help: ArgumentHelp("A lesson file.", valueName: "FILE"))
        var file: String

        @Option(name: .long, help: "A sentence of your own instead of the lesson's input.")
        var input: String?

        func run() throws {
            let (parsed, diagnostics) = LessonParser.parse(contentsOf: file)
            for diagnostic in diagnostics { printError(diagnostic.description) }
            guard let lesson = parsed, diagnostics.isEmpty else { throw ExitCode(1) }
            let catalog = ModelCatalog()
            let lessonContext: LessonContext
            do {
                let loaded = try catalog.load(lesson.model)
                lessonContext = try LessonContext(loaded: loaded, text: input ?? lesson.input, target: lesson.target)
            } catch {
                printError("Error: \(error)")
                throw ExitCode(1)
            }
            var selection: Selection?
            for index in lesson.steps.indices {
                let context: LessonContext
                do {
                    context = try LessonRuntime.context(for: lesson.steps[index], from: lessonContext) { try catalog.load($0) }
                } catch {
                    printError("Error: step \(index + 1): \(error)")
                    throw ExitCode(1)
                }
                let (start, problems) = LessonRuntime.startingSelection(for: lesson.steps[index], in: context, current: selection)
                selection = start
                for problem in problems { print(Sanitizer.sanitize(problem.learnerMessage)) }
                print(LessonPreview.text(LessonRuntime.evaluate(lesson, step: index, in: context, selection: start)))
            }
        }
    }

    /// `explorer lessons check [FILE…]`.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check lesson files against their models.",
            discussion: """
                Reads each file and runs its model on its input sentence, then checks every step: \
                directives, names of hooks and parameters, quoted tokens, indices and quizzes. Prints \
                each mistake as FILE:LINE: MESSAGE and exits with status 1 if there is any.
                """)

        @Argument(help: ArgumentHelp("Lesson files (default: every lesson in the Lessons folder).", valueName: "FILE"))
        var files: [String] = []

        func run() throws {
            let locator = ResourceLocator()
            let bundledDirectory = locator.lessons
            let library: LessonLibrary
            if files.isEmpty {
                guard let directory = bundledDirectory, FileManager.default.fileExists(atPath: directory) else {
                    printError("Error: no Lessons folder found (see `explorer --version`); give lesson files to check")
                    throw ExitCode(1)
                }
                let paths = LessonLibrary.lessonFiles(in: directory)
                library = LessonLibrary.load(files: paths, names: paths.map(Self.shown))
            } else {
                // The lessons already in the Lessons folder, so a new lesson can build on them and
                // cannot take one of their ids.
                let given = Set(files.map(Self.resolved))
                let alongside = bundledDirectory.map { LessonLibrary.load(directory: $0).parsed } ?? []
                library = LessonLibrary.load(files: files, names: files,
                                             alongside: alongside.filter { !given.contains(Self.resolved($0.file)) }
                                                 .map { var lesson = $0; lesson.file = Self.shown($0.file); return lesson })
            }
            let diagnostics = library.check(catalog: ModelCatalog(locator: locator))
            for diagnostic in diagnostics { ErrorPrinter.print(diagnostic.description, to: .standardOutput) }
            let count = library.files.count
            let checked = "\(count) lesson file\(count == 1 ? "" : "s")"
            if diagnostics.isEmpty {
                print("checked \(checked): no mistakes")
            } else {
                let files = Set(diagnostics.map(\.file)).count
                print("\(diagnostics.count) mistake\(diagnostics.count == 1 ? "" : "s") in \(files) of \(checked)")
                throw ExitCode(1)
            }
        }

        /// A path as short as it can be said from the current directory.
        static func shown(_ path: String) -> String {
            let here = FileManager.default.currentDirectoryPath
            let full = resolved(path)
            let prefix = resolved(here) + "/"
            return full.hasPrefix(prefix) ? String(full.dropFirst(prefix.count)) : full
        }

        static func resolved(_ path: String) -> String {
            URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        }
    }
}
