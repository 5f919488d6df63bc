#include "lifecycle/HostBundle.h"

#include <cstdio>

#include "materialise/Generator.h"
#include "materialise/ShellScript.h"

namespace vcluster::lifecycle {

std::string base64Encode(const std::string& bytes) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4 + bytes.size() / 57 + 1);
    std::size_t line = 0;
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        std::uint32_t n = static_cast<std::uint8_t>(bytes[i]) << 16U;
        if (i + 1 < bytes.size()) {
            n |= static_cast<std::uint32_t>(static_cast<std::uint8_t>(bytes[i + 1])) << 8U;
        }
        if (i + 2 < bytes.size()) {
            n |= static_cast<std::uint8_t>(bytes[i + 2]);
        }
        out += kAlphabet[(n >> 18U) & 63U];
        out += kAlphabet[(n >> 12U) & 63U];
        out += i + 1 < bytes.size() ? kAlphabet[(n >> 6U) & 63U] : '=';
        out += i + 2 < bytes.size() ? kAlphabet[n & 63U] : '=';
        if (++line == 19) {  // 76-character lines
            out += '\n';
            line = 0;
        }
    }
    if (line != 0 || out.empty()) {
        out += '\n';
    }
    return out;
}

std::string bundleScript(const materialise::HostOutput& host, bool teardown,
                         const std::string& sections, const std::string& name) {
    using materialise::shellQuote;
    std::string s =
        "set -euo pipefail\n"
        "umask 077\n"
        "mkdir -p -m 0700 -- \"${VCLUSTER_ROOT:-}/run/vcluster\"\n"
        "bundle=\"${VCLUSTER_ROOT:-}/run/vcluster/\"" +
        shellQuote(name) +
        "\n"
        "rm -rf -- \"$bundle\"\n"
        "mkdir -m 0700 -- \"$bundle\"\n"
        "trap 'rm -rf -- \"$bundle\"' EXIT\n";
    materialise::FileTree tree = materialise::hostTree(host);
    for (const auto& [path, file] : tree.files()) {
        std::string target = "\"$bundle\"/" + shellQuote(path);
        s += "mkdir -p -- \"$(dirname -- " + target + ")\"\n";
        s += "base64 -d > " + target + " <<'VCLUSTER_BUNDLE_EOF'\n" + base64Encode(file.content) +
             "VCLUSTER_BUNDLE_EOF\n";
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", file.mode);
        s += "chmod " + std::string(mode) + " -- " + target + "\n";
    }
    s += "VCLUSTER_SECTIONS=" + shellQuote(sections) + " bash \"$bundle\"/" +
         (teardown ? "teardown.sh" : "apply.sh") + "\n";
    return s;
}

}  // namespace vcluster::lifecycle
