#!/usr/bin/env bash
# Runs every libFuzzer target of fuzz/ (built in BUILD_DIR) for SECONDS each:
# first the saved crashers of fuzz/regressions/<target>/ once (each must
# pass), then fuzzing from the seeds of fuzz/corpus/<target>/ plus what
# earlier runs found (kept in BUILD_DIR/corpus/<target>/, never in the repo).
# Prints executions and coverage per target and in all; a crash stops it
# with its input saved under BUILD_DIR/crashes/ (copy it to
# fuzz/regressions/<target>/ with the fix).
# Usage: fuzz.sh BUILD_DIR SECONDS   (FUZZ_JOBS=N targets at once, default the cores)
# With FUZZ_RUNS=N in the environment (make test's short run) each target
# makes exactly N executions from seed 1 instead of running for SECONDS: the
# same inputs on every machine, so a CI run's verdict does not depend on luck
# or speed (new findings are for `make fuzz`'s long runs); a target listed in
# fuzz/short-runs makes the number given there if it is smaller.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
build=$1
seconds=$2
# Targets run side by side, FUZZ_JOBS at once (default: the cores); the table
# is printed in target order when all are done.
jobs=${FUZZ_JOBS:-$(nproc)}
mkdir -p "$build/crashes"

# fuzz_one BIN: runs one target; its row of the table goes to BIN.row, and
# what went wrong, if anything, to BIN.problem.
fuzz_one() {
    local bin=$1 t runs fewer log status execs cov ft
    t=$(basename "$bin")
    rm -f "$bin.row" "$bin.problem"
    if compgen -G "fuzz/regressions/$t/*" >/dev/null; then
        if ! "$bin" -runs=1 fuzz/regressions/"$t"/* >"$build/$t.regressions.log" 2>&1; then
            echo "$t: a saved crasher fails again (see $build/$t.regressions.log)" >"$bin.problem"
            return
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
    printf '%-18s %12s %8s %8s\n' "$t" "${execs:-?}" "${cov:-?}" "${ft:-?}" >"$bin.row"
    if ((status != 0)); then
        {
            echo "$t: FOUND A CRASH (exit $status); its log: $log"
            grep -E 'ERROR|SUMMARY|Test unit written' "$log" | head -5
        } >"$bin.problem"
    fi
}

targets=()
for bin in "$build"/fuzz-*; do
    [[ -x $bin && -f $bin ]] && targets+=("$bin")
done
for bin in "${targets[@]}"; do
    while (($(jobs -rp | wc -l) >= jobs)); do
        wait -n
    done
    fuzz_one "$bin" &
done
wait

total=0
rc=0
printf '%-18s %12s %8s %8s\n' target executions cov features
for bin in "${targets[@]}"; do
    if [[ -f $bin.row ]]; then
        cat "$bin.row"
        total=$((total + $(awk '{ print ($2 ~ /^[0-9]+$/) ? $2 : 0 }' "$bin.row")))
    fi
    if [[ -f $bin.problem ]]; then
        cat "$bin.problem"
        rc=1
    fi
    rm -f "$bin.row" "$bin.problem"
done
printf '%-18s %12s\n' total "$total"
exit "$rc"
