#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "db/Database.h"

namespace vcluster {

// Where an attribute's value comes from, in Rocks' order of precedence:
// a host attribute overrides its appliance's, which overrides the global one.
enum class AttrScope { Global, Appliance, Host };

struct Attribute {
    std::string attr;
    std::string value;
    AttrScope scope = AttrScope::Global;
    std::string owner;  // "global", the appliance name or the host name
};

const char* scopeLetter(AttrScope scope);  // "G", "A", "H" as in `rocks list host attr`

class AttributePool {
  public:
    explicit AttributePool(db::Database& db) : db_(db) {}

    void setGlobal(const std::string& attr, const std::string& value);
    void setAppliance(const std::string& appliance, const std::string& attr,
                      const std::string& value);
    void setHost(const std::string& host, const std::string& attr, const std::string& value);
    // Returns false when there was nothing to remove.
    bool removeGlobal(const std::string& attr);
    bool removeHost(const std::string& host, const std::string& attr);

    std::vector<Attribute> listGlobal() const;
    // Every attribute in effect for the host, each with the scope it came from.
    std::vector<Attribute> listResolved(const std::string& host) const;
    std::optional<std::string> global(const std::string& attr) const;
    std::optional<std::string> resolve(const std::string& host, const std::string& attr) const;
    // Resolved attributes of every host of an appliance at once (a few
    // queries, not one per host), keyed by host name then attribute name;
    // a host with none is left out.
    std::map<std::string, std::map<std::string, std::string>> resolveAll(
        const std::string& appliance) const;
    // The same for the attributes named in `only` (the others left out: a
    // site of 1,000 hosts resolves its few capacity attributes, not every
    // global attribute for every host).
    std::map<std::string, std::map<std::string, std::string>> resolveAll(
        const std::string& appliance, const std::vector<std::string>& only) const;

  private:
    std::map<std::string, std::map<std::string, std::string>> resolveLayers(
        const std::string& appliance, const std::vector<std::string>* only) const;
    void set(const std::string& category, const std::string& index, const std::string& attr,
             const std::string& value);
    db::Database& db_;
};

}  // namespace vcluster
