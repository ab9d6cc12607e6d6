import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs one case in a scratch folder and says what went wrong, if anything.
struct Runner {
    let options: Options
    let repository: String

    /// The exit status of the last run (0: a result, else a refusal), for the tally.
    final class Tally: @unchecked Sendable { var results = 0; var refusals = 0 }
    var tally: Tally

    func run(_ fuzzCase: FuzzCase) -> String? {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("explorer-fuzz-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let files = FileManager.default
        do {
            try files.createDirectory(atPath: scratch + "/xdg", withIntermediateDirectories: true)
            // Files beside the export folder that no run may touch.
            try Data("keep".utf8).write(to: URL(fileURLWithPath: scratch + "/keep.npy"))
            try Data("keep".utf8).write(to: URL(fileURLWithPath: scratch + "/manifest.json"))
            if let source = fuzzCase.source {
                try files.copyItem(atPath: repository + "/" + source, toPath: scratch + "/model")
                for (name, data) in fuzzCase.files { try data.write(to: URL(fileURLWithPath: scratch + "/model/" + name)) }
            }
            if !fuzzCase.exportFiles.isEmpty {
                try files.createDirectory(atPath: scratch + "/export", withIntermediateDirectories: true)
                for (name, data) in fuzzCase.exportFiles {
                    let path = scratch + "/export/" + name
                    try files.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                    try data.write(to: URL(fileURLWithPath: path))
                }
            }
            if let lesson = fuzzCase.lesson { try lesson.write(to: URL(fileURLWithPath: scratch + "/lesson.md")) }
        } catch {
            return "could not set up the case: \(error)"
        }
        let before = snapshot(scratch)
        let arguments = fuzzCase.arguments.map {
            $0.replacingOccurrences(of: "$MODEL", with: scratch + "/model")
                .replacingOccurrences(of: "$EXPORT", with: scratch + "/export")
                .replacingOccurrences(of: "$LESSON", with: scratch + "/lesson.md")
        }
        let result = execute(arguments, scratch: scratch)
        if let problem = result.problem { return problem }
        let after = snapshot(scratch)
        for (path, data) in before where after[path] != data {
            return after[path] == nil ? "\(path) was removed" : "\(path) was changed"
        }
        if let added = after.keys.first(where: { before[$0] == nil }) { return "\(added) was created" }
        // Files put in the export folder survive unless an earlier manifest of ours listed them.
        var ours: Set<String> = []
        if let data = fuzzCase.exportFiles["manifest.json"],
           let manifest = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
           manifest["format"] as? String == "explorer-export/1", let listed = manifest["files"] as? [String] {
            ours = Set(listed.filter { !$0.contains("/") && $0 != "." && $0 != ".." })
        }
        for (name, data) in fuzzCase.exportFiles where name != "manifest.json" && !ours.contains(name) {
            if FileManager.default.contents(atPath: scratch + "/export/" + name) != data {
                return "export/\(name), not written by an export, was changed or removed"
            }
        }
        return nil
    }

    /// Every file under `scratch` outside the export folder and the XDG folders, with its bytes.
    func snapshot(_ scratch: String) -> [String: Data] {
        var out: [String: Data] = [:]
        guard let walker = FileManager.default.enumerator(atPath: scratch) else { return out }
        while let relative = walker.nextObject() as? String {
            if relative == "export" || relative.hasPrefix("export/") || relative.hasPrefix("xdg") { continue }
            let path = scratch + "/" + relative
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            // Named pipes and the like are left unopened; directories are noted by name.
            if (info.st_mode & S_IFMT) == S_IFREG {
                out[relative] = FileManager.default.contents(atPath: path) ?? Data()
            } else {
                out[relative] = Data("kind \(info.st_mode & S_IFMT)".utf8)
            }
        }
        return out
    }

    struct Outcome { var problem: String? }

    /// Runs explorer as its own process group, its output going to files in `scratch` (a pipe could be
    /// held open by a child), and kills the whole group at the time limit.
    func execute(_ arguments: [String], scratch: String) -> Outcome {
        let outPath = scratch + "/xdg/stdout", errPath = scratch + "/xdg/stderr"
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var attributes: posix_spawnattr_t = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        var environment = ProcessInfo.processInfo.environment
        for key in ["XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"] { environment[key] = scratch + "/xdg" }
        let argv = ([options.explorer] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, options.explorer, &actions, &attributes, argv, envp)
        guard spawned == 0 else { return Outcome(problem: "could not start explorer: \(String(cString: strerror(spawned)))") }
        let deadline = Date().addingTimeInterval(options.perCase)
        var status: Int32 = 0
        var timedOut = false
        while true {
            let done = waitpid(pid, &status, WNOHANG)
            if done == pid { break }
            if done < 0 && errno != EINTR { break }
            if Date() > deadline {
                timedOut = true
                kill(-pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                break
            }
            usleep(5_000)
        }
        kill(-pid, SIGKILL)   // anything the run left behind in its group
        let shown = arguments.joined(separator: " ")
        if timedOut { return Outcome(problem: "still running after \(options.perCase) s: explorer \(shown)") }
        let signal = status & 0x7F
        if signal != 0 { return Outcome(problem: "killed by signal \(signal): explorer \(shown)") }
        let exitStatus = (status >> 8) & 0xFF
        if exitStatus == 0 { tally.results += 1 } else { tally.refusals += 1 }
        if exitStatus > 125 { return Outcome(problem: "exit status \(exitStatus): explorer \(shown)") }
        let stdout = FileManager.default.contents(atPath: outPath) ?? Data()
        let stderr = FileManager.default.contents(atPath: errPath) ?? Data()
        for (stream, data) in [("stdout", stdout), ("stderr", stderr)] {
            if let bad = Self.forbidden(in: data) { return Outcome(problem: "\(bad) in \(stream): explorer \(shown)") }
        }
        // A result is never NaN: a forward pass that produced one must have said so and stopped.
        if exitStatus == 0, arguments.first == "inspect" || arguments.first == "generate",
           String(decoding: stdout, as: UTF8.self).range(of: #"(?i)(?<![A-Za-z])-?(nan|inf)(?![A-Za-z])"#, options: .regularExpression) != nil {
            return Outcome(problem: "NaN or inf printed as a result: explorer \(shown)")
        }
        if exitStatus != 0, !arguments.starts(with: ["lessons"]),
           !String(decoding: stderr, as: UTF8.self).split(separator: "\n").contains(where: { $0.hasPrefix("Error: ") }) {
            return Outcome(problem: "status \(exitStatus) without an Error: line: explorer \(shown)")
        }
        return Outcome(problem: nil)
    }

    /// A control byte or sequence that must never reach a terminal raw: C0 controls but tab and line
    /// feed, DEL, C1 controls (as UTF-8) and bidirectional overrides.
    static func forbidden(in data: Data) -> String? {
        if let byte = data.first(where: { ($0 < 0x20 && $0 != 0x0A && $0 != 0x09) || $0 == 0x7F }) {
            return String(format: "control byte 0x%02X", byte)
        }
        let text = String(decoding: data, as: UTF8.self)
        if let scalar = text.unicodeScalars.first(where: { (0x80...0x9F).contains($0.value) || (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) }) {
            return String(format: "control character U+%04X", scalar.value)
        }
        return nil
    }
}

