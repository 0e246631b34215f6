#pragma once

#include <QDialog>

// The keyboard shortcut sheet (`?`): every key the console answers to.
namespace hp {

class ShortcutSheet : public QDialog
{
    Q_OBJECT

public:
    explicit ShortcutSheet(QWidget *parent = nullptr);
};

} // namespace hp
