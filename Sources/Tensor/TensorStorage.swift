import CKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The memory behind a `Tensor`: either a buffer this process allocated, or a read-only
/// window onto memory owned by someone else (a memory-mapped weights file), kept alive by `owner`.
///
/// A reference type so that tensors can share storage; `Tensor` gives value semantics on top
/// by copying before the first write to shared or read-only storage.
final class TensorStorage: @unchecked Sendable {
    let base: UnsafeMutablePointer<Float>
    let count: Int
    /// False for views of memory this storage does not own (mapped files): never written, never freed.
    let ownsMemory: Bool
    /// Keeps the memory of a view alive (e.g. the mapping of a weights file).
    let owner: AnyObject?

    /// Allocates `count` floats, 64-byte aligned, zeroed (or left as they are, for a caller that
    /// writes every element before anything reads it).
    init(zeroed count: Int, clear: Bool = true) {
        _ = Self.keepFreedMemory
        let bytes = max(count, 1) * MemoryLayout<Float>.stride
        var raw: UnsafeMutableRawPointer?
        guard posix_memalign(&raw, 64, bytes) == 0, let raw else {
            fatalError("out of memory allocating \(bytes) bytes for a tensor")
        }
        if clear { memset(raw, 0, bytes) }
        base = raw.bindMemory(to: Float.self, capacity: max(count, 1))
        self.count = count
        ownsMemory = true
        owner = nil
    }

    /// A forward pass allocates and frees the same sizes again and again. By default glibc hands
    /// large blocks back to the kernel when they are freed, and the next pass then pays a page
    /// fault (and the kernel's zeroing) for every 4 KiB it touches. Asking it to keep blocks up to
    /// 32 MiB in the heap, and to return free memory only beyond 256 MiB, lets them be reused.
    private static let keepFreedMemory: Void = {
        ck_keep_freed_memory()
    }()

    /// A read-only view of `count` floats at `pointer`, alive as long as `owner` is.
    init(viewing pointer: UnsafePointer<Float>, count: Int, owner: AnyObject) {
        base = UnsafeMutablePointer(mutating: pointer)
        self.count = count
        ownsMemory = false
        self.owner = owner
    }

    deinit {
        if ownsMemory { free(base) }
    }
}
