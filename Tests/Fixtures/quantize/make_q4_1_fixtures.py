#!/usr/bin/env python3
"""Q4_1 blocks made by the `gguf` package (gguf-py's quants.py), for Tests/TensorTests/Q4_1BlockTests.

Writes q4_1.json beside this script: a list of cases, each
  {"name", "values": [float32 bit patterns], "bytes": "hex of the 20-byte blocks",
   "widened": [float32 bit patterns of gguf's dequantize]}
with the values as bit patterns so that nothing is lost between NumPy and Swift. Every case is
blocks of 32 values; the Swift quantizer must give the same bytes, and its widened values the same
bits. Deterministic (a fixed seed).

    python3 Tests/Fixtures/quantize/make_q4_1_fixtures.py
"""
import json
import os
import struct

import numpy as np
from gguf import GGMLQuantizationType, quants

rng = np.random.default_rng(20261204)
here = os.path.dirname(os.path.abspath(__file__))


def safetensors_tensor(path, name):
    """One float32 tensor of a safetensors file, read with NumPy alone."""
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    entry = json.loads(data[8:8 + length])[name]
    start, end = entry["data_offsets"]
    return np.frombuffer(data[8 + length + start:8 + length + end], dtype=np.float32).reshape(entry["shape"])


def case(name, values):
    values = np.asarray(values, dtype=np.float32).reshape(-1, 32)
    blocks = quants.quantize(values, GGMLQuantizationType.Q4_1)
    widened = quants.dequantize(blocks, GGMLQuantizationType.Q4_1).astype(np.float32)
    return {
        "name": name,
        "values": values.ravel().view(np.uint32).tolist(),
        "bytes": blocks.tobytes().hex(),
        "widened": widened.ravel().view(np.uint32).tolist(),
    }


cases = [
    case("normal weights, sd 0.1", rng.normal(0, 0.1, size=(64, 32))),
    case("uniform -1..1", rng.uniform(-1, 1, size=(32, 32))),
    case("all positive, far from 0", rng.uniform(100, 101, size=(8, 32))),
    case("all negative", -rng.exponential(2.0, size=(8, 32))),
    case("tiny values (half-float subnormals)", rng.normal(0, 1e-6, size=(8, 32))),
    case("large values", rng.normal(0, 3000, size=(8, 32))),
    case("a constant block (d = 0)", np.full(32, 0.25)),
    case("zeros", np.zeros(32)),
    case("one outlier", np.concatenate([rng.normal(0, 0.01, size=31), [5.0]])),
    case("codes on half steps", np.arange(32) / 2.0),
    case("integers 0..15 twice", np.tile(np.arange(16), 2)),
    # What the model-files lesson shows: the first 32 numbers of tiny-gpt's embed.W_E (rows 0 and 1).
    case("tiny-gpt embed.W_E, first 32",
         safetensors_tensor(os.path.join(here, "../../../Models/tiny-gpt/model.safetensors"), "embed.W_E").ravel()[:32]),
]

out = os.path.join(here, "q4_1.json")
with open(out, "w") as f:
    json.dump(cases, f, indent=0)
    f.write("\n")
print(f"{len(cases)} cases, {sum(len(c['values']) // 32 for c in cases)} blocks -> {os.path.relpath(out)}")
