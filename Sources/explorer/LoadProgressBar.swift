#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Transformer

/// How the command line shows a large model file loading, on standard error (standard output, which
/// may be JSON, is never touched): on a terminal one bar redrawn in place, ending with a line break;
/// otherwise (a log, a pipe) a plain line at each tenth. Files whose tensors take fewer bytes than
/// `EXPLORER_PROGRESS_BYTES` (default a gigabyte) show nothing.
final class LoadProgressBar: @unchecked Sendable {
    /// The variable that sets the threshold, in bytes (0: every file).
    static let variable = "EXPLORER_PROGRESS_BYTES"
    static let barWidth = 24

    /// The threshold the environment sets (a gigabyte when it sets none); throws for a value that is
    /// not a whole number of bytes, naming the variable.
    static func threshold(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Int {
        guard let text = environment[variable] else { return LoadProgressReporter.defaultThreshold }
        guard let bytes = Int(text.trimmingCharacters(in: .whitespaces)), bytes >= 0 else {
            throw ModelError.badInput("\(variable) must be a whole number of bytes (0 shows every load's progress), is \"\(text)\"")
        }
        return bytes
    }

    /// A reporter drawing on standard error, with the threshold the environment sets.
    static func reporter(environment: [String: String] = ProcessInfo.processInfo.environment,
                         terminal: Bool = isatty(STDERR_FILENO) == 1,
                         write: @escaping @Sendable (String) -> Void = LoadProgressBar.writeStandardError) throws -> LoadProgressReporter {
        let bar = LoadProgressBar(terminal: terminal, write: write)
        return LoadProgressReporter(threshold: try threshold(environment: environment)) { bar.show($0) }
    }

    let terminal: Bool
    let write: @Sendable (String) -> Void
    private var shown = -1
    private let lock = NSLock()

    init(terminal: Bool, write: @escaping @Sendable (String) -> Void) {
        self.terminal = terminal
        self.write = write
    }

    /// Draws `progress` when it changes what is shown: on a terminal each whole percent, else each tenth.
    func show(_ progress: LoadProgress) {
        let finished = progress.done >= progress.total
        let step = terminal ? Int(progress.fraction * 100) : Int(progress.fraction * 10)
        let text: String? = lock.withLock {
            guard step > shown || (finished && shown < (terminal ? 100 : 10)) else { return nil }
            shown = step
            let line = Self.line(progress)
            return terminal ? "\r" + line + (finished ? "\n" : "") : line + "\n"
        }
        if let text { write(text) }
    }

    /// One line: `loading weights [############------------]  50%  0.6 of 1.2 GB`.
    static func line(_ progress: LoadProgress) -> String {
        let fraction = min(max(progress.fraction, 0), 1)
        let filled = Int(fraction * Double(barWidth))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: barWidth - filled)
        let percent = String(Int(fraction * 100))
        return "loading weights [\(bar)] \(String(repeating: " ", count: 3 - percent.count))\(percent)%  "
            + "\(size(progress.done, of: progress.total)) of \(size(progress.total, of: progress.total))"
    }

    /// Bytes in the unit the total reads best in: `1.2 GB`, `640.0 MB`.
    static func size(_ bytes: Int, of total: Int) -> String {
        let (unit, scale) = total >= 1_000_000_000 ? ("GB", 1e9) : ("MB", 1e6)
        return String(format: "%.1f", Double(bytes) / scale) + " " + unit
    }

    /// Standard error, unbuffered; the text is made here from numbers only, so needs no sanitising.
    @Sendable static func writeStandardError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
