#!/usr/bin/env python3
"""Trains small tokenizers with Hugging Face's `tokenizers` library and records what it makes of
a set of tricky strings, so that the Swift tests can check the Swift tokenizers against it exactly.

Only this script needs Python; the tokenizers and the references it writes are committed, so
`swift test` does not. It needs `pip install tokenizers` (not a dependency of the project).

Usage:
    python3 Tests/Fixtures/tokenizers/make_fixtures.py [--out DIR]

writes, under DIR (default: this script's folder):
- `<name>/tokenizer.json` for each tokenizer, and the older files where the format has them
  (`gpt2-files/vocab.json` + `merges.txt`, `bert-files/vocab.txt` + `tokenizer_config.json`);
- `strings.json`: the tricky strings (`"tricky"`), and random strings of awkward characters
  (`"random"`, the same on every run);
- `<name>/expected.json`: the library's results with that tokenizer: for each tricky string
  (`"tricky"`) the ids and tokens with and without special tokens and the decoded text (special
  tokens skipped, Hugging Face's default, and kept); for each random string (`"random"`) the ids
  and the decoded text with special tokens kept;
- `stages.json`: single stages on the tricky strings (normalizers, pre-tokenizers, decoders).

The corpus is `corpus.txt` beside this script. Training may break ties differently from one run to
the next, so a new run can change the vocabularies; the references always come from the tokenizers
saved in the same run.
"""
import argparse
import json
import os
import random
import shutil

from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

HERE = os.path.dirname(os.path.abspath(__file__))

# Llama 3's word pattern (also the shape of Qwen's and GPT-4's).
LLAMA3_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
                  r"|\s*[\r\n]+|\s+(?!\S)|\s+")

LONG_WORD = "supercalifragilisticexpialidocious" * 3 + "abc"  # 105 characters: over WordPiece's 100

STRINGS = [
    "Hello world",
    "The cat sat on the mat.",
    " leading space",
    "two  spaces and   three",
    "trailing space ",
    "   ",
    " ",
    "",
    "tabs\tand\nnewlines\r\nand\n\nblank lines",
    "\tindented\n    four spaces",
    "café",
    "cafe\u0301",
    "CAFÉ naïve Résumé façade",
    "Straße ΣΊΣΥΦΟΣ İstanbul",
    "東京タワー",
    "東京は日本の首都です。",
    "北京 and 東京",
    "👩‍👩‍👧",
    "I ❤️ emoji 🙂👍",
    "3.14159",
    "1,000,000",
    "1999-12-31 at 10:30pm, 42%",
    "def f(x): return x**2  # comment",
    "for i in range(10): print(i)",
    "https://example.com/docs/index.html?lang=en&page=2#section",
    "someone@example.org",
    "don't",
    "I'll",
    "We're sure they've gone, she'd say it's HE'S",
    "'s 're 'hello'",
    "$5.00!",
    "a^b~c",
    "(round) [square] {curly} <angle> a|b \\ `tick`",
    "¡Hola! ¿Qué tal? «citation» — dash – en-dash … ellipsis",
    LONG_WORD,
    "a" * 100,
    "x" + "y" * 100,
    "☃ snowman and ꙮ multiocular o",
    "\U0001F9EC dna \u2603",
    "zero\u200bwidth and\u00a0nbsp and \u3000ideographic space",
    "control \u0007 bell and \u0000 null and \ufffd replacement",
    "ﬁ ligature Ⅻ numeral ① circled",
    "Привет, мир! Γειά σου κόσμε",
    "مرحبا بالعالم שלום",
    "Tokenization tokenizers tokenizing",
    "antidisestablishmentarianism",
    "hello<|endoftext|>world <|endoftext|> again",
    "[CLS] the [MASK] sat [SEP]",
    "<s>begin and end</s>",
    "<unk> literal",
    "a\u0300\u0301\u0302 stacked accents",
    "hello\u2028world\u2029!",
    "fill the <mask> here and<mask>there",
    "Say YES, yes or yess: [NEW] [new] [New]x <x>  spaced  <x>",
    "vertical\u000btab and next\u0085line",
    "x123 and 4567890 and \u0663\u0664 and ²",
    "the-final--countdown",
    "<|begin_of_text|>Hello<|end_of_text|>",
]

