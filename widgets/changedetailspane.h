#pragma once

#include "domain/types.h"

#include <QScrollArea>

class QFormLayout;
class QLabel;
class QPushButton;
class QVBoxLayout;

// The right side of the Review workspace: who proposed the change and why,
// where it lands, its revisions and every decision with whether it counts.
// Everything the agent sent is shown as plain text (QLabel with
// Qt::PlainText); uncounted decisions are muted and say why, outdated ones
// are struck through.
namespace hp {

class ChangeDetailsPane : public QScrollArea
{
    Q_OBJECT

public:
    explicit ChangeDetailsPane(QWidget *parent = nullptr);

    void setChange(const ChangeDetail &change);
    void clear();

    QLabel *titleLabel() const { return m_title; }
    QPushButton *evidenceReportButton() const { return m_report; }

Q_SIGNALS:
    // "Evidence report…" was pressed for the shown change.
    void evidenceReportRequested(const QString &changeId);

private:
    void addFacts(QVBoxLayout *layout); // the Agent and Change sections
    QLabel *addField(QFormLayout *form, const QString &name);
    QWidget *decisionRow(const DecisionRecord &d, int latestRevision);
    void fillRevisions(const ChangeDetail &change);
    void fillDecisions(const ChangeDetail &change);

    QWidget *m_body = nullptr;
    QPushButton *m_report = nullptr;
    QString m_changeId;
    QLabel *m_title = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_needs = nullptr;
    QLabel *m_id = nullptr;
    QLabel *m_agentPrincipal = nullptr;
    QLabel *m_agentName = nullptr;
    QLabel *m_agentVersion = nullptr;
    QLabel *m_agentRun = nullptr;
    QLabel *m_operator = nullptr;
    QLabel *m_unregistered = nullptr;
    QLabel *m_intent = nullptr;
    QLabel *m_environment = nullptr;
    QLabel *m_target = nullptr;
    QLabel *m_impact = nullptr;
    QLabel *m_contributors = nullptr;
    QVBoxLayout *m_revisions = nullptr;
    QVBoxLayout *m_decisions = nullptr;
};

} // namespace hp
