import Foundation
import Testing
import Transformer

/// `explorer compare`: two sentences, one head, and their difference where the tokens line up.
@Suite struct CompareCommand {
    static let tired = "the animal crossed the street because it was tired"
    static let wide = "the animal crossed the street because it was wide"

    static func temporaryFolder() -> String {
        let path = NSTemporaryDirectory() + "explorer-compare-\(UUID().uuidString)"
        return path
    }

    /// The export's difference equals B − A read from its own two exports, at the pairs its
    /// alignment lists, and the text report names the tokens without a partner.
    @Test func exportedDifferenceIsTheTwoExportsSubtracted() throws {
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try CommandLine.run(["compare", "--model", "tiny-bert", "--text", Self.tired, "--text", Self.wide,
                                       "--hook", "blocks.1.attn.pattern", "--head", "1", "--export", folder])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("only in A: 9:tired") && run.stdout.contains("only in B: 9:wide"), "\(run.stdout)")
        #expect(run.stdout.contains("largest change"))
        let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/alignment.json"))
        let alignment = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(alignment["format"] as? String == "explorer-compare/1")
        #expect(alignment["hook"] as? String == "blocks.1.attn.pattern" && alignment["head"] as? Int == 1)
        let queries = try #require(alignment["queries"] as? [String: Any])
        let pairs = try #require(queries["pairs"] as? [[Int]])
        #expect(queries["only_a"] as? [Int] == [9] && queries["only_b"] as? [Int] == [9])
        #expect(pairs.count == 10)
        let a = try NPY.read(path: folder + "/a/blocks.1.attn.pattern.npy").slice(1)
        let b = try NPY.read(path: folder + "/b/blocks.1.attn.pattern.npy").slice(1)
        let difference = try NPY.read(path: folder + "/difference.npy")
        #expect(difference.shape == [pairs.count, pairs.count])
        var largest: Float = 0
        for (i, row) in pairs.enumerated() {
            for (j, column) in pairs.enumerated() {
                let want = b[row[1], column[1]] - a[row[0], column[0]]
                #expect(abs(difference[i, j] - want) <= 1e-6 * (1 + abs(want)))
                largest = max(largest, abs(want))
            }
        }
        // Bidirectional attention: the changed last word reaches every other token.
        #expect(largest > 1e-3)
        // Both sides are ordinary exports.
        for side in ["a", "b"] {
            #expect(FileManager.default.fileExists(atPath: "\(folder)/\(side)/manifest.json"))
        }
        // A second comparison into the same folder replaces the first.
        let again = try CommandLine.run(["compare", "--model", "tiny-bert", "--text", Self.tired, "--text", Self.tired,
                                         "--export", folder])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("every lined-up cell is the same"))
        let same = try NPY.read(path: folder + "/difference.npy")
        #expect(same.scalars.allSatisfy { $0 == 0 })
    }

    /// The JSON report: both matrices (rows sum to 1), the alignment, and the difference.
    @Test func jsonCarriesBothMatricesAndTheDifference() throws {
        let run = try CommandLine.run(["compare", "--text", "the cat sat on the mat", "--text", "the big cat sat on the mat",
                                       "--head", "1", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(json["model"] as? String == "tiny-gpt" && json["hook"] as? String == "blocks.0.attn.pattern")
        let a = try #require(json["a"] as? [String: Any]), b = try #require(json["b"] as? [String: Any])
        let matrixA = try #require(a["matrix"] as? [[Double]]), matrixB = try #require(b["matrix"] as? [[Double]])
        for row in matrixA + matrixB { #expect(abs(row.reduce(0, +) - 1) <= 1e-5) }
        let queries = try #require(json["queries"] as? [String: Any])
        #expect(queries["only_a"] as? [Int] == [] && queries["only_b"] as? [Int] == [1])
        let pairs = try #require(queries["pairs"] as? [[Int]])
        let difference = try #require(json["difference"] as? [[Double]])
        #expect(difference.count == pairs.count)
        for (i, row) in pairs.enumerated() {
            for (j, column) in pairs.enumerated() {
                #expect(abs(difference[i][j] - (matrixB[row[1]][column[1]] - matrixA[row[0]][column[0]])) <= 1e-6)
            }
        }
    }

    /// Cross-attention lines up the decoder's tokens as queries and the encoder's as keys.
    @Test func crossAttentionAlignsQueriesAndKeysApart() throws {
        let run = try CommandLine.run(["compare", "--model", "tiny-transformer", "--text", "the cat sat", "--text", "the dog sat",
                                       "--target", "le chat", "--hook", "decoder.blocks.0.cross_attn.pattern", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let queries = try #require(json["queries"] as? [String: Any]), keys = try #require(json["keys"] as? [String: Any])
        #expect((queries["only_a"] as? [Int])?.isEmpty == true)
        #expect(keys["only_a"] as? [Int] == [1] && keys["only_b"] as? [Int] == [1])
    }

    static let badInputs: [CommandLine.BadInput] = [
        .init(arguments: ["compare", "--text", "one sentence"], status: 64, mentions: "exactly two"),
        .init(arguments: ["compare", "--text", "a b", "--text", "a c", "--head", "9"], status: 64, mentions: "0 to"),
        .init(arguments: ["compare", "--text", "a b", "--text", "a c", "--hook", "blocks.0.attn.q"], status: 64, mentions: "not an attention matrix"),
        .init(arguments: ["compare", "--text", "a b", "--text", "a c", "--hook", "blocks.7.attn.pattern"], status: 64, mentions: "blocks.7.attn.pattern"),
        .init(arguments: ["compare", "--text", "", "--text", "a c"], status: 1, mentions: "empty"),
    ]

    @Test(arguments: badInputs)
    func badInputIsOneClearLine(_ bad: CommandLine.BadInput) throws {
        let run = try CommandLine.run(bad.arguments)
        #expect(run.status == bad.status, "\(bad): status \(run.status), stderr: \(run.stderr)")
        #expect(run.stderr.contains(bad.mentions), "\(bad): \(run.stderr)")
        #expect(run.stderr.split(separator: "\n").first?.hasPrefix("Error: ") == true, "\(run.stderr)")
    }

    /// A folder that holds something else is refused, and left as it was.
    @Test func refusesAFolderThatIsNotAnEarlierComparison() throws {
        let folder = Self.temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: folder + "/notes.txt"))
        let run = try CommandLine.run(["compare", "--text", "a b", "--text", "a c", "--export", folder])
        #expect(run.status == 1 && run.stderr.contains("not empty"), "\(run.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["notes.txt"])
    }
}
