#!/usr/bin/env python3
"""GGUF tokenizer fixtures: the small tokenizers of Tests/Fixtures/tokenizers/ written as GGUF
vocabularies (metadata only, no tensors) by the `gguf` package's writer, and the ids transformers'
GGUF tokenizer conversion gives for the tricky strings of Tests/Fixtures/tokenizers/strings.json.

    pip install gguf transformers tokenizers     # no torch needed
    python3 Tests/Fixtures/gguf/make_gguf_tokenizer_fixtures.py

writes Tests/Fixtures/gguf/tokenizers/:
- gpt2.gguf: tokenizer.ggml.model gpt2 (byte-level BPE, merges), <|endoftext|> a control token;
- llama.gguf: tokenizer.ggml.model llama (BPE with byte fallback) without merges, scores = -id, so
  that the merges are recovered from the scores (as in Llama 2's files), add_bos_token true;
- expected.json: {"gpt2": {pre: [ids per string]}, "llama": {"default": [...]}} for every `pre` the
  explorer knows a split pattern for (default, gpt-2, smollm, llama-bpe, qwen2, tekken), computed
  with transformers.integrations.gguf.gguf_tokenizer_mapping.convert_gguf_tokenizer (what
  AutoTokenizer.from_pretrained(dir, gguf_file=…) runs), BOS/EOS added as the flags say.
"""
import json
import os

import gguf

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCES = os.path.join(HERE, "..", "tokenizers")
OUT = os.path.join(HERE, "tokenizers")
PRES = ["default", "gpt-2", "smollm", "llama-bpe", "qwen2", "tekken"]


def vocabulary(name):
    with open(os.path.join(SOURCES, name, "tokenizer.json"), encoding="utf-8") as f:
        spec = json.load(f)
    vocab = spec["model"]["vocab"]
    tokens = [None] * len(vocab)
    for token, index in vocab.items():
        tokens[index] = token
    merges = [" ".join(m) if isinstance(m, list) else m for m in spec["model"]["merges"]]
    specials = {a["id"] for a in spec["added_tokens"] if a["special"]}
    return tokens, merges, specials


def write(path, model, tokens, types, merges, scores, bos, eos, unk, add_bos):
    writer = gguf.GGUFWriter(path, arch="llama")
    writer.add_tokenizer_model(model)
    writer.add_token_list(tokens)
    writer.add_token_types(types)
    if merges:
        writer.add_token_merges(merges)
    if scores:
        writer.add_token_scores(scores)
    writer.add_bos_token_id(bos)
    writer.add_eos_token_id(eos)
    if unk is not None:
        writer.add_unk_token_id(unk)
    writer.add_add_bos_token(add_bos)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def transformers_ids(tokenizer_dict, add_bos, strings):
    from transformers.integrations.gguf.gguf_tokenizer_mapping import convert_gguf_tokenizer
    backend, _ = convert_gguf_tokenizer("llama", dict(tokenizer_dict))
    out = []
    for text in strings:
        ids = backend.encode(text, add_special_tokens=False).ids
        out.append(([tokenizer_dict["bos_token_id"]] if add_bos else []) + ids)
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(SOURCES, "strings.json"), encoding="utf-8") as f:
        strings = json.load(f)["tricky"]
    expected = {"strings": strings, "gpt2": {}, "llama": {}}

    tokens, merges, specials = vocabulary("gpt2")
    types = [3 if i in specials else 1 for i in range(len(tokens))]
    write(os.path.join(OUT, "gpt2.gguf"), "gpt2", tokens, types, merges, None, 0, 0, None, False)
    for pre in PRES:
        spec = {"tokenizer_type": "gpt2", "pre_tokenizer_type": pre, "tokens": tokens, "token_type": types,
                "merges": merges, "bos_token_id": 0, "eos_token_id": 0}
        expected["gpt2"][pre] = transformers_ids(spec, False, strings)

    tokens, _, specials = vocabulary("llama")
    types = [2 if t == "<unk>" else 3 if i in specials else 6 if t.startswith("<0x") else 1 for i, t in enumerate(tokens)]
    scores = [float(-i) for i in range(len(tokens))]
    write(os.path.join(OUT, "llama.gguf"), "llama", tokens, types, None, scores, 1, 2, 0, True)
    spec = {"tokenizer_type": "llama", "tokens": tokens, "token_type": types, "scores": scores,
            "bos_token_id": 1, "eos_token_id": 2, "unk_token_id": 0}
    expected["llama"]["default"] = transformers_ids(spec, True, strings)

    with open(os.path.join(OUT, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, ensure_ascii=False)
    print("wrote", OUT, sorted(os.listdir(OUT)))


if __name__ == "__main__":
    main()
