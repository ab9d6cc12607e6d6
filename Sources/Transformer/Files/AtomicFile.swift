#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file all at once or not at all: the bytes go to a temporary file in the same directory,
/// which is flushed to disk and then renamed over `path`. Readers (including memory mappings of the
/// old file) never see a half-written file, and a failed write leaves any old file untouched.
enum AtomicFile {
    /// Calls `body` with a sink for the new contents, then renames them into place.
    static func write(path: String, _ body: (AtomicFileSink) throws -> Void) throws {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        var template = Array("\(directory).\(base).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw ModelError.badFile(path: path, reason: "cannot create a temporary file beside it: \(systemMessage(errno))")
        }
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let sink = AtomicFileSink(fd: fd, path: path)
        do {
            _ = fchmod(fd, 0o644)                      // mkstemp makes 0600; weight files are shareable
            try body(sink)
            guard fsync(fd) == 0 else { throw sink.failure("cannot flush to disk") }
            guard close(fd) == 0 else {
                sink.closed = true
                throw sink.failure("cannot close")
            }
            sink.closed = true
            guard rename(temporary, path) == 0 else { throw sink.failure("cannot rename the temporary file into place") }
        } catch {
            if !sink.closed { close(fd) }
            unlink(temporary)
            throw error
        }
    }
}

/// Where `AtomicFile.write` sends the bytes of the new file.
final class AtomicFileSink {
    fileprivate let fd: Int32
    fileprivate let path: String
    fileprivate var closed = false

    fileprivate init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    /// Appends `bytes`, retrying short writes and interruptions.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard var next = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let written = posixWrite(fd, next, remaining)
            if written < 0 {
                if errno == EINTR { continue }
                throw failure("cannot write")
            }
            next += written
            remaining -= written
        }
    }

    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    fileprivate func failure(_ what: String) -> ModelError {
        .badFile(path: path, reason: "\(what): \(systemMessage(errno))")
    }
}

/// `write(2)`, named apart from the sink's own `write` methods.
private func posixWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, bytes, count)
    #else
    Darwin.write(fd, bytes, count)
    #endif
}
