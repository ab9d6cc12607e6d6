import Foundation
import Testing
@testable import Transformer

/// Loading reports its progress tensor by tensor once a file's tensors reach the reporter's
/// threshold (lowered here, so that the small fixtures count as large files).
@Suite struct LoadProgressTests {
    /// What a reporter heard, in order.
    final class Heard: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [LoadProgress] = []
        var reports: [LoadProgress] { lock.withLock { list } }
        func reporter(threshold: Int) -> LoadProgressReporter {
            LoadProgressReporter(threshold: threshold) { progress in self.lock.withLock { self.list.append(progress) } }
        }
    }

    /// Starts at 0, never goes back, ends at `total`, with a report per tensor or so.
    static func expectProgress(_ reports: [LoadProgress], total: Int, atLeast steps: Int,
                               sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(reports.first == LoadProgress(done: 0, total: total), sourceLocation: sourceLocation)
        #expect(reports.last == LoadProgress(done: total, total: total), sourceLocation: sourceLocation)
        #expect(reports.allSatisfy { $0.total == total }, sourceLocation: sourceLocation)
        for (before, after) in zip(reports, reports.dropFirst()) {
            #expect(after.done > before.done, "\(before.done) then \(after.done)", sourceLocation: sourceLocation)
        }
        #expect(reports.count >= steps, "\(reports.count) reports", sourceLocation: sourceLocation)
    }

    @Test func aGGUFFileReportsEachTensor() throws {
        let heard = Heard()
        let path = GGUFTinyModel.path
        _ = try ModelDirectory.load(path: path, progress: heard.reporter(threshold: 0))
        let file = try GGUF.open(path: path)
        let total = file.tensors.reduce(0) { $0 + $1.byteCount }
        // 11 tensors, each its own step, and the start.
        Self.expectProgress(heard.reports, total: total, atLeast: file.tensors.count + 1)
    }

    /// Bundled tiny-gpt ties its embeddings (one tensor read twice, counted once) and has tensors the
    /// loader does not use (counted at the end); tiny-llama3-rope is a Hugging Face Llama directory.
    @Test(arguments: ["Models/tiny-gpt/model.safetensors", "Models/tiny-llama/model.safetensors",
                      "Tests/Fixtures/hf/tiny-llama3-rope/model.safetensors"])
    func aSafetensorsFileReportsEachTensor(weights: String) throws {
        let heard = Heard()
        let path = Repository.path(weights)
        _ = try ModelDirectory.load(path: (path as NSString).deletingLastPathComponent, progress: heard.reporter(threshold: 0))
        let file = try SafeTensors.open(path: path)
        let total = file.entries.reduce(0) { $0 + $1.dataOffsets.count }
        Self.expectProgress(heard.reports, total: total, atLeast: 4)
    }

    @Test func aSmallFileReportsNothing() throws {
        let heard = Heard()
        let size = try GGUF.open(path: GGUFTinyModel.path).tensors.reduce(0) { $0 + $1.byteCount }
        _ = try ModelDirectory.load(path: GGUFTinyModel.path, progress: heard.reporter(threshold: size + 1))
        _ = try ModelDirectory.load(path: Repository.path("Models/tiny-gpt"), progress: heard.reporter(threshold: LoadProgressReporter.defaultThreshold))
        #expect(heard.reports.isEmpty)
        _ = try ModelDirectory.load(path: GGUFTinyModel.path, progress: heard.reporter(threshold: size))
        #expect(heard.reports.last == LoadProgress(done: size, total: size))
    }

    @Test func theCatalogPassesItsReporterOn() throws {
        let heard = Heard()
        let locator = ResourceLocator(environment: ["EXPLORER_HOME": Repository.root, "XDG_DATA_HOME": "/nonexistent"])
        let catalog = ModelCatalog(locator: locator, progress: heard.reporter(threshold: 0))
        _ = try catalog.load("tiny-gpt")
        #expect(heard.reports.last.map { $0.done == $0.total && $0.total > 0 } == true)
    }
}
