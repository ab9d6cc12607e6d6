import Testing
@testable import Lessons

/// Generated deep and long expressions: nesting past `ExpressionParser.maximumDepth` is a syntax
/// error, never a stack overflow; a flat chain of any length parses and evaluates in a loop.
@Suite struct DepthLimit {
    static let limit = ExpressionParser.maximumDepth

    /// Each way to nest, `depth` levels deep around `1` (or `embed` for indices).
    static func nested(_ form: String, _ depth: Int) -> String {
        switch form {
        case "parentheses": return String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth)
        case "sqrt": return String(repeating: "sqrt(", count: depth) + "4" + String(repeating: ")", count: depth)
        case "sum": return String(repeating: "sum(", count: depth) + "1" + String(repeating: ")", count: depth)
        case "minus": return String(repeating: "- ", count: depth) + "x"
        case "indices": return "embed" + String(repeating: "[0]", count: depth)
        case "index inside index": return String(repeating: "p[", count: depth) + "0" + String(repeating: "]", count: depth)
        // Every level a sum of a product, the most tree a level can make.
        default: return String(repeating: "1 + 1 * (", count: depth) + "3" + String(repeating: ")", count: depth)
        }
    }

    static let forms = ["parentheses", "sqrt", "sum", "minus", "indices", "index inside index", "mixed"]

    static func syntaxError(_ text: String) -> String? {
        do { _ = try ExpressionParser.parse(text); return nil } catch let error as ExpressionSyntaxError { return error.message } catch { return "\(error)" }
    }

    @Test(arguments: forms)
    func nestingPastTheLimitIsRefused(_ form: String) {
        for depth in [Self.limit + 1, 3_000, 20_000, 100_000] {
            #expect(Self.syntaxError(Self.nested(form, depth)) == "expression nested deeper than 256", "\(form) \(depth)")
        }
    }

    /// At the limit the tree parses, prints, compares, evaluates and is released without running out
    /// of stack (on a test's thread, not only the main thread).
    @Test(arguments: forms)
    func nestingAtTheLimitWorks(_ form: String) throws {
        let text = Self.nested(form, Self.limit)
        let expression = try ExpressionParser.parse(text)
        let again = try ExpressionParser.parse(expression.description)
        #expect(again == expression)
        let names = ["minus": 1, "indices": 1, "index inside index": Self.limit][form] ?? 0
        #expect(expression.names.count == names)
        if let expected = ["parentheses": 1.0, "sqrt": 1.0, "sum": 1.0, "mixed": Double(3 + Self.limit)][form] {
            let live = try Live()
            let value = try Evaluator(context: live.context, selection: live.pronoun).number(expression)
            #expect(abs(value - expected) < 1e-9, "\(form): \(value)")
        }
    }

    @Test func flatChainsOfAnyLengthParseAndEvaluate() throws {
        let terms = 100_001
        let sum = try ExpressionParser.parse(Array(repeating: "1", count: terms).joined(separator: " + "))
        guard case .chain(.number(1), let operations) = sum else { Issue.record("not one chain"); return }
        #expect(operations.count == terms - 1)
        let mixed = try ExpressionParser.parse(Array(repeating: "2 * 3 / 3 - 1", count: 50_000).joined(separator: " + "))
        let live = try Live()
        let evaluator = Evaluator(context: live.context, selection: live.pronoun)
        #expect(try evaluator.number(sum) == Double(terms))
        #expect(try evaluator.number(mixed) == 50_000)
        #expect(try ExpressionParser.parse(sum.description) == sum)
    }

    @Test func printingKeepsTheMeaning() throws {
        for text in ["(a + b) / 2", "a - (b - c)", "a * (b + c)", "-(a + b)", "a - b - c", "a / (b * c)", "a + b * c"] {
            #expect(try ExpressionParser.parse(text).description == text)
        }
        #expect(try ExpressionParser.parse("(a - b) - c").description == "a - b - c")
    }

    /// In a lesson the refusal is a mistake at its line, quoting the start of the expression only.
    @Test func aLessonSaysWhichLine() {
        let deep = Self.nested("parentheses", 100_000)
        let errors = parseErrors(lessonText("# Step 1: Deep\nText.\nMore text.\n\n{{ \(deep) }}\n@show bars \(Self.nested("sum", 20_000))\n"))
        #expect(errors.count == 2, "\(errors.map { $0.prefix(120) })")
        #expect(errors.first?.hasPrefix("12: in {{ ((((") == true && errors.first?.hasSuffix("… }}: expression nested deeper than 256") == true)
        #expect(errors.last?.hasPrefix("13: @show bars sum(sum(") == true && errors.last?.hasSuffix(": expression nested deeper than 256") == true)
        #expect(errors.allSatisfy { $0.count < 200 })
    }
}
