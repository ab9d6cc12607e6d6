import ArgumentParser
import Explorer
import Lessons
import Foundation
import Terminal
import TerminalCurses
import Transformer

/// The look options the interactive screens share.
struct LookOptions: ParsableArguments {
    enum Background: String, ExpressibleByArgument, CaseIterable { case dark, light }
    enum PaletteChoice: String, ExpressibleByArgument, CaseIterable { case standard, colorblind, mono }

    @Option(name: .long, help: "The terminal's background: dark or light.")
    var theme: Background = .dark

    @Option(name: .long, help: "Colours: standard (viridis), colorblind (cividis, purple-orange) or mono (shades and numbers, no colour). NO_COLOR also selects mono.")
    var palette: PaletteChoice = .standard

    /// The choice, given what the terminal can show.
    func choice(depth: ColorDepth) -> ThemeChoice {
        ThemeChoice(background: theme == .light ? .light : .dark,
                    monochrome: palette == .mono || !depth.showsScales,
                    colorBlindSafe: palette == .colorblind)
    }
}

/// Runs the explorer app in the terminal until the user quits.
enum InteractiveSession {
    static func run(model: String?, text: String?, screen: Screen, look: LookOptions, lesson: Lesson? = nil,
                    step: Int? = nil) throws {
        let catalog = ModelCatalog()
        let loaded = try catalog.load(lesson?.model ?? model)
        let session = ModelSession(loaded: loaded, text: text ?? defaultText(for: loaded))
        if let problem = session.problem, session.inspection == nil {
            throw ModelError.badInput(problem)
        }
        let terminal = try CursesTerminal(mapColor: { color, colors in
            curseColor(ColorDepth.detect(environment: ProcessInfo.processInfo.environment, reportedColors: colors).map(color))
        })
        let depth = ColorDepth.detect(environment: ProcessInfo.processInfo.environment, reportedColors: terminal.colorCount)
        var state = AppState(session: session, models: catalog.entries(), width: terminal.width, height: terminal.height,
                             screen: screen, theme: look.choice(depth: depth),
                             loadModel: { try catalog.load($0) })
        state.lessons = LessonLibrary.bundled(locator: catalog.locator).lessons
        state.progressStore = ProgressStore()
        if let lesson { openLesson(&state, lesson, step: step) }
        terminal.run(initial: state, update: { state, event in
            Explorer.update(&state, event)
            return !state.quit
        }, view: { state, width, height in
            var sized = state
            sized.width = width
            sized.height = height
            if let cursor = cursorPosition(sized) { terminal.showCursor(at: cursor.x, y: cursor.y) } else { terminal.hideCursor() }
            return view(sized)
        })
        terminal.shutdown()
        // Ended by a signal (Ctrl-C, SIGTERM, a hang-up): exit as the shell expects, 128 + the signal.
        if let signal = terminal.interruptingSignal { throw ExitCode(128 + signal) }
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

    func run() throws {
        try InteractiveSession.run(model: modelOption.model, text: text, screen: .explore, look: look)
    }
}

struct LessonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson",
        abstract: "Follow a lesson step by step, live on the model (see `explorer lessons` for the ids).",
        discussion: "Keys: n, space or PageDown for the next step; p or PageUp for the previous; arrows move the token; Tab answers a quiz; e edits the sentence; ? help; q quits.")

    @Argument(help: "The lesson's id, e.g. six-steps.")
    var id: String

    @Option(name: .long, help: "Start at this step (1 is the first) instead of where you left off.")
    var step: Int?

    @Flag(name: .long, help: "Forget this lesson's progress (step reached, quiz answers) and exit.")
    var resetProgress = false

    @OptionGroup var look: LookOptions

    func run() throws {
        let lesson = try LessonLibrary.bundled().find(id)
        if resetProgress {
            try ProgressStore().reset(lesson: lesson.id)
            print("progress of \(lesson.id) cleared")
            return
        }
        if let step, !(1...lesson.steps.count).contains(step) {
            throw usageFailure("--step must be from 1 to \(lesson.steps.count) for \(lesson.id), got \(step)")
        }
        try InteractiveSession.run(model: lesson.model, text: lesson.input, screen: .lesson, look: look, lesson: lesson,
                                   step: step.map { $0 - 1 })
    }
}
