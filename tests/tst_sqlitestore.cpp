#include "storefixture.h"

#include "domain/ulid.h"
#include "intake/contenthash.h"
#include "storage/migrations.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <sys/stat.h>

using namespace hp;
using namespace hp::testing;


namespace {

int fileMode(const QString &path)
{
    struct stat st
    {
    };
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return -1;
    return static_cast<int>(st.st_mode & 07777);
}

} // namespace

class TestSqliteStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void createWritesSchemaMetaAndAdmin();
    void createMakesAPrivateFile();
    void createRefusesAnExistingFile();
    void openMissingStoreSaysHowToCreateOne();
    void openRefusesANewerSchema();
    void reopenedStoreKeepsItsIdentity();
    void defaultLocationHonoursHoldpointDb();
    void submitRoundTripsEveryField();
    void unregisteredSubmitterIsItsOwnOperator();
    void operatorMismatchIsRefused();
    void adminsAndAuditorsCannotSubmit();
    void idempotentReplayWritesNothing();
    void idempotencyKeyWithOtherContentIsAMismatch();
    void revisionInheritsAndOutdatesApprovals();
    void revisionNeedsAContributor();
    void decisionFlowApprovesWithACountedReview();
    void deniedDecisionIsAuditedAndStoresNothing();
    void decisionOnOlderRevisionIsAMismatch();
    void withdrawOwnRejectReopensAndIsAudited();
    void agentWithdrawsItsChange();
    void listFiltersOnRecomputedVerdicts();
    void checksAreAudited();
    void otherInstanceSeesDataVersionChange();
    void workflowLeavesACleanTrail();
};

void TestSqliteStore::createWritesSchemaMetaAndAdmin()
{
    StoreFixture f;
    const StoreInfo info = f.store->info();
    QCOMPARE(info.backend, QStringLiteral("sqlite"));
    QCOMPARE(info.schemaVersion, migrations::latestVersion());
    QVERIFY(Ulid::isValid(info.storeId));
    QVERIFY(!info.demo);
    QCOMPARE(f.sqlValue(QStringLiteral("SELECT max(version) FROM schema_version")).toInt(), migrations::latestVersion());
    QCOMPARE(f.sqlValue(QStringLiteral("SELECT store_id FROM meta")).toString(), info.storeId);
    QCOMPARE(f.sqlValue(QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
    auto admin = f.store->principal(QStringLiteral("adam"));
    QVERIFY(admin.ok());
    QVERIFY(admin->roles.holds(Role::Admin));
    auto entries = f.store->auditEntries(0, 0);
    QVERIFY(entries.ok());
    QCOMPARE(entries->size(), size_t(2));
    const QJsonObject first = QJsonDocument::fromJson(entries->at(0).entry).object();
    QCOMPARE(first.value(u"action").toString(), QStringLiteral("store.create"));
    QCOMPARE(first.value(u"principal").toString(), QStringLiteral("root"));
    const QJsonObject second = QJsonDocument::fromJson(entries->at(1).entry).object();
    QCOMPARE(second.value(u"action").toString(), QStringLiteral("role.grant"));
    QCOMPARE(second.value(u"payload").toObject().value(u"login").toString(),
             QStringLiteral("adam"));
}

void TestSqliteStore::createMakesAPrivateFile()
{
    StoreFixture f;
    QCOMPARE(fileMode(f.path), 0600);
    f.addTeam(); // a write through WAL creates -wal and -shm
    QCOMPARE(fileMode(f.path + QStringLiteral("-wal")), 0600);
}

void TestSqliteStore::createRefusesAnExistingFile()
{
    StoreFixture f;
    CreateOptions options;
    options.adminLogin = QStringLiteral("eve");
    auto again = createStore(f.path, options, actor(QStringLiteral("eve")));
    QVERIFY(!again.ok());
    QCOMPARE(again.error().reason, QStringLiteral("exists"));
    QVERIFY(f.store->principal(QStringLiteral("adam"))->roles.holds(Role::Admin));
}

void TestSqliteStore::openMissingStoreSaysHowToCreateOne()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("none.db"));
    auto opened = openStore(path);
    QVERIFY(!opened.ok());
    QVERIFY(opened.error().code == ExitCode::StoreProblem);
    QVERIFY(opened.error().message.contains(QStringLiteral("holdpointctl init --admin LOGIN")));
    QVERIFY(opened.error().message.contains(QStringLiteral("holdpointctl demo --db PATH")));
    QVERIFY(opened.error().message.contains(path));
    QVERIFY(!QFile::exists(path)); // opening never creates
}

