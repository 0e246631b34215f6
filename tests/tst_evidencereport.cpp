// The per-change evidence report (issue 7 item 5): rendered by the widgets
// renderer and by `holdpointctl audit report`, read back with pdftotext, it
// names the change, every decision's principal and action and the chain
// positions, and never a sensitive plan value. The command is for auditors
// and leads only (a refusal is audited) and never overwrites a file unasked.
#include "ctlprocess.h"
#include "domain/identity.h"
#include "domain/sha256.h"
#include "plantestsupport.h"
#include "report/evidencereport.h"
#include "storefixture.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTextDocument>
#include <QtTest>

using namespace hp;
using namespace hp::testing;

namespace {

// Every secret of tests/data/plan/sensitive-everywhere.plan.json.
const QStringList kSecrets{
    QStringLiteral("tree-Secret-5"),     QStringLiteral("a-Secret-In-List"),
    QStringLiteral("rotated-Tree-Secret-6"), QStringLiteral("918273"),
    QStringLiteral("918274"),            QStringLiteral("value-Secret-8"),
    QStringLiteral("default-Secret-7"),  QStringLiteral("output-Secret-4"),
    QStringLiteral("config-output-Secret-6"), QStringLiteral("module-Secret-3"),
    QStringLiteral("planned-Secret-10"), QStringLiteral("state-Secret-11"),
    QStringLiteral("state-Secret-12")};

QString pdfText(const QString &pdf)
{
    QProcess p;
    p.start(QStringLiteral("pdftotext"), {QStringLiteral("-layout"), pdf, QStringLiteral("-")});
    if (!p.waitForFinished(60000) || p.exitCode() != 0)
        return {};
    return QString::fromUtf8(p.readAllStandardOutput());
}

QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TstEvidenceReport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void reportNamesTheChangeEveryDecisionAndNoSecret();
    void reportListsEveryTrailEntryWithItsSeqAndHash();
    void ctlWritesTheReportAndAuditsIt();
    void ctlRefusesOthersAndAuditsTheRefusal();
    void ctlNeverOverwritesWithoutForce();

private:
    // A change with a plan full of secrets and a patch, decided three ways.
    QString decidedChange(StoreFixture &f);
};

void TstEvidenceReport::initTestCase()
{
    if (QStandardPaths::findExecutable(QStringLiteral("pdftotext")).isEmpty()) {
        if (qEnvironmentVariableIsSet("CI"))
            QFAIL("pdftotext (poppler-utils) is missing");
        QSKIP("pdftotext (poppler-utils) is not installed");
    }
}

QString TstEvidenceReport::decidedChange(StoreFixture &f)
{
    f.addTeam();
    SubmitRequest request;
    request.proposal = proposal(QStringLiteral("Rotate every secret"),
                                QByteArrayLiteral("--- a/app.yaml\n+++ b/app.yaml\n@@ -1,2 +1,2 @@\n"
                                                  "-replicas: 2\n+replicas: 4\n keep: yes\n"));
    request.proposal.artifacts.push_back(
        artifact(ArtifactKind::TerraformPlan, QStringLiteral("sensitive-everywhere.plan.json"),
                 {plantest::readData(QStringLiteral("sensitive-everywhere.plan.json"))}));
    auto submitted = f.store->submit(actor(QStringLiteral("bot")), request);
    if (!submitted)
        return {};
    const QString id = submitted->changeId;
    const auto decide = [&](const char *login, DecisionAction action, const char *reason) {
        return f.store->decide(actor(QString::fromLatin1(login)),
                               DecideRequest{id, action, QString::fromLatin1(reason), 0})
            .ok();
    };
    if (!decide("olga", DecisionAction::Comment, "operator looked") ||
        !decide("rex", DecisionAction::Escalate, "needs a lead") ||
        !decide("rita", DecisionAction::Approve, "secrets rotate cleanly"))
        return {};
    if (!f.store->recordCheck(actor(QStringLiteral("bot")), id, 0, true, {}, QStringLiteral("ok")).ok())
        return {};
    return id;
}

