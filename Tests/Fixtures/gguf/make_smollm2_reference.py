#!/usr/bin/env python3
"""The reference for the SmolLM2 GGUF parity test (Tests/TransformerTests/SmolLM2ParityTests.swift).

    pip install gguf numpy transformers        # no torch needed
    Tests/Fixtures/gguf/fetch_smollm2.sh DIR
    python3 Tests/Fixtures/gguf/make_smollm2_reference.py DIR/SmolLM2-135M-Instruct.Q4_1.gguf

For each of five sentences it writes Tests/Fixtures/gguf/reference-smollm2/<case>/:
- case.json: {"text", "ids", "tokens"}: the ids of the tokenizer transformers builds from the same
  file's metadata (`convert_gguf_tokenizer` of transformers.integrations.gguf, what
  AutoTokenizer.from_pretrained(dir, gguf_file=name) runs; called directly because that entry point
  imports torch), with BOS/EOS added as tokenizer.ggml.add_bos_token / add_eos_token say;
- blocks.{0,15,29}.attn.pattern.npy [H,T,T] and last_logits.npy [V] (float32), from an independent
  NumPy forward pass in float64 over the weights as the `gguf` package dequantizes them, with
  llama.cpp's permutation of the query and key rows undone as transformers does
  (`reverse_permute_weights`). transformers' own model needs torch, which is not used here.
"""
import json
import os
import sys

import numpy as np
import gguf

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "reference-smollm2")
LAYERS = [0, 15, 29]
CASES = {
    "paris": "The capital of France is",
    "accents": "Crème brûlée, naïve café: déjà vu à Zürich.",
    "code": "def add(a, b):\n    return a + b  # sum",
    "cjk-emoji": "東京は日本の首都です 🙂👍🏽",
    "whitespace": "  Two  spaces,\ttabs\n\nand  newlines   end",
}


def weights(path):
    reader = gguf.GGUFReader(path)
    out = {}
    for t in reader.tensors:
        data = gguf.quants.dequantize(t.data, t.tensor_type).astype(np.float64)
        shape = tuple(int(x) for x in reversed(t.shape))   # outermost first
        out[t.name] = data.reshape(shape)
    meta = {}
    architecture = reader.fields["general.architecture"].contents()
    for key, field in reader.fields.items():
        if key.startswith(architecture + "."):
            meta["llama." + key[len(architecture) + 1:]] = field.contents()   # one set of names for forward()
    return out, meta


def unpermute(w, heads):
    """transformers' reverse_permute_weights: llama.cpp's rows (pair j, half i) back to (half i, pair j)."""
    dim = w.shape[0] // heads // 2
    return w.reshape(heads, dim, 2, *w.shape[1:]).swapaxes(2, 1).reshape(w.shape)


def rms(x, w, eps):
    return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps) * w


