#!/usr/bin/env python3
"""Builds the four bundled models of Transformer Explorer with hand-constructed weights.

    python3 Models/construct.py            # writes Models/<name>/{config.json,model.safetensors,tokenizer.json}
    python3 Models/construct.py --check    # also runs each model and prints what its heads do

Nothing here is trained or random. Every weight is set from a few readable features, so a lesson
that shows an embedding, an attention pattern or an MLP neuron has something true to point at.
The models are deterministic: running the script twice writes identical bytes.

The shared vocabulary
---------------------
About 110 lower-case English words (articles, pronouns, animals, people, places, things, verbs,
adjectives, colours, prepositions, a few conjunctions and adverbs, punctuation . , ' ? !) plus, for
the encoder-decoder's toy translation task, each word's Pig Latin form ("cat" -> "atcay",
"the" -> "ethay", "apple" -> "appleway"; punctuation stays itself). Every model uses the same word
list; the special tokens differ: <pad> <unk> <s> </s> for tiny-gpt, tiny-llama and tiny-transformer,
[PAD] [UNK] [CLS] [SEP] [MASK] for tiny-bert. A word outside the list becomes the unknown token.

Word features
-------------
Each word belongs to one word class (see WORD_CLASSES), which gives it a few features:
det (articles, possessives, numbers), noun, animate (animals, people, "he", "she", and the
adjectives that describe living things: tired, hungry, ...), place (streets, rivers, ..., and the
adjectives that describe places: wide, narrow, long), pron, verb, adj, func (prepositions,
conjunctions, adverbs, punctuation). Two more numbers, an angle on a small circle, tell the words of
one class apart; classes that share features sit on different parts of the circle (animals and
people are both animate nouns, but at different angles), so a word's nearest neighbours are the
words of its own class. A Pig Latin word has its English word's features with the angle turned
a quarter circle (tiny-transformer, which translates, lays words out differently).

Each model lays these features out in its own residual stream; the model functions below document
their layouts dimension by dimension, and Models/README.md summarises them.
"""
import argparse
import json
import math
import os
import struct

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))

# ==============================================================================================
# Vocabulary
# ==============================================================================================

# (class name, words). The order is the vocabulary's order (after the special tokens).
WORD_CLASSES = [
    ("det", "the a an this that my his her their"),
    ("number", "one two three"),
    ("pron", "it"),
    ("pron_person", "i you he she we him"),
    ("pron_plural", "they them"),
    ("animal", "cat dog fox mouse bird horse cow fish animal"),
    ("person", "man woman boy girl child"),
    ("place", "street road river park house garden city"),
    ("thing", "mat ball hat box book tree car apple"),
    ("verb", "sat ran jumps chased saw ate cross crossed likes sleeps went found can"),
    ("copula", "is was are has didn"),
    ("adj_living", "tired hungry happy sad lazy quick"),
    ("adj_place", "wide narrow long"),
    ("adj", "big small old new good"),
    ("colour", "red blue green black white brown"),
    ("prep", "on in under over at to with across from of"),
    ("conj", "and but because so when or"),
    ("adv", "too very not there t s what where hello"),
    ("punct", ". , ' ? !"),
]

# The features of each class (before a model scales them), and where on the identity circle the
# class sits (degrees). Classes sharing features get different angles; the adjectives of living
# things and of places sit opposite each other, so one direction on the circle chooses between them.
CLASS_FEATURES = {
    "det": ({"det": 1.0}, 0),
    "number": ({"det": 1.0, "adj": 0.3}, 180),
    "pron": ({"pron": 1.0}, 0),
    "pron_person": ({"pron": 1.0, "animate": 0.5}, 120),
    "pron_plural": ({"pron": 1.0, "animate": 0.25}, 240),
    "animal": ({"noun": 1.0, "animate": 1.0}, 0),
    "person": ({"noun": 1.0, "animate": 1.0}, 180),
    "place": ({"noun": 1.0, "place": 1.0}, 90),
    "thing": ({"noun": 1.0}, 270),
    "verb": ({"verb": 1.0}, 0),
    "copula": ({"verb": 1.0}, 180),
    "adj_living": ({"adj": 1.0, "animate": 0.6}, 0),
    "adj_place": ({"adj": 1.0, "place": 0.6}, 180),
    "adj": ({"adj": 1.0}, 90),
    "colour": ({"adj": 1.0}, 270),
    "prep": ({"func": 1.0}, 0),
    "conj": ({"func": 1.0}, 90),
    "adv": ({"func": 1.0}, 180),
    "punct": ({"func": 1.0}, 270),
    # special tokens
    "unk": ({"noun": 1.0}, 45),
    "special": ({"func": 1.0}, 130),
}
SPREAD = 50.0  # degrees a class's words spread over on the identity circle


def pig_latin(word):
    """The Pig Latin form: a word starting with a vowel gets "way"; otherwise its leading
    consonants (with "qu" kept together; "y" after the first letter counts as a vowel) move to the
    end, followed by "ay". Punctuation is unchanged."""
    if not word.isalpha():
        return word
    if word[0] in "aeiou":
        return word + "way"
    i = 0
    while i < len(word) and word[i] not in "aeiou":
        if word[i] == "y" and i > 0:
            break
        i += 1
    if i < len(word) and word[i] == "u" and i > 0 and word[i - 1] == "q":
        i += 1
    return word[i:] + word[:i] + "ay"


class Token:
    """One vocabulary entry: its string, class, the English word it translates (Pig Latin) and
    its place on the identity circle."""

    def __init__(self, text, cls, angle, foreign=False, english=None, special=False):
        self.text, self.cls, self.angle = text, cls, angle
        self.foreign, self.english, self.special = foreign, english, special

    def features(self):
        return dict(CLASS_FEATURES[self.cls][0])


def vocabulary(specials):
    """The token list: `specials` (each (text, class)), the English words, then their Pig Latin
    forms (punctuation has none: it is the same in both)."""
    tokens = [Token(t, c, CLASS_FEATURES[c][1] + 4 * i, special=True) for i, (t, c) in enumerate(specials)]
    english = []
    for cls, words in WORD_CLASSES:
        ws = words.split()
        centre = CLASS_FEATURES[cls][1]
        for i, w in enumerate(ws):
            offset = 0.0 if len(ws) == 1 else SPREAD * (i / (len(ws) - 1) - 0.5)
            english.append(Token(w, cls, centre + offset))
    tokens += english
    for t in english:
        if t.cls != "punct":
            tokens.append(Token(pig_latin(t.text), t.cls, t.angle + 90, foreign=True, english=t.text))
    texts = [t.text for t in tokens]
    assert len(texts) == len(set(texts)), "vocabulary has duplicates"
    return tokens


PLAIN_SPECIALS = [("<pad>", "special"), ("<unk>", "unk"), ("<s>", "special"), ("</s>", "special")]
BERT_SPECIALS = [("[PAD]", "special"), ("[UNK]", "unk"), ("[CLS]", "special"), ("[SEP]", "special"),
                 ("[MASK]", "special")]

# ==============================================================================================
# Files
# ==============================================================================================


def write_safetensors(path, tensors):
    """Writes {name: array} as little-endian F32 safetensors: names sorted, the JSON header padded
    with spaces to a multiple of 8 bytes, `__metadata__` {"format": "pt"}."""
    header = {"__metadata__": {"format": "pt"}}
    blobs, offset = [], 0
    for name in sorted(tensors):
        a = np.ascontiguousarray(np.asarray(tensors[name], dtype="<f4"))
        b = a.tobytes()
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def template(single, pair, specials, ids):
    """A TemplateProcessing post-processor. `single` and `pair` are lists of (piece, type id),
    a piece being "$A", "$B" or a special token."""
    def items(seq):
        out = []
        for piece, type_id in seq:
            if piece.startswith("$"):
                out.append({"Sequence": {"id": piece[1:], "type_id": type_id}})
            else:
                out.append({"SpecialToken": {"id": piece, "type_id": type_id}})
        return out
    return {"type": "TemplateProcessing", "single": items(single), "pair": items(pair),
            "special_tokens": {s: {"id": s, "ids": [ids[s]], "tokens": [s]} for s in specials}}


def tokenizer_json(tokens, unk, post_processor):
    vocab = {t.text: i for i, t in enumerate(tokens)}
    added = [{"id": i, "content": t.text, "single_word": False, "lstrip": False, "rstrip": False,
              "normalized": False, "special": True} for i, t in enumerate(tokens) if t.special]
    return {"version": "1.0", "truncation": None, "padding": None, "added_tokens": added,
            "normalizer": {"type": "Lowercase"}, "pre_tokenizer": {"type": "Whitespace"},
            "post_processor": post_processor, "decoder": None,
            "model": {"type": "WordLevel", "vocab": vocab, "unk_token": unk}}


