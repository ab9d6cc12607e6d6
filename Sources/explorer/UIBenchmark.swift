import Explorer
import Foundation
import Terminal
import Transformer

/// The terminal UI's speed, measured without a terminal: drawing the Explore screen into a canvas,
/// diffing two frames, an edit of the sentence through `update` and `view`, and start-up.
enum UIBenchmark {
    struct Figures: Encodable {
        var renderMs: Double
        var diffMs: Double
        var keystrokeToFrameMs: Double
        var firstFrameMs: Double
        var processMs: Double
        /// On the benchmark's model: a key (a move) to its frame with nothing running, and while that
        /// model runs in the background.
        var keystrokeIdleMs: Double?
        var keystrokeWhileRunningMs: Double?
        /// From the last keystroke of an edit until its run's result is on screen, and what it is
        /// made of: the debounce pause and the forward pass.
        var editToResultMs: Double?
        var debounceMs: Double
        var running: RunningModel?

        /// The model and input the two figures above were measured on.
        struct RunningModel: Encodable {
            var model: String
            var tokens: Int
            var forwardMs: Double
        }

        enum CodingKeys: String, CodingKey {
            case renderMs = "render_ms", diffMs = "diff_ms", keystrokeToFrameMs = "keystroke_to_frame_ms"
            case firstFrameMs = "first_frame_ms", processMs = "process_ms"
            case keystrokeIdleMs = "keystroke_idle_ms", keystrokeWhileRunningMs = "keystroke_while_running_ms", editToResultMs = "edit_to_result_ms"
            case debounceMs = "debounce_ms", running
        }
    }

    /// The figures: drawing and editing on tiny-gpt, then keys and edits while `running` (the
    /// benchmark's model) runs on about `tokens` tokens.
    static func measure(seconds: Double, running: LoadedModel?, tokens: Int) throws -> Figures {
        let catalog = ModelCatalog()
        let start = DispatchTime.now().uptimeNanoseconds
        let program = try makeProgram(catalog.load(ModelCatalog.defaultModel), name: ModelCatalog.defaultModel,
                                      text: "the animal didn't cross the street because it was too tired", catalog: catalog)
        _ = program.frame()
        let firstFrame = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6

        let render = Timing.medianMilliseconds(seconds: seconds) { _ = view(program.state, store: program.store) }
        let before = program.frame()
        program.send(.event(.key(.right)))
        let after = program.frame()
        let diff = Timing.medianMilliseconds(seconds: seconds) { _ = after.changes(since: before) }
        program.send(.event(.key(.character("e"))))
        var typed = false
        let keystroke = Timing.medianMilliseconds(seconds: seconds) {
            // Alternate typing a letter and deleting it, so the sentence stays the same length.
            program.send(.event(typed ? .key(.backspace) : .key(.character("s"))))
            typed.toggle()
            _ = program.frame().changes(since: before)
        }
        var figures = Figures(renderMs: render, diffMs: diff, keystrokeToFrameMs: keystroke, firstFrameMs: firstFrame,
                              processMs: processStartMilliseconds(), debounceMs: Double(editDebounceMilliseconds))
        if let running { try measureWhileRunning(running, tokens: tokens, seconds: seconds, catalog: catalog, into: &figures) }
        return figures
    }

    /// A program on `loaded`, its first run landed, on the explore screen at 200×60.
    static func makeProgram(_ loaded: LoadedModel, name: String, text: String, catalog: ModelCatalog,
                            wake: @escaping @Sendable () -> Void = {}) throws -> Program {
        let store = RunStore()
        store.put(model: loaded, as: name)
        let state = AppState(input: RunInput(model: name, text: text), models: [], width: 200, height: 60, screen: .explore)
        let program = Program(state: state, store: store, environment: ExplorerEnvironment(load: { try catalog.load($0) }),
                              wake: wake)
        program.apply { startingEffects(&$0) }
        program.settle()
        guard program.state.run != nil else { throw ModelError.badInput(program.state.problem ?? "the model did not run") }
        return program
    }

    /// Keys while the model runs, and an edit until its result is drawn, on `loaded`.
    static func measureWhileRunning(_ loaded: LoadedModel, tokens: Int, seconds: Double, catalog: ModelCatalog,
                                    into figures: inout Figures) throws {
        guard loaded.tokenizerProblem == nil, loaded.config.architecture != .encoderDecoder else { return }
        var words: [String] = []
        let pool = ["the", "animal", "didn't", "cross", "the", "street", "because", "it", "was", "too", "tired"]
        while loaded.tokenizer.encode(words.joined(separator: " ")).count < tokens && words.count < 10 * tokens {
            words.append(pool[words.count % pool.count])
        }
        // Answers wake the waiting loop, as a key would wake the terminal's: no polling that takes a core.
        let answered = DispatchSemaphore(value: 0)
        let program = try makeProgram(loaded, name: loaded.name, text: words.joined(separator: " "), catalog: catalog,
                                      wake: { answered.signal() })
        let input = program.state.input
        let forward = try Timing.medianMilliseconds(seconds: seconds) { _ = try ExplorerEnvironment.inspect(loaded, input) }
        figures.running = Figures.RunningModel(model: loaded.name, tokens: program.state.run?.tokens.count ?? 0, forwardMs: forward)

        var right = false
        figures.keystrokeIdleMs = Timing.medianMilliseconds(seconds: seconds) {
            program.send(.event(.key(right ? .right : .left)))
            right.toggle()
            _ = program.frame()
        }
        var whileRunning: [Double] = []
        var editToResult: [Double] = []
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(max(seconds, 0.5) * 2e9)
        var letter = false
        while whileRunning.count < 5 || (DispatchTime.now().uptimeNanoseconds < deadline && whileRunning.count < 200) {
            // A key while a run is in flight: the edit's Enter starts a run at once; the arrow that
            // follows is answered from the state, not after the run.
            program.send(.event(.key(.character("e"))))
            program.send(.event(letter ? .key(.backspace) : .key(.character("s"))))
            letter.toggle()
            program.send(.event(.key(.enter)))
            let t0 = DispatchTime.now().uptimeNanoseconds
            program.send(.event(.key(letter ? .left : .right)))
            _ = program.frame()
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
            if program.isBusy { whileRunning.append(elapsed) }
            program.settle()

            // The last keystroke of an edit, then frames until its result is drawn.
            program.send(.event(.key(.character("e"))))
            let t1 = DispatchTime.now().uptimeNanoseconds
            program.send(.event(letter ? .key(.backspace) : .key(.character("s"))))
            letter.toggle()
            _ = program.frame()
            while program.state.isRunning {
                if !program.pump() { _ = answered.wait(timeout: .now() + .milliseconds(50)) }
            }
            _ = program.frame()
            editToResult.append(Double(DispatchTime.now().uptimeNanoseconds - t1) / 1e6)
            program.send(.event(.key(.escape)))
            program.settle()
        }
        figures.keystrokeWhileRunningMs = Timing.median(whileRunning)
        figures.editToResultMs = Timing.median(editToResult)
    }

    /// Wall time of `explorer --version` as a child process: the cost of starting the program.
    static func processStartMilliseconds() -> Double {
        guard let executable = Bundle.main.executablePath else { return 0 }
        return Timing.medianMilliseconds(seconds: 0.3) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["--version"]
            process.standardOutput = FileHandle.nullDevice
            try? process.run()
            process.waitUntilExit()
        }
    }
}
