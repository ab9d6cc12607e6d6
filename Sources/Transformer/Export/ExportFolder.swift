import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The folder an export goes to, and the rules that keep a re-export from touching anything it did
/// not write.
///
/// An export's `manifest.json` carries `"format": "explorer-export/1"` and `"files"`, the plain names
/// of the files it wrote. A re-export removes exactly those of them that are still regular files in
/// the folder (a name with a slash, `.` or `..`, a directory or a symbolic link is never removed),
/// and nothing else. A folder that is not empty and has no such manifest is refused.
///
/// The new files are written into a temporary folder beside the export folder first. Before any of
/// them moves in, the manifest is replaced by a journal that lists the old files and the new ones
/// together, so an export stopped half way leaves a manifest that covers every file of ours in the
/// folder; the real manifest is moved in last.
struct ExportFolder {
    /// The marker an export's manifest carries; a `manifest.json` without it is not ours.
    static let format = "explorer-export/1"
    static let manifestName = "manifest.json"
    /// A manifest larger than this is not one we wrote (ours lists a few hundred names).
    static let manifestLimit = 64 << 20

    let directory: String
    /// Files an earlier export wrote that are still regular files here: removed by `commit`.
    private(set) var earlierFiles: Set<String> = []
    /// Whether `directory` holds our manifest (else it was created or found empty).
    private(set) var hasManifest = false
    /// Where the new files are written before they move in.
    let staging: String

    /// Checks `directory` (creating it if absent) and makes the staging folder beside it.
    init(_ path: String) throws {
        var path = path
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        directory = path
        var info = stat()
        if lstat(path, &info) != 0 {
            guard errno == ENOENT else {
                throw ModelError.badInput("export path \(path): \(String(cString: strerror(errno)))")
            }
            do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
                throw ModelError.badInput("cannot create export directory \(path): \(error.localizedDescription)")
            }
        } else {
            // A symbolic link to a directory is followed: the user named it as the export folder.
            guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
                throw ModelError.badInput("export path \(path) is not a directory")
            }
        }
        let entries: [String]
        do { entries = try FileManager.default.contentsOfDirectory(atPath: path) } catch {
            throw ModelError.badInput("cannot list export directory \(path): \(error.localizedDescription)")
        }
        if !entries.isEmpty {
            guard entries.contains(Self.manifestName) else {
                throw ModelError.badInput("export directory \(path) is not empty and holds no earlier export (no manifest.json): refusing to write there")
            }
            let manifest = (path as NSString).appendingPathComponent(Self.manifestName)
            let listed = try Self.listedFiles(manifest: manifest)
            hasManifest = true
            earlierFiles = Set(listed.filter { Self.isRemovable($0, in: path) })
        }
        let parent = (path as NSString).deletingLastPathComponent
        let base = (path as NSString).lastPathComponent
        var template = Array(((parent.isEmpty ? "." : parent) + "/.\(base).export-XXXXXX").utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw ModelError.badInput("cannot create a temporary folder beside \(path): \(String(cString: strerror(errno)))")
        }
        staging = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The `files` an earlier export's manifest lists; throws when the manifest is not ours.
    static func listedFiles(manifest path: String) throws -> [String] {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw ModelError.badInput("\(path): not a regular file, so not an earlier export: refusing to write there")
        }
        guard info.st_size <= Self.manifestLimit, let data = FileManager.default.contents(atPath: path),
              let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              object["format"] as? String == Self.format
        else {
            throw ModelError.badInput("\(path): field \"format\" is not \"\(Self.format)\", so the folder holds no earlier export of ours: refusing to write there")
        }
        guard let files = object["files"] as? [Any], files.allSatisfy({ $0 is String }) else {
            throw ModelError.badInput("\(path): field \"files\" is not a list of file names: refusing to write there")
        }
        return files as! [String]
    }

    /// Whether `name` is a plain file name we may remove from `directory`: no slash, not `.` or `..`,
    /// and a regular file there (not a directory, not a symbolic link).
    static func isRemovable(_ name: String, in directory: String) -> Bool {
        guard isPlainName(name), name != manifestName else { return false }
        var info = stat()
        guard lstat((directory as NSString).appendingPathComponent(name), &info) == 0 else { return false }
        return (info.st_mode & S_IFMT) == S_IFREG
    }

    /// A name that stays inside the folder it is joined to.
    static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.contains("/") && !name.utf8.contains(0)
    }

    /// The path in the staging folder of a new file called `name`.
    func staged(_ name: String) -> String { (staging as NSString).appendingPathComponent(name) }

    /// Moves the staged files (`names`, then the staged manifest) into the folder, removing the earlier
    /// export's files. Refuses, before changing anything, when a new name is taken by something the
    /// earlier export did not write.
    func commit(_ names: [String]) throws {
        for name in names + [Self.manifestName] {
            guard Self.isPlainName(name) else { throw ModelError.badInput("export: bad file name \(name)") }
            let target = (directory as NSString).appendingPathComponent(name)
            var info = stat()
            if name != Self.manifestName, lstat(target, &info) == 0, !earlierFiles.contains(name) {
                throw ModelError.badInput("export directory \(directory) already has \(name), which the earlier export did not write: refusing to replace it")
            }
        }
        // The journal: every file of ours that may be in the folder until the real manifest is in.
        let journal: [String: Any] = [
            "format": Self.format, "files": Array(earlierFiles.union(names)).sorted(), "incomplete": true,
        ]
        let journalPath = staged(".journal.json")
        try JSONSerialization.data(withJSONObject: journal, options: [.sortedKeys])
            .write(to: URL(fileURLWithPath: journalPath))
        try move(journalPath, to: Self.manifestName)
        let new = Set(names)
        for name in earlierFiles.subtracting(new).sorted() where Self.isRemovable(name, in: directory) {
            unlink((directory as NSString).appendingPathComponent(name))
        }
        for name in names { try move(staged(name), to: name) }
        try move(staged(Self.manifestName), to: Self.manifestName)
        rmdir(staging)
    }

    private func move(_ source: String, to name: String) throws {
        let target = (directory as NSString).appendingPathComponent(name)
        guard rename(source, target) == 0 else {
            throw ModelError.badInput("cannot move \(name) into \(directory): \(String(cString: strerror(errno)))")
        }
    }

    /// Removes the staging folder and what is in it (after a failure; the export folder is untouched
    /// until `commit`).
    func discard() {
        try? FileManager.default.removeItem(atPath: staging)
    }
}
