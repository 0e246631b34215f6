#include "report/evidencereport.h"

#include "cli/assessmentview.h"
#include "domain/sha256.h"

#include <QBuffer>
#include <QFontDatabase>
#include <QPageLayout>
#include <QPageSize>
#include <QPdfWriter>
#include <QSaveFile>
#include <QTextBlockFormat>
#include <QTextCharFormat>
#include <QTextCursor>
#include <QTextDocument>

namespace hp::report {

namespace {

QString hex(const QByteArray &raw)
{
    return raw.isEmpty() ? QStringLiteral("—") : QString::fromLatin1(raw.toHex());
}

QString stamp(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QStringLiteral("—");
}

QString orDash(const QString &s)
{
    return s.isEmpty() ? QStringLiteral("—") : s;
}

// Why a decision does not count, for people (DESIGN §5).
QString countText(const DecisionRecord &d)
{
    if (d.counts)
        return QStringLiteral("counts");
    switch (d.uncounted) {
    case UncountedReason::Contributor:
        return QStringLiteral("not counted: a contributor to this change");
    case UncountedReason::Outdated:
        return QStringLiteral("not counted: made on an earlier revision");
    case UncountedReason::MissingRole:
        return QStringLiteral("not counted: no reviewer role at the time");
    case UncountedReason::IncompleteReview:
        return QStringLiteral("not counted: the review was incomplete");
    case UncountedReason::Admin:
        return QStringLiteral("not counted: admins decide nothing");
    case UncountedReason::None:
        break;
    }
    return QStringLiteral("not counted toward approval");
}

// Appends plain text in one of three styles; nothing is ever parsed as markup.
class Writer
{
public:
    explicit Writer(QTextDocument &doc) : m_cursor(&doc)
    {
        m_body.setFont(QFontDatabase::systemFont(QFontDatabase::GeneralFont));
        m_body.setFontPointSize(9);
        m_heading = m_body;
        m_heading.setFontWeight(QFont::Bold);
        m_heading.setFontPointSize(12);
        m_mono.setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        m_mono.setFontPointSize(7);
    }

    void heading(const QString &text)
    {
        QTextBlockFormat block;
        block.setTopMargin(10);
        block.setBottomMargin(3);
        m_cursor.insertBlock(block, m_heading);
        m_cursor.insertText(text, m_heading);
    }
    void line(const QString &text) { insert(text, m_body); }
    void field(const QString &name, const QString &value) { line(name + QStringLiteral(": ") + orDash(value)); }
    void mono(const QString &text) { insert(text, m_mono); }
    // Multi-line text: one block per line, so long inputs paginate.
    void lines(const QString &text, bool monospace)
    {
        const QStringList parts = text.split(QLatin1Char('\n'));
        for (qsizetype i = 0; i < parts.size(); ++i) {
            if (i + 1 == parts.size() && parts[i].isEmpty())
                break;
            monospace ? mono(parts[i]) : line(parts[i]);
        }
    }

private:
    void insert(const QString &text, const QTextCharFormat &format)
    {
        m_cursor.insertBlock(QTextBlockFormat(), format);
        m_cursor.insertText(text, format);
    }