void TestSqliteStore::openRefusesANewerSchema()
{
    StoreFixture f;
    QVERIFY(f.sql(
        QStringLiteral("INSERT INTO schema_version (version, applied_at) VALUES (99, 'later')")));
    auto opened = openStore(f.path);
    QVERIFY(!opened.ok());
    QCOMPARE(opened.error().reason, QStringLiteral("schema_too_new"));
    QVERIFY(opened.error().message.contains(QStringLiteral("99")));
}

void TestSqliteStore::reopenedStoreKeepsItsIdentity()
{
    StoreFixture f;
    const QString id = f.store->info().storeId;
    f.store.reset();
    auto opened = openStore(f.path);
    QVERIFY2(opened.ok(), opened.ok() ? "" : qPrintable(opened.error().message));
    QCOMPARE((*opened)->info().storeId, id);
}

void TestSqliteStore::defaultLocationHonoursHoldpointDb()
{
    const QByteArray saved = qgetenv("HOLDPOINT_DB");
    qputenv("HOLDPOINT_DB", "/tmp/elsewhere/hp.db");
    QCOMPARE(defaultStoreLocation(), QStringLiteral("/tmp/elsewhere/hp.db"));
    qunsetenv("HOLDPOINT_DB");
    QVERIFY(defaultStoreLocation().endsWith(QStringLiteral("/holdpoint.db")));
    if (!saved.isEmpty())
        qputenv("HOLDPOINT_DB", saved);
}

void TestSqliteStore::submitRoundTripsEveryField()
{
    StoreFixture f;
    f.addTeam();
    SubmitRequest request;
    request.proposal =
        proposal(QStringLiteral("Rotate the password"), QByteArrayLiteral("+raw \x00\xff bytes\n"));
    request.proposal.declaredImpact = Impact::High;
    request.proposal.agentVersion = QStringLiteral("1.2.3");
    request.proposal.agentRunId = QStringLiteral("run-7");
    request.proposal.operatorLogin = QStringLiteral("olga");
    request.proposal.artifacts.push_back(
        artifact(ArtifactKind::FilePair, QStringLiteral("etc/app.conf"),
                 {QByteArray(), QByteArrayLiteral("port = 8080\r\n")}));
    auto submitted = f.store->submit(actor(QStringLiteral("bot")), request);
    QVERIFY2(submitted.ok(), submitted.ok() ? "" : qPrintable(submitted.error().message));
    QVERIFY(submitted->created);
    QVERIFY(!submitted->unregisteredAgent);
    QVERIFY(Ulid::isValid(submitted->changeId));
    COMPARE_NAME(submitted->verdict.status, ChangeStatus::Pending);
    // Unparseable bytes are UNASSESSED and the declared impact is high: the
    // policy's high rule asks for two approvals.
    QCOMPARE(submitted->verdict.needs, QStringLiteral("needs 2 approvals"));

    std::vector<Artifact> expected = request.proposal.artifacts;
    hashArtifacts(expected);
    const RevisionMeta meta{ChangeKind::Infra, QStringLiteral("prod"),
                            QStringLiteral("aws:123456789012/eu-west-1")};
    QCOMPARE(submitted->contentHash, contentHash(meta, expected));

    auto detail = f.store->change(submitted->changeId);
    QVERIFY(detail.ok());
    QCOMPARE(detail->summary.title, QStringLiteral("Rotate the password"));
    QCOMPARE(detail->summary.agentPrincipal, QStringLiteral("bot"));
    QCOMPARE(detail->summary.agentName, QStringLiteral("infra-bot"));
    QCOMPARE(detail->summary.operatorLogin, QStringLiteral("olga"));
    QCOMPARE(detail->summary.environment, QStringLiteral("prod"));
    QVERIFY(detail->summary.declaredImpact == Impact::High);
    QCOMPARE(detail->agentVersion, QStringLiteral("1.2.3"));
    QCOMPARE(detail->agentRunId, QStringLiteral("run-7"));
    QCOMPARE(detail->intent, QStringLiteral("rotate the database password"));
    QCOMPARE(detail->contributors, (QStringList{QStringLiteral("bot"), QStringLiteral("olga")}));
    QCOMPARE(detail->revisions.size(), size_t(1));
    QCOMPARE(detail->revisions[0].artifacts.size(), size_t(2));
    QCOMPARE(detail->revisions[0].artifacts[1].parts, 2);
    QCOMPARE(detail->revisions[0].artifacts[1].sha256, expected[1].sha256);

    auto raw = f.store->artifact(submitted->changeId, 1, 0);
    QVERIFY(raw.ok());
    QCOMPARE(raw->content(), request.proposal.artifacts[0].content());
    auto pair = f.store->artifact(submitted->changeId, 0, 1);
    QCOMPARE(pair->parts.size(), size_t(2));
    QVERIFY(pair->parts[0].isEmpty());
    QCOMPARE(pair->parts[1], QByteArrayLiteral("port = 8080\r\n"));
    QVERIFY(f.store->artifact(submitted->changeId, 1, 5).error().code == ExitCode::NotFound);
    QVERIFY(f.store->change(QStringLiteral("01J00000000000000000000000")).error().code ==
            ExitCode::NotFound);

    // The submission, then the assessment of the new revision.
    QCOMPARE(lastEntry(*f.store).value(u"action").toString(), QStringLiteral("assessment"));
    const QJsonObject entry = lastEntryOf(*f.store, QStringLiteral("change.submit"));
    QCOMPARE(entry.value(u"action").toString(), QStringLiteral("change.submit"));
    QCOMPARE(entry.value(u"principal_kind").toString(), QStringLiteral("agent"));
    QCOMPARE(entry.value(u"content_hash").toString(),
             QString::fromLatin1(submitted->contentHash.toHex()));
    QCOMPARE(entry.value(u"status_after").toString(), QStringLiteral("pending"));
}

