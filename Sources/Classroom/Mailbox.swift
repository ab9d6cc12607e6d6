import Foundation

/// What a follower's connection sends next: a frame (the newest replaces one not yet sent) or a
/// short notice (`{"warning": …}`; a few are kept, the oldest dropped).
final class Mailbox: @unchecked Sendable {
    /// A frame waiting to be sent, without its `seq` (the writer numbers frames as it sends them).
    struct Frame: Sendable {
        /// Milliseconds since the Unix epoch at which the state shown changed.
        var t: Int64
        var state: String
        var screen: String
        /// The last frame: the session ended (the connection closes after it).
        var ended = false
    }

    private let lock = NSLock()
    private var frame: Frame?
    private var notices: [String] = []
    private var closed = false
    private let signal: AsyncStream<Void>.Continuation
    /// Wakes the writer; it buffers one wake-up, so it never grows.
    let wakeups: AsyncStream<Void>

    static let keptNotices = 4

    init() {
        (wakeups, signal) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Replaces the frame waiting to be sent.
    func post(_ frame: Frame) {
        let posted = lock.withLock { () -> Bool in
            guard !closed else { return false }
            self.frame = frame
            return true
        }
        if posted { signal.yield() }
    }

    func post(notice: String) {
        lock.withLock {
            notices.append(notice)
            if notices.count > Self.keptNotices { notices.removeFirst(notices.count - Self.keptNotices) }
        }
        signal.yield()
    }

    /// The notices and the frame waiting, taken out.
    func take() -> (notices: [String], frame: Frame?) {
        lock.withLock {
            defer { notices.removeAll(); frame = nil }
            return (notices, frame)
        }
    }

    /// No more frames: the writer ends once it has sent what waits.
    func close() {
        lock.withLock { closed = true }
        signal.finish()
    }
}
