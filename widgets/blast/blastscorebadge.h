#pragma once

#include "domain/types.h"

#include <QWidget>

// The score, large, on its class colour, with the class name under it: the
// first thing a reviewer sees of an assessment. Painted, so no text here is
// ever interpreted as markup.
namespace hp {

class BlastScoreBadge : public QWidget
{
    Q_OBJECT

public:
    explicit BlastScoreBadge(QWidget *parent = nullptr);

    void setScore(int score, Impact riskClass);
    int score() const { return m_score; }
    QString classText() const; // "CRITICAL"

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return sizeHint(); }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    int m_score = 0;
    Impact m_class = Impact::Low;
};

} // namespace hp