void TestSqliteStore::unregisteredSubmitterIsItsOwnOperator()
{
    StoreFixture f;
    f.addTeam();
    SubmitRequest request;
    request.proposal = proposal(QStringLiteral("Scale the workers"), QByteArrayLiteral("x"));
    auto submitted = f.store->submit(actor(QStringLiteral("rogue")), request);
    QVERIFY(submitted.ok());
    QVERIFY(submitted->unregisteredAgent);
    auto detail = f.store->change(submitted->changeId);
    QVERIFY(detail->unregisteredAgent);
    QCOMPARE(detail->summary.operatorLogin, QStringLiteral("rogue"));
}

void TestSqliteStore::operatorMismatchIsRefused()
{
    StoreFixture f;
    f.addTeam();
    SubmitRequest request;
    request.proposal = proposal(QStringLiteral("t"), QByteArrayLiteral("x"));
    request.proposal.operatorLogin = QStringLiteral("rita");
    auto registered = f.store->submit(actor(QStringLiteral("bot")), request);
    QVERIFY(registered.error().code == ExitCode::Mismatch);
    QCOMPARE(registered.error().reason, QStringLiteral("operator_mismatch"));
    auto unregistered = f.store->submit(actor(QStringLiteral("rogue")), request);
    QCOMPARE(unregistered.error().reason, QStringLiteral("operator_mismatch"));
    QCOMPARE(lastEntry(*f.store).value(u"outcome").toString(), QStringLiteral("denied"));
    QVERIFY(f.store->listChanges({})->empty());
}

void TestSqliteStore::adminsAndAuditorsCannotSubmit()
{
    StoreFixture f;
    f.addTeam();
    SubmitRequest request;
    request.proposal = proposal(QStringLiteral("t"), QByteArrayLiteral("x"));
    QVERIFY(f.store->submit(actor(QStringLiteral("adam")), request).error().code ==
            ExitCode::Denied);
    QVERIFY(f.store->submit(actor(QStringLiteral("aria")), request).error().code ==
            ExitCode::Denied);
    request.proposal.title.reset();
    QVERIFY(f.store->submit(actor(QStringLiteral("bot")), request).error().code == ExitCode::Usage);
    request.proposal.title = QStringLiteral("t");
    request.proposal.artifacts.clear();
    QVERIFY(f.store->submit(actor(QStringLiteral("bot")), request).error().code == ExitCode::Usage);
    QVERIFY(f.store->listChanges({})->empty());
}

