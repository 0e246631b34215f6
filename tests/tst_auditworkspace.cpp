#include "audit/auditexport.h"
#include "audit/auditworkspace.h"
#include "itemmodels/auditmodel.h"
#include "review/reviewservice.h"
#include "reviewworkspace.h"
#include "storefixture.h"

#include <QComboBox>
#include <QFile>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace hp;
using namespace hp::testing;

// The Audit workspace driven through its widgets on a real store.
class TestAuditWorkspace : public QObject
{
    Q_OBJECT

    std::unique_ptr<StoreFixture> m_fx;
    QString m_change;

    std::unique_ptr<AuditWorkspace> loaded()
    {
        auto ws = std::make_unique<AuditWorkspace>(m_fx->path, actor(QStringLiteral("aria")));
        QSignalSpy spy(ws.get(), &AuditWorkspace::loaded);
        ws->reload();
        if (!spy.wait(20000))
            qWarning("the trail did not load");
        return ws;
    }

    std::vector<AuditEntry> all()
    {
        Result<std::vector<AuditEntry>> entries = m_fx->store->auditEntries(0, 0);
        return entries ? *entries : std::vector<AuditEntry>();
    }

    int entriesBy(const QString &login)
    {
        int n = 0;
        for (const AuditEntry &e : all())
            n += QJsonDocument::fromJson(e.entry).object().value(QStringLiteral("principal")).toString() == login;
        return n;
    }

    int count(const QString &action)
    {
        int n = 0;
        for (const AuditEntry &e : all())
            n += QJsonDocument::fromJson(e.entry).object().value(QStringLiteral("action")).toString() == action;
        return n;
    }

private Q_SLOTS:
    void init()
    {
        m_fx = std::make_unique<StoreFixture>();
        m_fx->addTeam();
        m_change = m_fx->submitAsBot();
        QVERIFY(!m_change.isEmpty());
        QVERIFY(m_fx->store->decide(actor(QStringLiteral("rita")), DecideRequest{m_change, DecisionAction::Approve, QStringLiteral("looks fine")}).ok());
        QVERIFY(!m_fx->submitAsBot("--- a/z\n+++ b/z\n@@ -1 +1 @@\n-a\n+d\n").isEmpty());
    }

    void loadsEveryEntry()
    {
        auto ws = loaded();
        QCOMPARE(ws->model()->loadedCount(), qint64(m_fx->store->auditEntries(0, 0)->size()));
        QCOMPARE(ws->table()->model()->rowCount(), int(ws->model()->loadedCount()));
        for (const AuditEntry &e : all()) {
            const QJsonObject o = QJsonDocument::fromJson(e.entry).object();
            const int row = ws->model()->rowOfSeq(e.seq);
            QCOMPARE(ws->model()->data(ws->model()->index(row, AuditModel::PrincipalColumn)).toString(),
                     o.value(QStringLiteral("principal")).toString());
            QCOMPARE(ws->model()->data(ws->model()->index(row, AuditModel::ActionColumn)).toString(),
                     o.value(QStringLiteral("action")).toString());
        }
    }

    void typingAPrincipalFilters()
    {
        auto ws = loaded();
        ws->show();
        QTest::keyClicks(ws->principalFilter(), QStringLiteral("rita"));
        QCOMPARE(ws->model()->rowCount(), entriesBy(QStringLiteral("rita")));
        QVERIFY(ws->model()->rowCount() > 0);
        for (int r = 0; r < ws->model()->rowCount(); ++r)
            QCOMPARE(ws->model()->data(ws->model()->index(r, AuditModel::PrincipalColumn)).toString(), QStringLiteral("rita"));
        ws->outcomeFilter()->setCurrentIndex(2); // denied
        QCOMPARE(ws->model()->rowCount(), 0);
    }

    void timelineShowsTheChangesEntriesInOrder()
    {
        auto ws = loaded();
        ws->show();
        QTest::keyClicks(ws->actionFilter(), QStringLiteral("decision.approve"));
        QCOMPARE(ws->model()->rowCount(), 1);
        ws->table()->selectionModel()->setCurrentIndex(ws->model()->index(0, 0), QItemSelectionModel::ClearAndSelect);
        const QString text = ws->timeline()->toPlainText();
        QVERIFY2(text.contains(m_change), qPrintable(text));
        qsizetype last = -1;
        int found = 0;
        for (const AuditEntry &e : all()) {
            if (QJsonDocument::fromJson(e.entry).object().value(QStringLiteral("change")).toString() != m_change)
                continue;
            const qsizetype at = text.indexOf(QStringLiteral("#%1 ").arg(e.seq));
            QVERIFY2(at > last, qPrintable(QStringLiteral("seq %1 out of order").arg(e.seq)));
            last = at;
            ++found;
        }
        QVERIFY(found >= 3); // submit, assessment, approval
        QVERIFY(text.contains(QStringLiteral("decision.approve")));
        QVERIFY(text.contains(QStringLiteral("pending → approved")));
        QVERIFY(ws->details()->toPlainText().contains(QStringLiteral("\"action\": \"decision.approve\"")));
    }

