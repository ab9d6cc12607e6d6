#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Tokenizers

/// A whole file mapped read-only into memory (`mmap`, `PROT_READ`, `MAP_PRIVATE`).
///
/// The mapping lives exactly as long as this object: tensors that view the file keep it alive as
/// their `owner`, and `deinit` unmaps it. An empty file has no mapping and `bytes` is empty.
///
/// If another process truncates the file while it is mapped, reading the lost pages raises SIGBUS;
/// nothing in-process can guard against that, so write weight files atomically (see `AtomicFile`).
public final class MappedFile: @unchecked Sendable {
    /// The path as given, for error messages.
    public let path: String
    /// The file's bytes (read-only).
    public let bytes: UnsafeRawBufferPointer
    private let mapping: UnsafeMutableRawPointer?

    /// Maps the file at `path`; throws `ModelError.missingFile` if there is none and
    /// `ModelError.badFile` if it cannot be opened or mapped.
    public init(path: String) throws {
        self.path = path
        // The kind first: opening a FIFO for reading would wait for a writer.
        if case let kind?? = try? RegularFile.kind(path) {
            throw ModelError.badFile(path: path, reason: "is \(kind), not a regular file")
        }
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT { throw ModelError.missingFile(path) }
            throw ModelError.badFile(path: path, reason: "cannot open: \(systemMessage(code))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw ModelError.badFile(path: path, reason: "cannot read file status: \(systemMessage(errno))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw ModelError.badFile(path: path, reason: "not a regular file")
        }
        guard let size = Int(exactly: info.st_size), size >= 0 else {
            throw ModelError.badFile(path: path, reason: "file size \(info.st_size) is not addressable")
        }
        if size == 0 {
            mapping = nil
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let address, address != MAP_FAILED else {
            throw ModelError.badFile(path: path, reason: "cannot map \(size) bytes into memory: \(systemMessage(errno))")
        }
        mapping = address
        bytes = UnsafeRawBufferPointer(start: address, count: size)
    }

    /// Drops the whole pages inside `range` from the process's memory (`madvise(MADV_DONTNEED)`); the
    /// mapping is private and never written, so a later read maps the file's bytes again. Ranges
    /// outside the mapping are ignored: this never touches memory the file does not back.
    public func release(_ range: UnsafeRawBufferPointer) {
        guard let mapping, let start = range.baseAddress, !range.isEmpty else { return }
        let (lower, upper) = (Int(bitPattern: mapping), Int(bitPattern: mapping) + bytes.count)
        let (first, last) = (Int(bitPattern: start), Int(bitPattern: start) + range.count)
        guard first >= lower && last <= upper else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let alignedStart = (first + page - 1) / page * page
        let alignedEnd = last / page * page
        guard alignedEnd > alignedStart, let address = UnsafeMutableRawPointer(bitPattern: alignedStart) else { return }
        _ = madvise(address, alignedEnd - alignedStart, Int32(MADV_DONTNEED))
    }

    deinit {
        if let mapping { munmap(mapping, bytes.count) }
    }
}

/// The C library's text for an `errno` value.
func systemMessage(_ code: Int32) -> String {
    String(cString: strerror(code))
}
