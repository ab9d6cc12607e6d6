#!/usr/bin/env python3
"""Builds the tiny Hugging Face models the parity tests load, and their reference activations.

    pip install torch==2.13.0+cpu transformers tokenizers     # the CPU wheel; not a project dependency
    python3 Tests/Fixtures/hf/make_fixtures.py [--only NAME]

Writes, next to this file:

- tiny-gpt2/   a GPT2LMHeadModel (2 blocks, width 64, 4 heads, tied LM head) with a byte-level BPE
               tokenizer of 500 tokens, saved with save_pretrained (config.json, model.safetensors,
               tokenizer.json, tokenizer_config.json).
- tiny-llama/  a LlamaForCausalLM (2 blocks, width 64, 4 query heads sharing 2 key/value heads,
               RoPE theta 10000, untied LM head) with a BPE tokenizer that falls back to bytes
               (<0x00>..<0xFF>), Metaspace pre-tokenizer and <s> as BOS.
- tiny-llama3-rope/  the same shape of Llama with Llama 3.1's RoPE scaling (rope_type llama3, factor 8,
               low_freq_factor 1, high_freq_factor 4, original_max_position_embeddings 64), so that the
               pairs of each head fall in all three of its bands: kept, blended and slowed.
- tiny-qwen2/  a Qwen2ForCausalLM (2 blocks, width 64, 4 query heads sharing 2 key/value heads, biases
               on q, k and v only, LM head tied to the embeddings, RoPE theta 1,000,000) with the
               byte-level BPE tokenizer of tiny-gpt2.
- tiny-mistral/  a MistralForCausalLM (Llama's shape, no biases, sliding_window 64: longer than every
               sentence, so the window hides nothing and the explorer accepts inputs up to 64 tokens)
               with the tokenizer of tiny-llama.
- tiny-roberta/  a RobertaModel (2 blocks, width 64, 4 heads, pooler; positions from row 2 of its table,
               as RoBERTa's padding_idx 1 puts them) with a byte-level BPE tokenizer laid out as
               RoBERTa's (<s> <pad> </s> <unk> <mask> first) and its <s> $A </s> post-processor.
- tiny-bert/   a BertModel (2 blocks, width 64, 4 heads, pooler, no LM head) with a lower-casing
               WordPiece tokenizer of 400 tokens ([CLS] $A [SEP]); saved without a prefix, as
               sentence-transformers' models are, where the two others carry transformer. / model.
- reference/<model>/<case>/  for each sentence: case.json (text, the reference's input ids and
               tokens, and which explorer hook each hidden state is), attentions.npy [L,H,T,T]
               (eager attention, output_attentions=True), hidden_states.npy [L+1,T,D] and
               logits.npy [T,V] (not for BERT, which has no LM head), all float32.

Everything is seeded: running it again gives the same numbers (the safetensors bytes too).
The weights are drawn wider than the library's default initialisation (std 0.02) so that attention
patterns are far from uniform and a wrong head layout or RoPE pairing shows.
"""
import json
import os
import shutil
import sys

import numpy as np
import torch
from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
from transformers import (BertConfig, BertModel, GPT2Config, GPT2LMHeadModel, LlamaConfig, LlamaForCausalLM,
                          MistralConfig, MistralForCausalLM, PreTrainedTokenizerFast, Qwen2Config, Qwen2ForCausalLM,
                          RobertaConfig, RobertaModel)

HERE = os.path.dirname(os.path.abspath(__file__))

# A small corpus to train the tokenizers on: plain prose, some accented words and a little code.
# CJK and emoji are left out on purpose, so that the test sentences below exercise unknown
# characters: byte-level BPE spells them in bytes, byte fallback in <0xNN> tokens.
CORPUS = """
The quick brown fox jumps over the lazy dog. The dog sleeps in the sun, and the fox runs away.
A transformer reads every token of a sentence at once. Each attention head looks at the other
tokens and decides which ones matter: the query of one token meets the keys of all the others.
The scores become weights, and the weights mix the values. Then a small network thinks about
each token alone, and the residual stream carries everything forward to the next block.
Learning is slow at first, then fast, then slow again. We train, we test, we look inside.
The cat sat on the mat because it was tired. The animal didn't cross the street because it was
too wide. Where are you going? I'm going home; it's late, and the night is cold!
Numbers like 1, 2, 3, 42 and 2024 appear in text, and so do prices such as $3.50 or 10%.
Le café est très bon, la crème brûlée aussi. Déjà vu: une idée naïve dans un hôtel élégant.
Über die Brücke gehen wir schön langsam. El niño comió una piña en España.
def add(a, b):
    return a + b

for i in range(10):
    print(i * i)  # squares

class Model:
    def __init__(self, width):
        self.width = width
if x == 0 and y != 1: return {"key": [1, 2, 3]}
"""

