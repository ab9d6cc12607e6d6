#!/usr/bin/env python3
"""A tiny Llama as a GGUF file, so that the GGUF model path is tested without any download.

    pip install gguf numpy transformers      # no torch needed
    python3 Tests/Fixtures/gguf/make_tiny_gguf_model.py

writes Tests/Fixtures/gguf/tiny-llama.gguf: one block, width 256, 4 query heads and 2 key/value heads
of 64, FFN width 256, the 800-token byte-level vocabulary of Tests/Fixtures/tokenizers/gpt2
(`tokenizer.ggml.pre` llama-bpe), tied embeddings; every weight of another block type: token_embd
Q8_0, attn_q Q4_K, attn_k Q5_K, attn_v Q6_K, attn_output Q4_0, ffn_gate Q4_1, ffn_up Q5_0,
ffn_down Q5_1, norms F32. The blocks are random bytes with small finite scales, written as they are
(the converter's row permutation of q and k included: the loader must undo it). Then
Tests/Fixtures/gguf/reference-tiny/<case>/: case.json (text, ids from transformers' GGUF tokenizer
conversion), blocks.0.attn.pattern.npy and logits.npy [T, V] from the NumPy forward of
make_smollm2_reference.py (float64, over the `gguf` package's dequantization).
Also tiny-qwen2.gguf (architecture qwen2, `pre` qwen2, biases on q, k and v, rows not permuted, as
llama.cpp converts Qwen2) with reference-tiny-qwen2/, and tiny-llama-rope-freqs.gguf: tiny-llama's
weights plus Llama 3.1's RoPE scaling as llama.cpp's converter stores it, the F32 tensor
rope_freqs.weight [dh/2] (pair i turns at theta^(-2i/dh) / rope_freqs[i]), computed as the converter
does from rope_scaling {rope_type llama3, factor 8, low_freq_factor 1, high_freq_factor 4,
original_max_position_embeddings 16} (a short original context, so that the fixture's few positions
turn measurably differently), with reference-tiny-rope-freqs/.
"""
import json
import os
import sys

import numpy as np
import gguf
from gguf import GGMLQuantizationType as Q

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from make_smollm2_reference import forward, transformers_tokenizer, weights  # noqa: E402
from make_gguf_tokenizer_fixtures import vocabulary  # noqa: E402

D, F, H, HKV = 256, 256, 4, 2
DH = D // H
HALF_FIELDS = {Q.Q8_0: [0], Q.Q4_0: [0], Q.Q4_1: [0, 2], Q.Q5_0: [0], Q.Q5_1: [0, 2],
               Q.Q4_K: [0, 2], Q.Q5_K: [0, 2], Q.Q6_K: [208]}
CASES = {"fox": "The quick brown fox jumps over 123 lazy dogs.", "code": "x = f(a, b)  # café"}


