import ArgumentParser
import Classroom
import Explorer
import Foundation
import Lessons
import NIOCore
import Terminal
import TerminalCurses

struct Present: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Present to a class: your normal screen, followed live by students in a browser or `explorer follow`.",
        discussion: """
            LESSON is a lesson's id or file, as for `explorer lesson`; without one you present the explore screen. \
            Students open the address shown (the page asks for the join code) or run `explorer follow HOST:PORT --code CODE`. \
            By default only this machine can join (--bind 127.0.0.1); to serve a room, pass --bind 0.0.0.0, and the \
            status bar lists this machine's network addresses.

            Keys: as in `explorer lesson` / `explorer explore`, plus F2 to lock everyone to follow mode (and unlock), \
            F3 to show how many answered each quiz of the step and how many were right.
            """)

    @Argument(help: ArgumentHelp("A lesson's id or a lesson file (default: explore, no lesson).", valueName: "LESSON"))
    var lessonID: String?

    @Option(name: .long, help: ArgumentHelp("The model (see `explorer models`).", valueName: "NAME|DIR|FILE"))
    var model: String?

    @Option(name: .long, help: ArgumentHelp("The sentence to start with.", valueName: "TEXT"))
    var input: String?

    @Option(name: .long, help: ArgumentHelp("The same as --input.", valueName: "TEXT"))
    var text: String?

    @Option(name: .long, help: ArgumentHelp("The address to serve on: 127.0.0.1 (this machine only) or 0.0.0.0 (a room).", valueName: "ADDR"))
    var bind = "127.0.0.1"

    @Option(name: .long, help: "The port to serve on (0: any free port).")
    var port = 8080

    @Option(name: .long, help: ArgumentHelp("The join code (default: six random letters and digits).", valueName: "CODE"))
    var code: String?

    @Option(name: .long, help: ArgumentHelp("How many may follow at once.", valueName: "N"))
    var maxFollowers = 200

    @OptionGroup var look: LookOptions

    func validate() throws {
        if input != nil, text != nil { throw ValidationError("give the sentence once: --input or --text") }
        if let sentence = input ?? text, sentence.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("--input is empty")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535, got \(port)") }
        guard (1...10_000).contains(maxFollowers) else { throw ValidationError("--max-followers must be from 1 to 10000, got \(maxFollowers)") }
        if let code {
            guard (1...64).contains(code.count), code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                throw ValidationError("--code must be 1 to 64 letters, digits or '-', got '\(code)'")
            }
        }
    }

    func run() throws {
        var lesson = try lessonID.map { try LessonSource.find($0, directory: nil) }
        let sentence = input ?? text
        if let sentence { lesson?.input = sentence }
        if let model { lesson?.model = model }
        let (program, environment) = try InteractiveSession.makeProgram(
            model: model, text: sentence, screen: lesson == nil ? .explore : .lesson, lesson: lesson, step: nil, lessons: nil)
        let joinCode = code ?? JoinCode.random()
        let classroom = Classroom(options: .init(code: joinCode, maxFollowers: maxFollowers), environment: environment)
        let host = bind, requested = port
        let server = try blocking { try await ClassroomServer(classroom: classroom, host: host, port: requested) }
        let addresses = Self.addresses(bind: bind, port: server.port)
        print("Students join at \(addresses.joined(separator: " or ")) with code \(joinCode)")
        print("or in a terminal: explorer follow \(addresses.first.map { $0.replacingOccurrences(of: "http://", with: "") } ?? "") --code \(joinCode)")
        let terminal: CursesTerminal
        do { terminal = try InteractiveSession.openTerminal(program, look: look) } catch {
            blocking { await server.stop() }
            throw error
        }
        let presenter = Presenter(program: program, terminal: terminal, classroom: classroom, addresses: addresses, code: joinCode)
        presenter.loop()
        terminal.shutdown()
        blocking { await server.stop() }
        if let signal = terminal.interruptingSignal { throw ExitCode(128 + signal) }
    }

    /// The addresses students open: the one bound, or for 0.0.0.0 (or ::) each of this machine's
    /// IPv4 addresses but loopback (loopback when it has none).
    static func addresses(bind: String, port: Int) -> [String] {
        guard bind == "0.0.0.0" || bind == "::" else {
            let host = bind.contains(":") ? "[\(bind)]" : bind
            return ["http://\(host):\(port)/"]
        }
        let found = ((try? System.enumerateDevices()) ?? []).compactMap { device -> String? in
            guard let address = device.address, case .v4 = address, let ip = address.ipAddress, !ip.hasPrefix("127.") else { return nil }
            return ip
        }
        let unique = Array(Set(found)).sorted()
        return (unique.isEmpty ? ["127.0.0.1"] : unique).map { "http://\($0):\(port)/" }
    }
}

/// Random join codes: six characters that are easy to read aloud and type (no 0/O, 1/l/I).
enum JoinCode {
    static let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
    static func random() -> String { String((0..<6).map { _ in alphabet.randomElement()! }) }
}

/// Runs `body` on the concurrency pool and waits for it (the terminal's loop is synchronous).
func blocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task {
        do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
        done.signal()
    }
    done.wait()
    return try box.result!.get()
}

func blocking(_ body: @escaping @Sendable () async -> Void) {
    _ = try? blocking { () async throws -> Bool in await body(); return true }
}

private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, Error>?
}
