#!/usr/bin/env python3
"""Greedy generation of a Hugging Face model directory (or a GGUF file) in PyTorch transformers, with its KV cache,
timed the way `explorer bench` times its own: the prompt is token ids 0, 1, 2, ... (modulo the
vocabulary), exactly --new-tokens new tokens are made (the end-of-sequence token does not stop
them), and the speed is the tokens of the one-token steps after the prompt's pass over their time,
taken from the moment each token's logits reach the logits processors. The median over runs.

    python3 Benchmarks/reference_generate.py --model DIR|FILE.gguf --prompt-tokens 64 --new-tokens 32 [--seconds 0.5] [--threads 2]

Prints one JSON object: {"tokens_per_second", "torch_version"}, or "error" in place of the figure.
Needs torch and transformers, which are not dependencies of the project: `explorer bench` runs this
only when they can be imported.
"""
import argparse
import json
import os
import statistics
import sys
import time


# transformers widens a GGUF file with a progress bar per tensor; the figures need none.
os.environ.setdefault("TQDM_DISABLE", "1")

def load_model(transformers, path):
    """A model directory, or a GGUF file (which transformers widens to float32 with the gguf package)."""
    if os.path.isfile(path):
        folder, name = os.path.split(os.path.abspath(path))
        return transformers.AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, dtype="float32").eval()
    return transformers.AutoModelForCausalLM.from_pretrained(path, dtype="float32").eval()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--prompt-tokens", type=int, required=True)
    parser.add_argument("--new-tokens", type=int, required=True)
    parser.add_argument("--seconds", type=float, default=0.5)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    import torch
    torch.set_num_threads(args.threads)
    report = {"torch_version": torch.__version__}
    try:
        import transformers
        transformers.logging.set_verbosity_error()
        model = load_model(transformers, args.model)
        vocabulary = model.config.vocab_size
        inputs = torch.tensor([[i % vocabulary for i in range(args.prompt_tokens)]])

        class Clock(transformers.LogitsProcessor):
            """Notes the time each new token's logits arrive; changes nothing."""
            def __init__(self):
                self.times = []

            def __call__(self, input_ids, scores):
                self.times.append(time.perf_counter())
                return scores

        def run():
            clock = Clock()
            with torch.inference_mode():
                model.generate(inputs, attention_mask=torch.ones_like(inputs), do_sample=False, use_cache=True,
                               max_new_tokens=args.new_tokens, min_new_tokens=args.new_tokens,
                               logits_processor=transformers.LogitsProcessorList([clock]),
                               pad_token_id=model.config.eos_token_id if model.config.pad_token_id is None else None)
            steps = len(clock.times) - 1
            return steps / (clock.times[-1] - clock.times[0]) if steps > 0 else float("nan")

        run()
        samples = []
        start = time.perf_counter()
        while len(samples) < 3 or time.perf_counter() - start < args.seconds:
            samples.append(run())
        report["tokens_per_second"] = statistics.median(samples)
    except Exception as error:  # a figure that cannot be had is reported, not fatal
        report["error"] = f"{type(error).__name__}: {error}"
    print(json.dumps(report))


if __name__ == "__main__":
    sys.exit(main())
