import Foundation
import Tokenizers
import Transformer

/// Reads a lesson file (see `Lessons/README.md`) into a `Lesson`, reporting every mistake it can
/// find without a model as a `LessonDiagnostic` at its line. Never throws and never stops at the
/// first mistake; `LessonChecker` then checks the names and tokens against a real run of the model.
public enum LessonParser {
    /// The front-matter fields, in the order the README lists them.
    public static let fields = ["id", "title", "summary", "model", "input", "target", "builds-on", "order"]
    /// The fields a lesson must have.
    public static let requiredFields = ["id", "title", "summary", "model", "input"]
    /// The directives (without `@`).
    public static let directives = ["select", "controls", "mask", "model", "input", "compare", "show", "quiz", "if", "else", "expect", "end"]

    /// Reads the file at `path`; messages name it `name` (default: `path`).
    public static func parse(contentsOf path: String, name: String? = nil) -> (lesson: Lesson?, diagnostics: [LessonDiagnostic]) {
        let shown = name ?? path
        let data: Data
        do { data = try RegularFile.read(path) } catch {
            // A FIFO or a directory is named as what it is, without being opened for reading.
            let message = error == .missing ? "cannot read the file" : "cannot read the file: it \(error)"
            return (nil, [LessonDiagnostic(file: shown, line: 0, message: message)])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return (nil, [LessonDiagnostic(file: shown, line: 0, message: "not UTF-8 text")])
        }
        return parse(text, file: shown)
    }

    /// Reads lesson text. The lesson is nil only when its front matter is unusable; it may still hold
    /// mistakes, so use it only when `diagnostics` is empty.
    public static func parse(_ text: String, file: String) -> (lesson: Lesson?, diagnostics: [LessonDiagnostic]) {
        var reader = Reader(file: file, lines: splitLines(text))
        let lesson = reader.read()
        return (lesson, reader.diagnostics.sorted())
    }

    static func splitLines(_ text: String) -> [String] {
        var body = text
        if body.hasPrefix("\u{FEFF}") { body.removeFirst() }
        // "\r\n" is one Character in Swift, so split on scalars.
        var lines = body.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            String(String.UnicodeScalarView(line.last == "\r" ? line.dropLast() : line))
        }
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// Whether `id` is lower-case words joined by hyphens (`six-steps`, `gqa-2`).
    public static func isValidId(_ id: String) -> Bool {
        !id.isEmpty && !id.hasPrefix("-") && !id.hasSuffix("-") && !id.contains("--")
            && id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}

/// The state of one pass over a file's lines.
struct Reader {
    let file: String
    let lines: [String]
    var diagnostics: [LessonDiagnostic] = []

    init(file: String, lines: [String]) {
        self.file = file
        self.lines = lines
    }

    mutating func error(_ line: Int, _ message: String) {
        diagnostics.append(LessonDiagnostic(file: file, line: line, message: message))
    }

    mutating func read() -> Lesson? {
        for (n, line) in lines.enumerated() {
            if let bad = line.unicodeScalars.first(where: { ($0.value < 0x20 && $0 != "\t") || (0x7F...0x9F).contains($0.value) }) {
                error(n + 1, "control character U+\(String(format: "%04X", bad.value)) in the line (a lesson is plain text)")
            }
        }
        let (fields, bodyStart) = readFrontMatter()
        let steps = readSteps(from: bodyStart)
        if steps.isEmpty && fields != nil {
            error(min(bodyStart + 1, max(1, lines.count)), "the lesson has no steps: start one with a heading such as '# Step 1: …'")
        }
        guard let fields else { return nil }
        var fieldLines: [String: Int] = [:]
        var values: [String: String] = [:]
        for (key, (value, line)) in fields {
            values[key] = value
            fieldLines[key] = line
        }
        var complete = true
        for field in LessonParser.requiredFields where (values[field] ?? "").isEmpty {
            complete = false
            if let line = fieldLines[field] {
                error(line, "front-matter field '\(field)' is empty")
            } else {
                error(1, "missing front-matter field '\(field)'")
            }
        }
        let id = values["id"] ?? ""
        if !id.isEmpty && !LessonParser.isValidId(id) {
            error(fieldLines["id"] ?? 1, "lesson id '\(id)' should be lower-case letters, digits and hyphens (e.g. 'six-steps')")
        }
        var order: Double?
        if let text = values["order"] {
            if let value = Double(text), value.isFinite { order = value }
            else { error(fieldLines["order"] ?? 1, "order must be a number, got '\(text)'") }
        }
        var buildsOn: [String] = []
        if let text = values["builds-on"] {
            buildsOn = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            for other in buildsOn where !LessonParser.isValidId(other) {
                error(fieldLines["builds-on"] ?? 1, "builds-on names '\(other)', which is not a lesson id (lower-case letters, digits and hyphens)")
            }
        }
        guard complete else { return nil }
        return Lesson(id: id, title: values["title"]!, summary: values["summary"]!, model: values["model"]!,
                      input: values["input"]!, target: values["target"].flatMap { $0.isEmpty ? nil : $0 },
                      buildsOn: buildsOn, order: order, steps: steps, file: file, fieldLines: fieldLines)
    }

