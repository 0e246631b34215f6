#include "plan/attributediff.h"

#include "plan/plandocument.h"
#include "plan/planvalues.h"

#include <algorithm>

namespace hp {

namespace {

using planvalue::isArray;
using planvalue::isObject;
using planvalue::isTrue;

struct Step
{
    std::string_view key;
    qint64 index = -1;
};

// The three trees walked side by side at one path, plus the masks.
struct Node
{
    OptElement before;
    OptElement after;
    OptElement unknown;
    OptElement beforeMask;
    OptElement afterMask;
    bool beforeSensitive = false;
    bool afterSensitive = false;
    bool isUnknown = false;
};

std::vector<JsonElement> itemsOf(const OptElement &e)
{
    std::vector<JsonElement> out;
    if (!e || !isArray(*e))
        return out;
    const simdjson::dom::array items = planvalue::arrayOf(*e);
    out.reserve(items.size());
    for (JsonElement item : items)
        out.push_back(item);
    return out;
}

std::vector<std::pair<std::string_view, JsonElement>> membersOf(const OptElement &e)
{
    if (!e || !isObject(*e))
        return {};
    return planvalue::sortedMembers(*e);
}

OptElement at(const std::vector<JsonElement> &items, size_t i)
{
    return i < items.size() ? OptElement(items[i]) : std::nullopt;
}

// A value present in the JSON: null counts as a value ("null"), except that
// a whole missing side of the change is nullopt already.
OptElement find(const std::vector<std::pair<std::string_view, JsonElement>> &members, std::string_view key)
{
    const auto it = std::lower_bound(members.begin(), members.end(), key,
                                     [](const auto &m, std::string_view k) { return m.first < k; });
    return it != members.end() && it->first == key ? OptElement(it->second) : std::nullopt;
}

bool nonEmptyContainer(const OptElement &e)
{
    if (!e)
        return false;
    if (isObject(*e))
        return planvalue::objectOf(*e).size() > 0;
    if (isArray(*e))
        return planvalue::arrayOf(*e).size() > 0;
    return false;
}

class Flattener
{
public:
    Flattener(const Redactor &redactor, const std::vector<AttributePath> &replacePaths,
              const AttributeDiffOptions &options, AttributeDiff &out)
        : m_redactor(redactor), m_replacePaths(replacePaths), m_options(options), m_out(out)
    {
    }

    void walk(Node n)
    {
        if (m_out.truncated)
            return;
        n.beforeSensitive = n.beforeSensitive || isTrue(n.beforeMask);
        n.afterSensitive = n.afterSensitive || isTrue(n.afterMask);
        n.isUnknown = n.isUnknown || isTrue(n.unknown);
        // A sensitive value shows as one row: its keys and shape are secret too.
        if (n.beforeSensitive || n.afterSensitive)
            return leaf(n);
        // Unknown after apply: list what the old value held, each part
        // becoming "(known after apply)".
        if (n.isUnknown) {
            if (nonEmptyContainer(n.before))
                return isObject(*n.before) ? descendObject(n) : descendArray(n);
            return leaf(n);
        }
        const int kind = containerKind(n);
        if (kind > 0 && (nonEmptyContainer(n.before) || nonEmptyContainer(n.after) || nonEmptyContainer(n.unknown)))
            return kind == kObject ? descendObject(n) : descendArray(n);
        leaf(n);
    }

private:
    static constexpr int kObject = 1;
    static constexpr int kArray = 2;

    // kObject or kArray when every side present is that kind of container
    // (after_unknown counts only where it is a container: false is "known"),
    // else 0 and the node is shown as one row.
    static int containerKind(const Node &n)
    {
        int kind = 0;
        for (const OptElement *e : {&n.before, &n.after, &n.unknown}) {
            if (!*e || (e == &n.unknown && !planvalue::isContainer(**e)))
                continue;
            const int k = isObject(**e) ? kObject : isArray(**e) ? kArray : -1;
            if (k < 0 || (kind != 0 && k != kind))
                return 0;
            kind = k;
        }
        return kind;
    }

    void descendObject(const Node &n)
    {
        const auto before = membersOf(n.before);
        const auto after = membersOf(n.after);
        const auto unknown = membersOf(n.unknown);
        std::vector<std::string_view> keys;
        keys.reserve(before.size() + after.size() + unknown.size());
        for (const auto *list : {&before, &after, &unknown}) {
            for (const auto &m : *list)
                keys.push_back(m.first);
        }
        std::sort(keys.begin(), keys.end());
        keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
        for (std::string_view key : keys) {
            m_path.push_back(Step{key, -1});
            walk(Node{find(before, key), find(after, key), find(unknown, key), planvalue::member(n.beforeMask, key),
                      planvalue::member(n.afterMask, key), false, false, n.isUnknown});
            m_path.pop_back();
        }
    }

