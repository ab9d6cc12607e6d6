// Prints the GFLOPS of the project's gemm (one thread and all threads) beside NumPy's for the
// products that matter to the model. Run: swift run -c release gemm-benchmark [--seconds S] [--no-numpy]
import Foundation
import Tensor

let arguments = CommandLine.arguments
let seconds = arguments.firstIndex(of: "--seconds").flatMap { Double(arguments[$0 + 1]) } ?? 0.5
let withNumPy = !arguments.contains("--no-numpy")
let sizes: [(m: Int, k: Int, n: Int)] = [
    (12, 16, 16), (64, 384, 384), (64, 384, 1536), (64, 1536, 384), (512, 512, 512),
]
let threads = GemmParallelism.maxThreads

/// NumPy's GFLOPS per "MxKxN" key at `threads` threads, from Benchmarks/numpy_matmul.py.
func numpyGflops(threads: Int) -> [String: Double] {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("numpy_matmul.py").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", script, "--threads", String(threads), "--min-seconds", String(seconds)]
    let pipe = Pipe()
    process.standardOutput = pipe
    do { try process.run() } catch { return [:] }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
    return object.compactMapValues { $0 as? Double }
}

let numpy1 = withNumPy ? numpyGflops(threads: 1) : [:]
let numpyN = withNumPy && threads > 1 ? numpyGflops(threads: threads) : [:]
func cell(_ value: Double?) -> String { value.map { String(format: "%8.1f", $0) } ?? "       -" }

print("gemm kernel: \(GemmBenchmark.kernelName), threads: \(threads)")
print("     M×K×N         ours-1t  ours-\(threads)t  numpy-1t  numpy-\(threads)t   (GFLOPS)")
for (m, k, n) in sizes {
    let key = "\(m)x\(k)x\(n)"
    let one = GemmBenchmark.gflops(m: m, k: k, n: n, threads: 1, minSeconds: seconds)
    let all = GemmBenchmark.gflops(m: m, k: k, n: n, threads: threads, minSeconds: seconds)
    print(key.padding(toLength: 16, withPad: " ", startingAt: 0),
          cell(one), cell(all), " ", cell(numpy1[key]), cell(numpyN[key]))
}
