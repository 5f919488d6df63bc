#include "materialise/ShellScript.h"

#include <cstdio>

#include "util/Error.h"

namespace vcluster::materialise {

std::string shellQuote(std::string_view text) {
    // Words made only of characters no shell treats specially stay bare, for
    // readable scripts; anything else is single-quoted.
    const bool plain = !text.empty() && text.find_first_not_of(
                                            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                            "0123456789_-./:=@%+,") == std::string_view::npos;
    if (plain) {
        return std::string(text);
    }
    std::string out = "'";
    for (char c : text) {
        if (c == '\'') {
            out += "'\\''";
        } else {
            out += c;
        }
    }
    out += '\'';
    return out;
}

Word Word::under(std::string_view variable, std::string_view suffix) {
    return Word(RawTag{}, "\"${" + std::string(variable) + "}\"" + shellQuote(suffix));
}

Word Word::raw(std::string_view snippet) { return Word(RawTag{}, std::string(snippet)); }

std::string render(const ShellCommand& command) {
    std::string out;
    for (const auto& w : command) {
        if (!out.empty()) {
            out += ' ';
        }
        out += w.rendered();
    }
    return out;
}

std::string render(const ShellPipeline& pipeline) {
    std::string out;
    for (std::size_t i = 0; i < pipeline.size(); ++i) {
        out += render(pipeline[i]);
        // Only the status matters; grep reads all its input so pipefail never
        // sees a SIGPIPE'd writer.
        out += i + 1 < pipeline.size() ? " 2>/dev/null | " : " >/dev/null 2>&1";
    }
    return out;
}

namespace {

// The prelude, in pieces: a script only carries the helpers it uses, so
// shellcheck sees no unused variable.
constexpr const char* kStrict = R"SH(set -euo pipefail
umask 077
export PATH=${VCLUSTER_TOOL_PATH:+$VCLUSTER_TOOL_PATH:}/usr/sbin:/sbin:/usr/bin:/bin:$PATH
sections=${VCLUSTER_SECTIONS:-all}

wanted() {
    [[ $sections == all || " $sections " == *" $1 "* ]]
}
)SH";

constexpr const char* kHere = R"SH(here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
)SH";

constexpr const char* kRoot = R"SH(root=${VCLUSTER_ROOT:-}
)SH";

constexpr const char* kTgtOptions = R"SH(tgt_opts=()
if [[ -n ${VCLUSTER_TGT_CONTROL_PORT:-} ]]; then
    tgt_opts=(-C "$VCLUSTER_TGT_CONTROL_PORT")
fi
)SH";

constexpr const char* kInstallFile = R"SH(
# install_file SOURCE DEST MODE: copies only when the content differs.
install_file() {
    if [[ -f $2 ]] && cmp -s -- "$1" "$2"; then
        chmod -- "$3" "$2"
        return 0
    fi
    install -D -m "$3" -- "$1" "$2"
}
)SH";

constexpr const char* kHasField = R"SH(
# has_field N VALUE [N VALUE...]: succeeds when a line of stdin has exactly
# VALUE as its Nth field (for every pair), e.g. an IQN in a listing.
has_field() {
    awk -v spec="$*" 'BEGIN { n = split(spec, s, " ") }
        { ok = 1; for (i = 1; i < n; i += 2) if ($(s[i]) != s[i + 1]) ok = 0; if (ok) found = 1 }
        END { exit !found }'
}
)SH";

constexpr const char* kTgtTarget = R"SH(
# tgt_target IQN: the lines of a `tgtadm --mode target --op show` listing
# (stdin) that describe target IQN (its LUNs, accounts and ACL).
tgt_target() {
    awk -v iqn="$1" '$1 == "Target" { on = ($3 == iqn) } on'
}

# tgt_tid IQN: the id tgtd gave target IQN.
tgt_tid() {
    tgtadm "${tgt_opts[@]}" --lld iscsi --mode target --op show |
        awk -v iqn="$1" '$1 == "Target" && $3 == iqn { sub(":", "", $2); print $2; found = 1 }
            END { exit !found }'
}
)SH";

constexpr const char* kNewZeroedLv = R"SH(
# new_zeroed_lv VG NAME BYTES: a thick LV that never shows the blocks its
# extents held before (another tenant's data): created as NAME-zeroing (a
# leftover of an interrupted run is removed first), zeroed, and only then
# renamed to NAME.
new_zeroed_lv() {
    local vg=$1 name=$2 bytes=$3 tmp=$2-zeroing
    if lvs "$vg/$tmp" >/dev/null 2>&1; then
        lvremove --yes "$vg/$tmp"
    fi
    lvcreate --yes --wipesignatures y -L "${bytes}b" -n "$tmp" "$vg"
    udevadm settle 2>/dev/null || true
    if ! blkdiscard --zeroout -- "/dev/$vg/$tmp" 2>/dev/null; then
        dd if=/dev/zero of="/dev/$vg/$tmp" bs=1M iflag=count_bytes count="$bytes" \
            oflag=direct conv=fsync status=none
    fi
    lvrename "$vg" "$tmp" "$name"
}
)SH";

