#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "db/Database.h"

namespace vcluster {

// A row of Rocks' `nodes` table, with its membership and appliance resolved.
struct Host {
    std::int64_t id = 0;
    std::string name;
    std::string membership;  // e.g. "VM Server"
    std::string appliance;   // e.g. "vm-server"
    int cpus = 1;
    std::optional<int> rack;
    std::optional<int> rank;
    std::string arch = "x86_64";
    std::string os = "linux";
    std::string runAction = "os";
    std::string installAction = "install";
    std::string comment;
};

// Owns the `nodes` rows and their SQL (OpenNebula's "pool" idea).
class HostPool {
  public:
    explicit HostPool(db::Database& db) : db_(db) {}

    std::vector<Host> list() const;
    // Streams every host to `visit` in list() order without building a vector
    // (rocks list host on 10,000 hosts); returns the number of hosts.
    std::size_t forEach(const std::function<void(const Host&)>& visit) const;
    std::size_t count() const;
    std::vector<Host> listByAppliance(const std::string& appliance) const;
    std::optional<Host> find(const std::string& name) const;
    // Throws Error("unknown host ...") when absent.
    Host get(const std::string& name) const;
    // Validates the name and membership; refuses duplicates. Returns the ID.
    std::int64_t add(const Host& host);
    // Removes the host with its interfaces, attributes and VM rows.
    void remove(const std::string& name);

    // `membershipOrAppliance` may name either ("VM Server" or "vm-server").
    std::int64_t membershipId(const std::string& membershipOrAppliance) const;

  private:
    db::Database& db_;
};

}  // namespace vcluster
