#!/usr/bin/env bash
# The MariaDB pass of the tests ("one suite, two backends"): starts one
# mariadbd of its own for the whole pass (mariadb-install-db into a temporary
# datadir, a unix socket in that directory, no TCP), then runs the given test
# programs against it (VCLUSTER_TEST_DB=mariadb: each test gets a fresh
# database loaded with tests/mariadb/rocks7-schema.sql, see
# tests/support/TestDatabase.h). The server is stopped and its directory
# removed on every exit: normal, failure, a signal, and, through a watchdog,
# even when this script is killed outright (a ctest timeout).
# Usage: mariadb-pass.sh TEST-PROGRAM[:GTEST-FILTER]...
set -uo pipefail

for tool in mariadb-install-db mariadbd; do
    command -v "$tool" >/dev/null || [[ -x /usr/sbin/$tool ]] || {
        echo "mariadb-pass: $tool not found (Debian package mariadb-server)" >&2
        exit 1
    }
done
PATH=$PATH:/usr/sbin

# The datadir on tmpfs where there is one: a test database's DDL is then
# about ten times faster than on disk (0.3 s instead of 2.5 s a test).
base=${TMPDIR:-/tmp}
[[ -d /dev/shm && -w /dev/shm ]] && base=/dev/shm
dir=$(mktemp -d "$base/vcluster-mariadb-XXXXXX")
server=
watchdog=
# shellcheck disable=SC2317  # run by the EXIT trap
stop() {
    if [[ -n $server ]] && kill -0 "$server" 2>/dev/null; then
        kill "$server" 2>/dev/null
        wait "$server" 2>/dev/null
    fi
    [[ -n $watchdog ]] && kill "$watchdog" 2>/dev/null
    rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT TERM HUP

user=$(id -un)
if ! mariadb-install-db --no-defaults --datadir="$dir/data" --user="$user" \
    --auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1; then
    cat "$dir/install.log" >&2
    exit 1
fi

# Durability off and small buffers: a test database lives for seconds.
mariadbd --no-defaults --datadir="$dir/data" --socket="$dir/mysql.sock" --skip-networking \
    --pid-file="$dir/mariadbd.pid" --log-error="$dir/error.log" --user="$user" \
    --skip-log-bin --innodb-buffer-pool-size=64M --innodb-log-file-size=16M \
    --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 --innodb-file-per-table=0 \
    --max-connections=400 --skip-name-resolve >/dev/null 2>&1 &
server=$!
# If this script dies without running its trap, the server goes too.
parent=$$
(
    while kill -0 "$parent" 2>/dev/null; do sleep 1; done
    kill "$server" 2>/dev/null
    rm -rf "$dir"
) >/dev/null 2>&1 &
watchdog=$!

for _ in $(seq 300); do
    [[ -S $dir/mysql.sock ]] && break
    kill -0 "$server" 2>/dev/null || break
    sleep 0.1
done
if [[ ! -S $dir/mysql.sock ]]; then
    echo "mariadb-pass: mariadbd did not start:" >&2
    cat "$dir/error.log" >&2
    exit 1
fi

export VCLUSTER_TEST_DB=mariadb VCLUSTER_TEST_MARIADB_SOCKET=$dir/mysql.sock
rc=0
for spec in "$@"; do
    program=${spec%%:*}
    filter=
    [[ $spec == *:* ]] && filter=${spec#*:}
    echo "== $(basename "$program") on MariaDB${filter:+ ($filter)}"
    t=$SECONDS
    if ! "$program" --gtest_brief=1 ${filter:+--gtest_filter="$filter"}; then
        rc=1
    fi
    echo "   $((SECONDS - t)) s"
done
exit "$rc"
