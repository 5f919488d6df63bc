#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vcluster {

// Host names follow Rocks (RFC 1123 labels): letters, digits and '-', at most
// 63 characters, not starting or ending with '-'. Anything else (shell or SQL
// metacharacters, spaces, dots) is refused with an Error naming `what`.
void validateHostName(std::string_view name, std::string_view what = "host name");

// A fully qualified domain name: dot-separated host-name labels, <= 253 chars.
void validateFqdn(std::string_view name, std::string_view what = "FQDN");

// Identifiers such as attribute, network, appliance and interface names:
// letters, digits and "_.-" (plus ':' for aliased devices), <= 128 chars.
void validateIdentifier(std::string_view name, std::string_view what);

// Free text stored in the database (attribute values, comments): any
// printable text; control characters (newlines, NUL, escapes) are refused.
void validateText(std::string_view text, std::string_view what);

// "aa:bb:cc:dd:ee:ff", case-insensitive; returns it lower-cased.
std::string normalizeMac(std::string_view mac);

// Dotted-quad IPv4 address to host-order integer and back.
std::uint32_t parseIPv4(std::string_view text, std::string_view what = "IP address");
std::string formatIPv4(std::uint32_t address);

// A netmask in dotted-quad form (contiguous ones); returns the prefix length.
int parseNetmask(std::string_view text);
std::uint32_t prefixToMask(int prefixLength);

// A Linux interface name: an identifier of at most 15 characters.
void validateInterfaceName(std::string_view name, std::string_view what);
// An LVM volume group / volume name.
void validateLvmName(std::string_view name, std::string_view what);
// "yyyy-mm" with a month 01-12 (the date part of an IQN).
void validateIqnDate(std::string_view date, std::string_view what);
// An iSCSI qualified name: iqn.yyyy-mm.<reversed domain>[:name], lower case.
void validateIqn(std::string_view iqn, std::string_view what);

}  // namespace vcluster
