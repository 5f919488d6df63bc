#include "db/migrations/Migrations.h"

namespace vcluster::db {

// Courses: the IANA time zone a reservation's weekly windows (and its
// offset-less times) are in, stored with it so that every process reads the
// same instants whatever its TZ (rows from before: UTC); the days it skips
// (holidays: "2027-03-23,2027-04-13..2027-04-20", in that zone); and the
// group a per-student booking (count=) made it part of ('' for none); the
// install allowance (seconds) by which a weekly cluster's build precedes its
// first window (vc_install_allowance at booking, held by the calendar); and
// when the clean shutdown of a window's close was asked (NULL: none pending),
// from which vc_shutdown_timeout runs before a hard stop.
Migration migrationCourseCalendar() {
    return {10, "Reservation time zones, skipped dates, groups, install allowance, clean shutdown",
            R"SQL(
ALTER TABLE vcluster_reservations ADD COLUMN TimeZone VARCHAR(64) NOT NULL DEFAULT 'UTC';
ALTER TABLE vcluster_reservations ADD COLUMN SkipDates VARCHAR(1024) NOT NULL DEFAULT '';
ALTER TABLE vcluster_reservations ADD COLUMN GroupName VARCHAR(20) NOT NULL DEFAULT '';
ALTER TABLE vcluster_reservations ADD COLUMN InstallAllowance INTEGER NOT NULL DEFAULT 0;
ALTER TABLE vcluster_reservations ADD COLUMN ShutdownAsked INTEGER;
)SQL"};
}

}  // namespace vcluster::db
