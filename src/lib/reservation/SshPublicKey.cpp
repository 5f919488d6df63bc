#include "reservation/SshPublicKey.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

#include "util/Error.h"
#include "util/Files.h"
#include "util/Strings.h"

namespace vcluster::reservation {

namespace {

constexpr std::array<const char*, 7> kKnownTypes = {
    "ssh-rsa",
    "ssh-ed25519",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
};

int base64Value(char c) {
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if (c == '+') {
        return 62;
    }
    if (c == '/') {
        return 63;
    }
    return -1;
}

// Strict RFC 4648 base64 (padding required, nothing else allowed).
std::optional<std::vector<unsigned char>> decodeBase64(std::string_view text) {
    if (text.empty() || text.size() % 4 != 0) {
        return std::nullopt;
    }
    std::vector<unsigned char> out;
    for (std::size_t i = 0; i < text.size(); i += 4) {
        std::uint32_t acc = 0;
        int pad = 0;
        for (std::size_t j = 0; j < 4; ++j) {
            char c = text[i + j];
            if (c == '=') {
                if (i + 4 != text.size() || j < 2) {
                    return std::nullopt;
                }
                ++pad;
                acc <<= 6U;
                continue;
            }
            int v = base64Value(c);
            if (v < 0 || pad > 0) {
                return std::nullopt;
            }
            acc = (acc << 6U) | static_cast<std::uint32_t>(v);
        }
        out.push_back(static_cast<unsigned char>(acc >> 16U));
        if (pad < 2) {
            out.push_back(static_cast<unsigned char>((acc >> 8U) & 0xffU));
        }
        if (pad < 1) {
            out.push_back(static_cast<unsigned char>(acc & 0xffU));
        }
    }
    return out;
}

[[noreturn]] void badKey(const std::string& why) {
    throw Error("invalid sshkey: " + why +
                " (expected one OpenSSH public key line such as 'ssh-ed25519 AAAA... user@host')");
}

}  // namespace

std::string SshPublicKey::line() const {
    return comment.empty() ? type + " " + blob : type + " " + blob + " " + comment;
}

SshPublicKey parseSshPublicKey(std::string_view text) {
    std::string_view s = text;
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) {
        s.remove_suffix(1);  // one trailing newline, as a .pub file has
    }
    if (s.size() > 16384) {
        badKey("too long");
    }
    for (char c : s) {
        auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) {
            badKey("control characters or several lines");
        }
    }
    auto fields = split(trim(s), ' ');
    fields.erase(std::remove(fields.begin(), fields.end(), std::string()), fields.end());
    if (fields.size() < 2) {
        badKey("missing key type or key data");
    }
    SshPublicKey key;
    key.type = fields[0];
    key.blob = fields[1];
    if (std::find(kKnownTypes.begin(), kKnownTypes.end(), key.type) == kKnownTypes.end()) {
        badKey("unknown key type '" + key.type.substr(0, 40) + "' (options prefixes are refused)");
    }
    auto blob = decodeBase64(key.blob);
    if (!blob) {
        badKey("key data is not valid base64");
    }
    // The blob is an SSH wire string: uint32 length, then the type name.
    if (blob->size() < 4) {
        badKey("key data is too short");
    }
    std::uint32_t len = (std::uint32_t{(*blob)[0]} << 24U) | (std::uint32_t{(*blob)[1]} << 16U) |
                        (std::uint32_t{(*blob)[2]} << 8U) | std::uint32_t{(*blob)[3]};
    if (len != key.type.size() || blob->size() < 4 + len ||
        std::string(blob->begin() + 4, blob->begin() + 4 + len) != key.type) {
        badKey("key data does not match its type '" + key.type + "'");
    }
    if (blob->size() == 4 + len) {
        badKey("key data holds no key");
    }
    for (std::size_t i = 2; i < fields.size(); ++i) {
        key.comment += (i > 2 ? " " : "") + fields[i];
    }
    return key;
}

SshPublicKey loadSshPublicKey(const std::string& keyOrPath) {
    for (const char* type : kKnownTypes) {
        if (startsWith(keyOrPath, std::string(type) + " ")) {
            return parseSshPublicKey(keyOrPath);
        }
    }
    if (keyOrPath.find(' ') == std::string::npos && !keyOrPath.empty() &&
        (keyOrPath.front() == '/' || keyOrPath.front() == '.' || keyOrPath.front() == '~' ||
         keyOrPath.find('/') != std::string::npos || endsWith(keyOrPath, ".pub"))) {
        // A key line is well under 16 KiB (RSA 16384 bits is ~3 KiB).
        std::string text;
        try {
            text = readSmallFile(keyOrPath, std::size_t{16} * 1024, "file");
        } catch (const Error& e) {
            badKey(e.what());
        }
        return parseSshPublicKey(text);
    }
    return parseSshPublicKey(keyOrPath);  // reports what is wrong with it
}

}  // namespace vcluster::reservation
