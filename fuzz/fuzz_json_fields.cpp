// The portal's JSON request bodies, as booking parameters.
#include <cstdint>
#include <string>

#include "portal/JsonFields.h"
#include "util/Error.h"

using namespace vcluster;
using namespace vcluster::portal;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::set<std::string> allowed = {"name",  "start",  "end",   "nodes",
                                                  "rolls", "sshkey", "memory"};
    std::string text(reinterpret_cast<const char*>(data), size);
    try {
        auto params = fieldsToParams(parseJsonObject(text), allowed);
        for (const auto& [key, value] : params) {
            if (allowed.count(key) == 0) {
                __builtin_trap();
            }
            (void)value;
        }
    } catch (const Error&) {
    }
    return 0;
}
