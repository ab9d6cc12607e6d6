import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore

/// The request context of the classroom's routes: the WebSocket upgrade's, with the peer's address
/// (wrong join codes are counted per address).
struct ClassroomRequestContext: RequestContext, WebSocketRequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let webSocket: WebSocketHandlerReference<ClassroomRequestContext>
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        remoteAddress = source.channel.remoteAddress
    }
}

/// The classroom on the network: the page at `/` and the followers' WebSocket at `/ws` (README,
/// "Classroom protocol"), served by Hummingbird in the background until `stop()`.
public final class ClassroomServer: @unchecked Sendable {
    public let classroom: Classroom
    /// The port it listens on (the one asked for, or the one the system chose for port 0).
    public let port: Int
    public let host: String
    private let task: Task<Void, Error>

    /// Starts serving `classroom` on `host:port` (port 0: any free port); returns once it listens.
    /// Throws when the address cannot be bound.
    public init(classroom: Classroom, host: String, port: Int) async throws {
        self.classroom = classroom
        self.host = host
        let router = Router(context: ClassroomRequestContext.self)
        router.get("/") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "text/html; charset=utf-8"
            headers[.cacheControl] = "no-store"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: WebPage.html)))
        }
        router.ws("/ws") { inbound, outbound, context in
            let address = context.requestContext.remoteAddress?.ipAddress ?? "unknown"
            await FollowerConnection.serve(classroom: classroom, address: address, inbound: inbound, outbound: outbound)
        }
        var logger = Logger(label: "explorer.classroom")
        logger.logLevel = .critical
        let (listening, announce) = AsyncStream<Result<Int, Error>>.makeStream()
        let app = Application(
            router: router,
            server: .http1WebSocketUpgrade(webSocketRouter: router, configuration: .init(ws: .init(maxFrameSize: 1 << 16))),
            configuration: .init(address: .hostname(host, port: port), serverName: "explorer", backlog: 1024, reuseAddress: true),
            onServerRunning: { channel in announce.yield(.success(channel.localAddress?.port ?? port)) },
            logger: logger)
        task = Task {
            do { try await app.runService(gracefulShutdownSignals: []) } catch { announce.yield(.failure(error)); throw error }
            announce.finish()
        }
        var bound: Int?
        for await result in listening {
            switch result {
            case .success(let port): bound = port
            case .failure(let error): throw ClassroomError.cannotListen(host: host, port: port, reason: "\(error)")
            }
            break
        }
        guard let bound else { throw ClassroomError.cannotListen(host: host, port: port, reason: "the server stopped") }
        self.port = bound
    }

    /// Tells followers the session ended and stops serving.
    public func stop() async {
        classroom.end()
        // Give the connections a moment to send the "session ended" frame and close.
        try? await Task.sleep(nanoseconds: 300_000_000)
        task.cancel()
        _ = await task.result
    }
}

/// What can go wrong starting a classroom.
public enum ClassroomError: Error, CustomStringConvertible {
    case cannotListen(host: String, port: Int, reason: String)

    public var description: String {
        switch self {
        case .cannotListen(let host, let port, let reason): return "cannot serve the classroom on \(host):\(port): \(reason)"
        }
    }
}