    /// The fields between the `---` lines (value and line of each), and the index (0-based) of the
    /// first line after them.
    mutating func readFrontMatter() -> ([String: (String, Int)]?, Int) {
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "---" else {
            error(1, "a lesson starts with front matter: a line '---', fields such as 'id: my-lesson', then '---'")
            return (nil, lines.count)
        }
        guard let close = lines.dropFirst().firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" }) else {
            error(1, "the front matter is not closed: add a line '---' after its fields")
            return (nil, lines.count)
        }
        var fields: [String: (String, Int)] = [:]
        var n = 1
        while n <= close {
            let line = lines[n]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed == "---" { return (fields, n + 1) }
            defer { n += 1 }
            if trimmed.isEmpty { continue }
            guard let colon = trimmed.firstIndex(of: ":") else {
                error(n + 1, "expected 'field: value' in the front matter, got '\(trimmed)'")
                continue
            }
            let key = trimmed[..<colon].trimmingCharacters(in: .whitespaces)
            var value = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            guard LessonParser.fields.contains(key) else {
                error(n + 1, "unknown front-matter field '\(key)' (fields: \(LessonParser.fields.joined(separator: ", ")))")
                continue
            }
            if let earlier = fields[key] {
                error(n + 1, "front-matter field '\(key)' is given twice (first on line \(earlier.1))")
                continue
            }
            fields[key] = (value, n + 1)
        }
        return (fields, close + 1)
    }

    // MARK: the body

    /// The step being read.
    struct StepDraft {
        var step: LessonStep
        /// Whether any line was written in the step (a broken directive counts: it has its own message).
        var hasContent = false
        var selectLine: Int?
        var controlsLine: Int?
        var maskLine: Int?
        var modelLine: Int?
        var inputLine: Int?
        var compareLine: Int?
    }

    /// An `@if` being read, up to its `@end`: the step's blocks before it, and the branch so far.
    struct ConditionalDraft {
        var condition: Expression
        var source: String
        var line: Int
        var before: [LessonBlock]
        var then: [LessonBlock]?
    }

    /// The quiz being read, up to its `@end`.
    struct QuizDraft {
        var line: Int
        var kind: QuizKind?
        var question: [ProseLine] = []
        var options: [QuizOption] = []
        var explanation: [ProseLine] = []
    }

