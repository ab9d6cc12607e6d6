import ArgumentParser
import Foundation
import Tensor
import Terminal
import Transformer

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the matrix product and the model's forward pass (build with -c release).",
        discussion: """
            Prints matmul GFLOPS for 64×384×384 and 512×512×512 beside NumPy's on the same machine \
            (when python3 with NumPy is found), and the median forward latency of a model with full \
            recording (every hook, as `inspect` records them) and with none. attn.weighted and \
            attn.result repeat what other hooks hold and are formed when first read: a third figure \
            times the forward with every hook then read. For a Hugging Face model directory (gpt2, \
            bert, roberta, llama, qwen2, mistral), also the same forward in PyTorch (eager, every attention \
            returned, 2 threads) and ONNX Runtime (every attention an output, 2 threads) when python3 \
            can import torch and transformers (and onnxruntime), through \
            Benchmarks/reference_forward.py; the full-recording forward is then timed again after them, \
            and its median taken over both windows. Greedy generation is timed with the KV cache and \
            without it (--new-tokens after a --tokens prompt, cut to fit the context), with the peak \
            memory after it, beside PyTorch transformers' generate on the same directory when it can \
            be imported (Benchmarks/reference_generate.py).
            """)

    @OptionGroup var modelOption: ModelOption

    @Option(name: .long, help: "Input length in tokens for the forward-pass timing.")
    var tokens: Int = 12

    @Option(name: .long, help: "Seconds to spend on each measurement.")
    var seconds: Double = 0.5

    @Flag(name: .long, help: "Print the figures as JSON.")
    var json = false

    @Flag(name: .long, help: "Skip the NumPy comparison.")
    var noNumpy = false

    @Flag(name: .long, help: "Skip the PyTorch and ONNX Runtime comparison.")
    var noReference = false

    @Option(name: .long, help: ArgumentHelp("Also time the forward recording only these hooks (globs, as inspect's --hooks).",
                                            valueName: "GLOBS"))
    var hooks: String?

    @Option(name: .long, help: "New tokens for the generation timing.")
    var newTokens: Int = 32

    @Flag(name: .long, help: "Skip the generation figures.")
    var noGeneration = false

    @Flag(name: .long, help: "Skip the matrix-product figures.")
    var noMatmul = false

    @Flag(name: .long, help: "Skip the terminal UI figures.")
    var noUi = false

    func validate() throws {
        if tokens < 1 { throw ValidationError("--tokens must be at least 1, got \(tokens)") }
        if newTokens < 1 { throw ValidationError("--new-tokens must be at least 1, got \(newTokens)") }
        if !(seconds > 0) { throw ValidationError("--seconds must be positive") }
    }

    func run() throws {
        var report = BenchReport()
        #if DEBUG
        report.warnings.append("this is a debug build: run `swift run -c release explorer bench` for real figures")
        #endif
        // The timed runs use made-up ids: the tokenizer is not needed, only the weights.
        let loadStart = DispatchTime.now().uptimeNanoseconds
        let loaded = try modelOption.load(tokenizer: .ifSupported)
        report.loadMs = Double(DispatchTime.now().uptimeNanoseconds - loadStart) / 1e6
        report.peakMemoryAfterLoadMB = Self.peakResidentMegabytes()
        report.model = loaded.name
        report.weightsMB = Self.megabytes(fileSize: (loaded.path as NSString).appendingPathComponent("model.safetensors"))
        // A typo in --hooks fails here, before anything is timed.
        let selected = try hooks.map { try hookFilter($0, for: loaded.model) }
        // Before the forward figures, whose full recording raises the peak memory past generation's.
        if !noGeneration && loaded.config.lmHead {
            var generation = try GenerationFigures.measure(loaded.model, promptTokens: tokens, newTokens: newTokens,
                                                           seconds: seconds)
            if !noReference && loaded.format != .explorer {
                generation.torch = TorchGenerationFigures.measure(directory: loaded.path, promptTokens: generation.promptTokens,
                                                                  newTokens: generation.newTokens, seconds: seconds)
            }
            report.generation = generation
        }

        report.kernel = GemmBenchmark.kernelDescription
        if !noMatmul {
            for (m, k, n) in [(64, 384, 384), (512, 512, 512)] {
                report.matmulGFLOPS["\(m)x\(k)x\(n)"] = GemmBenchmark.gflops(m: m, k: k, n: n, minSeconds: seconds)
            }
            if !noNumpy { report.numpyGFLOPS = NumpyReference.matmulGFLOPS() }
        }

        let ids = (0..<min(tokens, loaded.config.maxPositions)).map { $0 % loaded.config.vocabSize }
        report.tokens = ids.count
        let decoderIds = loaded.config.architecture == .encoderDecoder ? ids : nil
        // As `inspect` records: attn.weighted left out above its length limit.
        let weightedLimit = Inspection.defaultWeightedLimit
        let fullRecording = {
            _ = try loaded.model.forward(ids, decoderIds: decoderIds, recording: .all, weightedLimit: weightedLimit)
        }
        var fullRecordingSamples = try Timing.samples(seconds: seconds, fullRecording)
        report.forwardMs = Timing.median(fullRecordingSamples)
        // Some hooks (attn.weighted) are formed from others when first read: this figure includes that.
        report.forwardReadingEveryHookMs = try Timing.medianMilliseconds(seconds: seconds) {
            let cache = try loaded.model.forward(ids, decoderIds: decoderIds, recording: .all,
                                                 weightedLimit: weightedLimit).cache
            for name in cache.names { _ = cache[name] }
        }
        report.peakMemoryMB = Self.peakResidentMegabytes()
        report.forwardNoRecordingMs = try Timing.medianMilliseconds(seconds: seconds) {
            _ = try loaded.model.forward(ids, decoderIds: decoderIds, recording: .none)
        }
        if let selected {
            report.forwardSelectedHooks = SelectedHooksFigure(hooks: selected.description, ms: try Timing.medianMilliseconds(seconds: seconds) {
                _ = try loaded.model.forward(ids, decoderIds: decoderIds, recording: selected, weightedLimit: weightedLimit)
            })
        }
        if !noReference {
            if loaded.format == .explorer {
                report.reference = ReferenceFigures(note: "the model is in the explorer's own format, which transformers cannot load")
            } else {
                report.reference = ReferenceForward.measure(directory: loaded.path, ids: ids, seconds: seconds)
                // The machine's load can change between one measurement and the next: time the
                // full-recording forward again after the references, and report the median of both
                // windows, so a passing burst does not fall on one side of the comparison only.
                if report.reference?.torchMs != nil || report.reference?.onnxruntimeMs != nil {
                    fullRecordingSamples += try Timing.samples(seconds: seconds, fullRecording)
                    report.forwardMs = Timing.median(fullRecordingSamples)
                    report.forwardTimedAroundReferences = true
                }
            }
        }
        if !noUi { report.ui = try UIBenchmark.measure(seconds: seconds, running: loaded, tokens: tokens) }
        if json {
            try printJSON(report, snakeCase: true)
        } else {
            print(Sanitizer.sanitize(report.text(), keepingLineBreaks: true))   // the model's name may be a path
        }
    }
}

