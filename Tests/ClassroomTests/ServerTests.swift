import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Terminal
@testable import Classroom
import Explorer
import HummingbirdWSClient
import Logging
import NIOWebSocket
import Testing

/// The protocol over a real WebSocket on loopback (README, "Classroom protocol").
@Suite(.serialized) struct ServerProtocol {
    /// What one connection received, and how it closed.
    final class Transcript: @unchecked Sendable {
        private let lock = NSLock()
        private var texts: [String] = []
        var messages: [String] { lock.withLock { texts } }
        func append(_ text: String) { lock.withLock { texts.append(text) } }
        var objects: [[String: Any]] {
            messages.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        }
        var frames: [[String: Any]] { objects.filter { $0["seq"] != nil } }
        var closeCode: Int?
    }

    /// Connects, sends `messages` one by one (`wait` seconds apart), waits `linger` seconds for more, then closes.
    static func session(port: Int, messages: [String], wait: Double = 0.05, linger: Double = 0.5,
                        until done: (@Sendable (Transcript) -> Bool)? = nil) async throws -> Transcript {
        let transcript = Transcript()
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let close = try await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)/ws", configuration: .init(maxFrameSize: 1 << 16),
                                                      logger: logger) { inbound, outbound, _ in
            let reader = Task {
                for try await message in inbound.messages(maxSize: 1 << 24) {
                    if case .text(let text) = message { transcript.append(text) }
                }
            }
            for message in messages {
                try? await outbound.write(.text(message))
                try await Task.sleep(nanoseconds: UInt64(wait * 1e9))
            }
            let deadline = Date().addingTimeInterval(linger)
            while Date() < deadline {
                if let done, done(transcript) { break }
                try await Task.sleep(nanoseconds: 50_000_000)
            }
            reader.cancel()
        }
        transcript.closeCode = close.map { Int(UInt16(webSocketErrorCode: $0.closeCode)) }
        return transcript
    }

    static func serve(_ teacher: Program, maxFollowers: Int = 200) async throws -> ClassroomServer {
        try await ClassroomServer(classroom: Support.classroom(teacher, maxFollowers: maxFollowers), host: "127.0.0.1", port: 0)
    }

    @Test func thePageIsServedAtTheRoot() async throws {
        let server = try await Self.serve(try Support.teacher())
        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(server.port)/")!)
        await server.stop()
        let page = String(decoding: data, as: UTF8.self)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(page.contains("new WebSocket("))
        #expect(!page.contains("http://") && !page.contains("https://"), "the page loads nothing from elsewhere")
    }

    @Test func aWrongCodeGetsAnErrorAndPolicyViolationAndNoFrame() async throws {
        let server = try await Self.serve(try Support.teacher())
        let transcript = try await Self.session(port: server.port, messages: [#"{"code":"wrong"}"#])
        await server.stop()
        #expect(transcript.objects.count == 1)
        #expect(transcript.objects.first?["error"] as? String == "wrong join code")
        #expect(transcript.frames.isEmpty)
        #expect(transcript.closeCode == 1008)
    }

    @Test func aMalformedFirstMessageIsRefused() async throws {
        let server = try await Self.serve(try Support.teacher())
        for first in ["not json", #"{"size":{"cols":80,"rows":24}}"#, "[1,2]"] {
            let transcript = try await Self.session(port: server.port, messages: [first], linger: 0.2)
            #expect(transcript.objects.first?["error"] != nil, "\(first)")
            #expect(transcript.frames.isEmpty)
            #expect(transcript.closeCode == 1008)
        }
        await server.stop()
    }

    @Test func pastTheCapTheServerSaysTryAgainLater() async throws {
        let teacher = try Support.teacher()
        let server = try await Self.serve(teacher, maxFollowers: 1)
        async let first = Self.session(port: server.port, messages: [#"{"code":"c0de"}"#], linger: 1.0)
        try await Task.sleep(nanoseconds: 300_000_000)
        let second = try await Self.session(port: server.port, messages: [#"{"code":"c0de"}"#], linger: 0.2)
        let kept = try await first
        await server.stop()
        #expect(kept.frames.count >= 1)
        #expect(second.objects.first?["error"] as? String == "the classroom is full (1 followers); try again later")
        #expect(second.closeCode == 1013)
    }

    @Test func framesCarrySeqTimeStateAndTheScreen() async throws {
        let teacher = try Support.teacher()
        let server = try await Self.serve(teacher)
        let before = epochMilliseconds()
        async let transcript = Self.session(port: server.port, messages: [#"{"code":"c0de","size":{"cols":100,"rows":30}}"#], linger: 1.0)
        try await Task.sleep(nanoseconds: 300_000_000)
        teacher.send(.event(.key(.character("]"))))
        teacher.settle()
        let changed = epochMilliseconds()
        Support.publish(teacher, to: server.classroom)
        let received = try await transcript
        await server.stop()
        let frames = received.frames
        #expect(frames.count == 2)
        #expect(frames.map { $0["seq"] as? Int } == [1, 2])
        let t = frames.compactMap { ($0["t"] as? NSNumber)?.int64Value }
        #expect(t.count == 2 && t[0] <= before && t[1] >= changed)
        let frame = try FollowerFrame(frames[1])
        #expect(frame.screen == "explore" && frame.mode == .follow && frame.text == Support.sentence)
        #expect(frame.canvas == ScreenCoding.roundTrip(teacher.frame()))
    }

    @Test func malformedOversizedAndUnknownMessagesNeverReachTheTeacher() async throws {
        let teacher = try Support.teacher()
        let before = teacher.state
        let server = try await Self.serve(teacher)
        let messages = [#"{"code":"c0de"}"#, "{not json", #"{"key":"j","text":"x"}"#, #"{"fly":1}"#, #"{"key":"F13"}"#,
                        #"{"mode":"own"}"#, #"{"key":"NoSuchKey"}"#, #"{"key":"]"}"#, #"{"text":"a cat"}"#, #"{"click":{"x":"a"}}"#]
        let transcript = try await Self.session(port: server.port, messages: messages, linger: 1.0)
        // Then a message over 4 KiB closes that follower's connection (1009), and the server goes on.
        let oversized = #"{"code":"c0de"}"#
        let big = try await Self.session(port: server.port, messages: [oversized, #"{"text":""# + String(repeating: "a", count: 5000) + #""}"#])
        let after = try await Self.session(port: server.port, messages: [#"{"code":"c0de"}"#], linger: 0.3)
        await server.stop()
        let warnings = transcript.objects.compactMap { $0["warning"] as? String }
        #expect(warnings.contains("not JSON"))
        #expect(warnings.contains("a message needs exactly one of key, click, size, text, mode, answer"))
        #expect(warnings.contains("unknown key NoSuchKey"))
        #expect(warnings.contains("click must be {\"x\": X, \"y\": Y} in cells"))
        let last = try FollowerFrame(try #require(transcript.frames.last))
        #expect(last.mode == .own && last.text == "a cat")
        #expect(teacher.state == before)
        #expect(big.closeCode == 1009)
        #expect(after.frames.count == 1)
    }

    @Test func aFollowerThatStopsReadingHoldsUpNoOne() async throws {
        let teacher = try Support.teacher()
        let server = try await Self.serve(teacher)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        // A follower that joins, then never reads again.
        let stalled = Task {
            try await WebSocketClient.connect(url: "ws://127.0.0.1:\(server.port)/ws", logger: logger) { _, outbound, _ in
                try await outbound.write(.text(#"{"code":"c0de"}"#))
                try await Task.sleep(nanoseconds: 20_000_000_000)
            }
        }
        try await Task.sleep(nanoseconds: 300_000_000)
        let last: Int64 = 149
        async let reader = Self.session(port: server.port, messages: [#"{"code":"c0de"}"#], linger: 30) { transcript in
            transcript.frames.last.flatMap { ($0["t"] as? NSNumber)?.int64Value } == last
        }
        try await Task.sleep(nanoseconds: 300_000_000)
        // 150 frames of the teacher's whole screen (some 2.5 MB for the stalled follower, more than a socket buffers).
        let canvas = teacher.frame()
        var slowest = 0.0
        for n in 0...last {
            let start = Date()
            server.classroom.publish(state: teacher.state, store: teacher.store, canvas: canvas, changedAt: n)
            slowest = max(slowest, Date().timeIntervalSince(start))
        }
        let received = try await reader
        stalled.cancel()
        await server.stop()
        // Publishing never waits for a follower: each call only draws the frame and hands it over.
        #expect(slowest < 1, "one publish took \(slowest) s")
        // The reading follower got the newest frame; frames it had not read yet were replaced, not queued.
        #expect(received.frames.last.flatMap { ($0["t"] as? NSNumber)?.int64Value } == last)
        #expect(received.frames.count <= Int(last) + 2)
    }

    @Test func manyConnectionsAtOnceAreServedOrRefusedAndTheServerStaysResponsive() async throws {
        let teacher = try Support.teacher()
        let server = try await Self.serve(teacher, maxFollowers: 200)
        let transcripts = try await withThrowingTaskGroup(of: Transcript.self) { group in
            for _ in 0..<300 {
                group.addTask { try await Self.session(port: server.port, messages: [#"{"code":"c0de"}"#], wait: 0, linger: 3.0) }
            }
            var all: [Transcript] = []
            for try await transcript in group { all.append(transcript) }
            return all
        }
        let after = try await Self.session(port: server.port, messages: [#"{"code":"c0de"}"#], linger: 0.5)
        await server.stop()
        let joined = transcripts.filter { !$0.frames.isEmpty }.count
        let refused = transcripts.filter { $0.closeCode == 1013 && $0.frames.isEmpty }.count
        #expect(joined == 200)
        #expect(refused == 100)
        #expect(after.frames.count == 1)
    }

    /// A page that lost its connection in own mode gets its own copy back with the `resume` token its
    /// frames carried: the same sentence, in own mode, not the teacher's. An unknown token joins as a
    /// new follower.
    @Test func aReconnectingPageResumesItsOwnCopy() async throws {
        let teacher = try Support.teacher()
        let server = try await Self.serve(teacher)
        let own = "the dog ran home because it was tired"
        let first = try await Self.session(port: server.port, messages: [#"{"code":"c0de"}"#, #"{"mode":"own"}"#, #"{"text":"\#(own)"}"#],
                                           wait: 0.2, linger: 5.0) { transcript in
            transcript.frames.contains { ($0["state"] as? [String: Any])?["text"] as? String == own }
        }
        let states = first.frames.compactMap { $0["state"] as? [String: Any] }
        let token = try #require(states.last?["resume"] as? String)
        #expect(states.last?["mode"] as? String == "own" && states.last?["text"] as? String == own)
        #expect(states.first?["resume"] == nil, "a follow-mode frame carries no token")
        try await Task.sleep(nanoseconds: 200_000_000)
        let again = try await Self.session(port: server.port, messages: [#"{"code":"c0de","resume":"\#(token)"}"#], linger: 3.0) { transcript in
            !transcript.frames.isEmpty
        }
        let resumed = try #require(again.frames.first?["state"] as? [String: Any])
        #expect(resumed["mode"] as? String == "own" && resumed["text"] as? String == own, "\(resumed)")
        #expect(teacher.state.input.text == Support.sentence, "the teacher's sentence never changed")
        let stranger = try await Self.session(port: server.port, messages: [#"{"code":"c0de","resume":"not-a-token"}"#], linger: 2.0) { transcript in
            !transcript.frames.isEmpty
        }
        let fresh = try #require(stranger.frames.first?["state"] as? [String: Any])
        #expect(fresh["mode"] as? String == "follow" && fresh["text"] as? String == Support.sentence)
        await server.stop()
    }

    @Test func whenTheTeacherQuitsFollowersGetASessionEndedFrame() async throws {
        let teacher = try Support.teacher()
        let server = try await Self.serve(teacher)
        async let transcript = Self.session(port: server.port, messages: [#"{"code":"c0de"}"#], linger: 2.0)
        try await Task.sleep(nanoseconds: 300_000_000)
        await server.stop()
        let received = try await transcript
        let last = try FollowerFrame(try #require(received.frames.last))
        #expect(last.ended && last.screen == "ended")
        #expect(received.closeCode == 1001)
    }
}

extension ScreenCoding {
    /// `canvas` as a follower reads it back.
    static func roundTrip(_ canvas: Canvas) -> Canvas {
        try! decode(try! JSONSerialization.jsonObject(with: Data(encode(canvas, dark: true).utf8)))
    }
}
