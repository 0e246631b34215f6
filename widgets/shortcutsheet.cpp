#include "shortcutsheet.h"

#include "statusstyle.h"

#include <QDialogButtonBox>
#include <QGridLayout>
#include <QLabel>
#include <QVBoxLayout>

#include <array>
#include <utility>

namespace hp {

ShortcutSheet::ShortcutSheet(QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(QStringLiteral("Keyboard shortcuts"));
    const std::array<std::pair<const char16_t *, const char16_t *>, 16> keys{{
        {u"j / k", u"next / previous change in the queue"},
        {u"a", u"approve the selected change"},
        {u"r", u"reject (a reason is required)"},
        {u"e", u"escalate to a lead (a reason is required)"},
        {u"/", u"filter the queue"},
        {u"s", u"next item a full review has not seen yet (hunk, resource, impacted node)"},
        {u"n / p", u"next / previous hunk of the diff"},
        {u"N / P, ] / [", u"next / previous file of the diff"},
        {u"u", u"unified or side-by-side diff"},
        {u"Ctrl+F, F3", u"find in the diff, next match (Shift+F3: previous)"},
        {u"Enter", u"show the unchanged lines of a fold"},
        {u"Esc", u"leave the filter or reason field, back to the queue"},
        {u"F5", u"refresh now"},
        {u"?", u"this sheet"},
        {u"Ctrl+Q", u"quit"},
        {u"", u"Letters act only outside text fields: typing a reason never decides."},
    }};
    auto *grid = new QGridLayout;
    grid->setHorizontalSpacing(18);
    grid->setVerticalSpacing(6);
    int row = 0;
    for (const auto &[key, what] : keys) {
        auto *k = new QLabel(QString::fromUtf16(key), this);
        k->setFont(StatusStyle::scaled(StatusStyle::monospace(), 1.1, true));
        auto *w = new QLabel(QString::fromUtf16(what), this);
        w->setTextFormat(Qt::PlainText);
        grid->addWidget(k, row, 0, Qt::AlignRight | Qt::AlignTop);
        grid->addWidget(w, row, 1);
        ++row;
    }
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(grid);
    layout->addWidget(buttons);
}

} // namespace hp
