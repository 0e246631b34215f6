#pragma once

#include "risk/riskmodel.h"

#include <QWidget>

#include <optional>

class QVBoxLayout;

// The flags of an assessment, each as a coloured chip with its floor and every
// line of its evidence (DESIGN §4 flag table). INTENT_MISMATCH leads, in
// words a reviewer cannot misread: "agent declared low, computed critical".
// Evidence names addresses and files an agent wrote: plain text, dangerous
// characters escaped.
namespace hp {

class BlastFlagsPanel : public QWidget
{
    Q_OBJECT

public:
    explicit BlastFlagsPanel(QWidget *parent = nullptr);

    void setFlags(const Assessment &assessment, std::optional<Impact> declaredImpact);
    void clear();
    QStringList codes() const { return m_codes; } // as shown, top to bottom

private:
    QWidget *flagRow(const RiskFlag &flag, const QString &headline, const QStringList &evidence);

    QVBoxLayout *m_layout = nullptr;
    QStringList m_codes;
};

} // namespace hp
