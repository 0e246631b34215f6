#include "ctlprocess.h"
#include "pgharness.h"
#include "storefixture.h"

#include "review/reviewservice.h"
#include "storage/pgsetup.h"

#include <QJsonArray>
#include <QtTest>

#include <algorithm>

// Team mode on a real PostgreSQL 15 (issue 9): review coverage, views, the
// executor's report, audit exports, evidence reports and History behave as
// in local mode (same actions, payloads, refusals audited), and a console
// sees another login's submissions and decisions pushed within a second.
using namespace hp;
using namespace hp::testing;

namespace {

Proposal patchProposal(const QString &title)
{
    Proposal p = proposal(title, QByteArrayLiteral("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n"));
    p.agentName = QStringLiteral("infra-bot");
    return p;
}

int countOf(Store &store, const QString &action)
{
    auto entries = store.auditEntries(0, 0);
    if (!entries)
        return -1;
    return static_cast<int>(std::count_if(entries->cbegin(), entries->cend(), [&](const AuditEntry &e) {
        return QJsonDocument::fromJson(e.entry).object().value(u"action").toString() == action;
    }));
}

bool holdsChange(const std::vector<ChangeSummary> &changes, const QString &id, ChangeStatus status)
{
    return std::any_of(changes.cbegin(), changes.cend(), [&](const ChangeSummary &s) {
        return s.id == id && s.verdict.status == status;
    });
}

} // namespace

class TestPgReview : public QObject
{
    Q_OBJECT

private:
    PgHarness m_pg;
    std::map<QString, std::unique_ptr<Store>> m_stores;

    // One open store per login, kept for the whole run.
    Store &as(const QString &login)
    {
        auto &slot = m_stores[login];
        if (!slot) {
            auto opened = openStore(m_pg.uri(login));
            if (!opened)
                qFatal("cannot open the store as %s: %s", qPrintable(login),
                       qPrintable(opened.error().message));
            slot = std::move(*opened);
        }
        return *slot;
    }

    QString submit(const QString &title, const QString &agent = QStringLiteral("agent1"))
    {
        auto done = as(agent).submit(actor(agent), SubmitRequest{patchProposal(title), {}});
        if (!done) {
            qWarning("%s", qPrintable(done.error().message));
            return {};
        }
        return done->changeId;
    }

    QString approved(const QString &title)
    {
        const QString id = submit(title);
        auto d = as(QStringLiteral("rev1")).decide(actor(QStringLiteral("rev1")),
                                                   DecideRequest{id, DecisionAction::Approve, {}, 0});
        if (!d || d->verdict.status != ChangeStatus::Approved)
            qWarning("approving %s failed", qPrintable(id));
        return id;
    }

    // The newest entry is a denied `action` with `reason`.
    static void verifyDeniedEntry(Store &store, const QString &action, const QString &reason)
    {
        const QJsonObject last = lastEntry(store);
        QCOMPARE(last.value(u"action").toString(), action);
        QCOMPARE(last.value(u"outcome").toString(), QStringLiteral("denied"));
        QCOMPARE(last.value(u"reason_code").toString(), reason);
    }

private Q_SLOTS:
    void initTestCase()
    {
        HP_START_TEAM_STORE(m_pg);
        Store &admin = as(QStringLiteral("adm"));
        const Actor a = actor(QStringLiteral("adm"));
        QVERIFY(admin.addUser(a, QStringLiteral("rev1"), RoleSet::of({Role::Reviewer})).ok());
        QVERIFY(admin.addUser(a, QStringLiteral("rev2"), RoleSet::of({Role::Reviewer})).ok());
        QVERIFY(admin.addUser(a, QStringLiteral("lead1"), RoleSet::of({Role::Lead})).ok());
        QVERIFY(admin.addUser(a, QStringLiteral("aud1"), RoleSet::of({Role::Auditor})).ok());
        QVERIFY(admin.addUser(a, QStringLiteral("op1"), RoleSet::of({Role::Reviewer})).ok());
        QVERIFY(admin.addAgent(a, QStringLiteral("agent1"), QStringLiteral("op1")).ok());
    }