    mutating func readSteps(from start: Int) -> [LessonStep] {
        var steps: [LessonStep] = []
        var draft: StepDraft?
        var prose: [ProseLine] = []
        var quiz: QuizDraft?
        var inFence = false
        var inComment = false
        var commentLine = 0
        var complainedAboutPreamble = false
        var previousControls = Control.defaults
        var conditionals: [ConditionalDraft] = []
        func closeConditionals() {
            for open in conditionals.reversed() { error(open.line, "unterminated @if: add @end after what it shows") }
            if let outermost = conditionals.first { draft?.step.blocks = outermost.before }
            conditionals = []
        }

        func flushProse(into draft: inout StepDraft?) {
            while prose.last.map(isBlank) == true { prose.removeLast() }
            while prose.first.map(isBlank) == true { prose.removeFirst() }
            if !prose.isEmpty { draft?.step.blocks.append(.prose(Prose(lines: prose))) }
            prose = []
        }

        var n = start
        while n < lines.count {
            let number = n + 1
            let line = lines[n]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            n += 1

            if inComment {
                if trimmed.contains("-->") { inComment = false }
                continue
            }
            if !inFence && quiz == nil && trimmed.hasPrefix("<!--") {
                if !trimmed.contains("-->") { inComment = true; commentLine = number }
                continue
            }
            if trimmed.hasPrefix("```") { inFence.toggle() }

            let isHeading = !inFence && (trimmed == "#" || trimmed.hasPrefix("# "))
            if isHeading {
                if let open = quiz {
                    error(open.line, "unterminated @quiz: add @end after its options")
                    quiz = nil
                }
                flushProse(into: &draft)
                closeConditionals()
                if let done = draft { steps.append(finish(done)) }
                let title = trimmed.dropFirst().trimmingCharacters(in: .whitespaces)
                if title.isEmpty { error(number, "a step needs a title: write it after '# '") }
                previousControls = draft?.step.controls ?? previousControls
                draft = StepDraft(step: LessonStep(title: title, line: number, controls: previousControls))
                continue
            }

            if draft == nil {
                if !trimmed.isEmpty && !complainedAboutPreamble {
                    error(number, "text before the first step: a step starts with a heading such as '# Step 1: …'")
                    complainedAboutPreamble = true
                }
                continue
            }

            if !trimmed.isEmpty { draft?.hasContent = true }
            if quiz != nil {
                readQuizLine(line, trimmed: trimmed, number: number, quiz: &quiz, draft: &draft, inFence: inFence)
                continue
            }

            if !inFence && trimmed.hasPrefix("@") {
                flushProse(into: &draft)
                if readConditional(trimmed, number: number, draft: &draft!, open: &conditionals) { continue }
                readDirective(trimmed, number: number, draft: &draft!, quiz: &quiz)
                continue
            }
            var text = line
            if !inFence && trimmed.hasPrefix("\\@") {
                text = line.replacingOccurrences(of: "\\@", with: "@", options: [], range: line.range(of: "\\@"))
            }
            prose.append(proseLine(text, number: number))
        }
        if let open = quiz { error(open.line, "unterminated @quiz: add @end after its options") }
        flushProse(into: &draft)
        closeConditionals()
        if inComment { error(commentLine, "a comment '<!--' is not closed with '-->'") }
        flushProse(into: &draft)
        if let done = draft { steps.append(finish(done)) }
        return steps
    }

    func isBlank(_ line: ProseLine) -> Bool {
        line.segments.allSatisfy { if case .text(let t) = $0 { return t.trimmingCharacters(in: .whitespaces).isEmpty } else { return false } }
    }

    mutating func finish(_ draft: StepDraft) -> LessonStep {
        if !draft.hasContent && !draft.step.title.isEmpty {
            error(draft.step.line, "step '\(draft.step.title)' is empty: give it some text")
        }
        return draft.step
    }

