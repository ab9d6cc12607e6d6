import Foundation
import Testing

/// `explorer keys` in a real terminal (tmux): what it shows, what it receives, and that every way
/// out (q, Esc, Ctrl-C, SIGTERM, SIGHUP, Ctrl-\, a crash signal, a closed terminal, Ctrl-Z and fg)
/// leaves the terminal as the shell had it.
@Suite(.serialized) struct EndToEndTests {
    /// Runs `explorer keys` from the session's shell (see `Tmux.startExplorer`) and waits for its screen.
    func startKeys(in tmux: Tmux, environment: String = "", size: String = "120×40") async throws {
        try tmux.startExplorer("keys", environment: environment)
        await tmux.wait(forText: "size      \(size)")
    }

    func expectRestored(_ tmux: Tmux, status: Int32, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await tmux.expectRestored(status: status, sourceLocation: sourceLocation)
    }

    func session(_ test: String, width: Int = 120, height: Int = 40, command: String? = nil) throws -> Tmux? {
        guard let path = Tmux.find(for: test) else { return nil }
        return try Tmux(tmux: path, name: "\(test.prefix(while: { $0 != "(" }))-\(UUID().uuidString.prefix(8))",
                        width: width, height: height, command: command)
    }

    @Test func showsKeysCharactersPasteAndMouse() async throws {
        guard let tmux = try session(#function) else { return }
        defer { tmux.kill() }
        try await startKeys(in: tmux)
        let modes = "#{alternate_on} #{cursor_flag} #{mouse_standard_flag}"
        await tmux.wait(for: "the alternate screen, no cursor, the mouse") { _ in tmux.pane(modes) == "1 0 1" }
        #expect(tmux.pane(modes) == "1 0 1")
        await tmux.wait(forText: "TERM      tmux-256color")
        await tmux.wait(forText: "colours   256 (256-colour palette)")
        await tmux.wait(forText: "▀▄█░▒▓⣿  ⠁⠃⠇⡇⣇⣧⣷⣿")

        try tmux.keys("Left")
        await tmux.wait(forText: "key: left")
        try tmux.type("é")
        await tmux.wait(forText: "key: character \"é\" U+00E9")
        try tmux.type("e\u{301}")
        await tmux.wait(forText: "key: character \"é\" U+0065 U+0301")
        try tmux.type("東")
        await tmux.wait(forText: "key: character \"東\" U+6771")
        try tmux.keys("C-a", "C-s", "F5", "BTab", "PPage", "BSpace", "Enter", "Tab")
        for text in ["key: ctrl-a", "key: ctrl-s", "key: f5", "key: back-tab", "key: page up", "key: backspace", "key: enter", "key: tab"] {
            await tmux.wait(forText: text)
        }

        try tmux.run(["set-buffer", "-b", "text", "two\nlines \u{1B}[31mred"])
        try tmux.run(["paste-buffer", "-p", "-b", "text", "-t", tmux.session])
        await tmux.wait(forText: "paste: \"two\\nlines \\e[31mred\" (18 characters)")

        // xterm mouse reports as the terminal sends them: button 1 press and release, wheel down, at 12,5.
        try tmux.type("\u{1B}[M -&")
        await tmux.wait(forText: "mouse: press at 12,5")
        try tmux.type("\u{1B}[M#-&")
        await tmux.wait(forText: "mouse: release at 12,5")
        try tmux.type("\u{1B}[Ma-&")
        await tmux.wait(forText: "mouse: scroll down at 12,5")

        try tmux.keys("q")
        try await expectRestored(tmux, status: 0)
    }

    @Test func showsTheSizeAfterResizes() async throws {
        guard let tmux = try session(#function) else { return }
        defer { tmux.kill() }
        try await startKeys(in: tmux)
        try tmux.run(["resize-window", "-t", tmux.session, "-x", "60", "-y", "15"])
        await tmux.wait(forText: "size      60×15")
        await tmux.wait(forText: "resize: 60×15")
        try tmux.run(["resize-window", "-t", tmux.session, "-x", "120", "-y", "40"])
        await tmux.wait(forText: "size      120×40")
        await tmux.wait(forText: "resize: 120×40")
        await tmux.wait(forText: "▀▄█░▒▓⣿")
        try tmux.keys("Escape")
        try await expectRestored(tmux, status: 0)
    }

    struct Quit: CustomStringConvertible, Sendable {
        var name: String
        var key: String?
        var signal: Int32?
        var status: Int32
        var environment = ""
        var description: String { name }
    }

    static let quits: [Quit] = [
        Quit(name: "q", key: "q", status: 0),
        Quit(name: "Ctrl-C", key: "C-c", status: 128 + SIGINT),
        Quit(name: "Ctrl-\\", key: "C-\\", status: 128 + SIGQUIT),
        Quit(name: "SIGTERM", signal: SIGTERM, status: 128 + SIGTERM),
        Quit(name: "SIGHUP", signal: SIGHUP, status: 128 + SIGHUP),
        // Crashes go through the C handler, then the Swift runtime's backtrace (not waiting for a key).
        Quit(name: "SIGSEGV", signal: SIGSEGV, status: 128 + SIGSEGV, environment: "SWIFT_BACKTRACE=interactive=no"),
        Quit(name: "SIGABRT", signal: SIGABRT, status: 128 + SIGABRT, environment: "SWIFT_BACKTRACE=interactive=no"),
    ]

    @Test(arguments: quits)
    func everyWayOutRestoresTheTerminal(_ quit: Quit) async throws {
        guard let tmux = try session("quit-\(quit.signal ?? 0)") else { return }
        defer { tmux.kill() }
        try await startKeys(in: tmux, environment: "ulimit -c 0; \(quit.environment)")
        if let key = quit.key { try tmux.keys(key) }
        if let signal = quit.signal {
            let pid = try #require(tmux.explorerProcess(), "no explorer process under the pane's shell")
            #expect(Glibc.kill(pid, signal) == 0)
        }
        try await expectRestored(tmux, status: quit.status)
    }

    @Test func aClosedTerminalEndsTheProgram() async throws {
        guard let tmux = try session(#function, command: "exec '\(Tmux.explorer)' keys") else { return }
        defer { tmux.kill() }
        await tmux.wait(forText: "size      120×40")
        let pid = try #require(pid_t(tmux.pane("#{pane_pid}")))
        try tmux.run(["kill-session", "-t", tmux.session])
        let deadline = Date().addingTimeInterval(3)
        func running() -> Bool {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            return !stat[stat.index(after: close)...].hasPrefix(" Z")
        }
        while running() && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!running(), "explorer keys is still running 3 s after its terminal closed")
    }

    @Test func suspendsAndResumes() async throws {
        guard let tmux = try session(#function) else { return }
        defer { tmux.kill() }
        try tmux.shell("'\(Tmux.explorer)' keys")
        await tmux.wait(forText: "size      120×40")
        try tmux.keys("C-z")
        await tmux.wait(forText: "Stopped")
        // The modes are read until they settle (the screen's text can arrive before the last
        // mode change), then checked.
        let stopped = "#{alternate_on} #{cursor_flag} #{mouse_any_flag}"
        await tmux.wait(for: "the main screen, a cursor, no mouse") { _ in tmux.pane(stopped) == "0 1 0" }
        #expect(tmux.pane(stopped) == "0 1 0")
        try tmux.shell("fg")
        await tmux.wait(forText: "size      120×40")
        let resumed = "#{alternate_on} #{cursor_flag} #{mouse_standard_flag}"
        await tmux.wait(for: "the alternate screen, no cursor, the mouse") { _ in tmux.pane(resumed) == "1 0 1" }
        #expect(tmux.pane(resumed) == "1 0 1")
        try tmux.keys("Right")
        await tmux.wait(forText: "key: right")
        try tmux.keys("q")
        // Type the next command only once the program has gone, or the shell would not see it.
        await tmux.wait(for: "explorer to exit") { _ in tmux.explorerProcess() == nil }
        try tmux.shell("echo EXITED=$?; echo MODE=$(stty -a | grep -oE -- '-?icanon')")
        await tmux.wait(forLine: "EXITED=0")
        await tmux.wait(forLine: "MODE=icanon")
    }

    @Test func worksWithoutAUTF8Locale() async throws {
        guard let tmux = try session(#function) else { return }
        defer { tmux.kill() }
        try await startKeys(in: tmux, environment: "LC_ALL=C LANG=")
        await tmux.wait(forText: "encoding  UTF-8")
        try tmux.type("é")
        await tmux.wait(forText: "key: character \"é\" U+00E9")
        try tmux.keys("q")
        try await expectRestored(tmux, status: 0)
    }

    @Test func refusesUnusableTerminalsInOneLine() async throws {
        guard let tmux = try session(#function) else { return }
        defer { tmux.kill() }
        let cases = [
            ("TERM=no-such-term", "TERM=no-such-term names no terminal"),
            ("TERM=dumb", "TERM=dumb cannot move its cursor"),
            ("env -u TERM", "TERM is not set"),
        ]
        for (prefix, message) in cases {
            try tmux.shell("clear; \(prefix) '\(Tmux.explorer)' keys; echo EXITED=$?")
            await tmux.wait(forLine: "EXITED=1")
            await tmux.wait(forText: "Error: \(message)")
            #expect(tmux.screen().contains("explorer inspect"))
        }
        try tmux.shell("clear; '\(Tmux.explorer)' keys | cat; echo DONE")
        await tmux.wait(forLine: "DONE")
        await tmux.wait(forText: "Error: standard output is not a terminal")
    }

    @Test func refusesWithoutATerminal() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Tmux.explorer)
        process.arguments = ["keys"]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(stderr.hasPrefix("Error: standard input is not a terminal"))
        #expect(stderr.contains("explorer inspect"))
        #expect(stderr.split(separator: "\n").count == 1, "\(stderr)")
    }
}
