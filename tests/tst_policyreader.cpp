#include "policy/policy.h"

#include <QFile>
#include <QTest>

using namespace hp;

namespace {

QByteArray builtinBytes()
{
    QFile f(QStringLiteral(":/holdpoint/policy/default.yaml"));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("default policy missing");
    return f.readAll();
}

// The default document with one line replaced, to provoke one error at a time.
QByteArray withLine(const QByteArray &from, const QByteArray &to)
{
    QByteArray doc = builtinBytes();
    if (!doc.contains(from))
        qFatal("line not in default policy: %s", from.constData());
    return doc.replace(from, to);
}

} // namespace

class TstPolicyReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void builtinPolicyIsTheDesignDocument();
    void firstMatchingRuleWins();
    void flagsAndEnvironmentListsAreAnyOf();
    void durations_data();
    void durations();
    void invalidDocumentsNameLineAndKey_data();
    void invalidDocumentsNameLineAndKey();
    void riskBlockOverridesEveryConstant();
    void hashIsOfTheBytes();
    void emptyReasonRequiredMeansNoReasons();
};

void TstPolicyReader::builtinPolicyIsTheDesignDocument()
{
    Result<Policy> p = PolicyReader::builtin();
    QVERIFY2(p.ok(), p.ok() ? "" : qPrintable(p.error().message));
    QCOMPARE(p->version, 1);
    QCOMPARE(p->rules.size(), size_t(4));
    QCOMPARE(p->rules[0].approvals, 2);
    QVERIFY(p->rules[0].rolesAny == QList<Role>{Role::Lead});
    QVERIFY(p->rules[0].fullReview);
    QCOMPARE(p->rules[0].slaSeconds, 15 * 60);
    QCOMPARE(p->rules[1].slaSeconds, 3600);
    QCOMPARE(p->rules[2].when.environments, QStringList{QStringLiteral("production")});
    QCOMPARE(p->rules[3].slaSeconds, 24 * 3600);
    QCOMPARE(p->expirySeconds, 72 * 3600);
    QCOMPARE(p->approvalTtlSeconds, 24 * 3600);
    QVERIFY(p->onSlaBreach == SlaBreachAction::Escalate);
    QVERIFY(!p->requireRegisteredAgents);
    QVERIFY(p->requiresReason(DecisionAction::Override));
    QVERIFY(!p->requiresReason(DecisionAction::Approve));
    QCOMPARE(p->risk.targets.size(), size_t(1));
    QCOMPARE(p->risk.targets[0].first, QStringLiteral("account:prod-*"));
    // The document states the same constants the risk model defaults to.
    const RiskConfig defaults;
    QCOMPARE(p->risk.actionReplace, defaults.actionReplace);
    QCOMPARE(p->risk.environmentOther, defaults.environmentOther);
    QCOMPARE(p->risk.environment, defaults.environment);
    QCOMPARE(p->risk.depthDecay, defaults.depthDecay);
    QCOMPARE(p->risk.thresholdCritical, defaults.thresholdCritical);
    QCOMPARE(p->risk.massChangeWindowSeconds, defaults.massChangeWindowSeconds);
    QVERIFY(p->risk.floors == defaults.floors);
}

void TstPolicyReader::firstMatchingRuleWins()
{
    Result<Policy> p = PolicyReader::builtin();
    QVERIFY(p.ok());
    const QString prod = QStringLiteral("production");
    QCOMPARE(p->ruleFor(Impact::Critical, prod, {}), &p->rules[0]);
    QCOMPARE(p->ruleFor(Impact::High, QStringLiteral("staging"), {}), &p->rules[1]);
    QCOMPARE(p->ruleFor(Impact::Low, prod, {}), &p->rules[2]);
    QCOMPARE(p->ruleFor(Impact::Medium, QStringLiteral("staging"), {}), &p->rules[3]);
}

void TstPolicyReader::flagsAndEnvironmentListsAreAnyOf()
{
    const QByteArray doc = "version: 1\n"
                           "rules:\n"
                           "  - when: {environment: [production, staging], flags: [DATA_LOSS, SECURITY]}\n"
                           "    approvals: 3\n"
                           "  - when: {class: [high, critical]}\n"
                           "    approvals: 2\n"
                           "  - when: {}\n"
                           "    approvals: 1\n";
    Result<Policy> p = PolicyReader::read(doc, QStringLiteral("p.yaml"));
    QVERIFY2(p.ok(), p.ok() ? "" : qPrintable(p.error().message));
    const QStringList security{QStringLiteral("SECURITY")};
    QCOMPARE(p->ruleFor(Impact::Low, QStringLiteral("staging"), security)->approvals, 3);
    QCOMPARE(p->ruleFor(Impact::Low, QStringLiteral("dev"), security)->approvals, 1);
    QCOMPARE(p->ruleFor(Impact::High, QStringLiteral("staging"), {})->approvals, 2);
    QCOMPARE(p->rules[0].line, 3);
    // Without a targets key no target maps to an environment.
    QVERIFY(p->risk.targets.empty());
}

