import Foundation
import Transformer

/// What the evaluator knows about the model beyond one run's numbers: token ids, the vocabulary,
/// parameter counts (`params()`), the weights file's layout (`safetensors.…`), and the
/// next-token gather that a loss is made of (`next_token()`).
extension Evaluator {
    /// `id('cat')`, `id(token(query))`: a word's id in the vocabulary (its vocabulary string or
    /// readable form), whether or not it is in the sentence.
    func vocabularyId(_ argument: Expression) throws -> Int {
        let text: String
        if case .token(let quoted) = argument {
            text = quoted
        } else if case .text(let value) = try evaluate(argument) {
            text = value
        } else {
            throw EvaluationError("id() needs a token, as in id('cat') or id(token(query)), got \(argument)")
        }
        let tokenizer = context.loaded.tokenizer
        if let id = tokenizer.id(for: text) { return id }
        if let id = (0..<context.config.vocabSize).first(where: { tokenizer.token(for: $0).map(tokenizer.display) == text }) {
            return id
        }
        throw EvaluationError("'\(text)' is not in the vocabulary of \(context.loaded.name)",
                              learner: "('\(text)' is not a word this model knows)")
    }

    /// `next_token(probs)`: for each position but the last, the entry of a [T, V] hook for the token
    /// that really comes next in the input: `probs[i, id of token i + 1]`. A row of T − 1 numbers,
    /// labelled by the position doing the predicting.
    func nextToken(_ value: LessonValue, _ argument: Expression) throws -> LessonValue {
        guard case .array(let array) = value, array.shape.count == 2, array.roles[1] == .vocabulary,
              case .query(let source) = array.roles[0] else {
            throw EvaluationError("next_token() needs a hook with a row of the vocabulary per token, such as probs or logits; \(argument) is not one")
        }
        let ids = context.tokens(source).map(\.id)
        let (rows, columns) = (array.shape[0], array.shape[1])
        guard rows == ids.count, rows >= 2 else {
            throw EvaluationError("next_token(\(argument)) needs at least two tokens", learner: "(a sentence of one token has no next token)")
        }
        let all = array.values
        let picked = (0..<(rows - 1)).map { all[$0 * columns + ids[$0 + 1]] }
        return .array(LessonArray(name: "next_token(\(array.name))", shape: [rows - 1], roles: [array.roles[0]], values: picked))
    }

    /// `params('gpt2-small')`, `params('gpt2-small', 'attention')`: a parameter count from
    /// `explorer params`, of a preset or of the lesson's own model (by its name).
    func parameterCount(_ arguments: [Expression]) throws -> LessonValue {
        let report = try parameterReport(named: try text(of: arguments[0], in: "params()"))
        guard arguments.count == 2 else { return .integer(report.total) }
        let part = try text(of: arguments[1], in: "params()")
        guard let count = report.parts.first(where: { $0.name == part })?.count else {
            throw EvaluationError("params(): '\(part)' is not a part of \(report.config) (parts: \(report.parts.map(\.name).joined(separator: ", ")))")
        }
        return .integer(count)
    }

    /// The report of a preset of `explorer params`, or of the lesson's model (nil or its name).
    func parameterReport(named name: String?) throws -> ParameterReport {
        if name == nil || name == context.loaded.name {
            do { return try ParameterReport(config: context.config, name: context.loaded.name) } catch {
                throw EvaluationError("\(context.loaded.name)'s parameters cannot be counted: \(error)")
            }
        }
        guard let preset = ParameterPresets.all.first(where: { $0.name == name }) else {
            throw EvaluationError("'\(name!)' is neither a preset of explorer params (\(ParameterPresets.names.joined(separator: ", "))) nor this lesson's model, \(context.loaded.name)")
        }
        do { return try ParameterReport(preset: preset) } catch {
            throw EvaluationError("\(preset.name)'s parameters cannot be counted: \(error)")
        }
    }

    func text(of argument: Expression, in function: String) throws -> String {
        if case .token(let text) = argument { return text }
        if case .text(let text) = try evaluate(argument) { return text }
        throw EvaluationError("\(function) needs a quoted name, as in 'gpt2-small', got \(argument)")
    }

    /// The layout of the model's `model.safetensors`.
    func safetensorsLayout() throws -> SafeTensorsLayout {
        let path = (context.loaded.path as NSString).appendingPathComponent("model.safetensors")
        do { return try SafeTensors.layout(path: path) } catch {
            throw EvaluationError("cannot read \(context.loaded.name)'s model.safetensors: \(error)",
                                  learner: "(the model file cannot be read)")
        }
    }

    /// `safetensors.header_length` (N, the JSON header's bytes), `safetensors.data_length`,
    /// `safetensors.file_length`, `safetensors.tensors` (how many).
    func safetensorsValue(_ field: String) throws -> LessonValue {
        let fields = ["header_length", "data_length", "file_length", "tensors"]
        guard fields.contains(field) else {
            throw EvaluationError("safetensors.\(field) is not known (fields: \(fields.joined(separator: ", ")))")
        }
        let layout = try safetensorsLayout()
        switch field {
        case "header_length": return .integer(layout.headerLength)
        case "data_length": return .integer(layout.dataLength)
        case "file_length": return .integer(layout.fileLength)
        default: return .integer(layout.entries.count)
        }
    }
}
