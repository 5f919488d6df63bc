// OpenSSH public key lines (sshkey=, the portal's booking form).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "reservation/SshPublicKey.h"
#include "util/Error.h"

using namespace vcluster;
using namespace vcluster::reservation;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    try {
        SshPublicKey key = parseSshPublicKey(text);
        std::string line = key.line();
        // A key we accept is one line of printable text, and reads back as itself.
        for (char c : line) {
            if (static_cast<unsigned char>(c) < 0x20) {
                std::abort();
            }
        }
        if (parseSshPublicKey(line).line() != line) {
            std::abort();
        }
    } catch (const Error&) {
    }
    return 0;
}
