#!/usr/bin/env python3
"""Reference activations of all-MiniLM-L6-v2 (a real BERT: 6 blocks, width 384, 12 heads), computed by
transformers' own BertModel, for the Swift test that loads the real model when it is present.

    pip install torch==2.13.0+cpu transformers        # the CPU wheel; not a project dependency
    Tests/Fixtures/hf/fetch_minilm.sh ~/.cache/explorer-ci/minilm
    python3 Tests/Fixtures/hf/make_minilm_reference.py ~/.cache/explorer-ci/minilm

The weights are not committed; what this writes is small: reference-minilm/<case>/ with case.json
(text, the input ids and tokens from the model's own tokenizer, and which explorer hook each hidden
state is), attentions.npy [6,12,T,T] (eager attention, output_attentions=True) and
hidden_states.npy [7,T,384] (output_hidden_states=True), float32.
"""
import json
import os
import shutil
import sys

import numpy as np
import torch
from transformers import AutoTokenizer, BertModel

HERE = os.path.dirname(os.path.abspath(__file__))

SENTENCES = {
    "cat": "The cat sat on the mat.",
    "apostrophe": "Don't panic: it's only a test, isn't it?",
    "transformers": "Transformers read every token at once.",
}


def main():
    directory = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("EXPLORER_MINILM_DIR")
    if not directory:
        sys.exit("usage: make_minilm_reference.py MODEL_DIR (or set EXPLORER_MINILM_DIR)")
    torch.set_num_threads(2)
    tokenizer = AutoTokenizer.from_pretrained(directory)
    model = BertModel.from_pretrained(directory, attn_implementation="eager").eval()
    layers = model.config.num_hidden_layers
    # BERT is post-LN: hidden_states[0] is the normed embeddings (the input of block 0), and
    # hidden_states[i + 1] the output of block i.
    hooks = [f"blocks.{i}.resid_pre" for i in range(layers)] + [f"blocks.{layers - 1}.resid_post"]
    root = os.path.join(HERE, "reference-minilm")
    shutil.rmtree(root, ignore_errors=True)
    for case, text in SENTENCES.items():
        ids = tokenizer(text)["input_ids"]
        with torch.no_grad():
            out = model(torch.tensor([ids]), output_attentions=True, output_hidden_states=True)
        attentions = torch.stack([a[0] for a in out.attentions]).numpy().astype(np.float32)
        hidden = torch.stack([h[0] for h in out.hidden_states]).numpy().astype(np.float32)
        path = os.path.join(root, case)
        os.makedirs(path)
        np.save(os.path.join(path, "attentions.npy"), attentions)
        np.save(os.path.join(path, "hidden_states.npy"), hidden)
        with open(os.path.join(path, "case.json"), "w", encoding="utf-8") as f:
            json.dump({"model": "all-MiniLM-L6-v2", "text": text, "ids": ids,
                       "tokens": tokenizer.convert_ids_to_tokens(ids), "hidden_state_hooks": hooks},
                      f, ensure_ascii=False, indent=1)
            f.write("\n")
        print(f"{case}: {len(ids)} tokens {tokenizer.convert_ids_to_tokens(ids)}")


if __name__ == "__main__":
    main()
