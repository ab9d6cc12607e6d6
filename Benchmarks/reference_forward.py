#!/usr/bin/env python3
"""The forward pass of a Hugging Face model directory (or a GGUF file) in PyTorch and in ONNX Runtime, timed the way
`explorer bench` times its own: the median of repeated runs on the same ids, 2 threads, every
attention pattern returned (eager attention, output_attentions=True; the ONNX graph is exported with
each layer's attention as an output).

    python3 Benchmarks/reference_forward.py --model DIR|FILE.gguf --ids 0,1,2,3 [--seconds 0.5] [--threads 2]

Prints one JSON object: {"torch_ms", "torch_version", "onnxruntime_ms", "onnxruntime_version"}, with
"torch_error" / "onnxruntime_error" in place of a figure that could not be measured. Needs torch and
transformers (and onnxruntime and onnx for the second figure); none of them is a dependency of the
project: `explorer bench` runs this only when they can be imported.
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import time


# transformers widens a GGUF file with a progress bar per tensor; the figures need none.
os.environ.setdefault("TQDM_DISABLE", "1")

def median_ms(run, seconds):
    run()
    samples = []
    start = time.perf_counter()
    while len(samples) < 5 or time.perf_counter() - start < seconds:
        t0 = time.perf_counter()
        run()
        samples.append((time.perf_counter() - t0) * 1000)
        if len(samples) >= 10_000:
            break
    return statistics.median(samples)


def load(directory):
    import transformers
    if os.path.isfile(directory):
        # A GGUF file (llama, qwen2, mistral: causal models), widened to float32 by transformers.
        folder, name = os.path.split(os.path.abspath(directory))
        return transformers.AutoModelForCausalLM.from_pretrained(
            folder, gguf_file=name, attn_implementation="eager", dtype="float32").eval()
    with open(os.path.join(directory, "config.json")) as f:
        model_type = json.load(f).get("model_type")
    # The same model the explorer runs: with its LM head when it has one (logits), else the encoder.
    cls = transformers.AutoModel if model_type in ("bert", "roberta") else transformers.AutoModelForCausalLM
    return cls.from_pretrained(directory, attn_implementation="eager", dtype="float32").eval()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--ids", required=True, help="comma-separated token ids")
    parser.add_argument("--seconds", type=float, default=0.5)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    ids = [int(i) for i in args.ids.split(",")]
    report = {}

    import torch
    torch.set_num_threads(args.threads)
    report["torch_version"] = torch.__version__
    try:
        import transformers
        transformers.logging.set_verbosity_error()
        model = load(args.model)
        inputs = torch.tensor([ids])
        with torch.inference_mode():
            report["torch_ms"] = median_ms(
                lambda: model(inputs, output_attentions=True, output_hidden_states=True), args.seconds)
    except Exception as error:  # a figure that cannot be had is reported, not fatal
        report["torch_error"] = f"{type(error).__name__}: {error}"
        print(json.dumps(report))
        return

    try:
        import onnxruntime
        report["onnxruntime_version"] = onnxruntime.__version__

        class EveryAttention(torch.nn.Module):
            """The model's main output followed by every layer's attention pattern."""
            def __init__(self, inner):
                super().__init__()
                self.inner = inner

            def forward(self, input_ids):
                out = self.inner(input_ids, output_attentions=True, use_cache=False, return_dict=True)
                main_output = out.logits if hasattr(out, "logits") else out.last_hidden_state
                return (main_output, *out.attentions)

        layers = model.config.num_hidden_layers
        names = ["output"] + [f"attention_{i}" for i in range(layers)]
        with tempfile.TemporaryDirectory() as scratch:
            path = os.path.join(scratch, "model.onnx")
            with torch.inference_mode():
                torch.onnx.export(EveryAttention(model), (inputs,), path, input_names=["input_ids"],
                                  output_names=names, dynamo=False, opset_version=17)
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = args.threads
            options.inter_op_num_threads = 1
            session = onnxruntime.InferenceSession(path, options, providers=["CPUExecutionProvider"])
            feed = {"input_ids": inputs.numpy()}
            outputs = session.run(None, feed)
            assert len(outputs) == layers + 1, "the ONNX graph lacks attention outputs"
            report["onnxruntime_ms"] = median_ms(lambda: session.run(None, feed), args.seconds)
    except Exception as error:
        report["onnxruntime_error"] = f"{type(error).__name__}: {error}"
    print(json.dumps(report))


if __name__ == "__main__":
    sys.exit(main())
