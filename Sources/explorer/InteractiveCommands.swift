import ArgumentParser
import Explorer
import Lessons
import Foundation
import Terminal
import TerminalCurses
import Transformer

/// The look options the interactive screens share.
struct LookOptions: ParsableArguments {
    enum Background: String, ExpressibleByArgument, CaseIterable { case dark, light, projector }
    enum PaletteChoice: String, ExpressibleByArgument, CaseIterable { case standard, colorblind, mono }
    enum Layout: String, ExpressibleByArgument, CaseIterable { case standard, projector }

    @Option(name: .long, help: "The terminal's background: dark, light, or projector (light, black bold text, high contrast).")
    var theme: Background = .dark

    @Option(name: .long, help: "standard, or projector: the heatmap across the whole width, bigger cells, bold labels (w switches).")
    var layout: Layout = .standard

    @Option(name: .long, help: "Colours: standard (viridis), colorblind (cividis, purple-orange) or mono (shades and numbers, no colour). NO_COLOR also selects mono.")
    var palette: PaletteChoice = .standard

    /// The choice, given what the terminal can show.
    func choice(depth: ColorDepth) -> ThemeChoice {
        ThemeChoice(background: theme == .projector ? .projector : theme == .light ? .light : .dark,
                    monochrome: palette == .mono || !depth.showsScales,
                    colorBlindSafe: palette == .colorblind)
    }
}

/// Runs the explorer app in the terminal until the user quits.
enum InteractiveSession {
    /// `lessons` are those the home screen lists and `n` goes on to at a lesson's end (default: the
    /// bundled ones).
    static func run(model: String?, text: String?, screen: Screen, look: LookOptions, lesson: Lesson? = nil,
                    step: Int? = nil, lessons listed: [Lesson]? = nil, screenshot: ScreenshotOptions? = nil) throws {
        let (program, _) = try makeProgram(model: model, text: text, screen: screen, lesson: lesson, step: step, lessons: listed,
                                           projector: look.layout == .projector)
        if let screenshot, let file = screenshot.screenshot {
            try screenshot.write(program, look: look, to: file)
            return
        }
        let terminal = try openTerminal(program, look: look)
        loop(program, terminal)
        terminal.shutdown()
        // Ended by a signal (Ctrl-C, SIGTERM, a hang-up): exit as the shell expects, 128 + the signal.
        if let signal = terminal.interruptingSignal { throw ExitCode(128 + signal) }
    }

    /// The app on its first run (and at the lesson's step), before the terminal opens, so a sentence
    /// that cannot run is an error here; with the environment its effects use.
    /// `saveProgress` false keeps the progress file untouched (a benchmark's teacher); `projector`
    /// opens explore in the projector layout.
    static func makeProgram(model: String?, text: String?, screen: Screen, lesson: Lesson?, step: Int?,
                            lessons listed: [Lesson]?, saveProgress: Bool = true,
                            projector: Bool = false) throws -> (Program, ExplorerEnvironment) {
        let catalog = ModelCatalog()
        let library = LessonLibrary.bundled(locator: catalog.locator)
        let name = lesson?.model ?? model ?? ModelCatalog.defaultModel
        // Progress on standard error only here, before the terminal opens; loads the app makes show none.
        var loading = catalog
        loading.progress = try LoadProgressBar.reporter()
        let loaded = try loading.load(name)
        printWarnings(loaded)
        let store = RunStore()
        store.put(model: loaded, as: name)
        let listed = listed ?? library.lessons
        // The lesson being run is the one the app evaluates under its id, even when a bundled lesson has it.
        var lessons: [Lesson] = []
        var ids = Set<String>()
        for candidate in (lesson.map { [$0] } ?? []) + listed + library.lessons where ids.insert(candidate.id).inserted {
            lessons.append(candidate)
        }
        var environment = ExplorerEnvironment(load: { try catalog.load($0) }, lessons: lessons,
                                              progress: saveProgress ? ProgressStore() : nil)
        // Models the app opens later show their loading on its status line.
        environment.loadReporting = { name, reporter in
            var reporting = catalog
            reporting.progress = reporter
            return try reporting.load(name)
        }
        environment.progressThreshold = try LoadProgressBar.threshold()
        let input = RunInput(model: name, text: lesson?.input ?? text ?? defaultText(for: loaded), target: lesson?.target)
        var state = AppState(input: input, models: catalog.entries(), width: 80, height: 24, screen: screen)
        state.explore.projector = projector
        state.lessons = listed.map(LessonEntry.init)
        let program = Program(state: state, store: store, environment: environment)
        // The first run is made before the terminal opens, so a sentence that cannot run is an error here.
        program.apply { startingEffects(&$0) }
        program.settle()
        if program.state.run == nil { throw ModelError.badInput(program.state.problem ?? program.state.message ?? "the model did not run") }
        if let lesson {
            program.apply { openLesson(&$0, LessonEntry(lesson), step: step) }
            program.settle()
        }
        return (program, environment)
    }