SENTENCES = {
    "fox": "The quick brown fox jumps over the lazy dog.",
    "accents": "Déjà vu: the naïve café owner's crème brûlée!",
    "cjk": "東京は日本の首都です。Tokyo is big.",
    "emoji": "I love transformers 🤖🚀 so much ❤️",
    "code": "def square(x):\n    return x * x  # 42",
}


def seed(value):
    torch.manual_seed(value)
    np.random.seed(value)


def widen(model, matrix_std, seed_value):
    """Redraws every parameter: matrices N(0, matrix_std), vectors (biases) N(0, 0.1), norm gains
    1 + N(0, 0.1), so that each one's layout matters to the result."""
    generator = torch.Generator().manual_seed(seed_value)
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            noise = torch.randn(parameter.shape, generator=generator)
            if "norm" in name.lower() or "ln_" in name:
                parameter.copy_(1 + 0.1 * noise if name.endswith("weight") else 0.1 * noise)
            elif parameter.dim() == 1:
                parameter.copy_(0.1 * noise)
            else:
                parameter.copy_(matrix_std * noise)


def gpt2_tokenizer():
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    tokenizer.post_processor = processors.ByteLevel(trim_offsets=False)
    trainer = trainers.BpeTrainer(vocab_size=500, special_tokens=["<|endoftext|>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tokenizer.train_from_iterator(CORPUS.splitlines(), trainer=trainer)
    return PreTrainedTokenizerFast(tokenizer_object=tokenizer, bos_token="<|endoftext|>",
                                   eos_token="<|endoftext|>", unk_token="<|endoftext|>")


def roberta_tokenizer():
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    special = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]
    trainer = trainers.BpeTrainer(vocab_size=500, special_tokens=special,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tokenizer.train_from_iterator(CORPUS.splitlines(), trainer=trainer)
    tokenizer.post_processor = processors.RobertaProcessing(("</s>", 2), ("<s>", 0), trim_offsets=False,
                                                            add_prefix_space=False)
    return PreTrainedTokenizerFast(tokenizer_object=tokenizer, bos_token="<s>", eos_token="</s>", sep_token="</s>",
                                   cls_token="<s>", unk_token="<unk>", pad_token="<pad>", mask_token="<mask>")


def llama_tokenizer():
    """BPE over Metaspace words (▁ for a space, one added before the text), trained on the corpus,
    then rebuilt as Llama's vocabulary is laid out: <unk> <s> </s>, the 256 byte tokens, the rest."""
    # Trained on words, so that no merge spans a word boundary (as in a SentencePiece vocabulary);
    # run, as Hugging Face's Llama files do, on the whole text with split=False.
    metaspace = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="first", split=False)
    draft = Tokenizer(models.BPE(unk_token="<unk>"))
    draft.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="first", split=True)
    trainer = trainers.BpeTrainer(vocab_size=340, special_tokens=["<unk>", "<s>", "</s>"],
                                  show_progress=False)
    draft.train_from_iterator(CORPUS.splitlines(), trainer=trainer)
    trained = json.loads(draft.to_str())["model"]
    vocab = {"<unk>": 0, "<s>": 1, "</s>": 2}
    for byte in range(256):
        vocab[f"<0x{byte:02X}>"] = len(vocab)
    for piece, _ in sorted(trained["vocab"].items(), key=lambda item: item[1]):
        if piece not in vocab:
            vocab[piece] = len(vocab)
    merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in trained["merges"]]
    tokenizer = Tokenizer(models.BPE(vocab=vocab, merges=merges, unk_token="<unk>", byte_fallback=True,
                                     fuse_unk=True))
    tokenizer.pre_tokenizer = metaspace
    tokenizer.decoder = decoders.Sequence([decoders.Replace("▁", " "), decoders.ByteFallback(),
                                           decoders.Fuse(), decoders.Strip(" ", 1, 0)])
    tokenizer.post_processor = processors.TemplateProcessing(single="<s> $A", pair="<s> $A <s> $B",
                                                             special_tokens=[("<s>", 1)])
    tokenizer.add_special_tokens(["<unk>", "<s>", "</s>"])
    return PreTrainedTokenizerFast(tokenizer_object=tokenizer, bos_token="<s>", eos_token="</s>",
                                   unk_token="<unk>")


