#pragma once

// Shared by the storage tests: a fresh store in a temporary directory, actors,
// proposals, and direct SQL on the store file (tests only: tampering and
// inspecting what the API never shows).
#include "storage/store.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

// QCOMPARE on hp enums would pick up hp::toString(enum) -> QString and not
// compile; compare their names instead.
#define COMPARE_NAME(actual, expected) QCOMPARE(hp::toString(actual), hp::toString(expected))

namespace hp::testing {

// The newest audit entry as JSON, or an empty object.
inline QJsonObject lastEntry(Store &store)
{
    auto entries = store.auditEntries(0, 0);
    if (!entries.ok() || entries->empty())
        return {};
    return QJsonDocument::fromJson(entries->back().entry).object();
}

// The newest audit entry of `action` as JSON, or an empty object.
inline QJsonObject lastEntryOf(Store &store, const QString &action)
{
    auto entries = store.auditEntries(0, 0);
    if (!entries.ok())
        return {};
    for (auto it = entries->rbegin(); it != entries->rend(); ++it) {
        const QJsonObject o = QJsonDocument::fromJson(it->entry).object();
        if (o.value(QStringLiteral("action")).toString() == action)
            return o;
    }
    return {};
}

inline Actor actor(const QString &login)
{
    return Actor{login, QStringLiteral("testhost"), QStringLiteral("0.0-test")};
}

inline Artifact artifact(ArtifactKind kind, const QString &name, std::vector<QByteArray> parts)
{
    Artifact a;
    a.kind = kind;
    a.name = name;
    a.parts = std::move(parts);
    return a;
}

inline Proposal proposal(const QString &title, const QByteArray &patch)
{
    Proposal p;
    p.title = title;
    p.environment = QStringLiteral("prod");
    p.target = QStringLiteral("aws:123456789012/eu-west-1");
    p.intent = QStringLiteral("rotate the database password");
    p.agentName = QStringLiteral("infra-bot");
    p.artifacts.push_back(
        artifact(ArtifactKind::UnifiedDiff, QStringLiteral("fix.patch"), {patch}));
    return p;
}

// A clock that advances one second per reading, from a fixed instant.
inline Clock steppingClock()
{
    auto t = std::make_shared<QDateTime>(QDateTime(QDate(2024, 5, 1), QTime(9, 0), Qt::UTC));
    return [t] {
        *t = t->addSecs(1);
        return *t;
    };
}

// A store with admin "adam", reviewers "rita" and "rex", lead "lena", auditor
// "aria", operator "olga" (no role) and agent "bot" operated by olga.
class StoreFixture
{
public:
    StoreFixture()
    {
        QVERIFY(m_dir.isValid());
        path = m_dir.filePath(QStringLiteral("holdpoint.db"));
        CreateOptions options;
        options.adminLogin = QStringLiteral("adam");
        auto created = createStore(path, options, actor(QStringLiteral("root")), steppingClock());
        QVERIFY2(created.ok(), created.ok() ? "" : qPrintable(created.error().message));
        store = std::move(*created);
    }

    void addTeam()
    {
        const Actor admin = actor(QStringLiteral("adam"));
        QVERIFY(store->addUser(admin, QStringLiteral("rita"), RoleSet::of({Role::Reviewer})).ok());
        QVERIFY(store->addUser(admin, QStringLiteral("rex"), RoleSet::of({Role::Reviewer})).ok());
        QVERIFY(store->addUser(admin, QStringLiteral("lena"), RoleSet::of({Role::Lead})).ok());
        QVERIFY(store->addUser(admin, QStringLiteral("aria"), RoleSet::of({Role::Auditor})).ok());
        QVERIFY(store->addUser(admin, QStringLiteral("olga"), RoleSet()).ok());
        QVERIFY(store->addAgent(admin, QStringLiteral("bot"), QStringLiteral("olga")).ok());
    }

    QString submitAsBot(
        const QByteArray &patch = QByteArrayLiteral("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n"))
    {
        SubmitRequest request;
        request.proposal = proposal(QStringLiteral("Rotate the password"), patch);
        auto result = store->submit(actor(QStringLiteral("bot")), request);
        if (!result.ok()) {
            qWarning("%s", qPrintable(result.error().message));
            return {};
        }
        return result->changeId;
    }

    // Runs SQL on the store file through a separate connection.
    bool sql(const QString &statement, const QVariantList &values = {})
    {
        const QString name = QStringLiteral("tamper");
        bool ok = false;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(path);
            if (db.open()) {
                QSqlQuery q(db);
                q.prepare(statement);
                for (const QVariant &v : values)
                    q.addBindValue(v);
                ok = q.exec();
                if (!ok)
                    qWarning("%s: %s", qPrintable(statement), qPrintable(q.lastError().text()));
            }
            db.close();
        }
        QSqlDatabase::removeDatabase(name);
        return ok;
    }

    QVariant sqlValue(const QString &statement, const QVariantList &values = {})
    {
        const QString name = QStringLiteral("inspect");
        QVariant out;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(path);
            if (db.open()) {
                QSqlQuery q(db);
                q.prepare(statement);
                for (const QVariant &v : values)
                    q.addBindValue(v);
                if (q.exec() && q.next())
                    out = q.value(0);
            }
            db.close();
        }
        QSqlDatabase::removeDatabase(name);
        return out;
    }

    QString path;
    std::unique_ptr<Store> store;

private:
    QTemporaryDir m_dir;
};

} // namespace hp::testing