    /// Opens the terminal and sizes and colours the app for it.
    static func openTerminal(_ program: Program, look: LookOptions) throws -> CursesTerminal {
        let terminal = try CursesTerminal(mapColor: { color, colors in
            curseColor(ColorDepth.detect(environment: ProcessInfo.processInfo.environment, reportedColors: colors).map(color))
        })
        let depth = ColorDepth.detect(environment: ProcessInfo.processInfo.environment, reportedColors: terminal.colorCount)
        program.apply { state in
            state.theme = look.choice(depth: depth)
            state.width = terminal.width
            state.height = terminal.height
            return []
        }
        return terminal
    }

    /// Draws, waits for a key or for the runner's answers, updates, and again, until the user quits.
    /// While the runner works the wait is short, so its answers reach the screen within a frame or two.
    static func loop(_ program: Program, _ terminal: CursesTerminal) {
        var dirty = true
        while !program.state.quit && !terminal.interrupted {
            if dirty {
                let canvas = program.frame()
                if let cursor = cursorPosition(program.state) { terminal.showCursor(at: cursor.x, y: cursor.y) } else { terminal.hideCursor() }
                terminal.present(canvas)
                dirty = false
            }
            let event = terminal.nextEvent(timeoutMilliseconds: program.isBusy ? 8 : 100)
            if let event {
                program.send(.event(event))
                dirty = true
            }
            if program.pump() { dirty = true }
        }
    }

    /// A sentence that shows the bundled models' heads at work.
    static func defaultText(for loaded: LoadedModel) -> String {
        loaded.config.architecture == .encoderDecoder ? "a dog chased the red ball"
            : "the animal didn't cross the street because it was too tired"
    }

    /// The ncurses colour number of a mapped colour: -1 for the default, the palette index, or the
    /// packed 24-bit value on a direct-colour terminal.
    static func curseColor(_ color: Color) -> Int32 {
        switch color {
        case .terminalDefault: return -1
        case .ansi(let index): return Int32(index)
        case .rgb(let r, let g, let b): return Int32(r) << 16 | Int32(g) << 8 | Int32(b)
        }
    }
}

struct Home: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open the explorer's home screen (what `explorer` alone does).")

    @OptionGroup var modelOption: ModelOption
    @OptionGroup var look: LookOptions

    func run() throws {
        try InteractiveSession.run(model: modelOption.model, text: nil, screen: .home, look: look)
    }
}

struct Explore: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explore a model's attention on your sentence, cell by cell, with every number.",
        discussion: "Keys: arrows move, e edits the sentence, [ ] layer, { } head, s stage, m all heads, r residual stream, ? help, q quits.")

    @OptionGroup var modelOption: ModelOption
    @Option(name: .long, help: "The sentence to start with.")
    var text: String?
    @OptionGroup var look: LookOptions
    @OptionGroup var screenshot: ScreenshotOptions

    func run() throws {
        try InteractiveSession.run(model: modelOption.model, text: text, screen: .explore, look: look, screenshot: screenshot)
    }
}

struct LessonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson",
        abstract: "Follow a lesson step by step, live on the model (see `explorer lessons` for the ids).",
        discussion: """
            LESSON is a bundled lesson's id, a lesson file (a path that exists or ends in .md), or, with \
            --dir, the id of a lesson in that folder. A lesson from a file keeps its progress apart from \
            the bundled lessons', under file: and the file's absolute path. With --dir, the home screen \
            (Esc) lists the folder's lessons, and n on a lesson's last step opens the folder's next one.

            Keys: n, space or PageDown for the next step; p or PageUp for the previous; arrows move the token; Tab answers a quiz; e edits the sentence; ? help; q quits.
            """)

    @Argument(help: ArgumentHelp("The lesson's id (e.g. six-steps), or a lesson file.", valueName: "LESSON"))
    var id: String

    @Option(name: .long, help: ArgumentHelp("Find the lesson in this folder of lesson files.", valueName: "DIR"))
    var dir: String?

    @Option(name: .long, help: ArgumentHelp("Start on this sentence instead of the lesson's.", valueName: "TEXT"))
    var input: String?

    @Option(name: .long, help: ArgumentHelp("Run the lesson on this model instead of its own (see `explorer models`).", valueName: "NAME|DIR|FILE"))
    var model: String?

    @Option(name: .long, help: "Start at this step (1 is the first) instead of where you left off.")
    var step: Int?

    @Flag(name: .long, help: "Forget this lesson's progress (step reached, quiz answers) and exit.")
    var resetProgress = false

    @OptionGroup var look: LookOptions
    @OptionGroup var screenshot: ScreenshotOptions

    func run() throws {
        var lesson = try LessonSource.find(id, directory: dir)
        if resetProgress {
            try ProgressStore().reset(lesson: lesson.id)
            print("progress of \(lesson.id) cleared")
            return
        }
        if let step, !(1...lesson.steps.count).contains(step) {
            throw usageFailure("--step must be from 1 to \(lesson.steps.count) for \(lesson.id), got \(step)")
        }
        if let input {
            guard !input.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw usageFailure("--input is empty") }
            lesson.input = input
        }
        if let model { lesson.model = model }
        let folder = dir.map { LessonSource.folder($0).lessons.map(LessonSource.keyed) }
        try InteractiveSession.run(model: lesson.model, text: lesson.input, screen: .lesson, look: look, lesson: lesson,
                                   step: step.map { $0 - 1 }, lessons: folder, screenshot: screenshot)
    }
}
