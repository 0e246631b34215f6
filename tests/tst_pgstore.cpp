#include "pgharness.h"
#include "storefixture.h"

#include "domain/canonicaljson.h"
#include "storage/pglocation.h"
#include "storage/pgsetup.h"

#include <QJsonArray>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QtTest>

#include <algorithm>

// Team mode on a real PostgreSQL 15 (issue 9): set-up by the owner, the
// start-up refusal of privileged logins, what each application role can and
// cannot do with psql in hand, and concurrent deciders.
using namespace hp;
using namespace hp::testing;

namespace {

const QStringList kTables{
    QStringLiteral("schema_version"), QStringLiteral("meta"),          QStringLiteral("principals"),
    QStringLiteral("roles"),          QStringLiteral("agents"),        QStringLiteral("changes"),
    QStringLiteral("revisions"),      QStringLiteral("artifacts"),     QStringLiteral("artifact_parts"),
    QStringLiteral("decisions"),      QStringLiteral("change_events"), QStringLiteral("checks"),
    QStringLiteral("topologies"),     QStringLiteral("topology_sources"),
    QStringLiteral("assessments"),    QStringLiteral("coverage"),      QStringLiteral("audit_log"),
    QStringLiteral("audit_head"),     QStringLiteral("views")};

// One login per application role.
const QStringList kAppLogins{QStringLiteral("adm"), QStringLiteral("agent1"), QStringLiteral("rev1"),
                             QStringLiteral("lead1"), QStringLiteral("aud1")};

Proposal commandProposal(const QString &title)
{
    Proposal p;
    p.title = title;
    p.environment = QStringLiteral("prod");
    p.artifacts.push_back(
        artifact(ArtifactKind::Command, QStringLiteral("run.sh"), {title.toUtf8() + '\n'}));
    return p;
}

} // namespace

class TestPgStore : public QObject
{
    Q_OBJECT

private:
    PgHarness m_pg;

    std::unique_ptr<Store> openAs(const QString &login) { return m_pg.openAs(login); }

    // A raw QPSQL connection as `login`, for attempts the API never makes.
    QSqlDatabase rawAs(const QString &login)
    {
        const QString name = QStringLiteral("raw-") + login;
        if (QSqlDatabase::contains(name))
            return QSqlDatabase::database(name);
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        db.setHostName(m_pg.socketDir());
        db.setDatabaseName(QStringLiteral("holdpoint"));
        db.setUserName(login);
        db.open();
        return db;
    }

    QString firstColumn(const QString &table)
    {
        QSqlQuery q(rawAs(QStringLiteral("hp_owner")));
        q.exec(QStringLiteral("SELECT attname FROM pg_attribute WHERE attrelid = "
                              "'holdpoint.%1'::regclass AND attnum > 0 AND attidentity = '' "
                              "AND NOT attisdropped ORDER BY attnum LIMIT 1")
                   .arg(table));
        return q.next() ? q.value(0).toString() : QString();
    }

    QString submitAs(const QString &login, const QString &title)
    {
        auto store = openAs(login);
        if (!store)
            return {};
        auto submitted = store->submit(actor(login), SubmitRequest{commandProposal(title), {}});
        if (!submitted) {
            qWarning("%s", qPrintable(submitted.error().message));
            return {};
        }
        return submitted->changeId;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString why = m_pg.start();
        if (!why.isEmpty() && m_pg.binariesMissing())
            QSKIP(qPrintable(why));
        QVERIFY2(why.isEmpty(), qPrintable(why));
        auto init = initTeamStore(m_pg.uri(QStringLiteral("hp_owner")), QStringLiteral("adm"),
                                  actor(QStringLiteral("hp_owner")));
        QVERIFY2(init.ok(), init.ok() ? "" : qPrintable(init.error().message));
        QCOMPARE(init->toVersion, pgLatestSchemaVersion());
        auto admin = openAs(QStringLiteral("adm"));
        QVERIFY(admin);
        const Actor a = actor(QStringLiteral("adm"));
        QVERIFY(admin->addUser(a, QStringLiteral("lead1"), RoleSet::of({Role::Lead})).ok());
        QVERIFY(admin->addUser(a, QStringLiteral("aud1"), RoleSet::of({Role::Auditor})).ok());
        for (int i = 1; i <= 8; ++i)
            QVERIFY(admin->addUser(a, QStringLiteral("rev%1").arg(i), RoleSet::of({Role::Reviewer})).ok());
        QVERIFY(admin->addAgent(a, QStringLiteral("agent1"), QStringLiteral("lead1")).ok());
    }

