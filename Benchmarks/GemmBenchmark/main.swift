// Prints the GFLOPS of the project's gemm (one thread and all threads) beside NumPy's, for the
// products that matter to the model; then the nanoseconds per element of the element-wise
// kernels (GELU, SiLU, softmax) beside the scalar loops they replaced.
//
//     swift run -c release gemm-benchmark [--seconds S] [--rounds R] [--no-numpy] [--elementwise-only]
//                                         [--tiers]
//
// Each figure is the best of R rounds; a round measures every size with ours and NumPy in turn,
// so a busy moment on a shared machine hurts neither side more than the other. `--tiers` also
// measures the lower kernel tiers this CPU runs (e.g. avx2 beside avx512) in the same rounds.
// The first line says which kernel ran (EXPLORER_KERNEL=portable|avx2|avx512 lowers it).
// NumPy runs without OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, which slow a current OpenBLAS.
import Foundation
import Tensor

let arguments = CommandLine.arguments
func option(_ name: String) -> Double? {
    arguments.firstIndex(of: name).flatMap { $0 + 1 < arguments.count ? Double(arguments[$0 + 1]) : nil }
}
let seconds = option("--seconds") ?? 0.5
let rounds = max(1, Int(option("--rounds") ?? 3))
let withNumPy = !arguments.contains("--no-numpy")
let withGemm = !arguments.contains("--elementwise-only")
/// Lower tiers measured beside the automatic one (with --tiers).
let lowerTiers = arguments.contains("--tiers")
    ? GemmKernel.supportedTiers.filter { $0.resolvedName != GemmBenchmark.kernelName && $0 != .portable } : []
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
    var environment = ProcessInfo.processInfo.environment
    environment["OPENBLAS_CORETYPE"] = nil
    environment["OPENBLAS_L2_SIZE"] = nil
    process.environment = environment
    let pipe = Pipe()
    process.standardOutput = pipe
    do { try process.run() } catch { return [:] }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
    return object.compactMapValues { $0 as? Double }
}

/// Best figure per column ("ours-1", "ours-N", "numpy-1", "numpy-N") and size key.
var best: [String: [String: Double]] = [:]
@MainActor func record(_ column: String, _ key: String, _ value: Double?) {
    guard let value else { return }
    best[column, default: [:]][key] = max(best[column]?[key] ?? 0, value)
}

for _ in 0..<(withGemm ? rounds : 0) {
    if withNumPy {
        for (column, count) in [("numpy-1", 1), ("numpy-N", threads)] {
            let figures = numpyGflops(threads: count)
            for (m, k, n) in sizes { record(column, "\(m)x\(k)x\(n)", figures["\(m)x\(k)x\(n)"]) }
        }
    }
    for (m, k, n) in sizes {
        let key = "\(m)x\(k)x\(n)"
        record("ours-1", key, GemmBenchmark.gflops(m: m, k: k, n: n, threads: 1, minSeconds: seconds))
        record("ours-N", key, GemmBenchmark.gflops(m: m, k: k, n: n, threads: threads, minSeconds: seconds))
        for tier in lowerTiers {
            record("\(tier)-1", key, GemmBenchmark.gflops(m: m, k: k, n: n, threads: 1, kernel: tier, minSeconds: seconds))
            record("\(tier)-N", key, GemmBenchmark.gflops(m: m, k: k, n: n, threads: threads, kernel: tier,
                                                          minSeconds: seconds))
        }
    }
}

@MainActor func cell(_ column: String, _ key: String) -> String {
    best[column]?[key].map { String(format: "%9.1f", $0) } ?? "        -"
}
if withGemm {
    print("gemm kernel: \(GemmBenchmark.kernelDescription); best of \(rounds) round(s) of \(seconds) s per figure; GFLOPS")
    let tierHeads = lowerTiers.map { "\($0)".padding(toLength: 6, withPad: " ", startingAt: 0) }
        .map { " \($0) 1t \($0) \(threads)t" }.joined()
    print("M×K×N            ours 1t  ours \(threads)t  numpy 1t numpy \(threads)t" + tierHeads)
    for (m, k, n) in sizes {
        let key = "\(m)x\(k)x\(n)"
        let tierCells = lowerTiers.flatMap { [cell("\($0)-1", key), cell("\($0)-N", key)] }
        print(([key.padding(toLength: 15, withPad: " ", startingAt: 0),
                cell("ours-1", key), cell("ours-N", key), cell("numpy-1", key), cell("numpy-N", key)] + tierCells)
              .joined(separator: " "))
    }
    print()
}

// Element-wise kernels: the best (lowest) figure of the rounds for each path.
var elementwise: [ElementwiseBenchmark.Row] = []
for _ in 0..<rounds {
    let measured = ElementwiseBenchmark.measure(minSeconds: seconds / 4)
    elementwise = elementwise.isEmpty ? measured : zip(elementwise, measured).map { best, new in
        var row = best
        row.scalarLoop = min(best.scalarLoop, new.scalarLoop)
        row.portable = min(best.portable, new.portable)
        row.best = min(best.best, new.best)
        row.threaded = min(best.threaded, new.threaded)
        return row
    }
}
let bestName = ElementwiseBenchmark.kernelName
print("element-wise kernels: best of \(rounds) round(s); ns per element")
print("operation            scalar loop  portable 1t  \(bestName) 1t  \(bestName) \(threads)t  speed-up")
for row in elementwise {
    print(row.name.padding(toLength: 20, withPad: " ", startingAt: 0),
          String(format: "%11.3f  %11.3f  %11.3f  %11.3f  %7.1f×", row.scalarLoop, row.portable, row.best,
                 row.threaded, row.scalarLoop / row.threaded))
}