def forward(W, meta, ids, permuted=True):
    """Llama's forward in float64; `permuted`: the file's q and k rows (and biases) are in llama.cpp's
    order (its Llama converter's), to be put back; Qwen2's are not permuted. Biases where the file has them."""
    d = meta["llama.embedding_length"]
    h = meta["llama.attention.head_count"]
    hkv = meta["llama.attention.head_count_kv"]
    dh = d // h
    eps = meta["llama.attention.layer_norm_rms_epsilon"]
    theta = meta["llama.rope.freq_base"]
    t = len(ids)
    x = W["token_embd.weight"][ids]
    inv = theta ** (-np.arange(0, dh, 2) / dh)                 # [dh/2]
    if "rope_freqs.weight" in W:                               # Llama 3.1's scaling: one divisor a pair
        inv = inv / W["rope_freqs.weight"]
    angles = np.arange(t)[:, None] * inv[None, :]              # [T, dh/2]
    cos = np.concatenate([np.cos(angles)] * 2, axis=-1)
    sin = np.concatenate([np.sin(angles)] * 2, axis=-1)

    def rope(v):                                               # [n, T, dh]; i pairs with i + dh/2
        rotated = np.concatenate([-v[..., dh // 2:], v[..., :dh // 2]], axis=-1)
        return v * cos + rotated * sin

    patterns = {}
    mask = np.triu(np.ones((t, t), dtype=bool), 1)
    for l in range(meta["llama.block_count"]):
        p = f"blk.{l}."
        a = rms(x, W[p + "attn_norm.weight"], eps)
        back = unpermute if permuted else (lambda w, heads: w)
        q = a @ back(W[p + "attn_q.weight"], h).T
        k = a @ back(W[p + "attn_k.weight"], hkv).T
        v = a @ W[p + "attn_v.weight"].T
        if p + "attn_q.bias" in W:
            q = q + back(W[p + "attn_q.bias"], h)
            k = k + back(W[p + "attn_k.bias"], hkv)
            v = v + W[p + "attn_v.bias"]
        q = rope(q.reshape(t, h, dh).transpose(1, 0, 2))
        k = rope(k.reshape(t, hkv, dh).transpose(1, 0, 2))
        v = v.reshape(t, hkv, dh).transpose(1, 0, 2)
        k = np.repeat(k, h // hkv, axis=0)
        v = np.repeat(v, h // hkv, axis=0)
        scores = q @ k.transpose(0, 2, 1) / np.sqrt(dh)
        scores[:, mask] = -np.inf
        scores -= scores.max(axis=-1, keepdims=True)
        pattern = np.exp(scores)
        pattern /= pattern.sum(axis=-1, keepdims=True)
        if l in LAYERS:
            patterns[l] = pattern
        z = (pattern @ v).transpose(1, 0, 2).reshape(t, h * dh)
        x = x + z @ W[p + "attn_output.weight"].T
        m = rms(x, W[p + "ffn_norm.weight"], eps)
        gate = m @ W[p + "ffn_gate.weight"].T
        up = m @ W[p + "ffn_up.weight"].T
        x = x + (gate / (1 + np.exp(-gate)) * up) @ W[p + "ffn_down.weight"].T
    x = rms(x, W["output_norm.weight"], eps)
    head = W.get("output.weight", W["token_embd.weight"])
    return patterns, x[-1] @ head.T


def transformers_tokenizer(path):
    """(encode, tokens_of, decode) of transformers' tokenizer for a GGUF file, built as
    `get_gguf_tokenizer` + `convert_gguf_tokenizer` do, from the metadata read by the gguf package."""
    from transformers.integrations.gguf.gguf_tokenizer_mapping import GGUF_TOKENIZER_MAPPING, convert_gguf_tokenizer
    reader = gguf.GGUFReader(path)
    metadata = {key: field.contents() for key, field in reader.fields.items() if not key.startswith("GGUF.")}
    grouped = {group: {name: metadata[f"tokenizer.{key}"] for key, name in renames.items() if f"tokenizer.{key}" in metadata}
               for group, renames in GGUF_TOKENIZER_MAPPING.items()}
    tokenizer_dict, config = grouped["tokenizer"], grouped["tokenizer_config"]
    if tokenizer_dict.get("tokenizer_type") == "llama":
        config.setdefault("add_bos_token", True)
    backend, _ = convert_gguf_tokenizer(metadata["general.architecture"], tokenizer_dict)
    bos, eos = tokenizer_dict.get("bos_token_id"), tokenizer_dict.get("eos_token_id")

    def encode(text):
        ids = backend.encode(text, add_special_tokens=False).ids
        if config.get("add_bos_token") and bos is not None:
            ids = [bos] + ids
        if config.get("add_eos_token") and eos is not None:
            ids = ids + [eos]
        return ids

    return encode, lambda ids: [backend.id_to_token(i) for i in ids], backend.decode


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 64
    path = os.path.abspath(sys.argv[1])
    encode, tokens_of, decode = transformers_tokenizer(path)
    W, meta = weights(path)
    for name, text in CASES.items():
        ids = encode(text)
        patterns, logits = forward(W, meta, ids)
        folder = os.path.join(OUT, name)
        os.makedirs(folder, exist_ok=True)
        for l, pattern in patterns.items():
            np.save(os.path.join(folder, f"blocks.{l}.attn.pattern.npy"), pattern.astype(np.float32))
        np.save(os.path.join(folder, "last_logits.npy"), logits.astype(np.float32))
        with open(os.path.join(folder, "case.json"), "w") as f:
            json.dump({"text": text, "ids": ids, "tokens": tokens_of(ids)}, f, ensure_ascii=False, indent=1)
        print(name, len(ids), "tokens; next:", repr(decode([int(np.argmax(logits))])))


if __name__ == "__main__":
    sys.exit(main())
