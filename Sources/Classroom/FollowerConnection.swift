import Foundation
import HummingbirdWebSocket
import NIOWebSocket

/// One follower's WebSocket: the join, then a reader that acts on its messages and a writer that
/// sends its newest frame whenever one waits. The writer awaits each write, so a follower that stops
/// reading holds up only itself, and its frames are replaced while it does.
enum FollowerConnection {
    static func serve(classroom: Classroom, address: String, inbound: WebSocketInboundStream,
                      outbound: WebSocketOutboundWriter) async {
        var messages = inbound.messages(maxSize: maximumClientMessageBytes).makeAsyncIterator()
        let follower: Follower
        do {
            guard let first = try await messages.next() else { return }
            guard case .text(let text) = first else {
                return await refuse(outbound, "the first message must be {\"code\": \"…\"} as text", code: 1008)
            }
            let join: JoinRequest
            do { join = try ClientMessageParser.join(text) } catch {
                return await refuse(outbound, "\(error)", code: text.utf8.count > maximumClientMessageBytes ? 1009 : 1008)
            }
            switch await classroom.admit(code: join.code, address: address, size: join.size, resume: join.resume) {
            case .refused(let reason, let code): return await refuse(outbound, reason, code: code)
            case .joined(let joined): follower = joined
            }
        } catch {
            return
        }
        let writer = Task { await write(follower.mailbox, to: outbound) }
        await read(&messages, follower: follower, classroom: classroom, outbound: outbound)
        classroom.leave(follower)
        await writer.value
    }

    /// Sends the follower's notices and newest frame each time the mailbox wakes, until it closes.
    private static func write(_ mailbox: Mailbox, to outbound: WebSocketOutboundWriter) async {
        var seq = 0
        for await _ in mailbox.wakeups {
            let (notices, frame) = mailbox.take()
            do {
                for notice in notices { try await outbound.writeTextMessage("{\"warning\":\(JSONText.string(notice))}") }
                if let frame {
                    seq += 1
                    try await outbound.writeTextMessage(Classroom.wire(frame, seq: seq))
                    if frame.ended {
                        try? await outbound.close(.goingAway, reason: "session ended")
                        return
                    }
                }
            } catch {
                return
            }
        }
        // Closed without an ended frame (the follower left): send what was left, if anything.
        let (_, frame) = mailbox.take()
        if let frame, frame.ended {
            try? await outbound.writeTextMessage(Classroom.wire(frame, seq: seq + 1))
            try? await outbound.close(.goingAway, reason: "session ended")
        }
    }

    /// Acts on each message until the follower closes; a message that cannot be read is answered with
    /// a warning, one too large closes the connection (1009).
    private static func read(_ messages: inout WebSocketInboundMessageStream.AsyncIterator, follower: Follower,
                             classroom: Classroom, outbound: WebSocketOutboundWriter) async {
        while let message = try? await messages.next() {
            guard case .text(let text) = message else {
                follower.mailbox.post(notice: "messages must be JSON text")
                continue
            }
            if text.utf8.count > maximumClientMessageBytes {
                try? await outbound.writeTextMessage("{\"error\":\"message larger than \(maximumClientMessageBytes) bytes\"}")
                try? await outbound.close(.messageTooLarge, reason: "message too large")
                return
            }
            do {
                classroom.receive(try ClientMessageParser.message(text), from: follower)
            } catch {
                follower.mailbox.post(notice: "\(error)")
            }
        }
    }

    private static func refuse(_ outbound: WebSocketOutboundWriter, _ reason: String, code: UInt16) async {
        try? await outbound.writeTextMessage("{\"error\":\(JSONText.string(reason))}")
        try? await outbound.close(WebSocketErrorCode(codeNumber: Int(code)), reason: String(reason.prefix(100)))
    }
}
