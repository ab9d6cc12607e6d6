import ArgumentParser
import Foundation
import Transformer

/// `explorer`: run a transformer on your own text and look at every number it computes.
@main
struct ExplorerCommand: ParsableCommand {
    static let version = "0.1.0"

    static var configuration: CommandConfiguration {
        let locator = ResourceLocator()
        return CommandConfiguration(
            commandName: "explorer",
            abstract: "Watch a transformer think, one step at a time, with the real numbers.",
            discussion: """
                Runs small transformers on your own text and records every intermediate tensor \
                (queries, keys, values, scores, softmax weights, residual stream, logits) under stable names.
                """,
            version: "explorer \(version)\nbundled models and lessons: \(locator.root ?? "not found") (\(locator.foundBy))\nuser models: \(locator.userModels)",
            subcommands: [Home.self, Explore.self, Inspect.self, Generate.self, Params.self, Models.self, Bench.self, Keys.self,
                          LessonsCommand.self, LessonCommand.self],
            defaultSubcommand: Home.self)
    }
}

/// The options every command that runs a model shares.
struct ModelOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("A bundled or installed model's name (see `explorer models`), or a model directory.", valueName: "NAME|DIR"))
    var model: String?

    func load() throws -> LoadedModel {
        try ModelCatalog().load(model)
    }
}

/// Writes one line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// A usage mistake found only once the model is loaded (e.g. a hook glob that names nothing):
/// says so on one line and exits with status 64, as swift-argument-parser does for usage errors.
func usageFailure(_ message: String) -> ExitCode {
    printError("Error: " + message)
    return ExitCode(64)
}
