import Foundation
import Testing

/// `explorer lessons check` and `lessons preview` on lesson files whose expressions nest far too
/// deep: a located mistake and status 1, never a stack overflow; a very long flat sum just works.
@Suite struct DeepLessons {
    static let header = """
        ---
        id: deep-one
        title: Deep
        summary: Expressions nested very deep.
        model: tiny-gpt
        input: the cat sat on the mat because it was tired
        ---
        # Step 1: Look
        Some text.

        """

    static func repeated(_ open: String, _ inner: String, _ close: String, _ count: Int) -> String {
        String(repeating: open, count: count) + inner + String(repeating: close, count: count)
    }

    /// Line 10 of each file, nested in one of the ways the parser recurses.
    static let deepLines: [String: String] = [
        "parentheses": "{{ " + repeated("(", "1", ")", 100_000) + " }}",
        "sqrt": "{{ " + repeated("sqrt(", "4", ")", 3_000) + " }}",
        "sum": "{{ " + repeated("sum(", "1", ")", 20_000) + " }}",
        "minus": "{{ " + String(repeating: "- ", count: 50_000) + "1 }}",
        "show": "@show bars " + repeated("(", "probs[0]", ")", 100_000),
        "quiz": "@quiz number " + repeated("sqrt(", "4", ")", 3_000) + "\nWhat is it?\n@end",
    ]

    static func write(_ line: String, in directory: String, name: String) throws -> String {
        let path = directory + "/" + name + ".md"
        try Data((header + line + "\n").utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test(arguments: deepLines.keys.sorted())
    func tooDeepIsALocatedMistake(_ form: String) throws {
        let scratch = try Scratch()
        let file = try Self.write(Self.deepLines[form]!, in: scratch.path, name: form)
        let check = try CommandLine.run(["lessons", "check", file])
        #expect(check.status == 1, "\(form): \(check.status) \(check.stderr.prefix(300))")
        let mistake = check.stdout.split(separator: "\n").first.map(String.init) ?? ""
        #expect(mistake.hasPrefix(file + ":10: ") && mistake.hasSuffix("expression nested deeper than 256"), "\(mistake.prefix(300))")
        #expect(mistake.count < 200 + file.count)
        let preview = try CommandLine.run(["lessons", "preview", file])
        #expect(preview.status == 1, "\(form): \(preview.status)")
        #expect(preview.stderr.hasPrefix(file + ":10: ") && preview.stderr.contains("expression nested deeper than 256"))
    }

    @Test func aLongFlatSumWorks() throws {
        let scratch = try Scratch()
        let sum = Array(repeating: "1", count: 100_001).joined(separator: " + ")
        let file = try Self.write("{{ " + sum + " }}", in: scratch.path, name: "flat")
        let check = try CommandLine.run(["lessons", "check", file])
        #expect(check.status == 0, "\(check.stdout.prefix(300))")
        let preview = try CommandLine.run(["lessons", "preview", file])
        #expect(preview.status == 0 && preview.stdout.contains("100001"), "\(preview.stderr.prefix(300))")
    }
}
