import ArgumentParser
import Foundation
import Terminal
import Transformer

struct Params: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Count a model's parameters, part by part, with the formula for each.",
        discussion: "Presets: \(ParameterPresets.names.joined(separator: ", ")).")

    @Option(name: .long, help: "A well-known architecture (see the list above).")
    var preset: String?

    @OptionGroup var modelOption: ModelOption

    @Option(name: .long, help: ArgumentHelp("A config.json to count.", valueName: "FILE"))
    var config: String?

    @Flag(name: .long, help: "Print the report as JSON (\"total\" is an integer).")
    var json = false

    func validate() throws {
        let given = [preset != nil, modelOption.model != nil, config != nil].filter { $0 }.count
        if given != 1 {
            throw ValidationError("give exactly one of --preset NAME, --model NAME|DIR|FILE or --config FILE")
        }
    }

    func run() throws {
        let report: ParameterReport
        if let preset {
            report = try ParameterReport(preset: ParameterPresets.named(preset))
        } else if let config {
            let (parsed, _) = try ModelDirectory.readConfig(config)
            report = try ParameterReport(config: parsed, name: config)
        } else {
            let loaded = try modelOption.load(tokenizer: .ifSupported)   // counting needs no tokenizer
            report = try ParameterReport(config: loaded.config, name: loaded.name)
        }
        if json {
            try printJSON(report)
        } else {
            print(Sanitizer.sanitize(report.text(), keepingLineBreaks: true))   // the name may be a hostile path
        }
    }
}
