#include "risk/assessor.h"
#include "storefixture.h"
#include "topology/catalogreader.h"

#include <QFile>
#include <QJsonArray>

using namespace hp;
using namespace hp::testing;

namespace {

QByteArray readData(const QString &name)
{
    QFile f(QStringLiteral(HP_TEST_DATA "/topology/") + name);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(name));
    return f.readAll();
}

std::vector<TopologySource> costExplorer()
{
    return {TopologySource{QStringLiteral("cost-explorer.yaml"), readData(QStringLiteral("cost-explorer.yaml"))}};
}

Proposal planProposal(const QString &plan, const QString &target = QStringLiteral("account:prod-7"))
{
    Proposal p;
    p.title = QStringLiteral("Apply ") + plan;
    p.environment = QStringLiteral("production");
    p.target = target;
    p.intent = QStringLiteral("keep cost-explorer in line with main");
    p.agentName = QStringLiteral("infra-bot");
    p.artifacts.push_back(artifact(ArtifactKind::TerraformPlan, plan, {readData(plan)}));
    return p;
}

Result<SubmitResult> submitPlan(StoreFixture &f, const QString &plan,
                                const QString &target = QStringLiteral("account:prod-7"))
{
    SubmitRequest request;
    request.proposal = planProposal(plan, target);
    return f.store->submit(actor(QStringLiteral("bot")), request);
}

qint64 auditCount(Store &store)
{
    auto entries = store.auditEntries(0, 0);
    return entries.ok() ? static_cast<qint64>(entries->size()) : -1;
}

QJsonObject entryAt(Store &store, qint64 fromEnd)
{
    auto entries = store.auditEntries(0, 0);
    if (!entries.ok() || static_cast<qint64>(entries->size()) < fromEnd + 1)
        return {};
    return QJsonDocument::fromJson((*entries)[entries->size() - 1 - static_cast<size_t>(fromEnd)].entry).object();
}

} // namespace

class TstTopologyStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void importNeedsLeadAndDenialIsAudited_data();
    void importNeedsLeadAndDenialIsAudited();
    void importStoresVersionHashSourcesAndAudit();
    void sameHashIsUnchangedAndWritesNothing();
    void invalidCatalogIsRefusedWithFileAndLine_data();
    void invalidCatalogIsRefusedWithFileAndLine();
    void pendingChangesAreReassessedDecidedOnesNot();
    void submitStoresAssessmentAndAuditStaysClean();
    void workedExampleThroughTheStore_data();
    void workedExampleThroughTheStore();
    void massChangeCountsTheAgentsOtherChangesOnTheTarget();
    void replayReturnsTheStoredAssessment();
    void queueShowsRiskAndDeadline();
};

void TstTopologyStore::importNeedsLeadAndDenialIsAudited_data()
{
    QTest::addColumn<QString>("login");
    QTest::newRow("reviewer") << QStringLiteral("rita");
    QTest::newRow("auditor") << QStringLiteral("aria");
    QTest::newRow("admin") << QStringLiteral("adam");
    QTest::newRow("agent") << QStringLiteral("bot");
}

void TstTopologyStore::importNeedsLeadAndDenialIsAudited()
{
    QFETCH(QString, login);
    StoreFixture f;
    f.addTeam();
    auto r = f.store->importTopology(actor(login), costExplorer());
    QVERIFY(!r.ok());
    QVERIFY(r.error().code == ExitCode::Denied);
    const QJsonObject last = lastEntry(*f.store);
    QCOMPARE(last.value(u"action").toString(), QStringLiteral("topology.import"));
    QCOMPARE(last.value(u"outcome").toString(), QStringLiteral("denied"));
    QCOMPARE(last.value(u"principal").toString(), login);
    auto current = f.store->currentTopology(false);
    QVERIFY(current.ok());
    QVERIFY(!current->has_value());
}