    mutating func readDirective(_ trimmed: String, number: Int, draft: inout StepDraft, quiz: inout QuizDraft?) {
        let word = trimmed.dropFirst().prefix { !$0.isWhitespace }
        let rest = trimmed.dropFirst(1 + word.count).trimmingCharacters(in: .whitespaces)
        switch word {
        case "select":
            if let earlier = draft.selectLine {
                error(number, "a step has one @select (this step's first is on line \(earlier))")
                return
            }
            draft.selectLine = number
            draft.step.selection = readSelect(rest, number: number)
        case "controls":
            if let earlier = draft.controlsLine {
                error(number, "a step has one @controls (this step's first is on line \(earlier))")
                return
            }
            draft.controlsLine = number
            draft.step.controls = readControls(rest, number: number)
        case "mask":
            if let earlier = draft.maskLine {
                error(number, "a step has one @mask (this step's first is on line \(earlier))")
                return
            }
            draft.maskLine = number
            if let mask = AttentionMask(rest) {
                draft.step.mask = MaskSpec(mask: mask, line: number)
            } else {
                error(number, rest.isEmpty ? "@mask needs a mask: causal, bidirectional or prefix:N"
                    : "unknown mask '\(rest)' (masks: causal, bidirectional, prefix:N with N a whole number of tokens)")
            }
        case "model":
            if let earlier = draft.modelLine {
                error(number, "a step has one @model (this step's first is on line \(earlier))")
                return
            }
            draft.modelLine = number
            if rest.isEmpty || rest.contains(where: \.isWhitespace) {
                error(number, "@model needs one model name, such as @model tiny-bert")
            } else {
                draft.step.model = ModelSpec(name: rest, line: number)
            }
        case "input", "compare":
            let isInput = word == "input"
            if let earlier = isInput ? draft.inputLine : draft.compareLine {
                error(number, "a step has one @\(word) (this step's first is on line \(earlier))")
                return
            }
            if isInput { draft.inputLine = number } else { draft.compareLine = number }
            let text = unquoted(rest).trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else {
                error(number, "@\(word) needs a sentence, such as @\(word) The animal didn't cross the street because it was too wide")
                return
            }
            let spec = SentenceSpec(text: text, line: number)
            if isInput { draft.step.input = spec } else { draft.step.compare = spec }
        case "show":
            if let show = readShow(rest, number: number) { draft.step.blocks.append(.show(show)) }
        case "quiz":
            quiz = readQuizStart(rest, number: number)
        case "expect":
            do {
                guard !rest.isEmpty else {
                    throw ExpressionSyntaxError(message: "@expect needs a condition, such as @expect weight('it', 'animal') > 0.5")
                }
                draft.step.expectations.append(Expectation(condition: try ExpressionParser.parse(rest), source: rest, line: number))
            } catch let syntax as ExpressionSyntaxError {
                error(number, rest.isEmpty ? syntax.message : "@expect \(Expression.abbreviate(rest)): \(syntax.message)")
            } catch {}
        case "end":
            error(number, "@end without a @quiz before it")
        default:
            let known = LessonParser.directives.map { "@" + $0 }.joined(separator: ", ")
            error(number, "unknown directive @\(word) (directives: \(known); write \\@ to begin a line of text with @)")
        }
    }

    // MARK: directives

    /// Reads `@if`, `@else` and the `@end` that closes an `@if`; returns false for other directives.
    /// Inside an `@if` go prose and `@show`s: a quiz or a setting there would come and go with the sentence.
    mutating func readConditional(_ trimmed: String, number: Int, draft: inout StepDraft, open: inout [ConditionalDraft]) -> Bool {
        let word = trimmed.dropFirst().prefix { !$0.isWhitespace }
        let rest = trimmed.dropFirst(1 + word.count).trimmingCharacters(in: .whitespaces)
        switch word {
        case "if":
            let condition: Expression
            do {
                guard !rest.isEmpty else { throw ExpressionSyntaxError(message: "@if needs a condition, such as @if weight('it', 'animal') > 0.5") }
                condition = try ExpressionParser.parse(rest)
            } catch let syntax as ExpressionSyntaxError {
                error(number, rest.isEmpty ? syntax.message : "@if \(Expression.abbreviate(rest)): \(syntax.message)")
                condition = .number(0)
            } catch { condition = .number(0) }
            open.append(ConditionalDraft(condition: condition, source: rest, line: number, before: draft.step.blocks))
            draft.step.blocks = []
            return true
        case "else":
            guard var innermost = open.popLast() else {
                error(number, "@else without an @if before it")
                return true
            }
            if innermost.then != nil { error(number, "a second @else for the @if on line \(innermost.line)") }
            if !rest.isEmpty { error(number, "@else takes nothing after it") }
            innermost.then = innermost.then ?? draft.step.blocks
            draft.step.blocks = []
            open.append(innermost)
            return true
        case "end":
            guard let innermost = open.popLast() else { return false }
            let branch = draft.step.blocks
            let conditional = Conditional(condition: innermost.condition, source: innermost.source,
                                          then: innermost.then ?? branch, otherwise: innermost.then == nil ? [] : branch,
                                          line: innermost.line)
            draft.step.blocks = innermost.before + [.conditional(conditional)]
            return true
        case let other where !open.isEmpty && ["quiz", "select", "controls", "mask", "model", "input", "compare"].contains(String(other)):
            error(number, "@\(word) inside @if (line \(open.last!.line)): only text and @show may depend on the sentence")
            return true
        default:
            return false
        }
    }

