#include "changedetailspane.h"

#include "statusstyle.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace hp {

namespace {

QLabel *plainLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setWordWrap(true);
    label->setText(text);
    return label;
}

void setMuted(QLabel *label)
{
    QPalette p = label->palette();
    p.setColor(QPalette::WindowText, StatusStyle::muted());
    label->setPalette(p);
}

QLabel *sectionHeading(const QString &text, QWidget *parent)
{
    auto *label = plainLabel(text, parent);
    label->setFont(StatusStyle::scaled(parent->font(), 1.05, true));
    label->setContentsMargins(0, 10, 0, 2);
    return label;
}

QString timeText(const QDateTime &t)
{
    return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                       : QStringLiteral("—");
}

// A digest in groups of eight hex digits: easier to compare by eye, and the
// label can wrap it in a narrow pane.
QString groupedHex(const QByteArray &digest)
{
    const QString hex = QString::fromLatin1(digest.toHex());
    QStringList groups;
    for (qsizetype i = 0; i < hex.size(); i += 8)
        groups << hex.mid(i, 8);
    return groups.join(QLatin1Char(' '));
}

QString orDash(const QString &s)
{
    return s.isEmpty() ? QStringLiteral("—") : s;
}

// Why a decision does not count, for people.
QString uncountedText(UncountedReason why)
{
    switch (why) {
    case UncountedReason::Contributor:
        return QStringLiteral(
            "not counted: a contributor to this change (agent, operator or submitter)");
    case UncountedReason::Outdated:
        return QStringLiteral("not counted: outdated, made on an earlier revision");
    case UncountedReason::MissingRole:
        return QStringLiteral("not counted: no reviewer role at the time");
    case UncountedReason::IncompleteReview:
        return QStringLiteral("not counted: the review was incomplete");
    case UncountedReason::Admin:
        return QStringLiteral("not counted: admins decide nothing");
    case UncountedReason::None:
        break;
    }
    return QStringLiteral("not counted");
}

void clearLayout(QVBoxLayout *layout)
{
    while (QLayoutItem *item = layout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
}

} // namespace

ChangeDetailsPane::ChangeDetailsPane(QWidget *parent)
    : QScrollArea(parent)
{
    setWidgetResizable(true);
    setFrameShape(QFrame::NoFrame);
    // Labels wrap to the pane's width instead of scrolling sideways.
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_body = new QWidget(this);
    auto *layout = new QVBoxLayout(m_body);
    layout->setContentsMargins(10, 8, 10, 8);
    layout->setSpacing(4);

    m_title = plainLabel({}, m_body);
    m_title->setFont(StatusStyle::scaled(font(), 1.3, true));
    layout->addWidget(m_title);
    m_status = plainLabel({}, m_body);
    m_status->setWordWrap(false);
    m_needs = plainLabel({}, m_body);
    auto *statusRow = new QHBoxLayout;
    statusRow->addWidget(m_status);
    statusRow->addWidget(m_needs, 1);
    layout->addLayout(statusRow);
    m_id = plainLabel({}, m_body);
    m_id->setFont(StatusStyle::monospace());
    setMuted(m_id);
    layout->addWidget(m_id);
    m_report = new QPushButton(QStringLiteral("Evidence report…"), m_body);
    m_report->setToolTip(QStringLiteral("Write this change's evidence report as a PDF (auditors and leads)"));
    connect(m_report, &QPushButton::clicked, this, [this] {
        if (!m_changeId.isEmpty())
            Q_EMIT evidenceReportRequested(m_changeId);
    });
    auto *reportRow = new QHBoxLayout;
    reportRow->addWidget(m_report);
    reportRow->addStretch(1);
    layout->addLayout(reportRow);

    addFacts(layout);
    layout->addWidget(sectionHeading(QStringLiteral("Revisions"), m_body));
    m_revisions = new QVBoxLayout;
    layout->addLayout(m_revisions);
    layout->addWidget(sectionHeading(QStringLiteral("Decisions"), m_body));
    m_decisions = new QVBoxLayout;
    m_decisions->setSpacing(8);
    layout->addLayout(m_decisions);
    layout->addStretch(1);
    setWidget(m_body);
    clear();
}