SPECIAL_STRINGS = ["<|endoftext|>", "[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]", "<s>", "</s>", "<unk>"]


POOL = list("  \t\n\r\u000b\u0085\u00a0\u3000aeiouxyzAEZ0123456789'.,!?$^~-_#<>[]|éüß\u0301\u0308東京タワー"
            "👩\u200d👧🙂\ufe0f\u0000\u007f\u200b\ufffdꙮ𝔘ĠĊ▁²①") + ["<s>", "[MASK]", "<|endoftext|>", "<mask>", "##",
                                                            "'s", "'ll", " the", " cat", "ing"]


def random_strings(count, seed):
    """Strings drawn from a pool of awkward characters and fragments, the same on every run."""
    rng = random.Random(seed)
    return ["".join(rng.choice(POOL) for _ in range(rng.randint(0, 24))) for _ in range(count)]


def corpus():
    with open(os.path.join(HERE, "corpus.txt"), encoding="utf-8") as f:
        text = f.read()
    return text.splitlines()


def gpt2():
    """GPT-2 style byte-level BPE: no normalizer, ByteLevel pre-tokenizer (no prefix space),
    ByteLevel post-processor and decoder, <|endoftext|> as its one special token."""
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    trainer = trainers.BpeTrainer(vocab_size=800, special_tokens=["<|endoftext|>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(corpus(), trainer)
    return tok


def roberta(gpt):
    """The same model with RoBERTa's habits: a prefix space, <s> … </s> around the text."""
    vocab, merges = vocab_and_merges(gpt)
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=True)
    tok.decoder = decoders.ByteLevel()
    tok.add_special_tokens(["<s>", "</s>", AddedToken("<mask>", lstrip=True, special=True, normalized=False)])
    tok.post_processor = processors.RobertaProcessing(("</s>", tok.token_to_id("</s>")),
                                                      ("<s>", tok.token_to_id("<s>")), trim_offsets=True,
                                                      add_prefix_space=True)
    return tok


def bert():
    """BERT style uncased WordPiece."""
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece(prefix="##")
    trainer = trainers.WordPieceTrainer(vocab_size=700, special_tokens=specials, show_progress=False)
    tok.train_from_iterator(corpus(), trainer)
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1", special_tokens=[("[CLS]", cls), ("[SEP]", sep)])
    return tok


def bert_added(bert_tok):
    """The BERT tokenizer with added tokens of every kind: a normalized one that lower-casing
    makes match `[new]`, a single-word one, one that takes the spaces around it."""
    tok = Tokenizer.from_str(bert_tok.to_str())
    tok.add_tokens([AddedToken("[NEW]", normalized=True), AddedToken("yes", single_word=True, normalized=True)])
    tok.add_special_tokens([AddedToken("<x>", lstrip=True, rstrip=True, special=True, normalized=False)])
    return tok


def llama3():
    """Llama 3's layout: Llama 3's pattern as a Split pre-tokenizer, then ByteLevel without its
    own pattern; BPE with ignore_merges; <|begin_of_text|> before the text."""
    pre = pre_tokenizers.Sequence([pre_tokenizers.Split(Regex(LLAMA3_PATTERN), "isolated", invert=False),
                                   pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
    trained = Tokenizer(models.BPE())
    trained.pre_tokenizer = pre
    trainer = trainers.BpeTrainer(vocab_size=700, special_tokens=["<|begin_of_text|>", "<|end_of_text|>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    trained.train_from_iterator(corpus(), trainer)
    vocab, merges = vocab_and_merges(trained)
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges, ignore_merges=True))
    tok.pre_tokenizer = pre
    tok.decoder = decoders.ByteLevel()
    tok.add_special_tokens(["<|begin_of_text|>", "<|end_of_text|>"])
    tok.post_processor = processors.Sequence([
        processors.ByteLevel(trim_offsets=False),
        processors.TemplateProcessing(single="<|begin_of_text|> $A", pair="<|begin_of_text|> $A <|begin_of_text|> $B:1",
                                      special_tokens=[("<|begin_of_text|>", tok.token_to_id("<|begin_of_text|>"))])])
    return tok


def vocab_and_merges(tok):
    model = json.loads(tok.to_str())["model"]
    merges = [tuple(m) if isinstance(m, list) else tuple(m.split(" ")) for m in model["merges"]]
    return model["vocab"], merges


def llama_model():
    """A BPE on ▁-marked words with a small alphabet, then Llama's layout: <unk> <s> </s>, the 256
    byte tokens <0x00>…<0xFF>, then the learned pieces; byte_fallback for characters outside it."""
    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    trainer = trainers.BpeTrainer(vocab_size=600, limit_alphabet=70, special_tokens=["<unk>", "<s>", "</s>"],
                                  show_progress=False)
    tok.train_from_iterator(corpus(), trainer)
    learned, merges = vocab_and_merges(tok)
    vocab = {"<unk>": 0, "<s>": 1, "</s>": 2}
    for b in range(256):
        vocab["<0x%02X>" % b] = len(vocab)
    for piece, _ in sorted(learned.items(), key=lambda kv: kv[1]):
        if piece not in vocab:
            vocab[piece] = len(vocab)
    return vocab, merges


def llama_common(vocab, merges):
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges, unk_token="<unk>", byte_fallback=True, fuse_unk=True))
    tok.add_special_tokens(["<unk>", "<s>", "</s>"])
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A", pair="<s> $A <s>:1 $B:1", special_tokens=[("<s>", tok.token_to_id("<s>"))])
    return tok


def llama(vocab, merges):
    """Llama as recent conversions write it: a Metaspace pre-tokenizer that prepends ▁ to the
    first piece only and does not split; decoded by Metaspace, ByteFallback, Fuse."""
    tok = llama_common(vocab, merges)
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="first", split=False)
    tok.decoder = decoders.Sequence([decoders.Metaspace(replacement="▁", prepend_scheme="first"),
                                     decoders.ByteFallback(), decoders.Fuse()])
    return tok


