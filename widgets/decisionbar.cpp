#include "decisionbar.h"

#include "review/reviewservice.h"
#include "statusstyle.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

#include <array>

namespace hp {

namespace {

QPushButton *makeButton(const QString &text, const QColor &accent, QWidget *parent)
{
    auto *button = new QPushButton(text, parent);
    button->setMinimumWidth(120);
    button->setStyleSheet(
        QStringLiteral("QPushButton { color: %1; background: white; border: 1px solid %1;"
                       " border-radius: 4px; padding: 6px 14px; font-weight: bold; }"
                       "QPushButton:hover { background: %2; }"
                       "QPushButton:focus { border-width: 2px; }"
                       "QPushButton:disabled { color: #9aa0a6; background: #f1f3f4;"
                       " border-color: #d5d8dc; }")
            .arg(accent.name(), accent.lighter(190).name()));
    // Decisions go through the keyboard shortcut or a click, never an Enter
    // typed into the reason field.
    button->setAutoDefault(false);
    return button;
}

QString resultText(const QString &changeId, DecisionAction action, const DecideResult &r)
{
    QString text = QStringLiteral("Recorded: %1 on %2").arg(toString(action), changeId);
    if (action == DecisionAction::Approve)
        text += r.counts ? QStringLiteral(" (counts)")
                         : QStringLiteral(" (does not count: %1)").arg(toString(r.uncounted));
    text += QStringLiteral(". Status: %1")
                .arg(StatusStyle::label(r.verdict.status, r.verdict.escalated).toLower());
    if (!r.verdict.needs.isEmpty())
        text += QStringLiteral(", %1").arg(r.verdict.needs);
    return text + QLatin1Char('.');
}

} // namespace

DecisionBar::DecisionBar(ReviewService &service, QWidget *parent)
    : QWidget(parent)
    , m_service(service)
{
    setObjectName(QStringLiteral("decisionBar"));
    setAttribute(Qt::WA_StyledBackground);
    setStyleSheet(QStringLiteral(
        "QWidget#decisionBar { border-top: 1px solid #c9cdd2; background: #f7f8f9; }"));

    m_status = new QLabel(this);
    m_status->setTextFormat(Qt::PlainText);
    m_needs = new QLabel(this);
    m_needs->setTextFormat(Qt::PlainText);
    m_needs->setFont(StatusStyle::scaled(font(), 1.1, true));
    m_needs->setWordWrap(true);

    m_reason = new QLineEdit(this);
    m_reason->setPlaceholderText(QStringLiteral("Reason (required to reject or escalate)"));
    m_reason->setClearButtonEnabled(true);
    m_reason->setMinimumWidth(320);
    m_approve = makeButton(QStringLiteral("Approve  [a]"),
                           StatusStyle::colors(ChangeStatus::Approved).foreground, this);
    m_reject = makeButton(QStringLiteral("Reject  [r]"),
                          StatusStyle::colors(ChangeStatus::Rejected).foreground, this);
    m_escalate = makeButton(QStringLiteral("Escalate  [e]"), StatusStyle::escalation(), this);

    m_why = new QLabel(this);
    m_why->setTextFormat(Qt::PlainText);
    m_why->setWordWrap(true);
    QPalette whyPalette = m_why->palette();
    whyPalette.setColor(QPalette::WindowText, StatusStyle::muted());
    m_why->setPalette(whyPalette);
    m_result = new QLabel(this);
    m_result->setTextFormat(Qt::PlainText);
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_result->hide();

    auto *head = new QHBoxLayout;
    head->addWidget(m_status);
    head->addWidget(m_needs, 1);
    auto *controls = new QHBoxLayout;
    controls->addWidget(m_reason, 1);
    controls->addSpacing(8);
    controls->addWidget(m_approve);
    controls->addWidget(m_reject);
    controls->addWidget(m_escalate);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 8, 10, 8);
    layout->setSpacing(6);
    layout->addLayout(head);
    layout->addLayout(controls);
    layout->addWidget(m_why);
    layout->addWidget(m_result);

    connect(m_reason, &QLineEdit::textChanged, this, &DecisionBar::updateControls);
    connect(m_approve, &QPushButton::clicked, this, [this] { trigger(DecisionAction::Approve); });
    connect(m_reject, &QPushButton::clicked, this, [this] { trigger(DecisionAction::Reject); });
    connect(m_escalate, &QPushButton::clicked, this, [this] { trigger(DecisionAction::Escalate); });
    applyPrincipal();
    clear();
}

