import ArgumentParser
import Foundation
import Lessons
import Terminal
import Transformer

/// `explorer handout LESSON --out FILE.md`: the lesson on a sentence, for paper or a course page.
struct HandoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "handout",
        abstract: "Write a lesson as a Markdown handout: its prose with live numbers, its figures as SVG, an answer key.",
        discussion: """
            LESSON is a bundled lesson's id or a lesson file. The figures go into a folder beside the \
            handout, FILE-figures/step-N-….svg (files of the same names there are replaced); the quiz \
            questions stay in place and their answers, on this sentence, are listed at the end.
            """)

    @Argument(help: ArgumentHelp("The lesson's id (e.g. six-steps), or a lesson file.", valueName: "LESSON"))
    var id: String

    @Option(name: .long, help: ArgumentHelp("Use this sentence instead of the lesson's.", valueName: "TEXT"))
    var input: String?

    @Option(name: .long, help: ArgumentHelp("Run the lesson on this model instead of its own.", valueName: "NAME|DIR|FILE"))
    var model: String?

    @Option(name: .long, help: ArgumentHelp("The Markdown file to write (replaced if it exists).", valueName: "FILE.md"))
    var out: String

    func validate() throws {
        if let input, input.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("--input is empty") }
        if out.isEmpty || out.hasSuffix("/") { throw ValidationError("--out must name a file, e.g. handout.md") }
    }

    func run() throws {
        var lesson = try LessonSource.find(id, directory: nil)
        if let input { lesson.input = input }
        if let model { lesson.model = model }
        let catalog = ModelCatalog(progress: try LoadProgressBar.reporter())
        let loaded = try catalog.load(lesson.model)
        printWarnings(loaded)
        let base = try LessonContext(loaded: loaded, text: lesson.input, target: lesson.target)
        var selection: Selection?
        var steps: [EvaluatedStep] = []
        for index in lesson.steps.indices {
            let context: LessonContext
            do {
                context = try LessonRuntime.context(for: lesson.steps[index], from: base) { try catalog.load($0) }
            } catch {
                throw ModelError.badInput("step \(index + 1): \(error)")
            }
            let (start, _) = LessonRuntime.startingSelection(for: lesson.steps[index], in: context, current: selection)
            selection = start
            steps.append(LessonRuntime.evaluate(lesson, step: index, in: context, selection: start))
        }
        let stem = (out as NSString).deletingPathExtension
        let folderName = (stem as NSString).lastPathComponent + "-figures"
        let folder = ((out as NSString).deletingLastPathComponent as NSString).appendingPathComponent(folderName)
        let handout = Handout(lesson: lesson, sentence: lesson.input, steps: steps, figureFolder: folderName)
        let parent = (out as NSString).deletingLastPathComponent
        if !parent.isEmpty, !FileManager.default.fileExists(atPath: parent) {
            throw ModelError.badInput("cannot write --out '\(out)': the folder '\(parent)' does not exist")
        }
        if !handout.figures.isEmpty {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), !isFolder.boolValue {
                throw ModelError.badInput("cannot write the figures: '\(folder)' exists and is not a folder")
            }
            do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw ModelError.badInput("cannot create the figures' folder '\(folder)'")
            }
        }
        for figure in handout.figures {
            let path = ((out as NSString).deletingLastPathComponent as NSString).appendingPathComponent(figure.path)
            try FigureFile.write(Array(figure.svg.utf8), to: path, option: "a figure")
        }
        try FigureFile.write(Array(handout.markdown.utf8), to: out, option: "--out")
        print("wrote \(Sanitizer.sanitize(out)): \(steps.count) steps, \(handout.figures.count) figures in \(Sanitizer.sanitize(folder))")
    }
}
