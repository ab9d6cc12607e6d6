#!/usr/bin/env python3
"""Writes the GGUF fixtures of the Swift tests (Tests/Fixtures/gguf/).

    pip install gguf numpy
    python3 Tests/Fixtures/gguf/make_gguf_fixtures.py

types.gguf: one tensor per tensor type the explorer reads (F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0,
Q5_1, Q4_K, Q5_K, Q6_K), each 2 rows of 256 values made of random bytes (with finite random
half-float scales where the block has them), written by the `gguf` package's writer, plus a Q2_K
tensor the explorer refuses and metadata of every value type. types/<TYPE>.npy holds what
`gguf.quants.dequantize` makes of each tensor's bytes (float32, shape [2, 256]). Deterministic.
"""
import os
import sys

import numpy as np
import gguf
from gguf import GGMLQuantizationType as Q

HERE = os.path.dirname(os.path.abspath(__file__))
ROWS, COLUMNS = 2, 256

# Byte offsets of the half-float scales inside one block, per type (ggml's block structs).
HALF_FIELDS = {
    Q.Q8_0: [0], Q.Q4_0: [0], Q.Q4_1: [0, 2], Q.Q5_0: [0], Q.Q5_1: [0, 2],
    Q.Q4_K: [0, 2], Q.Q5_K: [0, 2], Q.Q6_K: [208],
}
TYPES = [Q.F32, Q.F16, Q.BF16, Q.Q8_0, Q.Q4_0, Q.Q4_1, Q.Q5_0, Q.Q5_1, Q.Q4_K, Q.Q5_K, Q.Q6_K]


def random_blocks(rng, qtype):
    """[ROWS, row bytes] uint8 of random blocks of qtype with finite scales in ±[2^-10, 2)."""
    values, size = gguf.GGML_QUANT_SIZES[qtype]
    if qtype == Q.F32:
        return rng.standard_normal((ROWS, COLUMNS)).astype(np.float32).view(np.uint8)
    if qtype == Q.F16:
        return rng.standard_normal((ROWS, COLUMNS)).astype(np.float16).view(np.uint8)
    if qtype == Q.BF16:
        bits = rng.standard_normal((ROWS, COLUMNS)).astype(np.float32).view(np.uint32) >> 16
        return bits.astype(np.uint16).view(np.uint8)
    blocks = rng.integers(0, 256, size=(ROWS * COLUMNS // values, size), dtype=np.uint8)
    for offset in HALF_FIELDS[qtype]:
        scales = (rng.uniform(2 ** -10, 2, size=blocks.shape[0]) * rng.choice([-1, 1], blocks.shape[0]))
        blocks[:, offset:offset + 2] = scales.astype(np.float16).view(np.uint8).reshape(-1, 2)
    return blocks.reshape(ROWS, -1)


def main():
    rng = np.random.default_rng(13)
    os.makedirs(os.path.join(HERE, "types"), exist_ok=True)
    writer = gguf.GGUFWriter(os.path.join(HERE, "types.gguf"), arch="llama")
    writer.add_uint8("test.uint8", 200)
    writer.add_int8("test.int8", -100)
    writer.add_uint16("test.uint16", 60000)
    writer.add_int16("test.int16", -30000)
    writer.add_uint32("test.uint32", 4000000000)
    writer.add_int32("test.int32", -2000000000)
    writer.add_float32("test.float32", 0.15625)
    writer.add_uint64("test.uint64", 2 ** 63 + 5)
    writer.add_int64("test.int64", -(2 ** 62))
    writer.add_float64("test.float64", -1.0e-300)
    writer.add_bool("test.bool", True)
    writer.add_string("test.string", "naïve 漢字 🙂")
    writer.add_array("test.strings", ["a", "", "Ġthe"])
    writer.add_array("test.int32s", [1, -2, 3])
    writer.add_array("test.nested", [[1, 2], [3]])
    for qtype in TYPES:
        raw = random_blocks(rng, qtype)
        writer.add_tensor(qtype.name, raw, raw_dtype=qtype)
        expected = gguf.quants.dequantize(raw, qtype).astype(np.float32).reshape(ROWS, COLUMNS)
        np.save(os.path.join(HERE, "types", qtype.name + ".npy"), expected)
    refused = rng.integers(0, 256, size=(1, gguf.GGML_QUANT_SIZES[Q.Q2_K][1]), dtype=np.uint8)
    writer.add_tensor("Q2_K", refused, raw_dtype=Q.Q2_K)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    print("wrote", os.path.join(HERE, "types.gguf"), os.path.getsize(os.path.join(HERE, "types.gguf")), "bytes")


if __name__ == "__main__":
    sys.exit(main())