    void verifyOnATamperedStoreHighlightsTheSeq()
    {
        const qint64 seq = m_fx->sqlValue(QStringLiteral("SELECT seq FROM audit_log WHERE CAST(entry AS TEXT) LIKE '%looks fine%'")).toLongLong();
        QVERIFY(seq > 0);
        QVERIFY(m_fx->sql(QStringLiteral("UPDATE audit_log SET entry = CAST(replace(CAST(entry AS TEXT), 'looks fine', 'looks good') AS BLOB) WHERE seq = ?"), {seq}));
        auto ws = loaded();
        ws->show();
        QSignalSpy verified(ws.get(), &AuditWorkspace::verified);
        QTest::mouseClick(ws->verifyButton(), Qt::LeftButton);
        QVERIFY(verified.wait(20000));
        const VerifyReport report = verified.first().first().value<VerifyReport>();
        QVERIFY(!report.clean());
        QVERIFY(ws->problems()->count() >= 1);
        QListWidgetItem *item = nullptr;
        QString texts;
        for (int i = 0; i < ws->problems()->count(); ++i) {
            texts += ws->problems()->item(i)->text() + u'\n';
            if (ws->problems()->item(i)->data(Qt::UserRole).toLongLong() == seq && !item)
                item = ws->problems()->item(i);
        }
        QVERIFY2(item, qPrintable(texts));
        QVERIFY2(texts.contains(QStringLiteral("seq %1 · modified").arg(seq)), qPrintable(texts));
        const int row = ws->model()->rowOfSeq(seq);
        QVERIFY(!ws->model()->data(ws->model()->index(row, 0), AuditModel::ProblemRole).toString().isEmpty());
        QVERIFY(ws->model()->data(ws->model()->index(ws->model()->rowOfSeq(1), 0), AuditModel::ProblemRole).toString().isEmpty());
        QTest::keyClicks(ws->principalFilter(), QStringLiteral("bot")); // hides the row
        ws->problems()->setCurrentItem(item);
        Q_EMIT ws->problems()->itemClicked(item);
        QCOMPARE(ws->principalFilter()->text(), QString());
        QCOMPARE(ws->model()->rowAt(ws->table()->selectionModel()->currentIndex().row())->seq, seq);
    }

    void exportWritesTheCurrentFilterAndIsAudited()
    {
        auto ws = loaded();
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("rita.jsonl"));
        QTest::keyClicks(ws->principalFilter(), QStringLiteral("rita"));
        QSignalSpy done(ws.get(), &AuditWorkspace::exported);
        ws->exportTo(path, AuditExportFormat::JsonLines);
        QVERIFY(done.wait(20000));
        QCOMPARE(done.first().first().toLongLong(), qint64(entriesBy(QStringLiteral("rita"))));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        Result<ExportVerifyReport> r = verifyExport(f, path);
        QVERIFY(r.ok());
        QVERIFY(r->clean());
        QCOMPARE(lastEntry(*m_fx->store).value(QStringLiteral("action")).toString(), QStringLiteral("audit.export"));
        QCOMPARE(lastEntry(*m_fx->store).value(QStringLiteral("principal")).toString(), QStringLiteral("aria"));
    }

    void viewsAreRecordedOncePerSelection()
    {
        ReviewService service(*m_fx->store, QStringLiteral("lena"));
        QVERIFY(service.refresh().ok());
        ReviewWorkspace review(service);
        const int before = count(QStringLiteral("review.view"));
        QVERIFY(review.selectChange(m_change));
        QVERIFY(review.selectChange(m_change));
        QVERIFY(service.refresh().ok());
        QCOMPARE(count(QStringLiteral("review.view")), before + 1);
        const QJsonObject view = lastEntryOf(*m_fx->store, QStringLiteral("review.view"));
        QCOMPARE(view.value(QStringLiteral("principal")).toString(), QStringLiteral("lena"));
        QCOMPARE(view.value(QStringLiteral("change")).toString(), m_change);
    }
};

QTEST_MAIN(TestAuditWorkspace)
#include "tst_auditworkspace.moc"