void TstTopologyStore::importStoresVersionHashSourcesAndAudit()
{
    StoreFixture f;
    f.addTeam();
    auto r = f.store->importTopology(actor(QStringLiteral("lena")), costExplorer());
    QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
    const Result<Topology> expected = CatalogReader::read(readData(QStringLiteral("cost-explorer.yaml")),
                                                          QStringLiteral("cost-explorer.yaml"));
    QVERIFY(expected.ok());
    QVERIFY(!r->unchanged);
    QCOMPARE(r->version.version, 1);
    QCOMPARE(r->version.hash, expected->hash());
    QCOMPARE(r->version.nodes, static_cast<int>(expected->nodes().size()));
    QCOMPARE(r->version.edges, static_cast<int>(expected->edges().size()));
    QCOMPARE(r->reassessed, 0);
    auto current = f.store->currentTopology(true);
    QVERIFY(current.ok() && current->has_value());
    QCOMPARE((*current)->version, 1);
    QCOMPARE((*current)->hash, expected->hash());
    QCOMPARE((*current)->importedBy, QStringLiteral("lena"));
    QCOMPARE((*current)->sources.size(), size_t(1));
    QCOMPARE((*current)->sources[0].content, readData(QStringLiteral("cost-explorer.yaml")));
    const QJsonObject last = lastEntry(*f.store);
    QCOMPARE(last.value(u"action").toString(), QStringLiteral("topology.import"));
    const QJsonObject payload = last.value(u"payload").toObject();
    QCOMPARE(payload.value(u"hash").toString(), QString::fromLatin1(expected->hash()));
    QCOMPARE(payload.value(u"version").toInt(), 1);
    QCOMPARE(payload.value(u"nodes").toInt(), r->version.nodes);
    QCOMPARE(payload.value(u"sources").toArray().at(0).toString(), QStringLiteral("cost-explorer.yaml"));
    // A different catalog makes version 2.
    auto second = f.store->importTopology(
        actor(QStringLiteral("lena")),
        {TopologySource{QStringLiteral("checkout.yaml"), readData(QStringLiteral("checkout.yaml"))}});
    QVERIFY(second.ok());
    QCOMPARE(second->version.version, 2);
    QVERIFY(second->version.hash != r->version.hash);
}

void TstTopologyStore::sameHashIsUnchangedAndWritesNothing()
{
    StoreFixture f;
    f.addTeam();
    QVERIFY(f.store->importTopology(actor(QStringLiteral("lena")), costExplorer()).ok());
    const qint64 before = auditCount(*f.store);
    auto again = f.store->importTopology(actor(QStringLiteral("lena")), costExplorer());
    QVERIFY(again.ok());
    QVERIFY(again->unchanged);
    QCOMPARE(again->version.version, 1);
    QCOMPARE(auditCount(*f.store), before);
    QCOMPARE(f.sqlValue(QStringLiteral("SELECT COUNT(*) FROM topologies")).toInt(), 1);
}

void TstTopologyStore::invalidCatalogIsRefusedWithFileAndLine_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("where");
    QTest::newRow("bad name") << QByteArray("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n"
                                            "  name: -bad name-\nspec:\n  type: service\n")
                              << QStringLiteral("bad.yaml:4");
    QTest::newRow("duplicate key") << QByteArray("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n"
                                                 "  name: ok\n  name: again\n")
                                   << QStringLiteral("bad.yaml:5");
}

void TstTopologyStore::invalidCatalogIsRefusedWithFileAndLine()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, where);
    StoreFixture f;
    f.addTeam();
    const qint64 before = auditCount(*f.store);
    auto r = f.store->importTopology(actor(QStringLiteral("lena")),
                                     {costExplorer().front(), TopologySource{QStringLiteral("bad.yaml"), yaml}});
    QVERIFY(!r.ok());
    const QString said = r.error().path + u' ' + r.error().message;
    QVERIFY2(said.contains(where), qPrintable(said));
    QCOMPARE(auditCount(*f.store), before);
    QCOMPARE(f.sqlValue(QStringLiteral("SELECT COUNT(*) FROM topologies")).toInt(), 0);
    QCOMPARE(f.sqlValue(QStringLiteral("SELECT COUNT(*) FROM topology_sources")).toInt(), 0);
}

