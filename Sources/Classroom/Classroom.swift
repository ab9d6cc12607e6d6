import Explorer
import Foundation
import Lessons
import Terminal
import Transformer

/// Milliseconds since the Unix epoch (the protocol's `t`).
public func epochMilliseconds() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

/// The classroom without its network: the teacher publishes each frame here; followers join with
/// the code, are sent the newest frame (a frame not yet sent is replaced, never queued), and in own
/// mode act on their own copy of the app. Nothing a follower sends reaches the teacher's state: the
/// teacher's state is only ever read here, to copy it.
public final class Classroom: @unchecked Sendable {
    /// The server's limits and the join code.
    public struct Options: Sendable {
        public var code: String
        public var maxFollowers: Int
        /// Keys a follower may send a second on average, and at once.
        public var keysPerSecond: Double
        public var keyBurst: Double
        /// Threads of the pool that runs own-mode followers' models.
        public var ownThreads: Int

        /// `ownThreads` nil: every core but one, at least one.
        public init(code: String, maxFollowers: Int = 200, keysPerSecond: Double = 20, keyBurst: Double = 40,
                    ownThreads: Int? = nil) {
            self.code = code; self.maxFollowers = maxFollowers; self.keysPerSecond = keysPerSecond
            self.keyBurst = keyBurst; self.ownThreads = ownThreads ?? WorkerPool.machineSized
        }
    }

    /// The teacher's newest frame, as sent and as copied for own mode.
    struct TeacherFrame {
        var state: AppState
        var store: RunStore
        var canvas: Canvas
        var frame: Mailbox.Frame
    }

    /// How a join went: in, or refused with a message and a WebSocket close code.
    enum Admission {
        case joined(Follower)
        case refused(String, closeCode: UInt16)
    }

    /// How many answered one quiz, and how many of them right.
    public struct QuizCount: Equatable, Sendable {
        public var quiz: String
        public var answered: Int
        public var right: Int

        public init(quiz: String, answered: Int, right: Int) { self.quiz = quiz; self.answered = answered; self.right = right }
    }

    public let options: Options
    let environment: ExplorerEnvironment
    let pool: WorkerPool
    private let lock = NSLock()
    private var teacher: TeacherFrame?
    private var followers: [Int: Follower] = [:]
    private var nextFollower = 1
    private var locked = false
    private var ended = false
    /// Per lesson and quiz ("six-steps/2.1"), each follower's latest understood answer: right or not.
    private var tallies: [String: [Int: Bool]] = [:]
    /// Own copies of followers whose connection dropped, by resume token, with when they were parked:
    /// a page that reconnects within `parkedMilliseconds` explores on where it was.
    private var parked: [String: (copy: OwnCopy, at: Int64)] = [:]
    static let parkedMilliseconds: Int64 = 10 * 60 * 1000

    /// Wrong codes per address, for slowing down guessing.
    private var wrongCodes: [String: Int] = [:]

    /// - Parameter environment: how own copies load models and find lessons (their progress is never saved).
    public init(options: Options, environment: ExplorerEnvironment) {
        self.options = options
        self.environment = environment
        pool = WorkerPool(threads: options.ownThreads)
    }

    deinit { pool.stop() }

    // MARK: The teacher's side

    /// The teacher's screen changed (or its state did, at `changedAt`): followers in follow mode are
    /// sent it. `canvas` is what the followers see; `state` is copied by those who start exploring.
    public func publish(state: AppState, store: RunStore, canvas: Canvas, changedAt: Int64) {
        let frame = Mailbox.Frame(t: changedAt, state: Self.stateJSON(state, mode: .follow, locked: lock.withLock { locked }),
                                  screen: ScreenCoding.encode(canvas, dark: state.theme.background == .dark))
        // The classroom's lock is never held while a follower's is taken (a follower's work takes them the other way round).
        let all = lock.withLock { () -> [Follower] in
            teacher = TeacherFrame(state: state, store: store, canvas: canvas, frame: frame)
            return Array(followers.values)
        }
        for follower in all where follower.lock.withLock({ follower.mode == .follow }) { follower.mailbox.post(frame) }
    }

    /// How many follow the teacher and how many explore on their own.
    public var counts: (following: Int, exploring: Int) {
        let all = lock.withLock { Array(followers.values) }
        let exploring = all.filter { follower in follower.lock.withLock { follower.mode == .own } }.count
        return (all.count - exploring, exploring)
    }

    public var isLocked: Bool { lock.withLock { locked } }