void ChangeDetailsPane::addFacts(QVBoxLayout *layout)
{
    layout->addWidget(sectionHeading(QStringLiteral("Agent"), m_body));
    auto *agent = new QFormLayout;
    agent->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_agentPrincipal = addField(agent, QStringLiteral("Principal"));
    m_agentName = addField(agent, QStringLiteral("Name"));
    m_agentVersion = addField(agent, QStringLiteral("Version"));
    m_agentRun = addField(agent, QStringLiteral("Run id"));
    m_operator = addField(agent, QStringLiteral("Operator"));
    layout->addLayout(agent);
    m_unregistered = plainLabel(
        QStringLiteral("UNREGISTERED AGENT: no admin registered this principal; it is its own "
                       "operator."),
        m_body);
    m_unregistered->setStyleSheet(QStringLiteral("QLabel { color: #a12a2a; font-weight: bold; }"));
    layout->addWidget(m_unregistered);

    layout->addWidget(sectionHeading(QStringLiteral("Change"), m_body));
    auto *change = new QFormLayout;
    change->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_intent = addField(change, QStringLiteral("Intent"));
    m_environment = addField(change, QStringLiteral("Environment"));
    m_target = addField(change, QStringLiteral("Target"));
    m_impact = addField(change, QStringLiteral("Declared impact"));
    m_contributors = addField(change, QStringLiteral("Contributors"));
    layout->addLayout(change);
}

QLabel *ChangeDetailsPane::addField(QFormLayout *form, const QString &name)
{
    auto *key = plainLabel(name, m_body);
    key->setWordWrap(false);
    setMuted(key);
    auto *value = plainLabel({}, m_body);
    form->addRow(key, value);
    return value;
}

void ChangeDetailsPane::clear()
{
    m_title->setText(QStringLiteral("No change selected"));
    m_changeId.clear();
    m_report->setEnabled(false);
    m_status->hide();
    m_needs->clear();
    m_id->clear();
    for (QLabel *l : {m_agentPrincipal, m_agentName, m_agentVersion, m_agentRun, m_operator,
                      m_intent, m_environment, m_target, m_impact, m_contributors})
        l->clear();
    m_unregistered->hide();
    clearLayout(m_revisions);
    clearLayout(m_decisions);
}

void ChangeDetailsPane::setChange(const ChangeDetail &change)
{
    const ChangeSummary &s = change.summary;
    m_title->setText(s.title);
    m_changeId = s.id;
    m_report->setEnabled(true);
    StatusStyle::applyChip(m_status, s.verdict.status, s.verdict.escalated);
    m_status->show();
    QString needs = s.verdict.needs;
    if (!needs.isEmpty())
        needs[0] = needs[0].toUpper();
    m_needs->setText(needs);
    m_id->setText(
        QStringLiteral("%1 · %2 · created %3").arg(s.id, toString(s.kind), timeText(s.createdAt)));
    m_agentPrincipal->setText(s.agentPrincipal);
    m_agentName->setText(orDash(s.agentName));
    m_agentVersion->setText(orDash(change.agentVersion));
    m_agentRun->setText(orDash(change.agentRunId));
    m_operator->setText(orDash(s.operatorLogin));
    m_unregistered->setVisible(change.unregisteredAgent);
    m_intent->setText(orDash(change.intent));
    m_environment->setText(orDash(s.environment));
    m_target->setText(orDash(s.target));
    m_impact->setText(s.declaredImpact ? toString(*s.declaredImpact)
                                       : QStringLiteral("not declared"));
    m_contributors->setText(orDash(change.contributors.join(QStringLiteral(", "))));
    fillRevisions(change);
    fillDecisions(change);
}

