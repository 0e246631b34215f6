// The executor's report (DESIGN §8 `report`): applied or failed, once, only
// for an approved change, by its agent, its operator or a lead, audited; and
// the History rows built from it. Store API and holdpointctl.
#include "ctlfixture.h"
#include "domain/identity.h"
#include "storefixture.h"

#include <QtTest>

using namespace hp;
using hp::testing::actor;

class TestReport : public QObject
{
    Q_OBJECT

private:
    QString approvedChange(hp::testing::StoreFixture &f)
    {
        const QString id = f.submitAsBot();
        DecideRequest approve;
        approve.changeId = id;
        approve.action = DecisionAction::Approve;
        auto r = f.store->decide(actor(QStringLiteral("rita")), approve);
        if (!r.ok() || r->verdict.status != ChangeStatus::Approved)
            return {};
        return id;
    }

    static int auditCount(Store &store, const QString &action)
    {
        int n = 0;
        auto entries = store.auditEntries(0, 0);
        for (const AuditEntry &e : *entries) {
            const QJsonObject o = QJsonDocument::fromJson(e.entry).object();
            n += o.value(QStringLiteral("action")).toString() == action &&
                         o.value(QStringLiteral("outcome")).toString() == QLatin1String("ok")
                     ? 1
                     : 0;
        }
        return n;
    }

private Q_SLOTS:
    void agentReportsAppliedOnceAndItIsAudited()
    {
        hp::testing::StoreFixture f;
        f.addTeam();
        const QString id = approvedChange(f);
        QVERIFY(!id.isEmpty());
        auto r = f.store->reportOutcome(actor(QStringLiteral("bot")), id, true, QString());
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
        COMPARE_NAME(r->status, ChangeStatus::Applied);
        COMPARE_NAME(f.store->change(id)->summary.verdict.status, ChangeStatus::Applied);
        const QJsonObject entry = hp::testing::lastEntry(*f.store);
        QCOMPARE(entry.value(QStringLiteral("action")).toString(), QStringLiteral("change.report"));
        QCOMPARE(entry.value(QStringLiteral("status_before")).toString(), QStringLiteral("approved"));
        QCOMPARE(entry.value(QStringLiteral("status_after")).toString(), QStringLiteral("applied"));

        auto again = f.store->reportOutcome(actor(QStringLiteral("bot")), id, false, QString());
        QVERIFY(!again.ok());
        QCOMPARE(again.error().code, ExitCode::Denied);
        QCOMPARE(again.error().reason, QStringLiteral("already_reported"));
        COMPARE_NAME(f.store->change(id)->summary.verdict.status, ChangeStatus::Applied);
        QCOMPARE(auditCount(*f.store, QStringLiteral("change.report")), 1);
        QVERIFY(f.store->verifyAudit()->clean());
    }

    void operatorReportsFailedWithItsReason()
    {
        hp::testing::StoreFixture f;
        f.addTeam();
        const QString id = approvedChange(f);
        auto r = f.store->reportOutcome(actor(QStringLiteral("olga")), id, false,
                                        QStringLiteral("pods crash-looped"));
        QVERIFY(r.ok());
        COMPARE_NAME(r->status, ChangeStatus::Failed);
        const auto detail = f.store->change(id);
        QCOMPARE(detail->events.back().reason, QStringLiteral("pods crash-looped"));
        QCOMPARE(hp::testing::lastEntry(*f.store).value(QStringLiteral("reason")).toString(),
                 QStringLiteral("pods crash-looped"));
    }

    void leadMayReportButOtherReviewersMayNot()
    {
        hp::testing::StoreFixture f;
        f.addTeam();
        const QString id = approvedChange(f);
        auto rex = f.store->reportOutcome(actor(QStringLiteral("rex")), id, true, QString());
        QVERIFY(!rex.ok());
        QCOMPARE(rex.error().code, ExitCode::Denied);
        QCOMPARE(rex.error().reason, QStringLiteral("not_executor"));
        const QJsonObject denied = hp::testing::lastEntry(*f.store);
        QCOMPARE(denied.value(QStringLiteral("action")).toString(), QStringLiteral("change.report"));
        QCOMPARE(denied.value(QStringLiteral("outcome")).toString(), QStringLiteral("denied"));
        auto lena = f.store->reportOutcome(actor(QStringLiteral("lena")), id, true, QString());
        QVERIFY(lena.ok());
        COMPARE_NAME(lena->status, ChangeStatus::Applied);
    }

