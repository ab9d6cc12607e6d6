import Foundation

/// One follower of the classroom: its mode, size, own copy (in own mode), outgoing mailbox and
/// key budget. Its lock serialises everything done to its own copy.
final class Follower: @unchecked Sendable {
    let id: Int
    let mailbox = Mailbox()
    let lock = NSLock()
    var mode: FollowerMode = .follow
    var size: FollowerSize?
    var own: OwnCopy?
    /// Names this follower's own copy, so a page that reconnects gets it back (sent in own-mode frames).
    var resumeToken: String?
    /// Counts own copies made, so an answer for an older copy is recognised and dropped.
    var generation = 0
    var keys: KeyBudget
    /// When the last "too many keys" notice went out, in milliseconds.
    var lastThrottleNotice: Int64 = 0

    init(id: Int, size: FollowerSize?, keys: KeyBudget) {
        self.id = id
        self.size = size
        self.keys = keys
    }

    /// The prefix of the keys of this follower's jobs in the pool.
    var jobPrefix: String { "f\(id)/" }
}

/// A token bucket: `perSecond` keys a second on average, up to `burst` at once.
struct KeyBudget: Sendable {
    var perSecond: Double
    var burst: Double
    private var tokens: Double
    private var last: Double?

    init(perSecond: Double, burst: Double) {
        self.perSecond = perSecond
        self.burst = burst
        tokens = burst
    }

    /// Takes one key's token at `seconds` (a monotonic clock); false when none is left.
    mutating func take(at seconds: Double) -> Bool {
        if let last { tokens = min(burst, tokens + (seconds - last) * perSecond) }
        last = seconds
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}
