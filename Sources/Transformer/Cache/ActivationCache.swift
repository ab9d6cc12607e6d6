import Tensor

/// The intermediate tensors of one forward pass, by the hook names of DESIGN.md
/// (`blocks.0.attn.pattern [H,T,T]`, `logits [T,V]`, …), in the order they were computed.
public struct ActivationCache: Sendable {
    /// Hook names in the order the forward pass recorded them.
    public private(set) var names: [String] = []
    private var tensors: [String: Tensor] = [:]

    public init() {}

    /// The tensor recorded under `name`, if any.
    public subscript(name: String) -> Tensor? { tensors[name] }

    /// Records (or replaces) a tensor.
    public mutating func store(_ name: String, _ tensor: Tensor) {
        if tensors.updateValue(tensor, forKey: name) == nil { names.append(name) }
    }

    /// Every recorded name with its shape, in recording order.
    public var shapes: [(name: String, shape: [Int])] { names.map { ($0, tensors[$0]!.shape) } }

    public var isEmpty: Bool { names.isEmpty }
    public var count: Int { names.count }
}

/// What a forward pass carries to record into the cache: the filter, a name prefix
/// (`encoder.` / `decoder.`), and the cache itself.
public struct Recorder: Sendable {
    public let filter: HookFilter
    public var cache = ActivationCache()
    /// Prepended to every hook name (an encoder–decoder's stacks).
    var prefix = ""
    /// Names the filter skipped that a caller may want to report (e.g. `attn.weighted` left out for length).
    public var omitted: [String] = []
    /// The longest input for which `attn.weighted` ([H,T,T,dh]) is recorded; nil for no limit.
    public var weightedLimit: Int?

    public init(filter: HookFilter, weightedLimit: Int? = nil) {
        self.filter = filter
        self.weightedLimit = weightedLimit
    }

    /// Whether nothing is recorded at all (the fast path).
    @inlinable public var isOff: Bool { filter.isEmpty }

    /// Whether `name` (without the prefix) would be recorded.
    public func wants(_ name: @autoclosure () -> String) -> Bool {
        !isOff && filter.matches(prefix + name())
    }

    /// Records the tensor `make()` under `prefix + name` when the filter selects it; `make` runs only then.
    public mutating func record(_ name: @autoclosure () -> String, _ make: () -> Tensor) {
        guard !isOff else { return }
        let full = prefix + name()
        if filter.matches(full) { cache.store(full, make()) }
    }

    /// Records an already-computed tensor when selected.
    public mutating func record(_ name: @autoclosure () -> String, _ tensor: Tensor) {
        record(name(), { tensor })
    }
}