    void pendingAndRejectedChangesAreRefused()
    {
        hp::testing::StoreFixture f;
        f.addTeam();
        const QString pending = f.submitAsBot();
        auto p = f.store->reportOutcome(actor(QStringLiteral("bot")), pending, true, QString());
        QVERIFY(!p.ok());
        QCOMPARE(p.error().reason, QStringLiteral("not_approved"));
        QCOMPARE(p.error().code, ExitCode::Denied);
        COMPARE_NAME(f.store->change(pending)->summary.verdict.status, ChangeStatus::Pending);

        DecideRequest reject{pending, DecisionAction::Reject, QStringLiteral("no"), 0};
        QVERIFY(f.store->decide(actor(QStringLiteral("rita")), reject).ok());
        auto r = f.store->reportOutcome(actor(QStringLiteral("bot")), pending, true, QString());
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ExitCode::Rejected);
        QCOMPARE(auditCount(*f.store, QStringLiteral("change.report")), 0);
        // The refused attempt is on the trail all the same.
        const QJsonObject last = hp::testing::lastEntry(*f.store);
        QCOMPARE(last.value(QStringLiteral("action")).toString(), QStringLiteral("change.report"));
        QCOMPARE(last.value(QStringLiteral("outcome")).toString(), QStringLiteral("denied"));
    }

    void historyShowsReportedOutcomesWithTheirDeciders()
    {
        hp::testing::StoreFixture f;
        f.addTeam();
        const QString applied = approvedChange(f);
        const QString failed = approvedChange(f);
        const QString pending = f.submitAsBot();
        QVERIFY(f.store->reportOutcome(actor(QStringLiteral("bot")), applied, true, {}).ok());
        QVERIFY(f.store->reportOutcome(actor(QStringLiteral("bot")), failed, false, {}).ok());
        auto rows = f.store->history(HistoryQuery{});
        QVERIFY(rows.ok());
        QCOMPARE(rows->size(), size_t(2)); // the pending change is not history
        for (const HistoryRow &row : *rows) {
            QVERIFY(row.changeId != pending);
            COMPARE_NAME(row.outcome, row.changeId == applied ? HistoryOutcome::Applied
                                                              : HistoryOutcome::Failed);
            QCOMPARE(row.deciders, QStringList{QStringLiteral("rita")});
            QVERIFY(row.outcomeAt > row.decidedAt);
            QVERIFY(row.secondsToDecision > 0);
            QVERIFY(row.slaMet); // the stepping clock decides within seconds
            QCOMPARE(row.environment, QStringLiteral("prod"));
            QCOMPARE(row.agentPrincipal, QStringLiteral("bot"));
            QCOMPARE(row.operatorLogin, QStringLiteral("olga"));
        }
    }

    void historyRowsCarryDecidersTimesSlaAndEscalation()
    {
        QTemporaryDir dir;
        const QDateTime t0(QDate(2024, 5, 6), QTime(9, 0), Qt::UTC);
        auto now = std::make_shared<QDateTime>(t0);
        CreateOptions options;
        options.adminLogin = QStringLiteral("adam");
        auto created = createStore(dir.filePath(QStringLiteral("h.db")), options,
                                   actor(QStringLiteral("root")), [now] { return *now; });
        QVERIFY(created.ok());
        Store &store = **created;
        const Actor adam = actor(QStringLiteral("adam"));
        QVERIFY(store.addUser(adam, QStringLiteral("rita"), RoleSet::of({Role::Reviewer})).ok());
        QVERIFY(store.addUser(adam, QStringLiteral("lena"), RoleSet::of({Role::Lead})).ok());
        QVERIFY(store.addUser(adam, QStringLiteral("olga"), RoleSet()).ok());
        QVERIFY(store.addAgent(adam, QStringLiteral("bot"), QStringLiteral("olga")).ok());
        const auto submit = [&](const char *title) {
            SubmitRequest r;
            r.proposal = hp::testing::proposal(QString::fromLatin1(title),
                                               QByteArrayLiteral("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n"));
            r.proposal.environment = QStringLiteral("production");
            r.proposal.idempotencyKey = QString::fromLatin1(title);
            return store.submit(actor(QStringLiteral("bot")), r)->changeId;
        };
        const auto decide = [&](const char *who, const QString &id, DecisionAction a, qint64 at) {
            *now = t0.addSecs(at);
            return store.decide(actor(QString::fromLatin1(who)),
                                DecideRequest{id, a, QStringLiteral("because"), 0})
                .ok();
        };
        const QString escalated = submit("escalated");
        const QString rejected = submit("rejected");
        const QString withdrawn = submit("withdrawn");
        QVERIFY(decide("rita", escalated, DecisionAction::Escalate, 600));
        QVERIFY(decide("rita", rejected, DecisionAction::Reject, 1800));
        *now = t0.addSecs(7200);
        QVERIFY(store.withdrawChange(actor(QStringLiteral("bot")), withdrawn, {}).ok());
        QVERIFY(decide("lena", escalated, DecisionAction::Approve, 5 * 3600));

        auto all = store.history(HistoryQuery{});
        QVERIFY(all.ok());
        QCOMPARE(all->size(), size_t(3));
        for (const HistoryRow &row : *all) {
            if (row.changeId == escalated) {
                COMPARE_NAME(row.outcome, HistoryOutcome::Approved);
                QCOMPARE(row.deciders, QStringList{QStringLiteral("lena")});
                QVERIFY(row.escalated);
                QCOMPARE(row.secondsToDecision, 5 * 3600);
                QCOMPARE(row.slaDeadline, t0.addSecs(4 * 3600)); // production, never assessed
                QVERIFY(!row.slaMet);
            } else if (row.changeId == rejected) {
                COMPARE_NAME(row.outcome, HistoryOutcome::Rejected);
                QCOMPARE(row.deciders, QStringList{QStringLiteral("rita")});
                QCOMPARE(row.secondsToDecision, 1800);
                QVERIFY(row.slaMet);
                QVERIFY(!row.escalated);
            } else {
                COMPARE_NAME(row.outcome, HistoryOutcome::Withdrawn);
                QVERIFY(row.deciders.isEmpty());
                QCOMPARE(row.decidedAt, t0.addSecs(7200));
            }
        }
        auto later = store.history(HistoryQuery{t0.addSecs(3600), t0.addSecs(4 * 3600)});
        QVERIFY(later.ok());
        QCOMPARE(later->size(), size_t(1)); // only the withdrawal falls in [1h, 4h]
        QCOMPARE(later->front().changeId, withdrawn);
    }

    void cliReportExitCodesAndJson()
    {
        hp::testing::StoreFixture f;
        // holdpointctl reads the system clock: reopen the store on it too, or
        // the policy's expiry (72h from the fixture's 2024 clock) has passed.
        f.store = std::move(*openStore(f.path, systemClock));
        f.addTeam();
        const QString me = currentLogin();
        QVERIFY(f.store->addUser(actor(QStringLiteral("adam")), me, RoleSet::of({Role::Lead})).ok());
        const QString id = f.submitAsBot();
        const auto ctl = [&](QStringList args) {
            args << QStringLiteral("--db") << f.path;
            return hp::test::CtlFixture::ctl(args);
        };
        const QStringList report{QStringLiteral("report"), id, QStringLiteral("--outcome"),
                                 QStringLiteral("applied"), QStringLiteral("--json")};
        QCOMPARE(ctl(report).exitCode, 8); // pending
        QCOMPARE(ctl({QStringLiteral("report"), id, QStringLiteral("--outcome"),
                      QStringLiteral("done")})
                     .exitCode,
                 2);
        QCOMPARE(ctl({QStringLiteral("report"), QStringLiteral("01NOSUCHCHANGE"),
                      QStringLiteral("--outcome"), QStringLiteral("failed")})
                     .exitCode,
                 6);
        DecideRequest approve{id, DecisionAction::Approve, {}, 0};
        QVERIFY(f.store->decide(actor(QStringLiteral("rita")), approve).ok());
        const hp::test::CtlRun ok = ctl(report);
        QVERIFY2(ok.exitCode == 0, qPrintable(ok.describe()));
        QCOMPARE(ok.json().value(QStringLiteral("schema")).toString(),
                 QStringLiteral("holdpoint.report/1"));
        QCOMPARE(ok.json().value(QStringLiteral("id")).toString(), id);
        QCOMPARE(ok.json().value(QStringLiteral("status")).toString(), QStringLiteral("applied"));
        QCOMPARE(ctl(report).exitCode, 8); // once
    }
};

QTEST_GUILESS_MAIN(TestReport)
#include "tst_report.moc"