QPushButton *DecisionBar::button(DecisionAction action) const
{
    switch (action) {
    case DecisionAction::Approve:
        return m_approve;
    case DecisionAction::Reject:
        return m_reject;
    case DecisionAction::Escalate:
        return m_escalate;
    default:
        return nullptr;
    }
}

void DecisionBar::applyPrincipal()
{
    const RoleSet &roles = m_service.principal().roles;
    // Auditors read; they take no part in decisions (DESIGN §2) unless they
    // also review, which the rule allows.
    setVisible(!(roles.holds(Role::Auditor) && !roles.has(Role::Reviewer)));
    // Admins decide nothing: not even the offer of an Approve.
    m_approve->setVisible(!roles.holds(Role::Admin));
    updateControls();
}

void DecisionBar::clear()
{
    m_change.reset();
    m_reason->clear();
    m_result->hide();
    updateControls();
}

void DecisionBar::setChange(const ChangeDetail &change)
{
    const bool same = m_change && m_change->summary.id == change.summary.id;
    m_change = change;
    if (!same) {
        m_reason->clear();
        m_result->hide();
    }
    updateControls();
}

void DecisionBar::updateControls()
{
    if (!m_change) {
        m_status->hide();
        m_needs->setText(QStringLiteral("Select a change in the queue."));
        for (QPushButton *b : {m_approve, m_reject, m_escalate}) {
            b->setEnabled(false);
            b->setToolTip(QStringLiteral("No change selected."));
        }
        m_why->setText(QStringLiteral("No change selected."));
        return;
    }
    const Verdict &v = m_change->summary.verdict;
    StatusStyle::applyChip(m_status, v.status, v.escalated);
    m_status->show();
    QString needs = v.needs.isEmpty() ? QStringLiteral("Nothing more is needed.") : v.needs;
    needs[0] = needs[0].toUpper();
    m_needs->setText(needs);

    QStringList lines;
    const std::array<DecisionAction, 3> actions{DecisionAction::Approve, DecisionAction::Reject,
                                                DecisionAction::Escalate};
    for (DecisionAction action : actions) {
        QPushButton *b = button(action);
        const ActionCheck check =
            m_service.checkAction(*m_change, action, m_reason->text().trimmed());
        const QString why = check.explanation.isEmpty() ? check.denial.message : check.explanation;
        b->setEnabled(check.allowed);
        b->setToolTip(why);
        if (!b->isVisibleTo(this))
            continue;
        QString name = toString(action);
        name[0] = name[0].toUpper();
        if (!check.allowed) {
            lines << QStringLiteral("%1 unavailable: %2").arg(name, why);
        } else if (!why.isEmpty()) { // allowed, with a caveat ("would not count: …")
            QString caveat = why;
            caveat[0] = caveat[0].toUpper();
            lines << caveat;
        }
    }
    // A decided change refuses everything for one reason: say it once (each
    // button's tooltip still gives its own).
    if (v.status != ChangeStatus::Pending && v.status != ChangeStatus::Rejected)
        lines = QStringList{
            QStringLiteral("Nothing to decide: the change is %1.").arg(toString(v.status))};
    m_why->setText(lines.join(QLatin1Char('\n')));
    m_why->setVisible(!lines.isEmpty());
}

void DecisionBar::trigger(DecisionAction action)
{
    QPushButton *b = button(action);
    if (!m_change || !b || !isVisible())
        return;
    if (!b->isVisible() || !b->isEnabled()) {
        const QString why = b->toolTip().isEmpty() ? QStringLiteral("not available") : b->toolTip();
        showMessage(QStringLiteral("Cannot %1: %2").arg(toString(action), why), true);
        return;
    }
    Q_EMIT decisionRequested(m_change->summary.id, action, m_reason->text().trimmed());
}

void DecisionBar::showResult(DecisionAction action, const Result<DecideResult> &result)
{
    if (!result) {
        showMessage(QStringLiteral("Refused: %1").arg(result.error().message), true);
        return;
    }
    m_reason->clear();
    showMessage(resultText(m_change ? m_change->summary.id : QString(), action, *result), false);
}

void DecisionBar::showMessage(const QString &text, bool failure)
{
    const QColor colour =
        failure ? StatusStyle::error() : StatusStyle::colors(ChangeStatus::Approved).foreground;
    m_result->setStyleSheet(
        QStringLiteral("QLabel { color: %1; font-weight: bold; }").arg(colour.name()));
    m_result->setText(text);
    m_result->show();
}

} // namespace hp
