import CKernels

/// Work split across the cores through the matmul's worker pool (the same threads, so a forward
/// pass never has more threads than cores).
public enum Parallel {
    /// The threads `forEach` can use: the online processors.
    public static var threads: Int { Int(ck_pool_threads()) }

    /// Runs `body(i)` for every i in `0..<count`, on the calling thread and the pool's workers, and
    /// returns when all have run. `body` must be safe to run on several threads at once (e.g. each
    /// index writes its own part of an output). Nested inside another `forEach` (or a product that
    /// is using the pool), the calls run one after another on the calling thread.
    public static func forEach(_ count: Int, _ body: (Int) -> Void) {
        guard count > 1, threads > 1 else {
            for i in 0..<max(count, 0) { body(i) }
            return
        }
        withoutActuallyEscaping(body) { body in
            var task = Task(body: body)
            withUnsafeMutablePointer(to: &task) { context in
                ck_parallel_for(count, { context, index in
                    context!.assumingMemoryBound(to: Task.self).pointee.body(index)
                }, context)
            }
        }
    }

    /// `0..<count` cut into at most `parts` contiguous ranges of nearly equal length.
    public static func chunks(_ count: Int, parts: Int) -> [Range<Int>] {
        let parts = max(1, min(parts, count))
        return (0..<parts).map { p in (p * count / parts)..<((p + 1) * count / parts) }
    }

    private struct Task {
        let body: (Int) -> Void
    }
}
