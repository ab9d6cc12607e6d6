import Foundation
import Testing
import Transformer

/// `explorer explore` and `explorer lesson` in a real terminal (tmux), driven as a learner would.
@Suite(.serialized) struct ExplorerEndToEndTests {
    func session(_ name: String, width: Int = 120, height: Int = 40) throws -> Tmux? {
        guard let path = Tmux.find(for: name) else { return nil }
        return try Tmux(tmux: path, name: "\(name)-\(UUID().uuidString.prefix(8))", width: width, height: height)
    }

    /// The heatmap's caption, `query → key  value`, as shown.
    static func caption(_ screen: String) -> (query: String, key: String, value: Float)? {
        for line in screen.split(separator: "\n") {
            let text = line.split(separator: "│").first.map(String.init) ?? ""
            let parts = text.trimmingCharacters(in: .whitespaces).components(separatedBy: " → ")
            guard parts.count == 2 else { continue }
            let rest = parts[1].split(separator: " ", omittingEmptySubsequences: true)
            guard rest.count >= 2, let value = Float(rest[rest.count - 1]) else { continue }
            return (parts[0], rest.dropLast().joined(separator: " "), value)
        }
        return nil
    }

    @Test func typeMoveCheckTheNumberResizeAndQuit() async throws {
        guard let tmux = try session("explore") else { return }
        defer { tmux.kill() }
        try tmux.startExplorer("explore --text 'the cat sat'")
        await tmux.wait(forText: "sentence: the cat sat")
        // Edit: clear, type a sentence with an accent, keep it.
        try tmux.keys("e")
        try tmux.keys("C-u")
        let sentence = "the café animal didn't cross the street because it was tired"
        try tmux.type(sentence)
        await tmux.wait(forText: "editing:  \(sentence)")
        try tmux.keys("Enter")
        await tmux.wait(forText: "sentence: \(sentence)")
        // The sentence line changes at Enter; the heatmap only when the new forward pass is in
        // (the title's token count). Keys pressed before that move the selection on the old pass.
        await tmux.wait(forText: "· 13 tokens")
        // The cursor starts on the last token, key 0; move up two rows and right three columns.
        try tmux.keys("Up", "Up", "Right", "Right", "Right")
        await tmux.wait(for: "the caption of cell (10, 3)") { Self.caption($0)?.key == "didn" }
        let shown = try #require(Self.caption(tmux.screen()))
        #expect(shown.query == "it")
        // The same cell of the exported pattern.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let export = Process()
        export.executableURL = URL(fileURLWithPath: Tmux.explorer)
        export.arguments = ["inspect", "--text", sentence, "--export", directory]
        export.standardOutput = FileHandle.nullDevice
        try export.run()
        export.waitUntilExit()
        #expect(export.terminationStatus == 0)
        let pattern = try NPY.read(path: directory + "/blocks.0.attn.pattern.npy")
        let tokens = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/tokens.json"))) as! [String: Any]
        let display = tokens["display"] as! [String]
        #expect(display[1] == "<unk>", "café is not in the bundled vocabulary")
        let row = display.count - 3, column = 3
        #expect(display[row] == "it" && display[column] == "didn")
        #expect(abs(pattern[0, row, column] - shown.value) <= 0.5e-4, "shown \(shown.value), exported \(pattern[0, row, column])")

        // Too small, then large again.
        try tmux.run(["resize-window", "-t", tmux.session, "-x", "60", "-y", "15"])
        await tmux.wait(forText: "terminal too small: need 80×24, have 60×15")
        try tmux.run(["resize-window", "-t", tmux.session, "-x", "120", "-y", "40"])
        await tmux.wait(forText: "sentence: \(sentence)")
        try tmux.keys("q")
        try await tmux.expectRestored(status: 0)
    }

    @Test func sigtermRestoresTheTerminal() async throws {
        guard let tmux = try session("explore-term") else { return }
        defer { tmux.kill() }
        try tmux.startExplorer("explore")
        await tmux.wait(forText: "softmax weights")
        let pid = try #require(tmux.explorerProcess())
        #expect(kill(pid, SIGTERM) == 0)
        try await tmux.expectRestored(status: 128 + SIGTERM)
    }

    @Test func sixStepsLessonForwardBackAndQuit() async throws {
        guard let tmux = try session("lesson") else { return }
        defer { tmux.kill() }
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-state-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        try tmux.startExplorer("lesson six-steps --step 1", environment: "XDG_STATE_HOME='\(state)'")
        await tmux.wait(forText: "step 1 of 6")
        await tmux.wait(forText: "Step 1: Q, K and V")
        for n in 2...6 {
            try tmux.keys("n")
            await tmux.wait(forText: "step \(n) of 6")
            await tmux.wait(forText: "Step \(n)")
        }
        try tmux.keys("p")
        await tmux.wait(forText: "step 5 of 6")
        try tmux.keys("p")
        await tmux.wait(forText: "step 4 of 6")
        try tmux.keys("q")
        try await tmux.expectRestored(status: 0)
        #expect(FileManager.default.fileExists(atPath: state + "/explorer/progress.json"), "progress was saved")
    }