    void initRefusesAStoreThatExists()
    {
        auto again = initTeamStore(m_pg.uri(QStringLiteral("hp_owner")), {}, actor(QStringLiteral("x")));
        QVERIFY(!again.ok());
        QCOMPARE(again.error().reason, QStringLiteral("exists"));
        auto migrated = migrateTeamStore(m_pg.uri(QStringLiteral("hp_owner")));
        QVERIFY(migrated.ok());
        QCOMPARE(migrated->fromVersion, migrated->toVersion);
    }

    void setupRunsOnlyAsTheOwner()
    {
        auto migrated = migrateTeamStore(m_pg.uri(QStringLiteral("rev1")));
        QVERIFY(!migrated.ok());
        QCOMPARE(migrated.error().code, ExitCode::Denied);
        QCOMPARE(migrated.error().reason, QStringLiteral("owner_only"));
    }

    void passwordInUriIsRefused_data()
    {
        QTest::addColumn<QString>("uri");
        QTest::newRow("user:password") << QStringLiteral("postgresql://bob:secret@db.example/holdpoint");
        QTest::newRow("empty password") << QStringLiteral("postgresql://bob:@db.example/holdpoint");
        QTest::newRow("query parameter") << QStringLiteral("postgresql://bob@db.example/holdpoint?password=x");
    }

