#pragma once

#include "domain/types.h"
#include "storage/store.h"

#include <QWidget>

#include <optional>

class QLabel;
class QLineEdit;
class QPushButton;

// The bottom of the Review workspace: what the verdict still needs, a reason
// field and Approve / Reject / Escalate. Whether each button is enabled, and
// why not, comes from the review rule (ReviewService::checkAction); a
// disabled control says why both in its tooltip and in a visible line. The
// bar decides nothing itself: it emits decisionRequested and shows the result
// it is handed. An auditor sees no bar at all; an admin sees no Approve.
namespace hp {

class ReviewService;

class DecisionBar : public QWidget
{
    Q_OBJECT

public:
    explicit DecisionBar(ReviewService &service, QWidget *parent = nullptr);

    // Keeps the reason and the last result when it is the same change.
    void setChange(const ChangeDetail &change);
    void clear();
    // Re-reads the principal's roles: visibility of the bar and of Approve.
    void applyPrincipal();
    // As if the button was pressed; a disabled one shows why instead.
    void trigger(DecisionAction action);
    void showResult(DecisionAction action, const Result<DecideResult> &result);

    QLineEdit *reasonEdit() const { return m_reason; }
    QPushButton *button(DecisionAction action) const;
    QLabel *explanationLabel() const { return m_why; }
    QLabel *resultLabel() const { return m_result; }

Q_SIGNALS:
    void decisionRequested(const QString &changeId, hp::DecisionAction action,
                           const QString &reason);

private:
    void updateControls();
    void showMessage(const QString &text, bool failure);

    ReviewService &m_service;
    std::optional<ChangeDetail> m_change;
    QLabel *m_status = nullptr;
    QLabel *m_needs = nullptr;
    QLineEdit *m_reason = nullptr;
    QPushButton *m_approve = nullptr;
    QPushButton *m_reject = nullptr;
    QPushButton *m_escalate = nullptr;
    QLabel *m_why = nullptr;
    QLabel *m_result = nullptr;
};

} // namespace hp
