#include "coverage/seentracker.h"

#include <algorithm>

namespace hp {

namespace {

using Interval = std::pair<qint64, qint64>;

void addInterval(std::vector<Interval> &set, Interval add)
{
    set.push_back(add);
    std::sort(set.begin(), set.end());
    std::vector<Interval> merged;
    for (const Interval &i : set) {
        if (!merged.empty() && i.first <= merged.back().second)
            merged.back().second = std::max(merged.back().second, i.second);
        else
            merged.push_back(i);
    }
    set = std::move(merged);
}

bool covers(const std::vector<Interval> &set, qint64 top, qint64 bottom)
{
    return std::any_of(set.begin(), set.end(),
                       [&](const Interval &i) { return i.first <= top && i.second >= bottom; });
}

} // namespace

SeenTracker::SeenTracker(QWidget *scope, QObject *parent)
    : QObject(parent), m_scope(scope)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(kDwellMs);
    connect(&m_timer, &QTimer::timeout, this, &SeenTracker::settle);
}

void SeenTracker::setItems(std::vector<TrackedItem> items)
{
    m_items = std::move(items);
    std::stable_sort(m_items.begin(), m_items.end(),
                     [](const TrackedItem &a, const TrackedItem &b) { return a.top < b.top; });
    m_covered.clear();
    if (m_hasViewport)
        m_timer.start();
}

void SeenTracker::reset()
{
    m_items.clear();
    m_seen.clear();
    m_covered.clear();
    m_hasViewport = false;
    m_timer.stop();
}

void SeenTracker::markSeen(const QStringList &keys)
{
    for (const QString &k : keys)
        m_seen.insert(k);
}

void SeenTracker::setViewport(qint64 top, qint64 bottom)
{
    if (m_hasViewport && top == m_top && bottom == m_bottom && m_timer.isActive())
        return;
    m_top = top;
    m_bottom = std::max(top, bottom);
    m_hasViewport = true;
    m_timer.start(); // restarts: the range must rest kDwellMs
}

int SeenTracker::seenCount() const
{
    return static_cast<int>(std::count_if(m_items.begin(), m_items.end(),
                                          [&](const TrackedItem &i) { return m_seen.contains(i.key); }));
}

QStringList SeenTracker::unseen() const
{
    QStringList out;
    for (const TrackedItem &i : m_items)
        if (!m_seen.contains(i.key))
            out << i.key;
    return out;
}

bool SeenTracker::windowActive() const
{
    if (!m_requireActive)
        return true;
    const QWidget *scope = m_scope.data();
    return scope != nullptr && scope->isVisible() && scope->isActiveWindow();
}

void SeenTracker::settle()
{
    if (!m_hasViewport || m_bottom <= m_top || !windowActive())
        return;
    const qint64 height = m_bottom - m_top;
    QStringList fresh;
    // Items are sorted by top: stop once they start below the viewport.
    for (const TrackedItem &item : m_items) {
        if (item.top >= m_bottom)
            break;
        if (item.bottom <= m_top || m_seen.contains(item.key))
            continue;
        bool done = false;
        if (item.bottom - item.top <= height) {
            done = item.top >= m_top && item.bottom <= m_bottom;
        } else {
            std::vector<Interval> &set = m_covered[item.key];
            addInterval(set, {std::max(item.top, m_top), std::min(item.bottom, m_bottom)});
            done = covers(set, item.top, item.bottom);
        }
        if (done) {
            m_seen.insert(item.key);
            m_covered.remove(item.key);
            fresh << item.key;
        }
    }
    if (!fresh.isEmpty())
        Q_EMIT seen(fresh);
}

} // namespace hp