void ChangeDetailsPane::fillRevisions(const ChangeDetail &change)
{
    clearLayout(m_revisions);
    for (auto it = change.revisions.rbegin(); it != change.revisions.rend(); ++it) {
        auto *line = plainLabel(QStringLiteral("Revision %1 · by %2 · %3 · %4 artifact(s)")
                                    .arg(it->number)
                                    .arg(it->submitter, timeText(it->createdAt))
                                    .arg(it->artifacts.size()),
                                m_body);
        auto *hash = plainLabel(
            QStringLiteral("content sha256 %1").arg(groupedHex(it->contentHash)), m_body);
        hash->setFont(StatusStyle::scaled(StatusStyle::monospace(), 0.9));
        setMuted(hash);
        m_revisions->addWidget(line);
        m_revisions->addWidget(hash);
    }
}

void ChangeDetailsPane::fillDecisions(const ChangeDetail &change)
{
    clearLayout(m_decisions);
    if (change.decisions.empty()) {
        auto *none = plainLabel(QStringLiteral("No decisions yet."), m_body);
        setMuted(none);
        m_decisions->addWidget(none);
    }
    // Newest first: the latest word is what a reviewer looks for.
    for (auto it = change.decisions.rbegin(); it != change.decisions.rend(); ++it)
        m_decisions->addWidget(decisionRow(*it, change.summary.latestRevision));
    for (const ChangeEvent &e : change.events) {
        auto *line =
            plainLabel(QStringLiteral("%1 by %2 · revision %3 · %4%5")
                           .arg(toString(e.kind), e.principal)
                           .arg(e.revision)
                           .arg(timeText(e.at),
                                e.reason.isEmpty() ? QString() : QStringLiteral("\n") + e.reason),
                       m_body);
        setMuted(line);
        m_decisions->addWidget(line);
    }
}

QWidget *ChangeDetailsPane::decisionRow(const DecisionRecord &d, int latestRevision)
{
    auto *row = new QWidget(m_body);
    auto *layout = new QVBoxLayout(row);
    layout->setContentsMargins(8, 2, 0, 2);
    layout->setSpacing(1);
    const QString roles = d.roles.names().join(QStringLiteral(", "));
    auto *head = plainLabel(
        QStringLiteral("%1%2 · %3 · revision %4 · %5")
            .arg(d.principal, roles.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(roles),
                 toString(d.action))
            .arg(d.revision)
            .arg(timeText(d.at)),
        row);
    QFont headFont = head->font();
    headFont.setBold(true);
    auto *reason = d.reason.isEmpty() ? nullptr : plainLabel(d.reason, row);
    // Approvals lapse with a new revision; a reject stands until withdrawn.
    const bool outdated = d.uncounted == UncountedReason::Outdated ||
                          (d.action == DecisionAction::Approve && d.revision < latestRevision);
    if (outdated) {
        headFont.setStrikeOut(true);
        if (reason) {
            QFont f = reason->font();
            f.setStrikeOut(true);
            reason->setFont(f);
        }
    }
    head->setFont(headFont);
    layout->addWidget(head);
    if (reason)
        layout->addWidget(reason);

    const bool weighs = d.action == DecisionAction::Approve || d.action == DecisionAction::Reject ||
                        d.action == DecisionAction::Escalate;
    if (weighs) {
        auto *counts =
            plainLabel(d.counts ? QStringLiteral("counts") : uncountedText(d.uncounted), row);
        if (d.counts) {
            counts->setStyleSheet(QStringLiteral("QLabel { color: #1e6b3a; font-weight: bold; }"));
        } else {
            QFont f = counts->font();
            f.setItalic(true);
            counts->setFont(f);
            setMuted(counts);
            setMuted(head);
            if (reason)
                setMuted(reason);
        }
        layout->addWidget(counts);
    }
    row->setStyleSheet(
        QStringLiteral("QWidget#decision { border-left: 3px solid %1; }")
            .arg(d.counts ? QStringLiteral("#1e6b3a") : StatusStyle::muted().name()));
    row->setObjectName(QStringLiteral("decision"));
    row->setAttribute(Qt::WA_StyledBackground);
    return row;
}

} // namespace hp
