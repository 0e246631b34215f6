#include "auditrows.h"
#include "itemmodels/auditmodel.h"

#include <QAbstractItemModelTester>
#include <QJsonDocument>
#include <QTest>

using namespace hp;

class TestAuditModel : public QObject
{
    Q_OBJECT

    std::vector<AuditEntry> m_trail = testing::syntheticTrail(600);

    void load(AuditModel &model)
    {
        AuditIndexBuilder builder;
        std::vector<AuditIndexRow> rows;
        for (const AuditEntry &e : m_trail)
            rows.push_back(builder.build(e));
        model.setRows(std::move(rows), builder.pool());
    }

    // How many entries of the trail `pred` selects, from the canonical JSON.
    int expected(const std::function<bool(const QJsonObject &)> &pred) const
    {
        int n = 0;
        for (const AuditEntry &e : m_trail)
            n += pred(QJsonDocument::fromJson(e.entry).object()) ? 1 : 0;
        return n;
    }

private Q_SLOTS:
    void buildsTypedRowsFromCanonicalEntries()
    {
        AuditIndexBuilder builder;
        const AuditIndexRow row = builder.build(m_trail[4]);
        const QJsonObject o = QJsonDocument::fromJson(m_trail[4].entry).object();
        QCOMPARE(row.seq, 5);
        QVERIFY(row.readable);
        QCOMPARE(builder.pool().at(row.principal), o.value(QStringLiteral("principal")).toString());
        QCOMPARE(builder.pool().at(row.action), o.value(QStringLiteral("action")).toString());
        QCOMPARE(auditTime(QDateTime::fromMSecsSinceEpoch(row.timeMs, Qt::UTC)),
                 o.value(QStringLiteral("time")).toString());
        QCOMPARE(QByteArray(reinterpret_cast<const char *>(row.hash.data()), 32), m_trail[4].hash);
    }

    void unreadableEntryIsKeptAndMarked()
    {
        AuditIndexBuilder builder;
        AuditEntry broken = m_trail[0];
        broken.entry = QByteArrayLiteral("{\"seq\":1,");
        const AuditIndexRow row = builder.build(broken);
        QCOMPARE(row.seq, 1);
        QVERIFY(!row.readable);
    }

    void filters_data()
    {
        QTest::addColumn<QString>("principal");
        QTest::addColumn<QString>("action");
        QTest::addColumn<int>("outcome"); // 0 any, 1 ok, 2 denied
        QTest::addColumn<int>("fromSec");  // -1 none: seconds after the first entry's time
        QTest::addColumn<int>("toSec");
        QTest::newRow("principal substring, any case") << QStringLiteral("AGENT") << QString() << 0 << -1 << -1;
        QTest::newRow("action") << QString() << QStringLiteral("decision.") << 0 << -1 << -1;
        QTest::newRow("denied only") << QString() << QString() << 2 << -1 << -1;
        QTest::newRow("ok only") << QString() << QString() << 1 << -1 << -1;
        QTest::newRow("time range inclusive") << QString() << QString() << 0 << 700 << 1400;
        QTest::newRow("combined") << QStringLiteral("priya") << QStringLiteral("review") << 1 << 0 << 3000;
        QTest::newRow("nothing matches") << QStringLiteral("nobody") << QString() << 0 << -1 << -1;
    }

    void filters()
    {
        QFETCH(QString, principal);
        QFETCH(QString, action);
        QFETCH(int, outcome);
        QFETCH(int, fromSec);
        QFETCH(int, toSec);
        AuditModel model;
        load(model);
        const QDateTime t0(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC);
        AuditFilter f;
        f.principal = principal;
        f.action = action;
        if (outcome > 0)
            f.denied = outcome == 2;
        if (fromSec >= 0)
            f.from = t0.addSecs(fromSec);
        if (toSec >= 0)
            f.to = t0.addSecs(toSec);
        model.setFilter(f);
        const int want = expected([&](const QJsonObject &o) {
            const QDateTime t = QDateTime::fromString(o.value(QStringLiteral("time")).toString(), Qt::ISODateWithMs);
            return o.value(QStringLiteral("principal")).toString().contains(principal, Qt::CaseInsensitive) &&
                   o.value(QStringLiteral("action")).toString().contains(action, Qt::CaseInsensitive) &&
                   (outcome == 0 || (o.value(QStringLiteral("outcome")).toString() == QLatin1String("denied")) == (outcome == 2)) &&
                   (fromSec < 0 || t >= t0.addSecs(fromSec)) && (toSec < 0 || t <= t0.addSecs(toSec));
        });
        QCOMPARE(model.rowCount(), want);
        for (int r = 0; r < model.rowCount(); ++r)
            QVERIFY(model.data(model.index(r, AuditModel::PrincipalColumn)).toString().contains(principal, Qt::CaseInsensitive));
        model.setFilter({});
        QCOMPARE(model.rowCount(), int(m_trail.size()));
    }

