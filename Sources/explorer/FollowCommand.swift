import ArgumentParser
import Classroom
import Foundation
import Terminal
import TerminalCurses

struct Follow: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Follow a teacher's `explorer present` in this terminal.",
        discussion: """
            Keys while following: o explores on your own (your own copy of the teacher's screen), q quits. \
            While exploring every key goes to your copy, as in `explorer explore`; F8 goes back to following \
            the teacher. Ctrl-C quits.
            """)

    @Argument(help: ArgumentHelp("The teacher's address, as `explorer present` prints it.", valueName: "HOST:PORT"))
    var address: String

    @Option(name: .long, help: "The join code the teacher shows.")
    var code: String

    func run() throws {
        let (host, port) = try Self.parse(address)
        let follower = TerminalFollower()
        let join = "{\"code\":\(Self.jsonString(code))}"
        let (outgoing, send) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(64))
        let connection = Task {
            do {
                let ending = try await ClassroomClient.run(host: host, port: port, join: join, outgoing: outgoing) { incoming in
                    follower.receive(incoming)
                }
                follower.closed(ending.code == 1000 || ending.code == 1001 ? nil : "the teacher's server closed the connection"
                                + (ending.reason.map { ": \($0)" } ?? ""))
            } catch {
                follower.closed("cannot reach \(host):\(port): \(error)")
            }
        }
        // A wrong code, a full classroom or no server is said here, before the terminal changes.
        guard follower.waitForFirstMessage(seconds: 15) else {
            connection.cancel()
            throw FollowError(description: "no answer from \(host):\(port) within 15 s")
        }
        if let problem = follower.problem {
            connection.cancel()
            throw FollowError(description: problem)
        }
        let terminal = try CursesTerminal(mapColor: { color, colors in
            InteractiveSession.curseColor(ColorDepth.detect(environment: ProcessInfo.processInfo.environment, reportedColors: colors).map(color))
        })
        // Own mode is drawn at this terminal's size, less the line at the bottom.
        send.yield("{\"size\":{\"cols\":\(terminal.width),\"rows\":\(terminal.height - 1)}}")
        follower.loop(terminal, send: { send.yield($0) })
        send.finish()
        connection.cancel()
        terminal.shutdown()
        if let signal = terminal.interruptingSignal { throw ExitCode(128 + signal) }
        if let problem = follower.problem { throw FollowError(description: problem) }
    }

    struct FollowError: Error, CustomStringConvertible { var description: String }

    /// `HOST:PORT` (a bracketed IPv6 host too; `http://` and a trailing `/` are allowed, as the teacher's screen shows them).
    static func parse(_ address: String) throws -> (String, Int) {
        var text = address
        for prefix in ["http://", "ws://"] where text.hasPrefix(prefix) { text.removeFirst(prefix.count) }
        while text.hasSuffix("/") { text.removeLast() }
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) else {
            throw ValidationError("the address must be HOST:PORT, e.g. 192.168.1.20:8080; got '\(address)'")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw ValidationError("the address has no host: '\(address)'") }
        return (host, port)
    }

    static func jsonString(_ text: String) -> String {
        let data = try? JSONSerialization.data(withJSONObject: [text], options: [])
        let array = data.flatMap { String(data: $0, encoding: .utf8) } ?? "[\"\"]"
        return String(array.dropFirst().dropLast())
    }
}

/// The student's terminal: shows the newest frame, sends keys, and knows whether it follows or explores.
final class TerminalFollower: @unchecked Sendable {
    private let lock = NSLock()
    private let first = DispatchSemaphore(value: 0)
    private var heard = false
    private var frame: FollowerFrame?
    private var fresh = false
    private var note: String?
    /// Why following stopped, when it was not the student's choice.
    private(set) var problem: String?

    /// Waits until the server said something or the connection ended; false after `seconds` of silence.
    func waitForFirstMessage(seconds: Double) -> Bool {
        first.wait(timeout: .now() + seconds) == .success
    }

    private func heardFirst() {
        // Called with the lock held.
        if !heard { heard = true; first.signal() }
    }

    /// Called from the connection for each message.
    func receive(_ incoming: ClassroomClient.Incoming) {
        lock.withLock {
            switch incoming {
            case .frame(let next): frame = next
            case .warning(let text): note = text
            case .error(let text): problem = text
            }
            fresh = true
            heardFirst()
        }
    }

    /// The connection closed, with the reason when it was not the session's end.
    func closed(_ reason: String?) {
        lock.withLock {
            isClosed = true
            if let reason, problem == nil, frame?.ended != true { problem = reason }
            fresh = true
            heardFirst()
        }
    }

    private var isClosed = false

    func loop(_ terminal: CursesTerminal, send: (String) -> Void) {
        while !terminal.interrupted {
            let (current, changed, note, problem, closed) = lock.withLock { () -> (FollowerFrame?, Bool, String?, String?, Bool) in
                defer { fresh = false }
                return (frame, fresh, self.note, self.problem, isClosed)
            }
            if changed { terminal.present(screen(current, note: note, problem: problem, terminal: terminal)) }
            // After the session ends (or the connection drops) the last screen stays until a key.
            let over = current?.ended == true || problem != nil || closed
            guard let event = terminal.nextEvent(timeoutMilliseconds: 50) else { continue }
            if over { return }
            if case .resize(let width, let height) = event {
                send("{\"size\":{\"cols\":\(width),\"rows\":\(height - 1)}}")
                lock.withLock { fresh = true }
                continue
            }
            guard case .key(let key) = event else { continue }
            if key == .ctrl("c") { return }
            let mode = current?.mode ?? .follow
            if mode == .follow {
                if key == .character("q") { return }
                if key == .character("o") || key == .function(8) { send("{\"mode\":\"own\"}") }
            } else if key == .function(8) {
                send("{\"mode\":\"follow\"}")
            } else if let message = DOMKey.message(for: key) {
                send(message)
            }
        }
    }

    /// The frame clipped or padded to the terminal, with a last line saying what the student can do.
    private func screen(_ frame: FollowerFrame?, note: String?, problem: String?, terminal: CursesTerminal) -> Canvas {
        var canvas = Canvas(width: terminal.width, height: terminal.height)
        let rows = max(0, canvas.height - 1)
        if let frame {
            for y in 0..<min(rows, frame.canvas.height) {
                for x in 0..<min(canvas.width, frame.canvas.width) { canvas[x, y] = frame.canvas[x, y] }
            }
        } else {
            canvas.write("waiting for the teacher's screen…", x: 1, y: 1)
        }
        let line: String
        if let problem { line = " \(problem) — any key quits" }
        else if frame?.ended == true { line = " the session has ended — any key quits" }
        else if frame?.mode == .own { line = " exploring on your own — F8 follows the teacher again" + (note.map { " · \($0)" } ?? "") }
        else { line = " following the teacher" + (frame?.locked == true ? " (locked)" : " — o explores on your own, q quits") + (note.map { " · \($0)" } ?? "") }
        let style = Style(foreground: .black, background: .cyan)
        canvas.fill(Rect(x: 0, y: canvas.height - 1, width: canvas.width, height: 1), with: Cell(" ", style: style))
        canvas.write(line, x: 0, y: canvas.height - 1, style: style, maxWidth: canvas.width)
        return canvas
    }
}
