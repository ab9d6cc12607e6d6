import Foundation
import Testing

/// `present`, `follow` and `classroom-bench` on bad input: one clear line, a usage status (64) for a bad
/// option, 1 for a teacher who cannot be reached; never a trace.
@Suite struct ClassroomCommands {
    static let badInputs: [CommandLine.BadInput] = [
        .init(arguments: ["present", "--port", "70000"], status: 64, mentions: "--port must be from 0 to 65535"),
        .init(arguments: ["present", "--code", "two words"], status: 64, mentions: "--code must be 1 to 64 letters"),
        .init(arguments: ["present", "--max-followers", "0"], status: 64, mentions: "--max-followers"),
        .init(arguments: ["present", "--input", " "], status: 64, mentions: "--input is empty"),
        .init(arguments: ["present", "--input", "a", "--text", "b"], status: 64, mentions: "--input or --text"),
        .init(arguments: ["follow", "nohost", "--code", "x"], status: 64, mentions: "HOST:PORT"),
        .init(arguments: ["follow", ":8080", "--code", "x"], status: 64, mentions: "no host"),
        .init(arguments: ["follow", "127.0.0.1:1", "--code", "x"], status: 1, mentions: "cannot reach 127.0.0.1:1"),
        .init(arguments: ["classroom-bench", "--followers", "lots"], status: 64, mentions: "--followers"),
    ]

    @Test(arguments: badInputs)
    func badInputIsOneClearLine(_ bad: CommandLine.BadInput) throws {
        let run = try CommandLine.run(bad.arguments)
        #expect(run.status == bad.status, "\(bad): status \(run.status), stderr: \(run.stderr)")
        #expect(run.stderr.contains(bad.mentions), "\(bad): \(run.stderr)")
        #expect(!run.stderr.contains("Fatal error") && !run.stderr.contains("Stack dump"))
        #expect(run.stderr.split(separator: "\n").first?.hasPrefix("Error: ") == true, "\(run.stderr)")
    }

    @Test func presentSaysHowToServeARoom() throws {
        let run = try CommandLine.run(["present", "--help"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("--bind 0.0.0.0"))
    }
}