    void passwordInUriIsRefused()
    {
        QFETCH(QString, uri);
        auto parsed = parsePgLocation(uri);
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().reason, QStringLiteral("password_in_uri"));
        QVERIFY(!parsed.error().message.contains(QLatin1String("secret")));
        auto store = openStore(uri);
        QVERIFY(!store.ok());
        QCOMPARE(store.error().code, ExitCode::Usage);
    }

    void sslIsVerifiedFullyOffASocket_data()
    {
        QTest::addColumn<QString>("uri");
        QTest::addColumn<QString>("sslmode");
        QTest::newRow("tcp") << QStringLiteral("postgresql://bob@db.example:5433/hp") << QStringLiteral("verify-full");
        QTest::newRow("tcp explicit") << QStringLiteral("postgresql://bob@db.example/hp?sslmode=require") << QStringLiteral("require");
        QTest::newRow("socket") << QStringLiteral("postgresql://bob@/hp?host=/run/postgresql") << QString();
    }

    void sslIsVerifiedFullyOffASocket()
    {
        QFETCH(QString, uri);
        QFETCH(QString, sslmode);
        auto parsed = parsePgLocation(uri);
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->sslmode, sslmode);
    }

    void privilegedLoginsAreRefused_data()
    {
        QTest::addColumn<QString>("login");
        QTest::newRow("database owner") << QStringLiteral("hp_owner");
        QTest::newRow("superuser") << QStringLiteral("postgres");
    }

    void privilegedLoginsAreRefused()
    {
        QFETCH(QString, login);
        auto store = openStore(m_pg.uri(login));
        QVERIFY(!store.ok());
        QCOMPARE(store.error().code, ExitCode::Denied);
        QCOMPARE(store.error().reason, QStringLiteral("privileged_login"));
    }

    void bypassRlsLoginIsRefused()
    {
        QCOMPARE(m_pg.psql(QStringLiteral("postgres"),
                           QStringLiteral("CREATE ROLE bypasser LOGIN BYPASSRLS IN ROLE holdpoint_reviewer;"))
                     .exitCode,
                 0);
        auto store = openStore(m_pg.uri(QStringLiteral("bypasser")));
        QVERIFY(!store.ok());
        QCOMPARE(store.error().reason, QStringLiteral("privileged_login"));
    }

    void applicationRolesCannotWriteAnyTable_data()
    {
        QTest::addColumn<QString>("login");
        QTest::addColumn<QString>("table");
        for (const QString &login : kAppLogins) {
            for (const QString &table : kTables)
                QTest::newRow(qPrintable(login + u'/' + table)) << login << table;
        }
    }

    void applicationRolesCannotWriteAnyTable()
    {
        QFETCH(QString, login);
        QFETCH(QString, table);
        const QString column = firstColumn(table);
        QVERIFY(!column.isEmpty());
        QSqlDatabase db = rawAs(login);
        QVERIFY2(db.isOpen(), qPrintable(db.lastError().text()));
        const QStringList attempts{
            QStringLiteral("INSERT INTO holdpoint.%1 DEFAULT VALUES").arg(table),
            QStringLiteral("UPDATE holdpoint.%1 SET %2 = %2").arg(table, column),
            QStringLiteral("DELETE FROM holdpoint.%1").arg(table),
            QStringLiteral("TRUNCATE holdpoint.%1").arg(table)};
        for (const QString &sql : attempts) {
            QSqlQuery q(db);
            QVERIFY2(!q.exec(sql), qPrintable(sql + QStringLiteral(" succeeded")));
            QCOMPARE(q.lastError().nativeErrorCode(), QStringLiteral("42501")); // insufficient_privilege
        }
    }

    void applicationRolesCannotDisableOrDropTheAuditTriggers_data()
    {
        QTest::addColumn<QString>("login");
        for (const QString &login : kAppLogins)
            QTest::newRow(qPrintable(login)) << login;
    }

    void applicationRolesCannotDisableOrDropTheAuditTriggers()
    {
        QFETCH(QString, login);
        QSqlDatabase db = rawAs(login);
        const QStringList attempts{
            QStringLiteral("ALTER TABLE holdpoint.audit_log DISABLE TRIGGER ALL"),
            QStringLiteral("ALTER TABLE holdpoint.audit_log DISABLE TRIGGER audit_log_no_update"),
            QStringLiteral("DROP TRIGGER audit_log_no_update ON holdpoint.audit_log"),
            QStringLiteral("DROP TRIGGER audit_log_no_truncate ON holdpoint.audit_log"),
            QStringLiteral("DROP TABLE holdpoint.audit_log")};
        for (const QString &sql : attempts) {
            QSqlQuery q(db);
            QVERIFY2(!q.exec(sql), qPrintable(sql + QStringLiteral(" succeeded")));
            QCOMPARE(q.lastError().nativeErrorCode(), QStringLiteral("42501"));
        }
        QSqlQuery count(db);
        QVERIFY(count.exec(QStringLiteral("SELECT count(*) FROM pg_trigger WHERE tgrelid = "
                                          "'holdpoint.audit_log'::regclass AND tgenabled = 'O'")));
        QVERIFY(count.next());
        QCOMPARE(count.value(0).toInt(), 2);
    }

    void evenTheOwnerCannotRewriteTheAuditTrail()
    {
        QSqlDatabase db = rawAs(QStringLiteral("hp_owner"));
        for (const QString &sql :
             {QStringLiteral("UPDATE holdpoint.audit_log SET entry = entry"),
              QStringLiteral("DELETE FROM holdpoint.audit_log"),
              QStringLiteral("TRUNCATE holdpoint.audit_log")}) {
            QSqlQuery q(db);
            QVERIFY2(!q.exec(sql), qPrintable(sql + QStringLiteral(" succeeded")));
            QVERIFY(q.lastError().text().contains(QLatin1String("append-only")));
        }
    }

    void functionsAreOnlyForTheirRoles_data()
    {
        QTest::addColumn<QString>("login");
        QTest::addColumn<QString>("sql");
        const QString decide = QStringLiteral("SELECT * FROM holdpoint.hp_decide('x', 0, 'approve', '', 1, false, '', '', '')");
        QTest::newRow("agent decides") << QStringLiteral("agent1") << decide;
        QTest::newRow("auditor decides") << QStringLiteral("aud1") << decide;
        QTest::newRow("admin decides") << QStringLiteral("adm") << decide;
        QTest::newRow("reviewer grants") << QStringLiteral("rev1") << QStringLiteral("SELECT holdpoint.hp_grant('rev1', 'lead', '', '')");
        QTest::newRow("reviewer appends audit") << QStringLiteral("rev1") << QStringLiteral("SELECT holdpoint.hp_append_audit('x', '', 0, NULL, 'ok', '', '', '', '', '{}', '', '')");
        QTest::newRow("lead bootstraps") << QStringLiteral("lead1") << QStringLiteral("SELECT holdpoint.hp_bootstrap('lead1', '', '')");
    }

    void functionsAreOnlyForTheirRoles()
    {
        QFETCH(QString, login);
        QFETCH(QString, sql);
        QSqlQuery q(rawAs(login));
        QVERIFY2(!q.exec(sql), qPrintable(sql + QStringLiteral(" succeeded")));
        QCOMPARE(q.lastError().nativeErrorCode(), QStringLiteral("42501"));
    }

    void onlyReviewersAndAboveReadArtifacts()
    {
        const QString id = submitAs(QStringLiteral("agent1"), QStringLiteral("read me"));
        QVERIFY(!id.isEmpty());
        for (const QString &login : {QStringLiteral("rev1"), QStringLiteral("lead1"), QStringLiteral("aud1")}) {
            auto store = openAs(login);
            QVERIFY(store);
            auto a = store->artifact(id, 1, 0);
            QVERIFY2(a.ok(), qPrintable(login));
            QCOMPARE(a->parts.at(0), QByteArray("read me\n"));
        }
        for (const QString &login : {QStringLiteral("agent1"), QStringLiteral("adm")}) {
            auto store = openAs(login);
            auto a = store->artifact(id, 1, 0);
            QVERIFY2(!a.ok(), qPrintable(login));
            QCOMPARE(a.error().code, ExitCode::Denied);
        }
    }

    void anAuditorCannotDecide()
    {
        const QString id = submitAs(QStringLiteral("agent1"), QStringLiteral("auditor tries"));
        auto store = openAs(QStringLiteral("aud1"));
        auto decided = store->decide(actor(QStringLiteral("aud1")),
                                     DecideRequest{id, DecisionAction::Approve, QStringLiteral("ok"), 0});
        QVERIFY(!decided.ok());
        QCOMPARE(decided.error().code, ExitCode::Denied);
        auto change = store->change(id);
        QVERIFY(change.ok());
        QVERIFY(change->decisions.empty());
        COMPARE_NAME(change->summary.verdict.status, ChangeStatus::Pending);
        const QJsonObject denied = lastEntry(*store);
        QCOMPARE(denied.value(QStringLiteral("outcome")).toString(), QStringLiteral("denied"));
        QCOMPARE(denied.value(QStringLiteral("principal")).toString(), QStringLiteral("aud1"));
        QCOMPARE(denied.value(QStringLiteral("change")).toString(), id);
    }

    void anAdminCannotGrantItselfLead()
    {
        auto store = openAs(QStringLiteral("adm"));
        const Status s = store->grant(actor(QStringLiteral("adm")), QStringLiteral("adm"), Role::Lead);
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, ExitCode::Denied);
        QCOMPARE(s.error().reason, QStringLiteral("self_grant"));
        auto me = store->principal(QStringLiteral("adm"));
        QVERIFY(me.ok());
        QVERIFY(!me->roles.holds(Role::Lead));
        // With psql in hand it is the same function, the same answer.
        const PsqlRun direct = m_pg.psql(QStringLiteral("adm"),
                                         QStringLiteral("SELECT holdpoint.hp_grant('adm', 'lead', '', '');"));
        QVERIFY(direct.exitCode != 0);
        QVERIFY(direct.err.contains("nobody grants roles to themselves"));
        QCOMPARE(m_pg.psql(QStringLiteral("adm"),
                           QStringLiteral("SELECT count(*) FROM holdpoint.roles WHERE login = 'adm';")).out.trimmed(),
                 QByteArray("1"));
    }

    void privilegedRolesCannotBecomePrincipals_data()
    {
        QTest::addColumn<QString>("login");
        QTest::addColumn<QString>("reason");
        QTest::newRow("superuser") << QStringLiteral("postgres") << QStringLiteral("privileged_login");
        QTest::newRow("owner") << QStringLiteral("hp_owner") << QStringLiteral("privileged_login");
        QTest::newRow("group role") << QStringLiteral("holdpoint_lead") << QStringLiteral("reserved_login");
    }

    void privilegedRolesCannotBecomePrincipals()
    {
        QFETCH(QString, login);
        QFETCH(QString, reason);
        auto store = openAs(QStringLiteral("adm"));
        const Status s = store->addUser(actor(QStringLiteral("adm")), login, RoleSet::of({Role::Reviewer}));
        QVERIFY(!s.ok());
        QCOMPARE(s.error().reason, reason);
        QVERIFY(!store->principal(login)->roles.has(Role::Reviewer));
    }

    void nobodyActsAsSomeoneElse()
    {
        // The API's actor login is ignored: the server takes session_user.
        const QString id = submitAs(QStringLiteral("agent1"), QStringLiteral("who am i"));
        auto store = openAs(QStringLiteral("rev2"));
        auto decided = store->decide(actor(QStringLiteral("lead1")),
                                     DecideRequest{id, DecisionAction::Comment, QStringLiteral("hi"), 0});
        QVERIFY(decided.ok());
        auto change = store->change(id);
        QCOMPARE(change->decisions.back().principal, QStringLiteral("rev2"));
        QCOMPARE(lastEntry(*store).value(QStringLiteral("principal")).toString(), QStringLiteral("rev2"));
    }

    void contributorsNeverCountAndNobodyDecidesTwice()
    {
        const QString id = submitAs(QStringLiteral("agent1"), QStringLiteral("count me"));
        auto lead = openAs(QStringLiteral("lead1")); // the agent's operator
        auto asOperator = lead->decide(actor(QStringLiteral("lead1")),
                                       DecideRequest{id, DecisionAction::Approve, QStringLiteral("mine"), 0});
        QVERIFY(asOperator.ok());
        QVERIFY(!asOperator->counts);
        COMPARE_NAME(asOperator->uncounted, UncountedReason::Contributor);
        COMPARE_NAME(asOperator->verdict.status, ChangeStatus::Pending);
        auto reviewer = openAs(QStringLiteral("rev3"));
        auto first = reviewer->decide(actor(QStringLiteral("rev3")),
                                      DecideRequest{id, DecisionAction::Approve, QStringLiteral("ok"), 1});
        QVERIFY(first.ok());
        QVERIFY(first->counts);
        COMPARE_NAME(first->verdict.status, ChangeStatus::Approved);
        auto second = reviewer->decide(actor(QStringLiteral("rev3")),
                                       DecideRequest{id, DecisionAction::Reject, QStringLiteral("no"), 1});
        QVERIFY(!second.ok());
        QCOMPARE(second.error().code, ExitCode::Denied);
        auto outdated = openAs(QStringLiteral("rev4"))->decide(
            actor(QStringLiteral("rev4")), DecideRequest{id, DecisionAction::Comment, QStringLiteral("x"), 7});
        QVERIFY(!outdated.ok());
        QCOMPARE(outdated.error().code, ExitCode::Mismatch);
    }

    void theServerWritesACanonicalChainThatVerifies()
    {
        auto store = openAs(QStringLiteral("aud1"));
        auto entries = store->auditEntries(1, 0);
        QVERIFY(entries.ok());
        QVERIFY(entries->size() > 10);
        qint64 expected = 1;
        for (const AuditEntry &e : *entries) {
            QCOMPARE(e.seq, expected++);
            const QJsonObject o = QJsonDocument::fromJson(e.entry).object();
            QCOMPARE(canonicalJson(o), e.entry); // RFC 8785 bytes, as the C++ side writes them
            QCOMPARE(o.value(QStringLiteral("seq")).toInteger(), e.seq);
        }
        auto report = store->verifyAudit({});
        QVERIFY(report.ok());
        QVERIFY(report->clean());
        QCOMPARE(report->entries, static_cast<qint64>(entries->size()));
    }

    void hostileTextIsHashedCanonically()
    {
        const QString title = QStringLiteral("tab\t quote\" back\\ nl\n ctl\x01 é ✓ 🚀");
        const QString id = submitAs(QStringLiteral("agent1"), title);
        QVERIFY(!id.isEmpty());
        auto store = openAs(QStringLiteral("rev5"));
        QVERIFY(store->decide(actor(QStringLiteral("rev5")),
                              DecideRequest{id, DecisionAction::Reject, title, 0}).ok());
        const QJsonObject last = lastEntry(*store);
        QCOMPARE(last.value(QStringLiteral("reason")).toString(), title);
        auto entries = store->auditEntries(0, 0);
        QCOMPARE(canonicalJson(QJsonDocument::fromJson(entries->back().entry).object()),
                 entries->back().entry);
        QVERIFY(store->verifyAudit({})->clean());
    }

    void startupCheckRefusesTheOwnerOnTheCommandLine()
    {
        QProcess p;
        p.start(QStringLiteral(HP_CTL_PATH),
                {QStringLiteral("list"), QStringLiteral("--db"), m_pg.uri(QStringLiteral("hp_owner"))});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 8);
        QVERIFY(p.readAllStandardError().contains("owner of the database"));
    }

    void concurrentDecidersLeaveOneOutcomePerRevision()
    {
        const int changes = qEnvironmentVariableIntValue("HP_PG_CHANGES") > 0
                                ? qEnvironmentVariableIntValue("HP_PG_CHANGES")
                                : 1000;
        QString submits;
        for (int i = 0; i < changes; ++i) {
            // The content hash an honest client sends (verify recomputes it).
            const QString n = QStringLiteral("%1").arg(i, 5, 10, QLatin1Char('0'));
            const QByteArray hash = commandContentHash(QStringLiteral("prod"), QStringLiteral("r.sh"), n.toUtf8());
            submits += QStringLiteral(
                           "SELECT r_change FROM holdpoint.hp_submit('RACE%1', '', 'infra', 'race %1', "
                           "NULL, NULL, NULL, NULL, NULL, NULL, 'prod', '', NULL, decode('%2', 'hex'), "
                           "ARRAY['command'], ARRAY['r.sh'], ARRAY[1], ARRAY[convert_to('%1', 'UTF8')], "
                           "'\\x7b7d'::bytea, 10, 'low', '', 0, 'prod', '', '', 1, false, false, '{}', 0, "
                           "259200, 86400, true, 1, '{}', 'h', 'v');\n")
                           .arg(n, QString::fromLatin1(hash));
        }
        const PsqlRun submitted = m_pg.psql(QStringLiteral("agent1"), submits);
        QVERIFY2(submitted.exitCode == 0, submitted.err.constData());
        // Approvals count only once a reviewer-role client confirmed the
        // assessment (hp_reassess); the auditor confirms each here.
        QString confirms;
        for (int i = 0; i < changes; ++i)
            confirms += QStringLiteral("SELECT r_sequence FROM holdpoint.hp_reassess('RACE%1', 1, '\\x7b7d'::bytea, "
                                       "10, 'low', '', 0, 'prod', '', (SELECT hash FROM holdpoint.policies ORDER BY version DESC "
                                       "LIMIT 1), 1, false, false, '{}', 0, '{}', 'verify', 'h', 'v');\n")
                            .arg(i, 5, 10, QLatin1Char('0'));
        const PsqlRun confirmed = m_pg.psql(QStringLiteral("aud1"), confirms);
        QVERIFY2(confirmed.exitCode == 0, confirmed.err.constData());

        // 8 reviewers decide every change at once, each in its own order;
        // every third of their decisions is a reject.
        std::vector<std::unique_ptr<QProcess>> deciders;
        for (int k = 1; k <= 8; ++k) {
            QString script;
            for (int n = 0; n < changes; ++n) {
                const int i = (n * 7 + k * 37) % changes;
                const bool reject = (i + k) % 3 == 0;
                script += QStringLiteral("SELECT r_after FROM holdpoint.hp_decide('RACE%1', 0, '%2', "
                                         "'race', 1, false, '', 'h', 'v');\n")
                              .arg(i, 5, 10, QLatin1Char('0'))
                              .arg(reject ? QStringLiteral("reject") : QStringLiteral("approve"));
            }
            auto p = std::make_unique<QProcess>();
            p->start(PgHarness::binDir() + QStringLiteral("/psql"),
                     {QStringLiteral("-X"), QStringLiteral("-qAt"), QStringLiteral("-h"), m_pg.socketDir(),
                      QStringLiteral("-U"), QStringLiteral("rev%1").arg(k), QStringLiteral("-d"),
                      QStringLiteral("holdpoint")});
            QVERIFY(p->waitForStarted());
            p->write(script.toUtf8());
            p->closeWriteChannel();
            deciders.push_back(std::move(p));
        }
        int refused = 0;
        for (auto &p : deciders) {
            QVERIFY(p->waitForFinished(600000));
            refused += p->readAllStandardError().count("HINT:  not_pending");
        }
        const QString checks = QStringLiteral(
            "SELECT count(*) FROM holdpoint.changes WHERE id LIKE 'RACE%' AND status NOT IN ('approved', 'rejected');\n"
            "SELECT count(*) FROM holdpoint.changes c WHERE id LIKE 'RACE%' AND (SELECT count(*) FROM holdpoint.decisions d "
            "  WHERE d.change_id = c.id AND d.counts) <> 1;\n"
            "SELECT count(*) FROM (SELECT convert_from(entry, 'UTF8')::jsonb AS e FROM holdpoint.audit_log) a "
            "  WHERE e->>'change' LIKE 'RACE%' AND e->>'status_before' = 'pending' "
            "  AND e->>'status_after' IN ('approved', 'rejected');\n"
            "SELECT max(seq) = count(*) AND min(seq) = 1 FROM holdpoint.audit_log;\n"
            "SELECT (SELECT seq FROM holdpoint.audit_head) = (SELECT max(seq) FROM holdpoint.audit_log);\n");
        const PsqlRun result = m_pg.psql(QStringLiteral("aud1"), checks);
        QVERIFY2(result.exitCode == 0, result.err.constData());
        const QList<QByteArray> lines = result.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 5);
        QCOMPARE(lines[0], QByteArray("0"));                     // every change decided
        QCOMPARE(lines[1], QByteArray("0"));                     // by exactly one counted decision
        QCOMPARE(lines[2].toInt(), changes);                     // one terminal transition each
        QCOMPARE(lines[3], QByteArray("t"));                     // no gaps
        QCOMPARE(lines[4], QByteArray("t"));                     // the head is the last row
        QCOMPARE(refused, 7 * changes);                          // everyone else was refused
        auto report = openAs(QStringLiteral("aud1"))->verifyAudit({});
        QVERIFY(report.ok());
        QVERIFY2(report->clean(), qPrintable(describeProblems(*report, 5)));
        qInfo("%d changes x 8 deciders: %d refused, trail of %lld entries verifies", changes, refused,
              report->entries);
    }

    void concurrentHoldpointctlDecidersRetryAndAuditEveryRefusal()
    {
        const int changes = 25;
        QStringList ids;
        for (int i = 0; i < changes; ++i) {
            ids << submitAs(QStringLiteral("agent1"), QStringLiteral("ctl race %1").arg(i));
            QVERIFY(!ids.back().isEmpty());
        }
        std::vector<std::unique_ptr<QProcess>> deciders;
        for (int k = 1; k <= 8; ++k) {
            QStringList order = ids;
            std::rotate(order.begin(), order.begin() + (k * 3) % changes, order.end());
            const QString script =
                QStringLiteral("for id in %1; do \"$0\" decide \"$id\" approve --reason race --db \"$1\"; "
                               "echo \"rc=$?\"; done")
                    .arg(order.join(u' '));
            auto p = std::make_unique<QProcess>();
            p->start(QStringLiteral("bash"), {QStringLiteral("-c"), script, QStringLiteral(HP_CTL_PATH),
                                              m_pg.uri(QStringLiteral("rev%1").arg(k))});
            QVERIFY(p->waitForStarted());
            deciders.push_back(std::move(p));
        }
        int approved = 0;
        int denied = 0;
        for (auto &p : deciders) {
            QVERIFY(p->waitForFinished(600000));
            const QByteArray out = p->readAllStandardOutput();
            approved += out.count("rc=0\n");
            denied += out.count("rc=8\n");
        }
        QCOMPARE(approved, changes);
        QCOMPARE(denied, 7 * changes);
        auto store = openAs(QStringLiteral("aud1"));
        int transitions = 0;
        int deniedEntries = 0;
        auto entries = store->auditEntries(0, 0);
        QVERIFY(entries.ok());
        for (const AuditEntry &e : *entries) {
            const QJsonObject o = QJsonDocument::fromJson(e.entry).object();
            if (!ids.contains(o.value(QStringLiteral("change")).toString()))
                continue;
            if (o.value(QStringLiteral("status_after")).toString() == QLatin1String("approved"))
                ++transitions;
            if (o.value(QStringLiteral("outcome")).toString() == QLatin1String("denied"))
                ++deniedEntries;
        }
        QCOMPARE(transitions, changes);
        QCOMPARE(deniedEntries, 7 * changes);
        auto report = store->verifyAudit({});
        QVERIFY(report.ok());
        QVERIFY2(report->clean(), qPrintable(describeProblems(*report, 5)));
    }

    void cleanupTestCase()
    {
        const QStringList names = QSqlDatabase::connectionNames();
        for (const QString &name : names) {
            if (name.startsWith(QLatin1String("raw-"))) {
                QSqlDatabase::database(name).close();
                QSqlDatabase::removeDatabase(name);
            }
        }
        m_pg.stop();
    }
};

QTEST_GUILESS_MAIN(TestPgStore)
#include "tst_pgstore.moc"