void TstTopologyStore::pendingChangesAreReassessedDecidedOnesNot()
{
    StoreFixture f;
    f.addTeam();
    auto pending = submitPlan(f, QStringLiteral("scale-api.plan.json"));
    QVERIFY2(pending.ok(), pending.ok() ? "" : qPrintable(pending.error().message));
    auto decided = submitPlan(f, QStringLiteral("widen-role.plan.json"));
    QVERIFY(decided.ok());
    QVERIFY(f.store->decide(actor(QStringLiteral("rita")), {decided->changeId, DecisionAction::Approve, {}, 0}).ok());
    QVERIFY(pending->assessment);
    QVERIFY(pending->assessment->topologyHash.isEmpty());

    auto r = f.store->importTopology(actor(QStringLiteral("lena")), costExplorer());
    QVERIFY(r.ok());
    QCOMPARE(r->reassessed, 1);
    auto all = f.store->assessments(pending->changeId);
    QVERIFY(all.ok());
    QCOMPARE(all->size(), size_t(2));
    const StoredAssessment &second = all->back();
    QCOMPARE(second.sequence, 2);
    QCOMPARE(second.revision, 1);
    QCOMPARE(second.topologyHash, r->version.hash);
    QCOMPARE(second.assessment.score, 35); // the worked example, now with the catalog
    auto latest = f.store->assessment(pending->changeId, 1);
    QVERIFY(latest.ok() && latest->has_value());
    QCOMPARE((*latest)->sequence, 2);
    auto untouched = f.store->assessments(decided->changeId);
    QVERIFY(untouched.ok());
    QCOMPARE(untouched->size(), size_t(1));
    const QJsonObject last = lastEntry(*f.store);
    QCOMPARE(last.value(u"action").toString(), QStringLiteral("assessment"));
    QCOMPARE(last.value(u"change").toString(), pending->changeId);
    QCOMPARE(last.value(u"reason").toString(), QStringLiteral("topology"));
    QCOMPARE(last.value(u"payload").toObject().value(u"sequence").toInt(), 2);
    QCOMPARE(entryAt(*f.store, 1).value(u"action").toString(), QStringLiteral("topology.import"));
    auto report = f.store->verifyAudit({});
    QVERIFY(report.ok() && report->clean());
}

void TstTopologyStore::submitStoresAssessmentAndAuditStaysClean()
{
    StoreFixture f;
    f.addTeam();
    QVERIFY(f.store->importTopology(actor(QStringLiteral("lena")), costExplorer()).ok());
    auto r = submitPlan(f, QStringLiteral("recreate-environment.plan.json"));
    QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
    QVERIFY(r->assessment);
    const StoredAssessment &s = *r->assessment;
    QCOMPARE(s.sequence, 1);
    QCOMPARE(s.revision, 1);
    QCOMPARE(s.policyHash, defaultPolicyHash());
    QCOMPARE(s.assessment.score, 74);
    const QJsonObject last = lastEntry(*f.store);
    QCOMPARE(last.value(u"action").toString(), QStringLiteral("assessment"));
    QCOMPARE(last.value(u"policy_hash").toString(), QString::fromLatin1(defaultPolicyHash()));
    const QJsonObject payload = last.value(u"payload").toObject();
    QCOMPARE(payload.value(u"score").toInt(), 74);
    QCOMPARE(payload.value(u"class").toString(), QStringLiteral("critical"));
    QCOMPARE(payload.value(u"changed_term_milli").toInt(), 1875);
    QCOMPARE(payload.value(u"impact_term_milli").toInt(), 783);
    QCOMPARE(payload.value(u"flags").toArray().size(), 2);
    QCOMPARE(entryAt(*f.store, 1).value(u"action").toString(), QStringLiteral("change.submit"));
    auto stored = f.store->assessment(r->changeId, 0);
    QVERIFY(stored.ok() && stored->has_value());
    QCOMPARE((*stored)->json, s.json);
    QCOMPARE((*stored)->assessment.changedTerm, s.assessment.changedTerm);
    auto report = f.store->verifyAudit({});
    QVERIFY(report.ok());
    QVERIFY(report->clean());
}

void TstTopologyStore::workedExampleThroughTheStore_data()
{
    QTest::addColumn<QString>("plan");
    QTest::addColumn<int>("score");
    QTest::addColumn<QString>("riskClass");
    QTest::addColumn<QString>("flags");
    QTest::newRow("recreate") << QStringLiteral("recreate-environment.plan.json") << 74 << QStringLiteral("critical")
                              << QStringLiteral("DATA_LOSS,CASCADE");
    QTest::newRow("scale") << QStringLiteral("scale-api.plan.json") << 35 << QStringLiteral("medium") << QString();
    QTest::newRow("widen") << QStringLiteral("widen-role.plan.json") << 50 << QStringLiteral("high")
                           << QStringLiteral("SECURITY,CASCADE");
    QTest::newRow("destroy") << QStringLiteral("destroy-environment.plan.json") << 99 << QStringLiteral("critical")
                             << QStringLiteral("DATA_LOSS,SECURITY");
}