    void cleanupTestCase()
    {
        m_stores.clear();
        m_pg.stop();
    }

    void sessionLoginIsTheDatabaseLogin()
    {
        QCOMPARE(as(QStringLiteral("rev1")).sessionLogin(), QStringLiteral("rev1"));
        QCOMPARE(as(QStringLiteral("agent1")).sessionLogin(), QStringLiteral("agent1"));
    }

    // The OS login running holdpointctl is not who acts in team mode: the
    // database login is (DESIGN §3).
    void commandLineActsAsTheDatabaseLogin()
    {
        const QString uri = m_pg.uri(QStringLiteral("op1"));
        const test::CtlRun who = test::runProgram(QStringLiteral(HP_CTL_PATH),
                                                  {QStringLiteral("--json"), QStringLiteral("--db"), uri,
                                                   QStringLiteral("whoami")});
        QVERIFY2(who.exitCode == 0, qPrintable(who.describe()));
        QCOMPARE(who.json().value(u"login").toString(), QStringLiteral("op1"));
        const QString id = approved(QStringLiteral("reported from the command line"));
        const test::CtlRun report = test::runProgram(
            QStringLiteral(HP_CTL_PATH), {QStringLiteral("--db"), uri, QStringLiteral("report"), id,
                                          QStringLiteral("--outcome"), QStringLiteral("failed"),
                                          QStringLiteral("--reason"), QStringLiteral("apply timed out")});
        QVERIFY2(report.exitCode == 0, qPrintable(report.describe()));
        const QJsonObject entry = lastEntryOf(as(QStringLiteral("op1")), QStringLiteral("change.report"));
        QCOMPARE(entry.value(u"principal").toString(), QStringLiteral("op1"));
        QCOMPARE(entry.value(u"status_after").toString(), QStringLiteral("failed"));
        const test::CtlRun again = test::runProgram(
            QStringLiteral(HP_CTL_PATH), {QStringLiteral("--db"), uri, QStringLiteral("report"), id,
                                          QStringLiteral("--outcome"), QStringLiteral("applied")});
        QCOMPARE(again.exitCode, int(ExitCode::Denied));
    }

    void coverageIsRecordedOnceAndAudited()
    {
        const QString id = submit(QStringLiteral("coverage"));
        Store &rev1 = as(QStringLiteral("rev1"));
        const Actor rita = actor(QStringLiteral("rev1"));
        const QString hunk = coverage::hunkKey(0, 0, 0);
        const QString node = coverage::nodeKey(QStringLiteral("component:default/cost-api"));
        auto first = rev1.recordCoverage(rita, id, 1, {hunk, node, hunk});
        QVERIFY2(first.ok(), first.ok() ? "" : qPrintable(first.error().message));
        QCOMPARE(*first, 2);
        const QJsonObject last = lastEntry(rev1);
        QCOMPARE(last.value(u"action").toString(), QStringLiteral("review.coverage"));
        QCOMPARE(last.value(u"principal").toString(), QStringLiteral("rev1"));
        QCOMPARE(last.value(u"revision").toInt(), 1);
        QCOMPARE(last.value(u"payload").toObject().value(u"count").toInt(), 2);
        QCOMPARE(last.value(u"payload").toObject().value(u"items").toArray(),
                 QJsonArray({hunk, node}));
        const int entries = countOf(rev1, QStringLiteral("review.coverage"));
        auto again = rev1.recordCoverage(rita, id, 0, {node, hunk});
        QVERIFY(again.ok());
        QCOMPARE(*again, 0);
        QCOMPARE(countOf(rev1, QStringLiteral("review.coverage")), entries); // nothing new, no entry
        const QString resource = coverage::resourceKey(0, QStringLiteral("module.db.aws_db_instance.main[\"a b\"]"));
        auto more = rev1.recordCoverage(rita, id, 1, {hunk, resource});
        QVERIFY(more.ok());
        QCOMPARE(*more, 1);
        auto seen = rev1.coverage(QStringLiteral("rev1"), id, 1);
        QVERIFY(seen.ok());
        QCOMPARE(*seen, (QStringList{hunk, node, resource}));
        auto other = rev1.coverage(QStringLiteral("rev2"), id, 1);
        QVERIFY(other.ok());
        QVERIFY(other->isEmpty());
    }

