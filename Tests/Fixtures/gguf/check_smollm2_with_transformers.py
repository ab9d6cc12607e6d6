#!/usr/bin/env python3
"""Holds the SmolLM2 parity references to transformers' own model on the same GGUF file.

    pip install torch transformers gguf numpy      # not dependencies of the project, nor of CI
    python3 Tests/Fixtures/gguf/check_smollm2_with_transformers.py DIR/SmolLM2-135M-Instruct.Q4_1.gguf

The parity tests (Tests/TransformerTests/SmolLM2ParityTests.swift) hold the explorer to references
made without torch: token ids from transformers' GGUF tokenizer conversion, patterns and logits from an
independent float64 NumPy forward (make_smollm2_reference.py), greedy ids from a NumPy reference that
reruns the whole sequence each step (make_smollm2_generation_reference.py). This script closes the
loop: it loads the same file with `AutoModelForCausalLM.from_pretrained(dir, gguf_file=name)` (which
dequantizes with the `gguf` package and undoes llama.cpp's Q/K permutation), float32, eager attention,
and compares, for every case in reference-smollm2/: the tokenizer's ids, the attention patterns of
the stored layers, the last position's logits; and for every prompt in
reference-smollm2-generation.json, greedy `generate` of 16 tokens with its KV cache.

With `--explorer BIN --text T` (repeatable) it also runs `BIN inspect --model FILE --text T --export`
on sentences of your own and compares the export to transformers directly: ids, every layer's
pattern, the last position's logits.

Prints the largest differences and exits 1 when one is over its tolerance: patterns 1e-5 absolute,
logits 2e-4·(1 + |ref|), ids and generated ids exactly.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "reference-smollm2")
GENERATION = os.path.join(HERE, "reference-smollm2-generation.json")
PATTERN_TOLERANCE = 1e-5
LOGITS_TOLERANCE = 2e-4


def compare(case, ids, out, patterns, logits, failures):
    """Prints and checks one case: `patterns` maps a layer to its [H,T,T] reference, `logits` is [V]."""
    pattern_error = max(float(np.abs(out.attentions[layer][0].numpy() - expected).max())
                        for layer, expected in patterns.items())
    got = out.logits[0, -1].numpy()
    logits_error = float((np.abs(got - logits) / (1 + np.abs(logits))).max())
    same_argmax = int(got.argmax()) == int(logits.argmax())
    print(f"{case[:24]:24s} {len(ids):3d} tokens  ids equal  {len(patterns):2d} layers' patterns |Δ| ≤ {pattern_error:.1e}  "
          f"logits |Δ|/(1+|ref|) ≤ {logits_error:.1e}  argmax {'equal' if same_argmax else 'DIFFERS'}")
    if pattern_error > PATTERN_TOLERANCE or logits_error > LOGITS_TOLERANCE or not same_argmax:
        failures.append(f"{case}: pattern {pattern_error:.1e}, logits {logits_error:.1e}, argmax equal: {same_argmax}")


def explorer_export(binary, path, text):
    """The explorer's ids, patterns by layer and last logits for `text`, through `inspect --export`."""
    with tempfile.TemporaryDirectory() as folder:
        export = os.path.join(folder, "export")
        subprocess.run([binary, "inspect", "--model", path, "--text", text, "--hooks", "blocks.*.attn.pattern,logits",
                        "--export", export], check=True, stdout=subprocess.DEVNULL)
        ids = json.load(open(os.path.join(export, "tokens.json")))["ids"]
        patterns = {}
        for file in os.listdir(export):
            if file.endswith(".attn.pattern.npy"):
                patterns[int(file.split(".")[1])] = np.load(os.path.join(export, file))
        return ids, patterns, np.load(os.path.join(export, "logits.npy"))[-1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--explorer", help="the explorer binary, to compare on --text sentences")
    parser.add_argument("--text", action="append", default=[])
    args = parser.parse_args()
    if not os.path.isfile(args.file):
        sys.exit(f"error: {args.file} is not a file")
    os.environ.setdefault("TQDM_DISABLE", "1")
    import torch
    import transformers
    transformers.logging.set_verbosity_error()
    torch.set_num_threads(2)
    folder, name = os.path.split(os.path.abspath(args.file))
    tokenizer = transformers.AutoTokenizer.from_pretrained(folder, gguf_file=name)
    model = transformers.AutoModelForCausalLM.from_pretrained(
        folder, gguf_file=name, dtype=torch.float32, attn_implementation="eager").eval()

    failures = []
    for case in sorted(os.listdir(CASES)):
        reference = json.load(open(os.path.join(CASES, case, "case.json")))
        ids = tokenizer(reference["text"])["input_ids"]
        if ids != reference["ids"]:
            failures.append(f"{case}: ids {ids} != {reference['ids']}")
            continue
        with torch.no_grad():
            out = model(torch.tensor([ids]), output_attentions=True)
        folder_of_case = os.path.join(CASES, case)
        patterns = {int(file.split(".")[1]): np.load(os.path.join(folder_of_case, file))
                    for file in os.listdir(folder_of_case) if file.endswith(".attn.pattern.npy")}
        compare(case, ids, out, patterns, np.load(os.path.join(folder_of_case, "last_logits.npy")), failures)

    for text in args.text if args.explorer else []:
        ids, patterns, logits = explorer_export(args.explorer, args.file, text)
        expected = tokenizer(text)["input_ids"]
        if ids != expected:
            failures.append(f"{text!r}: explorer ids {ids} != transformers {expected}")
            continue
        with torch.no_grad():
            out = model(torch.tensor([ids]), output_attentions=True)
        compare("explorer " + repr(text), ids, out, patterns, logits, failures)

    for reference in json.load(open(GENERATION)):
        prompt = torch.tensor([reference["prompt_ids"]])
        with torch.no_grad():
            out = model.generate(prompt, max_new_tokens=len(reference["ids"]), do_sample=False,
                                 attention_mask=torch.ones_like(prompt), eos_token_id=None, pad_token_id=0)
        ids = out[0, prompt.shape[1]:].tolist()
        equal = ids == reference["ids"]
        print(f"generate {reference['prompt']!r}: {len(ids)} tokens {'equal' if equal else 'DIFFER'}")
        if not equal:
            failures.append(f"generate {reference['prompt']!r}: {ids} != {reference['ids']}")

    for failure in failures:
        print("error:", failure, file=sys.stderr)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
