#pragma once

#include "domain/types.h"

#include <QSqlQuery>
#include <QString>

#include <vector>

// Reading a revision's artifacts with their parts in one query, the same on
// both stores (the SQL is portable; each binds change id and revision).
namespace hp {

// Columns: idx, kind, name, sha256, part bytes, ordered by idx then part.
QString artifactsOfRevisionSql();

// Folds the rows of artifactsOfRevisionSql() into artifacts, parts in order.
std::vector<Artifact> artifactsFromRows(QSqlQuery &q);

} // namespace hp