    void coverageRefusals_data()
    {
        QTest::addColumn<QString>("login");
        QTest::addColumn<QString>("item");
        QTest::addColumn<int>("revision");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<bool>("audited");
        const QString hunk = coverage::hunkKey(0, 0, 0);
        QTest::newRow("auditor") << QStringLiteral("aud1") << hunk << 1 << int(ExitCode::Denied)
                                 << QStringLiteral("missing_role") << true;
        QTest::newRow("agent") << QStringLiteral("agent1") << hunk << 1 << int(ExitCode::Denied)
                               << QStringLiteral("missing_role") << true;
        QTest::newRow("malformed") << QStringLiteral("rev1") << QStringLiteral("hunk:0:0") << 1
                                   << int(ExitCode::Usage) << QStringLiteral("bad_coverage_item") << false;
        QTest::newRow("control character") << QStringLiteral("rev1") << QStringLiteral("node:a\tb") << 1
                                           << int(ExitCode::Usage) << QStringLiteral("bad_coverage_item") << false;
        QTest::newRow("artifact out of range") << QStringLiteral("rev1") << coverage::hunkKey(1, 0, 0) << 1
                                               << int(ExitCode::Usage) << QStringLiteral("bad_coverage_item")
                                               << false;
        QTest::newRow("outdated revision") << QStringLiteral("rev1") << hunk << 2 << int(ExitCode::Mismatch)
                                           << QStringLiteral("outdated_revision") << true;
    }

    void coverageRefusals()
    {
        QFETCH(QString, login);
        QFETCH(QString, item);
        QFETCH(int, revision);
        QFETCH(int, code);
        QFETCH(QString, reason);
        QFETCH(bool, audited);
        const QString id = submit(QStringLiteral("refused coverage"));
        Store &store = as(login);
        const int before = countOf(store, QStringLiteral("review.coverage"));
        auto r = store.recordCoverage(actor(login), id, revision, {coverage::nodeKey(QStringLiteral("x")), item});
        QVERIFY(!r.ok());
        QCOMPARE(int(r.error().code), code);
        QCOMPARE(r.error().reason, reason);
        auto seen = store.coverage(login, id, 1);
        QVERIFY(seen.ok());
        QVERIFY(seen->isEmpty()); // nothing half-way
        if (audited) {
            verifyDeniedEntry(store, QStringLiteral("review.coverage"), reason);
            QCOMPARE(countOf(store, QStringLiteral("review.coverage")), before + 1);
        } else {
            QCOMPARE(countOf(store, QStringLiteral("review.coverage")), before);
        }
    }

    void coverageOfADecidedChangeIsRefused()
    {
        const QString id = approved(QStringLiteral("decided coverage"));
        auto r = as(QStringLiteral("rev2")).recordCoverage(actor(QStringLiteral("rev2")), id, 0,
                                                          {coverage::hunkKey(0, 0, 0)});
        QVERIFY(!r.ok());
        QCOMPARE(int(r.error().code), int(ExitCode::Denied));
        QCOMPARE(r.error().reason, QStringLiteral("not_pending"));
        verifyDeniedEntry(as(QStringLiteral("rev2")), QStringLiteral("review.coverage"),
                          QStringLiteral("not_pending"));
    }