extension Bench {
    static func megabytes(fileSize path: String) -> Double? {
        guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber else { return nil }
        return size.doubleValue / 1_048_576
    }

    /// The process's peak resident set so far, in MiB (`getrusage`; Linux counts kilobytes).
    static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
        #else
        getrusage(RUSAGE_SELF, &usage)
        return Double(usage.ru_maxrss) / 1_048_576
        #endif
    }
}

/// The figures `bench` prints.
struct BenchReport: Encodable {
    var kernel = ""
    var matmulGFLOPS: [String: Double] = [:]
    var numpyGFLOPS: [String: Double]?
    var model = ""
    var tokens = 0
    var loadMs = 0.0
    /// The size of model.safetensors.
    var weightsMB: Double?
    /// The process's peak resident set once the model is loaded, and after the full-recording runs
    /// (before the UI figures), in MiB.
    var peakMemoryAfterLoadMB = 0.0
    var peakMemoryMB = 0.0
    var forwardMs = 0.0
    var forwardNoRecordingMs = 0.0
    /// Whether `forwardMs` is the median of two windows, before and after the references ran.
    var forwardTimedAroundReferences = false
    /// Full recording, then every hook read once (derived hooks formed).
    var forwardReadingEveryHookMs = 0.0
    /// Recording only the hooks `--hooks` selects.
    var forwardSelectedHooks: SelectedHooksFigure?
    var reference: ReferenceFigures?
    /// Greedy generation with and without the KV cache (models with an LM head).
    var generation: GenerationFigures?
    var ui: UIBenchmark.Figures?
    var warnings: [String] = []