def bert_tokenizer():
    """WordPiece over a vocabulary chosen here (the library's WordPiece trainer breaks ties in
    hash order, so it is not repeatable): the special tokens, every character of the normalised
    corpus alone and as a ##continuation, then its most frequent words and word endings."""
    normalizer = normalizers.BertNormalizer(lowercase=True)
    pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    words = [w for line in CORPUS.splitlines()
             for w, _ in pre_tokenizer.pre_tokenize_str(normalizer.normalize_str(line))]
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    characters = sorted({c for w in words for c in w})
    vocab += characters + ["##" + c for c in characters]
    counts = {}
    for w in words:
        counts[w] = counts.get(w, 0) + 1
        for cut in range(2, len(w) - 1):
            counts["##" + w[cut:]] = counts.get("##" + w[cut:], 0) + 1
    for piece, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        if len(vocab) == 400:
            break
        if piece not in vocab and len(piece.lstrip("#")) > 1:
            vocab.append(piece)
    tokenizer = Tokenizer(models.WordPiece({token: i for i, token in enumerate(vocab)}, unk_token="[UNK]"))
    tokenizer.normalizer = normalizer
    tokenizer.pre_tokenizer = pre_tokenizer
    tokenizer.decoder = decoders.WordPiece()
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1", special_tokens=[("[CLS]", 2), ("[SEP]", 3)])
    tokenizer.add_special_tokens(vocab[:5])
    return PreTrainedTokenizerFast(tokenizer_object=tokenizer, unk_token="[UNK]", sep_token="[SEP]",
                                   pad_token="[PAD]", cls_token="[CLS]", mask_token="[MASK]")


def save(model, tokenizer, name):
    directory = os.path.join(HERE, name)
    shutil.rmtree(directory, ignore_errors=True)
    model.save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    size = sum(os.path.getsize(os.path.join(directory, f)) for f in os.listdir(directory))
    assert size < 2_000_000, f"{name} is {size} bytes"
    print(f"{name}: {sorted(os.listdir(directory))}, {size} bytes")
    return directory


def record(model, tokenizer, name, pre_ln):
    """Runs every sentence and writes its reference directory."""
    root = os.path.join(HERE, "reference", name)
    shutil.rmtree(root, ignore_errors=True)
    layers = model.config.num_hidden_layers
    # hidden_states[i] is the input of block i; the last one is the output after the final norm
    # (checked below), for a pre-LN model.
    hooks = [f"blocks.{i}.resid_pre" for i in range(layers)] + ["ln_final.out" if pre_ln else f"blocks.{layers - 1}.resid_post"]
    for case, text in SENTENCES.items():
        ids = tokenizer(text)["input_ids"]
        with torch.no_grad():
            out = model(torch.tensor([ids]), output_attentions=True, output_hidden_states=True)
            base = model.base_model(torch.tensor([ids])).last_hidden_state
        assert torch.equal(out.hidden_states[-1], base), "the last hidden state is not the final norm's output"
        attentions = torch.stack([a[0] for a in out.attentions]).numpy().astype(np.float32)
        hidden = torch.stack([h[0] for h in out.hidden_states]).numpy().astype(np.float32)
        directory = os.path.join(root, case)
        os.makedirs(directory)
        logits = out.logits[0].numpy().astype(np.float32) if hasattr(out, "logits") else None
        if logits is not None:
            np.save(os.path.join(directory, "logits.npy"), logits)
        np.save(os.path.join(directory, "attentions.npy"), attentions)
        np.save(os.path.join(directory, "hidden_states.npy"), hidden)
        with open(os.path.join(directory, "case.json"), "w", encoding="utf-8") as f:
            json.dump({"model": name, "text": text, "ids": ids, "tokens": tokenizer.convert_ids_to_tokens(ids),
                       "hidden_state_hooks": hooks}, f, ensure_ascii=False, indent=1)
            f.write("\n")
        top = attentions.max(axis=-1).mean()
        print(f"  {case}: {len(ids)} tokens, mean of each row's largest attention weight {top:.2f}")


