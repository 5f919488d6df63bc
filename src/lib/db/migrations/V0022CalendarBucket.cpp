#include "db/migrations/Migrations.h"

namespace vcluster::db {

// The calendar's buckets widen from one hour to four: a booking is written
// into every bucket it spans (a month-long one into 720 of an hour), while
// a decision reads whole buckets through the 8/64/512 summaries and replays
// the changes inside only its two edge buckets. On the KTH SP2 trace's long
// jobs the p99 of an admission fell from ~290 to ~110 us (bench-calendar_bench).
// Only the value migration 2 seeded moves: a width an admin chose stays.
Migration migrationCalendarBucket() {
    return {22, "calendar buckets of four hours", R"SQL(
UPDATE attributes SET Value = '14400'
  WHERE Attr = 'vc_calendar_bucket' AND Value = '3600'
    AND Catindex IN (SELECT i.ID FROM catindex i JOIN categories c ON i.Category = c.ID
                     WHERE c.Name = 'global' AND i.Name = 'global');
)SQL"};
}

}  // namespace vcluster::db