    enum CodingKeys: String, CodingKey {
        case kernel, matmulGFLOPS = "matmul_gflops", numpyGFLOPS = "numpy_gflops", model, tokens
        case loadMs = "load_ms", weightsMB = "weights_mb", peakMemoryAfterLoadMB = "peak_memory_after_load_mb"
        case peakMemoryMB = "peak_memory_mb"
        case forwardMs = "forward_ms", forwardNoRecordingMs = "forward_no_recording_ms"
        case forwardTimedAroundReferences = "forward_timed_around_references"
        case forwardReadingEveryHookMs = "forward_reading_every_hook_ms"
        case forwardSelectedHooks = "forward_selected_hooks", reference, generation, ui, warnings
    }

    func text() -> String {
        var lines = warnings.map { "warning: \($0)" }
        if !matmulGFLOPS.isEmpty { lines.append("matmul (Float32, kernel \(kernel))        explorer      NumPy") }
        for size in matmulGFLOPS.keys.sorted() {
            let ours = String(format: "%7.1f GFLOPS", matmulGFLOPS[size]!)
            let theirs = numpyGFLOPS?[size].map { String(format: "%7.1f GFLOPS  (%.2f×)", $0, matmulGFLOPS[size]! / $0) } ?? "  (NumPy not measured: --no-numpy, or python3 with NumPy not found)"
            lines.append("  \(size.padding(toLength: 16, withPad: " ", startingAt: 0))        \(ours)  \(theirs)")
        }
        lines.append("forward of \(model) on \(tokens) tokens (median; kernels \(kernel))")
        lines.append(String(format: "  full recording   %8.3f ms", forwardMs)
                     + (forwardTimedAroundReferences ? "   (timed before and after PyTorch and ONNX Runtime)" : ""))
        lines.append(String(format: "  no recording     %8.3f ms", forwardNoRecordingMs))
        lines.append(String(format: "  full recording, every hook then read   %8.3f ms   (attn.weighted and attn.result are formed from pattern, v, z and W_O on their first read)",
                            forwardReadingEveryHookMs))
        if let selected = forwardSelectedHooks {
            lines.append(String(format: "  recording %@   %8.3f ms", selected.hooks, selected.ms))
        }
        if let reference {
            for (name, figure, error) in [("PyTorch eager", reference.torchMs, reference.torchError),
                                          ("ONNX Runtime ", reference.onnxruntimeMs, reference.onnxruntimeError)] {
                if let figure {
                    lines.append(String(format: "  %@    %8.3f ms   (explorer with full recording takes %.2f× as long)",
                                        name, figure, forwardMs / figure))
                } else if let error {
                    lines.append("  \(name)    not measured: \(error)")
                }
            }
            if let note = reference.note { lines.append("  (PyTorch and ONNX Runtime not measured: \(note))") }
        }
        if let generation { lines += generation.text(model: model) }
        let weights = weightsMB.map { String(format: "; model.safetensors %.1f MiB", $0) } ?? ""
        lines.append(String(format: "loaded in %.1f ms; peak memory %.1f MiB once loaded, %.1f MiB after the runs", loadMs,
                            peakMemoryAfterLoadMB, peakMemoryMB) + weights)
        if let ui {
            lines.append("terminal UI (tiny-gpt, medians)")
            lines.append(String(format: "  render Explore at 200×60 into a canvas   %7.3f ms   (target < 2 ms with the diff)", ui.renderMs))
            lines.append(String(format: "  diff two frames at 200×60                %7.3f ms", ui.diffMs))
            lines.append(String(format: "  keystroke to frame (edit, model re-runs) %7.3f ms   (target < 16 ms)", ui.keystrokeToFrameMs))
            lines.append(String(format: "  load model and draw the first frame      %7.3f ms", ui.firstFrameMs))
            lines.append(String(format: "  process start and exit (--version)       %7.3f ms   (sum with the line above: target < 100 ms)", ui.processMs))
            if let running = ui.running, let key = ui.keystrokeWhileRunningMs, let edit = ui.editToResultMs, let idle = ui.keystrokeIdleMs {
                lines.append("terminal UI while \(running.model) runs on \(running.tokens) tokens (forward %.1f ms), medians"
                    .replacingOccurrences(of: "%.1f", with: String(format: "%.1f", running.forwardMs)))
                lines.append(String(format: "  keystroke to frame, nothing running      %7.3f ms", idle))
                lines.append(String(format: "  keystroke to frame, a run in flight      %7.3f ms   (target < 16 ms)", key))
                lines.append(String(format: "  last keystroke of an edit to its result  %7.3f ms   (target: debounce %.0f + forward %.1f + one frame)",
                                    edit, ui.debounceMs, running.forwardMs))
            }
        }
        return lines.joined(separator: "\n")
    }
}

