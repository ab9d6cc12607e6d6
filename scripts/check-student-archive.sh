#!/usr/bin/env bash
# Checks a student archive as a student's machine would run it: unpacked into an empty temporary
# folder, run from there with an empty environment (no EXPLORER_HOME, no HOME of ours), the
# repository it was built from out of reach. It must find its models and lessons beside itself,
# say so in --version, run a model, draw a screen; and the binary alone, without its share/ folder,
# must find nothing (no silent fallback to the build repository's Models/).
#
# Usage: scripts/check-student-archive.sh [ARCHIVE.tar.gz]   (default: the newest in dist/)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
archive="${1:-$(ls -t "$repo"/dist/explorer-*-linux-x86_64.tar.gz 2>/dev/null | head -1)}"
[[ -f "$archive" ]] || { echo "error: no archive (run scripts/make-student-archive.sh first)" >&2; exit 1; }
archive="$(cd "$(dirname "$archive")" && pwd)/$(basename "$archive")"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home" "$work/lonely"
tar -C "$work" -xzf "$archive"
explorer="$(ls -d "$work"/explorer-*/bin/explorer)"
cd "$work"
run() { env -i PATH=/usr/bin:/bin HOME="$work/home" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

version="$(run "$explorer" --version)"
echo "$version"
grep -q "next to the executable" <<<"$version" || fail "--version does not find share/explorer next to the executable"
grep -qF "$work/" <<<"$version" || fail "--version names a folder outside the unpacked archive"
grep -qF "$repo" <<<"$version" && fail "--version names the build repository"

run "$explorer" inspect --text "the cat sat on the mat" >inspect.txt || fail "inspect failed: $(cat inspect.txt)"
grep -q "tiny-gpt" inspect.txt || fail "inspect did not run tiny-gpt"
run "$explorer" lessons >lessons.txt || fail "lessons failed"
grep -q "six-steps" lessons.txt || fail "the bundled lessons are not listed"
run "$explorer" explore --text "the animal didn't cross the street" --screenshot "$work/screen.txt" --size 100x30 \
  || fail "explore --screenshot failed"
grep -q "blocks.0.attn" "$work/screen.txt" || fail "the screenshot shows no heatmap"
run "$explorer" lesson six-steps --screenshot "$work/lesson.svg" || fail "lesson --screenshot failed"
run "$explorer" export heatmap --text "the cat sat" --hook blocks.0.attn.pattern --head 0 --out "$work/h.png" \
  || fail "export heatmap failed"

# The binary alone: it must not find the build repository's Models/ or Lessons/.
cp "$explorer" "$work/lonely/explorer"
lonely="$(run "$work/lonely/explorer" --version)"
grep -q "not found" <<<"$lonely" || fail "a lone copy of the binary still found data: $lonely"
if run "$work/lonely/explorer" inspect --text "the cat" 2>err.txt; then fail "a lone copy ran a bundled model"; fi
grep -q "were not found" err.txt || fail "a lone copy's error does not say the models were not found: $(cat err.txt)"

echo "needs: $(ldd "$explorer" | awk '{print $1}' | grep -v -e linux-vdso -e ld-linux | sort | tr '\n' ' ')"
echo "newest glibc symbol: $(objdump -T "$explorer" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -1)"
echo "ok: the archive runs from a copy with the repository out of reach"
