import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads files the program is given (configs, tokenizers, lessons) only when they are regular
/// files: a FIFO, device or socket would block or never end, and a directory is not a file. The kind is
/// checked before the file is opened, and it is opened without blocking, so nothing here waits on
/// another process.
public enum RegularFile {
    /// Why a path could not be read, as a phrase to put after the path.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case missing
        case notRegular(String)
        case tooLarge(Int, limit: Int)
        case unreadable(String)

        public var description: String {
            switch self {
            case .missing: return "no such file"
            case .notRegular(let kind): return "is \(kind), not a regular file"
            case .tooLarge(let size, let limit): return "is \(size) bytes, more than the \(limit)-byte limit"
            case .unreadable(let reason): return "cannot read: \(reason)"
            }
        }
    }

    /// The default limit: far above any config, tokenizer or lesson file.
    public static let defaultLimit = 1 << 30

    /// What kind of thing is at `path` (following symbolic links), as a phrase; nil for a regular
    /// file. Throws `.missing` when there is nothing there.
    public static func kind(_ path: String) throws(Problem) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { throw .missing }
            throw .unreadable(String(cString: strerror(code)))
        }
        return describe(info.st_mode)
    }

    static func describe(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFSOCK: return "a socket"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        default: return "not a file"
        }
    }

    /// The bytes of the regular file at `path`, at most `limit` of them.
    public static func read(_ path: String, limit: Int = defaultLimit) throws(Problem) -> Data {
        if let kind = try kind(path) { throw .notRegular(kind) }
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT { throw .missing }
            throw .unreadable(String(cString: strerror(code)))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadable(String(cString: strerror(errno))) }
        if let kind = describe(info.st_mode) { throw .notRegular(kind) }
        let size = Int(info.st_size)
        guard size <= limit else { throw .tooLarge(size, limit: limit) }
        var data = Data(count: size)
        var done = 0
        while done < size {
            let got = data.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress! + done, size - done) }
            if got < 0 {
                if errno == EINTR { continue }
                throw .unreadable(String(cString: strerror(errno)))
            }
            if got == 0 { break }
            done += got
        }
        if done < size { data.removeSubrange(done...) }
        return data
    }
}

/// `read(2)`, named apart from `RegularFile.read`.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}
