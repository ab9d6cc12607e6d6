import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import Classroom
import Testing

/// A follower whose connection drops in the middle of a frame: the server notices, forgets it, and
/// goes on serving the teacher and the others.
@Suite(.serialized) struct AbruptDisconnect {
    /// A TCP connection on loopback that speaks just enough WebSocket by hand to join (a test's
    /// stand-in for a phone that loses its network mid-frame), then is cut without a close frame.
    final class RawFollower {
        let descriptor: Int32

        init(port: Int) throws {
            descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { throw Failure("cannot connect to port \(port)") }
        }

        func write(_ bytes: [UInt8]) { _ = bytes.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) } }

        /// Reads up to `count` bytes (what has arrived).
        func read(_ count: Int) -> [UInt8] {
            var buffer = [UInt8](repeating: 0, count: count)
            let got = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, count, 0) }
            return Array(buffer.prefix(max(0, got)))
        }

        /// The upgrade request, then `{"code":"c0de"}` as one masked text frame (RFC 6455 §5.2).
        func join() {
            write(Array("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n".utf8))
            let payload = Array(#"{"code":"c0de"}"#.utf8)
            let mask: [UInt8] = [1, 2, 3, 4]
            write([0x81, 0x80 | UInt8(payload.count)] + mask + payload.enumerated().map { $1 ^ mask[$0 % 4] })
        }

        /// Cuts the connection at once: a reset, not a close handshake.
        func cut() {
            var linger = linger(l_onoff: 1, l_linger: 0)
            setsockopt(descriptor, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<linger>.size))
            close(descriptor)
        }
    }

    struct Failure: Error, CustomStringConvertible { var description: String; init(_ d: String) { description = d } }

    @Test func aFollowerCutOffMidFrameIsForgottenAndNoOneElseNotices() async throws {
        let teacher = try Support.teacher()
        let server = try await ServerProtocol.serve(teacher)
        var cut: [RawFollower] = []
        for _ in 0..<5 {
            let follower = try RawFollower(port: server.port)
            follower.join()
            cut.append(follower)
        }
        // Joining takes the server a moment (longer on a loaded machine): wait until all five are in.
        for _ in 0..<100 where server.classroom.counts.following < 5 { try await Task.sleep(nanoseconds: 100_000_000) }
        #expect(server.classroom.counts.following == 5)
        // Each has the handshake's answer and part of its first frame (tens of kilobytes) in hand: read
        // a little of it, then cut.
        for follower in cut {
            #expect(String(decoding: follower.read(256), as: UTF8.self).hasPrefix("HTTP/1.1 101"))
            follower.cut()
        }
        // The teacher goes on publishing; a follower that joins now is served the newest frame.
        let canvas = teacher.frame()
        async let reader = ServerProtocol.session(port: server.port, messages: [#"{"code":"c0de"}"#], linger: 10) { transcript in
            transcript.frames.last.flatMap { ($0["t"] as? NSNumber)?.int64Value } == 40
        }
        try await Task.sleep(nanoseconds: 200_000_000)
        for n in 0...40 {
            server.classroom.publish(state: teacher.state, store: teacher.store, canvas: canvas, changedAt: Int64(n))
        }
        let received = try await reader
        #expect(received.frames.last.flatMap { ($0["t"] as? NSNumber)?.int64Value } == 40)
        // The cut followers are gone from the counts.
        var counts = server.classroom.counts
        for _ in 0..<50 where counts.following > 0 {
            try await Task.sleep(nanoseconds: 100_000_000)
            counts = server.classroom.counts
        }
        #expect(counts.following == 0 && counts.exploring == 0, "\(counts)")
        await server.stop()
    }
}
