#!/usr/bin/env bash
# Makes the folder and the tar.gz a teacher hands to students: a release build of `explorer` with the
# Swift runtime linked in (no Swift toolchain needed to run it), and the bundled models and lessons:
#
#   dist/explorer-<version>/bin/explorer
#   dist/explorer-<version>/share/explorer/Models
#   dist/explorer-<version>/share/explorer/Lessons
#   dist/explorer-<version>-linux-x86_64.tar.gz
#
# Usage: scripts/make-student-archive.sh [OUT_DIR]   (default: dist). SCRATCH=DIR builds in DIR
# instead of .build (so a debug build can go on meanwhile). Then: scripts/check-student-archive.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-dist}"
scratch="${SCRATCH:-.build}"
version="$(sed -n 's/.*static let version = "\(.*\)".*/\1/p' Sources/explorer/ExplorerCommand.swift)"
[[ -n "$version" ]] || { echo "error: cannot read the version from Sources/explorer/ExplorerCommand.swift" >&2; exit 1; }

start=$SECONDS
swift build -c release --static-swift-stdlib --product explorer --scratch-path "$scratch"
bin="$(swift build -c release --static-swift-stdlib --product explorer --scratch-path "$scratch" --show-bin-path)"
echo "build: $((SECONDS - start)) s"

name="explorer-$version"
dir="$out/$name"
rm -rf "$dir"
mkdir -p "$dir/bin" "$dir/share/explorer"
cp "$bin/explorer" "$dir/bin/explorer"
strip "$dir/bin/explorer" 2>/dev/null || true
cp -R Models Lessons "$dir/share/explorer/"
tar -C "$out" -czf "$out/$name-linux-x86_64.tar.gz" "$name"
echo "folder: $dir"
echo "archive: $out/$name-linux-x86_64.tar.gz ($(du -h "$out/$name-linux-x86_64.tar.gz" | cut -f1))"