void TstPolicyReader::durations_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("seconds"); // -1: refused
    QTest::newRow("minutes") << QStringLiteral("15m") << qint64(900);
    QTest::newRow("all units") << QStringLiteral("1d2h3m4s") << qint64(86400 + 7200 + 180 + 4);
    QTest::newRow("zero") << QStringLiteral("0s") << qint64(0);
    QTest::newRow("bare number") << QStringLiteral("30") << qint64(-1);
    QTest::newRow("wrong order") << QStringLiteral("5m1h") << qint64(-1);
    QTest::newRow("empty") << QString() << qint64(-1);
    QTest::newRow("spaces") << QStringLiteral("1h 5m") << qint64(-1);
    QTest::newRow("negative") << QStringLiteral("-1h") << qint64(-1);
    QTest::newRow("milliseconds") << QStringLiteral("10ms") << qint64(-1);
}

void TstPolicyReader::durations()
{
    QFETCH(QString, text);
    QFETCH(qint64, seconds);
    const std::optional<qint64> v = parsePolicyDuration(text);
    if (seconds < 0) {
        QVERIFY(!v);
    } else {
        QVERIFY(v);
        QCOMPARE(*v, seconds);
        QVERIFY(parsePolicyDuration(formatPolicyDuration(*v)) == v);
    }
}

void TstPolicyReader::invalidDocumentsNameLineAndKey_data()
{
    QTest::addColumn<QByteArray>("doc");
    QTest::addColumn<QString>("expected"); // a fragment of the message
    QTest::newRow("zero approvals") << withLine("    approvals: 2\n    sla: 1h", "    approvals: 0\n    sla: 1h")
                                    << QStringLiteral("rules[1].approvals: expected an integer from 1");
    QTest::newRow("bad duration") << withLine("sla: 15m", "sla: 15 minutes")
                                  << QStringLiteral("rules[0].sla: expected a duration");
    QTest::newRow("unknown key") << withLine("full_review: true", "full_reviews: true")
                                 << QStringLiteral("rules[0].full_reviews: unknown key");
    QTest::newRow("unknown class") << withLine("{class: high}", "{class: severe}")
                                   << QStringLiteral("rules[1].when.class: expected a class");
    QTest::newRow("auditor cannot approve") << withLine("roles_any: [lead]", "roles_any: [auditor]")
                                            << QStringLiteral("auditor cannot approve");
    QTest::newRow("thresholds fall") << withLine("medium: 20", "medium: 50")
                                     << QStringLiteral("thresholds must rise");
    QTest::newRow("unknown flag") << withLine("    DATA_LOSS:", "    DATA_LOST:")
                                  << QStringLiteral("risk.floors.DATA_LOST: unknown flag");
    QTest::newRow("duplicate key") << withLine("expiry: 72h", "expiry: 72h\nexpiry: 1h")
                                   << QStringLiteral("duplicate");
    QTest::newRow("alias") << QByteArray("version: 1\nrules:\n  - &r {when: {}, approvals: 1}\n  - *r\n")
                           << QStringLiteral("anchors are refused");
    QTest::newRow("no rules") << QByteArray("version: 1\nrules: []\n") << QStringLiteral("non-empty list of rules");
    QTest::newRow("version 2") << QByteArray("version: 2\nrules: [{when: {}, approvals: 1}]\n")
                               << QStringLiteral("version: expected an integer from 1 to 1");
    QTest::newRow("missing approvals") << QByteArray("version: 1\nrules: [{when: {}}]\n")
                                       << QStringLiteral("rules[0].approvals: missing required key");
    QTest::newRow("not a mapping") << QByteArray("- 1\n- 2\n") << QStringLiteral("expected a mapping");
    QTest::newRow("two documents") << QByteArray("version: 1\n---\nversion: 1\n")
                                   << QStringLiteral("exactly one YAML document");
    QTest::newRow("invalid utf-8") << QByteArray("version: 1\nrules: [{when: {}, approvals: 1}]\n# \xff\n")
                                   << QStringLiteral("UTF-8");
    QTest::newRow("decay above one") << withLine("depth_decay: 0.6", "depth_decay: 1.5")
                                     << QStringLiteral("risk.depth_decay: expected a number");
    QTest::newRow("string for bool") << withLine("require_registered_agents: false", "require_registered_agents: \"no\"")
                                     << QStringLiteral("expected true or false");
}

