#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QStringList>
#include <QTimer>
#include <QWidget>

#include <vector>

// Review coverage (DESIGN §5 "seen"): an item counts as seen once it has been
// entirely inside the viewport of the active window for 300 ms; an item taller
// than the viewport once every part of it has been (scrolled through, each
// part resting 300 ms). Views give their items and the visible range in one
// coordinate system of their choosing (pixels, rows): the tracker is pure
// bookkeeping plus one timer, shared by the diff, plan and blast radius views.
namespace hp {

struct TrackedItem
{
    QString key;     // a coverage key (storage/store.h coverage::*)
    qint64 top = 0;  // first unit of the item
    qint64 bottom = 0; // one past its last unit
};

class SeenTracker : public QObject
{
    Q_OBJECT

public:
    static constexpr int kDwellMs = 300;

    // `scope`: the widget whose window must be active (the view itself).
    explicit SeenTracker(QWidget *scope, QObject *parent = nullptr);

    // The items, in any order. Clears the progress of tall items; seen keys stay seen.
    void setItems(std::vector<TrackedItem> items);
    // Forgets everything (another revision or artifact).
    void reset();
    // Keys seen earlier (read from the store): counted, never re-announced.
    void markSeen(const QStringList &keys);
    // The visible range now, [top, bottom). Call on every scroll and resize.
    void setViewport(qint64 top, qint64 bottom);

    bool isSeen(const QString &key) const { return m_seen.contains(key); }
    int total() const { return static_cast<int>(m_items.size()); }
    int seenCount() const;
    QStringList unseen() const; // in item order
    // Tests under the offscreen platform have no active window.
    void setRequireActiveWindow(bool require) { m_requireActive = require; }

Q_SIGNALS:
    // Newly seen keys, once each.
    void seen(const QStringList &keys);

private:
    void settle(); // the viewport rested kDwellMs
    bool windowActive() const;

    QPointer<QWidget> m_scope;
    std::vector<TrackedItem> m_items;
    QSet<QString> m_seen;
    // Tall items: covered intervals so far, merged and sorted.
    QHash<QString, std::vector<std::pair<qint64, qint64>>> m_covered;
    qint64 m_top = 0;
    qint64 m_bottom = 0;
    bool m_hasViewport = false;
    bool m_requireActive = true;
    QTimer m_timer;
};

} // namespace hp
