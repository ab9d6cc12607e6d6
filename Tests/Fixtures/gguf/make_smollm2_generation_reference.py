#!/usr/bin/env python3
"""The reference for greedy generation on SmolLM2 (Tests/TransformerTests/SmolLM2ParityTests.swift).

    python3 Tests/Fixtures/gguf/make_smollm2_generation_reference.py DIR/SmolLM2-135M-Instruct.Q4_1.gguf

For each prompt it runs 16 greedy steps, each a whole NumPy float64 forward pass over the prompt and
the tokens chosen so far (no cache: the plain definition the explorer's KV cache must agree with),
and writes Tests/Fixtures/gguf/reference-smollm2-generation.json: a list of
{"prompt", "prompt_ids", "ids", "margins"}, where margins[i] is the gap between the largest and the
second largest logit at step i (a small gap is where float32 and float64 may disagree).
"""
import json
import os
import sys

import numpy as np

from make_smollm2_reference import HERE, forward, transformers_tokenizer, weights

PROMPTS = ["The capital of France is", "def fibonacci(n):"]
STEPS = 16


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 64
    path = os.path.abspath(sys.argv[1])
    encode, _, decode = transformers_tokenizer(path)
    W, meta = weights(path)
    out = []
    for prompt in PROMPTS:
        prompt_ids = encode(prompt)
        ids, margins = [], []
        for _ in range(STEPS):
            _, logits = forward(W, meta, prompt_ids + ids)
            top = np.argsort(logits)[::-1][:2]
            ids.append(int(top[0]))
            margins.append(float(logits[top[0]] - logits[top[1]]))
        out.append({"prompt": prompt, "prompt_ids": prompt_ids, "ids": ids, "margins": margins})
        print(repr(prompt), "→", repr(decode(ids)), "smallest margin", round(min(margins), 4))
    with open(os.path.join(HERE, "reference-smollm2-generation.json"), "w") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    sys.exit(main())
