// rocks load vcluster file=<path> [all=yes]: books many reservations at once
// (a term's courses, a migration from another system).
#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/Plugin.h"
#include "portal/JsonFields.h"
#include "reservation/ReservationBook.h"
#include "reservation/SshPublicKey.h"
#include "util/Strings.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;
using namespace vcluster::reservation;
using nlohmann::json;

// One item as `rocks add vcluster` parameters: the portal's booking body
// (the same fields and the same reading of them), less count=/sshkeys=, as
// items are single clusters; throws Error for anything else.
std::map<std::string, std::string> itemParams(const json& item) {
    if (!item.is_object()) {
        throw Error("not a JSON object");
    }
    auto params = portal::fieldsToParams(item, portal::bookingFields());
    // The key itself, never the name of a file (as the portal takes it).
    if (auto key = params.find("sshkey"); key != params.end() && !key->second.empty()) {
        key->second = parseSshPublicKey(key->second).line();
    }
    return params;
}

json readArray(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw Error("file: cannot read '" + path + "'");
    }
    json doc;
    try {
        doc = json::parse(in);
    } catch (const json::parse_error& e) {
        throw Error("file: malformed JSON at byte " + std::to_string(e.byte) + " of '" + path +
                    "'");
    }
    if (!doc.is_array()) {
        throw Error("file: '" + path + "' must hold a JSON array of reservations");
    }
    return doc;
}

class LoadVcluster : public Command {
  public:
    std::vector<std::string> words() const override { return {"load", "vcluster"}; }
    CommandHelp help() const override {
        return {
            "Reserve many virtual clusters from a file",
            "Reads a JSON array of reservations; each is an object whose keys are `rocks add "
            "vcluster`'s parameters plus name (the portal's booking body: strings, integers, or "
            "lists of strings for rolls/appliances; sshkey is the key text, not a file). Each "
            "goes through the same validation and admission as `rocks add vcluster`, in file "
            "order, each seeing the ones before it booked. The admitted ones are booked in one "
            "transaction; each one not booked is listed with its name and reason. Exit status: "
            "0 when all were booked, 2 when some were refused (the others are booked, unless "
            "all=yes: then none is), 1 for an unreadable or malformed file.",
            {},
            {{"file", "the JSON file", "", true},
             {"all", "yes: book all or none", "no"},
             outputFormatParam()},
            {{"rocks load vcluster file=/root/term.json", "a term's courses, as far as they fit"},
             {"rocks load vcluster file=/root/migrated.json all=yes",
              "all of another system's reservations, or none"}}};
    }
    void run(Context& ctx) override {
        const std::string path = ctx.requireParam("file");
        const bool all = parseBool(ctx.param("all", "no"), "all");
        json items = readArray(path);
        Time now = currentTime();
        db::Transaction tx(ctx.db());
        Site site = loadSite(ctx.db());
        // Input errors first (each item's own), then admission in file order.
        std::vector<BulkRefusal> invalid;
        std::vector<ReservationRequest> requests;
        std::vector<std::size_t> position;  // requests[i] is item position[i]
        for (std::size_t i = 0; i < items.size(); ++i) {
            std::string name;
            if (items[i].is_object() && items[i].contains("name") && items[i]["name"].is_string()) {
                name = items[i]["name"].get<std::string>();  // to name it in a refusal
            }
            try {
                auto params = itemParams(items[i]);
                auto it = params.find("name");
                if (it == params.end() || it->second.empty()) {
                    throw Error("missing required field name");
                }
                name = it->second;
                params.erase(it);
                requests.push_back(parseReservationRequest(name, params, site.defaults, now));
                position.push_back(i);
            } catch (const Error& e) {
                invalid.push_back({i, name, e.what(), false});
            }
        }
        ReservationBook book(ctx.db(), site);
        BulkResult result = book.addMany(std::move(requests), now, all);
        for (auto& r : result.refused) {
            r.index = position[r.index];
        }
        result.refused.insert(result.refused.end(), invalid.begin(), invalid.end());
        std::sort(result.refused.begin(), result.refused.end(),
                  [](const auto& a, const auto& b) { return a.index < b.index; });
        const bool none = all && !result.refused.empty();
        if (!none) {
            tx.commit();
        }
        if (!result.refused.empty()) {
            Table table({{"item", Table::Kind::Number}, {"vcluster"}, {"reason"}});
            for (const auto& r : result.refused) {
                table.addRow({std::to_string(r.index + 1), r.name, r.reason});
            }
            ctx.print(table);
        }
        const std::size_t booked = none ? 0 : result.booked.size();
        if (result.refused.empty()) {
            ctx.out() << "booked " << booked << " of " << items.size() << " reservations\n";
            return;
        }
        throw Refusal(std::to_string(result.refused.size()) + " of " +
                      std::to_string(items.size()) + " reservations not booked (listed above); " +
                      (none ? "all=yes: none booked" : std::to_string(booked) + " booked"));
    }
};

}  // namespace

ROCKS_COMMAND(LoadVcluster)
