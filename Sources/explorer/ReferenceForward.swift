import Foundation
import Transformer

/// The same forward pass in PyTorch and ONNX Runtime, as `Benchmarks/reference_forward.py` measures it.
struct ReferenceFigures: Codable {
    /// Median milliseconds of `model(ids, output_attentions=True, output_hidden_states=True)`, eager.
    var torchMs: Double?
    /// Median milliseconds of the exported graph with every attention pattern as an output.
    var onnxruntimeMs: Double?
    var torchVersion: String?
    var onnxruntimeVersion: String?
    var torchError: String?
    var onnxruntimeError: String?
    /// Why nothing was measured.
    var note: String?

    enum CodingKeys: String, CodingKey {
        case torchMs = "torch_ms", onnxruntimeMs = "onnxruntime_ms", torchVersion = "torch_version"
        case onnxruntimeVersion = "onnxruntime_version", torchError = "torch_error"
        case onnxruntimeError = "onnxruntime_error", note
    }
}

enum ReferenceForward {
    /// Runs the repository's `Benchmarks/reference_forward.py` on the model directory; a note instead
    /// of figures when the script, python3, torch or transformers is missing.
    static func measure(directory: String, ids: [Int], seconds: Double) -> ReferenceFigures {
        guard let root = ResourceLocator().root else { return ReferenceFigures(note: "the repository's Benchmarks/ was not found") }
        let script = (root as NSString).appendingPathComponent("Benchmarks/reference_forward.py")
        guard FileManager.default.fileExists(atPath: script) else {
            return ReferenceFigures(note: "Benchmarks/reference_forward.py was not found")
        }
        guard run(["-c", "import torch, transformers"]) != nil else {
            return ReferenceFigures(note: "python3 cannot import torch and transformers")
        }
        let arguments = [script, "--model", directory, "--ids", ids.map(String.init).joined(separator: ","),
                         "--seconds", String(seconds), "--threads", "2"]
        guard let output = run(arguments) else { return ReferenceFigures(note: "Benchmarks/reference_forward.py failed") }
        guard let line = output.split(separator: "\n").last,
              let figures = try? JSONDecoder().decode(ReferenceFigures.self, from: Data(line.utf8)) else {
            return ReferenceFigures(note: "Benchmarks/reference_forward.py printed no figures")
        }
        return figures
    }

    /// python3 with `arguments`; its standard output when it exits 0.
    static func run(_ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
    }
}