void TestSqliteStore::idempotentReplayWritesNothing()
{
    StoreFixture f;
    f.addTeam();
    SubmitRequest request;
    request.proposal = proposal(QStringLiteral("t"), QByteArrayLiteral("x"));
    request.proposal.idempotencyKey = QStringLiteral("run-42");
    auto first = f.store->submit(actor(QStringLiteral("bot")), request);
    QVERIFY(first.ok());
    const size_t entries = f.store->auditEntries(0, 0)->size();
    auto again = f.store->submit(actor(QStringLiteral("bot")), request);
    QVERIFY(again.ok());
    QVERIFY(!again->created);
    QCOMPARE(again->changeId, first->changeId);
    QCOMPARE(again->contentHash, first->contentHash);
    QCOMPARE(f.store->auditEntries(0, 0)->size(), entries);
    QCOMPARE(f.store->listChanges({})->size(), size_t(1));
    // The key belongs to its submitter: another agent may use the same one.
    auto other = f.store->submit(actor(QStringLiteral("rogue")), request);
    QVERIFY(other.ok());
    QVERIFY(other->created);
}

void TestSqliteStore::idempotencyKeyWithOtherContentIsAMismatch()
{
    StoreFixture f;
    f.addTeam();
    SubmitRequest request;
    request.proposal = proposal(QStringLiteral("t"), QByteArrayLiteral("x"));
    request.proposal.idempotencyKey = QStringLiteral("run-42");
    QVERIFY(f.store->submit(actor(QStringLiteral("bot")), request).ok());
    request.proposal.artifacts[0].parts[0] = QByteArrayLiteral("y");
    auto clash = f.store->submit(actor(QStringLiteral("bot")), request);
    QVERIFY(clash.error().code == ExitCode::Mismatch);
    QCOMPARE(clash.error().reason, QStringLiteral("idempotency_mismatch"));
    QCOMPARE(f.store->listChanges({})->size(), size_t(1));
}

void TestSqliteStore::revisionInheritsAndOutdatesApprovals()
{
    StoreFixture f;
    f.addTeam();
    const QString id = f.submitAsBot();
    QVERIFY(f.store
                ->decide(actor(QStringLiteral("rita")),
                         {id, DecisionAction::Escalate, QStringLiteral("prod db"), 0})
                .ok());
    QVERIFY(f.store->decide(actor(QStringLiteral("rex")), {id, DecisionAction::Approve, {}, 0})
                ->counts);
    SubmitRequest revise;
    revise.reviseId = id;
    revise.proposal.artifacts.push_back(
        artifact(ArtifactKind::UnifiedDiff, QStringLiteral("fix.patch"), {"v2"}));
    auto submitted = f.store->submit(actor(QStringLiteral("olga")), revise);
    QVERIFY2(submitted.ok(), submitted.ok() ? "" : qPrintable(submitted.error().message));
    QCOMPARE(submitted->revision, 2);
    auto detail = f.store->change(id);
    QCOMPARE(detail->revisions[1].title, QStringLiteral("Rotate the password"));
    QCOMPARE(detail->revisions[1].meta.environment, QStringLiteral("prod"));
    QCOMPARE(detail->revisions[1].submitter, QStringLiteral("olga"));
    COMPARE_NAME(detail->decisions[1].uncounted, UncountedReason::Outdated);
    QCOMPARE(detail->summary.verdict.needs, QStringLiteral("needs 1 approval, from a lead"));
    QCOMPARE(lastEntryOf(*f.store, QStringLiteral("change.revise")).value(u"revision").toInt(), 2);
    QCOMPARE(lastEntry(*f.store).value(u"action").toString(), QStringLiteral("assessment"));
}

