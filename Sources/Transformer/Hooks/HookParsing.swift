/// Understanding a name someone typed (a lesson, `--hooks`, a saved state): which site or hook of a
/// model it is. The only place outside the forward pass that reads the structure of a name.
extension Site {
    /// The site of `config` named `name` (`blocks.0.attn`, `decoder.blocks.1.cross_attn`, `blocks.2`,
    /// `ln_final`), or nil when the model has none by that name.
    public init?(parsing name: String, in config: ModelConfig) {
        guard let site = Self.candidates(for: name, in: config).lazy.map(\.site).first(where: { $0.name == name }) else { return nil }
        self = site
    }

    /// The hooks of the part of `config` a name can be in (one block, or a stack's start and end),
    /// judged by how the name starts.
    static func candidates(for name: String, in config: ModelConfig) -> [Hook] {
        var rest = Substring(name)
        var stack = Site.Stack.none
        for candidate in [Site.Stack.encoder, .decoder] where config.stacks.contains(candidate) && rest.hasPrefix(candidate.prefix) {
            stack = candidate
            rest = rest.dropFirst(candidate.prefix.count)
        }
        guard config.stacks.contains(stack) else { return [] }
        if rest.hasPrefix("blocks.") {
            let digits = rest.dropFirst("blocks.".count).prefix { $0.isASCII && $0.isNumber }
            guard let layer = Int(digits), layer < config.layers(in: stack) else { return [] }
            return config.blockHooks(stack, layer: layer)
        }
        return config.startHooks(stack) + config.endHooks(stack)
    }
}

extension Hook {
    /// The hook of `config` named `name` (`blocks.0.attn.pattern`, `decoder.logits`), or nil when a
    /// forward pass of that model records nothing by that name.
    public init?(parsing name: String, in config: ModelConfig) {
        guard let hook = Site.candidates(for: name, in: config).first(where: { $0.name == name }) else { return nil }
        self = hook
    }
}