    mutating func readSelect(_ text: String, number: Int) -> SelectionSpec {
        var spec = SelectionSpec(line: number)
        guard let pairs = options(text, number: number, directive: "@select") else { return spec }
        if pairs.isEmpty { error(number, "@select needs at least one of layer=, head=, query=, key=, temperature=, k=") }
        let positions: [String: WritableKeyPath<SelectionSpec, Expression?>] = ["layer": \.layer, "head": \.head,
                                                                              "query": \.query, "key": \.key]
        let range = Selection.temperatureRange
        for (key, value) in pairs {
            switch key {
            case "temperature":
                if let t = Double(unquoted(value)), range.contains(t) { spec.temperature = t } else {
                    error(number, "@select temperature= needs a number from \(Selection.text(temperature: range.lowerBound)) to \(Selection.text(temperature: range.upperBound)), got '\(value)'")
                }
            case "k":
                if let k = Int(unquoted(value)), k >= 1 { spec.k = k } else {
                    error(number, "@select k= needs a whole number of 1 or more (top-k keeps the k likeliest tokens), got '\(value)'")
                }
            default:
                guard let part = positions[key] else {
                    error(number, "@select has no '\(key)' (it sets layer, head, query, key, temperature and k)")
                    continue
                }
                do { spec[keyPath: part] = try ExpressionParser.parse(value) } catch let syntax as ExpressionSyntaxError {
                    error(number, "@select \(key)=\(Expression.abbreviate(value)): \(syntax.message)")
                } catch {}
            }
        }
        return spec
    }

    mutating func readControls(_ text: String, number: Int) -> [Control] {
        let words = text.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
        if words == ["none"] { return [] }
        if words.isEmpty { error(number, "@controls needs a list, such as 'input, head, query' (or 'none')") }
        var controls: [Control] = []
        for word in words {
            if let control = Control(rawValue: word) {
                if !controls.contains(control) { controls.append(control) }
            } else {
                error(number, "unknown control '\(word)' (controls: \(Control.allCases.map(\.rawValue).joined(separator: ", ")), or none)")
            }
        }
        return controls
    }