void TestSqliteStore::revisionNeedsAContributor()
{
    StoreFixture f;
    f.addTeam();
    const QString id = f.submitAsBot();
    SubmitRequest revise;
    revise.reviseId = id;
    revise.proposal.artifacts.push_back(
        artifact(ArtifactKind::Command, QStringLiteral("run.sh"), {"echo"}));
    auto stranger = f.store->submit(actor(QStringLiteral("rex")), revise);
    QCOMPARE(stranger.error().reason, QStringLiteral("not_contributor"));
    revise.reviseId = QStringLiteral("01J00000000000000000000000");
    QVERIFY(f.store->submit(actor(QStringLiteral("bot")), revise).error().code ==
            ExitCode::NotFound);
    revise.reviseId = id;
    QVERIFY(
        f.store->decide(actor(QStringLiteral("rita")), {id, DecisionAction::Approve, {}, 0}).ok());
    QCOMPARE(f.store->submit(actor(QStringLiteral("bot")), revise).error().reason,
             QStringLiteral("not_revisable"));
}

void TestSqliteStore::decisionFlowApprovesWithACountedReview()
{
    StoreFixture f;
    f.addTeam();
    const QString id = f.submitAsBot();
    auto byOperator = f.store->decide(actor(QStringLiteral("olga")),
                                      {id, DecisionAction::Comment, QStringLiteral("ok"), 0});
    QVERIFY(byOperator.ok());
    QVERIFY(
        f.store->grant(actor(QStringLiteral("adam")), QStringLiteral("olga"), Role::Reviewer).ok());
    auto operatorApproval =
        f.store->decide(actor(QStringLiteral("olga")), {id, DecisionAction::Approve, {}, 0});
    QVERIFY(operatorApproval.ok());
    QVERIFY(!operatorApproval->counts);
    COMPARE_NAME(operatorApproval->uncounted, UncountedReason::Contributor);
    COMPARE_NAME(operatorApproval->verdict.status, ChangeStatus::Pending);
    QCOMPARE(lastEntry(*f.store).value(u"payload").toObject().value(u"counts").toBool(), false);

    auto approval =
        f.store->decide(actor(QStringLiteral("rita")), {id, DecisionAction::Approve, {}, 1});
    QVERIFY(approval.ok());
    QVERIFY(approval->counts);
    COMPARE_NAME(approval->before, ChangeStatus::Pending);
    COMPARE_NAME(approval->verdict.status, ChangeStatus::Approved);
    const QJsonObject entry = lastEntry(*f.store);
    QCOMPARE(entry.value(u"action").toString(), QStringLiteral("decision.approve"));
    QCOMPARE(entry.value(u"status_before").toString(), QStringLiteral("pending"));
    QCOMPARE(entry.value(u"status_after").toString(), QStringLiteral("approved"));
    QCOMPARE(entry.value(u"roles").toArray(), QJsonArray{QStringLiteral("reviewer")});
    QCOMPARE(entry.value(u"payload").toObject().value(u"decision_id").toInteger(),
             approval->decisionId);
    QCOMPARE(f.sqlValue(QStringLiteral("SELECT status FROM changes WHERE id = ?"), {id}).toString(),
             QStringLiteral("approved"));
    auto detail = f.store->change(id);
    QCOMPARE(detail->decisions.size(), size_t(3));
    QCOMPARE(detail->decisions[2].roles.names(), QStringList{QStringLiteral("reviewer")});
}

void TestSqliteStore::deniedDecisionIsAuditedAndStoresNothing()
{
    StoreFixture f;
    f.addTeam();
    const QString id = f.submitAsBot();
    auto denied =
        f.store->decide(actor(QStringLiteral("aria")), {id, DecisionAction::Approve, {}, 0});
    QVERIFY(!denied.ok());
    QVERIFY(denied.error().code == ExitCode::Denied);
    const QJsonObject entry = lastEntry(*f.store);
    QCOMPARE(entry.value(u"action").toString(), QStringLiteral("decision.approve"));
    QCOMPARE(entry.value(u"outcome").toString(), QStringLiteral("denied"));
    QCOMPARE(entry.value(u"reason_code").toString(), QStringLiteral("missing_role"));
    QCOMPARE(entry.value(u"change").toString(), id);
    QCOMPARE(entry.value(u"roles").toArray(), QJsonArray{QStringLiteral("auditor")});
    QCOMPARE(f.sqlValue(QStringLiteral("SELECT count(*) FROM decisions")).toInt(), 0);
    auto admin = f.store->decide(actor(QStringLiteral("adam")),
                                 {id, DecisionAction::Reject, QStringLiteral("no"), 0});
    QCOMPARE(admin.error().reason, QStringLiteral("admin"));
    QCOMPARE(lastEntry(*f.store).value(u"reason_code").toString(), QStringLiteral("admin"));
}

