// Prints the GFLOPS of the project's gemm (one thread and all threads) beside NumPy's, for the
// products that matter to the model; then the nanoseconds per element of the element-wise
// kernels (GELU, SiLU, softmax) beside the scalar loops they replaced.
//
//     swift run -c release gemm-benchmark [--seconds S] [--rounds R] [--no-numpy] [--elementwise-only]
//                                         [--gemm-only] [--tiers] [--blas] [--json]
//
// Each figure is the best of R rounds; a round measures every size with ours and NumPy in turn,
// so a busy moment on a shared machine hurts neither side more than the other. `--tiers` also
// measures the lower kernel tiers this CPU runs (e.g. avx2 beside avx512) in the same rounds.
// `--blas` also times OpenBLAS and BLIS, loaded at run time with dlopen (never linked: a machine
// without them gets one line saying so), on the same data in the same rounds, checks their products
// against ours, and times ours and OpenBLAS's products alternating one by one (do idle threads of
// one slow the other?). `--json` prints every figure as one JSON object instead of the tables.
// The first line says which kernel ran (EXPLORER_KERNEL=portable|avx2-fma|avx512 lowers it).
// NumPy runs without OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, which slow a current OpenBLAS; the
// libraries loaded here see this process's environment as it is (run with and without to compare).
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
let withElementwise = !arguments.contains("--gemm-only")
let asJSON = arguments.contains("--json")
/// Lower tiers measured beside the automatic one (with --tiers).
let lowerTiers = arguments.contains("--tiers")
    ? GemmKernel.supportedTiers.filter { $0.resolvedName != GemmBenchmark.kernelName && $0 != .portable } : []
let sizes: [(m: Int, k: Int, n: Int)] = [
    (12, 16, 16), (64, 384, 384), (64, 384, 1536), (64, 1536, 384), (512, 512, 512),
]
/// The sizes whose products alternate with a library's (with --blas).
let alternatingSizes: [(m: Int, k: Int, n: Int)] = [(64, 384, 384), (512, 512, 512)]
let threads = GemmParallelism.maxThreads

/// The libraries `--blas` compares with, or why each could not be loaded.
let libraries: [(kind: BLASLibrary.Kind, loaded: Result<BLASLibrary, BLASLibrary.LoadError>)] =
    arguments.contains("--blas") && withGemm ? [BLASLibrary.Kind.openBLAS, .blis].map { ($0, BLASLibrary.load($0)) } : []
let loadedLibraries = libraries.compactMap { try? $0.loaded.get() }

/// NumPy's GFLOPS per "MxKxN" key at `threads` threads, from Benchmarks/numpy_matmul.py, and the
/// BLAS it reports.
func numpyGflops(threads: Int) -> (figures: [String: Double], blas: String?) {
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
    do { try process.run() } catch { return ([:], nil) }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return ([:], nil) }
    return (object.compactMapValues { $0 as? Double }, object["blas"] as? String)
}

/// Best figure per column ("ours-1", "ours-N", "numpy-1", "numpy-N", "OpenBLAS-1", …) and size key.
var best: [String: [String: Double]] = [:]
@MainActor func record(_ column: String, _ key: String, _ value: Double?) {
    guard let value else { return }
    best[column, default: [:]][key] = max(best[column]?[key] ?? 0, value)
}
var numpyBLAS: String?

for _ in 0..<(withGemm ? rounds : 0) {
    if withNumPy {
        for (column, count) in [("numpy-1", 1), ("numpy-N", threads)] {
            let (figures, blas) = numpyGflops(threads: count)
            numpyBLAS = blas ?? numpyBLAS
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
        for library in loadedLibraries {
            let name = library.kind.name
            record("\(name)-1", key, GemmBenchmark.gflops(library: library, m: m, k: k, n: n, threads: 1, minSeconds: seconds))
            record("\(name)-N", key, GemmBenchmark.gflops(library: library, m: m, k: k, n: n, threads: threads,
                                                          minSeconds: seconds))
        }
    }
    for library in loadedLibraries {
        for (m, k, n) in alternatingSizes {
            let key = "\(m)x\(k)x\(n)"
            let figures = GemmBenchmark.alternatingGflops(library: library, m: m, k: k, n: n, threads: threads,
                                                           minSeconds: seconds)
            record("ours-N-alternating-\(library.kind.name)", key, figures.ours)
            record("\(library.kind.name)-N-alternating", key, figures.library)
        }
    }
}

/// Each loaded library's largest relative difference from our product, per size.
let differences: [String: [String: Double]] = Dictionary(uniqueKeysWithValues: loadedLibraries.map { library in
    (library.kind.name, Dictionary(uniqueKeysWithValues: sizes.map { m, k, n in
        ("\(m)x\(k)x\(n)", GemmBenchmark.largestRelativeDifference(library: library, m: m, k: k, n: n))
    }))
})
/// Whether every size's difference is float rounding (at most 1e-5·√k, the bound the gemm tests
/// hold our kernel to against a double-precision loop), not a different product.
func isEqualWork(_ differences: [String: Double]?) -> Bool {
    sizes.allSatisfy { m, k, n in (differences?["\(m)x\(k)x\(n)"] ?? .infinity) <= 1e-5 * Double(k).squareRoot() }
}

/// The OPENBLAS_* settings this process (so the loaded OpenBLAS) runs with.
let openBLASEnvironment = ProcessInfo.processInfo.environment.filter { $0.key.hasPrefix("OPENBLAS_") }
    .sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }

@MainActor func cell(_ column: String, _ key: String) -> String {
    best[column]?[key].map { String(format: "%9.1f", $0) } ?? "        -"
}
if withGemm && !asJSON {
    print("gemm kernel: \(GemmBenchmark.kernelDescription); best of \(rounds) round(s) of \(seconds) s per figure; GFLOPS")
    if let numpyBLAS { print("numpy: \(numpyBLAS) (OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset)") }
    for (kind, loaded) in libraries {
        switch loaded {
        case .success(let library):
            let worst = differences[kind.name]?.values.max() ?? .nan
            let check = isEqualWork(differences[kind.name]) ? "equal work: within 1e-5·√K" : "NOT the same product"
            print("\(kind.name): \(library.file), \(library.info); largest |theirs − ours| / (1 + |ours|) "
                  + String(format: "%.1e", worst) + " (\(check))")
        case .failure(let error):
            print("\(error); carrying on without it")
        }
    }
    if !libraries.isEmpty {
        print("OpenBLAS environment: " + (openBLASEnvironment.isEmpty ? "no OPENBLAS_* set" : openBLASEnvironment.joined(separator: " ")))
    }
    let tierHeads = lowerTiers.map { "\($0)".padding(toLength: 6, withPad: " ", startingAt: 0) }
        .map { " \($0) 1t \($0) \(threads)t" }.joined()
    let libraryHeads = loadedLibraries.map { $0.kind.name.lowercased().padding(toLength: 6, withPad: " ", startingAt: 0) }
        .map { " \($0) 1t \($0) \(threads)t" }.joined()
    print("M×K×N            ours 1t  ours \(threads)t  numpy 1t numpy \(threads)t" + tierHeads + libraryHeads)
    for (m, k, n) in sizes {
        let key = "\(m)x\(k)x\(n)"
        let tierCells = lowerTiers.flatMap { [cell("\($0)-1", key), cell("\($0)-N", key)] }
        let libraryCells = loadedLibraries.flatMap { [cell("\($0.kind.name)-1", key), cell("\($0.kind.name)-N", key)] }
        print(([key.padding(toLength: 15, withPad: " ", startingAt: 0),
                cell("ours-1", key), cell("ours-N", key), cell("numpy-1", key), cell("numpy-N", key)] + tierCells
               + libraryCells).joined(separator: " "))
    }
    for library in loadedLibraries {
        let name = library.kind.name
        print("\(name) and ours alternating product by product, \(threads) threads each (alone in brackets):")
        for (m, k, n) in alternatingSizes {
            let key = "\(m)x\(k)x\(n)"
            print("  \(key.padding(toLength: 13, withPad: " ", startingAt: 0)) ours \(cell("ours-N-alternating-\(name)", key)) (\(cell("ours-N", key)))"
                  + "   \(name.lowercased()) \(cell("\(name)-N-alternating", key)) (\(cell("\(name)-N", key)))")
        }
    }
    print()
}

// Element-wise kernels: the best (lowest) figure of the rounds for each path.
var elementwise: [ElementwiseBenchmark.Row] = []
for _ in 0..<(withElementwise ? rounds : 0) {
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
if withElementwise && !asJSON {
    print("element-wise kernels: best of \(rounds) round(s); ns per element")
    print("operation            scalar loop  portable 1t  \(bestName) 1t  \(bestName) \(threads)t  speed-up")
    for row in elementwise {
        print(row.name.padding(toLength: 20, withPad: " ", startingAt: 0),
              String(format: "%11.3f  %11.3f  %11.3f  %11.3f  %7.1f×", row.scalarLoop, row.portable, row.best,
                     row.threaded, row.scalarLoop / row.threaded))
    }
}

if asJSON {
    var libraryObjects: [[String: Any]] = []
    for (kind, loaded) in libraries {
        switch loaded {
        case .success(let library):
            libraryObjects.append(["name": kind.name, "file": library.file, "info": library.info,
                                   "largest_relative_difference": differences[kind.name] ?? [:],
                                   "equal_work": isEqualWork(differences[kind.name])])
        case .failure(let error):
            libraryObjects.append(["name": kind.name, "error": "\(error)"])
        }
    }
    var object: [String: Any] = [
        "kernel": GemmBenchmark.kernelName, "kernel_description": GemmBenchmark.kernelDescription,
        "rounds": rounds, "seconds": seconds, "threads": threads,
        // Columns: ours-1, ours-N, numpy-1, numpy-N, <tier>-1/-N, <library>-1/-N, and with --blas
        // <library>-N-alternating and ours-N-alternating-<library>; N is "threads".
        "gflops": best,
    ]
    if let numpyBLAS { object["numpy_blas"] = numpyBLAS }
    if !libraries.isEmpty {
        object["libraries"] = libraryObjects
        object["openblas_environment"] = openBLASEnvironment
    }
    if withElementwise {
        object["elementwise_ns_per_element"] = elementwise.map {
            ["name": $0.name, "scalar_loop": $0.scalarLoop, "portable": $0.portable, "best": $0.best, "threaded": $0.threaded]
        }
    }
    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}
