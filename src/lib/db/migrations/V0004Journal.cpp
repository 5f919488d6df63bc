#include "db/migrations/Migrations.h"

namespace vcluster::db {

// The lifecycle engine's journal: every step on a host is recorded before it
// runs and after it finishes, so an interrupted `rocks sync vcluster` resumes
// where it stopped. Reservations also get the reason of a failure.
Migration migrationJournal() {
    return {4, "Lifecycle journal and failure reasons", R"SQL(
CREATE TABLE vcluster_journal (
  ID          INTEGER PRIMARY KEY AUTOINCREMENT,
  Cluster     VARCHAR(64) NOT NULL,
  Transition  VARCHAR(64) NOT NULL,
  Host        VARCHAR(128) NOT NULL,
  Step        VARCHAR(64) NOT NULL,
  State       VARCHAR(16) NOT NULL CHECK (State IN ('started', 'done', 'failed')),
  Started     TEXT NOT NULL,
  Finished    TEXT,
  ExitCode    INTEGER,
  Stderr      TEXT
);
CREATE INDEX vcluster_journal_key ON vcluster_journal(Cluster, Transition, Host, Step);
ALTER TABLE vcluster_reservations ADD COLUMN FailureReason TEXT;
ALTER TABLE vcluster_reservations ADD COLUMN Attempts INTEGER NOT NULL DEFAULT 0;
)SQL"};
}

}  // namespace vcluster::db