    void descendArray(const Node &n)
    {
        const auto before = itemsOf(n.before);
        const auto after = itemsOf(n.after);
        const auto unknown = itemsOf(n.unknown);
        const auto beforeMask = itemsOf(n.beforeMask);
        const auto afterMask = itemsOf(n.afterMask);
        const size_t count = std::max({before.size(), after.size(), unknown.size()});
        for (size_t i = 0; i < count; ++i) {
            m_path.push_back(Step{{}, static_cast<qint64>(i)});
            walk(Node{at(before, i), at(after, i), at(unknown, i), at(beforeMask, i), at(afterMask, i), false,
                      false, n.isUnknown});
            m_path.pop_back();
        }
    }

    void leaf(const Node &n)
    {
        if (static_cast<int>(m_out.rows.size()) >= m_options.maxRows) {
            m_out.truncated = true;
            return;
        }
        AttributeRow row;
        row.path = m_redactor.redact(formatAttributePath(currentPath()));
        row.hasBefore = n.before.has_value();
        row.hasAfter = n.after.has_value() || n.isUnknown;
        row.afterUnknown = n.isUnknown;
        if (row.hasBefore)
            row.before = n.beforeSensitive ? Redactor::mask() : render(*n.before);
        if (n.isUnknown)
            row.after = knownAfterApply();
        else if (row.hasAfter)
            row.after = n.afterSensitive ? Redactor::mask() : render(*n.after);
        row.sensitive = n.beforeSensitive || n.afterSensitive || row.before.contains(Redactor::mask())
                     || row.after.contains(Redactor::mask());
        row.forcesReplacement = forcesReplacement();
        row.change = classify(n, row);
        if (!row.hasBefore && !row.hasAfter)
            return;
        if (row.isChanged())
            ++m_out.changedRows;
        m_out.rows.push_back(std::move(row));
    }

    static AttributeChange classify(const Node &n, const AttributeRow &row)
    {
        if (!row.hasBefore)
            return AttributeChange::Added;
        if (!row.hasAfter)
            return AttributeChange::Removed;
        if (n.isUnknown || !planvalue::deepEqual(*n.before, *n.after))
            return AttributeChange::Updated;
        return AttributeChange::Unchanged;
    }

    QString render(JsonElement e) const { return planvalue::render(e, m_redactor, m_options.maxValueChars); }

    AttributePath currentPath() const
    {
        AttributePath path;
        path.reserve(m_path.size());
        for (const Step &s : m_path)
            path.push_back(s.index >= 0 ? PathStep{QString(), s.index} : PathStep{planvalue::fromUtf8(s.key), -1});
        return path;
    }

    // A replace path marks the attribute it names, what lies inside it, and
    // the row that stands for a whole value containing it.
    bool forcesReplacement() const
    {
        if (m_replacePaths.empty())
            return false;
        const AttributePath here = currentPath();
        for (const AttributePath &p : m_replacePaths) {
            if (isPathPrefix(p, here) || isPathPrefix(here, p))
                return true;
        }
        return false;
    }

    const Redactor &m_redactor;
    const std::vector<AttributePath> &m_replacePaths;
    const AttributeDiffOptions &m_options;
    AttributeDiff &m_out;
    std::vector<Step> m_path;
};

} // namespace

QString toString(AttributeChange change)
{
    switch (change) {
    case AttributeChange::Unchanged: return QStringLiteral("unchanged");
    case AttributeChange::Updated: return QStringLiteral("updated");
    case AttributeChange::Added: return QStringLiteral("added");
    case AttributeChange::Removed: return QStringLiteral("removed");
    }
    return {};
}

AttributeDiff diffAttributes(const Plan &plan, const PlanResourceChange &change, const AttributeDiffOptions &options)
{
    AttributeDiff out;
    out.address = change.address;
    out.action = change.action;
    const RawChange *raw = plan.document ? plan.document->raw(change) : nullptr;
    if (!raw)
        return out;
    Flattener flattener(plan.redactor, change.replacePaths, options, out);
    flattener.walk(Node{raw->before, raw->after, raw->afterUnknown, raw->beforeSensitive, raw->afterSensitive, false,
                        false, false});
    return out;
}

} // namespace hp
