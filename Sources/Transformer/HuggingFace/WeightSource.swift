import Tensor

/// The tensors of a Hugging Face `model.safetensors`, looked up by the names the reference
/// implementation gives them.
///
/// Files differ in one respect that does not matter: a model saved from a class with a head
/// (`GPT2LMHeadModel`, `BertForMaskedLM`, `LlamaForCausalLM`) prefixes the base model's tensors with
/// `transformer.`, `bert.` or `model.`, one saved from the base class does not. The prefix is found
/// once, from a tensor every file of the architecture has, and every error names the tensor as the
/// file would have called it.
///
/// Tensors are made when asked for (see `SafeTensorsFile`), so a mapping that copies one into another
/// layout and then calls `release` never holds the file twice.
struct WeightSource {
    let file: SafeTensorsFile
    /// The file, for error messages.
    let path: String
    /// The prefix this file puts before the base model's tensors (`""` when none).
    let prefix: String

    /// Finds which of `prefixes` (e.g. `["", "transformer."]`) the file uses by looking for `anchor`
    /// (a tensor every model of the architecture has, such as `wte.weight`).
    init(_ file: SafeTensorsFile, prefixes: [String], anchor: String) throws {
        self.file = file
        path = file.path
        if let found = prefixes.first(where: { file.entry($0 + anchor) != nil }) {
            prefix = found
        } else {
            throw ModelError.missingTensor(name: prefixes.map { $0 + anchor }.joined(separator: " or "), file: file.path)
        }
    }

    /// Whether the file has a tensor called exactly `name`.
    func has(_ name: String) -> Bool { file.entry(name) != nil }

    /// The base model's tensor `name` (the prefix is added), checked against `shape`.
    func base(_ name: String, shape: [Int]) throws -> Tensor {
        try exact(prefix + name, shape: shape)
    }

    /// The tensor called exactly `name` (no prefix: e.g. `lm_head.weight`), checked against `shape`.
    func exact(_ name: String, shape: [Int]) throws -> Tensor {
        guard let entry = file.entry(name) else { throw ModelError.missingTensor(name: name, file: path) }
        guard entry.shape == shape else {
            throw ModelError.wrongShape(name: name, expected: shape, got: entry.shape, file: path)
        }
        guard let tensor = file.tensor(name) else {
            throw ModelError.badFile(path: path, reason: "tensor \(name) is not a weight: \(entry.dtype.skipReason ?? entry.dtype.rawValue)")
        }
        return tensor
    }

    /// Says that `tensor` was copied into another layout and will not be read from the file again:
    /// its pages leave the resident set, so that loading keeps about one copy of each weight.
    func release(_ tensor: Tensor) {
        file.releasePages(of: tensor)
    }

    /// The first of `names` the file has (e.g. a LayerNorm's `weight`, or `gamma` in old BERT files),
    /// checked against `shape`; a missing-tensor error names the first.
    func base(oneOf names: [String], shape: [Int]) throws -> Tensor {
        let found = names.first { has(prefix + $0) } ?? names[0]
        return try base(found, shape: shape)
    }
}

/// Builds a `Parameters` under DESIGN.md's names from a mapping's tensors.
struct ParameterBuilder {
    private(set) var parameters: Parameters

    init(source: String) { parameters = Parameters(source: source) }

    subscript(name: String) -> Tensor? {
        get { parameters[name] }
        set { parameters[name] = newValue }
    }

    /// A norm: `<name>.w` and, when given, `<name>.b`.
    mutating func norm(_ name: String, weight: Tensor, bias: Tensor?) {
        parameters["\(name).w"] = weight
        if let bias { parameters["\(name).b"] = bias }
    }
}
