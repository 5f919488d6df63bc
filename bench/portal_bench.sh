#!/usr/bin/env bash
# The portal under load, on loopback only: requests/s and p50/p99 latency
# for bookings (POST, each a new reservation admitted or refused by the
# calendar) and for the reservation listing (GET /api/v1/reservations, a
# page of 100 rows, and the whole listing), with wrk at 64 concurrent
# connections, on a database holding PORTAL_BENCH_BOOKED reservations
# (default 10,000, loaded with `rocks load vcluster`). Prints the figures.
set -euo pipefail
build=${1:-build}
rocks="$(cd "$build" && pwd)/bin/rocks"
here=$(cd "$(dirname "$0")" && pwd)
duration=${PORTAL_BENCH_SECONDS:-10}
command -v wrk >/dev/null || { echo "portal bench: wrk is not installed (make deps)"; exit 1; }

work=$(mktemp -d)
pid=
cleanup() {
    [[ -n "$pid" ]] && { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
    rm -rf "$work"
}
trap cleanup EXIT
export ROCKS_DB="$work/cluster.db" VCLUSTER_NOW=2026-12-01T00:00:00Z
bash "$here/../tools/sample-cluster.sh" "$rocks" >/dev/null
printf 'bench-password\n' | "$rocks" add vcluster user admin role=admin
token=$("$rocks" add vcluster user token admin label=bench)
ssh-keygen -q -t ed25519 -N '' -C bench@example.org -f "$work/key" >/dev/null
key=$(cat "$work/key.pub")

# The bookings already in: one a node for two hours every half hour from a
# day on (a few at a time on the sample cluster's 8 vm-servers).
booked_before=${PORTAL_BENCH_BOOKED:-10000}
python3 - "$booked_before" "$key" "$VCLUSTER_NOW" >"$work/booked.json" <<'PY'
import datetime, json, sys
n, key, now = int(sys.argv[1]), sys.argv[2], sys.argv[3]
base = datetime.datetime.fromisoformat(now.replace("Z", "+00:00")) + datetime.timedelta(days=1)
fmt = lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")
print(json.dumps([{"name": "pre%d" % i, "start": fmt(base + datetime.timedelta(minutes=30 * i)),
                   "duration": "2h", "nodes": 1, "cpus": 1, "memory": "1GiB", "disk": "10GiB",
                   "owner": "admin", "sshkey": key} for i in range(n)]))
PY
"$rocks" load vcluster file="$work/booked.json" >/dev/null || [[ $? == 2 ]]

# per-address above wrk's 64 connections: at exactly 64 (a closing connection
# still counted) the daemon sheds requests with quick 503s, which wrk counts
# as served requests/s.
"$rocks" start vcluster portal listen=127.0.0.1:0 threads=64 per-address=256 >"$work/out" 2>"$work/err" &
pid=$!
for _ in $(seq 100); do grep -q listening "$work/out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^vcluster portal listening on //p' "$work/out")
[[ -n "$url" ]] || { cat "$work/err"; exit 1; }

# Bookings first (they also fill the calendar the listing then shows).
base=$(date -u -d "$VCLUSTER_NOW" +%s)
wrk -t2 -c64 -d"${duration}s" --latency -s "$here/portal_wrk.lua" "$url" -- "$token" "$key" "$base" \
    >"$work/book.txt"
wrk -t2 -c64 -d"${duration}s" --latency -H "Authorization: Bearer $token" \
    "$url/api/v1/reservations?limit=100&offset=5000" >"$work/page.txt"
wrk -t2 -c64 -d"${duration}s" --latency -H "Authorization: Bearer $token" \
    "$url/api/v1/reservations" >"$work/list.txt"

booked=$("$rocks" list vcluster output-format=json | grep -c '"name"' || true)
figures() {  # file label
    local rps p50 p99 total non2xx
    rps=$(awk '/^Requests\/sec/ {print $2}' "$1")
    p50=$(awk '$1 == "50%" {print $2}' "$1")
    p99=$(awk '$1 == "99%" {print $2}' "$1")
    total=$(awk '/requests in/ {print $1}' "$1")
    non2xx=$(awk '/Non-2xx/ {print $5}' "$1")
    printf '%-22s %10s req/s   p50 %-9s p99 %-9s (%s requests, %s non-2xx)\n' \
        "$2" "$rps" "$p50" "$p99" "$total" "${non2xx:-0}"
}
echo "portal on loopback, wrk 2 threads x 64 connections, ${duration}s each, $(nproc) cores," \
    "$booked_before bookings in before"
figures "$work/book.txt" "bookings (POST)"
figures "$work/page.txt" "listing page (GET, 100)"
figures "$work/list.txt" "listing (GET, $booked)"
echo "(non-2xx bookings are refusals: 409 when the calendar is full for that day)"
for f in page list; do
    n=$(awk '/Non-2xx/ {print $5}' "$work/$f.txt")
    [[ -z $n ]] || echo "WARNING: $n non-2xx answers to the $f GETs (503: shed, not served): their req/s is not the listing's"
done