void TestSqliteStore::decisionOnOlderRevisionIsAMismatch()
{
    StoreFixture f;
    f.addTeam();
    const QString id = f.submitAsBot();
    SubmitRequest revise;
    revise.reviseId = id;
    revise.proposal.artifacts.push_back(
        artifact(ArtifactKind::UnifiedDiff, QStringLiteral("fix.patch"), {"v2"}));
    QVERIFY(f.store->submit(actor(QStringLiteral("bot")), revise).ok());
    auto old = f.store->decide(actor(QStringLiteral("rita")), {id, DecisionAction::Approve, {}, 1});
    QVERIFY(old.error().code == ExitCode::Mismatch);
    QCOMPARE(old.error().reason, QStringLiteral("outdated_revision"));
    QVERIFY(
        f.store->decide(actor(QStringLiteral("rita")), {id, DecisionAction::Approve, {}, 2}).ok());
}

void TestSqliteStore::withdrawOwnRejectReopensAndIsAudited()
{
    StoreFixture f;
    f.addTeam();
    const QString id = f.submitAsBot();
    auto reject = f.store->decide(actor(QStringLiteral("rita")),
                                  {id, DecisionAction::Reject, QStringLiteral("no"), 0});
    COMPARE_NAME(reject->verdict.status, ChangeStatus::Rejected);
    auto withdraw =
        f.store->decide(actor(QStringLiteral("rita")), {id, DecisionAction::Withdraw, {}, 0});
    QVERIFY(withdraw.ok());
    COMPARE_NAME(withdraw->verdict.status, ChangeStatus::Pending);
    const QJsonObject entry = lastEntry(*f.store);
    QCOMPARE(entry.value(u"action").toString(), QStringLiteral("change.reopen"));
    QCOMPARE(entry.value(u"status_before").toString(), QStringLiteral("rejected"));
    auto detail = f.store->change(id);
    QCOMPARE(detail->events.size(), size_t(1));
    COMPARE_NAME(detail->events[0].kind, ChangeEventKind::Reopened);
}

void TestSqliteStore::agentWithdrawsItsChange()
{
    StoreFixture f;
    f.addTeam();
    const QString id = f.submitAsBot();
    auto stranger = f.store->withdrawChange(actor(QStringLiteral("rex")), id, {});
    QVERIFY(stranger.error().code == ExitCode::Denied);
    auto withdrawn =
        f.store->withdrawChange(actor(QStringLiteral("bot")), id, QStringLiteral("superseded"));
    QVERIFY(withdrawn.ok());
    COMPARE_NAME(withdrawn->status, ChangeStatus::Withdrawn);
    QCOMPARE(lastEntry(*f.store).value(u"action").toString(), QStringLiteral("change.withdraw"));
    QCOMPARE(f.store->withdrawChange(actor(QStringLiteral("bot")), id, {}).error().reason,
             QStringLiteral("not_withdrawable"));
    COMPARE_NAME(f.store->change(id)->summary.verdict.status, ChangeStatus::Withdrawn);
}

void TestSqliteStore::listFiltersOnRecomputedVerdicts()
{
    StoreFixture f;
    f.addTeam();
    const QString a = f.submitAsBot("a");
    const QString b = f.submitAsBot("b");
    const QString c = f.submitAsBot("c");
    QVERIFY(
        f.store->decide(actor(QStringLiteral("rita")), {b, DecisionAction::Approve, {}, 0}).ok());
    QVERIFY(f.store
                ->decide(actor(QStringLiteral("rita")),
                         {c, DecisionAction::Reject, QStringLiteral("no"), 0})
                .ok());
    // A forged cache never decides what a list shows.
    QVERIFY(f.sql(QStringLiteral("UPDATE changes SET status = 'approved' WHERE id = ?"), {a}));
    ListFilter pending;
    pending.pendingOnly = true;
    auto list = f.store->listChanges(pending);
    QCOMPARE(list->size(), size_t(1));
    QCOMPARE(list->front().id, a);
    ListFilter approved;
    approved.status = ChangeStatus::Approved;
    QCOMPARE(f.store->listChanges(approved)->front().id, b);
    auto all = f.store->listChanges({});
    QCOMPARE(all->size(), size_t(3));
    QCOMPARE(all->front().id, c); // newest first
    ListFilter one;
    one.limit = 1;
    QCOMPARE(f.store->listChanges(one)->size(), size_t(1));
}

