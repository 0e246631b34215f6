#include "decisionbar.h"

#include "domain/plaintooltip.h"
#include "policy/policy.h"
#include "review/reviewservice.h"
#include "statusstyle.h"

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

QLabel *makeLabel(QWidget *parent, bool muted)
{
    auto *label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText);
    if (muted) {
        QPalette palette = label->palette();
        palette.setColor(QPalette::WindowText, StatusStyle::muted());
        label->setPalette(palette);
    }
    return label;
}

QString capitalized(QString text)
{
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    return text;
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

QString counted(int n, const QString &one, const QString &many)
{
    return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? one : many);
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

    m_status = makeLabel(this, false);
    m_needs = makeLabel(this, false);
    m_needs->setFont(StatusStyle::scaled(font(), 1.1, true));
    m_needs->setWordWrap(true);
    m_approvals = makeLabel(this, false);
    m_approvals->setFont(StatusStyle::scaled(font(), 1.0, true));
    m_clocks = makeLabel(this, false);
    m_rule = makeLabel(this, true);
    m_rule->setWordWrap(true);

    m_reason = new QLineEdit(this);
    m_reason->setPlaceholderText(QStringLiteral("Reason (required to reject or escalate)"));
    m_reason->setClearButtonEnabled(true);
    m_reason->setMinimumWidth(320);
    m_approve = makeButton(QStringLiteral("Approve  [a]"),
                           StatusStyle::colors(ChangeStatus::Approved).foreground, this);
    m_reject = makeButton(QStringLiteral("Reject  [r]"),
                          StatusStyle::colors(ChangeStatus::Rejected).foreground, this);
    m_escalate = makeButton(QStringLiteral("Escalate  [e]"), StatusStyle::escalation(), this);

    m_reviewRow = new QWidget(this);
    m_review = makeLabel(m_reviewRow, false);
    m_review->setWordWrap(true);
    m_nextUnseen = makeButton(QStringLiteral("Next unseen  [s]"), StatusStyle::escalation(), m_reviewRow);
    auto *reviewLayout = new QHBoxLayout(m_reviewRow);
    reviewLayout->setContentsMargins(0, 0, 0, 0);
    reviewLayout->addWidget(m_review, 1);
    reviewLayout->addWidget(m_nextUnseen);

    m_why = makeLabel(this, true);
    m_why->setWordWrap(true);
    m_result = makeLabel(this, false);
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_result->hide();

    auto *head = new QHBoxLayout;
    head->addWidget(m_status);
    head->addWidget(m_needs, 1);
    head->addWidget(m_approvals);
    head->addSpacing(12);
    head->addWidget(m_clocks);
    auto *controls = new QHBoxLayout;
    controls->addWidget(m_reason, 1);
    controls->addSpacing(8);
    controls->addWidget(m_approve);
    controls->addWidget(m_reject);
    controls->addWidget(m_escalate);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 8, 10, 8);
    layout->setSpacing(5);
    layout->addLayout(head);
    layout->addWidget(m_rule);
    layout->addWidget(m_reviewRow);
    layout->addLayout(controls);
    layout->addWidget(m_why);
    layout->addWidget(m_result);

    connect(m_reason, &QLineEdit::textChanged, this, &DecisionBar::updateControls);
    connect(m_approve, &QPushButton::clicked, this, [this] { trigger(DecisionAction::Approve); });
    connect(m_reject, &QPushButton::clicked, this, [this] { trigger(DecisionAction::Reject); });
    connect(m_escalate, &QPushButton::clicked, this, [this] { trigger(DecisionAction::Escalate); });
    connect(m_nextUnseen, &QPushButton::clicked, this, &DecisionBar::nextUnseenRequested);
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
    m_facts = {};
    m_unseen.reset();
    m_reason->clear();
    m_result->hide();
    updateControls();
}

void DecisionBar::setChange(const ChangeDetail &change)
{
    const bool same = m_change && m_change->summary.id == change.summary.id;
    const bool sameRevision = same && m_change->summary.latestRevision == change.summary.latestRevision;
    m_change = change;
    if (!same) {
        m_reason->clear();
        m_result->hide();
    }
    if (!sameRevision) {
        m_facts = {};
        m_unseen.reset();
    }
    updateControls();
}

void DecisionBar::setFacts(const ReviewFacts &facts)
{
    m_facts = facts;
    updateControls();
}

void DecisionBar::setUnseen(const std::optional<QStringList> &unseen)
{
    m_unseen = unseen;
    updateControls();
}

