#include "reservation/ReservationPool.h"

#include <algorithm>
#include <array>
#include <limits>
#include <map>
#include <unordered_map>

#include "util/Error.h"
#include "util/Strings.h"

namespace vcluster::reservation {

namespace {

// The stored states in which a reservation holds its capacity, network id,
// public address and name: the one place that says which they are. A failed
// one holds what it holds on the hosts, and its name, until it is torn down.
constexpr std::array<const char*, 5> kHoldingStates = {"scheduled", "provisioning", "active",
                                                       "releasing", "failed"};

// "r.State IN (...)": a positive list, so the (State, EndTime) index serves it.
std::string holdingClause(const char* column) {
    std::string clause = std::string(column) + " IN (";
    for (std::size_t i = 0; i < kHoldingStates.size(); ++i) {
        clause += std::string(i == 0 ? "'" : ", '") + kHoldingStates[i] + "'";
    }
    return clause + ")";
}
const std::string kLive = holdingClause("r.State");
// The same, not offered to the planner as an index term (next to overlapClause).
const std::string kLiveUnindexed = holdingClause("+r.State");

// The longest span class (migration 17): SpanClass k holds spans of at most
// 2^k hours; class kLongest anything longer.
constexpr int kLongest = 17;

// Reservations overlapping [from, to): per span class one bounded range of
// the (SpanClass, StartTime) index, never a scan of the history.
std::string overlapClause(Time from, Time to, std::vector<db::Value>& params) {
    std::string clause = "(";
    for (int k = 0; k <= kLongest; ++k) {
        Time reach = k == kLongest ? std::numeric_limits<Time>::max() / 2 : Time{3600} << k;
        clause += std::string(k == 0 ? "" : " OR ") + "(r.SpanClass = " + std::to_string(k) +
                  " AND r.StartTime >= ? AND r.StartTime < ?)";
        params.emplace_back(from > std::numeric_limits<Time>::min() / 2 + reach
                                ? from - reach
                                : std::numeric_limits<Time>::min() / 2);
        params.emplace_back(to);
    }
    params.emplace_back(from);
    // "+": no index for this term, or SQLite takes (State, EndTime) and reads
    // every booking ending after `from` instead of the per-class ranges.
    return clause + ") AND +r.EndTime > ?";
}

// The columns of a new reservation row, in rowValues() order.
constexpr const char* kInsertColumns =
    "INSERT INTO vcluster_reservations (Name, Owner, State, StartTime, EndTime, RepeatSpec, "
    "Nodes, CPUs, Memory, Disk, FeCPUs, FeMemory, FeDisk, Rolls, Appliances, SshKey, Fqdn, "
    "Hypervisor, Network, NetworkID, Gateway, PublicIP, Storage, Created, Phase, TimeZone, "
    "SkipDates, GroupName, InstallAllowance) VALUES ";

constexpr const char* kSelect =
    "SELECT r.ID, r.Name, r.Owner, r.State, r.StartTime, r.EndTime, r.RepeatSpec, r.Nodes, "
    "r.CPUs, r.Memory, r.Disk, r.FeCPUs, r.FeMemory, r.FeDisk, r.Rolls, r.Appliances, r.SshKey, "
    "r.Fqdn, r.Hypervisor, r.Network, r.NetworkID, COALESCE(g.Name, ''), r.PublicIP, "
    "COALESCE(s.Name, ''), r.Created, COALESCE(r.FailureReason, ''), r.Phase, r.TimeZone, "
    "r.SkipDates, r.GroupName, r.InstallAllowance, r.ShutdownAsked, "
    "COALESCE(r.BuiltNodes, 0), COALESCE(r.BuiltMemory, 0), COALESCE(r.BuiltCPUs, 0), "
    "COALESCE(r.Ended, ''), COALESCE(r.EndedBy, ''), COALESCE(r.EndReason, ''), "
    "(SELECT COUNT(*) FROM vcluster_snapshots sn WHERE sn.Reservation = r.ID) "
    "FROM vcluster_reservations r LEFT JOIN nodes g ON g.ID = r.Gateway "
    "LEFT JOIN nodes s ON s.ID = r.Storage ";

// kSelect's columns at the same places for a listing: what it does not print
// is a constant, so neither the joins nor the snapshot count are read (and
// the ssh keys are not copied), with the same reader.
constexpr const char* kSelectBrief =
    "SELECT r.ID, r.Name, r.Owner, r.State, r.StartTime, r.EndTime, r.RepeatSpec, r.Nodes, "
    "r.CPUs, r.Memory, r.Disk, r.FeCPUs, r.FeMemory, r.FeDisk, '', '', '', "
    "'', r.Hypervisor, r.Network, r.NetworkID, '', '', "
    "'', '', COALESCE(r.FailureReason, ''), r.Phase, r.TimeZone, "
    "r.SkipDates, r.GroupName, r.InstallAllowance, r.ShutdownAsked, "
    "COALESCE(r.BuiltNodes, 0), COALESCE(r.BuiltMemory, 0), COALESCE(r.BuiltCPUs, 0), "
    "COALESCE(r.Ended, ''), COALESCE(r.EndedBy, ''), COALESCE(r.EndReason, ''), 0 "
    "FROM vcluster_reservations r ";

// The states that are a phase of a stored State (see migration 5).
std::pair<std::string, std::string> stateAndPhase(const std::string& state) {
    if (state == "installing") {
        return {"provisioning", state};
    }
    if (state == "powered-off") {
        return {"active", state};
    }
    return {state, ""};
}

std::vector<db::Value> rowValues(const StoredReservation& s) {
    const auto& r = s.request;
    auto [state, phase] = stateAndPhase(s.state);
    return {r.name,
            r.owner,
            state,
            r.start,
            r.end,
            r.repeat ? r.repeat->text() : std::string(),
            std::int64_t{r.nodes},
            std::int64_t{r.cpus},
            r.memoryMiB,
            r.diskMiB,
            std::int64_t{r.feCpus},
            r.feMemoryMiB,
            r.feDiskMiB,
            join(r.rolls, ","),
            join(r.appliances, ","),
            r.sshKey,
            r.fqdn,
            std::string(hypervisorName(r.hypervisor)),
            std::string(networkName(r.network)),
            s.networkId,
            s.gateway,
            s.publicIp,
            s.storage,
            s.created,
            phase,
            r.timeZone,
            r.repeat ? r.repeat->skipText() : std::string(),
            r.group,
            r.installAllowance};
}

}  // namespace

namespace {

StoredReservation readReservation(const db::Statement& row) {
    StoredReservation s;
    s.id = row.integer(0);
    auto& r = s.request;
    r.name = row.text(1);
    r.owner = row.text(2);
    s.state = row.text(26);
    if (s.state.empty()) {
        s.state = row.text(3);
    }
    r.start = row.integer(4);
    r.end = row.integer(5);
    r.timeZone = row.text(27);
    if (const std::string repeat = row.text(6); !repeat.empty()) {
        r.repeat = parseWeeklyRepeat(repeat);
        r.repeat->zone = r.timeZone;
        if (const std::string skips = row.text(28); !skips.empty()) {
            r.repeat->skips = parseSkipDates(skips);
        }
    }
    r.group = row.text(29);
    r.installAllowance = row.integer(30);
    if (!row.isNull(31)) {
        s.shutdownAsked = row.integer(31);
    }
    r.nodes = static_cast<int>(row.integer(7));
    r.cpus = static_cast<int>(row.integer(8));
    r.memoryMiB = row.integer(9);
    r.diskMiB = row.integer(10);
    r.feCpus = static_cast<int>(row.integer(11));
    r.feMemoryMiB = row.integer(12);
    r.feDiskMiB = row.integer(13);
    if (const std::string rolls = row.text(14); !rolls.empty()) {
        r.rolls = split(rolls, ',');
    }
    r.appliances = split(row.text(15), ',');
    r.sshKey = row.text(16);
    r.fqdn = row.text(17);
    r.hypervisor = parseHypervisor(row.text(18));
    r.network = parseNetworkKind(row.text(19));
    s.networkId = row.integer(20);
    s.gateway = row.text(21);
    s.publicIp = row.text(22);
    s.storage = row.text(23);
    s.created = row.text(24);
    s.failureReason = row.text(25);
    s.builtNodes = static_cast<int>(row.integer(32));
    s.builtMemoryMiB = row.integer(33);
    s.builtCpus = static_cast<int>(row.integer(34));
    s.ended = row.text(35);
    s.endedBy = row.text(36);
    s.endReason = row.text(37);
    s.snapshots = static_cast<int>(row.integer(38));
    s.nodeHosts.assign(static_cast<std::size_t>(s.heldNodes()), std::string());
    return s;
}

}  // namespace

std::vector<StoredReservation> ReservationPool::load(const std::string& where,
                                                     const std::vector<db::Value>& params,
                                                     bool withNodes,
                                                     const std::string& page) const {
    std::vector<StoredReservation> out;
    std::unordered_map<std::int64_t, std::size_t> byId;
    std::string sql = std::string(kSelect) + where;
    // A page is cut in the database's order; a whole answer is sorted here
    // (SQLite's sorter moved every row's 39 columns through a temporary
    // b-tree: a tenth of listing 50,000 rows). The page's IDs are chosen
    // first, sorting only the three ordering columns, and only its rows are
    // joined and counted: sorting every row with its joins and snapshot count
    // made a page of 100 at offset 5,000 cost 20 ms.
    if (!page.empty()) {
        const std::string from = "FROM vcluster_reservations r ";
        const std::string order = " ORDER BY r.StartTime, r.Name, r.ID";
        sql = kSelect;
        sql.replace(sql.find(from), from.size(),
                    "FROM (SELECT r.ID FROM vcluster_reservations r " + where + order + page +
                        ") page JOIN vcluster_reservations r ON r.ID = page.ID ");
        sql += order;
    }
    // Row by row (each): a listing of 50,000 held all their 39 columns at
    // once before the first was read, twice the memory of the answer.
    // Columns straight from the statement: copying each row into a db::Row
    // first cost 39 Values a row.
    db_.each(sql, params, [&](const db::Statement& row) {
        StoredReservation s = readReservation(row);
        if (withNodes) {
            byId[s.id] = out.size();
        }
        out.push_back(std::move(s));
    });
    auto sorted = [&page](std::vector<StoredReservation> rows) {
        if (!page.empty()) {
            return rows;
        }
        std::vector<std::size_t> order(rows.size());
        for (std::size_t i = 0; i < order.size(); ++i) {
            order[i] = i;
        }
        std::sort(order.begin(), order.end(), [&rows](std::size_t a, std::size_t b) {
            const auto& x = rows[a];
            const auto& y = rows[b];
            if (x.request.start != y.request.start) {
                return x.request.start < y.request.start;
            }
            if (x.request.name != y.request.name) {
                return x.request.name < y.request.name;
            }
            return x.id < y.id;
        });
        std::vector<StoredReservation> out;
        out.reserve(rows.size());
        for (std::size_t i : order) {
            out.push_back(std::move(rows[i]));
        }
        return out;
    };
    if (out.empty() || !withNodes) {
        return sorted(std::move(out));
    }
    // Streamed too: the nodes of a day's bookings on a large site are
    // thousands of rows. By the IDs just read, some hundred a statement:
    // evaluating `where` a second time (its index ranges and its filters)
    // was 2 of the 5 ms the nodes of a day's 400 bookings took. Host IDs
    // from the covering (Reservation, NodeIndex, Host) index (migration 21),
    // their names read once each afterwards: joining nodes probed its table
    // for every one of the 7,000 nodes of those 400 bookings, though they
    // sit on a few hundred hosts.
    constexpr std::size_t kIdsPerStatement = 500;
    struct Slot {
        std::size_t reservation;
        std::size_t index;
        std::int64_t host;
    };
    std::vector<Slot> slots;
    // Hash maps: the tree walks of std::map were a tenth of reading them.
    std::unordered_map<std::int64_t, std::string> hostNames;
    // The index gives a reservation's nodes one after another: one lookup each.
    std::int64_t lastId = 0;
    std::size_t lastAt = out.size();
    auto visit = [&](const db::Statement& row) {
        const std::int64_t id = row.integer(0);
        if (lastAt == out.size() || id != lastId) {
            auto it = byId.find(id);
            lastId = id;
            lastAt = it == byId.end() ? out.size() : it->second;
        }
        if (lastAt == out.size()) {
            return;
        }
        auto index = static_cast<std::size_t>(row.integer(1));
        if (index < out[lastAt].nodeHosts.size()) {
            const std::int64_t host = row.integer(2);
            slots.push_back({lastAt, index, host});
            hostNames.emplace(host, std::string());
        }
    };
    auto inChunks = [&](const std::vector<db::Value>& all, const std::string& sql,
                        const auto& visitor) {
        std::vector<db::Value> part;
        for (std::size_t from = 0; from < all.size(); from += kIdsPerStatement) {
            const std::size_t to = std::min(all.size(), from + kIdsPerStatement);
            part.assign(all.begin() + static_cast<std::ptrdiff_t>(from),
                        all.begin() + static_cast<std::ptrdiff_t>(to));
            db_.each(sql + db::placeholders(part.size()) + ")", part, visitor);
        }
    };
    std::vector<db::Value> ids;
    ids.reserve(out.size());
    for (const auto& s : out) {
        ids.emplace_back(s.id);
    }
    inChunks(ids,
             "SELECT a.Reservation, a.NodeIndex, a.Host FROM vcluster_allocations a "
             "WHERE a.Reservation IN (",
             visit);
    ids.clear();
    for (const auto& [host, name] : hostNames) {
        ids.emplace_back(host);
    }
    inChunks(ids, "SELECT n.ID, n.Name FROM nodes n WHERE n.ID IN (",
             [&](const db::Statement& row) { hostNames[row.integer(0)] = row.text(1); });
    for (const auto& slot : slots) {
        out[slot.reservation].nodeHosts[slot.index] = hostNames[slot.host];
    }
    return sorted(std::move(out));
}

std::vector<StoredReservation> ReservationPool::listLive() const {
    return load("WHERE " + kLive, {});
}

std::vector<StoredReservation> ReservationPool::listPastEnd(Time now) const {
    return load("WHERE " + kLive + " AND r.EndTime <= ?", {now});
}

std::vector<StoredReservation> ReservationPool::listLiveGroup(const std::string& group) const {
    return load("WHERE " + kLiveUnindexed + " AND r.GroupName = ?", {group});
}

std::set<std::string> ReservationPool::liveGroupNames() const {
    std::set<std::string> out;
    for (const auto& row : db_.query("SELECT DISTINCT r.GroupName FROM vcluster_reservations r "
                                     "WHERE r.GroupName <> '' AND " +
                                     kLiveUnindexed)) {
        out.insert(row.text(0));
    }
    return out;
}

std::vector<StoredReservation> ReservationPool::listOverlapping(const Interval& interval) const {
    std::vector<db::Value> params;
    std::string where =
        "WHERE " + kLiveUnindexed + " AND " + overlapClause(interval.start, interval.end, params);
    return load(where, params);
}

std::vector<StoredReservation> ReservationPool::listDue(Time now) const {
    // Those whose end has passed (a release is due): the (State, EndTime) index.
    // (A failed one waits for the admin's `rocks remove vcluster`: not due.)
    std::vector<StoredReservation> due =
        load("WHERE " + kLive + " AND r.State <> 'failed' AND r.EndTime <= ?", {now});
    // Those spanning now with something to do: building (scheduled,
    // provisioning, installing), a weekly one's power state to converge, a
    // powered-off one, or a snapshot, roll-back or snapshot removal asked,
    // or a tenant's node action.
    std::vector<db::Value> params;
    std::string where =
        "WHERE " + kLiveUnindexed + " AND +r.StartTime <= ? AND " +
        overlapClause(now, now + 1, params) +
        " AND (r.State IN ('scheduled', 'provisioning') OR r.Phase <> '' OR "
        "r.RepeatSpec <> '' OR COALESCE(r.Reshaping, 0) <> 0 OR "
        "COALESCE(r.CycleAsked, 0) <> 0 OR EXISTS (SELECT 1 FROM vcluster_snapshots s WHERE "
        "s.Reservation = r.ID AND (s.State = 'requested' OR s.RollbacksRequested "
        "> s.Rollbacks OR COALESCE(s.RemovalRequested, '') <> '')) OR EXISTS (SELECT 1 FROM "
        "vcluster_node_actions a WHERE a.Reservation = r.ID AND a.State = 'requested'))";
    params.insert(params.begin(), now);
    auto spanning = load(where, params);
    due.insert(due.end(), std::make_move_iterator(spanning.begin()),
               std::make_move_iterator(spanning.end()));
    std::stable_sort(due.begin(), due.end(), [](const auto& a, const auto& b) {
        return a.request.start != b.request.start ? a.request.start < b.request.start
                                                  : a.request.name < b.request.name;
    });
    return due;
}

std::vector<StoredReservation> ReservationPool::listWithNodeActions() const {
    return load(
        "WHERE r.State = 'active' AND EXISTS (SELECT 1 FROM vcluster_node_actions a "
        "WHERE a.Reservation = r.ID AND a.State = 'requested')",
        {});
}

namespace {

// The WHERE of a listing and its parameters.
std::pair<std::string, std::vector<db::Value>> listWhere(const ReservationPool::ListFilter& filter,
                                                         bool history = false) {
    std::string where =
        history ? std::string("WHERE 1 = 1") : "WHERE r.State NOT IN ('released', 'cancelled')";
    std::vector<db::Value> params;
    if (filter.state) {
        auto [state, phase] = stateAndPhase(*filter.state);
        where = "WHERE r.State = ? AND r.Phase = ?";
        params = {state, phase};
    }
    if (filter.owner) {
        where += " AND r.Owner = ?";
        params.emplace_back(*filter.owner);
    }
    if (filter.name) {
        where += " AND r.Name = ?";
        params.emplace_back(*filter.name);
    }
    if (filter.from || filter.to) {
        where += " AND " + overlapClause(filter.from.value_or(std::numeric_limits<Time>::min() / 2),
                                         filter.to.value_or(std::numeric_limits<Time>::max() / 2),
                                         params);
    }
    return {where, params};
}

std::string pageOf(const ReservationPool::ListFilter& filter) {
    if (!filter.limit) {
        return "";
    }
    return " LIMIT " + std::to_string(std::max<std::int64_t>(0, *filter.limit)) + " OFFSET " +
           std::to_string(std::max<std::int64_t>(0, filter.offset));
}

}  // namespace

std::vector<StoredReservation> ReservationPool::list(const ListFilter& filter) const {
    auto [where, params] = listWhere(filter);
    return load(where, params, false, pageOf(filter));
}

void ReservationPool::eachListed(const ListFilter& filter, bool history,
                                 const std::function<void(const StoredReservation&)>& visit) const {
    auto [where, params] = listWhere(filter, history);
    const std::string page = pageOf(filter);
    db_.each(std::string(kSelectBrief) + where +
                 (page.empty() ? "" : " ORDER BY r.StartTime, r.Name, r.ID" + page),
             params, [&](const db::Statement& row) { visit(readReservation(row)); });
}

std::vector<StoredReservation> ReservationPool::listAll() const { return load("", {}); }

std::optional<StoredReservation> ReservationPool::findLive(const std::string& name) const {
    auto found = load("WHERE " + kLive + " AND r.Name = ?", {name});
    if (found.empty()) {
        return std::nullopt;
    }
    return found.front();
}

std::int64_t ReservationPool::countAll() const {
    return db_.queryOne("SELECT COUNT(*) FROM vcluster_reservations")->integer(0);
}

std::vector<std::string> ReservationPool::liveNames() const {
    std::vector<std::string> out;
    for (const auto& row : db_.query("SELECT r.Name FROM vcluster_reservations r WHERE " + kLive)) {
        out.push_back(row.text(0));
    }
    return out;
}

void ReservationPool::insertMany(std::vector<StoredReservation>& rs) {
    if (rs.empty()) {
        return;
    }
    std::map<std::string, std::int64_t> hostIds;
    for (const auto& row : db_.query("SELECT ID, Name FROM nodes")) {
        hostIds[row.text(1)] = row.integer(0);
    }
    auto hostId = [&](const std::string& name) -> db::Value {
        if (name.empty()) {
            return nullptr;
        }
        auto it = hostIds.find(name);
        if (it == hostIds.end()) {
            throw Error("unknown host '" + name + "' in a placement");
        }
        return it->second;
    };
    auto row = db_.prepare(std::string(kInsertColumns) +
                           "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                           "?, ?, ?, ?, ?, ?)");
    auto allocation = db_.prepare(
        "INSERT INTO vcluster_allocations (Reservation, NodeIndex, Host) VALUES (?, ?, ?)");
    for (auto& s : rs) {
        auto values = rowValues(s);
        values[20] = hostId(s.gateway);
        values[22] = hostId(s.storage);
        row->reset();
        for (std::size_t i = 0; i < values.size(); ++i) {
            row->bind(static_cast<int>(i + 1), values[i]);
        }
        row->step();
        s.id = db_.lastInsertId();
        for (std::size_t i = 0; i < s.nodeHosts.size(); ++i) {
            allocation->reset();
            allocation->bind(1, s.id);
            allocation->bind(2, static_cast<std::int64_t>(i));
            allocation->bind(3, hostId(s.nodeHosts[i]));
            allocation->step();
        }
    }
}

std::int64_t ReservationPool::insert(const StoredReservation& s) {
    auto values = rowValues(s);
    std::int64_t id = db_.insert(std::string(kInsertColumns) +
                                     "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                     "(SELECT ID FROM nodes WHERE Name = ?), ?, (SELECT ID FROM "
                                     "nodes WHERE Name = ?), ?, ?, "
                                     "?, ?, ?, ?)",
                                 values);
    StoredReservation copy = s;
    copy.id = id;
    writeAllocations(copy);
    return id;
}

void ReservationPool::update(const StoredReservation& s) {
    auto values = rowValues(s);
    values.emplace_back(std::in_place_type<std::int64_t>, s.id);
    db_.execute(
        "UPDATE vcluster_reservations SET Name = ?, Owner = ?, State = ?, StartTime = ?, "
        "EndTime = ?, RepeatSpec = ?, Nodes = ?, CPUs = ?, Memory = ?, Disk = ?, FeCPUs = ?, "
        "FeMemory = ?, FeDisk = ?, Rolls = ?, Appliances = ?, SshKey = ?, Fqdn = ?, "
        "Hypervisor = ?, Network = ?, NetworkID = ?, Gateway = (SELECT ID FROM nodes WHERE Name "
        "= ?), PublicIP = ?, Storage = (SELECT ID FROM nodes WHERE Name = ?), Created = ?, "
        "Phase = ?, TimeZone = ?, SkipDates = ?, GroupName = ?, InstallAllowance = ? WHERE ID = ?",
        values);
    writeAllocations(s);
}

void ReservationPool::writeAllocations(const StoredReservation& s) {
    db_.execute("DELETE FROM vcluster_allocations WHERE Reservation = ?", {s.id});
    for (std::size_t i = 0; i < s.nodeHosts.size(); ++i) {
        int changed = db_.execute(
            "INSERT INTO vcluster_allocations (Reservation, NodeIndex, Host) "
            "SELECT ?, ?, ID FROM nodes WHERE Name = ?",
            {s.id, static_cast<std::int64_t>(i), s.nodeHosts[i]});
        if (changed != 1) {
            throw Error("unknown host '" + s.nodeHosts[i] + "' in a placement");
        }
    }
}

void ReservationPool::erase(std::int64_t id) {
    db_.execute("DELETE FROM vcluster_allocations WHERE Reservation = ?", {id});
    db_.execute("DELETE FROM vcluster_reservations WHERE ID = ?", {id});
}

void ReservationPool::setState(std::int64_t id, const std::string& state) {
    auto [stored, phase] = stateAndPhase(state);
    db_.execute("UPDATE vcluster_reservations SET State = ?, Phase = ? WHERE ID = ?",
                {stored, phase, id});
}

void ReservationPool::setShutdownAsked(std::int64_t id, std::optional<Time> at) {
    db_.execute("UPDATE vcluster_reservations SET ShutdownAsked = ? WHERE ID = ?",
                {at ? db::Value(*at) : db::Value(nullptr), id});
}

void ReservationPool::setEnd(std::int64_t id, Time end) {
    db_.execute("UPDATE vcluster_reservations SET EndTime = ? WHERE ID = ?", {end, id});
}

bool ReservationPool::cycleAsked(std::int64_t id) const {
    auto row = db_.queryOne(
        "SELECT COALESCE(CycleAsked, 0) FROM vcluster_reservations WHERE ID = ?", {id});
    return row && row->integer(0) != 0;
}

void ReservationPool::setCycleAsked(std::int64_t id, bool asked) {
    db_.execute("UPDATE vcluster_reservations SET CycleAsked = ? WHERE ID = ?",
                {std::int64_t{asked ? 1 : 0}, id});
}

bool ReservationPool::reshaping(std::int64_t id) const {
    auto row =
        db_.queryOne("SELECT COALESCE(Reshaping, 0) FROM vcluster_reservations WHERE ID = ?", {id});
    return row && row->integer(0) != 0;
}

void ReservationPool::setReshaping(std::int64_t id, bool reshaping) {
    db_.execute("UPDATE vcluster_reservations SET Reshaping = ? WHERE ID = ?",
                {std::int64_t{reshaping ? 1 : 0}, id});
}

void ReservationPool::setNodeHosts(std::int64_t id, const std::vector<std::string>& hosts) {
    StoredReservation s;
    s.id = id;
    s.nodeHosts = hosts;
    writeAllocations(s);
}

void ReservationPool::setBuilt(std::int64_t id, int nodes, std::int64_t memoryMiB, int cpus) {
    db_.execute(
        "UPDATE vcluster_reservations SET BuiltNodes = ?, BuiltMemory = ?, BuiltCPUs = ? "
        "WHERE ID = ?",
        {std::int64_t{nodes}, memoryMiB, std::int64_t{cpus}, id});
}

void ReservationPool::resetAttempts(std::int64_t id) {
    db_.execute("UPDATE vcluster_reservations SET Attempts = 0 WHERE ID = ?", {id});
}

std::int64_t ReservationPool::countFailure(std::int64_t id, const std::string& reason) {
    db_.execute(
        "UPDATE vcluster_reservations SET Attempts = Attempts + 1, FailureReason = ? WHERE ID = ?",
        {reason, id});
    auto row = db_.queryOne("SELECT Attempts FROM vcluster_reservations WHERE ID = ?", {id});
    return row ? row->integer(0) : 0;
}

void ReservationPool::setFailureReason(std::int64_t id, const std::string& reason) {
    db_.execute("UPDATE vcluster_reservations SET FailureReason = ? WHERE ID = ?", {reason, id});
}

void ReservationPool::restartInstall(std::int64_t id, Time at) {
    db_.execute("UPDATE vcluster_reservations SET InstallStarted = ? WHERE ID = ?", {at, id});
}

void ReservationPool::markInstallStarted(std::int64_t id, Time at) {
    db_.execute(
        "UPDATE vcluster_reservations SET InstallStarted = COALESCE(InstallStarted, ?) WHERE ID = "
        "?",
        {at, id});
}

std::optional<Time> ReservationPool::installStarted(std::int64_t id) const {
    auto row = db_.queryOne("SELECT InstallStarted FROM vcluster_reservations WHERE ID = ?", {id});
    return row ? row->optInteger(0) : std::nullopt;
}

void ReservationPool::recordEnd(std::int64_t id, const std::optional<std::string>& when,
                                const std::string& by, const std::string& reason) {
    // The first who and why stay (a removal is recorded when asked for, its
    // release later only adds the time).
    db_.execute(
        "UPDATE vcluster_reservations SET Ended = COALESCE(?, Ended), "
        "EndedBy = COALESCE(EndedBy, ?), EndReason = COALESCE(EndReason, ?) WHERE ID = ?",
        {when ? db::Value(*when) : db::Value(nullptr), by, reason, id});
}

int ReservationPool::reassignOwner(const std::string& from, const std::string& to) {
    auto row = db_.queryOne("SELECT COUNT(*) FROM vcluster_reservations WHERE Owner = ?", {from});
    db_.execute("UPDATE vcluster_reservations SET Owner = ? WHERE Owner = ?", {to, from});
    return row ? static_cast<int>(row->integer(0)) : 0;
}

std::vector<MaintenanceWindow> ReservationPool::maintenance(
    const std::optional<std::string>& host) const {
    std::vector<MaintenanceWindow> out;
    std::string sql =
        "SELECT m.ID, n.Name, m.StartTime, m.EndTime, m.Comment FROM vcluster_maintenance m "
        "JOIN nodes n ON n.ID = m.Host ";
    std::vector<db::Value> params;
    if (host) {
        sql += "WHERE n.Name = ? ";
        params.emplace_back(*host);
    }
    for (const auto& row : db_.query(sql + "ORDER BY m.StartTime, n.Name", params)) {
        out.push_back({row.integer(0), row.text(1), {row.integer(2), row.integer(3)}, row.text(4)});
    }
    return out;
}

std::vector<MaintenanceWindow> ReservationPool::maintenanceOverlapping(
    const Interval& interval) const {
    std::vector<MaintenanceWindow> out;
    for (const auto& row : db_.query(
             "SELECT m.ID, n.Name, m.StartTime, m.EndTime, m.Comment FROM vcluster_maintenance m "
             "JOIN nodes n ON n.ID = m.Host WHERE m.EndTime > ? AND m.StartTime < ? "
             "ORDER BY m.StartTime, n.Name",
             {interval.start, interval.end})) {
        out.push_back({row.integer(0), row.text(1), {row.integer(2), row.integer(3)}, row.text(4)});
    }
    return out;
}

std::int64_t ReservationPool::addMaintenance(const MaintenanceWindow& m) {
    return db_.insert(
        "INSERT INTO vcluster_maintenance (Host, StartTime, EndTime, Comment) "
        "SELECT ID, ?, ?, ? FROM nodes WHERE Name = ?",
        {m.interval.start, m.interval.end, m.comment, m.host});
}

int ReservationPool::removeMaintenance(const std::string& host, std::optional<std::int64_t> id) {
    if (id) {
        return db_.execute(
            "DELETE FROM vcluster_maintenance WHERE ID = ? AND Host = (SELECT ID FROM nodes WHERE "
            "Name = ?)",
            {*id, host});
    }
    return db_.execute(
        "DELETE FROM vcluster_maintenance WHERE Host = (SELECT ID FROM nodes WHERE Name = ?)",
        {host});
}

}  // namespace vcluster::reservation