    mutating func readShow(_ text: String, number: Int) -> ShowDirective? {
        let kindWord = String(text.prefix { !$0.isWhitespace })
        let kinds = ShowKind.allCases.map(\.rawValue).joined(separator: ", ")
        guard !kindWord.isEmpty else {
            error(number, "@show needs a kind: \(kinds)")
            return nil
        }
        guard let kind = ShowKind(rawValue: kindWord) else {
            error(number, "unknown @show kind '\(kindWord)' (kinds: \(kinds))")
            return nil
        }
        let rest = text.dropFirst(kindWord.count).trimmingCharacters(in: .whitespaces)
        var expression: Expression?
        var optionText = rest
        let startsWithOption = rest.split(separator: " ").first.map { word in
            word.contains("=") && word.prefix { $0 != "=" }.allSatisfy { $0.isLetter || $0 == "_" }
        } ?? true
        if kind == .params && !rest.isEmpty && !startsWithOption {
            // A preset's name (`gpt2-small`) is one word, not an expression.
            let word = String(rest.prefix { !$0.isWhitespace })
            expression = .token(unquoted(word))
            optionText = rest.dropFirst(word.count).trimmingCharacters(in: .whitespaces)
        } else if !rest.isEmpty && !startsWithOption {
            do {
                let (parsed, after) = try ExpressionParser.parsePrefix(rest)
                expression = parsed
                optionText = after
            } catch let syntax as ExpressionSyntaxError {
                error(number, "@show \(kind.rawValue) \(Expression.abbreviate(rest)): \(syntax.message)")
                return nil
            } catch { return nil }
        }
        if kind == .tokens && expression != nil {
            error(number, "@show tokens takes no name (it shows the input's tokens)")
            return nil
        }
        if kind == .safetensors && expression != nil {
            error(number, "@show safetensors takes no name (it shows the model file's header)")
            return nil
        }
        if [.heatmap, .matrix, .vector, .bars, .plot, .compare, .block].contains(kind) && expression == nil {
            let example = ["block": "blocks.{layer}.attn.W_Q", "compare": "blocks.{layer}.attn.pattern", "heatmap": "blocks.{layer}.attn.pattern", "matrix": "blocks.{layer}.attn.W_Q",
                           "vector": "blocks.{layer}.attn.q", "bars": "probs", "plot": "pos_embed"][kind.rawValue]!
            error(number, "@show \(kind.rawValue) needs a hook or parameter name, e.g. @show \(kind.rawValue) \(example)")
            return nil
        }
        var show = ShowDirective(kind: kind, expression: expression, source: text, line: number)
        guard let pairs = options(optionText, number: number, directive: "@show") else { return show }
        for (key, rawValue) in pairs {
            let value = unquoted(rawValue)
            switch key {
            case "top":
                guard kind == .bars else { error(number, "top= is for @show bars"); continue }
                guard let n = Int(value), n > 0 else { error(number, "top= needs a whole number above 0, got '\(value)'"); continue }
                show.top = n
            case "columns":
                guard [.plot, .heatmap, .matrix, .vector].contains(kind) else {
                    error(number, "columns= is for @show plot, heatmap, matrix and vector"); continue
                }
                let parts = value.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
                guard !parts.isEmpty, parts.allSatisfy({ $0 != nil && $0! >= 0 }) else {
                    error(number, "columns= needs whole numbers separated by commas (columns=10,11,12), got '\(value)'"); continue
                }
                show.columns = parts.map { $0! }
            case "decimals":
                guard let n = Int(value), (0...9).contains(n) else {
                    error(number, "decimals= needs a whole number from 0 to 9, got '\(value)'"); continue
                }
                show.decimals = n
            case "label":
                show.label = value
            default:
                error(number, "@show has no option '\(key)' (options: top=, columns=, decimals=, label=)")
            }
        }
        return show
    }

    mutating func readQuizStart(_ text: String, number: Int) -> QuizDraft {
        var draft = QuizDraft(line: number)
        let kindWord = String(text.prefix { !$0.isWhitespace })
        let rest = text.dropFirst(kindWord.count).trimmingCharacters(in: .whitespaces)
        switch kindWord {
        case "choice":
            if !rest.isEmpty { error(number, "@quiz choice takes nothing after it; write the question on the next lines") }
            draft.kind = .choice([])
        case "number":
            guard !rest.isEmpty else {
                error(number, "@quiz number needs the value the answer is checked against, e.g. @quiz number blocks.0.attn.pattern[head, query, key]")
                return draft
            }
            do {
                let (answer, optionText) = try ExpressionParser.parsePrefix(rest)
                var tolerance = 0.01
                var decimals: Int?
                for (key, rawValue) in options(optionText, number: number, directive: "@quiz number") ?? [] {
                    let value = unquoted(rawValue)
                    switch key {
                    case "tolerance":
                        if let t = Double(value), t >= 0, t.isFinite { tolerance = t }
                        else { error(number, "tolerance= needs a number of 0 or more, got '\(value)'") }
                    case "decimals":
                        if let d = Int(value), (0...9).contains(d) { decimals = d }
                        else { error(number, "decimals= needs a whole number from 0 to 9, got '\(value)'") }
                    default:
                        error(number, "@quiz number has no option '\(key)' (options: tolerance=, decimals=)")
                    }
                }
                draft.kind = .number(answer: answer, tolerance: tolerance, decimals: decimals,
                                     source: answer.description)
            } catch let syntax as ExpressionSyntaxError {
                error(number, "@quiz number \(Expression.abbreviate(rest)): \(syntax.message)")
            } catch {}
        case "token":
            guard !rest.isEmpty else {
                error(number, "@quiz token needs the token the answer is checked against, e.g. @quiz token argmax(blocks.0.attn.pattern[head, query])")
                return draft
            }
            do {
                let answer = try ExpressionParser.parse(rest)
                draft.kind = .token(answer: answer, source: rest)
            } catch let syntax as ExpressionSyntaxError {
                error(number, "@quiz token \(Expression.abbreviate(rest)): \(syntax.message)")
            } catch {}
        case "":
            error(number, "@quiz needs a kind: choice, number or token")
        default:
            error(number, "unknown quiz kind '\(kindWord)' (kinds: choice, number, token)")
        }
        return draft
    }

