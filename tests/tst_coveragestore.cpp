#include "storefixture.h"

#include <QJsonArray>

using namespace hp;
using namespace hp::testing;

namespace {

qint64 auditCount(Store &store)
{
    auto entries = store.auditEntries(0, 0);
    return entries.ok() ? static_cast<qint64>(entries->size()) : -1;
}

} // namespace

class TstCoverageStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void onlyReviewersRecordCoverage_data();
    void onlyReviewersRecordCoverage();
    void itemsAreValidated_data();
    void itemsAreValidated();
    void tooManyItemsAreRefused();
    void recordingIsIdempotentAndAudited();
    void coverageIsPerReviewer();
    void outdatedRevisionIsRefused();
    void decidedChangeIsRefused();
};

void TstCoverageStore::onlyReviewersRecordCoverage_data()
{
    QTest::addColumn<QString>("login");
    QTest::addColumn<bool>("allowed");
    QTest::newRow("reviewer") << QStringLiteral("rita") << true;
    QTest::newRow("lead") << QStringLiteral("lena") << true;
    QTest::newRow("auditor") << QStringLiteral("aria") << false;
    QTest::newRow("admin") << QStringLiteral("adam") << false;
    QTest::newRow("no role") << QStringLiteral("olga") << false;
    QTest::newRow("agent") << QStringLiteral("bot") << false;
}

void TstCoverageStore::onlyReviewersRecordCoverage()
{
    QFETCH(QString, login);
    QFETCH(bool, allowed);
    StoreFixture f;
    f.addTeam();
    const QString id = f.submitAsBot();
    QVERIFY(!id.isEmpty());
    auto r = f.store->recordCoverage(actor(login), id, 1, {coverage::hunkKey(0, 0, 0)});
    QCOMPARE(r.ok(), allowed);
    const QJsonObject last = lastEntry(*f.store);
    QCOMPARE(last.value(u"action").toString(), QStringLiteral("review.coverage"));
    QCOMPARE(last.value(u"principal").toString(), login);
    QCOMPARE(last.value(u"outcome").toString(), allowed ? QStringLiteral("ok") : QStringLiteral("denied"));
    if (!allowed) {
        QVERIFY(r.error().code == ExitCode::Denied);
        QCOMPARE(f.sqlValue(QStringLiteral("SELECT COUNT(*) FROM coverage")).toInt(), 0);
    }
}

void TstCoverageStore::itemsAreValidated_data()
{
    QTest::addColumn<QString>("item");
    QTest::addColumn<bool>("valid");
    QTest::newRow("hunk") << coverage::hunkKey(0, 0, 0) << true;
    QTest::newRow("resource") << coverage::resourceKey(0, QStringLiteral("module.db.aws_db_instance.main[\"a b\"]"))
                              << true;
    QTest::newRow("node") << coverage::nodeKey(QStringLiteral("component:default/cost-api")) << true;
    QTest::newRow("hunk missing part") << QStringLiteral("hunk:0:0") << false;
    QTest::newRow("negative index") << QStringLiteral("hunk:-1:0:0") << false;
    QTest::newRow("leading zero") << QStringLiteral("hunk:00:0:0") << false;
    QTest::newRow("artifact out of range") << coverage::hunkKey(1, 0, 0) << false;
    QTest::newRow("resource out of range") << coverage::resourceKey(3, QStringLiteral("a.b")) << false;
    QTest::newRow("empty address") << QStringLiteral("resource:0:") << false;
    QTest::newRow("empty node") << QStringLiteral("node:") << false;
    QTest::newRow("unknown form") << QStringLiteral("file:0:x") << false;
    QTest::newRow("control character") << QStringLiteral("node:a\nb") << false;
    QTest::newRow("512 characters") << QStringLiteral("node:") + QString(507, u'x') << true;
    QTest::newRow("513 characters") << QStringLiteral("node:") + QString(508, u'x') << false;
}

void TstCoverageStore::itemsAreValidated()
{
    QFETCH(QString, item);
    QFETCH(bool, valid);
    StoreFixture f;
    f.addTeam();
    const QString id = f.submitAsBot();
    auto r = f.store->recordCoverage(actor(QStringLiteral("rita")), id, 1, {coverage::nodeKey(QStringLiteral("x")), item});
    QCOMPARE(r.ok(), valid);
    if (valid) {
        QCOMPARE(*r, 2);
        return;
    }
    QVERIFY(r.error().code == ExitCode::Usage);
    QCOMPARE(r.error().path, QStringLiteral("items[1]"));
    QCOMPARE(f.sqlValue(QStringLiteral("SELECT COUNT(*) FROM coverage")).toInt(), 0); // nothing half-way
}

void TstCoverageStore::tooManyItemsAreRefused()
{
    StoreFixture f;
    f.addTeam();
    const QString id = f.submitAsBot();
    QStringList items;
    for (int i = 0; i <= 100000; ++i)
        items.append(coverage::nodeKey(QString::number(i)));
    auto r = f.store->recordCoverage(actor(QStringLiteral("rita")), id, 1, items);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().reason, QStringLiteral("too_many_items"));
    items.removeLast();
    auto full = f.store->recordCoverage(actor(QStringLiteral("rita")), id, 1, items);
    QVERIFY2(full.ok(), full.ok() ? "" : qPrintable(full.error().message));
    QCOMPARE(*full, 100000);
}

