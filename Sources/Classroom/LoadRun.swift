import Explorer
import Foundation
import Terminal

/// A classroom under load on loopback, for the benchmark and the load test: a teacher stepping
/// through a lesson (keys sent on a timer, frames drawn and published as the terminal's loop does),
/// `followers` WebSocket clients in this process, `typing` of them exploring on their own and typing
/// sentences. Measures the delay from each state change (`t`) to each follower's receipt, the frames
/// received per second, and the teacher's frame time (drawing plus publishing).
public enum LoadRun {
    public struct Report: Sendable {
        public var followers: Int
        public var typing: Int
        public var seconds: Double
        /// Delays of frames received in follow mode, milliseconds: median and 99th percentile.
        public var followDelayMedian: Double?
        public var followDelayP99: Double?
        /// Delays of own-mode frames (the follower's own change to its receipt, model run included).
        public var ownDelayMedian: Double?
        public var ownDelayP99: Double?
        /// Frames received by all followers together, per second.
        public var framesPerSecond: Double
        /// The teacher's frame (draw and publish), milliseconds: median and 99th percentile.
        public var teacherFrameMedian: Double
        public var teacherFrameP99: Double
        /// Followers whose last frame showed the teacher's final step in follow mode.
        public var receivedFinalStep: Int
        /// The final step (1-based).
        public var finalStep: Int?
        /// Whether the teacher's state ended as the same keys alone make it (sentence, screen, lesson,
        /// step, selection, answers, editor), compared with a reference app that had no followers.
        public var teacherUntouched: Bool
        /// Connections that failed or closed early.
        public var failures: [String]
    }

    /// What one simulated follower saw.
    final class Seen: @unchecked Sendable {
        let lock = NSLock()
        var followDelays: [Double] = []
        var ownDelays: [Double] = []
        var frames = 0
        var lastStep: Int?
        var lastMode: String?
        var joined = false
        /// The `t` of the last frame seen in each mode: a frame showing an older change (the first
        /// frame on joining, the teacher's frame on coming back from own mode) measures no delay.
        var lastT: [String: Int64] = [:]

        func record(_ text: String, at now: Int64) {
            // Only the frame's head is read: seq, t and state come before the screen.
            guard text.hasPrefix("{\"seq\":"), let cut = text.range(of: ",\"screen\":") else { return }
            let head = String(text[..<cut.lowerBound]) + "}"
            guard let object = try? JSONSerialization.jsonObject(with: Data(head.utf8)) as? [String: Any],
                  let t = (object["t"] as? NSNumber)?.int64Value, let state = object["state"] as? [String: Any] else { return }
            let mode = state["mode"] as? String
            lock.withLock {
                frames += 1
                joined = true
                let key = mode ?? "follow"
                if let previous = lastT[key], t > previous, lastMode == mode {
                    if mode == "own" { ownDelays.append(Double(now - t)) } else { followDelays.append(Double(now - t)) }
                }
                lastT[key] = t
                lastStep = state["step"] as? Int
                lastMode = mode
            }
        }
    }

