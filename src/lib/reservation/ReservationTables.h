#pragma once

#include <vector>

#include "cli/Table.h"
#include "reservation/ReservationPool.h"

namespace vcluster::reservation {

// The tables `rocks add vcluster` and `rocks list vcluster` print, shared with
// the portal (whose JSON is these tables rendered as JSON) and with the
// portal client (which rebuilds them from that JSON), so both print the same.
// The booking's answer; ROOT-PASSWORD is the frontend's root password in
// clear, shown this once (the database keeps only its hash).
std::vector<cli::Table::Column> bookedColumns(NetworkKind network);
cli::Table bookedTable(const StoredReservation& r);
// The rows of a count= group (one network kind: they are booked alike).
cli::Table bookedTable(const std::vector<StoredReservation>& rows);

std::vector<cli::Table::Column> listColumns();
// The rows in the order given.
cli::Table listTable(const std::vector<StoredReservation>& rows);
// `rocks list vcluster state=all`: every reservation ever booked, with when,
// by whom and why an ended one ended.
cli::Table historyTable(const std::vector<StoredReservation>& rows);

// The listing's or the history's rows added in any order (as
// ReservationPool::eachListed reads them), made a table in the listing's
// order: start, name, id (SQLite's sorter cost more than reading the rows).
class ListingTable {
  public:
    explicit ListingTable(bool history) : history_(history) {}
    // The listing of `filter` as `rocks list vcluster` prints it, row by row
    // into the cells (nothing else held).
    static cli::Table listed(const ReservationPool& pool,
                             const ReservationPool::ListFilter& filter);
    void add(const StoredReservation& s);
    cli::Table table();

  private:
    struct Row {
        Time start;
        std::string name;
        std::int64_t id;
        std::vector<std::string> cells;
    };
    bool history_;
    std::vector<Row> rows_;
};

}  // namespace vcluster::reservation