    /// A teacher's copy of a bundled lesson, run from its file outside Lessons/ on the teacher's sentence:
    /// its own title, the sentence, the next step, and progress under the file's own key.
    @Test func aLessonFromAFileOnTheTeachersSentence() async throws {
        guard let tmux = try session("teacher") else { return }
        defer { tmux.kill() }
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-state-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-teacher-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let lessons = ("\(#filePath)" as NSString).deletingLastPathComponent + "/../../Lessons"
        let original = try String(contentsOfFile: lessons + "/masks.md", encoding: .utf8)
        #expect(original.contains("\ntitle: Masks\n"))
        let path = directory + "/masks.md"
        try Data(original.replacingOccurrences(of: "\ntitle: Masks\n", with: "\ntitle: Masks for my class\n").utf8)
            .write(to: URL(fileURLWithPath: path))

        try tmux.startExplorer("lesson '\(path)' --input 'the dog chased the cat'", environment: "XDG_STATE_HOME='\(state)'")
        await tmux.wait(forText: "Masks for my class")
        await tmux.wait(forText: "sentence: the dog chased the cat")
        await tmux.wait(forText: "step 1 of 7")
        try tmux.keys("n")
        await tmux.wait(forText: "step 2 of 7")
        try tmux.keys("q")
        try await tmux.expectRestored(status: 0)

        let file = state + "/explorer/progress.json"
        let saved = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any]
        let progress = saved?["lessons"] as? [String: [String: Any]] ?? [:]
        let key = "file:" + URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        #expect(progress["masks"] == nil, "the bundled lesson's progress is not touched: \(progress.keys)")
        #expect(progress[key]?["current"] as? Int == 1, "\(progress)")
    }

    /// A folder of lessons: one found by id with --dir, and n on its last step opens the folder's next.
    @Test func aFolderOfLessonsGoesOnToItsNextLesson() async throws {
        guard let tmux = try session("teacher-dir") else { return }
        defer { tmux.kill() }
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-state-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-teacher-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let lessons = ("\(#filePath)" as NSString).deletingLastPathComponent + "/../../Lessons"
        for (name, title) in [("six-steps", "Attention in six steps"), ("masks", "Masks")] {
            let original = try String(contentsOfFile: lessons + "/\(name).md", encoding: .utf8)
            #expect(original.contains("\ntitle: \(title)\n"))
            try Data(original.replacingOccurrences(of: "\ntitle: \(title)\n", with: "\ntitle: \(title), class copy\n").utf8)
                .write(to: URL(fileURLWithPath: directory + "/\(name).md"))
        }
        try tmux.startExplorer("lesson six-steps --dir '\(directory)' --step 6", environment: "XDG_STATE_HOME='\(state)'")
        await tmux.wait(forText: "Attention in six steps, class copy")
        await tmux.wait(forText: "step 6 of 6")
        try tmux.keys("n")
        await tmux.wait(forText: "Masks, class copy · step 1 of 7")
        try tmux.keys("q")
        try await tmux.expectRestored(status: 0)
    }

    /// Text typed before the selected tokens: the selection stays on them, in explore and in a lesson.
    @Test func exploreKeepsTheSelectionOnItsTokensWhenTextIsTypedBeforeThem() async throws {
        guard let tmux = try session("anchor") else { return }
        defer { tmux.kill() }
        try tmux.startExplorer("explore")
        await tmux.wait(forText: "sentence: the animal didn't cross the street because it was too tired")
        try tmux.keys("}", "Up", "Up", "Up", "Right")
        await tmux.wait(for: "it → animal") { Self.caption($0).map { $0.query == "it" && $0.key == "animal" } == true }
        try tmux.keys("e", "Home")
        try tmux.type("so ")
        try tmux.keys("Enter")
        await tmux.wait(forText: "sentence: so the animal didn't cross")
        await tmux.wait(forText: "it (query 10) → animal (key 2)")
        let caption = try #require(Self.caption(tmux.screen()))
        #expect(caption.query == "it" && caption.key == "animal")
        try tmux.keys("q")
        try await tmux.expectRestored(status: 0)
    }

    @Test func aLessonKeepsItsFocusWordsWhenTextIsTypedBeforeThem() async throws {
        guard let tmux = try session("anchor-lesson") else { return }
        defer { tmux.kill() }
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-state-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        try tmux.startExplorer("lesson six-steps --step 2", environment: "XDG_STATE_HOME='\(state)'")
        await tmux.wait(forText: "For it and animal")
        try tmux.keys("e", "Home")
        try tmux.type("so ")
        try tmux.keys("Enter")
        await tmux.wait(forText: "sentence: so the animal didn't cross")
        await tmux.wait(forText: "For it and animal")
        let screen = tmux.screen()
        #expect(!screen.contains("(no 'animal'"), "\(screen)")
        #expect(!screen.contains("For  and"), "\(screen)")
        try tmux.keys("q")
        try await tmux.expectRestored(status: 0)
    }
}
