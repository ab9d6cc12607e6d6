import Foundation

/// How far loading a model file has got: the bytes of its tensors made ready so far, of all of them.
/// Reported tensor by tensor (a safetensors tensor made, converted to floats where stored as F16, BF16
/// or F64; a GGUF tensor located in the mapping); the last report has `done == total`.
public struct LoadProgress: Sendable, Equatable, Codable {
    /// Bytes of the tensors handled so far (as stored in the file).
    public var done: Int
    /// Bytes of all the file's tensors.
    public var total: Int

    public init(done: Int, total: Int) {
        self.done = done
        self.total = total
    }

    /// `done / total`, 1 for a file without tensor data.
    public var fraction: Double { total > 0 ? Double(done) / Double(total) : 1 }
}

/// Who hears how loading a model file goes, and from what size on: a file whose tensors take fewer
/// than `threshold` bytes loads too fast to need it and reports nothing.
public struct LoadProgressReporter: Sendable {
    /// A gigabyte: smaller files load in a moment.
    public static let defaultThreshold = 1_000_000_000
    /// The smallest total of tensor bytes that is reported.
    public var threshold: Int
    /// Called with each step, on the loading thread, first with `done == 0`.
    public var report: @Sendable (LoadProgress) -> Void

    public init(threshold: Int = defaultThreshold, report: @escaping @Sendable (LoadProgress) -> Void) {
        self.threshold = threshold
        self.report = report
    }
}

/// Counts the bytes of the tensors a loader has read from one file, each tensor once however often it
/// is asked for (tied embeddings are), and tells the reporter. A class: the file's copies that the
/// loader passes around share one count. Inert without a reporter or below its threshold.
final class LoadMeter: @unchecked Sendable {
    let reporter: LoadProgressReporter?
    let total: Int
    private var done = 0
    private var counted: Set<String> = []
    private let lock = NSLock()

    init(_ reporter: LoadProgressReporter?, total: Int) {
        self.reporter = reporter.flatMap { total >= $0.threshold ? $0 : nil }
        self.total = total
        self.reporter?.report(LoadProgress(done: 0, total: total))
    }

    /// Tensor `name`, `bytes` long in the file, is ready.
    func read(_ name: String, bytes: Int) {
        guard let reporter else { return }
        let progress: LoadProgress? = lock.withLock {
            guard counted.insert(name).inserted else { return nil }
            done = min(total, done + bytes)
            return LoadProgress(done: done, total: total)
        }
        if let progress { reporter.report(progress) }
    }

    /// The loader is done with the file: whatever it did not read (tensors it has no use for) counts too.
    func finish() {
        guard let reporter else { return }
        let progress: LoadProgress? = lock.withLock {
            guard done < total else { return nil }
            done = total
            return LoadProgress(done: total, total: total)
        }
        if let progress { reporter.report(progress) }
    }
}