def write_model(name, config, params, tokenizer, out_root):
    d = os.path.join(out_root, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    with open(os.path.join(d, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer, f, indent=1, ensure_ascii=False)
        f.write("\n")
    write_safetensors(os.path.join(d, "model.safetensors"), params)
    return d

# ==============================================================================================
# Building blocks
# ==============================================================================================

def three_phase(theta):
    """A turning clock hand written in three numbers that always sum to zero and whose squares
    always sum to 3/2: (cos θ, cos(θ − 120°), cos(θ + 120°)). LayerNorm's mean subtraction leaves
    it alone and its length never changes, so a norm does not disturb it."""
    return np.array([np.cos(theta), np.cos(theta - 2 * np.pi / 3), np.cos(theta + 2 * np.pi / 3)])


# Reads (cos θ, sin θ) back from a three-phase hand of radius 1: [a b c] @ THREE_TO_TWO.
THREE_TO_TWO = np.array([[2 / 3, 0.0], [-1 / 3, 1 / np.sqrt(3)], [-1 / 3, -1 / np.sqrt(3)]])


def turn_back(omega):
    """The 2x2 matrix taking the row (cos θ, sin θ) to (cos(θ − ω), sin(θ − ω))."""
    return np.array([[np.cos(omega), -np.sin(omega)], [np.sin(omega), np.cos(omega)]])


def class_vectors(tokens, layout, size, id_dims, norm=1.5, signed_animate=True, place_value=-1.0):
    """Raw feature vectors [V, size]: each token's class features placed by `layout`
    ({feature: dim}), plus its identity angle on `id_dims` with the radius that brings every
    token's raw length to `norm` (a class with few features gets a larger circle)."""
    E = np.zeros((len(tokens), size))
    for v, t in enumerate(tokens):
        f = t.features()
        if signed_animate and "place" in f:
            f["animate"] = f.get("animate", 0.0) + place_value * f.pop("place")
        for name, value in f.items():
            if name in layout:
                E[v, layout[name]] += value
        radius = math.sqrt(max(norm ** 2 - float(np.sum(E[v] ** 2)), 0.16))
        a = math.radians(t.angle)
        E[v, id_dims[0]] += radius * math.cos(a)
        E[v, id_dims[1]] += radius * math.sin(a)
    return E


def ln_normalise(E, length):
    """Scales each row so that, once LayerNorm subtracts its mean, it has the given length: then
    every token reaches the first norm at the same scale."""
    centred = E - E.mean(axis=1, keepdims=True)
    return E * (length / np.linalg.norm(centred, axis=1, keepdims=True))


def rms_normalise(E, length):
    """Scales each row to the given length (what RMSNorm divides by is then the same for all)."""
    return E * (length / np.linalg.norm(E, axis=1, keepdims=True))


def empty_block(D, H, Hkv, dh, F, bias, gated, prefix, norms):
    """Zero weights for one block, named as in DESIGN.md; `norms` lists its norm names."""
    p = {}
    for n in norms:
        p[f"{prefix}.{n}.w"] = np.ones(D)
        if bias:
            p[f"{prefix}.{n}.b"] = np.zeros(D)
    for attn in ["attn"] + (["cross_attn"] if "ln_cross" in norms else []):
        a = f"{prefix}.{attn}"
        p[a + ".W_Q"] = np.zeros((H, D, dh))
        p[a + ".W_K"] = np.zeros((Hkv, D, dh))
        p[a + ".W_V"] = np.zeros((Hkv, D, dh))
        p[a + ".W_O"] = np.zeros((H, dh, D))
        if bias:
            p[a + ".b_Q"] = np.zeros((H, dh))
            p[a + ".b_K"] = np.zeros((Hkv, dh))
            p[a + ".b_V"] = np.zeros((Hkv, dh))
            p[a + ".b_O"] = np.zeros(D)
    p[f"{prefix}.mlp.W_in"] = np.zeros((D, F))
    if gated:
        p[f"{prefix}.mlp.W_gate"] = np.zeros((D, F))
    p[f"{prefix}.mlp.W_out"] = np.zeros((F, D))
    if bias:
        p[f"{prefix}.mlp.b_in"] = np.zeros(F)
        p[f"{prefix}.mlp.b_out"] = np.zeros(D)
    return p


class Neurons:
    """Fills an MLP one neuron at a time: `add(reads, bias, writes)` with {dim: weight} maps."""

    def __init__(self, params, prefix, gated=False):
        self.p, self.prefix, self.gated, self.n = params, prefix, gated, 0

    def add(self, reads, bias, writes, up=None):
        p, k = self.p, self.n
        into = p[self.prefix + (".W_gate" if self.gated else ".W_in")]
        if k >= into.shape[1]:
            raise ValueError(f"{self.prefix}: more neurons than d_ff")
        for d, w in reads.items():
            into[d, k] = w
        if self.gated:
            for d, w in (up or {}).items():
                p[self.prefix + ".W_in"][d, k] = w
        elif bias:
            p[self.prefix + ".b_in"][k] = bias
        for d, w in writes.items():
            p[self.prefix + ".W_out"][k, d] = w
        self.n += 1
        return k

    def add_straight(self, reads, writes):
        """Two neurons passing a number through unchanged: act(x) - act(-x) = x exactly for ReLU
        (one carries x when positive, the other when negative) and for both GELUs (Φ(x) + Φ(-x) = 1;
        tanh is odd). `reads` gives x, `writes` where x goes."""
        self.add(reads, 0.0, writes)
        self.add({d: -w for d, w in reads.items()}, 0.0, {d: -w for d, w in writes.items()})

# ==============================================================================================
# tiny-gpt
# ==============================================================================================
#
# Residual stream, D = 16. Every embedding and every clock hand has the same length, so the first
# LayerNorm divides every token by the same σ (about 1); it also subtracts each token's mean, which
# the heads undo where it matters (see raw).
#   0 det    1 noun    2 animate (+1 animals and people, -1 places, 0 things; adjectives that
#   describe living things +0.6, those describing places -0.6)    3 pron    4 verb    5 adj
#   6 func   7-8 identity circle   9 "after": what kind of word came before (+ a determiner,
#   number or adjective; - a verb or function word), written by head 0.0
#   10-12 fast clock (turns 64° a position)   13-15 slow clock (10° a position), the learned
#   position table written as three-phase clock hands.
# Block 0's MLP is switched off (all zero): block 0 only moves information between positions.

GPT = dict(det=0, noun=1, animate=2, pron=3, verb=4, adj=5, func=6)
GPT_ID, GPT_AFTER, GPT_FAST, GPT_SLOW = (7, 8), 9, [10, 11, 12], [13, 14, 15]
FAST, SLOW = math.radians(64), math.radians(10)


def clock_reader(dims, radius, turn=0.0, gain=1.0, size=16):
    """[size, 2] weights reading a three-phase clock in `dims` as (cos, sin), turned back by `turn`."""
    W = np.zeros((size, 2))
    W[dims, :] = THREE_TO_TWO @ turn_back(turn) * (gain / radius)
    return W


def raw(weights, clocks=GPT_FAST + GPT_SLOW, size=16):
    """A column reading features {dim: weight} as they were before LayerNorm subtracted the
    token's mean. The clock dimensions always sum to zero, so after the norm their sum is minus
    six times what was subtracted (over σ); adding a sixth of the weight back from each clock
    undoes it. Without this a word with no 'pron' would read about -0.3 there."""
    col = np.zeros(size)
    for d, w in weights.items():
        col[d] += w
    col[clocks] -= sum(weights.values()) / len(clocks)
    return col


def build_gpt():
    tokens = vocabulary(PLAIN_SPECIALS)
    ids = {t.text: i for i, t in enumerate(tokens)}
    V, D, H, dh, F, T = len(tokens), 16, 2, 8, 64, 32
    R, r = 3.0, 1.53  # the embedding's and each clock's length: 9 + 2 * 1.5 * r^2 = 16, so LayerNorm's σ ≈ 1
    p = {}
    E = class_vectors(tokens, GPT, 16, GPT_ID)
    p["embed.W_E"] = ln_normalise(E, R)
    pos = np.zeros((T, D))
    for t in range(T):
        pos[t, GPT_FAST] = r * three_phase(FAST * t)
        pos[t, GPT_SLOW] = r * three_phase(SLOW * t)
    p["pos_embed.W_pos"] = pos
    for l in range(2):
        p.update(empty_block(D, H, H, dh, F, True, False, f"blocks.{l}", ["ln1", "ln2"]))
    p["ln_final.w"], p["ln_final.b"] = np.ones(D), np.zeros(D)
    g = math.sqrt(8.0 * math.sqrt(dh))  # q·k of 8 per clock after the 1/sqrt(dh) scaling

    # Head 0.0, previous token: the query is the clock hands turned back one position.
    a = "blocks.0.attn"
    p[a + ".W_Q"][0][:, 0:2] = clock_reader(GPT_FAST, r, FAST, g)
    p[a + ".W_Q"][0][:, 2:4] = clock_reader(GPT_SLOW, r, SLOW, g)
    p[a + ".W_K"][0][:, 0:2] = clock_reader(GPT_FAST, r, 0, g)
    p[a + ".W_K"][0][:, 2:4] = clock_reader(GPT_SLOW, r, 0, g)
    # its value: +1 for a word that opens a noun phrase (det, number, adjective), -1 after a verb or
    # function word; written to dimension 9 ("after").
    for f, w in dict(det=1.0, adj=1.0, verb=-1.0, func=-1.0).items():
        p[a + ".W_V"][0][GPT[f], 0] = w
    p[a + ".W_O"][0][0, GPT_AFTER] = 0.4

    # Head 0.1, pronoun -> noun: a pronoun's query meets every noun's key (animate nouns a bit more);
    # other words find their own position (the clocks unturned) and keep to themselves.
    p[a + ".W_Q"][1][:, 0] = raw({GPT["pron"]: 3.0})
    p[a + ".W_K"][1][:, 0] = raw({GPT["noun"]: 3.0, GPT["animate"]: 1.5})
    gs = math.sqrt(4.0 * math.sqrt(dh))
    p[a + ".W_Q"][1][:, 1:3] = clock_reader(GPT_FAST, r, 0, gs)
    p[a + ".W_Q"][1][:, 3:5] = clock_reader(GPT_SLOW, r, 0, gs)
    p[a + ".W_K"][1][:, 1:3] = clock_reader(GPT_FAST, r, 0, gs)
    p[a + ".W_K"][1][:, 3:5] = clock_reader(GPT_SLOW, r, 0, gs)
    p[a + ".W_V"][1][GPT["noun"], 0] = 1.0
    p[a + ".W_V"][1][GPT["animate"], 1] = 1.0
    p[a + ".W_O"][1][0, GPT["noun"]] = 0.35
    p[a + ".W_O"][1][1, GPT["animate"]] = 0.5

    # Head 1.0, the latest noun or pronoun (the subject so far): every query is the same (a bias)
    # and meets nouns and pronouns, plus the slow clock so that a nearer one wins.
    a = "blocks.1.attn"
    p[a + ".b_Q"][0][0] = 3.0
    p[a + ".W_K"][0][:, 0] = raw({GPT["noun"]: 3.0, GPT["pron"]: 3.0})
    gr = math.sqrt(10.0 * math.sqrt(dh))
    p[a + ".W_Q"][0][:, 1:3] = clock_reader(GPT_SLOW, r, 0, gr)
    p[a + ".W_K"][0][:, 1:3] = clock_reader(GPT_SLOW, r, 0, gr)
    p[a + ".W_V"][0][GPT["animate"], 0] = 1.0
    p[a + ".W_O"][0][0, GPT["animate"]] = 0.7

    # Head 1.1, the same word earlier: query and key are the word's class and identity circle, so a
    # word meets itself and any earlier copy equally (the second 'the' splits between itself and the
    # first), and leans a little towards words of its own class. It only looks: its value is zero.
    sim = [GPT[f] for f in ("det", "noun", "pron", "verb", "adj", "func")] + list(GPT_ID)
    for k, d in enumerate(sim):
        p[a + ".W_Q"][1][:, k] = raw({d: 1.3})
        p[a + ".W_K"][1][:, k] = raw({d: 1.3})

    config = dict(model_type="explorer", architecture="decoder", norm_position="pre", norm="layernorm",
                  norm_eps=1e-5, activation="gelu_tanh", gated_mlp=False, positional="learned",
                  vocab_size=V, d_model=D, n_heads=H, d_head=dh, d_ff=F, n_layers=2, max_positions=T,
                  bias=True, tied_embeddings=False, lm_head=True, mask="causal",
                  bos_token_id=ids["<s>"], eos_token_id=ids["</s>"], pad_token_id=ids["<pad>"],
                  unk_token_id=ids["<unk>"])
    gpt_mlp(p, "blocks.1.mlp")
    p["unembed.W_U"], p["unembed.b_U"] = gpt_unembed(tokens)
    return config, p, tokenizer_json(tokens, "<unk>", None), tokens


def class_centre(cls):
    a = math.radians(CLASS_FEATURES[cls][1])
    return np.array([math.cos(a), math.sin(a)])


def gpt_mlp(p, prefix, vote=3.0):
    """Block 1's MLP, the next-word rules. Neurons 0-15 are eight pairs that erase what the word
    itself was, its class and its place on the identity circle (see Neurons.add_straight); the
    others fire on one condition each and write what should come next in the same
    dimensions: a class, and on the identity circle which part of that class (the animals sit near
    0°, places near 90°, ...). The final residual is then a sketch of the next word, which
    unembed.W_U compares with every word. Conditions read LayerNorm's output, where a word's own
    class reads about 1.8 and an absent feature about -0.3; 'animate' there is the subject's,
    brought by head 1.0 (and the word's own, for nouns and adjectives)."""
    n = Neurons(p, prefix)
    for d in [GPT[f] for f in ("det", "noun", "pron", "verb", "adj", "func")] + list(GPT_ID):
        n.add_straight({d: 1.0}, {d: -1.0})
    ID, A = GPT_ID, GPT["animate"]

    def rule(reads, bias, votes, towards=None, strength=0.5):
        writes = {GPT[f]: vote * v / 4.0 for f, v in votes.items()}
        if towards is not None:
            c = class_centre(towards) * strength * vote / 4.0
            writes[ID[0]] = writes.get(ID[0], 0.0) + c[0]
            writes[ID[1]] = writes.get(ID[1], 0.0) + c[1]
        n.add(reads, bias, writes)

    def is_(f):
        return {GPT[f]: 5.0}
    # a determiner or number: a noun or an adjective follows
    rule(is_("det"), -5.0, dict(noun=1.0, adj=0.6))
    # a noun: a verb, or a preposition or punctuation
    rule({GPT["noun"]: 6.0}, -4.0, dict(verb=1.0, func=0.6), towards="prep")
    # a pronoun: a verb
    rule(is_("pron"), -5.0, dict(verb=1.2))
    # an ordinary verb (identity circle near 0°): a determiner, preposition or pronoun
    rule({GPT["verb"]: 4.0, ID[0]: 3.0}, -8.0, dict(det=1.0, func=0.5, pron=0.3), towards="prep")
    # is, was, are, has, didn (near 180°): an adjective, a determiner or an adverb (too, very, not)
    rule({GPT["verb"]: 4.0, ID[0]: -3.0}, -8.0, dict(adj=1.0, det=0.5, func=0.6), towards="adv")
    # an adverb (too, very, not: 180°): an adjective
    rule({GPT["func"]: 4.0, ID[0]: -3.0}, -8.0, dict(adj=1.2))
    # ... after is/was or an adverb, a living subject asks for tired, hungry, ...; a place for wide, narrow
    for sign, kind in ((1.0, "adj_living"), (-1.0, "adj_place")):
        rule({GPT["verb"]: 4.0, GPT["func"]: 4.0, ID[0]: -4.0, A: 5.0 * sign, GPT["noun"]: -6.0,
              GPT["adj"]: -6.0, GPT["pron"]: -6.0}, -14.0, {}, towards=kind,
             strength=1.5)
    # an adjective after a determiner or adjective (attributive): a noun, an animal after
    # 'lazy' or 'quick', a place after 'wide' or 'long'
    rule({GPT["adj"]: 4.0, GPT_AFTER: 6.0}, -5.0, dict(noun=1.2, adj=0.2))
    for sign, kind in ((1.0, "animal"), (-1.0, "place")):
        rule({GPT["adj"]: 5.0, GPT_AFTER: 3.0, A: 2.0 * sign, GPT["noun"]: -6.0, GPT["pron"]: -6.0},
             -10.0, {}, towards=kind, strength=1.5)
    # an adjective after a verb or adverb (predicative): punctuation or a conjunction
    rule({GPT["adj"]: 4.0, GPT_AFTER: -6.0}, -5.0, dict(func=1.2), towards="punct")
    # a preposition (0°): a determiner
    rule({GPT["func"]: 4.0, ID[0]: 3.0}, -8.0, dict(det=1.2, pron=0.2))
    # a conjunction (90°): a pronoun or a determiner
    rule({GPT["func"]: 4.0, ID[1]: 3.0}, -8.0, dict(pron=1.0, det=0.8))
    # punctuation (270°): a determiner or pronoun starts the next sentence
    rule({GPT["func"]: 4.0, ID[1]: -3.0}, -8.0, dict(det=0.8, pron=0.8))


# How common each word is, as a logit bias (unembed.b_U); words not listed get 0.
UNIGRAM = {"the": 1.5, "a": 1.0, "it": 0.5, "was": 0.8, "is": 0.5, "on": 0.5, "in": 0.5, "to": 0.3,
           "and": 0.5, "because": 0.3, ".": 1.0, ",": 0.5, "?": -0.5, "!": -0.5, "'": -1.0, "t": -1.5,
           "s": -1.5, "cat": 0.5, "dog": 0.5, "animal": 0.3, "street": 0.3, "mat": 0.3, "ball": 0.3,
           "tired": 0.3, "hello": -1.0, "didn": -0.5, "what": -0.5, "where": -0.5, "there": -0.5}


def gpt_unembed(tokens, gain=2.0):
    """unembed.W_U compares the sketch of the next word with each word: a word's column is its
    class (det, noun, pron, verb, adj or func) plus, at 0.5, the direction of its class on the
    identity circle. unembed.b_U holds how common each word is; the Pig Latin words and the special
    tokens other than </s> are pushed far down."""
    W = np.zeros((16, len(tokens)))
    b = np.zeros(len(tokens))
    for v, t in enumerate(tokens):
        if t.foreign or t.special:
            b[v] = -2.0 if t.text == "</s>" else -10.0
            continue
        col = {}
        for name, value in t.features().items():
            if name in ("det", "noun", "pron", "verb", "adj", "func"):
                col[GPT[name]] = gain * value
        c = class_centre(t.cls) * 0.5 * gain
        col[GPT_ID[0]], col[GPT_ID[1]] = c[0], c[1]
        W[:, v] = raw(col)
        b[v] = UNIGRAM.get(t.text, 0.0)
    return W, b


# ==============================================================================================
# tiny-bert
# ==============================================================================================
#
# The same layout as tiny-gpt, except dimension 9, "wants": the kind of thing a pronoun's
# description asks for (+ living, - a place), written by head 0.1 and made firm by block 0's MLP.
# The model answers the old puzzle "the animal didn't cross the street because it was too tired
# / too wide": what does "it" refer to? Seeing the whole sentence at once, "it" first looks ahead
# to the adjective describing it (head 0.1), then, one block later, looks for a noun of the kind
# that adjective describes (head 1.0).

BERT_WANTS = 9


def build_bert():
    tokens = vocabulary(BERT_SPECIALS)
    ids = {t.text: i for i, t in enumerate(tokens)}
    V, D, H, dh, F, T = len(tokens), 16, 2, 8, 64, 32
    R, r = 3.0, 1.53
    p = {}
    p["embed.W_E"] = ln_normalise(class_vectors(tokens, GPT, 16, GPT_ID), R)
    pos = np.zeros((T, D))
    for t in range(T):
        pos[t, GPT_FAST] = r * three_phase(FAST * t)
        pos[t, GPT_SLOW] = r * three_phase(SLOW * t)
    p["pos_embed.W_pos"] = pos
    # Segment A adds nothing; segment B (never used by the lessons) adds the same number to every
    # dimension, which the embedding LayerNorm then removes.
    p["embed_type.W_type"] = np.stack([np.zeros(D), np.full(D, 0.5)])
    p["embed_ln.w"], p["embed_ln.b"] = np.ones(D), np.zeros(D)
    for l in range(2):
        p.update(empty_block(D, H, H, dh, F, True, False, f"blocks.{l}", ["ln1", "ln2"]))
    g = math.sqrt(8.0 * math.sqrt(dh))
    gs = math.sqrt(4.0 * math.sqrt(dh))

    def keep_to_self(a, h, first):
        """Dimensions first..first+3 of head h: query and key are the clocks unturned, so a word
        with nothing else to look for looks at itself."""
        p[a + ".W_Q"][h][:, first:first + 2] = clock_reader(GPT_FAST, r, 0, gs)
        p[a + ".W_Q"][h][:, first + 2:first + 4] = clock_reader(GPT_SLOW, r, 0, gs)
        p[a + ".W_K"][h][:, first:first + 2] = clock_reader(GPT_FAST, r, 0, gs)
        p[a + ".W_K"][h][:, first + 2:first + 4] = clock_reader(GPT_SLOW, r, 0, gs)

    # Head 0.0, previous token, as in tiny-gpt (here the next token is visible too, and loses).
    a = "blocks.0.attn"
    for turn, first in ((FAST, GPT_FAST), (SLOW, GPT_SLOW)):
        k = 0 if first is GPT_FAST else 2
        p[a + ".W_Q"][0][:, k:k + 2] = clock_reader(first, r, turn, g)
        p[a + ".W_K"][0][:, k:k + 2] = clock_reader(first, r, 0, g)
    # value: whether the previous word was a determiner, a verb or a function word, added at a
    # quarter strength to the same three dimensions (the ones the pronoun circuit never reads)
    for k, f in enumerate(("det", "verb", "func")):
        p[a + ".W_V"][0][:, k] = raw({GPT[f]: 1.0})
        p[a + ".W_O"][0][k, GPT[f]] = 0.25

    # Head 0.1, a pronoun looks for the adjective describing it, before or after it.
    p[a + ".W_Q"][1][:, 0] = raw({GPT["pron"]: 3.0})
    p[a + ".W_K"][1][:, 0] = raw({GPT["adj"]: 3.0})
    keep_to_self(a, 1, 1)
    # value: the adjective's lean (+0.6 living, -0.6 places), into 'wants'
    p[a + ".W_V"][1][:, 0] = raw({GPT["animate"]: 1.0})
    p[a + ".W_O"][1][0, BERT_WANTS] = 1.0

    # Block 0's MLP makes up the pronoun's mind: two neurons, one for each sign, amplify the lean in
    # 'wants' about 2.5 times. They need 'pron' to fire, so only pronouns are touched.
    n = Neurons(p, "blocks.0.mlp")
    for sign in (1.0, -1.0):
        reads = raw({BERT_WANTS: 3.0 * sign, GPT["pron"]: 6.0})
        n.add({d: w for d, w in enumerate(reads) if w}, -8.0, {BERT_WANTS: 0.5 * sign})

    # Head 1.0, a pronoun looks for the noun it refers to: any noun, and one of the kind it wants
    # much more.
    a = "blocks.1.attn"
    p[a + ".W_Q"][0][:, 0] = raw({GPT["pron"]: 3.0})
    p[a + ".W_K"][0][:, 0] = raw({GPT["noun"]: 3.0})
    p[a + ".W_Q"][0][:, 1] = raw({BERT_WANTS: 2.0})
    p[a + ".W_K"][0][:, 1] = raw({GPT["animate"]: 2.0})
    keep_to_self(a, 0, 2)
    # value: the noun's animacy, into the pronoun's own 'animate'
    p[a + ".W_V"][0][:, 0] = raw({GPT["animate"]: 1.0})
    p[a + ".W_O"][0][0, GPT["animate"]] = 0.5

    # Head 1.1, next token: the clocks turned forward one position.
    for turn, first, k in ((-FAST, GPT_FAST, 0), (-SLOW, GPT_SLOW, 2)):
        p[a + ".W_Q"][1][:, k:k + 2] = clock_reader(first, r, turn, g)
        p[a + ".W_K"][1][:, k:k + 2] = clock_reader(first, r, 0, g)

    config = dict(model_type="explorer", architecture="encoder", norm_position="post", norm="layernorm",
                  norm_eps=1e-12, activation="gelu", gated_mlp=False, positional="learned",
                  vocab_size=V, d_model=D, n_heads=H, d_head=dh, d_ff=F, n_layers=2, max_positions=T,
                  type_vocab_size=2, embedding_norm=True, bias=True, tied_embeddings=False,
                  lm_head=False, mask="bidirectional", pad_token_id=ids["[PAD]"],
                  unk_token_id=ids["[UNK]"])
    post = template([("[CLS]", 0), ("$A", 0), ("[SEP]", 0)],
                    [("[CLS]", 0), ("$A", 0), ("[SEP]", 0), ("$B", 1), ("[SEP]", 1)],
                    ["[CLS]", "[SEP]"], ids)
    return config, p, tokenizer_json(tokens, "[UNK]", post), tokens


# ==============================================================================================
# tiny-llama
# ==============================================================================================
#
# Residual stream, D = 16 (RMSNorm divides by the root mean square; every embedding has the same
# length, 4, so at the first norm nothing moves; no mean is subtracted, so no correction is needed):
#   0 det   1 noun   2 animate   3 pron   4 verb   5 adj   6 func   7-8 identity circle (as tiny-gpt)
#   9 after (what came before, written by heads 0.0 and 0.1)   10 bos (1 only for <s>)
#   11 one (the same for every token: the model has no biases, so a weight on this dimension acts
#   as one)   12 about (how animate the thing this word is about is: a pronoun's referent, a
#   verb's subject; written by heads 0.2 and 0.3, passed on by head 1.0)   13-15 unused (zero).
# Positions are not in the residual at all: RoPE turns queries and keys inside each attention.
# With d_head = 4 there are two RoPE pairs: dimensions (0, 2) turn 1 radian per position,
# (1, 3) 0.01 radians (nearly still).

LLAMA = dict(det=0, noun=1, animate=2, pron=3, verb=4, adj=5, func=6)
LLAMA_ID, LLAMA_AFTER, LLAMA_BOS, LLAMA_ONE, LLAMA_ABOUT = (7, 8), 9, 10, 11, 12


def build_llama():
    tokens = vocabulary(PLAIN_SPECIALS)
    ids = {t.text: i for i, t in enumerate(tokens)}
    V, D, H, Hkv, dh, F, T = len(tokens), 16, 4, 2, 4, 48, 32
    E = class_vectors(tokens, LLAMA, D, LLAMA_ID)
    bos = ids["<s>"]
    E[bos] = 0.0
    E[bos, LLAMA_BOS] = 1.0
    E = rms_normalise(E, math.sqrt(15.0))
    E[:, LLAMA_ONE] = 1.0  # length 4 in all: RMSNorm divides by exactly 1
    p = {"embed.W_E": E}
    for l in range(2):
        p.update(empty_block(D, H, Hkv, dh, F, False, True, f"blocks.{l}", ["ln1", "ln2"]))
    p["ln_final.w"] = np.ones(D)

    def rope_pair(W, head, pair, amplitude, phase, reads=LLAMA_ONE):
        """Sets RoPE pair `pair` (0: dims 0 and 2, turning 1 rad per position; 1: dims 1 and 3,
        0.01 rad) of one head to a fixed vector of length `amplitude` at angle `phase`, read
        from the 'one' dimension."""
        W[head][reads, pair] = amplitude * math.cos(phase)
        W[head][reads, pair + 2] = amplitude * math.sin(phase)

    # Block 0, key/value head 0 (shared by query heads 0 and 1): the key is the same fixed vector for
    # every token, so after RoPE it only says where the token is.
    a = "blocks.0.attn"
    A, B = math.sqrt(24.0), math.sqrt(200.0)  # scaled score amplitudes 12 and 100
    rope_pair(p[a + ".W_K"], 0, 0, A, 0.0)
    rope_pair(p[a + ".W_K"], 0, 1, B, 0.0)
    # head 0.0, previous token: the fast pair peaks one position back, the slow pair takes
    # 1 per position of distance off (it stops the fast pair's second peak 7 positions back)
    rope_pair(p[a + ".W_Q"], 0, 0, A, -1.0)
    rope_pair(p[a + ".W_Q"], 0, 1, B, math.pi / 2)
    # head 0.1, two tokens back: the same key, the query turned two positions instead of one
    rope_pair(p[a + ".W_Q"], 1, 0, A, -2.0)
    rope_pair(p[a + ".W_Q"], 1, 1, B, math.pi / 2)
    # value: + for a word that opens a noun phrase (det, number, adjective), - for a verb or
    # function word; head 0.0 writes it to 'after', head 0.1 half as much
    for f, w in dict(det=1.0, adj=1.0, verb=-1.0, func=-1.0).items():
        p[a + ".W_V"][0][LLAMA[f], 0] = w
    p[a + ".W_O"][0][0, LLAMA_AFTER] = 0.25
    p[a + ".W_O"][1][0, LLAMA_AFTER] = 0.12

    # Key/value head 1 (query heads 2 and 3): only the slow pair, which barely turns, so these
    # keys say what a word is, not where: dimension 1 'a noun or pronoun' (animate a bit more),
    # dimension 3 'this is <s>'.
    p[a + ".W_K"][1][LLAMA["noun"], 1] = 1.6
    p[a + ".W_K"][1][LLAMA["pron"], 1] = 1.1
    p[a + ".W_K"][1][LLAMA["animate"], 1] = 0.5
    p[a + ".W_K"][1][LLAMA_BOS, 3] = 1.76
    # head 0.2, pronoun -> noun; head 0.3, verb -> its subject. Both ask every token's question
    # 'is this <s>?' a little, so a word with nothing to find rests on <s>, whose value is zero.
    p[a + ".W_Q"][2][LLAMA["pron"], 1] = 1.6
    p[a + ".W_Q"][3][LLAMA["verb"], 1] = 1.6
    for h in (2, 3):
        p[a + ".W_Q"][h][LLAMA_ONE, 3] = 1.76
    # value: how animate the noun is, into 'about'
    p[a + ".W_V"][1][LLAMA["animate"], 0] = 1.0
    p[a + ".W_O"][2][0, LLAMA_ABOUT] = 0.5
    p[a + ".W_O"][3][0, LLAMA_ABOUT] = 0.5

    config = dict(model_type="explorer", architecture="decoder", norm_position="pre", norm="rmsnorm",
                  norm_eps=1e-6, activation="silu", gated_mlp=True, positional="rope", rope_theta=10000.0,
                  vocab_size=V, d_model=D, n_heads=H, n_kv_heads=Hkv, d_head=dh, d_ff=F, n_layers=2,
                  max_positions=T, bias=False, tied_embeddings=False, lm_head=True, mask="causal",
                  bos_token_id=bos, eos_token_id=ids["</s>"], pad_token_id=ids["<pad>"],
                  unk_token_id=ids["<unk>"])
    # Block 1. Head 1.0, previous token again (RoPE, as head 0.0): passes on 'about', so 'too'
    # in 'it was too ...' learns what 'was' was about.
    a = "blocks.1.attn"
    rope_pair(p[a + ".W_K"], 0, 0, A, 0.0)
    rope_pair(p[a + ".W_K"], 0, 1, B, 0.0)
    rope_pair(p[a + ".W_Q"], 0, 0, A, -1.0)
    rope_pair(p[a + ".W_Q"], 0, 1, B, math.pi / 2)
    p[a + ".W_V"][0][LLAMA_ABOUT, 0] = 1.0
    p[a + ".W_O"][0][0, LLAMA_ABOUT] = 1.0
    # Head 1.1 shares those keys and looks two tokens back, passing on half of that word's 'about'.
    rope_pair(p[a + ".W_Q"], 1, 0, A, -2.0)
    rope_pair(p[a + ".W_Q"], 1, 1, B, math.pi / 2)
    p[a + ".W_O"][1][0, LLAMA_ABOUT] = 0.5
    # Heads 1.2 and 1.3 ask every token 'are you <s>?' and rest there. Their value is zero: in this
    # block they have nothing to do, as many heads in real models.
    p[a + ".W_K"][1][LLAMA_BOS, 3] = 2.0
    for h in (2, 3):
        p[a + ".W_Q"][h][LLAMA_ONE, 3] = 5.0

    llama_mlp0(p, "blocks.0.mlp")
    llama_mlp1(p, "blocks.1.mlp")
    p["unembed.W_U"] = llama_unembed(tokens)
    post = template([("<s>", 0), ("$A", 0)], [("<s>", 0), ("$A", 0), ("<s>", 1), ("$B", 1)], ["<s>"], ids)
    return config, p, tokenizer_json(tokens, "<unk>", post), tokens


def llama_mlp0(p, prefix, vote=3.0):
    """Block 0's SwiGLU MLP, the next-word rules (tiny-gpt's, in gated form). A SwiGLU neuron
    multiplies silu(gate) by 'up'. Neurons 0-7 have a constant gate (read from 'one') and an up
    that reads one class or identity dimension: silu of a constant is a constant, so each is an
    exact straight line, erasing what the word itself was. The rule neurons have a gate that
    reads a condition and an up of exactly 1 ('one'): silu(condition) is about the condition when
    it holds and about 0 when not. Each rule writes what kind of word comes next."""
    n = Neurons(p, prefix, gated=True)
    G = 4.0
    g = G / (1.0 + math.exp(-G))  # silu(4)
    L, ID = LLAMA, LLAMA_ID
    for d in [L[f] for f in ("det", "noun", "pron", "verb", "adj", "func")] + list(ID):
        n.add({LLAMA_ONE: G}, 0.0, {d: -1.0 / g}, up={d: 1.0})

    def rule(reads, bias, votes, towards=None, strength=0.5):
        writes = {L[f]: vote * v / 4.0 for f, v in votes.items()}
        if towards is not None:
            c = class_centre(towards) * strength * vote / 4.0
            writes[ID[0]] = writes.get(ID[0], 0.0) + c[0]
            writes[ID[1]] = writes.get(ID[1], 0.0) + c[1]
        reads = dict(reads)
        reads[LLAMA_ONE] = reads.get(LLAMA_ONE, 0.0) + bias
        n.add(reads, 0.0, writes, up={LLAMA_ONE: 1.0})

    def is_(f):
        return {L[f]: 4.0}
    # a word's own class reads about 2.6 here, an absent one 0
    rule(is_("det"), -5.0, dict(noun=1.0, adj=0.6))
    rule(is_("noun"), -5.0, dict(verb=1.0, func=0.6), towards="prep")
    rule(is_("pron"), -5.0, dict(verb=1.2))
    rule({L["verb"]: 3.0, ID[0]: 2.0}, -8.0, dict(det=1.0, func=0.5, pron=0.3), towards="prep")
    rule({L["verb"]: 3.0, ID[0]: -2.0}, -8.0, dict(adj=1.0, det=0.5, func=0.6), towards="adv")
    rule({L["func"]: 3.0, ID[0]: -2.0}, -8.0, dict(adj=1.2))
    rule({L["adj"]: 3.0, LLAMA_AFTER: 6.0}, -6.0, dict(noun=1.2, adj=0.2))
    for sign, kind in ((1.0, "animal"), (-1.0, "place")):
        rule({L["adj"]: 3.0, LLAMA_AFTER: 3.0, L["animate"]: 2.0 * sign}, -10.0, {}, towards=kind,
             strength=1.5)
    rule({L["adj"]: 3.0, LLAMA_AFTER: -6.0}, -6.0, dict(func=1.2), towards="punct")
    rule({L["func"]: 3.0, ID[0]: 2.0}, -8.0, dict(det=1.2, pron=0.2))
    rule({L["func"]: 3.0, ID[1]: 2.0}, -8.0, dict(pron=1.0, det=0.8))
    rule({L["func"]: 3.0, ID[1]: -2.0}, -8.0, dict(det=0.8, pron=0.8))
    # <s>: a sentence starts with a determiner or a pronoun
    rule({LLAMA_BOS: 4.0}, -6.0, dict(det=1.0, pron=0.8))


def llama_mlp1(p, prefix):
    """Block 1's MLP: one neuron where gating earns its keep. Its gate reads 'an adjective comes
    next' (block 0's vote), its up reads 'about' (+ living, - a place): their product turns the
    identity circle towards the adjectives of living things (tired, hungry, ...) or of places
    (wide, narrow, long)."""
    n = Neurons(p, prefix, gated=True)
    towards = (class_centre("adj_living") - class_centre("adj_place")) * 0.3
    n.add({LLAMA["adj"]: 3.0}, 0.0, {LLAMA_ID[0]: towards[0], LLAMA_ID[1]: towards[1]},
          up={LLAMA_ABOUT: 1.0})


def llama_unembed(tokens, gain=2.0):
    """As tiny-gpt's, with the word frequencies on the 'one' dimension (the model has no bias)."""
    W = np.zeros((16, len(tokens)))
    for v, t in enumerate(tokens):
        if t.foreign or t.special:
            W[LLAMA_ONE, v] = -2.0 if t.text == "</s>" else -10.0
            continue
        for name, value in t.features().items():
            if name in LLAMA and name != "animate":
                W[LLAMA[name], v] = gain * value
        c = class_centre(t.cls) * 0.5 * gain
        W[LLAMA_ID[0], v], W[LLAMA_ID[1], v] = c[0], c[1]
        W[LLAMA_ONE, v] = UNIGRAM.get(t.text, 0.0)
    return W


# ==============================================================================================
# tiny-transformer
# ==============================================================================================
#
# The original encoder-decoder, on a toy task: word-by-word translation into Pig Latin
# ("the cat sat on the mat" -> "ethay atcay atsay onway ethay atmay"), so the decoder's
# cross-attention at step i reads source word i. The encoder's input ends with </s>; the decoder's
# starts with <s>, and at the step facing the source's </s> it writes </s>.
#
# Residual stream, D = 16. The fixed sine/cosine position table is added to every dimension
# (pairs (2i, 2i+1) turn at 10000^(-i/8) radians a position); the embeddings leave the
# fast-turning pairs to it:
#   0-5  position only (pairs turning 1, 0.32 and 0.1 radians a position)
#   6-9  word class: one axis each way for 8 classes (+6 determiners, numbers and adverbs,
#        -6 pronouns, +7 animals and people, -7 places and things, +8 verbs, -8 adjectives,
#        +9 prepositions and conjunctions, -9 punctuation and special tokens)
#   10, 11, 13, 15  which word of its class: a vertex of the 24-cell, the regular 4-dimensional
#        solid whose 24 corners are all at least 60° apart, so every word is distinguishable
#   12   Pig Latin (the language flag; <s> has it too: it starts a Pig Latin sentence)
#   (every word also carries -1/4 on 7, 9, 11, 13 and 15, cancelling the position table's 1s)
#   14   reference: no word uses it and the position table puts (almost) 0 there. After a
#        LayerNorm, which subtracts the token's mean from every dimension, heads read a position
#        pair as its difference from dimension 14: the mean cancels and the pair is exactly the
#        table's value over LayerNorm's σ. (At the encoder's output, 0-5 and 14 hold the
#        rewritten position code instead: see position_code.)
# Which parts do the work: encoder block 1's MLP (rewrites the positions), decoder block 0 (forgets
# the word just written, copies source word i, sets the language flag) and decoder block 1's
# cross-attention (copies it again). The encoder's heads and the cross-attention head 1 of decoder
# block 1 look but write nothing; decoder block 1's self-attention and the remaining MLPs are
# switched off (all zero).
# Every word (the flag aside) has the same length, and a Pig Latin word is its English word plus
# the flag, so the shared embedding puts each word next to its translation.

TR_POS, TR_CLASS, TR_ID, TR_LATIN, TR_REF = [0, 1, 2, 3, 4, 5], [6, 7, 8, 9], [10, 11, 13, 15], 12, 14
TR_CLASSES = {  # (axis, sign)
    "det": (0, 1), "number": (0, 1), "adv": (0, 1), "pron": (0, -1), "pron_person": (0, -1),
    "pron_plural": (0, -1), "animal": (1, 1), "person": (1, 1), "place": (1, -1), "thing": (1, -1),
    "verb": (2, 1), "copula": (2, 1), "adj_living": (2, -1), "adj_place": (2, -1), "adj": (2, -1),
    "colour": (2, -1), "prep": (3, 1), "conj": (3, 1), "punct": (3, -1), "unk": (3, -1),
    "special": (3, -1),
}


def cell24():
    """The 24 vertices of the 24-cell (unit vectors in 4-D, any two at least 60° apart), ordered so
    that each is 60° from the one before: neighbours in a class sit close."""
    vs = [np.eye(4)[i] * s for i in range(4) for s in (1, -1)]
    vs += [(np.array(bits) * 2.0 - 1.0) * 0.5 for bits in np.ndindex(2, 2, 2, 2)]
    order, left = [vs[0]], vs[1:]
    while left:
        last = order[-1]
        k = max(range(len(left)), key=lambda i: (round(float(left[i] @ last), 6), -i))
        order.append(left.pop(k))
    return order


def build_transformer():
    tokens = vocabulary(PLAIN_SPECIALS)
    ids = {t.text: i for i, t in enumerate(tokens)}
    V, D, H, dh, F, T = len(tokens), 16, 2, 8, 64, 32
    R, LATIN = 2.5, 1.5
    alpha, beta = math.sqrt(0.4) * R, math.sqrt(0.6) * R
    verts = cell24()
    E = np.zeros((V, D))
    count = {}
    english = {}
    for v, t in enumerate(tokens):
        if t.foreign:
            continue
        axis, sign = TR_CLASSES[t.cls]
        key = (axis, sign)
        k = count.get(key, 0)
        count[key] = k + 1
        E[v, TR_CLASS[axis]] = sign * alpha
        E[v, TR_ID] = beta * verts[k]
        english[t.text] = v
    assert max(count.values()) <= 24
    for v, t in enumerate(tokens):
        if t.foreign:
            E[v] = E[english[t.english]]
            E[v, TR_LATIN] = LATIN
    E[ids["<s>"], TR_LATIN] = LATIN
    # The position table puts (nearly) 1 on dimensions 7, 9, 11, 13 and 15 at every position; every
    # word carries -1/4 there, so that after the x4 scaling the sum is the word alone. (A constant
    # shared by all words changes no logit.)
    E[:, [7, 9, 11, 13, 15]] -= 0.25
    p = {"embed.W_E": E}
    for l in range(2):
        p.update(empty_block(D, H, H, dh, F, True, False, f"encoder.blocks.{l}", ["ln1", "ln2"]))
        p.update(empty_block(D, H, H, dh, F, True, False, f"decoder.blocks.{l}", ["ln1", "ln_cross", "ln2"]))
    transformer_heads(p, E, ids)
    config = dict(model_type="explorer", architecture="encoder-decoder", norm_position="post",
                  norm="layernorm", norm_eps=1e-5, activation="relu", gated_mlp=False,
                  positional="sinusoidal", vocab_size=V, d_model=D, n_heads=H, d_head=dh, d_ff=F,
                  n_layers=2, n_decoder_layers=2, max_positions=T, scale_embeddings=True, bias=True,
                  tied_embeddings=True, shared_embeddings=True, lm_head=True, mask="causal",
                  bos_token_id=ids["<s>"], eos_token_id=ids["</s>"], pad_token_id=ids["<pad>"],
                  unk_token_id=ids["<unk>"], decoder_start_token_id=ids["<s>"])
    post = template([("$A", 0), ("</s>", 0)], [("$A", 0), ("</s>", 0), ("$B", 1), ("</s>", 1)], ["</s>"], ids)
    return config, p, tokenizer_json(tokens, "<unk>", post), tokens


TR_OMEGA = [1.0, 10000 ** (-1 / 8), 10000 ** (-2 / 8)]  # the three pairs in dims 0-5
COPY = (8.0, 6.0)  # how strongly decoder blocks 0 and 1 copy the source word


def position_code():
    """[16, 6]: six orthonormal waves over dimensions 0-5 and 14 (a cosine transform of those
    seven: wave k has k half-periods), each summing to zero. Column k carries the k-th number of
    the sine table in (cos, sin) pairs: (cos p, sin p, cos 0.32p, sin 0.32p, cos 0.1p, sin 0.1p)."""
    dims = TR_POS + [TR_REF]
    Q = np.zeros((16, 6))
    n = len(dims)
    for k in range(1, 7):
        wave = np.cos(np.pi * k * (np.arange(n) + 0.5) / n)
        Q[dims, k - 1] = wave / np.linalg.norm(wave)
    return Q


def position_reader(turn, gain, normed=False):
    """Weights [16, 6] reading the position pairs 0-5 as three (cos, sin) pairs, each turned back
    `turn` positions. After a LayerNorm (`normed`), each dimension is read as its difference from
    the reference dimension 14, which undoes the mean the norm subtracted."""
    W = np.zeros((16, 6))
    for f, w in enumerate(TR_OMEGA):
        s_dim, c_dim = 2 * f, 2 * f + 1  # the table has sin at the even dimension, cos at the odd
        M = np.zeros((16, 2))
        M[c_dim, 0], M[s_dim, 1] = 1.0, 1.0
        M = M @ turn_back(w * turn) * gain
        if normed:
            M[TR_REF] -= M[c_dim] + M[s_dim]
        W[:, 2 * f:2 * f + 2] = M
    return W


def transformer_heads(p, E, ids, dec_sigma=(2.5, 6.0), key_gain=0.575):
    """The attention and MLP weights of tiny-transformer. `dec_sigma`: about what the decoder's norms
    divide positions by before blocks 0 and 1 (the query readers scale back up by it); `key_gain`:
    the scale of the cross-attention keys, which read the encoder's rewritten position code."""
    g = math.sqrt(9.0 * math.sqrt(8.0))  # per pair: scaled scores of 9 at a perfect match
    # Encoder block 0 reads the raw embeddings plus positions. Head 0.0: previous word; 0.1: next.
    a = "encoder.blocks.0.attn"
    for h, turn in ((0, 1), (1, -1)):
        p[a + ".W_Q"][h][:, :6] = position_reader(turn, g)
        p[a + ".W_K"][h][:, :6] = position_reader(0, g)
    # Encoder block 1: head 1.0, words of the same class find each other; head 1.1, everyone
    # looks at </s>. Neither writes anything: the encoder only has to hand each word on, with its
    # position, to the decoder.
    a = "encoder.blocks.1.attn"
    for k, d in enumerate(TR_CLASS):
        p[a + ".W_Q"][0][d, k] = 1.2
        p[a + ".W_K"][0][d, k] = 1.2
    end = E[ids["</s>"]] / np.linalg.norm(E[ids["</s>"]])
    p[a + ".b_Q"][1][0] = 4.0
    p[a + ".W_K"][1][:, 0] = end * 4.0

    # Decoder block 0, self-attention on the raw input. Head 0.0, previous word, brings the Pig Latin
    # flag of the words so far. Head 0.1 looks at the word itself and subtracts it (its value is
    # the word's class and identity, its output weights -1): the decoder forgets the word it
    # has just written, which would otherwise compete with the word it is about to write.
    a = "decoder.blocks.0.attn"
    p[a + ".W_Q"][0][:, :6] = position_reader(1, g)
    p[a + ".W_K"][0][:, :6] = position_reader(0, g)
    p[a + ".W_V"][0][TR_LATIN, 0] = 1.0
    p[a + ".W_O"][0][0, TR_LATIN] = 0.3
    p[a + ".W_Q"][1][:, :6] = position_reader(0, g)
    p[a + ".W_K"][1][:, :6] = position_reader(0, g)
    for k, d in enumerate(TR_CLASS + TR_ID):
        p[a + ".W_V"][1][d, k] = 1.0
        p[a + ".W_O"][1][k, d] = -1.0
    # Decoder cross-attention: the query is the decoder position, the key the source position, so
    # step i reads source word i. Block 0: head 0 carries which word (the 24-cell dimensions),
    # head 1 what kind of word (the class). Block 1: head 0 carries both again; head 1 looks one
    # word ahead (its output is zero: this word-by-word task never needs the next word).
    for l in (0, 1):
        a = f"decoder.blocks.{l}.cross_attn"
        for h, turn in ((0, 0), (1, -1 if l == 1 else 0)):
            # the norms divided the positions by about σ: scale the readers back up
            p[a + ".W_Q"][h][:, :6] = position_reader(turn, g * dec_sigma[l], normed=True)
            p[a + ".W_K"][h][:, :6] = position_code() * (g * key_gain)
        copy = {0: TR_ID if l == 0 else TR_ID + TR_CLASS, 1: TR_CLASS if l == 0 else []}
        for h, dims in copy.items():
            for k, d in enumerate(dims):
                p[a + ".W_V"][0 if l == 1 else h][d, k] = 1.0
                p[a + ".W_O"][0 if l == 1 else h][k, d] = COPY[l]
    # Encoder block 1's MLP rewrites each word's position (see position_code): six pairs of neurons
    # (see Neurons.add_straight); pair k reads the k-th number of the sine table (against the
    # reference), erases it and writes it 12 times larger along the k-th wave of the code. Written so, the position has the same length and a zero sum at
    # every word, and the last norm divides every word by nearly the same σ: the keys the decoder
    # compares its queries with are equally long at every source word.
    n = Neurons(p, "encoder.blocks.1.mlp")
    Q = position_code()
    for k in range(6):
        f, part = divmod(k, 2)
        d = 2 * f + 1 if part == 0 else 2 * f  # cos is at the odd dimension, sin at the even
        writes = {dd: 12.0 * Q[dd, k] for dd in TR_POS + [TR_REF] if Q[dd, k]}
        writes[d] = writes.get(d, 0.0) - 1.0
        n.add_straight({d: 1.0, TR_REF: -1.0}, writes)
    # Decoder block 0's MLP: the language switch. Its output bias writes the Pig Latin flag at every
    # step; punctuation and special tokens are the same in both languages, so one neuron, firing
    # when the source word read by cross-attention is one of them (class axis 9 strongly negative),
    # takes the flag away again.
    n = Neurons(p, "decoder.blocks.0.mlp")
    p["decoder.blocks.0.mlp.b_out"][TR_LATIN] = 4.0
    n.add({TR_CLASS[3]: -3.0}, -4.0, {TR_LATIN: -3.0})
    # The last norm sets the output's scale: logits are the final vector times each embedding.
    p["decoder.blocks.1.ln2.w"][:] = 3.0


# ==============================================================================================
# Writing and checking
# ==============================================================================================

MODELS = {"tiny-gpt": build_gpt, "tiny-bert": build_bert, "tiny-llama": build_llama,
          "tiny-transformer": build_transformer}


def expected_parameters(c):
    """{name: shape} a config calls for, by the rules the Swift loader follows."""
    D, H, V, F = c["d_model"], c["n_heads"], c["vocab_size"], c["d_ff"]
    Hkv, dh = c.get("n_kv_heads") or H, c.get("d_head") or D // H
    bias, pre = c.get("bias", True), c["norm_position"] == "pre"
    norm_bias = bias and c.get("norm", "layernorm") == "layernorm"
    out = {"embed.W_E": [V, D]}

    def norm(name):
        out[name + ".w"] = [D]
        if norm_bias:
            out[name + ".b"] = [D]

    def attention(name):
        out.update({name + ".W_Q": [H, D, dh], name + ".W_K": [Hkv, D, dh], name + ".W_V": [Hkv, D, dh],
                    name + ".W_O": [H, dh, D]})
        if bias:
            out.update({name + ".b_Q": [H, dh], name + ".b_K": [Hkv, dh], name + ".b_V": [Hkv, dh],
                        name + ".b_O": [D]})

    def block(prefix, cross):
        norm(prefix + ".ln1")
        attention(prefix + ".attn")
        if cross:
            norm(prefix + ".ln_cross")
            attention(prefix + ".cross_attn")
        norm(prefix + ".ln2")
        out.update({prefix + ".mlp.W_in": [D, F], prefix + ".mlp.W_out": [F, D]})
        if c.get("gated_mlp"):
            out[prefix + ".mlp.W_gate"] = [D, F]
        if bias:
            out.update({prefix + ".mlp.b_in": [F], prefix + ".mlp.b_out": [D]})

    stacks = [("", c["n_layers"], False)]
    if c["architecture"] == "encoder-decoder":
        stacks = [("encoder.", c["n_layers"], False), ("decoder.", c.get("n_decoder_layers") or c["n_layers"], True)]
    for prefix, n, cross in stacks:
        if c["positional"] == "learned":
            out[prefix + "pos_embed.W_pos"] = [c["max_positions"], D]
        if c.get("type_vocab_size", 0) > 0:
            out[prefix + "embed_type.W_type"] = [c["type_vocab_size"], D]
        if c.get("embedding_norm"):
            norm(prefix + "embed_ln")
        for l in range(n):
            block(f"{prefix}blocks.{l}", cross)
        if pre:
            norm(prefix + "ln_final")
    head = "decoder." if c["architecture"] == "encoder-decoder" else ""
    if c.get("lm_head", True) and not c.get("tied_embeddings"):
        out[head + "unembed.W_U"] = [D, V]
        if bias:
            out[head + "unembed.b_U"] = [V]
    return out


def build_all(out_root):
    written = {}
    for name, build in MODELS.items():
        config, params, tokenizer, _ = build()
        want = expected_parameters(config)
        got = {k: list(np.shape(v)) for k, v in params.items()}
        if want != got:
            missing, extra = sorted(set(want) - set(got)), sorted(set(got) - set(want))
            wrong = sorted(k for k in set(want) & set(got) if want[k] != got[k])
            raise SystemExit(f"{name}: parameters differ from the rules: missing {missing}, extra {extra}, "
                             f"wrong shapes {wrong}")
        written[name] = write_model(name, config, params, tokenizer, out_root)
    return written


# ---- --check: run each model with the reference forward pass and measure what its heads do ----

NOUN_CLASSES = {"animal", "person", "place", "thing", "unk"}
LESSON_SENTENCES = [
    "the cat sat on the mat because it was tired",
    "the animal didn't cross the street because it was too tired",
    "the animal didn't cross the street because it was too wide",
    "a dog chased the red ball",
    "the quick brown fox jumps over the lazy dog",
    "she saw the man in the park and he was happy",
    "the zebra didn't cross the street, because it was tired!",
]


def load_reference():
    import importlib.util
    path = os.path.join(os.path.dirname(HERE), "Tests", "Fixtures", "reference.py")
    spec = importlib.util.spec_from_file_location("reference", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Checker:
    def __init__(self):
        self.failures = []

    def claim(self, what, value, threshold):
        ok = value > threshold
        print(f"    {'ok ' if ok else 'BAD'} {what}: {value:.2f} (needs > {threshold})")
        if not ok:
            self.failures.append(what)


def token_classes(tokens, vocab_tokens):
    by_text = {t.text: t for t in vocab_tokens}
    return [by_text[t].cls if t in by_text else "special" for t in tokens]


def check_model(name, directory, ref, checker):
    config, params, tok = ref.load_model(directory)
    vocab_tokens = MODELS[name]()[3]
    print(f"\n{name}: {os.path.getsize(os.path.join(directory, 'model.safetensors')) / 1024:.1f} KB of weights")
    if name == "tiny-transformer":
        return check_transformer(config, params, tok, ref, checker)
    E = params["embed.W_E"]
    unit = E / np.linalg.norm(E, axis=1, keepdims=True)
    cat = tok.vocab["cat"]
    near = [tok.id_to_token[int(k)] for k in np.argsort(-(unit @ unit[cat])) if k != cat][:5]
    by_text = {t.text: t for t in vocab_tokens}
    print("    nearest neighbours of 'cat' (cosine of embeddings): " + ", ".join(near))
    checker.claim("neighbours of 'cat' among its 5 nearest that are animals or people",
                  sum(by_text[w].cls in ("animal", "person") and not by_text[w].foreign for w in near) / 5, 0.7)
    prev, back2, pron, sink, verb = [], [], [], [], []
    runs = []
    for text in LESSON_SENTENCES:
        ids, tokens = tok.encode(text)
        hooks = ref.forward(config, params, ids)
        runs.append((text, tokens, hooks))
        classes = token_classes(tokens, vocab_tokens)
        P0 = hooks["blocks.0.attn.pattern"]
        first = 1 if tokens[0] in ("<s>", "[CLS]") else 0
        for i in range(first + 1, len(tokens)):
            prev.append(P0[0, i, i - 1])
        if name == "tiny-llama":
            for i in range(first + 2, len(tokens)):
                back2.append(P0[1, i, i - 2])
            for l in (1,):
                for h in (2, 3):
                    sink += [hooks[f"blocks.{l}.attn.pattern"][h, i, 0] for i in range(len(tokens))]
        nouns = [j for j, c in enumerate(classes) if c in NOUN_CLASSES]
        for i, t in enumerate(tokens):
            if t in ("it", "he", "she", "they") and any(j < i for j in nouns):
                if name == "tiny-gpt":
                    pron.append(sum(P0[1, i, j] for j in nouns if j < i))
                elif name == "tiny-llama":
                    pron.append(sum(P0[2, i, j] for j in nouns if j < i))
        if name == "tiny-llama":
            subjects = [j for j, c in enumerate(classes) if c in NOUN_CLASSES or c.startswith("pron")]
            for i, c in enumerate(classes):
                if c in ("verb", "copula") and any(j < i for j in subjects):
                    verb.append(sum(P0[3, i, j] for j in subjects if j < i))
    checker.claim("head 0.0 weight on the previous token (mean over positions)", float(np.mean(prev)), 0.9)
    checker.claim("head 0.0 share of positions with > 0.5 on the previous token",
                  float(np.mean(np.array(prev) > 0.5)), 0.95)
    if name == "tiny-gpt":
        checker.claim("head 0.1 weight of a pronoun on the nouns before it", float(np.mean(pron)), 0.8)
        sub = []
        for text, tokens, hooks in runs:
            classes = token_classes(tokens, vocab_tokens)
            last = -1
            for i, c in enumerate(classes):
                if c in NOUN_CLASSES or c.startswith("pron"):
                    last = i
                if last >= 0:
                    sub.append(hooks["blocks.1.attn.pattern"][0, i, last])
        checker.claim("head 1.0 weight on the latest noun or pronoun", float(np.mean(sub)), 0.7)
        text, tokens, hooks = runs[0]
        first, second = tokens.index("the"), len(tokens) - 1 - tokens[::-1].index("the")
        P = hooks["blocks.1.attn.pattern"][1, second]
        checker.claim("head 1.1: the second 'the' on itself and the first 'the' together", P[first] + P[second], 0.8)
    if name == "tiny-llama":
        checker.claim("head 0.1 weight two tokens back", float(np.mean(back2)), 0.9)
        checker.claim("head 0.2 weight of a pronoun on the nouns before it", float(np.mean(pron)), 0.8)
        checker.claim("head 0.3 weight of a verb on the nouns and pronouns before it", float(np.mean(verb)), 0.8)
        checker.claim("heads 1.2 and 1.3 weight on <s>", float(np.mean(sink)), 0.9)
    if name == "tiny-bert":
        for text, tokens, hooks in runs[1:3]:
            i = tokens.index("it")
            want = "animal" if "tired" in tokens else "street"
            adj = "tired" if "tired" in tokens else "wide"
            P0, P1 = hooks["blocks.0.attn.pattern"], hooks["blocks.1.attn.pattern"]
            checker.claim(f"'{adj}' sentence: head 0.1 weight of 'it' on '{adj}'", P0[1, i, tokens.index(adj)], 0.8)
            checker.claim(f"'{adj}' sentence: head 1.0 weight of 'it' on '{want}'", P1[0, i, tokens.index(want)], 0.8)
        nxt = []
        for text, tokens, hooks in runs:
            P1 = hooks["blocks.1.attn.pattern"]
            nxt += [P1[1, i, i + 1] for i in range(len(tokens) - 1)]
        checker.claim("head 1.1 weight on the next token", float(np.mean(nxt)), 0.8)
    if config.get("lm_head", True):
        print("    next-token guesses (top 3):")
        for text, tokens, hooks in runs[:2]:
            probs = hooks["probs"]
            print(f"      {text}")
            for i in range(len(tokens)):
                top = np.argsort(-probs[i])[:3]
                print(f"        {tokens[i]:>8} -> " + "  ".join(f"{tok.id_to_token[int(k)]} {probs[i, k]:.2f}" for k in top))


def check_transformer(config, params, tok, ref, checker):
    E = params["embed.W_E"]
    unit = E / np.linalg.norm(E, axis=1, keepdims=True)
    cat = tok.vocab["cat"]
    near = [tok.id_to_token[int(k)] for k in np.argsort(-(unit @ unit[cat])) if k != cat][:5]
    print("    nearest neighbours of 'cat' (cosine of embeddings): " + ", ".join(near))
    checker.claim("'atcay' is the nearest neighbour of 'cat'", float(near[0] == "atcay"), 0.5)
    diag0, diag1, ahead, prev, nxt, right, total = [], [], [], [], [], 0, 0
    dprev, dself, end = [], [], []
    for text in LESSON_SENTENCES:
        ids, tokens = tok.encode(text)
        target = " ".join(pig_latin(w) for w in tok.words(text))
        dec = [config["decoder_start_token_id"]] + tok.encode(target, special_tokens=False)[0]
        hooks = ref.forward(config, params, ids, decoder_ids=dec)
        C0, C1 = hooks["decoder.blocks.0.cross_attn.pattern"], hooks["decoder.blocks.1.cross_attn.pattern"]
        E0 = hooks["encoder.blocks.0.attn.pattern"]
        for i in range(len(dec)):
            diag0 += [C0[0, i, i], C0[1, i, i]]
            diag1.append(C1[0, i, i])
            if i + 1 < len(ids):
                ahead.append(C1[1, i, i + 1])
        S0 = hooks["decoder.blocks.0.attn.pattern"]
        dprev += [S0[0, i, i - 1] for i in range(1, len(dec))]
        dself += [S0[1, i, i] for i in range(len(dec))]
        end += list(hooks["encoder.blocks.1.attn.pattern"][1, :, -1])
        prev += [E0[0, i, i - 1] for i in range(1, len(ids))]
        nxt += [E0[1, i, i + 1] for i in range(len(ids) - 1)]
        want = dec[1:] + [config["eos_token_id"]]
        got = np.argmax(hooks["decoder.probs"], axis=-1)
        right += int(np.sum(got == np.array(want)))
        total += len(want)
        if text == LESSON_SENTENCES[3]:
            print(f"    {text} -> " + " ".join(tok.id_to_token[int(k)] for k in got))
    checker.claim("encoder head 0.0 weight on the previous word", float(np.mean(prev)), 0.9)
    checker.claim("encoder head 0.1 weight on the next word", float(np.mean(nxt)), 0.9)
    checker.claim("encoder head 1.1 weight on </s>", float(np.mean(end)), 0.9)
    checker.claim("decoder self-attention head 0.0 weight on the previous word", float(np.mean(dprev)), 0.9)
    checker.claim("decoder self-attention head 0.1 weight on the word itself", float(np.mean(dself)), 0.9)
    checker.claim("decoder block 0 cross-attention weight of step i on source word i", float(np.mean(diag0)), 0.9)
    checker.claim("decoder block 1 cross head 0 weight on source word i", float(np.mean(diag1)), 0.85)
    checker.claim("decoder block 1 cross head 1 weight on source word i+1", float(np.mean(ahead)), 0.85)
    checker.claim("translation steps right (teacher forcing, the lesson sentences)", right / total, 0.95)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Builds the bundled models with constructed weights.")
    ap.add_argument("--out", default=HERE, help="directory to write the model directories into")
    ap.add_argument("--check", action="store_true", help="run the models and check what the heads do")
    args = ap.parse_args(argv)
    written = build_all(args.out)
    for name, d in written.items():
        print(f"wrote {name}: " + ", ".join(f"{f} {os.path.getsize(os.path.join(d, f)) / 1024:.1f} KB"
                                            for f in ("config.json", "model.safetensors", "tokenizer.json")))
    if args.check:
        ref, checker = load_reference(), Checker()
        for name, d in written.items():
            check_model(name, d, ref, checker)
        if checker.failures:
            raise SystemExit(f"\n{len(checker.failures)} claims do not hold")
        print("\nall claims hold")


if __name__ == "__main__":
    main()
