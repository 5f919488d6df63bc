#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/Database.h"

namespace vcluster {

// A row of Rocks' `subnets` table ("rocks add network").
struct Network {
    std::int64_t id = 0;
    std::string name;
    std::string subnet;
    std::string netmask;
    int mtu = 1500;
    std::string dnsZone;
    bool serveDns = false;
};

// A row of Rocks' `networks` table: one interface of one host.
struct Interface {
    std::string host;
    std::string device;  // eth0, eth1.100, vlan100 ...
    std::string mac;
    std::string ip;
    std::string network;  // subnet name
    std::string netmask;  // of that subnet (read-only, for listings)
    std::string name;     // host name on that network
    std::string module;
    std::optional<int> vlan;
    std::string options;
};

class NetworkPool {
  public:
    explicit NetworkPool(db::Database& db) : db_(db) {}
    std::vector<Network> list() const;
    std::optional<Network> find(const std::string& name) const;
    Network get(const std::string& name) const;
    std::int64_t add(const Network& network);
    void remove(const std::string& name);

  private:
    db::Database& db_;
};

class InterfacePool {
  public:
    explicit InterfacePool(db::Database& db) : db_(db) {}
    // All interfaces, or those of one host; ordered by host then device.
    std::vector<Interface> list(const std::optional<std::string>& host = std::nullopt) const;
    // Validates MAC/IP/VLAN, the host and network; refuses a MAC or an IP
    // (on the same network and VLAN) already in use, or a duplicate device.
    void add(const Interface& iface);
    void remove(const std::string& host, const std::string& device);

  private:
    db::Database& db_;
};

}  // namespace vcluster
