#!/usr/bin/env bash
# Runs every libFuzzer target of fuzz/ (built in BUILD_DIR) for SECONDS each:
# first the saved crashers of fuzz/regressions/<target>/ once (each must
# pass), then fuzzing from the seeds of fuzz/corpus/<target>/ plus what
# earlier runs found (kept in BUILD_DIR/corpus/<target>/, never in the repo).
# Prints executions and coverage per target and in all; a crash stops it
# with its input saved under BUILD_DIR/crashes/ (copy it to
# fuzz/regressions/<target>/ with the fix).
# Usage: fuzz.sh BUILD_DIR SECONDS
# With FUZZ_RUNS=N in the environment (make test's short run) each target
# makes exactly N executions from seed 1 instead of running for SECONDS: the
# same inputs on every machine, so a CI run's verdict does not depend on luck
# or speed (new findings are for `make fuzz`'s long runs); a target listed in
# fuzz/short-runs makes the number given there if it is smaller.
set -uo pipefail
cd "$(dirname "$0")/.."
build=$1
seconds=$2
total=0
rc=0
mkdir -p "$build/crashes"
printf '%-18s %12s %8s %8s\n' target executions cov features
for bin in "$build"/fuzz-*; do
    [[ -x $bin && -f $bin ]] || continue
    t=$(basename "$bin")
    if compgen -G "fuzz/regressions/$t/*" >/dev/null; then
        if ! "$bin" -runs=1 fuzz/regressions/"$t"/* >"$build/$t.regressions.log" 2>&1; then
            echo "$t: a saved crasher fails again (see $build/$t.regressions.log)"
            rc=1
            continue
        fi
    fi
    mkdir -p "$build/corpus/$t"
    log="$build/$t.log"
    if [[ -n ${FUZZ_RUNS:-} ]]; then
        # A slow target (fuzz/short-runs: one "target runs" a line) makes
        # fewer, so the short phase stays short.
        runs=$FUZZ_RUNS
        fewer=$(awk -v t="$t" '$1 == t { print $2 }' fuzz/short-runs 2>/dev/null)
        if [[ -n $fewer ]] && ((fewer < runs)); then
            runs=$fewer
        fi
        budget=(-runs="$runs" -seed=1)
    else
        budget=(-max_total_time="$seconds")
    fi
    "$bin" "${budget[@]}" -print_final_stats=1 -max_len=4096 -timeout=10 \
        -rss_limit_mb=1024 -artifact_prefix="$build/crashes/$t-" \
        "$build/corpus/$t" "fuzz/corpus/$t" >"$log" 2>&1
    status=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    printf '%-18s %12s %8s %8s\n' "$t" "${execs:-?}" "${cov:-?}" "${ft:-?}"
    total=$((total + ${execs:-0}))
    if ((status != 0)); then
        echo "$t: FOUND A CRASH (exit $status); its log: $log"
        grep -E 'ERROR|SUMMARY|Test unit written' "$log" | head -5
        rc=1
    fi
done
printf '%-18s %12s\n' total "$total"
exit "$rc"
