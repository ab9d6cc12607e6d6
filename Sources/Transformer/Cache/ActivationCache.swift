import Foundation
import Tensor

/// The intermediate tensors of one forward pass, by the hook names of DESIGN.md
/// (`blocks.0.attn.pattern [H,T,T]`, `logits [T,V]`, …), in the order they were computed.
public struct ActivationCache: Sendable {
    /// Hook names in the order the forward pass recorded them.
    public private(set) var names: [String] = []
    private var entries: [String: Entry] = [:]

    /// A recorded tensor, or one formed from recorded tensors when first read.
    private enum Entry: Sendable {
        case stored(Tensor)
        case derived(DerivedTensor)

        var shape: [Int] {
            switch self {
            case .stored(let tensor): tensor.shape
            case .derived(let derived): derived.shape
            }
        }
    }

    public init() {}

    /// The tensor recorded under `name`, if any (a derived one is formed on the first read).
    public subscript(name: String) -> Tensor? {
        switch entries[name] {
        case .stored(let tensor): tensor
        case .derived(let derived): derived.tensor
        case nil: nil
        }
    }

    /// Records (or replaces) a tensor.
    public mutating func store(_ name: String, _ tensor: Tensor) {
        store(name, entry: .stored(tensor))
    }

    /// Records (or replaces) a tensor formed when first read.
    mutating func store(_ name: String, derived: DerivedTensor) {
        store(name, entry: .derived(derived))
    }

    private mutating func store(_ name: String, entry: Entry) {
        if entries.updateValue(entry, forKey: name) == nil { names.append(name) }
    }

    /// Every recorded name with its shape, in recording order (nothing derived is formed for this).
    public var shapes: [(name: String, shape: [Int])] { names.map { ($0, entries[$0]!.shape) } }

    public var isEmpty: Bool { names.isEmpty }
    public var count: Int { names.count }
}

/// A tensor computed from others on its first read and kept from then on (the cache is shared
/// between threads, so the first read is serialised by a lock).
final class DerivedTensor: @unchecked Sendable {
    let shape: [Int]
    private let make: @Sendable () -> Tensor
    private var value: Tensor?
    private let lock = NSLock()

    init(shape: [Int], make: @escaping @Sendable () -> Tensor) {
        self.shape = shape
        self.make = make
    }

    var tensor: Tensor {
        lock.lock()
        defer { lock.unlock() }
        if let value { return value }
        let formed = make()
        precondition(formed.shape == shape, "derived tensor of shape \(formed.shape), declared \(shape)")
        value = formed
        return formed
    }
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

    /// Records, when selected, a tensor of `shape` that the cache forms with `make` when it is first
    /// read (for hooks that repeat what others hold, such as `attn.weighted`, pattern times v).
    public mutating func recordDerived(_ name: @autoclosure () -> String, shape: [Int],
                                       _ make: @escaping @Sendable () -> Tensor) {
        guard !isOff else { return }
        let full = prefix + name()
        if filter.matches(full) { cache.store(full, derived: DerivedTensor(shape: shape, make: make)) }
    }

    /// Records an already-computed tensor when selected.
    public mutating func record(_ name: @autoclosure () -> String, _ tensor: Tensor) {
        record(name(), { tensor })
    }
}
