#include "plan/cascade.h"
#include "plantestsupport.h"

#include <QTest>

using namespace hp;
using namespace hp::plantest;
using namespace Qt::Literals::StringLiterals;

namespace {

// "upstream.attr (action) -> dependent.attr (action)" per link.
QStringList links(const QString &file)
{
    QStringList out;
    for (const CascadeLink &l : findCascades(load(file))) {
        out << u"%1.%2 (%3) -> %4.%5 (%6)"_s.arg(l.upstreamAddress, l.upstreamAttribute, toString(l.upstreamAction),
                                                  l.dependentAddress, l.dependentAttribute, toString(l.dependentAction));
    }
    return out;
}

} // namespace

class TestPlanCascade : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cascadesAreFoundWithBothEnds_data();
    void cascadesAreFoundWithBothEnds();
    void linkCarriesTheReferenceAndReadsForPeople();
    void knownReferencesDoNotCascade();
};

void TestPlanCascade::cascadesAreFoundWithBothEnds_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("small-replace")
        << u"replace.plan.json"_s
        << QStringList{u"terraform_data.database.id (replace) -> terraform_data.api_service.input.db_endpoint (update)"_s};
    QTest::newRow("replace-and-delete")
        << u"replace-and-delete.plan.json"_s
        << QStringList{u"terraform_data.database.id (replace) -> terraform_data.api_service.input.db_endpoint (update)"_s};
    QTest::newRow("recreate-environment")
        << u"recreate-environment.plan.json"_s
        << QStringList{u"terraform_data.report_cache.id (replace) -> terraform_data.api_service.input.cache (update)"_s,
                       u"terraform_data.billing_db.id (replace) -> terraform_data.api_service.input.db (update)"_s,
                       u"terraform_data.billing_db.id (replace) -> terraform_data.ingest_worker.input.db (update)"_s};
    QTest::newRow("widen-role")
        << u"widen-role.plan.json"_s
        << QStringList{u"terraform_data.service_role.output.name (update) -> terraform_data.api_service.input.role (update)"_s,
                       u"terraform_data.service_role.output.name (update) -> terraform_data.ingest_worker.input.role (update)"_s};
    QTest::newRow("scale-api") << u"scale-api.plan.json"_s << QStringList();
    QTest::newRow("destroy-environment") << u"destroy-environment.plan.json"_s << QStringList();
    QTest::newRow("rotate-password") << u"rotate-password.plan.json"_s << QStringList();
}

void TestPlanCascade::cascadesAreFoundWithBothEnds()
{
    QFETCH(QString, file);
    QFETCH(QStringList, expected);
    QCOMPARE(links(file), expected);
}

void TestPlanCascade::linkCarriesTheReferenceAndReadsForPeople()
{
    const auto found = findCascades(load(u"replace.plan.json"_s));
    QCOMPARE(found.size(), size_t(1));
    const CascadeLink &l = found.front();
    QCOMPARE(l.reference, u"terraform_data.database.id"_s);
    QCOMPARE(l.describe(), u"terraform_data.api_service.input.db_endpoint is forced into an update: it references "
                           u"terraform_data.database.id, unknown until the replace of terraform_data.database is applied"_s);
}

void TestPlanCascade::knownReferencesDoNotCascade()
{
    // api_service references service_role, which is unchanged: only the
    // database and cache links appear in recreate-environment.
    for (const QString &link : links(u"recreate-environment.plan.json"_s))
        QVERIFY(!link.contains(u"service_role"));
}

QTEST_GUILESS_MAIN(TestPlanCascade)
#include "tst_plancascade.moc"