    void viewIsRecordedOncePerLoginAndRevision()
    {
        const QString id = submit(QStringLiteral("viewed"));
        Store &rev1 = as(QStringLiteral("rev1"));
        const int before = countOf(rev1, QStringLiteral("review.view"));
        QVERIFY(rev1.recordView(actor(QStringLiteral("rev1")), id, 0).ok());
        const QJsonObject view = lastEntry(rev1);
        QCOMPARE(view.value(u"action").toString(), QStringLiteral("review.view"));
        QCOMPARE(view.value(u"change").toString(), id);
        QCOMPARE(view.value(u"revision").toInt(), 1);
        QCOMPARE(view.value(u"outcome").toString(), QStringLiteral("ok"));
        QVERIFY(rev1.recordView(actor(QStringLiteral("rev1")), id, 1).ok());
        QCOMPARE(countOf(rev1, QStringLiteral("review.view")), before + 1);
        QVERIFY(as(QStringLiteral("aud1")).recordView(actor(QStringLiteral("aud1")), id, 1).ok());
        QCOMPARE(countOf(rev1, QStringLiteral("review.view")), before + 2);
        auto unknown = rev1.recordView(actor(QStringLiteral("rev1")), QStringLiteral("nope"), 0);
        QCOMPARE(int(unknown.error().code), int(ExitCode::NotFound));
        auto noRevision = rev1.recordView(actor(QStringLiteral("rev1")), id, 9);
        QCOMPARE(int(noRevision.error().code), int(ExitCode::NotFound));
        QCOMPARE(noRevision.error().reason, QStringLiteral("unknown_revision"));
    }

    void operatorReportsAnApprovedChangeOnce()
    {
        const QString id = approved(QStringLiteral("to apply"));
        Store &op = as(QStringLiteral("op1"));
        auto done = op.reportOutcome(actor(QStringLiteral("op1")), id, true, QStringLiteral("applied cleanly"));
        QVERIFY2(done.ok(), done.ok() ? "" : qPrintable(done.error().message));
        COMPARE_NAME(done->status, ChangeStatus::Applied);
        const QJsonObject entry = lastEntry(op);
        QCOMPARE(entry.value(u"action").toString(), QStringLiteral("change.report"));
        QCOMPARE(entry.value(u"status_before").toString(), QStringLiteral("approved"));
        QCOMPARE(entry.value(u"status_after").toString(), QStringLiteral("applied"));
        QCOMPARE(entry.value(u"reason").toString(), QStringLiteral("applied cleanly"));
        QCOMPARE(entry.value(u"payload").toObject().value(u"outcome").toString(), QStringLiteral("applied"));
        auto detail = op.change(id);
        QVERIFY(detail.ok());
        COMPARE_NAME(detail->summary.verdict.status, ChangeStatus::Applied);
        auto twice = as(QStringLiteral("agent1")).reportOutcome(actor(QStringLiteral("agent1")), id, false, {});
        QVERIFY(!twice.ok());
        QCOMPARE(int(twice.error().code), int(ExitCode::Denied));
        QCOMPARE(twice.error().reason, QStringLiteral("already_reported"));
        verifyDeniedEntry(op, QStringLiteral("change.report"), QStringLiteral("already_reported"));
    }

    void reportRefusals_data()
    {
        QTest::addColumn<QString>("login");
        QTest::addColumn<QString>("state"); // approved, pending, rejected, withdrawn
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("reason");
        QTest::newRow("another reviewer") << QStringLiteral("rev2") << QStringLiteral("approved")
                                          << int(ExitCode::Denied) << QStringLiteral("not_executor");
        QTest::newRow("admin") << QStringLiteral("adm") << QStringLiteral("approved") << int(ExitCode::Denied)
                               << QStringLiteral("not_executor");
        QTest::newRow("pending") << QStringLiteral("agent1") << QStringLiteral("pending")
                                 << int(ExitCode::Denied) << QStringLiteral("not_approved");
        QTest::newRow("rejected") << QStringLiteral("lead1") << QStringLiteral("rejected")
                                  << int(ExitCode::Rejected) << QStringLiteral("rejected");
        QTest::newRow("withdrawn") << QStringLiteral("agent1") << QStringLiteral("withdrawn")
                                   << int(ExitCode::ExpiredOrWithdrawn) << QStringLiteral("withdrawn");
    }

