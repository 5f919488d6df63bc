#!/usr/bin/env bash
# What `make test` runs, in an order that keeps both cores busy: the format
# check, the plain build and its tests, then the QEMU lab with clang-tidy
# beside it (the lab's TCG guests leave about 40% of the CPU idle while they
# wait on each other; clang-tidy runs niced on every core, so the lab keeps
# its share and tidy takes the rest), then the ASan+UBSan build and its tests. Stops at the
# first failure; the wall time of every phase is printed at the end either way.
# Usage: test.sh [MAKE_ARGS...]   (from the top of the tree)
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
make=(make --no-print-directory "$@")
summary=()
t_all=$SECONDS

finish() {
    local rc=$1
    echo
    echo "== make test: wall time per phase"
    printf '%s\n' "${summary[@]}"
    printf '  %-34s %5d s\n' "total" $((SECONDS - t_all))
    ((rc == 0)) && echo "make test: every phase passed" || echo "make test: FAILED (exit $rc)"
    exit "$rc"
}

phase() { # NAME COMMAND...
    local name=$1 t=$SECONDS rc
    shift
    echo
    echo "== $name"
    "$@"
    rc=$?
    summary+=("$(printf '  %-34s %5d s%s' "$name" $((SECONDS - t)) "$( ((rc == 0)) || echo "  FAILED")")")
    ((rc == 0)) || finish "$rc"
}

lab_and_tidy() {
    local tidy_log t=$SECONDS rc_tidy rc_lab tidy_pid
    tidy_log=$(mktemp)
    nice -n 10 "${make[@]}" tidy-run >"$tidy_log" 2>&1 &
    tidy_pid=$!
    "${make[@]}" lab
    rc_lab=$?
    wait "$tidy_pid"
    rc_tidy=$?
    cat "$tidy_log"
    rm -f "$tidy_log"
    echo "(clang-tidy beside the lab: exit $rc_tidy; the lab: exit $rc_lab; $((SECONDS - t)) s)"
    ((rc_lab == 0 && rc_tidy == 0))
}

phase "clang-format check" "${make[@]}" lint-format
phase "plain build" "${make[@]}" build
phase "plain tests (ctest)" "${make[@]}" test-fast
phase "fuzzing, short (fuzz/)" "${make[@]}" fuzz-short
phase "QEMU lab + clang-tidy" lab_and_tidy
phase "ASan+UBSan build and tests" "${make[@]}" test-asan
finish 0
