import Foundation
import HummingbirdWSClient
import Logging
import NIOWebSocket

/// A follower's end of the protocol, for the terminal follower and for tests: connects to
/// `ws://HOST:PORT/ws`, joins with the code, hands each message from the server to `received`, and
/// sends what `outgoing` yields, until either side closes.
public enum ClassroomClient {
    /// What the server sent, as read.
    public enum Incoming: Sendable {
        /// A frame: its sequence number, time, state fields and canvas.
        case frame(FollowerFrame)
        case warning(String)
        case error(String)
    }

    /// How the connection ended: the close code and reason the server gave, if any.
    public struct Ending: Sendable {
        public var code: Int?
        public var reason: String?
    }

    /// Connects and runs until the connection closes. `received` is called for each message in order.
    public static func run(host: String, port: Int, join: String, outgoing: AsyncStream<String>,
                           received: @escaping @Sendable (Incoming) -> Void) async throws -> Ending {
        try await runRaw(host: host, port: port, join: join, outgoing: outgoing) { received(decode($0)) }
    }

    /// The same, handing over each text message as it came.
    public static func runRaw(host: String, port: Int, join: String, outgoing: AsyncStream<String>,
                              received: @escaping @Sendable (String) -> Void) async throws -> Ending {
        var logger = Logger(label: "explorer.follow")
        logger.logLevel = .critical
        let close = try await WebSocketClient.connect(
            url: "ws://\(host):\(port)/ws", configuration: .init(maxFrameSize: 1 << 20), logger: logger
        ) { inbound, outbound, _ in
            try await outbound.write(.text(join))
            let sender = Task {
                for await text in outgoing { try? await outbound.write(.text(text)) }
            }
            defer { sender.cancel() }
            for try await message in inbound.messages(maxSize: 1 << 24) {
                guard case .text(let text) = message else { continue }
                received(text)
            }
        }
        return Ending(code: close.map { Int(UInt16(webSocketErrorCode: $0.closeCode)) }, reason: close?.reason)
    }

    /// One message from the server, read.
    public static func decode(_ text: String) -> Incoming {
        guard let data = text.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            return .error("the server sent something that is not JSON")
        }
        if let error = object["error"] as? String { return .error(error) }
        if let warning = object["warning"] as? String { return .warning(warning) }
        do { return .frame(try FollowerFrame(object)) } catch { return .error("\(error)") }
    }
}
