// portal= URLs: a token goes in clear text only to this machine.
#include <arpa/inet.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "portal/PortalUrl.h"
#include "util/Error.h"

using namespace vcluster;
using namespace vcluster::portal;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    try {
        PortalUrl url = parsePortalUrl(text);
        if (url.cleartext) {
            in_addr v4{};
            bool loopback =
                url.host == "localhost" || url.host == "[::1]" ||
                (inet_pton(AF_INET, url.host.c_str(), &v4) == 1 && (ntohl(v4.s_addr) >> 24) == 127);
            if (!loopback && url.host.rfind("[", 0) != 0) {
                std::abort();
            }
        }
        // Its base URL parses to the same base.
        if (parsePortalUrl(url.base).base != url.base) {
            std::abort();
        }
    } catch (const Error&) {
    }
    return 0;
}