void TstEvidenceReport::reportNamesTheChangeEveryDecisionAndNoSecret()
{
    StoreFixture f;
    const QString id = decidedChange(f);
    QVERIFY(!id.isEmpty());
    auto evidence = report::gatherEvidence(*f.store, id);
    QVERIFY2(evidence.ok(), evidence.ok() ? "" : qPrintable(evidence.error().message));
    QCOMPARE(evidence->detail.decisions.size(), size_t(3));
    QTemporaryDir dir;
    const QString pdf = dir.filePath(QStringLiteral("report.pdf"));
    auto written = report::writeEvidencePdf(*evidence, pdf);
    QVERIFY(written.ok());
    QCOMPARE(*written, Sha256::digest(fileBytes(pdf)));
    const QString text = pdfText(pdf);
    QVERIFY(text.contains(id));
    QVERIFY(text.contains(QStringLiteral("rotate the database password"))); // the intent
    for (const DecisionRecord &d : evidence->detail.decisions) {
        const QString who = QStringLiteral("%1: %2 %3").arg(d.id).arg(d.principal, toString(d.action));
        QVERIFY2(text.contains(who), qPrintable(who));
    }
    QVERIFY(text.contains(QStringLiteral("not counted"))); // the comment and the escalation
    QVERIFY(text.contains(QStringLiteral("app.yaml: +1 -1")));            // diff statistics
    QVERIFY(text.contains(QStringLiteral("check by bot")));
    QVERIFY(text.contains(QStringLiteral("UPDATE terraform_data.app"))); // the plan summary
    for (const QString &secret : kSecrets)
        QVERIFY2(!text.contains(secret), qPrintable(secret + QStringLiteral(" leaks")));
    // The document itself, not only what pdftotext extracts.
    const QString plain = report::evidenceDocument(*evidence)->toPlainText();
    for (const QString &secret : kSecrets)
        QVERIFY2(!plain.contains(secret), qPrintable(secret + QStringLiteral(" leaks")));
}

void TstEvidenceReport::reportListsEveryTrailEntryWithItsSeqAndHash()
{
    StoreFixture f;
    const QString id = decidedChange(f);
    QVERIFY(!id.isEmpty());
    auto evidence = report::gatherEvidence(*f.store, id);
    QVERIFY(evidence.ok());
    auto all = f.store->auditEntries(0, 0);
    QVERIFY(all.ok());
    int about = 0;
    const QString plain = report::evidenceDocument(*evidence)->toPlainText();
    for (const AuditEntry &e : *all) {
        const bool mentions = QJsonDocument::fromJson(e.entry).object().value(u"change").toString() == id;
        about += mentions ? 1 : 0;
        QCOMPARE(plain.contains(QString::fromLatin1(e.hash.toHex())), mentions);
        if (mentions)
            QVERIFY(plain.contains(QStringLiteral("seq %1 ").arg(e.seq)));
    }
    QCOMPARE(int(evidence->trail.size()), about);
    QVERIFY(about >= 5); // submit, assessment, three decisions, check
    QCOMPARE(evidence->chainEntries, qint64(all->size()));
    QCOMPARE(evidence->headHash, all->back().hash);
}