    /// Runs the load for `seconds` against `server`, whose classroom `teacher` publishes to. The teacher
    /// presses `stepKey` every `stepEvery` seconds until its lesson's last step; the typists type
    /// `sentences` a key every `keyEvery` seconds.
    /// `reference` is a second app made as the teacher was: it gets the teacher's keys alone, and the
    /// teacher's state must end as it does.
    public static func run(teacher: Program, reference: Program, server: ClassroomServer, followers: Int, typing: Int, seconds: Double,
                           stepEvery: Double, keyEvery: Double = 0.25,
                           sentences: [String] = ["the cat sat on the mat", "a dog chased the red ball", "she gave him a book"])
    async throws -> Report {
        let classroom = server.classroom
        let seen = (0..<followers).map { _ in Seen() }
        let failures = Failures()
        let stop = StopFlag()
        var clients: [Task<Void, Never>] = []
        for (n, record) in seen.enumerated() {
            let types = n < typing
            let (outgoing, send) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(256))
            clients.append(Task {
                do {
                    _ = try await ClassroomClient.runRaw(host: "127.0.0.1", port: server.port,
                                                         join: "{\"code\":\(JSONText.string(classroom.options.code))}",
                                                         outgoing: outgoing) { text in record.record(text, at: epochMilliseconds()) }
                } catch {
                    // Ending the run cancels the connections still open; only a failure before then counts.
                    if !stop.isSet { failures.add("follower \(n): \(error)") }
                }
            })
            if types {
                clients.append(Task {
                    try? await Task.sleep(nanoseconds: 500_000_000)
                    send.yield("{\"mode\":\"own\"}")
                    var sentence = 0
                    while !stop.isSet {
                        let text = sentences[(n + sentence) % sentences.count]
                        sentence += 1
                        send.yield("{\"key\":\"e\"}")
                        for _ in 0..<3 { send.yield("{\"key\":\"Backspace\"}") }
                        for character in text where !stop.isSet {
                            try? await Task.sleep(nanoseconds: UInt64(keyEvery * 1e9))
                            send.yield(DOMKey.message(for: .character(character)) ?? "")
                        }
                        send.yield("{\"key\":\"Enter\"}")
                    }
                    send.yield("{\"mode\":\"follow\"}")
                    try? await Task.sleep(nanoseconds: 3_000_000_000)
                    send.finish()
                })
            } else {
                clients.append(Task {
                    while !stop.isSet { try? await Task.sleep(nanoseconds: 100_000_000) }
                    try? await Task.sleep(nanoseconds: 3_000_000_000)
                    send.finish()
                })
            }
        }
        // The teacher, on a thread of its own as in the terminal.
        let drive = TeacherDrive(teacher: teacher, classroom: classroom)
        let finished = DispatchSemaphore(value: 0)
        let thread = Thread {
            drive.run(seconds: seconds, stepEvery: stepEvery)
            finished.signal()
        }
        thread.start()
        while finished.wait(timeout: .now()) == .timedOut { try await Task.sleep(nanoseconds: 50_000_000) }
        stop.set()
        // Everyone is back to following; wait for the final frame to reach them.
        let finalStep = teacher.state.lesson.map { $0.step + 1 }
        let deadline = Date().addingTimeInterval(2.5)
        while Date() < deadline {
            let arrived = seen.filter { seen in seen.lock.withLock { seen.lastMode == "follow" && seen.lastStep == finalStep } }.count
            if arrived == followers { break }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        let arrived = seen.filter { seen in seen.lock.withLock { seen.lastMode == "follow" && seen.lastStep == finalStep } }.count
        for client in clients { client.cancel() }
        let follow = seen.flatMap { seen in seen.lock.withLock { seen.followDelays } }.sorted()
        let own = seen.flatMap { seen in seen.lock.withLock { seen.ownDelays } }.sorted()
        let frames = seen.map { seen in seen.lock.withLock { seen.frames } }.reduce(0, +)
        let times = drive.frameTimes.sorted()
        for _ in 0..<drive.steps {
            reference.send(.event(.key(.character("n"))))
            reference.settle()
            _ = reference.frame()
            reference.settle()
        }
        let a = teacher.state, b = reference.state
        let untouched = a.input == b.input && a.screen == b.screen && a.lesson?.id == b.lesson?.id && a.lesson?.step == b.lesson?.step
            && a.selection == b.selection && a.lesson?.answers == b.lesson?.answers && a.editor == nil && b.editor == nil
        return Report(followers: followers, typing: typing, seconds: seconds,
                      followDelayMedian: percentile(follow, 0.5), followDelayP99: percentile(follow, 0.99),
                      ownDelayMedian: percentile(own, 0.5), ownDelayP99: percentile(own, 0.99),
                      framesPerSecond: Double(frames) / seconds,
                      teacherFrameMedian: percentile(times, 0.5) ?? 0, teacherFrameP99: percentile(times, 0.99) ?? 0,
                      receivedFinalStep: arrived, finalStep: finalStep, teacherUntouched: untouched,
                      failures: failures.all)
    }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
    }

    final class Failures: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [String] = []
        func add(_ text: String) { lock.withLock { list.append(text) } }
        var all: [String] { lock.withLock { list } }
    }

    final class StopFlag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        func set() { lock.withLock { value = true } }
        var isSet: Bool { lock.withLock { value } }
    }
}

/// The teacher's loop without a terminal: keys on a timer, answers pumped, each changed frame drawn
/// and published; checks that nothing but its own keys ever changed its state.
final class TeacherDrive: @unchecked Sendable {
    let teacher: Program
    let classroom: Classroom
    private(set) var frameTimes: [Double] = []
    /// How many steps the teacher took.
    private(set) var steps = 0

    init(teacher: Program, classroom: Classroom) { self.teacher = teacher; self.classroom = classroom }

    func run(seconds: Double, stepEvery: Double) {
        let start = Date()
        var nextStep = start.addingTimeInterval(stepEvery)
        var lastState = teacher.state
        var changedAt = epochMilliseconds()
        var lastPublished: Canvas?
        while Date().timeIntervalSince(start) < seconds || teacher.isBusy {
            // Between the teacher's own actions its state is only what its own effects made it.
            if Date() >= nextStep, Date().timeIntervalSince(start) < seconds - 1,
               let lesson = teacher.state.lesson, lesson.step + 1 < lesson.stepCount {
                teacher.send(.event(.key(.character("n"))))
                steps += 1
                nextStep = Date().addingTimeInterval(stepEvery)
            }
            let pumped = teacher.pump()
            if teacher.state != lastState {
                lastState = teacher.state
                changedAt = epochMilliseconds()
            }
            let began = DispatchTime.now()
            let canvas = teacher.frame()
            if canvas != lastPublished {
                lastPublished = canvas
                classroom.publish(state: teacher.state, store: teacher.store, canvas: canvas, changedAt: changedAt)
                frameTimes.append(Double(DispatchTime.now().uptimeNanoseconds - began.uptimeNanoseconds) / 1e6)
            }
            if !pumped { Thread.sleep(forTimeInterval: teacher.isBusy ? 0.008 : 0.01) }
        }
    }
}