/// The forward's latency recording a subset of hooks.
struct SelectedHooksFigure: Encodable {
    var hooks: String
    var ms: Double
}

enum Timing {
    /// Runs `body` repeatedly for about `seconds` (at least 5 times, after one warm-up) and returns the
    /// median wall time of one run in milliseconds.
    static func medianMilliseconds(seconds: Double, _ body: () throws -> Void) rethrows -> Double {
        median(try samples(seconds: seconds, body))
    }

    /// The wall time of each run, in milliseconds, of `body` run repeatedly for about `seconds` (at
    /// least 5 times, after one warm-up).
    static func samples(seconds: Double, _ body: () throws -> Void) rethrows -> [Double] {
        try body()
        var samples: [Double] = []
        let start = DispatchTime.now().uptimeNanoseconds
        while samples.count < 5 || Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 < seconds {
            let t0 = DispatchTime.now().uptimeNanoseconds
            try body()
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
            if samples.count >= 100_000 { break }
        }
        return samples
    }

    static func median(_ samples: [Double]) -> Double {
        let sorted = samples.sorted()
        return sorted.isEmpty ? .nan : sorted[sorted.count / 2]
    }
}

/// NumPy's matmul on this machine, through `python3` running the repository's
/// `Benchmarks/numpy_matmul.py`; nil when either is missing.
enum NumpyReference {
    static func matmulGFLOPS() -> [String: Double]? {
        guard let root = ResourceLocator().root else { return nil }
        let script = (root as NSString).appendingPathComponent("Benchmarks/numpy_matmul.py")
        guard FileManager.default.fileExists(atPath: script) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "--threads", "2"]
        // Some machines set these for old OpenBLAS builds; they slow a current NumPy. Unset for this
        // measurement only.
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_CORETYPE"] = nil
        environment["OPENBLAS_L2_SIZE"] = nil
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return nil }
        return object.compactMapValues { $0 as? Double }.filter { $0.key.contains("x") }
    }
}