    mutating func readQuizLine(_ line: String, trimmed: String, number: Int, quiz: inout QuizDraft?,
                               draft: inout StepDraft?, inFence: Bool) {
        guard var open = quiz else { return }
        if trimmed == "@end" {
            finishQuiz(open, into: &draft)
            quiz = nil
            return
        }
        defer { quiz = open }
        if trimmed.hasPrefix("@") && !inFence {
            let word = trimmed.dropFirst().prefix { !$0.isWhitespace }
            if word == "quiz" {
                error(number, "a @quiz inside a @quiz: the one on line \(open.line) needs @end first")
            } else if LessonParser.directives.contains(String(word)) {
                error(number, "@\(word) inside a @quiz: end the quiz with @end first")
            } else {
                error(number, "unknown directive @\(word) inside a @quiz")
            }
            return
        }
        for (marker, correct) in [("- [x]", true), ("- [X]", true), ("- [ ]", false), ("* [x]", true), ("* [ ]", false)]
        where trimmed.hasPrefix(marker) {
            let text = trimmed.dropFirst(marker.count).trimmingCharacters(in: .whitespaces)
            if text.isEmpty { error(number, "an option needs text after '\(marker)'") }
            open.options.append(QuizOption(text: proseLine(text, number: number), correct: correct))
            return
        }
        if trimmed.hasPrefix(">") {
            open.explanation.append(proseLine(String(trimmed.dropFirst()).trimmingCharacters(in: .whitespaces), number: number))
            return
        }
        if !open.options.isEmpty && !trimmed.isEmpty {
            error(number, "text after a quiz's options: put the question before them, an explanation after '> '")
            return
        }
        open.question.append(proseLine(line, number: number))
    }

    mutating func finishQuiz(_ draft: QuizDraft, into step: inout StepDraft?) {
        var question = draft.question
        while let last = question.last, isBlank(last) { question.removeLast() }
        while let first = question.first, isBlank(first) { question.removeFirst() }
        guard let kind = draft.kind else { return }
        if question.isEmpty { error(draft.line, "a quiz needs a question: write it on the lines after @quiz") }
        let explanation = draft.explanation.isEmpty ? nil : Prose(lines: draft.explanation)
        switch kind {
        case .choice:
            if draft.options.isEmpty {
                error(draft.line, "a choice quiz needs options: lines '- [x] a right answer' and '- [ ] a wrong one'")
                return
            }
            if draft.options.count < 2 { error(draft.line, "a choice quiz needs at least two options") }
            if !draft.options.contains(where: \.correct) {
                error(draft.line, "a choice quiz needs a right answer: mark it '- [x]'")
            }
            step?.step.blocks.append(.quiz(Quiz(kind: .choice(draft.options), question: Prose(lines: question),
                                                explanation: explanation, line: draft.line)))
        case .number, .token:
            if !draft.options.isEmpty {
                error(draft.options[0].line, "a number or token quiz has no options: its answer is the value after @quiz")
            }
            step?.step.blocks.append(.quiz(Quiz(kind: kind, question: Prose(lines: question), explanation: explanation,
                                                line: draft.line)))
        }
    }

    // MARK: prose and options