void TestSqliteStore::checksAreAudited()
{
    StoreFixture f;
    f.addTeam();
    const QString id = f.submitAsBot();
    QVERIFY(f.store
                ->recordCheck(actor(QStringLiteral("exec")), id, 0, false,
                              QStringLiteral("not_approved"), QStringLiteral("change is pending"))
                .ok());
    const QJsonObject entry = lastEntry(*f.store);
    QCOMPARE(entry.value(u"action").toString(), QStringLiteral("check"));
    QCOMPARE(entry.value(u"reason_code").toString(), QStringLiteral("not_approved"));
    QCOMPARE(entry.value(u"payload").toObject().value(u"passed").toBool(), false);
    QCOMPARE(f.sqlValue(QStringLiteral("SELECT count(*) FROM checks")).toInt(), 1);
    QVERIFY(
        f.store->recordCheck(actor(QStringLiteral("exec")), QStringLiteral("nope"), 0, true, {}, {})
            .error()
            .code == ExitCode::NotFound);
    QVERIFY(f.store
                ->recordDenied(
                    actor(QStringLiteral("exec")), QStringLiteral("check"), id,
                    makeError(ExitCode::Denied, QStringLiteral("consumed"), QStringLiteral("used")))
                .ok());
    QCOMPARE(lastEntry(*f.store).value(u"outcome").toString(), QStringLiteral("denied"));
    QCOMPARE(lastEntry(*f.store).value(u"revision").toInt(), 1);
}

void TestSqliteStore::otherInstanceSeesDataVersionChange()
{
    StoreFixture f;
    auto other = openStore(f.path);
    QVERIFY(other.ok());
    const qint64 seenByOther = (*other)->dataVersion();
    const qint64 seenByWriter = f.store->dataVersion();
    QVERIFY(f.store
                ->addUser(actor(QStringLiteral("adam")), QStringLiteral("rita"),
                          RoleSet::of({Role::Reviewer}))
                .ok());
    QVERIFY((*other)->dataVersion() != seenByOther);
    QVERIFY(f.store->dataVersion() != seenByWriter);
    QVERIFY((*other)->principal(QStringLiteral("rita"))->roles.has(Role::Reviewer));
    const qint64 idle = (*other)->dataVersion();
    QCOMPARE((*other)->dataVersion(), idle);
}

void TestSqliteStore::workflowLeavesACleanTrail()
{
    StoreFixture f;
    f.addTeam();
    const QString id = f.submitAsBot();
    QVERIFY(
        !f.store->decide(actor(QStringLiteral("aria")), {id, DecisionAction::Approve, {}, 0}).ok());
    QVERIFY(f.store
                ->decide(actor(QStringLiteral("rita")),
                         {id, DecisionAction::Reject, QStringLiteral("no"), 0})
                .ok());
    QVERIFY(f.store
                ->decide(actor(QStringLiteral("lena")),
                         {id, DecisionAction::Override, QStringLiteral("fine"), 0})
                .ok());
    QVERIFY(
        f.store->decide(actor(QStringLiteral("rex")), {id, DecisionAction::Approve, {}, 0}).ok());
    qint64 lastDone = 0;
    auto report = f.store->verifyAudit([&](qint64 done, qint64 total) {
        lastDone = done;
        return done <= total;
    });
    QVERIFY(report.ok());
    for (const AuditProblem &p : report->problems)
        qWarning("%lld %s %s", p.seq, qPrintable(toString(p.kind)), qPrintable(p.detail));
    QVERIFY(report->clean());
    QCOMPARE(report->entries, qint64(f.store->auditEntries(0, 0)->size()));
    QCOMPARE(report->headHash, f.store->auditEntries(0, 0)->back().hash);
    QVERIFY(lastDone > 0);
    auto cancelled = f.store->verifyAudit([](qint64, qint64) { return false; });
    QCOMPARE(cancelled.error().reason, QStringLiteral("cancelled"));
}

QTEST_GUILESS_MAIN(TestSqliteStore)
#include "tst_sqlitestore.moc"
