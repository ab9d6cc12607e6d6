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
            subcommands: [Home.self, Explore.self, Inspect.self, Compare.self, Generate.self, Params.self, Models.self, Bench.self, Keys.self,
                          Present.self, Follow.self, ClassroomBench.self,
                          LessonsCommand.self, LessonCommand.self, ExportCommand.self, HandoutCommand.self],
            defaultSubcommand: Home.self)
    }

    /// Parses the command line and runs the command. Unlike argument-parser's own `main()`, every
    /// message on the way out, argument-parser's included, goes through `ErrorPrinter`.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            ErrorPrinter.exit(with: error, command: self)
        }
    }
}

/// The options every command that runs a model shares.
struct ModelOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("A bundled or installed model's name (see `explorer models`), a model directory, or a GGUF file.", valueName: "NAME|DIR|FILE"))
    var model: String?

    /// The model, its tokenizer required unless `tokenizer` says otherwise (a command that runs
    /// on made-up ids, as `bench` does, needs only the vocabulary).
    func load(tokenizer: ModelDirectory.TokenizerRequirement = .required) throws -> LoadedModel {
        let loaded = try ModelCatalog(progress: LoadProgressBar.reporter()).load(model, tokenizer: tokenizer)
        printWarnings(loaded)
        return loaded
    }
}

/// Prints what the loader accepted but noted (e.g. a special token outside a trimmed vocabulary),
/// one `warning: …` line each on standard error.
func printWarnings(_ loaded: LoadedModel) {
    for warning in loaded.warnings { printError("warning: " + warning) }
}

/// A usage mistake found only once the model is loaded (e.g. a hook glob that names nothing):
/// says so on one line and exits with status 64, as swift-argument-parser does for usage errors.
func usageFailure(_ message: String) -> ExitCode {
    printError("Error: " + message)
    return ExitCode(64)
}