void TstPolicyReader::invalidDocumentsNameLineAndKey()
{
    QFETCH(QByteArray, doc);
    QFETCH(QString, expected);
    Result<Policy> p = PolicyReader::read(doc, QStringLiteral("team.yaml"));
    QVERIFY(!p.ok());
    QCOMPARE(p.error().code, ExitCode::Usage);
    QVERIFY2(p.error().message.startsWith(QStringLiteral("team.yaml:")), qPrintable(p.error().message));
    QVERIFY2(p.error().message.contains(expected), qPrintable(p.error().message));
}

void TstPolicyReader::riskBlockOverridesEveryConstant()
{
    const QByteArray doc = "version: 1\n"
                           "targets: {\"cluster:prod-*\": production, \"account:stg-*\": staging}\n"
                           "risk:\n"
                           "  action: {delete: 2, replace: 1.5, update: 0.5, create: 0.2, forget: 0.3}\n"
                           "  environment: {production: 2, qa: 0.3, other: 0.05}\n"
                           "  tier: {1: 3, 2: 2, 3: 1}\n"
                           "  customer_facing: 2\n"
                           "  depth_decay: 0.5\n"
                           "  impact_factor: 0.25\n"
                           "  divisor: 4\n"
                           "  thresholds: {medium: 10, high: 30, critical: 60}\n"
                           "  mass_change: {count: 5, window: 1d}\n"
                           "  floors: {SECURITY: {other: critical}}\n"
                           "rules: [{when: {}, approvals: 1}]\n";
    Result<Policy> p = PolicyReader::read(doc, QStringLiteral("p.yaml"));
    QVERIFY2(p.ok(), p.ok() ? "" : qPrintable(p.error().message));
    const RiskConfig &r = p->risk;
    QCOMPARE(r.actionDelete, 2.0);
    QCOMPARE(r.actionForget, 0.3);
    QCOMPARE(r.environmentWeight(QStringLiteral("qa")), 0.3);
    QCOMPARE(r.environmentWeight(QStringLiteral("staging")), 0.05); // not listed any more: other
    QCOMPARE(r.tierWeight(2, true), 4.0);
    QCOMPARE(r.depthDecay, 0.5);
    QCOMPARE(r.impactFactor, 0.25);
    QCOMPARE(r.divisor, 4.0);
    QVERIFY(r.classOf(59) == Impact::High);
    QVERIFY(r.classOf(60) == Impact::Critical);
    QCOMPARE(r.massChangeCount, 5);
    QCOMPARE(r.massChangeWindowSeconds, 86400);
    QVERIFY(r.floorOf(QStringLiteral("SECURITY"), QStringLiteral("staging")) == std::optional<Impact>(Impact::Critical));
    QVERIFY(!r.floorOf(QStringLiteral("DATA_LOSS"), QStringLiteral("production")));
    QCOMPARE(r.targets.size(), size_t(2));
    QCOMPARE(r.targets[1].second, QStringLiteral("staging"));
}

void TstPolicyReader::hashIsOfTheBytes()
{
    const QByteArray a = "version: 1\nrules: [{when: {}, approvals: 1}]\n";
    const QByteArray b = "version: 1\nrules: [{when: {}, approvals: 1}]  # same rules\n";
    Result<Policy> pa = PolicyReader::read(a, QStringLiteral("a"));
    Result<Policy> pb = PolicyReader::read(b, QStringLiteral("b"));
    QVERIFY(pa.ok() && pb.ok());
    QCOMPARE(pa->hash.size(), 64);
    QVERIFY(pa->hash != pb->hash);
    QCOMPARE(pa->source, a);
}

QTEST_GUILESS_MAIN(TstPolicyReader)
#include "tst_policyreader.moc"

void TstPolicyReader::emptyReasonRequiredMeansNoReasons()
{
    Result<Policy> p = PolicyReader::read(withLine("reason_required: [reject, escalate, override]",
                                                   "reason_required: []"),
                                          QStringLiteral("p.yaml"));
    QVERIFY2(p.ok(), p.ok() ? "" : qPrintable(p.error().message));
    QVERIFY(p->reasonRequired.isEmpty());
    QVERIFY(!p->requiresReason(DecisionAction::Reject));
    // A rule's match list still may not be empty: `{class: []}` matches nothing.
    Result<Policy> bad = PolicyReader::read("version: 1\nrules:\n  - when: {class: []}\n    approvals: 1\n",
                                            QStringLiteral("q.yaml"));
    QVERIFY(!bad.ok());
    QVERIFY2(bad.error().message.contains(QStringLiteral("empty list")), qPrintable(bad.error().message));
}
