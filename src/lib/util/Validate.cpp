#include "util/Validate.h"

#include <algorithm>
#include <cctype>

#include "util/Error.h"
#include "util/Strings.h"

namespace vcluster {

namespace {

bool isAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

std::string quoted(std::string_view text) {
    std::string out = "'";
    for (char c : text) {
        if (std::isprint(static_cast<unsigned char>(c)) != 0) {
            out += c;
        } else {
            out += '?';
        }
    }
    return out + "'";
}

}  // namespace

void validateHostName(std::string_view name, std::string_view what) {
    bool ok = !name.empty() && name.size() <= 63 && name.front() != '-' && name.back() != '-';
    for (char c : name) {
        ok = ok && (isAlnum(c) || c == '-');
    }
    if (!ok) {
        throw Error("invalid " + std::string(what) + " " + quoted(name) +
                    ": use letters, digits and '-' (at most 63, not starting or ending with '-')");
    }
}

void validateFqdn(std::string_view name, std::string_view what) {
    if (name.empty() || name.size() > 253) {
        throw Error("invalid " + std::string(what) + " " + quoted(name));
    }
    for (const auto& label : split(name, '.')) {
        try {
            validateHostName(label);
        } catch (const Error&) {
            throw Error("invalid " + std::string(what) + " " + quoted(name) +
                        ": each dot-separated label must be a valid host name");
        }
    }
}

void validateIdentifier(std::string_view name, std::string_view what) {
    bool ok = !name.empty() && name.size() <= 128 && name.front() != '-';
    for (char c : name) {
        ok = ok && (isAlnum(c) || c == '_' || c == '.' || c == '-' || c == ':');
    }
    if (!ok) {
        throw Error("invalid " + std::string(what) + " " + quoted(name) +
                    ": use letters, digits, '_', '.', '-' and ':'");
    }
}

void validateText(std::string_view text, std::string_view what) {
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) {
            throw Error(std::string(what) + " must not contain control characters");
        }
    }
    if (text.size() > 65535) {
        throw Error(std::string(what) + " is too long");
    }
}

std::string normalizeMac(std::string_view mac) {
    std::string lower = toLower(mac);
    bool ok = lower.size() == 17;
    for (std::size_t i = 0; ok && i < lower.size(); ++i) {
        ok = (i % 3 == 2) ? lower[i] == ':'
                          : std::isxdigit(static_cast<unsigned char>(lower[i])) != 0;
    }
    if (!ok) {
        throw Error("invalid MAC address " + quoted(mac) +
                    ": expected six hex pairs like 00:50:56:00:00:01");
    }
    return lower;
}

std::uint32_t parseIPv4(std::string_view text, std::string_view what) {
    auto parts = split(text, '.');
    std::uint32_t address = 0;
    bool ok = parts.size() == 4;
    for (std::size_t i = 0; ok && i < parts.size(); ++i) {
        const auto& p = parts[i];
        ok = !p.empty() && p.size() <= 3 && (p.size() == 1 || p[0] != '0');
        for (char c : p) {
            ok = ok && std::isdigit(static_cast<unsigned char>(c)) != 0;
        }
        if (ok) {
            int octet = std::stoi(p);
            ok = octet <= 255;
            address = (address << 8U) | static_cast<std::uint32_t>(octet);
        }
    }
    if (!ok) {
        throw Error("invalid " + std::string(what) + " " + quoted(text) +
                    ": expected a dotted quad like 10.1.255.254");
    }
    return address;
}

std::string formatIPv4(std::uint32_t address) {
    return std::to_string(address >> 24U) + "." + std::to_string((address >> 16U) & 0xffU) + "." +
           std::to_string((address >> 8U) & 0xffU) + "." + std::to_string(address & 0xffU);
}

std::uint32_t prefixToMask(int prefixLength) {
    if (prefixLength <= 0) {
        return 0;
    }
    return prefixLength >= 32 ? 0xffffffffU
                              : ~((1U << static_cast<unsigned>(32 - prefixLength)) - 1U);
}

int parseNetmask(std::string_view text) {
    std::uint32_t mask = parseIPv4(text, "netmask");
    int prefix = 0;
    while (prefix < 32 && (mask & (1U << static_cast<unsigned>(31 - prefix))) != 0) {
        ++prefix;
    }
    if (prefixToMask(prefix) != mask) {
        throw Error("invalid netmask '" + std::string(text) + "': the one bits must be contiguous");
    }
    return prefix;
}

void validateInterfaceName(std::string_view name, std::string_view what) {
    validateIdentifier(name, what);
    if (name.size() > 15) {
        throw Error(std::string(what) + " '" + std::string(name) +
                    "' is longer than Linux' 15-character limit");
    }
}

void validateLvmName(std::string_view name, std::string_view what) {
    if (name.empty() || name.size() > 100 || name.front() == '-') {
        throw Error(std::string(what) + " '" + std::string(name) + "' is not a valid LVM name");
    }
    const bool ok = std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
               c == '+';
    });
    if (!ok) {
        throw Error(std::string(what) + " '" + std::string(name) + "' is not a valid LVM name");
    }
}

void validateIqnDate(std::string_view date, std::string_view what) {
    auto digits = [&](std::size_t from, std::size_t n) {
        return std::all_of(date.begin() + static_cast<std::ptrdiff_t>(from),
                           date.begin() + static_cast<std::ptrdiff_t>(from + n),
                           [](char c) { return c >= '0' && c <= '9'; });
    };
    if (date.size() != 7 || date[4] != '-' || !digits(0, 4) || !digits(5, 2) ||
        date.substr(5) < "01" || date.substr(5) > "12") {
        throw Error(std::string(what) + " '" + std::string(date) + "' must be yyyy-mm");
    }
}

void validateIqn(std::string_view iqn, std::string_view what) {
    // iqn.yyyy-mm.<reversed domain>[:<unique name>] (RFC 3720 3.2.6.3.1), in
    // the lower-case letters, digits and ".-:" that file names, ACL paths and
    // tgt's config all take as they are.
    const bool ok = iqn.size() > 12 && iqn.size() <= 223 && iqn.substr(0, 4) == "iqn." &&
                    std::all_of(iqn.begin(), iqn.end(),
                                [](char c) {
                                    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                                           c == '.' || c == '-' || c == ':';
                                }) &&
                    iqn.find("..") == std::string_view::npos;
    if (!ok) {
        throw Error(std::string(what) + " '" + std::string(iqn) +
                    "' is not an iSCSI name such as iqn.2026-11.org.example:host");
    }
    validateIqnDate(iqn.substr(4, 7), what);
}

}  // namespace vcluster
