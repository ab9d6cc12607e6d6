#!/usr/bin/env python3
"""Reference forward pass for the bundled models, written independently of the Swift code.

It reads only a model directory (config.json, model.safetensors, tokenizer.json), computes every
hook of DESIGN.md in float64 with NumPy, and saves each as float32 .npy files the Swift tests compare
against, within |swift - reference| <= 1e-5 * (1 + |reference|), -inf equal to -inf.

Usage:
    python3 Tests/Fixtures/reference.py [--out DIR] [--models DIR]

writes DIR/<model>/<case>/ (default Tests/Fixtures/reference) with one <hook>.npy per hook, case.json
(model, text, target, mask, ids, tokens, decoder ids and tokens) and, for the independent checker
(../shared/tools/check-export.py), tokens.json and manifest.json laid out like an export.

The functions are importable: Models/construct.py uses `load_model` and `forward` to check that the
constructed heads do what their documentation claims.
"""
import argparse
import json
import math
import os
import re
import shutil
import struct
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# ----------------------------------------------------------------------------------------------
# Files
# ----------------------------------------------------------------------------------------------

_DTYPES = {"F32": "<f4", "F64": "<f8", "F16": "<f2"}


def read_safetensors(path):
    """Returns {name: float64 array} from a .safetensors file (F32, F64 or F16 tensors)."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    base = 8 + n
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype = _DTYPES.get(info["dtype"])
        if dtype is None:
            raise ValueError(f"{path}: tensor {name} has unsupported dtype {info['dtype']}")
        start, end = info["data_offsets"]
        arr = np.frombuffer(data[base + start:base + end], dtype=dtype)
        tensors[name] = arr.reshape(info["shape"]).astype(np.float64)
    return tensors


class WordLevelTokenizer:
    """The part of Hugging Face's tokenizer.json pipeline the bundled models use: a Lowercase
    normalizer, the Whitespace pre-tokenizer (`\\w+|[^\\w\\s]+`), a WordLevel model and an optional
    TemplateProcessing post-processor."""

    def __init__(self, path):
        spec = json.load(open(path, encoding="utf-8"))
        model = spec["model"]
        if model.get("type") != "WordLevel":
            raise ValueError(f"{path}: model type {model.get('type')} is not WordLevel")
        self.vocab = dict(model["vocab"])
        self.unk = model.get("unk_token")
        self.id_to_token = {i: t for t, i in self.vocab.items()}
        for added in spec.get("added_tokens") or []:
            self.id_to_token[added["id"]] = added["content"]
        norm = spec.get("normalizer")
        if norm is not None and norm.get("type") != "Lowercase":
            raise ValueError(f"{path}: normalizer {norm.get('type')} not supported here")
        self.lowercase = norm is not None
        pre = spec.get("pre_tokenizer")
        if pre is not None and pre.get("type") != "Whitespace":
            raise ValueError(f"{path}: pre-tokenizer {pre.get('type')} not supported here")
        self.template = spec.get("post_processor")
        if self.template is not None and self.template.get("type") != "TemplateProcessing":
            raise ValueError(f"{path}: post-processor {self.template.get('type')} not supported here")

    def words(self, text):
        if self.lowercase:
            text = text.lower()
        return re.findall(r"\w+|[^\w\s]+", text)

    def lookup(self, word):
        if word in self.vocab:
            return self.vocab[word]
        if self.unk is None or self.unk not in self.vocab:
            raise KeyError(f"word {word!r} is not in the vocabulary and there is no unknown token")
        return self.vocab[self.unk]

    def encode(self, text, special_tokens=True):
        """Token ids and their vocabulary strings for one sequence ($A of the template)."""
        ids = [self.lookup(w) for w in self.words(text)]
        if special_tokens and self.template is not None:
            out = []
            specials = self.template.get("special_tokens", {})
            for item in self.template["single"]:
                if "Sequence" in item:
                    out.extend(ids)
                else:
                    out.extend(specials[item["SpecialToken"]["id"]]["ids"])
            ids = out
        return ids, [self.id_to_token[i] for i in ids]


def load_model(directory):
    """(config dict, parameters {name: float64 array}, tokenizer) of a model directory."""
    config = json.load(open(os.path.join(directory, "config.json"), encoding="utf-8"))
    params = read_safetensors(os.path.join(directory, "model.safetensors"))
    tokenizer = WordLevelTokenizer(os.path.join(directory, "tokenizer.json"))
    return config, params, tokenizer


# ----------------------------------------------------------------------------------------------
# Pieces of the forward pass
# ----------------------------------------------------------------------------------------------

def activation(name, x):
    if name == "gelu":
        erf = np.vectorize(math.erf)
        return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))
    if name == "gelu_tanh":
        return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))
    if name == "relu":
        return np.maximum(x, 0.0)
    if name == "silu":
        return x / (1.0 + np.exp(-x))
    raise ValueError(f"unknown activation {name}")


def softmax(x):
    """Softmax over the last axis; -inf entries get weight 0."""
    m = np.max(x, axis=-1, keepdims=True)
    e = np.exp(x - m)
    return e / np.sum(e, axis=-1, keepdims=True)


def sinusoidal(T, D):
    """PE[p, 2i] = sin(p / 10000^(2i/D)), PE[p, 2i+1] = cos(p / 10000^(2i/D))."""
    pe = np.zeros((T, D))
    p = np.arange(T)[:, None]
    i = np.arange(0, D, 2)[None, :]
    angle = p / np.power(10000.0, i / D)
    pe[:, 0::2] = np.sin(angle)
    pe[:, 1::2] = np.cos(angle)[:, : D // 2]
    return pe


def rope(x, theta):
    """Rotary embedding of x [heads, T, dh] at positions 0..T-1, pairing i with i + dh/2."""
    _, T, dh = x.shape
    half = dh // 2
    freq = np.power(float(theta), -2.0 * np.arange(half) / dh)
    angle = np.arange(T)[:, None] * freq[None, :]
    cos, sin = np.cos(angle), np.sin(angle)
    a, b = x[..., :half], x[..., half:]
    return np.concatenate([a * cos - b * sin, b * cos + a * sin], axis=-1)


def mask_hides(mask, T_q, T_k):
    """Boolean [T_q, T_k]: True where the mask hides key j from query i."""
    i, j = np.indices((T_q, T_k))
    if mask == "bidirectional":
        return np.zeros((T_q, T_k), bool)
    if mask == "causal":
        return j > i
    if mask.startswith("prefix:"):
        n = int(mask.split(":", 1)[1])
        return (j > i) & (j >= n)
    raise ValueError(f"unknown mask {mask}")


class Forward:
    """One forward pass; `hooks` collects every named activation."""

    def __init__(self, config, params):
        self.c = config
        self.p = params
        self.hooks = {}
        self.D = config["d_model"]
        self.H = config["n_heads"]
        self.Hkv = config.get("n_kv_heads") or self.H
        self.dh = config.get("d_head") or self.D // self.H

    def record(self, name, value):
        self.hooks[name] = np.array(value, dtype=np.float64)
        return value

    def norm(self, prefix, x):
        c, p = self.c, self.p
        eps = c.get("norm_eps", 1e-5)
        if c.get("norm", "layernorm") == "rmsnorm":
            y = x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps) * p[prefix + ".w"]
        else:
            mu = np.mean(x, axis=-1, keepdims=True)
            var = np.mean((x - mu) ** 2, axis=-1, keepdims=True)
            y = (x - mu) / np.sqrt(var + eps) * p[prefix + ".w"]
            if prefix + ".b" in p:
                y = y + p[prefix + ".b"]
        return y

    def attention(self, name, x, source, mask):
        """Self-attention (source is x) or cross-attention (source is the encoder output).
        `name` is e.g. 'blocks.0.attn'; parameters and hooks share it."""
        p, H, Hkv, dh = self.p, self.H, self.Hkv, self.dh
        q = np.einsum("td,hde->hte", x, p[name + ".W_Q"])
        k = np.einsum("td,hde->hte", source, p[name + ".W_K"])
        v = np.einsum("td,hde->hte", source, p[name + ".W_V"])
        if name + ".b_Q" in p:
            q = q + p[name + ".b_Q"][:, None, :]
            k = k + p[name + ".b_K"][:, None, :]
            v = v + p[name + ".b_V"][:, None, :]
        if self.c["positional"] == "rope" and ".cross_attn" not in name:
            theta = self.c.get("rope_theta", 10000.0)
            q, k = rope(q, theta), rope(k, theta)
        self.record(name + ".q", q)
        self.record(name + ".k", k)
        self.record(name + ".v", v)
        group = H // Hkv
        kk = np.repeat(k, group, axis=0)
        vv = np.repeat(v, group, axis=0)
        scores = self.record(name + ".scores", np.einsum("hid,hjd->hij", q, kk))
        scaled = self.record(name + ".scaled", scores / math.sqrt(dh))
        if mask is None:
            masked = scaled.copy()
        else:
            masked = np.where(mask_hides(mask, *scaled.shape[1:])[None], -np.inf, scaled)
        self.record(name + ".masked", masked)
        pattern = self.record(name + ".pattern", softmax(masked))
        self.record(name + ".weighted", pattern[..., None] * vv[:, None, :, :])
        z = self.record(name + ".z", np.einsum("hij,hjd->hid", pattern, vv))
        result = self.record(name + ".result", np.einsum("hid,hde->hie", z, p[name + ".W_O"]))
        out = result.sum(axis=0)
        if name + ".b_O" in p:
            out = out + p[name + ".b_O"]
        return self.record(name + ".out", out)

    def mlp(self, name, x):
        p, c = self.p, self.c
        if c.get("gated_mlp", False):
            pre = self.record(name + ".pre", x @ p[name + ".W_gate"])
            up = x @ p[name + ".W_in"]
            post = self.record(name + ".post", activation(c["activation"], pre) * up)
        else:
            pre = x @ p[name + ".W_in"]
            if name + ".b_in" in p:
                pre = pre + p[name + ".b_in"]
            self.record(name + ".pre", pre)
            post = self.record(name + ".post", activation(c["activation"], pre))
        out = post @ p[name + ".W_out"]
        if name + ".b_out" in p:
            out = out + p[name + ".b_out"]
        return self.record(name + ".out", out)

    def block(self, b, x, mask, encoder_out=None):
        """One block; `b` is the prefix 'blocks.3' (with encoder./decoder. when needed)."""
        self.record(b + ".resid_pre", x)
        cross = encoder_out is not None
        if self.c["norm_position"] == "pre":
            h = self.record(b + ".ln1.out", self.norm(b + ".ln1", x))
            mid = self.record(b + ".resid_mid", x + self.attention(b + ".attn", h, h, mask))
            last = mid
            if cross:
                hc = self.record(b + ".ln_cross.out", self.norm(b + ".ln_cross", mid))
                last = self.record(b + ".resid_cross",
                                   mid + self.attention(b + ".cross_attn", hc, encoder_out, None))
            h2 = self.record(b + ".ln2.out", self.norm(b + ".ln2", last))
            return self.record(b + ".resid_post", last + self.mlp(b + ".mlp", h2))
        mid = self.record(b + ".resid_mid", x + self.attention(b + ".attn", x, x, mask))
        last = self.record(b + ".ln1.out", self.norm(b + ".ln1", mid))
        if cross:
            rc = self.record(b + ".resid_cross",
                             last + self.attention(b + ".cross_attn", last, encoder_out, None))
            last = self.record(b + ".ln_cross.out", self.norm(b + ".ln_cross", rc))
        out = self.norm(b + ".ln2", last + self.mlp(b + ".mlp", last))
        self.record(b + ".ln2.out", out)
        return self.record(b + ".resid_post", out)

    def embed(self, prefix, ids):
        """Embeddings of one stack; returns block 0's resid_pre."""
        c, p = self.c, self.p
        T = len(ids)
        if T > c["max_positions"]:
            raise ValueError(f"{T} tokens exceed max_positions {c['max_positions']}")
        table_name = "embed.W_E" if c.get("shared_embeddings") else prefix + "embed.W_E"
        e = p[table_name][ids]
        if c.get("scale_embeddings", False):
            e = e * math.sqrt(self.D)
        x = self.record(prefix + "embed", e)
        if c["positional"] == "learned":
            x = x + self.record(prefix + "pos_embed", p[prefix + "pos_embed.W_pos"][:T])
        elif c["positional"] == "sinusoidal":
            x = x + self.record(prefix + "pos_embed", sinusoidal(T, self.D))
        if c.get("type_vocab_size", 0) > 0:
            x = x + self.record(prefix + "embed_type",
                                np.repeat(p[prefix + "embed_type.W_type"][0:1], T, axis=0))
        if c.get("embedding_norm", False):
            x = self.record(prefix + "embed_ln.out", self.norm(prefix + "embed_ln", x))
        return x

    def stack(self, prefix, ids, n_layers, mask, encoder_out=None):
        x = self.embed(prefix, ids)
        for l in range(n_layers):
            x = self.block(f"{prefix}blocks.{l}", x, mask, encoder_out)
        if self.c["norm_position"] == "pre":
            x = self.record(prefix + "ln_final.out", self.norm(prefix + "ln_final", x))
        return x

    def head(self, prefix, x):
        c, p = self.c, self.p
        if not c.get("lm_head", True):
            return
        if c.get("tied_embeddings", False):
            table = "embed.W_E" if c.get("shared_embeddings") else prefix + "embed.W_E"
            W_U = p[table].T
        else:
            W_U = p[prefix + "unembed.W_U"]
        logits = x @ W_U
        if prefix + "unembed.b_U" in p:
            logits = logits + p[prefix + "unembed.b_U"]
        self.record(prefix + "logits", logits)
        self.record(prefix + "probs", softmax(logits))


