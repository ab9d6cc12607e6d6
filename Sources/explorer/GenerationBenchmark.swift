import Foundation
import Transformer

/// Greedy generation timed with the KV cache and without it (the whole sequence run again for every
/// token), as `generate --json` counts its speed: the one-token steps after the prompt's pass over
/// their time. The end-of-sequence token does not stop these runs, so every run makes the same number
/// of tokens.
struct GenerationFigures: Codable {
    var promptTokens: Int
    var newTokens: Int
    /// Median over runs of tokens per second with the cache.
    var cachedTokensPerSecond: Double
    /// Median over runs of tokens per second without it.
    var plainTokensPerSecond: Double
    /// Median milliseconds of the prompt's pass (with the first token drawn), with the cache.
    var cachedPromptMs: Double
    var runs: Int
    /// The process's peak resident set after the generation runs (measured before the forward-pass
    /// figures, which record every hook and so need more), in MiB.
    var peakMemoryMB: Double
    /// PyTorch transformers' `generate` on the same directory, when measured.
    var torch: TorchGenerationFigures?

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens", newTokens = "new_tokens", cachedTokensPerSecond = "cached_tokens_per_second"
        case plainTokensPerSecond = "plain_tokens_per_second", cachedPromptMs = "cached_prompt_ms", runs
        case peakMemoryMB = "peak_memory_mb", torch
    }

    /// Times `model` generating up to `newTokens` tokens after a made-up prompt of up to `promptTokens`,
    /// both cut to fit the context, for about `seconds` per path (at least 3 runs each, after one warm-up).
    static func measure(_ model: TransformerModel, promptTokens: Int, newTokens: Int, seconds: Double) throws -> GenerationFigures {
        let config = model.config
        let encoderDecoder = config.architecture == .encoderDecoder
        // A decoder's prompt gives way to the new tokens where the context cannot hold both.
        let promptCount = encoderDecoder
            ? min(promptTokens, config.maxPositions)
            : max(1, min(promptTokens, config.maxPositions - min(newTokens, config.maxPositions - 1)))
        let newCount = min(newTokens, config.maxPositions - (encoderDecoder ? 1 : promptCount))
        let ids = (0..<promptCount).map { $0 % config.vocabSize }
        func run(kvCache: Bool) throws -> (promptMs: Double, tokensPerSecond: Double) {
            let start = DispatchTime.now().uptimeNanoseconds
            var times: [UInt64] = []
            _ = try model.generate(ids, maxTokens: newCount, settings: SamplingSettings(temperature: 0), seed: 0,
                                   options: GenerationOptions(kvCache: kvCache, stopIds: [])) { _ in
                times.append(DispatchTime.now().uptimeNanoseconds)
            }
            let timing = GenerationTiming(start: start, steps: times)
            return (timing.promptMs, timing.tokensPerSecond ?? .nan)
        }
        func repeated(kvCache: Bool) throws -> [(promptMs: Double, tokensPerSecond: Double)] {
            _ = try run(kvCache: kvCache)
            var samples: [(promptMs: Double, tokensPerSecond: Double)] = []
            let begin = DispatchTime.now().uptimeNanoseconds
            while samples.count < 3 || Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e9 < seconds {
                samples.append(try run(kvCache: kvCache))
                if samples.count >= 1000 { break }
            }
            return samples
        }
        let cached = try repeated(kvCache: true)
        let plain = try repeated(kvCache: false)
        return GenerationFigures(
            promptTokens: promptCount, newTokens: newCount,
            cachedTokensPerSecond: Timing.median(cached.map(\.tokensPerSecond)),
            plainTokensPerSecond: Timing.median(plain.map(\.tokensPerSecond)),
            cachedPromptMs: Timing.median(cached.map(\.promptMs)), runs: min(cached.count, plain.count),
            peakMemoryMB: Bench.peakResidentMegabytes(), torch: nil)
    }

    func text(model: String) -> [String] {
        var lines = ["greedy generation of \(model): \(newTokens) new tokens after a \(promptTokens)-token prompt (medians of \(runs)+ runs)"]
        lines.append(String(format: "  with the KV cache      %8.1f tokens/s   (prompt's pass %.3f ms)", cachedTokensPerSecond, cachedPromptMs))
        lines.append(String(format: "  without (all again)    %8.1f tokens/s   (the cache is %.2f× as fast)",
                            plainTokensPerSecond, cachedTokensPerSecond / plainTokensPerSecond))
        if let torch {
            if let speed = torch.tokensPerSecond {
                lines.append(String(format: "  PyTorch generate       %8.1f tokens/s   (explorer with the cache: %.2f×)",
                                    speed, cachedTokensPerSecond / speed))
            } else {
                lines.append("  PyTorch generate       not measured: \(torch.error ?? torch.note ?? "unknown")")
            }
        }
        lines.append(String(format: "  peak memory after the generation runs %.1f MiB", peakMemoryMB))
        return lines
    }
}

/// PyTorch transformers' greedy `generate` with its KV cache, as `Benchmarks/reference_generate.py`
/// measures it.
struct TorchGenerationFigures: Codable {
    var tokensPerSecond: Double?
    var torchVersion: String?
    var error: String?
    /// Why nothing was measured.
    var note: String?

    enum CodingKeys: String, CodingKey {
        case tokensPerSecond = "tokens_per_second", torchVersion = "torch_version", error, note
    }

    /// Runs the repository's `Benchmarks/reference_generate.py` on the model directory; a note instead
    /// of figures when the script, python3, torch or transformers is missing.
    static func measure(directory: String, promptTokens: Int, newTokens: Int, seconds: Double) -> TorchGenerationFigures {
        guard let root = ResourceLocator().root else { return TorchGenerationFigures(note: "the repository's Benchmarks/ was not found") }
        let script = (root as NSString).appendingPathComponent("Benchmarks/reference_generate.py")
        guard FileManager.default.fileExists(atPath: script) else {
            return TorchGenerationFigures(note: "Benchmarks/reference_generate.py was not found")
        }
        guard ReferenceForward.run(["-c", "import torch, transformers"]) != nil else {
            return TorchGenerationFigures(note: "python3 cannot import torch and transformers")
        }
        let arguments = [script, "--model", directory, "--prompt-tokens", String(promptTokens),
                         "--new-tokens", String(newTokens), "--seconds", String(seconds), "--threads", "2"]
        guard let output = ReferenceForward.run(arguments) else {
            return TorchGenerationFigures(note: "Benchmarks/reference_generate.py failed")
        }
        guard let line = output.split(separator: "\n").last,
              let figures = try? JSONDecoder().decode(TorchGenerationFigures.self, from: Data(line.utf8)) else {
            return TorchGenerationFigures(note: "Benchmarks/reference_generate.py printed no figures")
        }
        return figures
    }
}