def blocks(rng, qtype, rows, columns, scale):
    values, size = gguf.GGML_QUANT_SIZES[qtype]
    raw = rng.integers(0, 256, size=(rows * columns // values, size), dtype=np.uint8)
    for offset in HALF_FIELDS[qtype]:
        halves = rng.uniform(0.5, 1.0, size=raw.shape[0]) * scale * rng.choice([-1, 1], raw.shape[0])
        raw[:, offset:offset + 2] = halves.astype(np.float16).view(np.uint8).reshape(-1, 2)
    return raw.reshape(rows, -1)


LLAMA3 = {"factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 16}


def llama3_rope_factors(theta, dh, factor, low_freq_factor, high_freq_factor, original_max_position_embeddings):
    """The divisor of each pair's frequency, as llama.cpp's converter computes rope_freqs for rope_type llama3:
    1 where the wavelength is below original/high, `factor` above original/low, a blend between."""
    frequencies = theta ** (-np.arange(0, dh, 2) / dh)
    wavelengths = 2 * np.pi / frequencies
    smooth = (original_max_position_embeddings / wavelengths - low_freq_factor) / (high_freq_factor - low_freq_factor)
    blend = 1 / ((1 - smooth) / factor + smooth)
    return np.where(wavelengths < original_max_position_embeddings / high_freq_factor, 1.0,
                    np.where(wavelengths > original_max_position_embeddings / low_freq_factor, factor, blend))


def main():
    write_model("llama", "tiny-llama", "llama-bpe", permuted=True, seed=7)
    write_model("qwen2", "tiny-qwen2", "qwen2", permuted=False, seed=8)
    write_model("llama", "tiny-llama-rope-freqs", "llama-bpe", permuted=True, seed=7,
                rope_freqs=llama3_rope_factors(10000.0, DH, **LLAMA3))


def write_model(arch, name, pre, permuted, seed, rope_freqs=None):
    rng = np.random.default_rng(seed)
    path = os.path.join(HERE, name + ".gguf")
    tokens, merges, specials = vocabulary("gpt2")
    writer = gguf.GGUFWriter(path, arch=arch)
    writer.add_name(name + "-gguf")
    writer.add_context_length(64)
    writer.add_embedding_length(D)
    writer.add_block_count(1)
    writer.add_feed_forward_length(F)
    writer.add_head_count(H)
    writer.add_head_count_kv(HKV)
    writer.add_rope_dimension_count(DH)
    writer.add_rope_freq_base(10000.0)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_vocab_size(len(tokens))
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre(pre)
    writer.add_token_list(tokens)
    writer.add_token_types([3 if i in specials else 1 for i in range(len(tokens))])
    writer.add_token_merges(merges)
    writer.add_bos_token_id(0)
    writer.add_eos_token_id(0)
    writer.add_add_bos_token(False)
    V = len(tokens)
    layout = [("token_embd.weight", Q.Q8_0, V, D, 2e-3), ("blk.0.attn_q.weight", Q.Q4_K, H * DH, D, 2e-3),
              ("blk.0.attn_k.weight", Q.Q5_K, HKV * DH, D, 2e-3), ("blk.0.attn_v.weight", Q.Q6_K, HKV * DH, D, 2e-3),
              ("blk.0.attn_output.weight", Q.Q4_0, D, H * DH, 1e-2), ("blk.0.ffn_gate.weight", Q.Q4_1, F, D, 1e-2),
              ("blk.0.ffn_up.weight", Q.Q5_0, F, D, 1e-2), ("blk.0.ffn_down.weight", Q.Q5_1, D, F, 1e-2)]
    for tensor, qtype, rows, columns, scale in layout:
        writer.add_tensor(tensor, blocks(rng, qtype, rows, columns, scale), raw_dtype=qtype)
    for tensor in ["blk.0.attn_norm.weight", "blk.0.ffn_norm.weight", "output_norm.weight"]:
        writer.add_tensor(tensor, rng.uniform(0.5, 1.5, size=D).astype(np.float32))
    if arch == "qwen2":
        for tensor, length in [("blk.0.attn_q.bias", H * DH), ("blk.0.attn_k.bias", HKV * DH), ("blk.0.attn_v.bias", HKV * DH)]:
            writer.add_tensor(tensor, rng.uniform(-0.5, 0.5, size=length).astype(np.float32))
    if rope_freqs is not None:
        writer.add_tensor("rope_freqs.weight", rope_freqs.astype(np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()

    encode, tokens_of, _ = transformers_tokenizer(path)
    W, meta = weights(path)
    meta = {k: int(v) if isinstance(v, (int, np.integer)) else v for k, v in meta.items()}
    for case, text in CASES.items():
        ids = encode(text)
        patterns, _ = forward(W, meta, ids, permuted)
        folder = os.path.join(HERE, "reference-tiny" if name == "tiny-llama" else "reference-" + name.replace("-llama", ""), case)
        os.makedirs(folder, exist_ok=True)
        np.save(os.path.join(folder, "blocks.0.attn.pattern.npy"), patterns[0].astype(np.float32))
        logits = np.stack([forward(W, meta, ids[:t + 1], permuted)[1] for t in range(len(ids))])
        np.save(os.path.join(folder, "logits.npy"), logits.astype(np.float32))
        with open(os.path.join(folder, "case.json"), "w") as f:
            json.dump({"text": text, "ids": ids, "tokens": tokens_of(ids)}, f, ensure_ascii=False, indent=1)
        print(case, len(ids), "tokens")
    print("wrote", path, os.path.getsize(path), "bytes")


if __name__ == "__main__":
    sys.exit(main())