constexpr const char* kWaitForBlock = R"SH(
# wait_for_block DEVICE: udev creates by-path links shortly after a login
# (looked up under $VCLUSTER_ROOT when set, as every installed file is).
wait_for_block() {
    local tries
    for ((tries = 0; tries < 30; tries++)); do
        [[ -b ${VCLUSTER_ROOT:-}$1 ]] && return 0
        udevadm settle 2>/dev/null || sleep 1
    done
    echo "error - $1 did not appear" >&2
    return 1
}
)SH";

constexpr const char* kIscsiNodeSecret = R"SH(
# iscsi_node_secret IQN ADDRESS:PORT SECRETFILE: puts the CHAP password of
# SECRETFILE into open-iscsi's node records of IQN at that portal (one per
# iface) by rewriting the record files, as iscsiadm keeps them (mode 0600),
# so that the secret is never in a command line (iscsiadm takes a value only
# as -v VALUE). The records are nodes/IQN/ADDRESS,PORT,TPGT/IFACE (or, from
# older versions, the file nodes/IQN/ADDRESS,PORT,TPGT) under /etc/iscsi
# (Debian) or /var/lib/iscsi (RHEL, CentOS: Rocks 7). The secret goes from
# file to file through tr's stdin and stdout; no word of any command
# holds it.
iscsi_node_secret() {
    local iqn=$1 address=${2%:*} port=${2##*:} secret=$3 base record file line tmp found=0
    local -a files
    for base in "${VCLUSTER_ROOT:-}/etc/iscsi/nodes" "${VCLUSTER_ROOT:-}/var/lib/iscsi/nodes"; do
        tmp=${base%/nodes}/.vcluster-node-secret # beside nodes/: never read as a record
        for record in "$base/$iqn/$address,$port,"*; do
            if [[ -d $record ]]; then
                files=("$record"/*)
            else
                files=("$record")
            fi
            for file in "${files[@]}"; do
                [[ -f $file ]] || continue
                {
                    while IFS= read -r line || [[ -n $line ]]; do
                        case $line in
                        'node.session.auth.password '* | 'node.session.auth.password='*) ;;
                        '# END RECORD'*) ;;
                        *) printf '%s\n' "$line" ;;
                        esac
                    done <"$file"
                    printf 'node.session.auth.password = '
                    tr -d '\n' <"$secret"
                    printf '\n# END RECORD\n'
                } >"$tmp"
                chmod 0600 -- "$tmp"
                mv -f -- "$tmp" "$file"
                found=1
            done
        done
    done
    if ((!found)); then
        echo "error - no open-iscsi node record of $iqn at $2" >&2
        return 1
    fi
}
)SH";

constexpr const char* kLioAclSecret = R"SH(
# lio_acl_secret IQN INITIATOR SECRETFILE: writes the CHAP password of
# SECRETFILE into LIO's configfs attribute of the ACL (what targetcli's
# `set auth password=` does, without the secret in a command line).
lio_acl_secret() {
    local auth=${VCLUSTER_ROOT:-}/sys/kernel/config/target/iscsi/$1/tpgt_1/acls/$2/auth
    if [[ ! -d $auth ]]; then
        echo "error - no LIO ACL $2 on $1 ($auth)" >&2
        return 1
    fi
    tr -d '\n' <"$3" >"$auth/password"
}
)SH";

constexpr const char* kHostFile = R"SH(
# host_file PATH: succeeds when PATH is a file of this host (one that its
# hypervisor reads by that name). Under an install root (VCLUSTER_ROOT, the
# tests) no hypervisor reads it: it succeeds.
host_file() {
    [[ -n ${VCLUSTER_ROOT:-} || -f $1 ]]
}
)SH";

constexpr const char* kPublicBridge = R"SH(
# public_bridge BRIDGE NIC: the gateway's public bridge, made from its public
# NIC: the NIC becomes a port, and its addresses and routes move onto the
# bridge (as ifup does for BRIDGE=), so the gateway keeps its public address.
# Each part is checked before it is done: a run killed anywhere is finished
# by the next one; on a finished bridge it changes nothing. (grep without -q:
# it reads all its input, so pipefail never sees a writer killed by SIGPIPE.)
public_bridge() {
    local bridge=$1 nic=$2 line family cidr
    local -a addrs routes words
    if ! ip link show dev "$bridge" >/dev/null 2>&1; then
        ip link add name "$bridge" type bridge stp_state 0
    fi
    if ! ip -o link show dev "$nic" | grep -F " master $bridge " >/dev/null; then
        ip link set dev "$nic" master "$bridge"
    fi
    ip link set dev "$nic" up
    ip link set dev "$bridge" up
    mapfile -t addrs < <(ip -o addr show dev "$nic" scope global | awk '{ print $3, $4 }')
    mapfile -t routes < <(ip -4 route show dev "$nic" | grep -v ' proto kernel ' || true)
    for line in "${addrs[@]}"; do
        read -r family cidr <<< "$line"
        if ! ip -o addr show dev "$bridge" | awk '{ print $4 }' | grep -Fx -- "$cidr" >/dev/null; then
            if [[ $family == inet ]]; then
                ip addr add "$cidr" brd + dev "$bridge"
            else
                ip addr add "$cidr" dev "$bridge"
            fi
        fi
    done
    for line in "${routes[@]}"; do
        read -ra words <<< "$line"
        ip -4 route replace "${words[@]}" dev "$bridge"
    done
    for line in "${addrs[@]}"; do
        read -r family cidr <<< "$line"
        ip addr del "$cidr" dev "$nic"
    done
}
)SH";

}  // namespace

ShellScript::ShellScript(std::string title) : title_(std::move(title)) {}

void ShellScript::section(const std::string& name) {
    if (sections_.empty() || sections_.back().name != name) {
        sections_.push_back({name, {}});
    }
}

void ShellScript::add(std::string line) {
    if (sections_.empty()) {
        throw Error("internal: script step outside a section");
    }
    sections_.back().lines.push_back(std::move(line));
}

void ShellScript::comment(std::string_view text) {
    std::string line = "# ";
    for (char c : text) {
        line += (c == '\n' || c == '\r') ? ' ' : c;
    }
    add(line);
}

void ShellScript::run(const ShellCommand& command) { add(materialise::render(command)); }

void ShellScript::ensure(const ShellPipeline& present, const std::vector<ShellCommand>& create) {
    std::string text = "if ! " + materialise::render(present) + "; then\n";
    for (const auto& c : create) {
        text += "    " + materialise::render(c) + "\n";
    }
    add(text + "fi");
}

void ShellScript::whenPresent(const ShellPipeline& present,
                              const std::vector<ShellCommand>& remove) {
    std::string text = "if " + materialise::render(present) + "; then\n";
    for (const auto& c : remove) {
        text += "    " + materialise::render(c) + "\n";
    }
    add(text + "fi");
}

void ShellScript::installFile(const std::string& relativeSource, const std::string& destination,
                              unsigned mode) {
    char octal[8];
    std::snprintf(octal, sizeof octal, "%04o", mode);
    run({"install_file", Word::under("here", "/" + relativeSource),
         Word::under("root", destination), std::string(octal)});
}

void ShellScript::removeFile(const std::string& destination) {
    run({"rm", "-f", "--", Word::under("root", destination)});
}

bool ShellScript::empty() const {
    for (const auto& s : sections_) {
        if (!s.lines.empty()) {
            return false;
        }
    }
    return true;
}

namespace {

// Appends each line (a line may hold several, separated by '\n') indented
// by four spaces, as the body of a section.
void appendIndented(std::string& body, const std::vector<std::string>& lines) {
    for (const auto& line : lines) {
        std::size_t start = 0;
        while (start < line.size()) {
            std::size_t end = line.find('\n', start);
            if (end == std::string::npos) {
                end = line.size();
            }
            body += "    " + line.substr(start, end - start) + "\n";
            start = end + 1;
        }
    }
}

}  // namespace

std::string ShellScript::commands() const {
    std::string body;
    for (const auto& s : sections_) {
        appendIndented(body, s.lines);
    }
    return body;
}

std::string ShellScript::render() const {
    std::string out =
        "#!/bin/bash\n# " + title_ + "\n# Generated by the vcluster roll; do not edit.\n";
    std::string body;
    for (const auto& s : sections_) {
        if (s.lines.empty()) {
            continue;
        }
        body += "\nif wanted " + shellQuote(s.name) + "; then\n";
        appendIndented(body, s.lines);
        body += "fi\n";
    }
    auto uses = [&](const char* text) { return body.find(text) != std::string::npos; };
    out += kStrict;
    if (uses("${here}")) {
        out += kHere;
    }
    if (uses("${root}")) {
        out += kRoot;
    }
    if (uses("${tgt_opts[@]}")) {
        out += kTgtOptions;
    }
    if (uses("install_file ")) {
        out += kInstallFile;
    }
    if (uses("has_field ")) {
        out += kHasField;
    }
    if (uses("tgt_target ") || uses("tgt_tid ")) {
        out += kTgtTarget;
    }
    if (uses("new_zeroed_lv ")) {
        out += kNewZeroedLv;
    }
    if (uses("wait_for_block ")) {
        out += kWaitForBlock;
    }
    if (uses("public_bridge ")) {
        out += kPublicBridge;
    }
    if (uses("host_file ")) {
        out += kHostFile;
    }
    if (uses("iscsi_node_secret ")) {
        out += kIscsiNodeSecret;
    }
    if (uses("lio_acl_secret ")) {
        out += kLioAclSecret;
    }
    return out + body;
}

}  // namespace vcluster::materialise