    void reportRefusals()
    {
        QFETCH(QString, login);
        QFETCH(QString, state);
        QFETCH(int, code);
        QFETCH(QString, reason);
        const QString id = state == QLatin1String("approved") ? approved(QStringLiteral("report refused"))
                                                               : submit(QStringLiteral("report refused"));
        if (state == QLatin1String("rejected"))
            QVERIFY(as(QStringLiteral("rev2"))
                        .decide(actor(QStringLiteral("rev2")),
                                DecideRequest{id, DecisionAction::Reject, QStringLiteral("no"), 0})
                        .ok());
        if (state == QLatin1String("withdrawn"))
            QVERIFY(as(QStringLiteral("agent1")).withdrawChange(actor(QStringLiteral("agent1")), id, {}).ok());
        Store &store = as(login);
        auto r = store.reportOutcome(actor(login), id, true, {});
        QVERIFY(!r.ok());
        QCOMPARE(int(r.error().code), code);
        QCOMPARE(r.error().reason, reason);
        verifyDeniedEntry(store, QStringLiteral("change.report"), reason);
        auto detail = store.change(id);
        QVERIFY(detail.ok());
        QCOMPARE(toString(detail->summary.verdict.status), state);
    }

    void auditExportIsForAuditorsAndLeads()
    {
        const QJsonObject what{{QStringLiteral("format"), QStringLiteral("jsonl")},
                               {QStringLiteral("filter"), QJsonObject{{QStringLiteral("action"), QStringLiteral("review.view")}}},
                               {QStringLiteral("entries"), 7}};
        Store &aud = as(QStringLiteral("aud1"));
        QVERIFY(aud.recordAuditExport(actor(QStringLiteral("aud1")), what).ok());
        const QJsonObject entry = lastEntry(aud);
        QCOMPARE(entry.value(u"action").toString(), QStringLiteral("audit.export"));
        QCOMPARE(entry.value(u"payload").toObject(), what);
        QVERIFY(as(QStringLiteral("lead1")).recordAuditExport(actor(QStringLiteral("lead1")), what).ok());
        Store &rev = as(QStringLiteral("rev1"));
        const Status refused = rev.recordAuditExport(actor(QStringLiteral("rev1")), what);
        QCOMPARE(int(refused.error().code), int(ExitCode::Denied));
        verifyDeniedEntry(rev, QStringLiteral("audit.export"), QStringLiteral("missing_role"));
    }

    void evidenceReportIsForAuditorsAndLeads()
    {
        const QString id = submit(QStringLiteral("evidence"));
        const QByteArray digest(32, '\x5a');
        Store &lead = as(QStringLiteral("lead1"));
        QVERIFY(lead.recordEvidenceReport(actor(QStringLiteral("lead1")), id, digest).ok());
        const QJsonObject entry = lastEntry(lead);
        QCOMPARE(entry.value(u"action").toString(), QStringLiteral("audit.report"));
        QCOMPARE(entry.value(u"change").toString(), id);
        QCOMPARE(entry.value(u"payload").toObject().value(u"report_sha256").toString(),
                 QString::fromLatin1(digest.toHex()));
        Store &rev = as(QStringLiteral("rev1"));
        const Status refused = rev.recordEvidenceReport(actor(QStringLiteral("rev1")), id, digest);
        QCOMPARE(int(refused.error().code), int(ExitCode::Denied));
        verifyDeniedEntry(rev, QStringLiteral("audit.report"), QStringLiteral("missing_role"));
        const Status unknown =
            as(QStringLiteral("aud1")).recordEvidenceReport(actor(QStringLiteral("aud1")), QStringLiteral("nope"), digest);
        QCOMPARE(int(unknown.error().code), int(ExitCode::NotFound));
    }

