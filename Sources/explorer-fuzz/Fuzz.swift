import Foundation

/// `explorer-fuzz`: runs the `explorer` binary on mutated copies of the bundled models' files
/// (`model.safetensors`, `config.json`, `tokenizer.json`) and of the bundled lessons, and fails on
/// a crash signal, a run that passes its time limit, an escape byte in the output, or a file changed
/// outside the export folder. Seeded and reproducible: `--seed S` and the case number name a case,
/// `--case N` runs that one alone. The corpus (`Tests/Fixtures/fuzz`) is replayed first.
///
///     explorer-fuzz [--seconds 60] [--seed 1] [--per-case 20] [--case N] [--explorer PATH] [--keep DIR]
@main
struct ExplorerFuzz {
    static func main() {
        let options = Options(Swift.CommandLine.arguments.dropFirst())
        guard FileManager.default.isExecutableFile(atPath: options.explorer) else {
            fail("explorer-fuzz: no explorer binary at \(options.explorer) (build it first: swift build --product explorer)")
        }
        let repository = Options.repository
        let started = Date()
        var failures: [String] = []
        var count = 0
        let formats = Format.allCases
        let tally = Runner.Tally()

        func runCase(_ fuzzCase: FuzzCase) {
            count += 1
            if let problem = Runner(options: options, repository: repository, tally: tally).run(fuzzCase) {
                let line = "FAIL \(fuzzCase.name): \(problem)"
                failures.append(line)
                print(line)
                if let keep = options.keep { fuzzCase.save(in: keep) }
            }
        }

        if options.only == nil {
            for fuzzCase in Corpus.load(repository + "/Tests/Fixtures/fuzz") { runCase(fuzzCase) }
        }
        let corpusCount = count
        var index = options.only ?? 0
        while options.only != nil ? index == options.only! : Date().timeIntervalSince(started) < options.seconds {
            var random = SplitMix(seed: options.seed &* 0x9E37_79B9 &+ UInt64(index))
            let format = formats[index % formats.count]
            runCase(Mutator.make(format, index: index, seed: options.seed, random: &random, repository: repository))
            index += 1
        }
        let elapsed = Date().timeIntervalSince(started)
        print(String(format: "explorer-fuzz: %d cases (%d from the corpus; %d results, %d refusals) in %.1f s, seed %llu: %d failures",
                     count, corpusCount, tally.results, tally.refusals, elapsed, options.seed, failures.count))
        // The closing line test runners print, for whatever reads a run's last line.
        print("fuzz: \(count - failures.count) passed, \(failures.count) failed")
        if !failures.isEmpty { exit(1) }
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(2)
    }
}

/// The command line.
struct Options {
    var seconds: Double = 60
    var seed: UInt64 = 1
    var perCase: Double = 20
    var only: Int?
    var explorer: String
    var keep: String?

    /// The repository: the working directory when it has Package.swift, else found from this source file.
    static let repository: String = {
        let here = FileManager.default.currentDirectoryPath
        if FileManager.default.fileExists(atPath: here + "/Package.swift") { return here }
        var path = "\(#filePath)" as NSString
        for _ in 0..<3 { path = path.deletingLastPathComponent as NSString }
        return path as String
    }()

    init<S: Sequence>(_ arguments: S) where S.Element == String {
        let binaryDirectory = (URL(fileURLWithPath: Swift.CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().path)
        explorer = binaryDirectory + "/explorer"
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            guard let value = iterator.next() else { ExplorerFuzz.fail("explorer-fuzz: \(argument) needs a value") }
            switch argument {
            case "--seconds": seconds = Double(value) ?? seconds
            case "--seed": seed = UInt64(value) ?? seed
            case "--per-case": perCase = Double(value) ?? perCase
            case "--case": only = Int(value)
            case "--explorer": explorer = value
            case "--keep": keep = value
            default: ExplorerFuzz.fail("explorer-fuzz: unknown option \(argument)")
            }
        }
    }
}

/// SplitMix64: small, seeded, the same on every machine.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
    mutating func chance(_ oneIn: Int) -> Bool { below(oneIn) == 0 }
}
