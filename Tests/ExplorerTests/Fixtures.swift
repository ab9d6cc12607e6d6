import Foundation
@testable import Explorer
import Transformer

/// The bundled models and a ready app state, for the explorer's tests.
enum Fixtures {
    static let root: String = {
        var path = "\(#filePath)" as NSString
        for _ in 0..<3 { path = path.deletingLastPathComponent as NSString }
        return path as String
    }()

    static func model(_ name: String) throws -> LoadedModel {
        try ModelDirectory.load(path: root + "/Models/\(name)", name: name, bundled: true)
    }

    static let sentence = "the animal didn't cross the street because it was too tired"

    static func state(model: String = "tiny-gpt", text: String = sentence, screen: Screen = .explore,
                      width: Int = 120, height: Int = 40, theme: ThemeChoice = ThemeChoice()) throws -> AppState {
        let session = ModelSession(loaded: try Fixtures.model(model), text: text)
        let entries = [("tiny-gpt", "decoder"), ("tiny-bert", "encoder"), ("tiny-llama", "decoder"),
                       ("tiny-transformer", "encoder-decoder")].map {
            ModelCatalog.Entry(name: $0.0, architecture: $0.1, path: root + "/Models/\($0.0)", bundled: true)
        }
        return AppState(session: session, models: entries, width: width, height: height, screen: screen, theme: theme,
                        loadModel: { try Fixtures.model($0) })
    }
}