    /// A prose line cut into text and `{{ … }}` placeholders.
    mutating func proseLine(_ text: String, number: Int) -> ProseLine {
        var segments: [ProseSegment] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { segments.append(.text(String(rest[..<open.lowerBound]))) }
            let inside = rest[open.upperBound...]
            guard let close = Self.closingBraces(in: inside) else {
                error(number, "a placeholder is not closed: '{{' needs '}}' on the same line")
                segments.append(.text(String(rest[open.lowerBound...])))
                return ProseLine(line: number, segments: segments)
            }
            let source = inside[..<close].trimmingCharacters(in: .whitespaces)
            if let placeholder = placeholder(source, number: number) {
                segments.append(.placeholder(placeholder))
            } else {
                segments.append(.text("{{ \(source) }}"))
            }
            rest = inside[inside.index(close, offsetBy: 2)...]
        }
        if !rest.isEmpty { segments.append(.text(String(rest))) }
        return ProseLine(line: number, segments: segments)
    }

    /// Where `}}` closes a placeholder, skipping the single braces of `{layer}` and quoted text.
    static func closingBraces(in text: Substring) -> Substring.Index? {
        var depth = 0
        var quote: Character?
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "'" || c == "\"" {
                quote = c
            } else if c == "{" {
                depth += 1
            } else if c == "}" {
                if depth > 0 { depth -= 1 }
                else if text.index(after: i) < text.endIndex && text[text.index(after: i)] == "}" { return i }
            }
            i = text.index(after: i)
        }
        return nil
    }

    mutating func placeholder(_ source: String, number: Int) -> Placeholder? {
        guard !source.isEmpty else {
            error(number, "an empty placeholder {{ }}")
            return nil
        }
        var expressionText = source
        var decimals: Int?
        if let bar = Self.lastUnquoted("|", in: source) {
            expressionText = source[..<bar].trimmingCharacters(in: .whitespaces)
            let digits = source[source.index(after: bar)...].trimmingCharacters(in: .whitespaces)
            guard let d = Int(digits), (0...9).contains(d) else {
                error(number, "in {{ \(Expression.abbreviate(source)) }}: the decimals after '|' must be a whole number from 0 to 9")
                return nil
            }
            decimals = d
        }
        do {
            return Placeholder(expression: try ExpressionParser.parse(expressionText), decimals: decimals,
                               source: source, line: number)
        } catch let syntax as ExpressionSyntaxError {
            error(number, "in {{ \(Expression.abbreviate(source)) }}: \(syntax.message)")
        } catch {}
        return nil
    }

    static func lastUnquoted(_ target: Character, in text: String) -> String.Index? {
        var quote: Character?
        var found: String.Index?
        for i in text.indices {
            let c = text[i]
            if let q = quote { if c == q { quote = nil } }
            else if c == "'" || c == "\"" { quote = c }
            else if c == target { found = i }
        }
        return found
    }

    /// `name=value` words; a value may be quoted ('it', "two words"), and keeps its quotes here.
    mutating func options(_ text: String, number: Int, directive: String) -> [(String, String)]? {
        var pairs: [(String, String)] = []
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            if chars[i] == " " || chars[i] == "\t" { i += 1; continue }
            var j = i
            while j < chars.count, chars[j] != "=", chars[j] != " " { j += 1 }
            let key = String(chars[i..<j])
            guard j < chars.count, chars[j] == "=" else {
                error(number, "\(directive): expected name=value, got '\(key)'")
                return nil
            }
            j += 1
            let start = j
            if j < chars.count, chars[j] == "'" || chars[j] == "\"" {
                let quote = chars[j]
                guard let end = chars[(j + 1)...].firstIndex(of: quote) else {
                    error(number, "\(directive): the quote after \(key)= is not closed")
                    return nil
                }
                j = end + 1
                while j < chars.count, chars[j] != " " { j += 1 }
            } else {
                while j < chars.count, chars[j] != " " { j += 1 }
            }
            pairs.append((key, String(chars[start..<j])))
            i = j
        }
        return pairs
    }

    func unquoted(_ value: String) -> String {
        if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
            return String(value.dropFirst().dropLast())
        }
        return value
    }
}
