import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A fixed number of threads that perform the jobs of every follower exploring on its own: one
/// bounded pool however many explore, so own-mode runs never take more than their share of the
/// machine from the teacher. A job with a key replaces a waiting job with the same key, in its place
/// (a follower's newer run supersedes its older one; a newer frame to draw, the older one), and may
/// wait a delay before it starts.
final class WorkerPool: @unchecked Sendable {
    private struct Job {
        var body: @Sendable () -> Void
        var key: String?
        var notBefore: DispatchTime
    }

    private let condition = NSCondition()
    private var queue: [Job] = []
    private var running = 0
    private var stopped = false
    let threads: Int

    /// - Parameters:
    ///   - threads: how many jobs run at once.
    ///   - niceness: how much lower than the teacher's the threads' priority is (Linux's nice).
    init(threads: Int, niceness: Int32 = 10) {
        self.threads = max(1, threads)
        for n in 0..<self.threads {
            let thread = Thread { [self] in
                #if os(Linux)
                let which = __priority_which_t(PRIO_PROCESS.rawValue)
                _ = setpriority(which, 0, getpriority(which, 0) + niceness)
                #endif
                loop()
            }
            thread.name = "classroom.own.\(n)"
            thread.start()
        }
    }

    /// The pool's size for this machine: every core but one for the teacher, at least one.
    static var machineSized: Int { max(1, ProcessInfo.processInfo.activeProcessorCount - 1) }

    func enqueue(key: String? = nil, delayMilliseconds: Int = 0, _ body: @escaping @Sendable () -> Void) {
        condition.withLock {
            guard !stopped else { return }
            let job = Job(body: body, key: key, notBefore: .now() + .milliseconds(max(0, delayMilliseconds)))
            // A replaced job keeps its place in the queue, so a follower who keeps typing is not
            // pushed behind everyone else for ever.
            if let key, let index = queue.firstIndex(where: { $0.key == key }) {
                queue[index] = job
            } else {
                queue.append(job)
            }
            condition.broadcast()
        }
    }

    /// Drops the waiting jobs whose key starts with `prefix` (a follower that left).
    func cancel(prefix: String) {
        condition.withLock { queue.removeAll { $0.key?.hasPrefix(prefix) == true } }
    }

    /// Jobs waiting or running.
    var pending: Int { condition.withLock { queue.count + running } }

    /// Waits until no job waits or runs (for tests and the benchmark).
    func waitUntilIdle() {
        condition.withLock { while running > 0 || !queue.isEmpty { condition.wait() } }
    }

    /// Ends the threads after the jobs they are running; waiting jobs are dropped.
    func stop() {
        condition.withLock {
            stopped = true
            queue.removeAll()
            condition.broadcast()
        }
    }

    private func loop() {
        condition.lock()
        while true {
            if stopped { condition.unlock(); return }
            let now = DispatchTime.now()
            guard let index = queue.firstIndex(where: { $0.notBefore <= now }) else {
                if let soonest = queue.map(\.notBefore).min() {
                    let seconds = Double(soonest.uptimeNanoseconds - now.uptimeNanoseconds) / 1e9
                    _ = condition.wait(until: Date(timeIntervalSinceNow: seconds))
                } else {
                    condition.wait()
                }
                continue
            }
            let job = queue.remove(at: index)
            running += 1
            condition.unlock()
            job.body()
            condition.lock()
            running -= 1
            condition.broadcast()
        }
    }
}
