#include "cli/Context.h"

#include <algorithm>
#include <cstdlib>

#include "cli/BuildInfo.h"
#include "cli/PluginDirectory.h"
#include "db/DatabaseUrl.h"
#include "util/Error.h"

namespace vcluster::cli {

Context::Context(std::vector<std::string> args, std::map<std::string, std::string> params,
                 std::string databasePath, const PluginDirectory& plugins, std::ostream& out,
                 std::ostream& err, db::Access access)
    : args_(std::move(args)),
      params_(std::move(params)),
      databasePath_(std::move(databasePath)),
      access_(access),
      plugins_(plugins),
      out_(out),
      err_(err) {}

Context::~Context() = default;

std::optional<std::string> Context::param(const std::string& name) const {
    auto it = params_.find(name);
    if (it == params_.end()) {
        return std::nullopt;
    }
    return it->second;
}

std::string Context::param(const std::string& name, const std::string& fallback) const {
    return param(name).value_or(fallback);
}

std::string Context::requireParam(const std::string& name) const {
    auto value = param(name);
    if (!value || value->empty()) {
        throw Error("missing required parameter " + name + "=");
    }
    return *value;
}

std::string Context::requireArg(std::size_t index, const std::string& name) const {
    if (index < args_.size()) {
        return args_[index];
    }
    if (auto value = param(name); value && !value->empty()) {
        return *value;
    }
    throw Error("missing argument <" + name + ">");
}

db::Database& Context::db() {
    if (!db_) {
        db_ = db::openDatabase(databasePath_, access_);
    }
    return *db_;
}

OutputFormat Context::outputFormat() const {
    return parseOutputFormat(param("output-format", "text"));
}

std::string resolveDatabasePath(const std::optional<std::string>& fromParam) {
    if (fromParam && !fromParam->empty()) {
        return *fromParam;
    }
    if (const char* env = std::getenv("ROCKS_DB"); env != nullptr && *env != '\0') {
        return env;
    }
    if (auto rocks = db::rocksFrontendDatabase(db::RocksFrontendPaths::fromEnvironment())) {
        return db::describe(*rocks);
    }
    return build::kDefaultDatabase;
}

db::Access databaseAccess(const std::vector<std::string>& words, const std::string& databasePath) {
    static const std::vector<std::string> kReading = {"list", "report", "help", "dump"};
    if (words.empty() ||
        std::find(kReading.begin(), kReading.end(), words.front()) != kReading.end()) {
        return db::Access::Read;
    }
    if (words == std::vector<std::string>{"create", "vcluster", "database"}) {
        return db::Access::Create;
    }
    if (words == std::vector<std::string>{"add", "host"} &&
        databasePath == build::kDefaultDatabase) {
        return db::Access::Create;
    }
    return db::Access::Write;
}

}  // namespace vcluster::cli