void TstTopologyStore::workedExampleThroughTheStore()
{
    QFETCH(QString, plan);
    QFETCH(int, score);
    QFETCH(QString, riskClass);
    QFETCH(QString, flags);
    StoreFixture f;
    f.addTeam();
    QVERIFY(f.store->importTopology(actor(QStringLiteral("lena")), costExplorer()).ok());
    auto r = submitPlan(f, plan);
    QVERIFY(r.ok() && r->assessment);
    QCOMPARE(r->assessment->assessment.score, score);
    QCOMPARE(toString(r->assessment->assessment.riskClass), riskClass);
    QCOMPARE(r->assessment->assessment.flagCodes().join(u','), flags);
}

void TstTopologyStore::massChangeCountsTheAgentsOtherChangesOnTheTarget()
{
    StoreFixture f;
    f.addTeam();
    QVERIFY(f.store->importTopology(actor(QStringLiteral("lena")), costExplorer()).ok());
    auto destroy = submitPlan(f, QStringLiteral("destroy-environment.plan.json")); // 9 deleted
    QVERIFY(destroy.ok());
    QVERIFY(!destroy->assessment->assessment.flag(QStringLiteral("MASS_CHANGE")));
    auto elsewhere = submitPlan(f, QStringLiteral("recreate-environment.plan.json"), QStringLiteral("account:prod-8"));
    QVERIFY(elsewhere.ok());
    QVERIFY(!elsewhere->assessment->assessment.flag(QStringLiteral("MASS_CHANGE")));
    auto same = submitPlan(f, QStringLiteral("recreate-environment.plan.json")); // 2 replaced
    QVERIFY(same.ok());
    const RiskFlag *mass = same->assessment->assessment.flag(QStringLiteral("MASS_CHANGE"));
    QVERIFY(mass);
    QVERIFY2(mass->evidence.first().startsWith(QStringLiteral("11 resources")), qPrintable(mass->evidence.first()));
}

void TstTopologyStore::replayReturnsTheStoredAssessment()
{
    StoreFixture f;
    f.addTeam();
    SubmitRequest request;
    request.proposal = planProposal(QStringLiteral("scale-api.plan.json"));
    request.proposal.idempotencyKey = QStringLiteral("run-1");
    auto first = f.store->submit(actor(QStringLiteral("bot")), request);
    QVERIFY(first.ok() && first->assessment);
    auto again = f.store->submit(actor(QStringLiteral("bot")), request);
    QVERIFY(again.ok());
    QVERIFY(!again->created);
    QVERIFY(again->assessment);
    QCOMPARE(again->assessment->json, first->assessment->json);
    QCOMPARE(f.sqlValue(QStringLiteral("SELECT COUNT(*) FROM assessments")).toInt(), 1);
}

void TstTopologyStore::queueShowsRiskAndDeadline()
{
    StoreFixture f;
    f.addTeam();
    QVERIFY(f.store->importTopology(actor(QStringLiteral("lena")), costExplorer()).ok());
    auto critical = submitPlan(f, QStringLiteral("recreate-environment.plan.json"));
    auto medium = submitPlan(f, QStringLiteral("scale-api.plan.json"));
    QVERIFY(critical.ok() && medium.ok());
    auto list = f.store->listChanges({});
    QVERIFY(list.ok());
    QCOMPARE(list->size(), size_t(2));
    for (const ChangeSummary &s : *list) {
        auto detail = f.store->change(s.id);
        QVERIFY(detail.ok());
        const QDateTime at = detail->revisions.back().createdAt;
        if (s.id == critical->changeId) {
            QCOMPARE(s.riskScore, 74);
            QCOMPARE(toString(*s.riskClass), QStringLiteral("critical"));
            QCOMPARE(s.riskFlags, (QStringList{QStringLiteral("DATA_LOSS"), QStringLiteral("CASCADE")}));
            QCOMPARE(s.deadline, at.addSecs(15 * 60));
        } else {
            QCOMPARE(s.riskScore, 35);
            QCOMPARE(toString(*s.riskClass), QStringLiteral("medium"));
            QVERIFY(s.riskFlags.isEmpty());
            QCOMPARE(s.deadline, at.addSecs(4 * 3600)); // production
        }
        QCOMPARE(detail->summary.riskScore, s.riskScore);
        QCOMPARE(detail->summary.deadline, s.deadline);
    }
}

QTEST_GUILESS_MAIN(TstTopologyStore)
#include "tst_topologystore.moc"
