#pragma once

#include <string>

#include "support/Process.h"

namespace vcluster::test {

// A syntactically valid OpenSSH public key line of the given type (random-ish
// key material; nothing checks the maths), e.g. "ssh-ed25519 AAAA... comment".
// `typeOnly` leaves the key material out (a blob holding just the type name).
std::string sshKeyLine(const std::string& type, const std::string& comment, bool typeOnly = false);

std::string base64(const std::string& bytes);

// A self-signed certificate for the IP address `ip` (its CN and
// subjectAltName), EC P-256, valid two days, made by openssl into the PEM
// files `cert` and `key` (unencrypted): openssl's result.
ProcessResult makeSelfSignedCertificate(const std::string& cert, const std::string& key,
                                        const std::string& ip);

}  // namespace vcluster::test
