#include "db/migrations/Migrations.h"

namespace vcluster::db {

// Tenants run their own clusters (issue 18): the per-node actions an owner
// (or an admin) asks of a built cluster, power on, off (clean, then hard
// after vc_shutdown_timeout), reset, reinstall and roll-back of one node's
// disk, and a capture of the tail of its serial console (kept in Detail),
// disk, carried out by the next `rocks sync vcluster` and kept as the
// node's history (Started: when the sync began it, for the clean power-off's
// timeout; Detail: what happened, or why it failed). And API tokens scoped
// to one cluster (Cluster set): the credential of a virtual frontend's kit,
// good for that cluster's nodes and nothing else; PowerToken is the one
// its kit carries (in clear, as the kit does, like InstallToken).
Migration migrationNodeActions() {
    return {19, "Tenants' node actions and cluster-scoped tokens", R"SQL(
CREATE TABLE vcluster_node_actions (
  ID           INTEGER PRIMARY KEY AUTOINCREMENT,
  Reservation  INTEGER NOT NULL REFERENCES vcluster_reservations(ID) ON DELETE CASCADE,
  Node         VARCHAR(64) NOT NULL,
  Action       VARCHAR(16) NOT NULL
    CHECK (Action IN ('on', 'off', 'reset', 'reinstall', 'rollback', 'console')),
  Label        VARCHAR(24) NOT NULL DEFAULT '',
  State        VARCHAR(16) NOT NULL CHECK (State IN ('requested', 'done', 'failed')),
  RequestedBy  VARCHAR(64) NOT NULL,
  Requested    TEXT NOT NULL,
  Started      TEXT,
  Finished     TEXT,
  Detail       TEXT
);
CREATE INDEX vcluster_node_actions_node ON vcluster_node_actions(Reservation, Node, State);
CREATE INDEX vcluster_node_actions_state ON vcluster_node_actions(State, Reservation);
ALTER TABLE vcluster_tokens ADD COLUMN Cluster VARCHAR(64);
ALTER TABLE vcluster_root_passwords ADD COLUMN PowerToken VARCHAR(100);
)SQL"};
}

}  // namespace vcluster::db
