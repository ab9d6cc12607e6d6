import Tensor

/// A safetensors file, mapped and validated, whose tensors are made one at a time on request.
///
/// What `SafeTensors.load` does for every tensor at once, `tensor(_:)` does for one: an F32 tensor
/// views the mapping (zero copy); an F16, BF16 or F64 one is converted to `Float` then, and the pages
/// it was read from are given back at once. A loader that copies tensors into another layout asks
/// for them one by one and releases each after copying, so that it never holds the whole file
/// twice (a BF16 checkpoint converted up front would be twice its size in memory before any copy).
public struct SafeTensorsFile: Sendable {
    /// The file, as given to `SafeTensors.open(path:)`.
    public let path: String
    /// Every header entry, in data order.
    public let entries: [SafeTensorsEntry]
    /// The header's `"__metadata__"`.
    public let metadata: [String: String]
    let mapping: MappedFile
    /// Where the data region starts in the file (8 + the header's length).
    let dataStart: Int
    let byName: [String: Int]
    /// Counts the tensors made, for a load's progress (`SafeTensors.open(path:progress:)`).
    var meter: LoadMeter?

    /// The entry called `name`, nil when the file has none.
    public func entry(_ name: String) -> SafeTensorsEntry? { byName[name].map { entries[$0] } }

    /// Why the tensor `name` is not loaded as floats (an integer buffer, quantised floats, …); nil
    /// for a float tensor or a missing one.
    public func skipReason(_ name: String) -> String? { entry(name)?.dtype.skipReason }

    /// The float tensor `name`, with the shape the header gives; nil when absent or not a float type.
    public func tensor(_ name: String) -> Tensor? {
        guard let entry = entry(name), entry.dtype.isLoadedAsFloat, let base = mapping.bytes.baseAddress else {
            return nil
        }
        let bytes = base + dataStart + entry.dataOffsets.lowerBound
        let tensor = SafeTensors.floatTensor(entry, at: bytes, owner: mapping)
        if entry.dtype != .f32 {
            // Converted: the file's bytes are not read again.
            mapping.release(UnsafeRawBufferPointer(start: bytes, count: entry.dataOffsets.count))
        }
        meter?.read(name, bytes: entry.dataOffsets.count)
        return tensor
    }

    /// Says that loading is over: the progress, if any, ends at the total (tensors never asked for included).
    public func finishProgress() { meter?.finish() }

    /// Gives back the memory of `tensor`'s pages when it views this file (a tensor that was copied
    /// into another layout and is no longer read here): they leave the process's resident set and are
    /// read from the file again if touched. Does nothing for a tensor that does not view the file.
    public func releasePages(of tensor: Tensor) {
        tensor.withUnsafeBufferPointer { mapping.release(UnsafeRawBufferPointer($0)) }
    }
}

extension SafeTensors {
    /// Memory-maps and validates the safetensors file at `path`; no tensor is made yet. Every problem
    /// with the file is a thrown `ModelError` naming it (and the tensor, where there is one). `progress`
    /// hears of each tensor as `tensor(_:)` makes it, when the file's tensors reach its threshold;
    /// `finishProgress()` ends the count.
    public static func open(path: String, progress: LoadProgressReporter? = nil) throws -> SafeTensorsFile {
        let file = try MappedFile(path: path)
        let header = try SafeTensorsHeader.parse(file.bytes, path: path)
        guard file.bytes.baseAddress != nil else { throw ModelError.badFile(path: path, reason: "file is empty") }
        var byName: [String: Int] = [:]
        for (index, entry) in header.entries.enumerated() { byName[entry.name] = index }
        let meter = progress.map { LoadMeter($0, total: header.entries.reduce(0) { $0 + $1.dataOffsets.count }) }
        return SafeTensorsFile(path: path, entries: header.entries, metadata: header.metadata, mapping: file,
                               dataStart: header.dataStart, byName: byName, meter: meter)
    }
}
