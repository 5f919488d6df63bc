#!/usr/bin/env bash
# The roll's commands inside Rocks' own `rocks` (cli/PythonShims.h), under
# Python 3 with the stand-in of Rocks' command base (standin/, from ROCKS.md):
# - the modules the build installs, and a fresh tree generated to run this
#   build's dispatcher, are Python 2.4 syntax that Python 3 parses (py24_syntax.py);
# - one module per command of the roll that Rocks lacks, none for Rocks' own
#   (those files of the stand-in stay as they were and keep answering);
# - `rocks <words> help` and `rocks help <words>` show the C++ plugin's help;
# - output, errors and exit status (0, 1 bad input, 2 refusal) and stdin pass
#   through unchanged: each command run through Rocks' launcher and run
#   directly on copies of one database gives the same bytes and status.
# Env (set by ctest): VCLUSTER_SOURCE_DIR, VCLUSTER_BINARY_DIR.
set -euo pipefail

src=${VCLUSTER_SOURCE_DIR:?}
build=${VCLUSTER_BINARY_DIR:?}
here=$src/tests/rocks-python
rocks=$build/bin/rocks
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vcluster-rocks-python-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() {
    echo "FAIL: $*" >&2
    exit 1
}

echo "--- the build's modules (installed into Rocks' site-packages)"
installed=$build/rocks-python/site-packages
[[ -d $installed/rocks/commands ]] || fail "no $installed/rocks/commands"
mapfile -t built < <(find "$installed" -name '*.py' | sort)
((${#built[@]} > 10)) || fail "only ${#built[@]} modules in $installed"
python3 "$here/py24_syntax.py" "${built[@]}" || fail "the build's modules are not Python 2.4"
grep -q "^DISPATCHER = '/opt/rocks/libexec/vcluster/rocks'$" \
    "$installed/rocks/commands/add/vcluster/__init__.py" ||
    fail "the installed add vcluster module does not run /opt/rocks/libexec/vcluster/rocks"

echo "--- a tree for this build's dispatcher, over the stand-in of Rocks"
"$build/bin/rocks-python-shims" --plugin-dir "$build/lib/vcluster/commands" \
    --rocks-packages "$src/src/rocks-python/rocks-owned-commands.txt" \
    --dispatcher "$rocks" --out "$tmp/gen" --owned-list "$tmp/owned.txt"
mapfile -t generated < <(cd "$tmp/gen" && find . -name '*.py' | sed 's|^\./||' | sort)
python3 "$here/py24_syntax.py" "${generated[@]/#/$tmp/gen/}" || fail "generated modules are not Python 2.4"
site=$tmp/site
mkdir -p "$site"
cp -r "$here/standin/rocks" "$site/"
for f in "${generated[@]}"; do
    [[ ! -e $site/$f ]] || fail "the roll's $f would replace Rocks' own file"
    mkdir -p "$(dirname "$site/$f")"
    cp "$tmp/gen/$f" "$site/$f"
done
# Rocks' packages are never the roll's: none generated, none owned
while read -r pkg; do
    [[ -z $pkg || $pkg == \#* ]] && continue
    [[ ! -e $tmp/gen/rocks/commands/$pkg/__init__.py ]] || fail "a module for Rocks' own '$pkg'"
    grep -qxF "rocks/commands/$pkg" "$tmp/owned.txt" && fail "the roll owns Rocks' $pkg"
done <"$src/src/rocks-python/rocks-owned-commands.txt"
grep -qxF rocks/commands/add/vcluster "$tmp/owned.txt" || fail "owned.txt lacks add/vcluster"
grep -qxF rocks/commands/rollback "$tmp/owned.txt" || fail "owned.txt lacks the new verb rollback"

launch() { PYTHONPATH=$site python3 "$here/standin/bin/rocks" "$@"; }

echo "--- every command of the roll that Rocks lacks has a module; Rocks' own keep theirs"
ours=$("$rocks" help | sed -n 's/^  \([a-z].*[a-z]\)  .*/\1/p' | sed 's/ *$//' | sort)
[[ -n $ours ]] || fail "rocks help listed no commands"
python3 - "$site" "$src/src/rocks-python/rocks-owned-commands.txt" "$ours" <<'PY' || fail "module set"
import sys
sys.path.insert(0, sys.argv[1])
import rocks.commands
owned = set(l.strip() for l in open(sys.argv[2]) if l.strip() and not l.startswith('#'))
ours = set(l.strip() for l in sys.argv[3].split('\n') if l.strip())
want = set(c for c in ours if c.replace(' ', '/') not in owned)
found = {}
for words, command in rocks.commands.commandTree():
    found[' '.join(words)] = command
shimmed = set(n for n, c in found.items() if getattr(sys.modules[c.__module__], 'WORDS', None))
missing, extra = want - shimmed, shimmed - want
if missing or extra or len(want) < 20:
    print('missing %s, extra %s, want %d' % (sorted(missing), sorted(extra), len(want)))
    sys.exit(1)
for name in shimmed:
    module = sys.modules[found[name].__module__]
    assert module.WORDS == name.split(), name
print('%d modules, %d of the roll\'s commands left to Rocks' % (len(shimmed), len(ours - want)))
PY
[[ $(launch list host) == "Rocks' own list host" ]] || fail "Rocks' own list host was replaced"
for own in "set attr" "add host" "list appliance" "remove host" "report host"; do
    # shellcheck disable=SC2086 # the words of the command
    [[ $(launch $own x) == "Rocks' own $own" ]] || fail "Rocks' own $own was replaced"
done

echo "--- help from the plugin's own help"
usage=$(launch add vcluster help)
direct=$("$rocks" help add vcluster)
mapfile -t params < <(sed -n 's/^  \([a-z][a-z0-9_-]*\)=.*/\1/p' <<<"$direct" | grep -vx db)
((${#params[@]} > 5)) || fail "rocks help add vcluster shows few parameters: $direct"
for p in "${params[@]}"; do
    grep -q "\[$p=string\]\|{$p=string}" <<<"$usage" || fail "rocks add vcluster help lacks $p=:"$'\n'"$usage"
done
grep -q '^rocks add vcluster {name}' <<<"$usage" || fail "usage line: $usage"
grep -q 'Examples:' <<<"$usage" || fail "no examples in: $usage"
listing=$(launch help add vcluster)
grep -q '^add vcluster {name} ' <<<"$listing" || fail "rocks help add vcluster: $listing"
listing=$(launch help snapshot)
grep -q '^create vcluster snapshot ' <<<"$listing" || fail "rocks help snapshot: $listing"
# a package that is no command lists the commands under it
listing=$(launch report host vcluster || true)
grep -q '^report host vcluster config ' <<<"$listing" ||
    fail "rocks report host vcluster does not list its command: $listing"

echo "--- output, errors, exit status, stdin: unchanged"
db=$tmp/base.db
ROCKS_DB=$db bash "$src/tools/sample-cluster.sh" "$rocks" >/dev/null
key=$tmp/key.pub
ssh-keygen -q -t ed25519 -N '' -C tenant -f "$tmp/key" >/dev/null
n=0
dump() { # a database's rows, but for the random root password hashes and tokens of bookings
    sqlite3 "$1" .dump | grep -v '^INSERT INTO vcluster_root_passwords '
}
same() { # same STATUS ARGS...: through Rocks' launcher and directly, on copies of the database
    local want=$1
    shift
    n=$((n + 1))
    cp "$db" "$tmp/a$n.db"
    cp "$db" "$tmp/b$n.db"
    local sa=0 sb=0
    ROCKS_DB=$tmp/a$n.db launch "$@" <"$tmp/stdin" >"$tmp/a.out" 2>"$tmp/a.err" || sa=$?
    ROCKS_DB=$tmp/b$n.db "$rocks" "$@" <"$tmp/stdin" >"$tmp/b.out" 2>"$tmp/b.err" || sb=$?
    [[ $sa == "$want" && $sb == "$want" ]] || fail "rocks $*: exit $sa via Rocks, $sb directly, want $want"
    if [[ $1 == add && $2 == vcluster ]]; then # a booking's root password is random
        sed -Ei 's/ [A-Za-z0-9]{19}$/ <root-password>/' "$tmp/a.out" "$tmp/b.out"
    fi
    cmp -s "$tmp/a.out" "$tmp/b.out" || fail "rocks $*: stdout differs: $(diff "$tmp/a.out" "$tmp/b.out")"
    cmp -s "$tmp/a.err" "$tmp/b.err" || fail "rocks $*: stderr differs: $(diff "$tmp/a.err" "$tmp/b.err")"
    [[ $want == 0 ]] || [[ -s $tmp/a.err ]] || fail "rocks $*: no error text"
    # (a password hash has its own random salt each time)
    [[ ${SAME_ROWS:-yes} == no ]] || cmp -s <(dump "$tmp/a$n.db") <(dump "$tmp/b$n.db") ||
        fail "rocks $*: the databases differ"
}
: >"$tmp/stdin"
same 0 add vcluster dc1 start=2026-12-07T09:00:00Z end=2026-12-31T23:59:59Z nodes=2 \
    memory=2GiB disk=20GiB sshkey="$key" owner=provider
same 1 add vcluster dc1 start=2026-12-07T09:00:00Z nodes=two sshkey="$key"
same 1 add vcluster dc1 start=2026-12-07T09:00:00Z end=2026-12-08T00:00:00Z nodes=2 sshkey="$key" colour=red
same 2 add vcluster big start=2026-12-07T09:00:00Z end=2026-12-08T00:00:00Z nodes=5000 sshkey="$key"
same 0 list vcluster output-format=json
same 0 list appliance graph vm-server
same 1 list vcluster node nosuchcluster extra words
printf 'a long enough password\n' >"$tmp/stdin"
SAME_ROWS=no same 0 add vcluster user alice
ROCKS_DB=$tmp/a$n.db "$rocks" list vcluster user | grep -q '^alice' || fail "alice not added through Rocks"
echo "PASS"