void DecisionBar::setClock(Clock clock)
{
    m_clock = std::move(clock);
    updateControls();
}

bool DecisionBar::fullReviewRequired() const
{
    if (!m_change)
        return false;
    // The store's verdict is the authority; the policy's rule for the facts
    // says the same once the store evaluates the policy, and until then
    // keeps the console from offering less than the policy asks.
    const PolicyRule *rule = m_service.ruleFor(m_facts);
    return m_change->summary.verdict.fullReview || (rule && rule->fullReview);
}

// The facts with this reviewer's live coverage: complete now when the
// workspace saw every required item before the store's facts say so.
ReviewFacts DecisionBar::effectiveFacts() const
{
    ReviewFacts facts = m_facts;
    const QString &me = m_service.principal().login;
    if (m_unseen && m_unseen->isEmpty() && !facts.coverageCompleteAt.contains(me))
        facts.coverageCompleteAt.insert(me, m_clock ? m_clock() : QDateTime::currentDateTimeUtc());
    return facts;
}

void DecisionBar::updateControls()
{
    if (!m_change) {
        m_status->hide();
        m_approvals->clear();
        m_clocks->clear();
        m_rule->hide();
        m_reviewRow->hide();
        m_needs->setText(QStringLiteral("Select a change in the queue."));
        for (QPushButton *b : {m_approve, m_reject, m_escalate}) {
            b->setEnabled(false);
            setWhy(b, QStringLiteral("No change selected."));
        }
        m_why->setText(QStringLiteral("No change selected."));
        return;
    }
    const Verdict &v = m_change->summary.verdict;
    updateHead(v);
    QStringList lines = updateButtons(v);
    // A decided change refuses everything for one reason: say it once (each
    // button's tooltip still gives its own).
    if (v.status != ChangeStatus::Pending && v.status != ChangeStatus::Rejected)
        lines = QStringList{
            QStringLiteral("Nothing to decide: the change is %1.").arg(toString(v.status))};
    m_why->setText(lines.join(QLatin1Char('\n')));
    m_why->setVisible(!lines.isEmpty());
}

void DecisionBar::updateHead(const Verdict &v)
{
    StatusStyle::applyChip(m_status, v.status, v.escalated);
    m_status->show();
    m_needs->setText(capitalized(v.needs.isEmpty() ? QStringLiteral("nothing more is needed.") : v.needs));
    m_approvals->setText(v.status == ChangeStatus::Pending || v.status == ChangeStatus::Approved
                             ? QStringLiteral("%1/%2 approvals").arg(v.countedApprovals).arg(v.requiredApprovals)
                             : QString());
    const QString clocks = clocksText(v);
    m_clocks->setText(clocks);
    const bool breached = v.status == ChangeStatus::Pending && v.slaBreached;
    m_clocks->setStyleSheet(breached ? QStringLiteral("QLabel { color: %1; font-weight: bold; }")
                                           .arg(StatusStyle::error().name())
                                     : QString());
    m_rule->setText(v.rule.isEmpty() ? QString() : QStringLiteral("Policy %1").arg(v.rule));
    m_rule->setVisible(!v.rule.isEmpty());
}

QString DecisionBar::clocksText(const Verdict &v) const
{
    const QDateTime now = m_clock ? m_clock() : QDateTime::currentDateTimeUtc();
    QStringList parts;
    if (v.status == ChangeStatus::Pending) {
        if (v.slaDeadline.isValid()) {
            const qint64 left = now.secsTo(v.slaDeadline);
            parts << (v.slaBreached || left < 0
                          ? QStringLiteral("review overdue by %1").arg(spanText(std::max<qint64>(0, -left)))
                          : QStringLiteral("review due in %1").arg(spanText(left)));
        }
        if (v.expiresAt.isValid())
            parts << QStringLiteral("expires in %1").arg(spanText(std::max<qint64>(0, now.secsTo(v.expiresAt))));
    } else if (v.status == ChangeStatus::Approved && v.approvalExpiresAt.isValid()) {
        parts << QStringLiteral("approval expires in %1")
                     .arg(spanText(std::max<qint64>(0, now.secsTo(v.approvalExpiresAt))));
    }
    return parts.join(QStringLiteral(" · "));
}