    void filterByChange()
    {
        AuditModel model;
        load(model);
        const QString change = QJsonDocument::fromJson(m_trail[10].entry).object().value(QStringLiteral("change")).toString();
        AuditFilter f;
        f.changeId = change;
        model.setFilter(f);
        QVERIFY(model.rowCount() > 0);
        QCOMPARE(model.rowCount(), int(model.rowsOfChange(change).size()));
        for (int r = 0; r < model.rowCount(); ++r)
            QCOMPARE(model.data(model.index(r, 0), AuditModel::ChangeRole).toString(), change);
    }

    void sortsEveryColumnBothWays_data()
    {
        QTest::addColumn<int>("column");
        for (int c = 0; c < AuditModel::ColumnCount; ++c)
            QTest::newRow(qPrintable(QStringLiteral("column %1").arg(c))) << c;
    }

    void sortsEveryColumnBothWays()
    {
        QFETCH(int, column);
        AuditModel model;
        load(model);
        for (Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
            model.sort(column, order);
            QCOMPARE(model.rowCount(), int(m_trail.size()));
            for (int r = 1; r < model.rowCount(); ++r) {
                const int a = int(model.rowAt(r - 1) - model.rows().data());
                const int b = int(model.rowAt(r) - model.rows().data());
                const int c = model.compareRows(a, b, column);
                QVERIFY2(order == Qt::AscendingOrder ? c <= 0 : c >= 0, qPrintable(QStringLiteral("row %1").arg(r)));
            }
        }
        // Strings sort by text, not by interning order.
        if (column == AuditModel::PrincipalColumn) {
            model.sort(column, Qt::AscendingOrder);
            QCOMPARE(model.data(model.index(0, column)).toString(), QStringLiteral("amira"));
        }
    }

    void streamedChunksEqualOneLoad()
    {
        AuditModel whole;
        load(whole);
        AuditModel streamed;
        streamed.sort(AuditModel::SeqColumn, Qt::DescendingOrder);
        AuditFilter f;
        f.principal = QStringLiteral("agent");
        streamed.setFilter(f);
        whole.sort(AuditModel::SeqColumn, Qt::DescendingOrder);
        whole.setFilter(f);
        AuditIndexBuilder builder;
        for (size_t from = 0; from < m_trail.size(); from += 100) {
            AuditChunk chunk;
            for (size_t i = from; i < std::min(m_trail.size(), from + 100); ++i)
                chunk.rows.push_back(builder.build(m_trail[i]));
            chunk.strings = builder.takeNewStrings();
            streamed.appendChunk(std::move(chunk));
        }
        QCOMPARE(streamed.rowCount(), whole.rowCount());
        for (int r = 0; r < whole.rowCount(); ++r)
            QCOMPARE(streamed.rowAt(r)->seq, whole.rowAt(r)->seq);
        QCOMPARE(streamed.data(streamed.index(0, AuditModel::PrincipalColumn)).toString(),
                 whole.data(whole.index(0, AuditModel::PrincipalColumn)).toString());
    }

    void passesTheModelTester()
    {
        AuditModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        load(model);
        model.sort(AuditModel::ActionColumn, Qt::AscendingOrder);
        AuditFilter f;
        f.denied = true;
        model.setFilter(f);
        AuditIndexBuilder builder;
        AuditChunk chunk;
        chunk.rows.push_back(builder.build(m_trail[0]));
        chunk.strings = builder.takeNewStrings();
        model.clear();
        model.sort(AuditModel::SeqColumn, Qt::AscendingOrder);
        model.setFilter({});
        model.appendChunk(std::move(chunk));
        QCOMPARE(model.rowCount(), 1);
    }

    void problemsAreMarkedBySeq()
    {
        AuditModel model;
        load(model);
        model.setProblems({AuditProblem{42, AuditProblemClass::Modified, QStringLiteral("x")}});
        const int row = model.rowOfSeq(42);
        QVERIFY(row >= 0);
        QCOMPARE(model.data(model.index(row, 0), AuditModel::ProblemRole).toString(), QStringLiteral("modified"));
        QCOMPARE(model.data(model.index(model.rowOfSeq(41), 0), AuditModel::ProblemRole).toString(), QString());
    }
};

QTEST_GUILESS_MAIN(TestAuditModel)
#include "tst_auditmodel.moc"
