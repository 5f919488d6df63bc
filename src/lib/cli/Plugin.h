#pragma once

// Everything a command plugin usually needs, in one include.
#include <string>
#include <vector>

#include "cli/Command.h"
#include "cli/Context.h"
#include "cli/Table.h"
#include "db/Database.h"
#include "util/Error.h"
#include "util/Strings.h"
#include "util/Validate.h"

namespace vcluster::cli {

// "" for an absent optional number, else its decimal text.
template <typename T>
std::string optionalText(const T& value) {
    return value ? std::to_string(*value) : std::string();
}

// Parses an optional integer param; throws Error naming it.
std::optional<int> optionalIntParam(const Context& ctx, const std::string& name);

}  // namespace vcluster::cli
