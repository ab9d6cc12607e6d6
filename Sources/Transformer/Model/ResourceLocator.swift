import Foundation

/// Finds the program's data: the bundled `Models/` and `Lessons/`, and the user's models directory.
///
/// Order: `$EXPLORER_HOME` (a folder holding `Models/` and `Lessons/`); the folders above the running
/// executable (a `swift run` or `.build/release/explorer` inside the repository, or `PREFIX/share/explorer`
/// beside `PREFIX/bin/explorer`, as the student archive lays it out); last, the repository this binary
/// was built from, but only while the executable still runs from that repository's `.build` (the
/// `swift run` and `swift test` layout, e.g. through a symbolic link the walk up did not follow). A
/// copy moved anywhere else never falls back to it: a broken layout shows as "not found" on the build
/// machine too, instead of passing there and failing on the students'.
public struct ResourceLocator: Sendable {
    /// The folder holding `Models/` and `Lessons/`, nil when none was found.
    public let root: String?
    /// How `root` was found, for `explorer --version`.
    public let foundBy: String
    /// The user's models: `$XDG_DATA_HOME/explorer/models`, by default `~/.local/share/explorer/models`.
    public let userModels: String

    public init(environment: [String: String] = ProcessInfo.processInfo.environment,
                executable: String? = Bundle.main.executablePath, buildRoot: String = ResourceLocator.buildRoot) {
        let files = FileManager.default
        func holdsData(_ dir: String) -> Bool {
            files.fileExists(atPath: (dir as NSString).appendingPathComponent("Models"))
                || files.fileExists(atPath: (dir as NSString).appendingPathComponent("Lessons"))
        }
        var found: (String, String)?
        if let home = environment["EXPLORER_HOME"], !home.isEmpty {
            found = (home, "EXPLORER_HOME")
        } else if let executable {
            var dir = ((executable as NSString).resolvingSymlinksInPath as NSString).deletingLastPathComponent
            for _ in 0..<6 where found == nil {
                let share = (dir as NSString).appendingPathComponent("share/explorer")
                if holdsData(share) { found = (share, "next to the executable") }
                else if holdsData(dir) && files.fileExists(atPath: (dir as NSString).appendingPathComponent("Package.swift")) {
                    found = (dir, "the repository around the executable")
                }
                let parent = (dir as NSString).deletingLastPathComponent
                if parent == dir { break }
                dir = parent
            }
        }
        if found == nil, let executable, Self.runsFromBuild(executable, buildRoot: buildRoot), holdsData(buildRoot) {
            found = (buildRoot, "the repository it was built from")
        }
        root = found?.0
        foundBy = found?.1 ?? "not found"
        let dataHome = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) as NSString).appendingPathComponent(".local/share")
        userModels = (dataHome as NSString).appendingPathComponent("explorer/models")
    }

    /// `root/Models`, where the bundled models live.
    public var bundledModels: String? { root.map { ($0 as NSString).appendingPathComponent("Models") } }
    /// `root/Lessons`.
    public var lessons: String? { root.map { ($0 as NSString).appendingPathComponent("Lessons") } }

    /// Whether `executable` lies inside `buildRoot/.build/` (as `swift run` and `swift test` run it).
    static func runsFromBuild(_ executable: String, buildRoot: String) -> Bool {
        let build = (buildRoot as NSString).appendingPathComponent(".build") + "/"
        return executable.hasPrefix(build) || (executable as NSString).resolvingSymlinksInPath.hasPrefix(build)
    }

    /// The repository root at build time (this file is `Sources/Transformer/Model/ResourceLocator.swift`).
    public static let buildRoot: String = {
        var path = "\(#filePath)" as NSString
        for _ in 0..<4 { path = path.deletingLastPathComponent as NSString }
        return path as String
    }()
}