    /// Locks everyone to follow mode (their own copies are dropped), or lets them explore again.
    public func setLocked(_ value: Bool) {
        let (all, frame) = lock.withLock { () -> ([Follower], TeacherFrame?) in
            locked = value
            return (Array(followers.values), teacher)
        }
        for follower in all {
            follower.lock.withLock {
                if value { leaveOwn(follower) }
            }
            follower.mailbox.post(notice: value ? "the teacher asks everyone to follow" : "you may explore on your own again")
        }
        // Re-send the teacher's frame with the new lock in its state.
        if let frame { publish(state: frame.state, store: frame.store, canvas: frame.canvas, changedAt: frame.frame.t) }
    }

    /// The counts for the quizzes `ids` of `lesson`, in that order.
    public func quizCounts(lesson: String, quizzes ids: [String]) -> [QuizCount] {
        lock.withLock {
            ids.map { id in
                let answers = tallies["\(lesson)/\(id)"] ?? [:]
                return QuizCount(quiz: id, answered: answers.count, right: answers.values.filter { $0 }.count)
            }
        }
    }

    /// The teacher quit: every follower is sent a "session ended" frame, then its connection closes.
    public func end() {
        let all = lock.withLock { () -> [Follower] in
            ended = true
            return Array(followers.values)
        }
        let now = epochMilliseconds()
        for follower in all {
            let size = follower.lock.withLock { () -> FollowerSize in
                leaveOwn(follower)
                return follower.size?.clamped ?? FollowerSize(cols: 80, rows: 24)
            }
            follower.mailbox.post(Self.endedFrame(size: size, now: now))
            follower.mailbox.close()
        }
        pool.stop()
    }

    // MARK: The followers' side

    /// Lets a follower in with the right code while there is room; wrong codes from one address are
    /// answered more slowly each time (a quarter second doubling from the third, at most 8 s).
    func admit(code: String, address: String, size: FollowerSize?, resume: String? = nil) async -> Admission {
        if code != options.code {
            let failures = lock.withLock { () -> Int in
                wrongCodes[address, default: 0] += 1
                return wrongCodes[address]!
            }
            if failures >= 3 {
                let delay = min(8.0, 0.25 * pow(2, Double(failures - 3)))
                try? await Task.sleep(nanoseconds: UInt64(delay * 1e9))
            }
            return .refused("wrong join code", closeCode: 1008)
        }
        let admitted = lock.withLock { () -> Admission in
            if ended { return .refused("the session has ended", closeCode: 1001) }
            guard followers.count < options.maxFollowers else {
                return .refused("the classroom is full (\(options.maxFollowers) followers); try again later", closeCode: 1013)
            }
            let follower = Follower(id: nextFollower, size: size,
                                    keys: KeyBudget(perSecond: options.keysPerSecond, burst: options.keyBurst))
            nextFollower += 1
            followers[follower.id] = follower
            return .joined(follower)
        }
        if case .joined(let follower) = admitted {
            if let resume, self.resume(follower, token: resume) { return admitted }
            if let frame = lock.withLock({ teacher?.frame }) { follower.mailbox.post(frame) }
        }
        return admitted
    }

    /// A follower left: its jobs are dropped and it no longer counts. An own copy is parked under its
    /// resume token for a while, for the page's reconnection.
    func leave(_ follower: Follower) {
        lock.withLock { followers[follower.id] = nil }
        let now = epochMilliseconds()
        follower.lock.withLock {
            if follower.mode == .own, let own = follower.own, let token = follower.resumeToken {
                lock.withLock {
                    parked = parked.filter { now - $0.value.at < Self.parkedMilliseconds }
                    // At most as many parked as followers may join; the oldest go first.
                    while parked.count >= options.maxFollowers, let oldest = parked.min(by: { $0.value.at < $1.value.at }) {
                        parked[oldest.key] = nil
                    }
                    if !ended { parked[token] = (own, now) }
                }
            }
            leaveOwn(follower)
        }
        follower.mailbox.close()
    }

    /// Gives `follower` the own copy parked under `token`, unless it is gone, too old, or the teacher
    /// locked everyone to follow; the copy's sentence runs again (what was running when the connection
    /// dropped was dropped with it). Returns whether it did.
    private func resume(_ follower: Follower, token: String) -> Bool {
        let now = epochMilliseconds()
        guard let entry = lock.withLock({ () -> (copy: OwnCopy, at: Int64)? in
            guard !locked, let entry = parked.removeValue(forKey: token), now - entry.at < Self.parkedMilliseconds else { return nil }
            return entry
        }) else { return false }
        follower.lock.withLock {
            follower.mode = .own
            follower.own = entry.copy
            follower.resumeToken = token
            follower.generation += 1
            var effects = entry.copy.change(now: now) { startingEffects(&$0) }
            if let size = follower.size?.clamped {
                effects += entry.copy.send(.event(.resize(width: size.cols, height: size.rows)), now: now)
            }
            act(follower, effects)
            scheduleOwnFrame(follower)
        }
        return true
    }

