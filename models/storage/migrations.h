#pragma once

#include "domain/result.h"

#include <QSqlDatabase>
#include <QString>

#include <map>

// Numbered schema migrations (DESIGN §6): resources/schema/sqlite/NNNN_*.sql,
// embedded as :/holdpoint/schema/sqlite/. Each file raises the schema to its
// number; schema_version records every applied one.
namespace hp::migrations {

// The numbered scripts in a resource directory (":/holdpoint/schema/<backend>"):
// version → resource path, from the file names' leading four digits.
std::map<int, QString> scriptsIn(const QString &dir);

// The highest schema version this binary knows.
int latestVersion();
// The version recorded in the store; 0 for an empty database; an error when
// the file is not a Holdpoint store.
Result<int> currentVersion(QSqlDatabase &db);
// Applies every migration above the current version. The caller holds the
// write transaction (all or nothing); `appliedAt` is stored per version.
Status apply(QSqlDatabase &db, int from, const QString &appliedAt);

} // namespace hp::migrations
