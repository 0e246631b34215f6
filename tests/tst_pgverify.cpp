#include "pgharness.h"
#include "storefixture.h"

#include "storage/pgsetup.h"

#include <QtTest>

// `audit verify` in team mode (issue 9): application roles cannot write any
// table, but the database owner (or a superuser) can. Verify cross-checks the
// rows that decide outcomes against the trail, so an owner who edits a
// decision or a status with psql is caught even though the chain is intact.
using namespace hp;
using namespace hp::testing;

namespace {

Proposal commandProposal(const QString &title)
{
    Proposal p;
    p.title = title;
    p.environment = QStringLiteral("dev");
    p.artifacts.push_back(artifact(ArtifactKind::Command, QStringLiteral("run.sh"), {title.toUtf8() + '\n'}));
    return p;
}

} // namespace

class TestPgVerify : public QObject
{
    Q_OBJECT

private:
    PgHarness m_pg;
    QString m_approved;
    QString m_rejected;

    std::unique_ptr<Store> openAs(const QString &login) { return m_pg.openAs(login); }

    VerifyReport verify()
    {
        auto store = openAs(QStringLiteral("aud1"));
        auto report = store->verifyAudit({});
        if (!report) {
            qWarning("%s", qPrintable(report.error().message));
            return {};
        }
        return *report;
    }

    void asOwner(const QString &sql)
    {
        const PsqlRun run = m_pg.psql(QStringLiteral("hp_owner"), QStringLiteral("SET search_path = holdpoint;\n") + sql);
        QVERIFY2(run.exitCode == 0, run.err.constData());
    }

private Q_SLOTS:
    void initTestCase()
    {
        HP_START_TEAM_STORE(m_pg);
        auto admin = openAs(QStringLiteral("adm"));
        QVERIFY(admin);
        const Actor a = actor(QStringLiteral("adm"));
        QVERIFY(admin->addUser(a, QStringLiteral("rev1"), RoleSet::of({Role::Reviewer})).ok());
        QVERIFY(admin->addUser(a, QStringLiteral("aud1"), RoleSet::of({Role::Auditor})).ok());
        QVERIFY(admin->addAgent(a, QStringLiteral("agent1"), QStringLiteral("adm")).ok());
        auto agent = openAs(QStringLiteral("agent1"));
        auto reviewer = openAs(QStringLiteral("rev1"));
        QVERIFY(agent && reviewer);
        for (QString *id : {&m_approved, &m_rejected}) {
            auto s = agent->submit(actor(QStringLiteral("agent1")), SubmitRequest{commandProposal(QStringLiteral("echo %1").arg(id == &m_approved)), {}});
            QVERIFY2(s.ok(), s.ok() ? "" : qPrintable(s.error().message));
            *id = s->changeId;
        }
        DecideRequest approve{m_approved, DecisionAction::Approve, QString(), 0};
        DecideRequest reject{m_rejected, DecisionAction::Reject, QStringLiteral("not now"), 0};
        QVERIFY(reviewer->decide(actor(QStringLiteral("rev1")), approve).ok());
        QVERIFY(reviewer->decide(actor(QStringLiteral("rev1")), reject).ok());
    }

    void anUntouchedStoreVerifiesClean()
    {
        const VerifyReport r = verify();
        QVERIFY2(r.clean(), qPrintable(describeProblems(r)));
        QVERIFY(r.entries > 6);
    }

    void anOwnerFlippingAStatusIsCaught()
    {
        asOwner(QStringLiteral("UPDATE changes SET status = 'approved' WHERE id = '%1';").arg(m_rejected));
        const VerifyReport r = verify();
        QVERIFY(!r.clean());
        QVERIFY2(describeProblems(r).contains(QStringLiteral("change %1 is approved, but the last entry about it").arg(m_rejected)),
                 qPrintable(describeProblems(r)));
        asOwner(QStringLiteral("UPDATE changes SET status = 'rejected' WHERE id = '%1';").arg(m_rejected));
        QVERIFY2(verify().clean(), qPrintable(describeProblems(verify())));
    }

