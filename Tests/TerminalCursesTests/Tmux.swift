import Foundation
import Testing

/// A private tmux server (its own socket, no user configuration) holding one session, for driving
/// `explorer keys` in a real terminal. Every command goes through `tmux -u` so text is UTF-8.
struct Tmux {
    let tmux: String
    let socket: String
    let session: String

    /// tmux's path, or nil when it is not installed: then the test says it skipped, unless
    /// EXPLORER_REQUIRE_EXTERNAL_CHECKS=1 (as on CI), where a missing tmux is a failure.
    static func find(for test: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/tmux") {
            return "\(dir)/tmux"
        }
        if ProcessInfo.processInfo.environment["EXPLORER_REQUIRE_EXTERNAL_CHECKS"] == "1" {
            Issue.record("tmux is not installed, and EXPLORER_REQUIRE_EXTERNAL_CHECKS=1 requires it")
        } else {
            print("skipped \(test): tmux is not installed")
        }
        return nil
    }

    /// The `explorer` built beside this test bundle.
    static let explorer: String = {
        var dir = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("explorer").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return "explorer"
    }()

    /// Starts a session of `width × height` running `command` (a shell when nil) with a UTF-8 locale
    /// and TERM=tmux-256color.
    init(tmux: String, name: String, width: Int = 120, height: Int = 40, command: String? = nil) throws {
        self.tmux = tmux
        socket = "explorer-e2e-\(getpid())-\(name)"
        session = name
        var arguments = ["-f", "/dev/null", "start-server", ";", "set-option", "-g", "default-terminal", "tmux-256color", ";",
                         "new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)", "-e", "LANG=C.UTF-8"]
        arguments.append(command ?? "sh")
        try run(arguments, capturing: false)
    }

    /// Ends the server and everything in it.
    func kill() { _ = try? run(["kill-server"]) }

    /// Runs one tmux command and returns what it printed. Spawned with an empty signal mask and
    /// default signal actions: the test's threads block most signals, and a tmux server (and so
    /// the programs in its panes) inheriting that mask would never see SIGCHLD, SIGINT or SIGTERM.
    /// A command that starts the server must not capture: the server would inherit the pipe and
    /// keep it open, so reading it would never end.
    @discardableResult
    func run(_ arguments: [String], capturing: Bool = true) throws -> String {
        var environment = ProcessInfo.processInfo.environment
        environment["TMUX"] = nil
        environment["LANG"] = "C.UTF-8"
        let argv = ([tmux, "-u", "-L", socket] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }

        var pipe: [Int32] = [-1, -1]
        if capturing { guard Glibc.pipe(&pipe) == 0 else { throw TmuxError.spawn(errno) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if capturing {
            posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
            posix_spawn_file_actions_addclose(&actions, pipe[0])
            posix_spawn_file_actions_addclose(&actions, pipe[1])
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t(), allSignals = sigset_t()
        sigemptyset(&noSignals)
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let status = posix_spawn(&pid, tmux, &actions, &attributes, argv, envp)
        if capturing { close(pipe[1]) }
        guard status == 0 else {
            if capturing { close(pipe[0]) }
            throw TmuxError.spawn(status)
        }
        var output: [UInt8] = []
        if capturing {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = read(pipe[0], &buffer, buffer.count)
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                output += buffer[..<count]
            }
            close(pipe[0])
        }
        var exit: Int32 = 0
        while waitpid(pid, &exit, 0) < 0 && errno == EINTR {}
        return String(decoding: output, as: UTF8.self)
    }

    enum TmuxError: Error { case spawn(Int32) }

    /// The pane's text, one line per row (a line the terminal wrapped joined again).
    func screen() -> String { (try? run(["capture-pane", "-p", "-J", "-t", session])) ?? "" }

    func keys(_ names: String...) throws { try run(["send-keys", "-t", session] + names) }
    func type(_ text: String) throws { try run(["send-keys", "-t", session, "-l", text]) }
    /// Types a shell command and Enter.
    func shell(_ command: String) throws {
        try type(command)
        try keys("Enter")
    }

    /// One of tmux's pane formats, like `#{alternate_on}`.
    func pane(_ format: String) -> String {
        ((try? run(["display-message", "-p", "-t", session, format])) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Polls the screen until `done` holds (every 40 ms, for at most `seconds`); records a failure
    /// with the screen when it never does. Sleeps without holding a thread that other tests need.
    @discardableResult
    func wait(for what: String, seconds: Double = 10, sourceLocation: SourceLocation = #_sourceLocation,
              until done: (String) -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        var text = screen()
        while !done(text) {
            if Date() > deadline {
                Issue.record("waited \(seconds) s for \(what); the screen:\n\(text)", sourceLocation: sourceLocation)
                return false
            }
            try? await Task.sleep(for: .milliseconds(40))
            text = screen()
        }
        return true
    }

    /// Waits until the screen shows `text`.
    @discardableResult
    func wait(forText text: String, seconds: Double = 10, sourceLocation: SourceLocation = #_sourceLocation) async -> Bool {
        await wait(for: "\"\(text)\"", seconds: seconds, sourceLocation: sourceLocation) { $0.contains(text) }
    }

    /// Waits until some line of the screen is exactly `line` (trailing spaces aside).
    @discardableResult
    func wait(forLine line: String, seconds: Double = 10, sourceLocation: SourceLocation = #_sourceLocation) async -> Bool {
        await wait(for: "the line \"\(line)\"", seconds: seconds, sourceLocation: sourceLocation) { screen in
            screen.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces) == line }
        }
    }

    /// The processes, other than the pane's shell, whose standard input is the pane's terminal.
    func otherProcessesOnTheTerminal() -> [String] {
        let tty = pane("#{pane_tty}"), shell = pane("#{pane_pid}")
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { entry in
            entry != shell && Int(entry) != nil
                && (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(entry)/fd/0")) == tty
        }.map { ((try? String(contentsOfFile: "/proc/\($0)/cmdline", encoding: .utf8)) ?? $0).replacingOccurrences(of: "\0", with: " ") }
    }

    /// The pid of the pane's process's child running `explorer`, found in /proc.
    func explorerProcess() -> pid_t? {
        guard let shell = pid_t(pane("#{pane_pid}")) else { return nil }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = pid_t(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            let command = (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? ""
            if fields.count > 2, pid_t(fields[1]) == shell, command.contains("explorer") { return pid }
        }
        return nil
    }
}

extension Tmux {
    /// Runs `explorer ARGUMENTS` from the pane's shell, then prints its exit status, whether the
    /// terminal's modes are those from before (`stty -g`), and whether it is in canonical mode.
    func startExplorer(_ arguments: String, environment: String = "") throws {
        try shell("S=$(stty -g); \(environment) '\(Tmux.explorer)' \(arguments); echo EXITED=$?; "
            + "[ \"$(stty -g)\" = \"$S\" ] && T=SAME || T=CHANGED; echo TTY=$T; echo MODE=$(stty -a | grep -oE -- '-?icanon')")
    }

    /// The exit status is `status` and the terminal is back as it was: same modes, cooked, main
    /// screen, cursor shown, no mouse reporting, no bracketed paste; and nothing the program started
    /// (such as the Swift runtime's backtracer after a crash) is left running on the terminal.
    func expectRestored(status: Int32, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        await wait(forLine: "EXITED=\(status)", seconds: 8, sourceLocation: sourceLocation)
        await wait(forLine: "TTY=SAME", sourceLocation: sourceLocation)
        await wait(forLine: "MODE=icanon", sourceLocation: sourceLocation)
        #expect(pane("#{alternate_on} #{cursor_flag} #{mouse_any_flag} #{mouse_standard_flag}") == "0 1 0 0",
                sourceLocation: sourceLocation)
        // With bracketed paste still on, tmux would wrap the paste in ESC [ 200 ~ and the shell would not run it.
        try run(["set-buffer", "-b", "check", "echo PASTE''D"])
        try run(["paste-buffer", "-p", "-b", "check", "-t", session])
        try keys("Enter")
        await wait(forLine: "PASTED", sourceLocation: sourceLocation)
        #expect(otherProcessesOnTheTerminal() == [], sourceLocation: sourceLocation)
    }
}
