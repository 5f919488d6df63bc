#pragma once

#include <string>

namespace vcluster::test {

// A syntactically valid OpenSSH public key line of the given type (random-ish
// key material; nothing checks the maths), e.g. "ssh-ed25519 AAAA... comment".
// `typeOnly` leaves the key material out (a blob holding just the type name).
std::string sshKeyLine(const std::string& type, const std::string& comment, bool typeOnly = false);

std::string base64(const std::string& bytes);

}  // namespace vcluster::test
