import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Performs effects off the UI thread and collects their answers for the UI to take.
///
/// Two workers, each in order: one runs models (a run request not yet started is replaced by a
/// newer one, and waits out its debounce delay first), the other evaluates lesson steps (only the
/// newest waiting evaluation is kept) and reads and writes progress. So a keystroke is never
/// behind a forward pass, and a stale result is never even computed when a newer request came in time.
public final class EffectRunner: @unchecked Sendable {
    private let performer: EffectPerformer
    private let models: Worker
    private let lessons: Worker
    private let inboxLock = NSLock()
    private var inbox: [Message] = []
    private let wake: @Sendable () -> Void

    /// - Parameter wake: called (on a worker thread) whenever answers are waiting.
    public init(performer: EffectPerformer, wake: @escaping @Sendable () -> Void = {}) {
        self.performer = performer
        self.wake = wake
        // The model's thread yields to the UI's: a key is answered at once even on a busy machine.
        models = Worker(name: "explorer.models", niceness: 5)
        lessons = Worker(name: "explorer.lessons")
    }

    deinit {
        models.stop()
        lessons.stop()
    }

    /// Starts the effects; their answers arrive later through `takeMessages()`.
    public func start(_ effects: [Effect]) {
        for effect in effects {
            let job: @Sendable () -> Void = { [weak self] in
                guard let self else { return }
                let answers = self.performer.perform(effect) { early in
                    self.inboxLock.withLock { self.inbox.append(early) }
                    self.wake()
                }
                self.inboxLock.withLock { self.inbox += answers }
                self.wake()
            }
            switch effect {
            case .run(let request):
                models.enqueue(job, replacing: "run", delayMilliseconds: request.delayMilliseconds)
            case .evaluateStep:
                lessons.enqueue(job, replacing: "evaluate")
            case .loadProgress, .saveStep, .saveAnswer, .saveScreen:
                lessons.enqueue(job)
            case .keepRun:
                // On the models' worker, so it takes effect before any later run is stored.
                models.enqueue(job)
            }
        }
    }

    /// The answers that arrived since the last call, in order.
    public func takeMessages() -> [Message] {
        inboxLock.withLock {
            defer { inbox.removeAll() }
            return inbox
        }
    }

    /// Whether any effect is still waiting, running, or has answers not taken yet.
    public var isBusy: Bool {
        models.isBusy || lessons.isBusy || inboxLock.withLock { !inbox.isEmpty }
    }

    /// Waits until every effect started so far has been performed (for tests and benchmarks).
    public func waitUntilIdle() {
        models.waitUntilIdle()
        lessons.waitUntilIdle()
    }
}

/// A thread that performs jobs one at a time, in order; a job with a `replacing` key replaces a
/// waiting job with the same key, and a job may wait a delay before it starts.
final class Worker: @unchecked Sendable {
    private struct Job {
        var body: @Sendable () -> Void
        var key: String?
        var notBefore: DispatchTime
    }

    private let condition = NSCondition()
    private var queue: [Job] = []
    private var running = false
    private var stopped = false

    /// - Parameter niceness: how much lower than the app's the thread's scheduling priority is (Linux's nice).
    init(name: String, niceness: Int32 = 0) {
        let thread = Thread {
            if niceness != 0 { Self.lowerPriority(by: niceness) }
            self.loop()
        }
        thread.name = name
        thread.start()
    }

    func enqueue(_ body: @escaping @Sendable () -> Void, replacing key: String? = nil, delayMilliseconds: Int = 0) {
        condition.withLock {
            if let key { queue.removeAll { $0.key == key } }
            let due = DispatchTime.now() + .milliseconds(max(0, delayMilliseconds))
            queue.append(Job(body: body, key: key, notBefore: due))
            condition.broadcast()
        }
    }

    var isBusy: Bool { condition.withLock { running || !queue.isEmpty } }

    /// Ends the thread once the job it is running (if any) is done; waiting jobs are dropped.
    func stop() {
        condition.withLock {
            stopped = true
            queue.removeAll()
            condition.broadcast()
        }
    }

    func waitUntilIdle() {
        condition.withLock {
            while running || !queue.isEmpty { condition.wait() }
        }
    }

    /// Lowers the calling thread's priority: on Linux the nice value belongs to each thread, and
    /// `who` 0 names the calling one.
    private static func lowerPriority(by niceness: Int32) {
        #if os(Linux)
        let which = __priority_which_t(PRIO_PROCESS.rawValue)
        _ = setpriority(which, 0, getpriority(which, 0) + niceness)
        #endif
    }

    private func loop() {
        while true {
            condition.lock()
            while queue.isEmpty && !stopped { condition.wait() }
            if stopped {
                condition.unlock()
                return
            }
            let job = queue[0]
            let now = DispatchTime.now()
            if job.notBefore > now {
                // Wait out the delay; a newer job may replace this one meanwhile.
                let seconds = Double(job.notBefore.uptimeNanoseconds - now.uptimeNanoseconds) / 1e9
                _ = condition.wait(until: Date(timeIntervalSinceNow: seconds))
                condition.unlock()
                continue
            }
            queue.removeFirst()
            running = true
            condition.unlock()
            job.body()
            condition.withLock {
                running = false
                condition.broadcast()
            }
        }
    }
}