void TstEvidenceReport::ctlWritesTheReportAndAuditsIt()
{
    StoreFixture f;
    const QString id = decidedChange(f);
    QVERIFY(!id.isEmpty());
    const QString me = currentLogin();
    QVERIFY(f.store->addUser(actor(QStringLiteral("adam")), me, RoleSet::of({Role::Auditor})).ok());
    QTemporaryDir dir;
    const QString pdf = dir.filePath(QStringLiteral("evidence.pdf"));
    const test::CtlRun r = test::runProgram(
        QStringLiteral(HP_CTL_PATH),
        {QStringLiteral("--db"), f.path, QStringLiteral("--json"), QStringLiteral("audit"),
         QStringLiteral("report"), id, QStringLiteral("--out"), pdf});
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    const QString sha = QString::fromLatin1(Sha256::digest(fileBytes(pdf)).toHex());
    QCOMPARE(r.json().value(u"sha256").toString(), sha);
    const QJsonObject entry = lastEntry(*f.store);
    QCOMPARE(entry.value(u"action").toString(), QStringLiteral("audit.report"));
    QCOMPARE(entry.value(u"principal").toString(), me);
    QCOMPARE(entry.value(u"change").toString(), id);
    QCOMPARE(entry.value(u"payload").toObject().value(u"report_sha256").toString(), sha);
    const QString text = pdfText(pdf);
    QVERIFY(text.contains(id));
    QVERIFY(text.contains(QStringLiteral("rita approve")));
    for (const QString &secret : kSecrets)
        QVERIFY2(!text.contains(secret), qPrintable(secret + QStringLiteral(" leaks")));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("evidence.pdf")});
    auto verified = f.store->verifyAudit();
    QVERIFY(verified.ok() && verified->clean());
}

void TstEvidenceReport::ctlRefusesOthersAndAuditsTheRefusal()
{
    StoreFixture f;
    const QString id = decidedChange(f);
    QVERIFY(!id.isEmpty());
    const QString me = currentLogin();
    QVERIFY(f.store->addUser(actor(QStringLiteral("adam")), me, RoleSet::of({Role::Reviewer})).ok());
    QTemporaryDir dir;
    const QString pdf = dir.filePath(QStringLiteral("evidence.pdf"));
    const test::CtlRun r = test::runProgram(
        QStringLiteral(HP_CTL_PATH),
        {QStringLiteral("--db"), f.path, QStringLiteral("audit"), QStringLiteral("report"), id,
         QStringLiteral("--out"), pdf});
    QCOMPARE(r.exitCode, 8);
    QVERIFY(!QFile::exists(pdf));
    const QJsonObject entry = lastEntry(*f.store);
    QCOMPARE(entry.value(u"action").toString(), QStringLiteral("audit.report"));
    QCOMPARE(entry.value(u"outcome").toString(), QStringLiteral("denied"));
    QCOMPARE(entry.value(u"principal").toString(), me);
}

void TstEvidenceReport::ctlNeverOverwritesWithoutForce()
{
    StoreFixture f;
    const QString id = decidedChange(f);
    QVERIFY(!id.isEmpty());
    QVERIFY(f.store->addUser(actor(QStringLiteral("adam")), currentLogin(), RoleSet::of({Role::Lead})).ok());
    QTemporaryDir dir;
    const QString pdf = dir.filePath(QStringLiteral("evidence.pdf"));
    {
        QFile existing(pdf);
        QVERIFY(existing.open(QIODevice::WriteOnly));
        existing.write("keep me");
    }
    const QStringList args{QStringLiteral("--db"), f.path, QStringLiteral("audit"), QStringLiteral("report"),
                           id, QStringLiteral("--out"), pdf};
    const test::CtlRun refused = test::runProgram(QStringLiteral(HP_CTL_PATH), args);
    QCOMPARE(refused.exitCode, 2);
    QCOMPARE(fileBytes(pdf), QByteArray("keep me"));
    const test::CtlRun forced =
        test::runProgram(QStringLiteral(HP_CTL_PATH), args + QStringList{QStringLiteral("--force")});
    QVERIFY2(forced.exitCode == 0, qPrintable(forced.describe()));
    QVERIFY(fileBytes(pdf).startsWith("%PDF"));
    const test::CtlRun unknown = test::runProgram(
        QStringLiteral(HP_CTL_PATH), {QStringLiteral("--db"), f.path, QStringLiteral("audit"),
                                      QStringLiteral("report"), QStringLiteral("01NOSUCHCHANGE0000000000000"),
                                      QStringLiteral("--out"), dir.filePath(QStringLiteral("x.pdf"))});
    QCOMPARE(unknown.exitCode, 6);
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("x.pdf"))));
}

QTEST_MAIN(TstEvidenceReport)
#include "tst_evidencereport.moc"
