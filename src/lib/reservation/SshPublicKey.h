#pragma once

#include <string>
#include <string_view>

namespace vcluster::reservation {

// An OpenSSH public key line: "<type> <base64 blob> [comment]".
struct SshPublicKey {
    std::string type;
    std::string blob;  // base64, as given
    std::string comment;
    std::string line() const;
};

// Accepts only a single key of a known type (ssh-rsa, ssh-ed25519,
// ecdsa-sha2-nistp256/384/521, sk-ssh-ed25519@openssh.com,
// sk-ecdsa-sha2-nistp256@openssh.com) whose base64 decodes to a blob that
// starts with the same type string. Options prefixes (from=..., command=...),
// several lines, control characters: refused with an Error.
SshPublicKey parseSshPublicKey(std::string_view text);

// The sshkey= parameter: key text, or the path of a file holding one key.
SshPublicKey loadSshPublicKey(const std::string& keyOrPath);

}  // namespace vcluster::reservation