def forward(config, params, ids, mask=None, decoder_ids=None):
    """All hooks {name: float64 array} for `ids` (and, for an encoder-decoder, `decoder_ids`).
    `mask` overrides the config's self-attention mask (the decoder's, in an encoder-decoder)."""
    f = Forward(config, params)
    mask = mask or config.get("mask") or ("bidirectional" if config["architecture"] == "encoder" else "causal")
    arch = config["architecture"]
    if arch == "encoder-decoder":
        enc = f.stack("encoder.", ids, config["n_layers"], "bidirectional")
        n_dec = config.get("n_decoder_layers") or config["n_layers"]
        dec = f.stack("decoder.", decoder_ids, n_dec, mask, encoder_out=enc)
        f.head("decoder.", dec)
    else:
        x = f.stack("", ids, config["n_layers"], mask)
        f.head("", x)
    return f.hooks


# ----------------------------------------------------------------------------------------------
# Fixtures
# ----------------------------------------------------------------------------------------------

# (model, case name, text, target, mask override or None)
CASES = [
    ("tiny-gpt", "cat-mat", "the cat sat on the mat because it was tired", None, None),
    ("tiny-gpt", "zebra-unknown", "the zebra didn't cross the street, because it was tired!", None, None),
    ("tiny-gpt", "fox-bidirectional", "the quick brown fox jumps over the lazy dog", None, "bidirectional"),
    ("tiny-gpt", "dog-prefix3", "a dog chased the red ball", None, "prefix:3"),
    ("tiny-bert", "animal-tired", "the animal didn't cross the street because it was too tired", None, None),
    ("tiny-bert", "animal-wide", "the animal didn't cross the street because it was too wide", None, None),
    ("tiny-bert", "zebra-causal", "the zebra didn't cross the street, because it was tired!", None, "causal"),
    ("tiny-llama", "cat-mat", "the cat sat on the mat because it was tired", None, None),
    ("tiny-llama", "zebra-unknown", "the zebra didn't cross the street, because it was tired!", None, None),
    ("tiny-llama", "dog-ball", "a dog chased the red ball", None, None),
    ("tiny-transformer", "cat-mat", "the cat sat on the mat", "ethay atcay atsay onway ethay atmay", None),
    ("tiny-transformer", "zebra-unknown", "the zebra didn't cross the street, because it was tired!", None, None),
    ("tiny-transformer", "dog-ball", "a dog chased the red ball", "away ogday asedchay ethay edray allbay", None),
]