QStringList DecisionBar::updateButtons(const Verdict &v)
{
    const bool fullReview = fullReviewRequired();
    const ReviewFacts facts = effectiveFacts();
    QStringList lines;
    const std::array<DecisionAction, 3> actions{DecisionAction::Approve, DecisionAction::Reject,
                                                DecisionAction::Escalate};
    for (DecisionAction action : actions) {
        QPushButton *b = button(action);
        const ActionCheck check = m_service.checkAction(*m_change, action, m_reason->text().trimmed(), facts);
        QString why = check.explanation.isEmpty() ? check.denial.message : check.explanation;
        bool allowed = check.allowed;
        // The store's verdict is the authority on the status: a change it
        // has decided is closed whatever a local evaluation would say.
        if (v.status != ChangeStatus::Pending && v.status != ChangeStatus::Rejected) {
            allowed = false;
            why = QStringLiteral("the change is %1: nothing to decide").arg(toString(v.status));
        }
        if (allowed && action == DecisionAction::Approve && fullReview && (!m_unseen || !m_unseen->isEmpty())) {
            allowed = false;
            why = m_unseen ? QStringLiteral("full review required: %1").arg(unseenText(*m_unseen))
                           : QStringLiteral("full review required: working out what must be seen");
        }
        b->setEnabled(allowed);
        setWhy(b, why);
        if (!b->isVisibleTo(this))
            continue;
        if (!allowed)
            lines << QStringLiteral("%1 unavailable: %2").arg(capitalized(toString(action)), why);
        else if (!why.isEmpty()) // allowed, with a caveat ("would not count: …")
            lines << capitalized(why);
    }
    updateReview(fullReview && v.status == ChangeStatus::Pending);
    return lines;
}

void DecisionBar::updateReview(bool required)
{
    m_reviewRow->setVisible(required);
    if (!required)
        return;
    if (!m_unseen) {
        m_review->setText(QStringLiteral("Full review required: working out what must be seen…"));
        m_nextUnseen->setEnabled(false);
        setWhy(m_nextUnseen, QStringLiteral("the items to review are still being worked out"));
    } else if (m_unseen->isEmpty()) {
        m_review->setText(QStringLiteral("Full review complete: every hunk, destructive resource and impacted "
                                         "node of this revision has been seen."));
        m_nextUnseen->setEnabled(false);
        setWhy(m_nextUnseen, QStringLiteral("nothing left unseen"));
    } else {
        m_review->setText(QStringLiteral("Full review required: %1.").arg(unseenText(*m_unseen)));
        m_nextUnseen->setEnabled(true);
        setWhy(m_nextUnseen, QStringLiteral("jump to the next item not yet seen"));
    }
}

void DecisionBar::setWhy(QPushButton *button, const QString &why)
{
    m_whyOf.insert(button, why);
    button->setToolTip(plainToolTip(why));
}

QString DecisionBar::unseenText(const QStringList &unseenKeys)
{
    int hunks = 0;
    int resources = 0;
    int nodes = 0;
    for (const QString &key : unseenKeys) {
        if (key.startsWith(QLatin1String("hunk:")))
            ++hunks;
        else if (key.startsWith(QLatin1String("resource:")))
            ++resources;
        else if (key.startsWith(QLatin1String("node:")))
            ++nodes;
    }
    QStringList parts;
    if (hunks > 0)
        parts << counted(hunks, QStringLiteral("hunk"), QStringLiteral("hunks"));
    if (resources > 0)
        parts << counted(resources, QStringLiteral("destructive resource"), QStringLiteral("destructive resources"));
    if (nodes > 0)
        parts << counted(nodes, QStringLiteral("impacted node"), QStringLiteral("impacted nodes"));
    if (parts.isEmpty())
        return QStringLiteral("everything seen");
    return parts.join(QStringLiteral(", ")) + QStringLiteral(" not yet seen");
}

QString DecisionBar::spanText(qint64 seconds)
{
    if (seconds < 60)
        return QStringLiteral("under a minute");
    if (seconds < 3600)
        return QStringLiteral("%1 min").arg(seconds / 60);
    if (seconds < 48 * 3600)
        return QStringLiteral("%1 h").arg(seconds / 3600);
    return QStringLiteral("%1 d").arg(seconds / 86400);
}

void DecisionBar::trigger(DecisionAction action)
{
    QPushButton *b = button(action);
    if (!m_change || !b || !isVisible())
        return;
    if (!b->isVisible() || !b->isEnabled()) {
        const QString why = m_whyOf.value(b);
        showMessage(QStringLiteral("Cannot %1: %2")
                        .arg(toString(action), why.isEmpty() ? QStringLiteral("not available") : why),
                    true);
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
