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

        enum CodingKeys: String, CodingKey {
            case renderMs = "render_ms", diffMs = "diff_ms", keystrokeToFrameMs = "keystroke_to_frame_ms"
            case firstFrameMs = "first_frame_ms", processMs = "process_ms"
        }
    }

    static func measure(seconds: Double) throws -> Figures {
        let catalog = ModelCatalog()
        var firstFrame = 0.0
        let start = DispatchTime.now().uptimeNanoseconds
        let loaded = try catalog.load(ModelCatalog.defaultModel)
        var state = AppState(session: ModelSession(loaded: loaded, text: "the animal didn't cross the street because it was too tired"),
                             models: catalog.entries(), width: 200, height: 60, screen: .explore,
                             loadModel: { try catalog.load($0) })
        _ = view(state)
        firstFrame = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6

        let render = Timing.medianMilliseconds(seconds: seconds) { _ = view(state) }
        let before = view(state)
        var moved = state
        update(&moved, .key(.right))
        let after = view(moved)
        let diff = Timing.medianMilliseconds(seconds: seconds) { _ = after.changes(since: before) }
        update(&state, .key(.character("e")))
        var typed = false
        let keystroke = Timing.medianMilliseconds(seconds: seconds) {
            // Alternate typing a letter and deleting it, so the sentence stays the same length.
            update(&state, typed ? .key(.backspace) : .key(.character("s")))
            typed.toggle()
            _ = view(state).changes(since: before)
        }
        return Figures(renderMs: render, diffMs: diff, keystrokeToFrameMs: keystroke, firstFrameMs: firstFrame,
                       processMs: processStartMilliseconds())
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