void TstCoverageStore::recordingIsIdempotentAndAudited()
{
    StoreFixture f;
    f.addTeam();
    const QString id = f.submitAsBot();
    const Actor rita = actor(QStringLiteral("rita"));
    const QString hunk = coverage::hunkKey(0, 0, 0);
    const QString node = coverage::nodeKey(QStringLiteral("component:default/cost-api"));
    auto first = f.store->recordCoverage(rita, id, 1, {hunk, node, hunk});
    QVERIFY(first.ok());
    QCOMPARE(*first, 2);
    QJsonObject last = lastEntry(*f.store);
    QCOMPARE(last.value(u"action").toString(), QStringLiteral("review.coverage"));
    QCOMPARE(last.value(u"change").toString(), id);
    QCOMPARE(last.value(u"revision").toInt(), 1);
    QCOMPARE(last.value(u"payload").toObject().value(u"items").toArray(),
             QJsonArray::fromStringList({hunk, node}));
    const qint64 before = auditCount(*f.store);
    auto again = f.store->recordCoverage(rita, id, 0, {node, hunk});
    QVERIFY(again.ok());
    QCOMPARE(*again, 0);
    QCOMPARE(auditCount(*f.store), before); // nothing new: nothing audited
    const QString resource = coverage::resourceKey(0, QStringLiteral("aws_instance.web"));
    auto more = f.store->recordCoverage(rita, id, 1, {hunk, resource});
    QVERIFY(more.ok());
    QCOMPARE(*more, 1);
    last = lastEntry(*f.store);
    QCOMPARE(last.value(u"payload").toObject().value(u"items").toArray(), QJsonArray::fromStringList({resource}));
    auto seen = f.store->coverage(QStringLiteral("rita"), id, 1);
    QVERIFY(seen.ok());
    QCOMPARE(*seen, (QStringList{hunk, node, resource}));
    auto report = f.store->verifyAudit({});
    QVERIFY(report.ok() && report->clean());
}

void TstCoverageStore::coverageIsPerReviewer()
{
    StoreFixture f;
    f.addTeam();
    const QString id = f.submitAsBot();
    QVERIFY(f.store->recordCoverage(actor(QStringLiteral("rita")), id, 1, {coverage::hunkKey(0, 0, 0)}).ok());
    auto rex = f.store->coverage(QStringLiteral("rex"), id, 1);
    QVERIFY(rex.ok());
    QVERIFY(rex->isEmpty());
    auto byRex = f.store->recordCoverage(actor(QStringLiteral("rex")), id, 1, {coverage::hunkKey(0, 0, 0)});
    QVERIFY(byRex.ok());
    QCOMPARE(*byRex, 1);
}

void TstCoverageStore::outdatedRevisionIsRefused()
{
    StoreFixture f;
    f.addTeam();
    const QString id = f.submitAsBot();
    SubmitRequest revise;
    revise.reviseId = id;
    revise.proposal = proposal(QStringLiteral("Rotate the password"),
                               QByteArrayLiteral("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+c\n"));
    QVERIFY(f.store->submit(actor(QStringLiteral("bot")), revise).ok());
    auto old = f.store->recordCoverage(actor(QStringLiteral("rita")), id, 1, {coverage::hunkKey(0, 0, 0)});
    QVERIFY(!old.ok());
    QVERIFY(old.error().code == ExitCode::Mismatch);
    QCOMPARE(lastEntry(*f.store).value(u"outcome").toString(), QStringLiteral("denied"));
    auto current = f.store->recordCoverage(actor(QStringLiteral("rita")), id, 2, {coverage::hunkKey(0, 0, 0)});
    QVERIFY(current.ok());
    auto seen = f.store->coverage(QStringLiteral("rita"), id, 2);
    QVERIFY(seen.ok());
    QCOMPARE(seen->size(), 1);
}

void TstCoverageStore::decidedChangeIsRefused()
{
    StoreFixture f;
    f.addTeam();
    const QString id = f.submitAsBot();
    QVERIFY(f.store->decide(actor(QStringLiteral("rex")), {id, DecisionAction::Approve, {}, 0}).ok());
    auto r = f.store->recordCoverage(actor(QStringLiteral("rita")), id, 1, {coverage::hunkKey(0, 0, 0)});
    QVERIFY(!r.ok());
    QCOMPARE(r.error().reason, QStringLiteral("not_pending"));
    auto missing = f.store->recordCoverage(actor(QStringLiteral("rita")), QStringLiteral("01NOPE"), 1,
                                           {coverage::hunkKey(0, 0, 0)});
    QVERIFY(!missing.ok());
    QVERIFY(missing.error().code == ExitCode::NotFound);
}

QTEST_GUILESS_MAIN(TstCoverageStore)
#include "tst_coveragestore.moc"
