#include "db/migrations/Migrations.h"

namespace vcluster::db {

// Rocks' resolve chain (rocksclusters/core 6.2/7: resolvechain), which the
// attribute pool resolves attributes through, as Rocks does: chain 'default'
// global 10, os 20, appliance 30, rack 40, host 50. Rocks' own table, so only
// in the embedded database; a Rocks frontend has it.
Migration migrationResolveChain() {
    Migration m{15, "Rocks' attribute resolve chain", "", ""};
    m.embeddedSql = R"SQL(
CREATE TABLE resolvechain (
  ID          INTEGER PRIMARY KEY AUTOINCREMENT,
  Name        VARCHAR(64) NOT NULL,
  Category    INTEGER NOT NULL REFERENCES categories(ID),
  Precedence  INTEGER NOT NULL DEFAULT 10,
  UNIQUE (Name, Category)
);
INSERT INTO resolvechain (Name, Category, Precedence)
  SELECT 'default', ID,
         CASE Name WHEN 'global' THEN 10 WHEN 'os' THEN 20 WHEN 'appliance' THEN 30
                   WHEN 'rack' THEN 40 WHEN 'host' THEN 50 END
  FROM categories WHERE Name IN ('global', 'os', 'appliance', 'rack', 'host');
)SQL";
    return m;
}

}  // namespace vcluster::db
