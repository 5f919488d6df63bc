#include "cli/Plugin.h"

namespace vcluster::cli {

std::optional<int> optionalIntParam(const Context& ctx, const std::string& name) {
    auto text = ctx.param(name);
    if (!text || text->empty()) {
        return std::nullopt;
    }
    long long value = parseInteger(*text, name);
    if (value > 1000000000) {
        throw Error(name + " is too large");
    }
    return static_cast<int>(value);
}

}  // namespace vcluster::cli
