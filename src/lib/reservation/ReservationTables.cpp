#include "reservation/ReservationTables.h"

#include <algorithm>
#include <tuple>

namespace vcluster::reservation {

using cli::Table;

std::vector<Table::Column> bookedColumns(NetworkKind network) {
    return {{"vcluster"},           {"start"},   {"end"},       {"nodes", Table::Kind::Number},
            {networkName(network)}, {"gateway"}, {"public-ip"}, {"storage"},
            {"root-password"}};
}

Table bookedTable(const StoredReservation& r) {
    return bookedTable(std::vector<StoredReservation>{r});
}

Table bookedTable(const std::vector<StoredReservation>& rows) {
    Table table(bookedColumns(rows.empty() ? NetworkKind::Vlan : rows.front().request.network));
    for (const auto& r : rows) {
        table.addRow({r.request.name, formatTime(r.request.start), formatTime(r.request.end),
                      std::to_string(r.request.nodes), std::to_string(r.networkId), r.gateway,
                      r.publicIp, r.storage, r.rootPassword});
    }
    return table;
}

std::vector<Table::Column> listColumns() {
    return {{"name"},   {"owner"},  {"state"}, {"start"},  {"end"}, {"nodes", Table::Kind::Number},
            {"memory"}, {"disk"},   {"vlan"},  {"repeat"}, {"tz"},  {"skip"},
            {"group"},  {"failure"}};
}

namespace {

std::vector<std::string> listCells(const StoredReservation& s) {
    const auto& r = s.request;
    std::string net = std::to_string(s.networkId);
    if (r.network == NetworkKind::Vxlan) {
        net.insert(0, "vxlan:");
    }
    return {r.name,
            r.owner,
            s.state,
            formatTime(r.start),
            formatTime(r.end),
            std::to_string(r.nodes),
            formatSizeMiB(r.memoryMiB),
            formatSizeMiB(r.diskMiB),
            net,
            r.repeat ? r.repeat->text() : "",
            r.timeZone,
            r.repeat ? r.repeat->skipText() : "",
            r.group,
            s.failureReason};
}

std::vector<std::string> historyCells(const StoredReservation& s) {
    const auto& r = s.request;
    const std::string reason =
        s.endReason.empty() || (s.state == "failed" && !s.failureReason.empty()) ? s.failureReason
                                                                                 : s.endReason;
    return {r.name,
            r.owner,
            s.state,
            formatTime(r.start),
            formatTime(r.end),
            std::to_string(r.nodes),
            s.ended,
            s.endedBy,
            reason};
}

std::vector<Table::Column> historyColumns() {
    return {{"name"},  {"owner"},    {"state"}, {"start"}, {"end"}, {"nodes", Table::Kind::Number},
            {"ended"}, {"ended-by"}, {"reason"}};
}

// The rows as they are given.
Table tableOf(std::vector<Table::Column> columns, const std::vector<StoredReservation>& rows,
              std::vector<std::string> (*cells)(const StoredReservation&)) {
    Table table(std::move(columns));
    table.reserve(rows.size());
    for (const auto& s : rows) {
        table.addRow(cells(s));
    }
    return table;
}

}  // namespace

Table listTable(const std::vector<StoredReservation>& rows) {
    return tableOf(listColumns(), rows, listCells);
}

Table historyTable(const std::vector<StoredReservation>& rows) {
    return tableOf(historyColumns(), rows, historyCells);
}

void ListingTable::add(const StoredReservation& s) {
    rows_.push_back(
        {s.request.start, s.request.name, s.id, history_ ? historyCells(s) : listCells(s)});
}

cli::Table ListingTable::listed(const ReservationPool& pool,
                                const ReservationPool::ListFilter& filter) {
    ListingTable table(false);
    pool.eachListed(filter, false, [&table](const StoredReservation& r) { table.add(r); });
    return table.table();
}

cli::Table ListingTable::table() {
    std::sort(rows_.begin(), rows_.end(), [](const Row& a, const Row& b) {
        return std::tie(a.start, a.name, a.id) < std::tie(b.start, b.name, b.id);
    });
    Table t(history_ ? historyColumns() : listColumns());
    t.reserve(rows_.size());
    for (auto& row : rows_) {
        t.addRow(std::move(row.cells));
    }
    rows_.clear();
    return t;
}

}  // namespace vcluster::reservation
