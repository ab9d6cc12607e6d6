import Foundation
import Testing

/// The progress of a large model file's loading on standard error, with the threshold lowered by
/// EXPLORER_PROGRESS_BYTES so that the small fixtures count as large. Standard error is a pipe here,
/// so the bar is a plain line at each tenth; standard output (JSON) is untouched.
@Suite struct LoadProgressCommand {
    static let tinyGGUF = ("\(#filePath)" as NSString).deletingLastPathComponent + "/../Fixtures/gguf/tiny-llama.gguf"

    /// The percentages of the progress lines in `stderr`, in order.
    static func percents(_ stderr: String) -> [Int] {
        stderr.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("loading weights ["), let close = line.firstIndex(of: "]"),
                  let percent = line[line.index(after: close)...].split(separator: "%").first else { return nil }
            return Int(percent.trimmingCharacters(in: .whitespaces))
        }
    }

    @Test(arguments: [tinyGGUF, "tiny-llama"])
    func aLoweredThresholdShowsProgressAndKeepsJSONClean(model: String) throws {
        let run = try CommandLine.run(["inspect", "--model", model, "--text", "fox", "--json"],
                                      environment: ["EXPLORER_PROGRESS_BYTES": "0"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) is [String: Any], "\(run.stdout)")
        #expect(!run.stdout.contains("loading weights"))
        let percents = Self.percents(run.stderr)
        #expect(percents.first == 0 && percents.last == 100, "\(run.stderr)")
        #expect(percents == percents.sorted() && Set(percents).count == percents.count, "\(percents)")
        #expect(percents.count >= 3, "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").allSatisfy { $0.hasPrefix("loading weights [") }, "\(run.stderr)")
    }

    @Test func smallFilesShowNothingByDefault() throws {
        let run = try CommandLine.run(["inspect", "--model", Self.tinyGGUF, "--text", "fox", "--json"],
                                      environment: ["EXPLORER_PROGRESS_BYTES": "1000000000"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.isEmpty, "\(run.stderr)")
    }

    @Test func aBadThresholdIsAnError() throws {
        let run = try CommandLine.run(["inspect", "--model", Self.tinyGGUF, "--text", "fox"],
                                      environment: ["EXPLORER_PROGRESS_BYTES": "1GB"])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.hasPrefix("Error: EXPLORER_PROGRESS_BYTES must be a whole number of bytes"), "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1)
    }
}
