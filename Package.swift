// swift-tools-version:6.0
import PackageDescription

/// Release builds of the numeric kernels are optimised without bounds checks in the inner loops;
/// CPU-specific code is chosen at run time (see Sources/Tensor/Kernels), never by a build flag,
/// so one binary runs on any x86-64 machine.
let package = Package(
    name: "TransformerExplorer",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "explorer", targets: ["explorer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // The classroom's server (HTTP and WebSocket), used only by the Classroom target and its tests.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
    ],
    targets: [
        // The matrix-product kernels: portable C plus an AVX2+FMA micro-kernel picked at run time.
        // Element-wise kernels too (exp, erf, GELU, SiLU, softmax), fitted by fit_elementwise.py.
        .target(name: "CKernels", exclude: ["fit_elementwise.py"], cSettings: [.unsafeFlags(["-O3"])]),
        .target(name: "Tensor", dependencies: ["CKernels"]),
        .target(name: "Tokenizers"),
        .target(name: "Terminal"),
        // Figures for slides and handouts: heatmaps and screens as SVG, PNG (own encoder, bitmap font), text.
        .target(name: "Figures", dependencies: ["Terminal"], exclude: ["Font8x8-LICENSE.txt"]),
        // ncursesw through a shim header (wide characters; accessors for C globals and macros).
        .systemLibrary(name: "CNcurses", pkgConfig: "ncursesw", providers: [.apt(["libncurses-dev"])]),
        // Signal handlers that restore the terminal on a quit request or a crash (async-signal-safe C).
        .target(name: "CTerminalSignals"),
        // The backend that paints a Canvas with ncurses and reads keys, mouse, paste and resizes.
        .target(name: "TerminalCurses", dependencies: ["Terminal", "CNcurses", "CTerminalSignals"]),
        .target(name: "Transformer", dependencies: ["Tensor", "Tokenizers"]),
        // What several front ends show, computed once from a run: head character, the six steps, next token.
        .target(name: "Analysis", dependencies: ["Tensor", "Transformer"]),
        .target(name: "Explorer", dependencies: ["Tensor", "Transformer", "Analysis", "Terminal", "Lessons", "Figures"]),
        .target(name: "Lessons", dependencies: ["Tensor", "Tokenizers", "Transformer", "Analysis", "Terminal"]),
        // The classroom: a server for followers (a page at / and a WebSocket at /ws), and the client `follow` uses.
        .target(name: "Classroom", dependencies: [
            "Explorer", "Lessons", "Terminal", "Transformer",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
        ]),
        .executableTarget(
            name: "explorer",
            dependencies: [
                "Tensor", "Tokenizers", "Transformer", "Analysis", "Terminal", "TerminalCurses", "Explorer", "Lessons", "Figures", "Classroom",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // `swift run explorer-fuzz --seconds 60 --seed 1`: mutated model files and lessons run through the
        // built `explorer`; fails on a crash signal, a hang, an escape byte in the output or a file changed
        // outside the export folder.
        .executableTarget(name: "explorer-fuzz", path: "Sources/explorer-fuzz"),
        // `swift run -c release gemm-benchmark`: our gemm beside NumPy's, one thread and all.
        .executableTarget(name: "gemm-benchmark", dependencies: ["Tensor"], path: "Benchmarks/GemmBenchmark"),
        .testTarget(name: "TensorTests", dependencies: ["Tensor"]),
        .testTarget(name: "TokenizersTests", dependencies: ["Tokenizers"]),
        // Snapshots are text files the tests read by path, not resources.
        .testTarget(name: "FiguresTests", dependencies: ["Figures", "Terminal"]),
        .testTarget(name: "TerminalTests", dependencies: ["Terminal"], exclude: ["__Snapshots__"]),
        // Unit tests of the backend's pure parts, and `explorer keys` end to end under tmux.
        .testTarget(name: "TerminalCursesTests", dependencies: ["TerminalCurses", "Terminal", "Transformer", "explorer"]),
        .testTarget(name: "ExplorerCLITests", dependencies: ["explorer", "Terminal", "Transformer", "Tensor"]),
        .testTarget(name: "ExplorerTests", dependencies: ["Explorer", "Transformer", "Analysis", "Terminal", "Lessons", "Figures"], exclude: ["__Snapshots__"]),
        .testTarget(name: "TransformerTests", dependencies: ["Transformer", "Tensor", "Tokenizers"]),
        .testTarget(name: "LessonsTests", dependencies: ["Lessons", "Transformer", "Analysis", "Tensor"]),
        .testTarget(name: "ClassroomTests", dependencies: [
            "Classroom", "Explorer", "Terminal", "Transformer", "Lessons",
            .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
        ]),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis", "Transformer", "Tensor"]),
    ]
)
