#include "portal/JsonFields.h"

#include "util/Error.h"

namespace vcluster::portal {

nlohmann::json parseJsonObject(const std::string& body) {
    nlohmann::json parsed;
    try {
        parsed = nlohmann::json::parse(body);
    } catch (const nlohmann::json::parse_error& e) {
        throw Error("malformed JSON at byte " + std::to_string(e.byte));
    } catch (const nlohmann::json::exception&) {
        // A number too large for any type (1E999999...) is out_of_range, not
        // a parse_error: found by fuzz/fuzz_json_fields.cpp; it was a 500.
        throw Error("malformed JSON: a number out of range");
    }
    if (!parsed.is_object()) {
        throw Error("the request body must be a JSON object");
    }
    return parsed;
}

std::map<std::string, std::string> fieldsToParams(const nlohmann::json& body,
                                                  const std::set<std::string>& allowed) {
    std::map<std::string, std::string> params;
    for (const auto& [key, value] : body.items()) {
        if (allowed.count(key) == 0) {
            throw Error("unknown field '" + key + "'");
        }
        if (value.is_string()) {
            params[key] = value.get<std::string>();
        } else if (value.is_number_integer()) {
            params[key] = value.dump();
        } else if (value.is_array()) {
            std::string joined;
            for (const auto& item : value) {
                if (!item.is_string()) {
                    throw Error("field '" + key + "' must be a list of strings");
                }
                joined += (joined.empty() ? "" : ",") + item.get<std::string>();
            }
            params[key] = joined;
        } else {
            throw Error("field '" + key + "' must be a string or an integer");
        }
    }
    return params;
}

const std::set<std::string>& bookingFields() {
    static const std::set<std::string> kFields = {
        "name",  "start",   "end",        "duration", "nodes",  "cpus",       "memory",
        "disk",  "fe-cpus", "fe-memory",  "fe-disk",  "rolls",  "appliances", "sshkey",
        "owner", "fqdn",    "hypervisor", "network",  "repeat", "tz",         "skip"};
    return kFields;
}

const std::set<std::string>& groupBookingFields() {
    static const std::set<std::string> kFields = [] {
        std::set<std::string> all = bookingFields();
        all.insert({"count", "sshkeys"});
        return all;
    }();
    return kFields;
}

}  // namespace vcluster::portal