    void anOwnerEditingADecisionIsCaught_data()
    {
        QTest::addColumn<QString>("edit");
        QTest::addColumn<QString>("undo");
        QTest::addColumn<QString>("says");
        QTest::newRow("reject turned approve")
            << "UPDATE decisions SET action = 'approve', reason = '' WHERE action = 'reject';"
            << "UPDATE decisions SET action = 'reject', reason = 'not now' WHERE action = 'approve' AND change_id = '%1';"
            << "differs from what entry";
        QTest::newRow("principal swapped")
            << "UPDATE decisions SET principal = 'aud1' WHERE action = 'approve';"
            << "UPDATE decisions SET principal = 'rev1' WHERE action = 'approve';"
            << "differs from what entry";
        QTest::newRow("decision deleted")
            << "DELETE FROM decisions WHERE action = 'reject';"
            << ""
            << "which is missing from the store";
    }

    void anOwnerEditingADecisionIsCaught()
    {
        QFETCH(QString, edit);
        QFETCH(QString, undo);
        QFETCH(QString, says);
        asOwner(edit);
        const VerifyReport r = verify();
        QVERIFY(!r.clean());
        QVERIFY2(describeProblems(r).contains(says), qPrintable(describeProblems(r)));
        for (const AuditProblem &p : r.problems)
            QVERIFY(p.kind == AuditProblemClass::Mismatch); // the chain itself is intact
        if (!undo.isEmpty()) {
            asOwner(undo.contains(u'%') ? undo.arg(m_rejected) : undo);
            QVERIFY2(verify().clean(), qPrintable(describeProblems(verify())));
        }
    }

    void anOwnerSwappingArtifactBytesIsCaught()
    {
        // The bytes of the approved command, then its recorded SHA-256 too.
        asOwner(QStringLiteral("UPDATE artifact_parts SET bytes = convert_to('rm -rf /', 'UTF8') "
                               "WHERE change_id = '%1';").arg(m_approved));
        VerifyReport r = verify();
        QVERIFY2(describeProblems(r).contains(QStringLiteral("artifact 0 (run.sh) no longer matches its SHA-256")),
                 qPrintable(describeProblems(r)));
        asOwner(QStringLiteral("UPDATE artifacts SET sha256 = sha256(convert_to('rm -rf /', 'UTF8')) "
                               "WHERE change_id = '%1';").arg(m_approved));
        r = verify();
        QVERIFY2(!describeProblems(r).contains(QStringLiteral("SHA-256")), qPrintable(describeProblems(r)));
        QVERIFY2(describeProblems(r).contains(QStringLiteral("no longer matches its content hash")), qPrintable(describeProblems(r)));
        asOwner(QStringLiteral("UPDATE revisions SET content_hash = sha256('x') WHERE change_id = '%1';")
                    .arg(m_approved));
        r = verify();
        QVERIFY2(describeProblems(r).contains(QStringLiteral("its content hash differs from the one entry")),
                 qPrintable(describeProblems(r)));
        QVERIFY(r.notChecked.isEmpty()); // an auditor reads every byte
    }

    void aLoginThatCannotReadArtifactsIsToldWhatWasNotChecked()
    {
        auto agent = openAs(QStringLiteral("agent1"));
        QVERIFY(agent);
        auto r = agent->verifyAudit({});
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
        QCOMPARE(r->notChecked.size(), 1);
        QVERIFY(r->notChecked.first().contains(QStringLiteral("artifact bytes")));
        // What it can see is still checked: the content hash row against its entry.
        QVERIFY2(describeProblems(*r).contains(QStringLiteral("its content hash differs")), qPrintable(describeProblems(*r)));
    }

    void cleanupTestCase() { m_pg.stop(); }
};

QTEST_GUILESS_MAIN(TestPgVerify)
#include "tst_pgverify.moc"