    QTextCursor m_cursor;
    QTextCharFormat m_body;
    QTextCharFormat m_heading;
    QTextCharFormat m_mono;
};

void writeChange(Writer &w, const Evidence &e)
{
    const ChangeSummary &s = e.detail.summary;
    w.heading(QStringLiteral("Holdpoint evidence report: change %1").arg(s.id));
    w.field(QStringLiteral("Title"), s.title);
    w.field(QStringLiteral("Report produced"), stamp(e.gatheredAt));
    w.line(QStringLiteral("Audit trail when produced: %1 entries, head hash %2")
               .arg(e.chainEntries)
               .arg(hex(e.headHash)));
    w.heading(QStringLiteral("Change"));
    w.field(QStringLiteral("Status"), toString(s.verdict.status) +
                                          (s.verdict.escalated ? QStringLiteral(" (escalated)") : QString()));
    w.field(QStringLiteral("Approvals"), QStringLiteral("%1 of %2 counted%3")
                                             .arg(s.verdict.countedApprovals)
                                             .arg(s.verdict.requiredApprovals)
                                             .arg(s.verdict.leadRequired ? QStringLiteral(", a lead required")
                                                                         : QString()));
    w.field(QStringLiteral("Rule"), s.verdict.rule);
    w.field(QStringLiteral("Kind"), toString(s.kind));
    w.field(QStringLiteral("Agent"), s.agentPrincipal + QStringLiteral(" (") + orDash(s.agentName) +
                                         QStringLiteral(", version ") + orDash(e.detail.agentVersion) +
                                         QStringLiteral(", run ") + orDash(e.detail.agentRunId) + u')');
    w.field(QStringLiteral("Operator"), s.operatorLogin);
    w.field(QStringLiteral("Environment"), s.environment);
    w.field(QStringLiteral("Target"), s.target);
    w.field(QStringLiteral("Declared impact"), s.declaredImpact ? toString(*s.declaredImpact) : QString());
    w.field(QStringLiteral("Created"), stamp(s.createdAt));
    w.field(QStringLiteral("Contributors"), e.detail.contributors.join(QStringLiteral(", ")));
    w.heading(QStringLiteral("Intent"));
    w.lines(orDash(e.detail.intent), false);
}

void writeRevisions(Writer &w, const Evidence &e)
{
    w.heading(QStringLiteral("Revisions"));
    for (const RevisionInfo &r : e.detail.revisions) {
        w.line(QStringLiteral("Revision %1 by %2 at %3, %4 / %5")
                   .arg(QString::number(r.number), r.submitter, stamp(r.createdAt),
                        orDash(r.meta.environment), orDash(r.meta.target)));
        w.mono(QStringLiteral("  content hash %1").arg(hex(r.contentHash)));
        for (const ArtifactInfo &a : r.artifacts)
            w.mono(QStringLiteral("  [%1] %2 %3, %4 bytes, sha256 %5")
                       .arg(QString::number(a.index), toString(a.kind), a.name, QString::number(a.size),
                            hex(a.sha256)));
    }
}

void writePlansAndDiffs(Writer &w, const Evidence &e)
{
    w.heading(QStringLiteral("Plan summary (latest revision)"));
    if (e.plans.empty())
        w.line(QStringLiteral("no Terraform plan"));
    for (const cli::PlanReport &plan : e.plans)
        w.lines(cli::planReportText(plan), true);
    w.heading(QStringLiteral("Diff statistics (latest revision)"));
    if (e.diffs.empty())
        w.line(QStringLiteral("no patch or file pair"));
    for (const DiffStat &d : e.diffs) {
        if (!d.error.isEmpty())
            w.line(QStringLiteral("%1: not readable as a diff: %2").arg(d.artifact, d.error));
        else
            w.mono(QStringLiteral("%1%2: +%3 -%4")
                       .arg(d.artifact, d.file.isEmpty() ? QString() : QStringLiteral(" ") + d.file)
                       .arg(d.additions)
                       .arg(d.deletions));
    }
    w.heading(QStringLiteral("Assessment and its factors"));
    if (e.assessment)
        w.lines(cli::assessmentText(*e.assessment), true);
    else
        w.line(QStringLiteral("never assessed"));
}

void writeDecisions(Writer &w, const Evidence &e)
{
    w.heading(QStringLiteral("Decisions"));
    if (e.detail.decisions.empty())
        w.line(QStringLiteral("no decisions"));
    for (const DecisionRecord &d : e.detail.decisions) {
        w.line(QStringLiteral("Decision %1: %2 %3 on revision %4 at %5 (roles %6)")
                   .arg(QString::number(d.id), d.principal, toString(d.action), QString::number(d.revision),
                        stamp(d.at), orDash(d.roles.names().join(QStringLiteral(", ")))));
        w.line(QStringLiteral("    ") + countText(d));
        w.line(QStringLiteral("    reason: ") + orDash(d.reason));
    }
    w.heading(QStringLiteral("Events, checks and reports"));
    bool any = false;
    for (const ChangeEvent &ev : e.detail.events) {
        any = true;
        w.line(QStringLiteral("%1 by %2 on revision %3 at %4: %5")
                   .arg(toString(ev.kind), ev.principal, QString::number(ev.revision), stamp(ev.at),
                        orDash(ev.reason)));
    }
    for (const TrailEntry &t : e.trail) {
        if (t.action != u"check" && t.action != u"change.report")
            continue;
        any = true;
        w.line(QStringLiteral("%1 by %2 on revision %3 at %4 (entry %5): %6 %7")
                   .arg(t.action, t.principal, QString::number(t.revision), t.time, QString::number(t.seq),
                        orDash(t.reasonCode), t.reason));
    }
    if (!any)
        w.line(QStringLiteral("none"));
}

void writeTrail(Writer &w, const Evidence &e)
{
    w.heading(QStringLiteral("Audit trail entries about this change (chain position and hash)"));
    for (const TrailEntry &t : e.trail) {
        QString status;
        if (!t.statusBefore.isEmpty() || !t.statusAfter.isEmpty())
            status = QStringLiteral(", %1 -> %2").arg(orDash(t.statusBefore), orDash(t.statusAfter));
        w.mono(QStringLiteral("seq %1  %2  %3  %4 rev %5  %6%7%8")
                   .arg(QString::number(t.seq), t.time, t.principal, t.action, QString::number(t.revision),
                        t.outcome,
                        t.reasonCode.isEmpty() ? QString() : QStringLiteral(" (") + t.reasonCode + u')',
                        status));
        w.mono(QStringLiteral("        hash %1").arg(hex(t.hash)));
    }
}

} // namespace

std::unique_ptr<QTextDocument> evidenceDocument(const Evidence &evidence)
{
    auto doc = std::make_unique<QTextDocument>();
    doc->setUndoRedoEnabled(false);
    Writer w(*doc);
    writeChange(w, evidence);
    writeRevisions(w, evidence);
    writePlansAndDiffs(w, evidence);
    writeDecisions(w, evidence);
    writeTrail(w, evidence);
    return doc;
}

Result<QByteArray> writeEvidencePdf(const Evidence &evidence, const QString &path)
{
    QByteArray bytes;
    {
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        QPdfWriter pdf(&buffer);
        pdf.setTitle(QStringLiteral("Holdpoint evidence report ") + evidence.detail.summary.id);
        pdf.setCreator(QStringLiteral("holdpoint"));
        pdf.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait,
                                      QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter));
        std::unique_ptr<QTextDocument> doc = evidenceDocument(evidence);
        doc->print(&pdf);
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        return makeError(ExitCode::Usage, QStringLiteral("cannot_write"),
                         QStringLiteral("cannot write the report: %1").arg(file.errorString()), path);
    return Sha256::digest(bytes);
}

} // namespace hp::report
