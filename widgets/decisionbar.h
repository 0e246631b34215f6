#pragma once

#include "domain/types.h"
#include "storage/store.h"

#include <QHash>
#include <QWidget>

#include <functional>
#include <optional>

class QLabel;
class QLineEdit;
class QPushButton;

// The bottom of the Review workspace: what the policy still needs (the
// verdict's needs and rule, approvals counted, the clocks of DESIGN §5), a
// reason field and Approve / Reject / Escalate. Whether each button is
// enabled, and why not, comes from the review rule under the policy in force
// (ReviewService::checkAction with the change's ReviewFacts); a disabled
// control says why in a visible line and in its (plain text) tooltip.
//
// Full review: when the matching rule asks for it, Approve stays disabled
// until the workspace reports that every required item of the revision has
// been seen by this reviewer (setUnseen); the bar names what is still unseen
// and offers "Next unseen", which asks the workspace to jump there.
//
// The bar decides nothing itself: it emits decisionRequested and shows the
// result it is handed. An auditor sees no bar at all; an admin sees no Approve.
namespace hp {

class ReviewService;

class DecisionBar : public QWidget
{
    Q_OBJECT

public:
    using Clock = std::function<QDateTime()>;

    explicit DecisionBar(ReviewService &service, QWidget *parent = nullptr);

    // Keeps the reason, the last result, the facts and the coverage when it
    // is the same change and revision.
    void setChange(const ChangeDetail &change);
    void clear();
    // What the policy reads about the shown change (Store::reviewFacts).
    void setFacts(const ReviewFacts &facts);
    // The required items this reviewer has not seen yet on the shown revision;
    // nullopt while they are being worked out.
    void setUnseen(const std::optional<QStringList> &unseen);
    // "now" for the countdowns; empty: the system clock.
    void setClock(Clock clock);
    // Re-reads the principal's roles: visibility of the bar and of Approve.
    void applyPrincipal();
    // As if the button was pressed; a disabled one shows why instead.
    void trigger(DecisionAction action);
    void showResult(DecisionAction action, const Result<DecideResult> &result);

    // Whether the policy asks the shown change for a full review.
    bool fullReviewRequired() const;
    // "3 hunks, 1 destructive resource, 2 impacted nodes not yet seen".
    static QString unseenText(const QStringList &unseenKeys);
    // "12 min", "3 h", "2 d".
    static QString spanText(qint64 seconds);

    QLineEdit *reasonEdit() const { return m_reason; }
    QPushButton *button(DecisionAction action) const;
    QPushButton *nextUnseenButton() const { return m_nextUnseen; }
    QLabel *needsLabel() const { return m_needs; }
    QLabel *ruleLabel() const { return m_rule; }
    QLabel *clockLabel() const { return m_clocks; }
    QLabel *reviewLabel() const { return m_review; }
    QLabel *explanationLabel() const { return m_why; }
    QLabel *resultLabel() const { return m_result; }

Q_SIGNALS:
    void decisionRequested(const QString &changeId, hp::DecisionAction action,
                           const QString &reason);
    void nextUnseenRequested();

private:
    void updateControls();
    void updateHead(const Verdict &v);
    QStringList updateButtons(const Verdict &v);
    void updateReview(bool required);
    QString clocksText(const Verdict &v) const;
    ReviewFacts effectiveFacts() const;
    void setWhy(QPushButton *button, const QString &why);
    void showMessage(const QString &text, bool failure);

    ReviewService &m_service;
    std::optional<ChangeDetail> m_change;
    ReviewFacts m_facts;
    std::optional<QStringList> m_unseen;
    Clock m_clock;
    QHash<QPushButton *, QString> m_whyOf; // plain text of each button's tooltip
    QLabel *m_status = nullptr;
    QLabel *m_needs = nullptr;
    QLabel *m_approvals = nullptr;
    QLabel *m_clocks = nullptr;
    QLabel *m_rule = nullptr;
    QLineEdit *m_reason = nullptr;
    QPushButton *m_approve = nullptr;
    QPushButton *m_reject = nullptr;
    QPushButton *m_escalate = nullptr;
    QWidget *m_reviewRow = nullptr;
    QLabel *m_review = nullptr;
    QPushButton *m_nextUnseen = nullptr;
    QLabel *m_why = nullptr;
    QLabel *m_result = nullptr;
};

} // namespace hp
