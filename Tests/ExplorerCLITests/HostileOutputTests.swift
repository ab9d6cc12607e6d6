import Foundation
import Testing

/// Hostile text in what succeeds: a user model's name and architecture in `explorer models`, the
/// input text in `inspect --json`.
@Suite struct HostileOutput {
    /// A user models directory holding one copy of tiny-gpt named `name` whose config.json declares
    /// `architecture`; returns the environment that points `explorer` at it.
    static func userModel(named name: String, architecture: String, in scratch: Scratch) throws -> [String: String] {
        let models = scratch.path + "/data/explorer/models"
        try FileManager.default.createDirectory(atPath: models, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Scratch.bundled("tiny-gpt"), toPath: models + "/" + name)
        try Scratch.edit(models + "/" + name + "/config.json") { $0["architecture"] = architecture }
        return ["XDG_DATA_HOME": scratch.path + "/data"]
    }

    @Test(arguments: HostileText.samples)
    func modelsListsAHostileUserModelSanitisedAndAligned(_ hostile: String) throws {
        let scratch = try Scratch()
        let environment = try Self.userModel(named: "mine" + hostile, architecture: "dec" + hostile + "oder", in: scratch)
        let run = try CommandLine.run(["models"], environment: environment)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(HostileText.forbidden(in: run.stdout + run.stderr).isEmpty, "\(run.stdout.debugDescription)")
        let rows = run.stdout.split(separator: "\n").filter { $0.hasSuffix("bundled") || $0.hasSuffix("(default)") || $0.hasSuffix("yours") }
        let mine = try #require(rows.first { $0.hasSuffix("yours") }, "\(run.stdout)")
        #expect(mine.hasPrefix(HostileText.shown("mine" + hostile) + " "))
        #expect(mine.contains(" " + HostileText.shown("dec" + hostile + "oder") + " "))
        // Every row's tag starts in the same column (the sanitised text is ASCII: a character a column).
        let tagColumns = Set(rows.map { row in
            row.count - (["bundled (default)", "bundled", "yours"].first { row.hasSuffix($0) }?.count ?? 0)
        })
        #expect(tagColumns.count == 1, "\(run.stdout)")
        #expect(run.stdout.contains("your models directory: " + HostileText.shown(environment["XDG_DATA_HOME"]! + "/explorer/models")))
    }

    @Test(arguments: HostileText.samples)
    func modelsJSONEscapesAHostileUserModel(_ hostile: String) throws {
        let scratch = try Scratch()
        let environment = try Self.userModel(named: "mine" + hostile, architecture: hostile, in: scratch)
        let run = try CommandLine.run(["models", "--json"], environment: environment)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(HostileText.forbidden(in: run.stdout + run.stderr).isEmpty, "\(run.stdout.debugDescription)")
        let list = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        let mine = try #require(list.first { $0["bundled"] as? Bool == false })
        #expect(mine["name"] as? String == "mine" + hostile)
        #expect(mine["architecture"] as? String == hostile)
    }

    @Test func inspectJSONEscapesC1AndBidiControls() throws {
        let text = "the \u{9B}2J cat \u{202E}sat \u{1B}[31m"
        let run = try CommandLine.run(["inspect", "--text", text, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(HostileText.forbidden(in: run.stdout + run.stderr).isEmpty)
        #expect(run.stdout.contains("\\u009b") && run.stdout.contains("\\u202e") && run.stdout.contains("\\u001b"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["text"] as? String == text)
    }
}
