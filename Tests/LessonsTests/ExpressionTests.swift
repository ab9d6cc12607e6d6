import Testing
@testable import Lessons

@Suite struct Expressions {
    @Test func namesIndicesAndTokens() throws {
        #expect(try ExpressionParser.parse("blocks.{layer}.attn.pattern[head, 'it', \"'\"]")
            == .index(.name("blocks.{layer}.attn.pattern"), [.name("head"), .token("it"), .token("'")]))
        #expect(try ExpressionParser.parse("blocks.0.attn.W_Q[head, :, 0]")
            == .index(.name("blocks.0.attn.W_Q"), [.name("head"), .all, .number(0)]))
        #expect(try ExpressionParser.parse("probs[last, 'tired']") == .index(.name("probs"), [.name("last"), .token("tired")]))
    }

    @Test func arithmeticHasPrecedence() throws {
        #expect(try ExpressionParser.parse("a + b * c") == .binary(.add, .name("a"), .binary(.multiply, .name("b"), .name("c"))))
        #expect(try ExpressionParser.parse("(a + b) / 2") == .binary(.divide, .binary(.add, .name("a"), .name("b")), .number(2)))
        #expect(try ExpressionParser.parse("-1.5") == .number(-1.5))
        #expect(try ExpressionParser.parse("a − b") == .binary(.subtract, .name("a"), .name("b")))
        #expect(try ExpressionParser.parse("-x") == .negate(.name("x")))
        #expect(try ExpressionParser.parse("query - 1") == .binary(.subtract, .name("query"), .number(1)))
    }

    @Test func calls() throws {
        #expect(try ExpressionParser.parse("token(argmax(p[head, query]))")
            == .call("token", [.call("argmax", [.index(.name("p"), [.name("head"), .name("query")])])]))
        #expect(try ExpressionParser.parse("dot(a[0], b[1])") == .call("dot", [.index(.name("a"), [.number(0)]), .index(.name("b"), [.number(1)])]))
    }

    @Test func prefixStopsAtOptions() throws {
        let (expression, rest) = try ExpressionParser.parsePrefix("blocks.0.attn.pattern[head, query, key] tolerance=0.01 decimals=3")
        #expect(expression == .index(.name("blocks.0.attn.pattern"), [.name("head"), .name("query"), .name("key")]))
        #expect(rest == "tolerance=0.01 decimals=3")
        let (plain, none) = try ExpressionParser.parsePrefix("probs")
        #expect(plain == .name("probs") && none.isEmpty)
    }

    @Test func printsBack() throws {
        for text in ["blocks.0.attn.pattern[head, 'it', 'animal']", "token(query)", "a / sqrt(dh)", "W[head, :, 0]"] {
            #expect(try ExpressionParser.parse(text).description == text)
        }
    }

    @Test func mistakes() {
        func message(_ text: String) -> String? {
            do { _ = try ExpressionParser.parse(text); return nil } catch let error as ExpressionSyntaxError { return error.message } catch { return "\(error)" }
        }
        #expect(message("") == "an empty expression")
        #expect(message("a b") == "unexpected 'b' after a")
        #expect(message("a[0") == "expected ']' after the indices of a, found the end")
        #expect(message("f(1") == "expected ')' after the arguments of f, found the end")
        #expect(message("'it") == "a quoted token is not closed (add ')")
        #expect(message("blocks.{layer.x") == "'{' without '}' in blocks.{layer.x")
        #expect(message("3x") == "'3x…' is neither a number nor a name")
        #expect(message("a ? b") == "unexpected '?'")
        #expect(message("blocks.") == "a name cannot end with '.': blocks.")
    }
}