    /// A new resume token: 128 random bits in hex.
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(generator.next() as UInt32, radix: 16) }.joined(separator: "-")
    }

    /// Acts on a follower's message: in follow mode only `mode`; in own mode on its own copy.
    func receive(_ message: ClientMessage, from follower: Follower) {
        let now = epochMilliseconds()
        switch message {
        case .mode(.own):
            let (isLocked, frame) = lock.withLock { (locked, teacher) }
            if isLocked { follower.mailbox.post(notice: "the teacher asks everyone to follow for now"); return }
            guard let frame else { follower.mailbox.post(notice: "the teacher's screen is not ready yet"); return }
            follower.lock.withLock {
                guard follower.mode == .follow else { return }
                follower.mode = .own
                follower.generation += 1
                follower.resumeToken = Self.newToken()
                let size = follower.size?.clamped ?? FollowerSize(cols: frame.state.width, rows: frame.state.height)
                follower.own = OwnCopy(teacher: frame.state, teacherStore: frame.store, size: size, environment: environment,
                                       now: now)
                scheduleOwnFrame(follower)
            }
        case .mode(.follow):
            let frame = lock.withLock { teacher?.frame }
            follower.lock.withLock { leaveOwn(follower) }
            if let frame { follower.mailbox.post(frame) }
        case .size(let size):
            follower.lock.withLock {
                follower.size = size
                guard let own = follower.own else { return }
                let clamped = size.clamped
                act(follower, own.send(.event(.resize(width: clamped.cols, height: clamped.rows)), now: now))
            }
        case .key(let name, let ctrl, let shift):
            follower.lock.withLock {
                guard let own = follower.own else { return }
                guard follower.keys.take(at: Double(DispatchTime.now().uptimeNanoseconds) / 1e9) else {
                    if now - follower.lastThrottleNotice > 1000 {
                        follower.lastThrottleNotice = now
                        follower.mailbox.post(notice: "too many keys: some were dropped")
                    }
                    return
                }
                guard let key = DOMKey.key(name, ctrl: ctrl, shift: shift) else {
                    follower.mailbox.post(notice: "unknown key \(Sanitizer.sanitize(String(name.prefix(32))))")
                    return
                }
                // Ctrl-C ends the teacher's terminal, not a follower's copy: there it does nothing.
                if key == .ctrl("c") { return }
                act(follower, own.send(.event(.key(key)), now: now))
            }
        case .click(let x, let y):
            follower.lock.withLock {
                guard let own = follower.own else { return }
                act(follower, own.send(.event(.mouse(MouseEvent(action: .press, x: x, y: y))), now: now))
            }
        case .text(let text):
            follower.lock.withLock {
                guard let own = follower.own else { return }
                act(follower, own.change(now: now) { submitSentence(&$0, String(text.prefix(500))) })
            }
        case .answer(let quiz, let value):
            follower.lock.withLock {
                guard let own = follower.own else { return }
                var known = true
                let effects = own.change(now: now) { state in
                    guard let effects = answerQuiz(&state, quiz: quiz, value: String(value.prefix(100))) else {
                        known = false
                        return []
                    }
                    return effects
                }
                if !known { follower.mailbox.post(notice: "no quiz \(Sanitizer.sanitize(String(quiz.prefix(20)))) on this step") }
                act(follower, effects)
            }
        }
    }

    /// Followers joined now.
    public var followerCount: Int { lock.withLock { followers.count } }

    // MARK: Own copies (each called with the follower's lock held)

    /// After an own copy changed: tallies new quiz answers, starts the effects on the pool and sends
    /// the new frame.
    private func act(_ follower: Follower, _ effects: [Effect]) {
        guard let own = follower.own else { return }
        tally(follower, own)
        let generation = follower.generation
        for effect in effects {
            let key: String?
            var delay = 0
            switch effect {
            case .run(let request):
                key = follower.jobPrefix + "run"
                delay = Self.debounce(request, store: own.store)
            case .evaluateStep: key = follower.jobPrefix + "evaluate"
            default: key = nil
            }
            pool.enqueue(key: key, delayMilliseconds: delay) { [weak self, weak follower] in
                guard let self, let follower else { return }
                let answers = own.performer.perform(effect)
                follower.lock.withLock {
                    guard follower.generation == generation, let own = follower.own else { return }
                    let now = epochMilliseconds()
                    for answer in answers { self.act(follower, own.send(answer, now: now)) }
                }
            }
        }
        scheduleOwnFrame(follower)
    }

    /// Draws the follower's own copy on the pool, not on the connection's thread: a drawing still
    /// waiting is replaced by this one, so a fast typist costs one drawing per turn of the pool, and
    /// the teacher's thread and the connections are never held up by own copies.
    private func scheduleOwnFrame(_ follower: Follower) {
        let generation = follower.generation
        pool.enqueue(key: follower.jobPrefix + "frame") { [weak self, weak follower] in
            guard let self, let follower else { return }
            follower.lock.withLock {
                guard follower.generation == generation else { return }
                self.postOwnFrame(follower)
            }
        }
    }

    /// Weights above which a follower's typing waits longer before its model runs (the terminal's
    /// debounce suits tiny models; a larger one would keep the shared pool busy with runs a newer
    /// keystroke replaces).
    static let largeModelWeights = 20_000_000
    static let largeModelDebounceMilliseconds = 400

    /// How long a follower's run waits: as the terminal's for a tiny model, longer for a large one
    /// (only runs that wait at all, i.e. typing, are delayed).
    static func debounce(_ request: RunRequest, store: RunStore) -> Int {
        guard request.delayMilliseconds > 0, let config = store.model(request.input.model)?.config else {
            return request.delayMilliseconds
        }
        let weights = config.nLayers * (4 * config.dModel * config.dModel + 2 * config.dModel * config.dFF)
            + config.vocabSize * config.dModel
        return debounce(milliseconds: request.delayMilliseconds, weights: weights)
    }

    /// The wait for a typing run of `milliseconds` on a model of about `weights` weights.
    static func debounce(milliseconds: Int, weights: Int) -> Int {
        guard milliseconds > 0 else { return 0 }
        return weights > largeModelWeights ? max(milliseconds, largeModelDebounceMilliseconds) : milliseconds
    }

    /// Notes the follower's understood answers to the quizzes of its step, anonymously.
    private func tally(_ follower: Follower, _ own: OwnCopy) {
        guard let lesson = own.state.lesson, !lesson.answers.isEmpty else { return }
        var results: [(String, Bool)] = []
        for quiz in lesson.quizzes {
            guard let given = lesson.answers[quiz.id] else { continue }
            let feedback = quiz.check(answer: given)
            if feedback.understood { results.append(("\(lesson.id)/\(quiz.id)", feedback.correct)) }
        }
        guard !results.isEmpty else { return }
        lock.withLock { for (key, correct) in results { tallies[key, default: [:]][follower.id] = correct } }
    }

    private func postOwnFrame(_ follower: Follower) {
        guard let own = follower.own else { return }
        let canvas = own.frame(now: epochMilliseconds())
        let isLocked = lock.withLock { locked }
        follower.mailbox.post(Mailbox.Frame(t: own.changedAt, state: Self.stateJSON(own.state, mode: .own, locked: isLocked,
                                                                                  resume: follower.resumeToken),
                                            screen: ScreenCoding.encode(canvas, dark: own.state.theme.background == .dark)))
    }

    private func leaveOwn(_ follower: Follower) {
        follower.mode = .follow
        follower.own = nil
        follower.generation += 1
        pool.cancel(prefix: follower.jobPrefix)
    }

    // MARK: Frames

    /// The frame's `state`: screen, lesson, step (1-based), text, mode, and whether the teacher locked following.
    /// In own mode it also carries `resume`, the token that gets this copy back after a reconnection.
    static func stateJSON(_ state: AppState, mode: FollowerMode, locked: Bool, resume: String? = nil) -> String {
        let lesson = state.screen == .lesson ? state.lesson : nil
        return "{\"screen\":\(JSONText.string(state.screen.rawValue)),\"lesson\":\(JSONText.string(lesson?.id)),"
            + "\"step\":\(lesson.map { String($0.step + 1) } ?? "null"),\"text\":\(JSONText.string(state.input.text)),"
            + "\"mode\":\"\(mode.rawValue)\",\"locked\":\(locked)"
            + (resume.map { ",\"resume\":\(JSONText.string($0))" } ?? "") + "}"
    }

    /// The last frame a follower gets: the session ended.
    static func endedFrame(size: FollowerSize, now: Int64) -> Mailbox.Frame {
        var canvas = Canvas(width: size.cols, height: size.rows)
        let lines = ["The session has ended.", "Thank you for following."]
        for (n, line) in lines.enumerated() {
            canvas.write(line, x: max(0, (size.cols - DisplayWidth.of(line)) / 2), y: size.rows / 2 - 1 + n,
                         style: n == 0 ? Style(attributes: .bold) : .plain, maxWidth: size.cols)
        }
        return Mailbox.Frame(t: now, state: "{\"screen\":\"ended\",\"lesson\":null,\"step\":null,\"text\":\"\",\"mode\":\"follow\",\"locked\":false}",
                             screen: ScreenCoding.encode(canvas, dark: true), ended: true)
    }

    /// The text of a frame as sent, with its sequence number.
    static func wire(_ frame: Mailbox.Frame, seq: Int) -> String {
        "{\"seq\":\(seq),\"t\":\(frame.t),\"state\":\(frame.state),\"screen\":\(frame.screen)"
            + (frame.ended ? ",\"ended\":true}" : "}")
    }
}
