import Foundation
import Testing
@testable import Transformer

/// A re-export removes exactly the files its earlier manifest lists, never anything else.
@Suite struct ExportSafety {
    static func exportGPT(to directory: String, text: String = "the cat sat") throws {
        let loaded = try Repository.model("tiny-gpt")
        let inspection = try Inspection(loaded, text: text)
        try Exporter.write(inspection, loaded: loaded, to: directory, display: loaded.tokenizer.display)
    }

    static func manifest(_ directory: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/manifest.json"))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    static func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    static func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Names a user might keep beside an export: hook-like, `.npy`, `.json`, hidden, odd.
    static func userNames(seed: UInt64) -> [String] {
        var random = SplitMix(seed)
        let stems = ["my_results", "logits", "notes", "blocks.0.attn.q", "tokens", ".hidden", "a b", "ü"]
        let suffixes = [".npy", ".json", ".txt", "", ".npy.bak"]
        return (0..<6).map { i in stems[random.below(stems.count)] + "\(i)" + suffixes[random.below(suffixes.count)] }
    }

    @Test func manifestListsWhatItWrote() throws {
        let directory = try TemporaryDirectory()
        let out = directory.file("export")
        try Self.exportGPT(to: out)
        let manifest = try Self.manifest(out)
        #expect(manifest["format"] as? String == "explorer-export/1")
        let files = Set(manifest["files"] as! [String])
        let present = Set(try FileManager.default.contentsOfDirectory(atPath: out)).subtracting(["manifest.json"])
        #expect(files == present)
        // Nothing is left beside the folder.
        #expect(try directory.contents() == ["export"])
        Repository.expectExportPasses(out, what: "fresh export")
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func userFilesBesideAnExportAreKept(seed: UInt64) throws {
        let directory = try TemporaryDirectory()
        let out = directory.file("export")
        try Self.exportGPT(to: out, text: "the cat sat on the mat")
        let names = Self.userNames(seed: seed).filter { !FileManager.default.fileExists(atPath: out + "/" + $0) }
        for name in names { try Self.write("mine \(name)", to: out + "/" + name) }
        try FileManager.default.createDirectory(atPath: out + "/important.npy", withIntermediateDirectories: false)
        try Self.write("deep", to: out + "/important.npy/data")
        try Self.exportGPT(to: out, text: "a dog")
        for name in names { #expect(Self.read(out + "/" + name) == "mine \(name)", "\(name)") }
        #expect(Self.read(out + "/important.npy/data") == "deep")
        let manifest = try Self.manifest(out)
        let listed = Set(manifest["files"] as! [String])
        #expect(listed.isDisjoint(with: names))
        let npys = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasSuffix(".npy") && listed.contains($0) }
        #expect(npys.count == (manifest["hooks"] as! [String: Any]).count)
    }

    @Test func aUserFileWithAHookNameIsNeverReplaced() throws {
        let directory = try TemporaryDirectory()
        let out = directory.file("export")
        try Self.exportGPT(to: out)
        // The user swaps one of our files for their own directory, then a symlink.
        try FileManager.default.removeItem(atPath: out + "/logits.npy")
        try FileManager.default.createDirectory(atPath: out + "/logits.npy", withIntermediateDirectories: false)
        #expect(throws: ModelError.self) { try Self.exportGPT(to: out) }
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: out + "/logits.npy", isDirectory: &isDirectory) && isDirectory.boolValue)
        #expect(try directory.contents() == ["export"], "no staging folder is left behind")
    }

    static let foreignManifests: [String] = [
        "{}", "{\"format\": \"explorer-export/2\", \"files\": []}", "[1,2]", "not json",
        "{\"hooks\": {}, \"files\": [\"a.npy\"]}", "{\"format\": 1}",
        "{\"format\": \"explorer-export/1\", \"files\": \"a.npy\"}",
        "{\"format\": \"explorer-export/1\", \"files\": [1]}",
    ]