def llama_legacy(vocab, merges):
    """Llama 2's tokenizer.json: normalizer Prepend(▁) + Replace(' ', ▁), no pre-tokenizer;
    decoded by Replace(▁, ' '), ByteFallback, Fuse, Strip(' ', 1, 0)."""
    tok = llama_common(vocab, merges)
    tok.normalizer = normalizers.Sequence([normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")])
    tok.decoder = decoders.Sequence([decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse(),
                                     decoders.Strip(" ", 1, 0)])
    return tok


def write_gpt2_files(tok, directory):
    """GPT-2's older files: vocab.json and merges.txt (and nothing else, as on the hub)."""
    os.makedirs(directory, exist_ok=True)
    vocab, merges = vocab_and_merges(tok)
    with open(os.path.join(directory, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump(vocab, f, ensure_ascii=False)
    with open(os.path.join(directory, "merges.txt"), "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n")
        for a, b in merges:
            f.write(f"{a} {b}\n")
    # The library's own reader of these files must agree with the tokenizer.json.
    check = Tokenizer(models.BPE.from_file(os.path.join(directory, "vocab.json"), os.path.join(directory, "merges.txt")))
    check.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    check.decoder = decoders.ByteLevel()
    check.add_special_tokens(["<|endoftext|>"])
    return check


def write_bert_files(tok, directory):
    """BERT's older files: vocab.txt (one token a line, the line number is the id) and
    tokenizer_config.json with the normalizer's options."""
    os.makedirs(directory, exist_ok=True)
    vocab = json.loads(tok.to_str())["model"]["vocab"]
    with open(os.path.join(directory, "vocab.txt"), "w", encoding="utf-8") as f:
        for token, _ in sorted(vocab.items(), key=lambda kv: kv[1]):
            f.write(token + "\n")
    config = {"do_lower_case": True, "strip_accents": None, "tokenize_chinese_chars": True,
              "unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]", "cls_token": "[CLS]",
              "mask_token": "[MASK]", "model_max_length": 512, "tokenizer_class": "BertTokenizer"}
    with open(os.path.join(directory, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2)
    check = Tokenizer(models.WordPiece.from_file(os.path.join(directory, "vocab.txt"), unk_token="[UNK]"))
    check.normalizer = normalizers.BertNormalizer(lowercase=True)
    check.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    check.decoder = decoders.WordPiece(prefix="##")
    check.add_special_tokens(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
    check.post_processor = processors.BertProcessing(("[SEP]", check.token_to_id("[SEP]")),
                                                     ("[CLS]", check.token_to_id("[CLS]")))
    return check


def random_reference(tok, strings):
    out = []
    for text in strings:
        encoding = tok.encode(text)
        out.append({"ids": encoding.ids, "decoded": tok.decode(encoding.ids, skip_special_tokens=False)})
    return out


def reference(tok):
    out = []
    for text in STRINGS:
        with_special = tok.encode(text)
        without = tok.encode(text, add_special_tokens=False)
        out.append({
            "ids": with_special.ids, "tokens": with_special.tokens,
            "ids_no_special": without.ids, "tokens_no_special": without.tokens,
            "decoded": tok.decode(with_special.ids),
            "decoded_with_special": tok.decode(with_special.ids, skip_special_tokens=False),
        })
    return out


def stages():
    """Single stages on the tricky strings, for the Swift unit tests of each stage."""
    def pieces(pre, text):
        return [piece for piece, _ in pre.pre_tokenize_str(text)]

    result = {"normalizers": {}, "pre_tokenizers": {}, "decoders": {}}
    norms = {
        "bert_uncased": normalizers.BertNormalizer(lowercase=True),
        "bert_cased": normalizers.BertNormalizer(lowercase=False),
        "bert_lower_keep_accents": normalizers.BertNormalizer(lowercase=True, strip_accents=False),
        "bert_no_chinese": normalizers.BertNormalizer(handle_chinese_chars=False, clean_text=False),
        "lowercase": normalizers.Lowercase(),
        "nfkc": normalizers.NFKC(),
        "nfd_strip": normalizers.Sequence([normalizers.NFD(), normalizers.StripAccents()]),
    }
    pres = {
        "byte_level": pre_tokenizers.ByteLevel(add_prefix_space=False),
        "byte_level_prefix": pre_tokenizers.ByteLevel(add_prefix_space=True),
        "byte_level_no_regex": pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
        "bert": pre_tokenizers.BertPreTokenizer(),
        "metaspace_always": pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True),
        "metaspace_first_nosplit": pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="first", split=False),
        "metaspace_never": pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="never", split=True),
        "whitespace": pre_tokenizers.Whitespace(),
        "whitespace_split": pre_tokenizers.WhitespaceSplit(),
        "split_llama3": pre_tokenizers.Split(Regex(LLAMA3_PATTERN), "isolated"),
        "split_space_removed": pre_tokenizers.Split(" ", "removed"),
        "split_dash_previous": pre_tokenizers.Split("-", "merged_with_previous"),
        "split_dash_next": pre_tokenizers.Split("-", "merged_with_next"),
        "split_dash_contiguous": pre_tokenizers.Split("-", "contiguous"),
        "split_words_inverted": pre_tokenizers.Split(Regex(r"\w+"), "isolated", invert=True),
        "punctuation": pre_tokenizers.Punctuation(),
        "digits": pre_tokenizers.Digits(individual_digits=False),
        "digits_individual": pre_tokenizers.Digits(individual_digits=True),
    }
    for name, n in norms.items():
        result["normalizers"][name] = [n.normalize_str(s) for s in STRINGS]
    for name, p in pres.items():
        result["pre_tokenizers"][name] = [pieces(p, s) for s in STRINGS]
    token_lists = [
        ["▁Hey", "▁friend", "!", "▁▁", "▁how"],
        ["▁▁first", "<0xE6>", "<0x9D>", "<0xB1>", "▁x", "<0xE6>", "<0x9D>", "<0x41>", "end▁"],
        ["Hello", "##World", "##!", ".", "don", "'", "t", "I", "'", "m", ",", "?"],
        ["a</w>", "bc", "d</w>"],
        ["  both  ", " one", " x ", "x  "],
    ]
    decs = {
        "metaspace_always": decoders.Metaspace(replacement="▁", prepend_scheme="always"),
        "metaspace_never": decoders.Metaspace(replacement="▁", prepend_scheme="never"),
        "byte_fallback": decoders.ByteFallback(),
        "wordpiece": decoders.WordPiece(prefix="##", cleanup=True),
        "wordpiece_no_cleanup": decoders.WordPiece(prefix="##", cleanup=False),
        "bpe_suffix": decoders.BPEDecoder(suffix="</w>"),
        "fuse": decoders.Fuse(),
        "strip_space_1_1": decoders.Strip(" ", 1, 1),
        "replace": decoders.Replace("▁", " "),
        "llama": decoders.Sequence([decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse(),
                                    decoders.Strip(" ", 1, 0)]),
    }
    result["decoders"]["inputs"] = token_lists
    for name, d in decs.items():
        result["decoders"][name] = [d.decode(tokens) for tokens in token_lists]
    return result


def write_lines(path, table):
    """A JSON object of lists, one list item a line: small, and readable in a diff."""
    with open(path, "w", encoding="utf-8") as f:
        f.write("{\n")
        for n, (key, value) in enumerate(table.items()):
            if isinstance(value, dict):
                f.write(f" {json.dumps(key)}: {{\n")
                for m, (inner, items) in enumerate(value.items()):
                    f.write(f"  {json.dumps(inner)}: [\n")
                    f.write(",\n".join("   " + json.dumps(item, ensure_ascii=False) for item in items))
                    f.write("\n  ]" + ("," if m + 1 < len(value) else "") + "\n")
                f.write(" }")
            else:
                f.write(f" {json.dumps(key)}: [\n")
                f.write(",\n".join("  " + json.dumps(item, ensure_ascii=False) for item in value))
                f.write("\n ]")
            f.write(",\n" if n + 1 < len(table) else "\n")
        f.write("}\n")


def save(tok, directory):
    os.makedirs(directory, exist_ok=True)
    tok.save(os.path.join(directory, "tokenizer.json"), pretty=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=HERE)
    parser.add_argument("--random", type=int, default=120, help="how many random strings to record")
    args = parser.parse_args()
    out = args.out

    gpt = gpt2()
    vocab, merges = llama_model()
    bert_tok = bert()
    tokenizers = {
        "gpt2": gpt,
        "roberta": roberta(gpt),
        "bert": bert_tok,
        "bert-added": bert_added(bert_tok),
        "llama": llama(vocab, merges),
        "llama-legacy": llama_legacy(vocab, merges),
        "llama3": llama3(),
    }
    for name, tok in tokenizers.items():
        shutil.rmtree(os.path.join(out, name), ignore_errors=True)
        save(tok, os.path.join(out, name))

    refs = {name: reference(tok) for name, tok in tokenizers.items()}
    # The older file formats must give what the tokenizer.json gives; they are checked against
    # the same references.
    for name, writer, source in [("gpt2-files", write_gpt2_files, "gpt2"), ("bert-files", write_bert_files, "bert")]:
        directory = os.path.join(out, name)
        shutil.rmtree(directory, ignore_errors=True)
        check = writer(tokenizers[source], directory)
        if reference(check) != refs[source]:
            raise SystemExit(f"{name}: the library reads the older files differently from {source}/tokenizer.json")

    strings = random_strings(args.random, seed=2024)
    write_lines(os.path.join(out, "strings.json"), {"tricky": STRINGS, "random": strings})
    for name, tok in tokenizers.items():
        write_lines(os.path.join(out, name, "expected.json"),
                    {"tricky": refs[name], "random": random_reference(tok, strings)})
    write_lines(os.path.join(out, "stages.json"), stages())

    for name, tok in tokenizers.items():
        size = os.path.getsize(os.path.join(out, name, "tokenizer.json"))
        print(f"{name}: vocabulary {tok.get_vocab_size()}, tokenizer.json {size // 1024} KB")
    print(f"{len(STRINGS)} strings")


if __name__ == "__main__":
    main()