    void historyListsDecidedChangesWithTheirDeciders()
    {
        const QString applied = approved(QStringLiteral("history applied"));
        QVERIFY(as(QStringLiteral("agent1")).reportOutcome(actor(QStringLiteral("agent1")), applied, true, {}).ok());
        const QString rejected = submit(QStringLiteral("history rejected"));
        QVERIFY(as(QStringLiteral("rev2"))
                    .decide(actor(QStringLiteral("rev2")),
                            DecideRequest{rejected, DecisionAction::Reject, QStringLiteral("no"), 0})
                    .ok());
        const QString pending = submit(QStringLiteral("history pending"));
        auto rows = as(QStringLiteral("aud1")).history(HistoryQuery{});
        QVERIFY2(rows.ok(), rows.ok() ? "" : qPrintable(rows.error().message));
        QVERIFY(std::is_sorted(rows->cbegin(), rows->cend(),
                               [](const HistoryRow &a, const HistoryRow &b) { return a.changeId < b.changeId; }));
        const auto find = [&](const QString &id) -> const HistoryRow * {
            auto it = std::find_if(rows->cbegin(), rows->cend(), [&](const HistoryRow &r) { return r.changeId == id; });
            return it == rows->cend() ? nullptr : &*it;
        };
        QVERIFY(!find(pending));
        const HistoryRow *a = find(applied);
        QVERIFY(a);
        COMPARE_NAME(a->outcome, HistoryOutcome::Applied);
        QCOMPARE(a->deciders, QStringList{QStringLiteral("rev1")});
        QCOMPARE(a->title, QStringLiteral("history applied"));
        QCOMPARE(a->agentPrincipal, QStringLiteral("agent1"));
        QCOMPARE(a->operatorLogin, QStringLiteral("op1"));
        QVERIFY(a->decidedAt.isValid());
        QVERIFY(a->outcomeAt >= a->decidedAt);
        QVERIFY(a->decidedAt >= a->createdAt);
        const HistoryRow *r = find(rejected);
        QVERIFY(r);
        COMPARE_NAME(r->outcome, HistoryOutcome::Rejected);
        QCOMPARE(r->deciders, QStringList{QStringLiteral("rev2")});
        auto none = as(QStringLiteral("aud1")).history(HistoryQuery{{}, a->createdAt.addDays(-1)});
        QVERIFY(none.ok());
        QVERIFY(none->empty());
        auto since = as(QStringLiteral("aud1")).history(HistoryQuery{r->decidedAt, {}});
        QVERIFY(since.ok());
        QVERIFY(std::all_of(since->cbegin(), since->cend(),
                            [&](const HistoryRow &row) { return row.decidedAt >= r->decidedAt; }));
        QVERIFY(std::any_of(since->cbegin(), since->cend(),
                            [&](const HistoryRow &row) { return row.changeId == rejected; }));
    }

    // Issue 9 item 4: a console sees another login's submission and another
    // reviewer's decision pushed (NOTIFY), without polling.
    void consoleSeesOtherLoginsWorkPushed()
    {
        Store &mine = as(QStringLiteral("rev1"));
        ReviewService service(mine, mine.sessionLogin());
        QVERIFY(service.pushedUpdates());
        QVERIFY(service.refresh().ok());
        QSignalSpy updates(&service, &ReviewService::changesUpdated);
        const QString id = submit(QStringLiteral("pushed"));
        QVERIFY(!id.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(holdsChange(service.changes(), id, ChangeStatus::Pending), 1000);
        QVERIFY(updates.count() >= 1);
        QVERIFY(as(QStringLiteral("rev2"))
                    .decide(actor(QStringLiteral("rev2")), DecideRequest{id, DecisionAction::Approve, {}, 0})
                    .ok());
        QTRY_VERIFY_WITH_TIMEOUT(holdsChange(service.changes(), id, ChangeStatus::Approved), 1000);
    }

    void aClosedConsoleIsNotCalledBack()
    {
        Store &mine = as(QStringLiteral("lead1"));
        {
            ReviewService first(mine, mine.sessionLogin());
            QVERIFY(first.pushedUpdates());
        }
        // The listener went with the service: a push now reaches nobody.
        QVERIFY(!submit(QStringLiteral("after the console closed")).isEmpty());
        QTest::qWait(50);
        ReviewService second(mine, mine.sessionLogin());
        QVERIFY(second.pushedUpdates());
        QVERIFY(second.refresh().ok());
    }

    void trailVerifiesAfterEverything()
    {
        auto report = as(QStringLiteral("aud1")).verifyAudit();
        QVERIFY(report.ok());
        QVERIFY2(report->clean(), report->clean() ? "" : qPrintable(report->problems.front().detail));
        QVERIFY(report->entries > 20);
    }
};

QTEST_GUILESS_MAIN(TestPgReview)
#include "tst_pgreview.moc"
