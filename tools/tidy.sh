#!/usr/bin/env bash
# clang-tidy over the roll's sources (src/, rocks-commands/), a unity batch at
# a time: the tidy tree is configured (never built) as a unity build like the
# real ones, and clang-tidy reads each batch of up to eight sources as one
# translation unit. The system headers, which are most of clang-tidy 14's
# time, are then read and matched once a batch instead of once a source
# (640 s of CPU for the 147 sources one at a time, 281 s by batch).
# Every source must be in a checked batch, or the run fails naming it.
# bugprone-suspicious-include is off in the tree (a unity batch is made of
# #include "x.cpp"); `make lint-format` refuses such an include in the sources.
# Usage: tidy.sh TIDY_BUILD JOBS [CMAKE_ARGS...]
set -euo pipefail
cd "$(dirname "$0")/.."
tree=$1
jobs=$2
shift 2

cmake -S . -B "$tree" "$@" >/dev/null
printf 'InheritParentConfig: true\nChecks: -bugprone-suspicious-include\n' >"$tree/.clang-tidy"

mapfile -t sources < <(git ls-files 'src/*.cpp' 'rocks-commands/*.cpp')
# The compile_commands entries (unity batches, or a source built on its own)
# that hold the sources, and any source none holds.
mapfile -t batches < <(python3 - "$tree/compile_commands.json" "$PWD" "${sources[@]}" <<'EOF'
import json, os, re, sys
commands, top, wanted = sys.argv[1], sys.argv[2], sys.argv[3:]
wanted = {os.path.join(top, s) for s in wanted}
chosen, held = [], set()
for entry in json.load(open(commands)):
    path = os.path.normpath(os.path.join(entry["directory"], entry["file"]))
    inside = {path}
    if "/Unity/unity_" in path:
        inside = set(re.findall(r'^#include "([^"]+)"', open(path).read(), re.M))
    if inside & wanted:
        chosen.append(path)
        held |= inside
for missing in sorted(wanted - held):
    print("MISSING " + os.path.relpath(missing, top))
print("\n".join(sorted(set(chosen))))
EOF
)
if missing=$(printf '%s\n' "${batches[@]}" | grep '^MISSING '); then
    echo "clang-tidy: not in any checked batch: ${missing//MISSING /}" >&2
    exit 1
fi

log=$tree/clang-tidy.log
# run-clang-tidy takes regular expressions; the paths are anchored and escaped.
patterns=()
for b in "${batches[@]}"; do
    patterns+=("^$(printf '%s' "$b" | sed 's/[][\.*^$+?(){}|]/\\&/g')\$")
done
if ! run-clang-tidy -quiet -j "$jobs" -p "$tree" "${patterns[@]}" >"$log" 2>&1; then
    grep -E '(warning|error):' "$log" | sort -u
    echo "clang-tidy found problems (all of it: $log)"
    exit 1
fi
echo "clang-tidy: clean (${#sources[@]} sources in ${#batches[@]} batches)"