def main():
    torch.set_num_threads(2)
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None

    def wanted(name):
        return only is None or only == name

    if wanted("tiny-gpt2"):
        build_gpt2()
    if wanted("tiny-llama"):
        build_llama("tiny-llama", seed_value=2, rope_scaling=None)
    if wanted("tiny-llama3-rope"):
        # With head size 16 the wavelengths 2π·10000^(i/8) run from 6.3 to 19,869 positions. With an
        # original context of 64 the bands are below 16 (kept), 16 to 64 (blended) and above 64
        # (slowed 8 times): pair 0 is kept, pairs 1 and 2 are blended, the other five slowed.
        build_llama("tiny-llama3-rope", seed_value=4, rope_scaling={
            "rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
            "original_max_position_embeddings": 64})
    if wanted("tiny-qwen2"):
        build_qwen2()
    if wanted("tiny-mistral"):
        build_mistral()
    if wanted("tiny-roberta"):
        build_roberta()
    if wanted("tiny-bert"):
        build_bert()


def build(name, seed_value, make_tokenizer, model_class, make_config, pre_ln):
    """Seeds, builds the tokenizer and the model from its config (eager attention), draws its weights
    wider (seed 10 + seed_value), saves both and records the reference activations."""
    seed(seed_value)
    tokenizer = make_tokenizer()
    model = model_class._from_config(make_config(len(tokenizer)), attn_implementation="eager").eval()
    widen(model, 0.2, 10 + seed_value)
    save(model, tokenizer, name)
    record(model, tokenizer, name, pre_ln=pre_ln)


def build_gpt2():
    build("tiny-gpt2", 1, gpt2_tokenizer, GPT2LMHeadModel, lambda vocab: GPT2Config(
        vocab_size=vocab, n_positions=128, n_embd=64, n_layer=2, n_head=4), pre_ln=True)


def build_llama(name, seed_value, rope_scaling):
    extra = {"rope_scaling": rope_scaling} if rope_scaling else {}
    build(name, seed_value, llama_tokenizer, LlamaForCausalLM, lambda vocab: LlamaConfig(
        vocab_size=vocab, hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
        num_key_value_heads=2, max_position_embeddings=128, rope_theta=10000.0, bos_token_id=1, eos_token_id=2,
        tie_word_embeddings=False, **extra), pre_ln=True)


def build_bert():
    build("tiny-bert", 3, bert_tokenizer, BertModel, lambda vocab: BertConfig(
        vocab_size=vocab, hidden_size=64, num_hidden_layers=2, num_attention_heads=4, intermediate_size=128,
        max_position_embeddings=128), pre_ln=False)


def build_qwen2():
    build("tiny-qwen2", 5, gpt2_tokenizer, Qwen2ForCausalLM, lambda vocab: Qwen2Config(
        vocab_size=vocab, hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
        num_key_value_heads=2, max_position_embeddings=128, rope_theta=1000000.0, tie_word_embeddings=True,
        use_sliding_window=False), pre_ln=True)


def build_mistral():
    build("tiny-mistral", 6, llama_tokenizer, MistralForCausalLM, lambda vocab: MistralConfig(
        vocab_size=vocab, hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
        num_key_value_heads=2, max_position_embeddings=128, sliding_window=64, rope_theta=10000.0,
        bos_token_id=1, eos_token_id=2, tie_word_embeddings=False), pre_ln=True)


def build_roberta():
    build("tiny-roberta", 7, roberta_tokenizer, RobertaModel, lambda vocab: RobertaConfig(
        vocab_size=vocab, hidden_size=64, num_hidden_layers=2, num_attention_heads=4, intermediate_size=128,
        max_position_embeddings=130, type_vocab_size=1, pad_token_id=1, bos_token_id=0, eos_token_id=2,
        layer_norm_eps=1e-5), pre_ln=False)


if __name__ == "__main__":
    sys.exit(main())