    @Test(arguments: foreignManifests)
    func aForeignManifestIsRefused(_ text: String) throws {
        let directory = try TemporaryDirectory()
        try Self.write(text, to: directory.file("manifest.json"))
        try Self.write("mine", to: directory.file("a.npy"))
        #expect(throws: ModelError.self) { try Self.exportGPT(to: directory.path) }
        #expect(try directory.contents() == ["a.npy", "manifest.json"])
        #expect(Self.read(directory.file("manifest.json")) == text)
    }

    @Test func aManifestThatIsADirectoryOrSymlinkIsRefused() throws {
        let directory = try TemporaryDirectory()
        let out = directory.file("export")
        try FileManager.default.createDirectory(atPath: out + "/manifest.json", withIntermediateDirectories: true)
        #expect(throws: ModelError.self) { try Self.exportGPT(to: out) }
        let other = directory.file("other")
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        try Self.write("{\"format\": \"explorer-export/1\", \"files\": []}", to: other + "/real.json")
        try FileManager.default.createSymbolicLink(atPath: other + "/manifest.json", withDestinationPath: other + "/real.json")
        #expect(throws: ModelError.self) { try Self.exportGPT(to: other) }
        #expect(Self.read(other + "/real.json") != nil)
    }

    /// A manifest (ours in form) listing names outside the folder, directories or symlinks: none is removed.
    @Test(arguments: [11, 12, 13] as [UInt64])
    func hostileListsRemoveNothingOutside(seed: UInt64) throws {
        let directory = try TemporaryDirectory()
        let out = directory.file("export")
        try FileManager.default.createDirectory(atPath: out + "/sub", withIntermediateDirectories: true)
        try Self.write("outside", to: directory.file("x"))
        try Self.write("outside", to: directory.file("x.npy"))
        try Self.write("inner", to: out + "/sub/y.npy")
        try FileManager.default.createDirectory(atPath: out + "/dir.npy", withIntermediateDirectories: true)
        try Self.write("kept", to: out + "/dir.npy/z")
        try FileManager.default.createSymbolicLink(atPath: out + "/link.npy", withDestinationPath: directory.file("x.npy"))
        try Self.write("ours", to: out + "/old.npy")
        var random = SplitMix(seed)
        let hostile = ["../x", "../x.npy", "sub/y.npy", "dir.npy", "link.npy", ".", "..", "", "/" + directory.file("x"),
                       "./old.npy/..", "sub/../../x", "manifest.json"]
        let files = hostile.shuffled(using: &random) + ["old.npy"]
        let manifest: [String: Any] = ["format": "explorer-export/1", "files": files]
        try JSONSerialization.data(withJSONObject: manifest).write(to: URL(fileURLWithPath: out + "/manifest.json"))
        try Self.exportGPT(to: out)
        #expect(Self.read(directory.file("x")) == "outside")
        #expect(Self.read(directory.file("x.npy")) == "outside")
        #expect(Self.read(out + "/sub/y.npy") == "inner")
        #expect(Self.read(out + "/dir.npy/z") == "kept")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: out + "/link.npy")) != nil)
        #expect(!FileManager.default.fileExists(atPath: out + "/old.npy"), "a listed regular file is removed")
        Repository.expectExportPasses(out, what: "export over a hostile manifest")
    }

    /// An export stopped after its journal went in leaves a manifest covering every file of ours.
    @Test func anInterruptedExportIsReplacedCleanly() throws {
        let directory = try TemporaryDirectory()
        let out = directory.file("export")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try Self.write("half", to: out + "/blocks.0.attn.q.npy")
        try Self.write("mine", to: out + "/mine.npy")
        let journal: [String: Any] = ["format": "explorer-export/1", "files": ["blocks.0.attn.q.npy", "gone.npy"], "incomplete": true]
        try JSONSerialization.data(withJSONObject: journal).write(to: URL(fileURLWithPath: out + "/manifest.json"))
        try Self.exportGPT(to: out)
        #expect(Self.read(out + "/mine.npy") == "mine")
        #expect(Self.read(out + "/blocks.0.attn.q.npy") != "half")
        #expect(try Self.manifest(out)["incomplete"] == nil)
        Repository.expectExportPasses(out, what: "export over an interrupted one")
    }
}

/// A small seeded generator, so generated cases are the same on every run.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}