def write_case(out_dir, model_dir, name, case, text, target, mask):
    config, params, tok = load_model(model_dir)
    ids, tokens = tok.encode(text)
    dec_ids = dec_tokens = None
    if config["architecture"] == "encoder-decoder":
        start = config["decoder_start_token_id"]
        dec_ids = [start] + (tok.encode(target, special_tokens=False)[0] if target else [])
        dec_tokens = [tok.id_to_token[i] for i in dec_ids]
    used_mask = mask or config.get("mask") or "causal"
    hooks = forward(config, params, ids, mask=mask, decoder_ids=dec_ids)

    d = os.path.join(out_dir, name, case)
    if os.path.isdir(d):
        shutil.rmtree(d)
    os.makedirs(d)
    for hook, value in hooks.items():
        np.save(os.path.join(d, hook + ".npy"), np.ascontiguousarray(value.astype(np.float32)))
    info = {"model": name, "text": text, "target": target, "mask": used_mask, "ids": ids, "tokens": tokens}
    if dec_ids is not None:
        info["decoder_ids"] = dec_ids
        info["decoder_tokens"] = dec_tokens
    with open(os.path.join(d, "case.json"), "w", encoding="utf-8") as f:
        json.dump(info, f, indent=1, ensure_ascii=False)
        f.write("\n")
    # The same run laid out as an export, for check-export.py.
    tokens_json = {"ids": ids, "tokens": tokens, "display": tokens}
    if dec_ids is not None:
        tokens_json.update(decoder_ids=dec_ids, decoder_tokens=dec_tokens, decoder_display=dec_tokens)
    with open(os.path.join(d, "tokens.json"), "w", encoding="utf-8") as f:
        json.dump(tokens_json, f, ensure_ascii=False)
        f.write("\n")
    manifest = {"model": name, "architecture": config["architecture"], "norm": config["norm_position"],
                "mask": used_mask, "config": config,
                "input": {"text": text, "target": target},
                "hooks": {h: list(v.shape) for h, v in hooks.items()}}
    with open(os.path.join(d, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=False)
        f.write("\n")
    size = sum(os.path.getsize(os.path.join(d, x)) for x in os.listdir(d))
    summary = f"{name}/{case}: {len(ids)} tokens"
    if dec_ids is not None:
        summary += f", {len(dec_ids)} decoder tokens"
    summary += f", mask {used_mask}, {len(hooks)} hooks, {size / 1024:.0f} KB"
    head = "decoder.probs" if "decoder.probs" in hooks else "probs"
    if head in hooks:
        top = np.argmax(hooks[head], axis=-1)
        summary += "; next: " + " ".join(tok.id_to_token[int(t)] for t in top)
    print(summary)
    return size


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(HERE, "reference"), help="where to write the fixtures")
    ap.add_argument("--models", default=os.path.join(ROOT, "Models"), help="the bundled models' directory")
    args = ap.parse_args(argv)
    total = 0
    for name, case, text, target, mask in CASES:
        total += write_case(args.out, os.path.join(args.models, name), name, case, text, target, mask)
    print(f"{len(CASES)} cases, {total / 1024:.0f} KB in {args.out}")


if __name__ == "__main__":
    main()
