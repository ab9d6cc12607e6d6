import Foundation
import Testing
@testable import Transformer

/// Where the bundled models and lessons are found: beside the binary as the student archive lays
/// them out, and never, for a copy moved out of the repository, in the repository it was built from.
@Suite struct ResourceLocation {
    /// A fake build repository (Package.swift, Models/) and a folder elsewhere.
    static func layout() throws -> (directory: TemporaryDirectory, repo: String, elsewhere: String) {
        let directory = try TemporaryDirectory()
        let repo = directory.file("repo"), elsewhere = directory.file("elsewhere")
        for dir in [repo + "/Models", repo + "/Lessons", repo + "/.build/release", elsewhere + "/bin",
                    elsewhere + "/kit/bin", elsewhere + "/kit/share/explorer/Models"] {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        FileManager.default.createFile(atPath: repo + "/Package.swift", contents: Data())
        return (directory, repo, elsewhere)
    }

    @Test func archiveLayoutIsFoundBesideTheBinary() throws {
        let (directory, repo, elsewhere) = try Self.layout()
        let locator = ResourceLocator(environment: [:], executable: elsewhere + "/kit/bin/explorer", buildRoot: repo)
        #expect(locator.root == elsewhere + "/kit/share/explorer" && locator.foundBy == "next to the executable")
        _ = directory
    }

    @Test func aLoneCopyNeverFallsBackToTheBuildRepository() throws {
        let (directory, repo, elsewhere) = try Self.layout()
        let locator = ResourceLocator(environment: [:], executable: elsewhere + "/bin/explorer", buildRoot: repo)
        #expect(locator.root == nil && locator.foundBy == "not found")
        _ = directory
    }

    @Test func swiftRunInTheRepositoryFindsIt() throws {
        let (directory, repo, _) = try Self.layout()
        let locator = ResourceLocator(environment: [:], executable: repo + "/.build/release/explorer", buildRoot: repo)
        #expect(locator.root == repo)
        #expect(ResourceLocator.runsFromBuild(repo + "/.build/debug/explorer", buildRoot: repo))
        #expect(!ResourceLocator.runsFromBuild(repo + "/elsewhere/explorer", buildRoot: repo))
        let home = ResourceLocator(environment: ["EXPLORER_HOME": repo], executable: "/nowhere/explorer", buildRoot: "/nowhere")
        #expect(home.root == repo && home.foundBy == "EXPLORER_HOME")
        _ = directory
    }
}
