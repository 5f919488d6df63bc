// Host names, FQDNs, identifiers, attribute values, MACs, addresses.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "util/Error.h"
#include "util/Validate.h"

using namespace vcluster;

namespace {

template <typename F>
bool accepted(F f) {
    try {
        f();
        return true;
    } catch (const Error&) {
        return false;
    }
}

// What is accepted as a name can go into a shell word or SQL unquoted.
void noMetacharacters(const std::string& text) {
    for (char c : text) {
        if (std::string_view(" \t\n\r'\"`$;&|<>\\()*?[]{}!#~").find(c) != std::string_view::npos ||
            static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
            std::abort();
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    if (accepted([&] { validateHostName(text); })) {
        noMetacharacters(text);
        if (text.size() > 63) {
            std::abort();
        }
    }
    if (accepted([&] { validateFqdn(text); })) {
        noMetacharacters(text);
    }
    if (accepted([&] { validateIdentifier(text, "name"); })) {
        noMetacharacters(text);
    }
    if (accepted([&] { validateText(text, "value"); })) {
        for (char c : text) {
            if (c == '\n' || c == '\0' || c == '\r') {
                std::abort();
            }
        }
    }
    try {
        std::string mac = normalizeMac(text);
        if (normalizeMac(mac) != mac) {
            std::abort();
        }
    } catch (const Error&) {
    }
    try {
        std::uint32_t ip = parseIPv4(text);
        if (parseIPv4(formatIPv4(ip)) != ip) {
            std::abort();
        }
    } catch (const Error&) {
    }
    try {
        int prefix = parseNetmask(text);
        if (prefix < 0 || prefix > 32) {
            std::abort();
        }
    } catch (const Error&) {
    }
    return 0;
}
