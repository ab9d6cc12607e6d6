import Testing
@testable import Lessons
import Transformer

/// A number quiz whose answer is not a finite number (NaN matches nothing, ±∞ cannot be typed) fails
/// `lessons check` at its line.
@Suite struct NonFiniteQuizAnswers {
    static let answers = [
        "exp(1000) - exp(1000)", "sqrt(0 - 1)", "log(0 - 1)", "log(0)", "exp(1000)", "0 - exp(1000)",
        "blocks.0.attn.masked[0, 0, 1]", "blocks.0.attn.masked[0, 0, 1] - blocks.0.attn.masked[0, 0, 1]",
        "exp(1000) * 0",
    ]

    @Test(arguments: answers)
    func failsTheCheck(_ answer: String) throws {
        let problems = try Checking.check("# Step 1\n@quiz number \(answer)\nHow much?\n@end")
        #expect(problems.count >= 1 && problems.allSatisfy { $0.hasPrefix("9: ") }, "\(answer): \(problems)")
    }

    @Test func aFiniteAnswerStillPasses() throws {
        #expect(try Checking.check("# Step 1\n@quiz number exp(1) + 1\nHow much?\n@end").isEmpty)
    }
}
