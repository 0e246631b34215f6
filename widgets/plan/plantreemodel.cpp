#include "plan/plantreemodel.h"

#include "domain/plaintooltip.h"
#include "plan/attributediff.h"
#include "review/reviewservice.h"
#include "storage/store.h"

#include <algorithm>

namespace hp {

namespace {

constexpr quintptr kTopLevel = 0;

std::optional<PlanGroup> groupOf(PlanAction action)
{
    switch (action) {
    case PlanAction::Replace: return PlanGroup::Replace;
    case PlanAction::Delete: return PlanGroup::Delete;
    case PlanAction::Update: return PlanGroup::Update;
    case PlanAction::Create: return PlanGroup::Create;
    case PlanAction::Forget: return PlanGroup::Forget;
    case PlanAction::Read: return PlanGroup::Read;
    case PlanAction::NoOp: break;
    }
    return std::nullopt;
}

QString valueChange(const AttributeRow &row)
{
    switch (row.change) {
    case AttributeChange::Added: return QStringLiteral("(none) → %1").arg(row.after);
    case AttributeChange::Removed: return QStringLiteral("%1 → (removed)").arg(row.before);
    case AttributeChange::Updated: return QStringLiteral("%1 → %2").arg(row.before, row.after);
    case AttributeChange::Unchanged: break;
    }
    return row.after;
}

} // namespace

QString badgeText(PlanGroup group)
{
    switch (group) {
    case PlanGroup::Replace: return QStringLiteral("REPLACE");
    case PlanGroup::Delete: return QStringLiteral("DELETE");
    case PlanGroup::Update: return QStringLiteral("UPDATE");
    case PlanGroup::Create: return QStringLiteral("CREATE");
    case PlanGroup::Forget: return QStringLiteral("FORGET");
    case PlanGroup::Read: return QStringLiteral("READ");
    case PlanGroup::Moved: return QStringLiteral("MOVED");
    case PlanGroup::Import: return QStringLiteral("IMPORT");
    case PlanGroup::Drift: return QStringLiteral("DRIFT");
    case PlanGroup::Deferred: return QStringLiteral("DEFERRED");
    }
    return {};
}

PlanTreeModel::PlanTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
{
}

void PlanTreeModel::clear()
{
    beginResetModel();
    m_plan.reset();
    m_hasPaths = false;
    m_resources.clear();
    m_visible.clear();
    m_rowOf.clear();
    endResetModel();
}

void PlanTreeModel::setPlan(std::shared_ptr<const ReadPlan> plan, int artifact)
{
    beginResetModel();
    m_plan = std::move(plan);
    m_artifact = artifact;
    m_resources.clear();
    m_visible.clear();
    m_hasPaths = false;
    if (m_plan)
        addResources();
    fillVisible();
    endResetModel();
}

QString PlanTreeModel::clean(const QString &text) const
{
    return m_plan ? m_plan->revisionRedactor.redact(text) : text;
}

void PlanTreeModel::addResources()
{
    const Plan &plan = m_plan->plan;
    for (const SummaryEntry &e : m_plan->summary.entries) {
        const std::optional<PlanGroup> group = groupOf(e.action);
        if (!group)
            continue;
        Resource r;
        r.group = *group;
        r.change = &plan.resourceChanges[static_cast<size_t>(e.resource)];
        r.why = clean(e.why);
        if (r.why.isEmpty() && r.group == PlanGroup::Update)
            r.why = QStringLiteral("updated in place");
        m_resources.push_back(std::move(r));
    }
    addNotes();
    for (const PlanResourceChange &rc : plan.resourceDrift) {
        Resource r;
        r.group = PlanGroup::Drift;
        r.change = &rc;
        r.why = QStringLiteral("changed outside Terraform since the last apply (%1)").arg(toString(rc.action));
        m_resources.push_back(std::move(r));
    }
    for (const PlanResourceChange &rc : plan.deferredChanges) {
        Resource r;
        r.group = PlanGroup::Deferred;
        r.change = &rc;
        r.why = clean(QStringLiteral("deferred to a later plan: %1").arg(rc.deferredReason));
        m_resources.push_back(std::move(r));
    }
    std::stable_sort(m_resources.begin(), m_resources.end(),
                     [](const Resource &a, const Resource &b) { return a.group < b.group; });
    for (Resource &r : m_resources) {
        r.address = clean(r.change->address);
        r.module = clean(r.change->moduleAddress);
        if (r.group == PlanGroup::Replace || r.group == PlanGroup::Delete)
            r.coverageKey = coverage::resourceKey(m_artifact, r.address);
    }
}

void PlanTreeModel::addNotes()
{
    for (const PlanResourceChange &rc : m_plan->plan.resourceChanges) {
        if (rc.isChanged() || rc.action == PlanAction::Read || (!rc.isMoved() && !rc.importing))
            continue;
        Resource r;
        r.change = &rc;
        r.group = rc.importing ? PlanGroup::Import : PlanGroup::Moved;
        QStringList why;
        if (rc.isMoved())
            why << QStringLiteral("moved from %1").arg(rc.previousAddress);
        if (rc.importing)
            why << (rc.importIdUnknown ? QStringLiteral("imported into Terraform (id known after apply)")
                                       : QStringLiteral("imported into Terraform (id %1)").arg(rc.importId));
        why << QStringLiteral("no other change");
        r.why = clean(why.join(QStringLiteral("; ")));
        m_resources.push_back(std::move(r));
    }
}

void PlanTreeModel::build(Resource &r) const
{
    if (r.built)
        return;
    r.built = true;
    if (!r.why.isEmpty())
        r.details.push_back({QStringLiteral("WHY"), QStringLiteral("reason"), r.why});
    if (r.change->isMoved())
        r.details.push_back({QStringLiteral("MOVED"), QStringLiteral("previous address"),
                             clean(r.change->previousAddress)});
    if (r.change->importing)
        r.details.push_back({QStringLiteral("IMPORT"), QStringLiteral("import id"),
                             r.change->importIdUnknown ? knownAfterApply() : clean(r.change->importId)});
    addCascades(r);
    addAttributes(r);
}

void PlanTreeModel::addCascades(Resource &r) const
{
    if (r.group == PlanGroup::Drift || r.group == PlanGroup::Deferred)
        return;
    for (const CascadeLink &link : m_plan->summary.cascades) {
        if (link.dependentAddress == r.change->address)
            r.details.push_back({QStringLiteral("CASCADE"),
                                 clean(QStringLiteral("forced by %1").arg(link.upstreamAddress)),
                                 clean(link.describe())});
        else if (link.upstreamAddress == r.change->address)
            r.details.push_back({QStringLiteral("CASCADE"),
                                 clean(QStringLiteral("forces %1").arg(link.dependentAddress)),
                                 clean(link.describe())});
    }
}

void PlanTreeModel::addAttributes(Resource &r) const
{
    AttributeDiff diff = diffAttributes(m_plan->plan, *r.change);
    // What forces a replacement comes first: it is the reason to look.
    std::stable_partition(diff.rows.begin(), diff.rows.end(),
                          [](const AttributeRow &row) { return row.forcesReplacement; });
    int unchanged = 0;
    for (const AttributeRow &row : diff.rows) {
        if (!row.isChanged()) {
            ++unchanged;
            continue;
        }
        const QString path = clean(row.path);
        r.details.push_back({row.forcesReplacement ? QStringLiteral("FORCES REPLACEMENT") : QString(),
                             path, clean(valueChange(row))});
    }
    if (unchanged > 0)
        r.details.push_back({QString(), QStringLiteral("unchanged"),
                             QStringLiteral("%1 unchanged attributes not shown").arg(unchanged)});
    if (diff.truncated)
        r.details.push_back({QStringLiteral("NOTE"), QStringLiteral("truncated"),
                             QStringLiteral("the attribute diff stops at %1 rows").arg(diff.rows.size())});
}

bool PlanTreeModel::accepted(const Resource &r) const
{
    if (m_group && r.group != *m_group)
        return false;
    if (!m_module.isNull() && r.module != m_module)
        return false;
    if (m_search.isEmpty() || r.address.contains(m_search, Qt::CaseInsensitive))
        return true;
    const QString needle = m_search.toLower();
    return std::any_of(r.attributePaths.cbegin(), r.attributePaths.cend(),
                       [&](const QString &p) { return p.contains(needle); });
}

std::vector<const PlanResourceChange *> PlanTreeModel::changes() const
{
    std::vector<const PlanResourceChange *> out;
    out.reserve(m_resources.size());
    for (const Resource &r : m_resources)
        out.push_back(r.change);
    return out;
}

void PlanTreeModel::setAttributePaths(std::vector<QStringList> paths)
{
    if (paths.size() != m_resources.size())
        return;
    for (size_t i = 0; i < paths.size(); ++i)
        m_resources[i].attributePaths = std::move(paths[i]);
    m_hasPaths = true;
    if (!m_search.isEmpty())
        refilter();
}

std::vector<QStringList> changedAttributePaths(const ReadPlan &plan,
                                               const std::vector<const PlanResourceChange *> &changes)
{
    std::vector<QStringList> out;
    out.reserve(changes.size());
    for (const PlanResourceChange *change : changes) {
        QStringList paths;
        const AttributeDiff diff = diffAttributes(plan.plan, *change);
        for (const AttributeRow &row : diff.rows) {
            if (row.isChanged())
                paths << plan.revisionRedactor.redact(row.path).toLower();
        }
        out.push_back(std::move(paths));
    }
    return out;
}

void PlanTreeModel::fillVisible()
{
    m_visible.clear();
    m_rowOf.assign(m_resources.size(), -1);
    for (size_t i = 0; i < m_resources.size(); ++i) {
        if (accepted(m_resources[i])) {
            m_rowOf[i] = static_cast<int>(m_visible.size());
            m_visible.push_back(static_cast<int>(i));
        }
    }
}

void PlanTreeModel::refilter()
{
    beginResetModel();
    fillVisible();
    endResetModel();
}

void PlanTreeModel::setActionFilter(std::optional<PlanGroup> group)
{
    m_group = group;
    refilter();
}

void PlanTreeModel::setModuleFilter(const QString &module)
{
    m_module = module;
    refilter();
}

void PlanTreeModel::setSearch(const QString &text)
{
    m_search = text.trimmed();
    refilter();
}

QStringList PlanTreeModel::modules() const
{
    QStringList out;
    for (const Resource &r : m_resources) {
        if (!out.contains(r.module))
            out << r.module;
    }
    std::sort(out.begin(), out.end());
    return out;
}

QStringList PlanTreeModel::destructiveKeys() const
{
    QStringList out;
    for (const Resource &r : m_resources) {
        if (!r.coverageKey.isEmpty())
            out << r.coverageKey;
    }
    return out;
}

std::vector<int> PlanTreeModel::rowsMatchedByAttribute() const
{
    std::vector<int> rows;
    if (m_search.isEmpty())
        return rows;
    for (int row = 0; row < static_cast<int>(m_visible.size()); ++row) {
        if (!m_resources[static_cast<size_t>(m_visible[static_cast<size_t>(row)])].address.contains(
                m_search, Qt::CaseInsensitive))
            rows.push_back(row);
    }
    return rows;
}

const PlanTreeModel::Resource *PlanTreeModel::resourceAt(const QModelIndex &index) const
{
    if (!index.isValid() || index.internalId() != kTopLevel || index.row() >= static_cast<int>(m_visible.size()))
        return nullptr;
    return &m_resources[static_cast<size_t>(m_visible[static_cast<size_t>(index.row())])];
}

bool PlanTreeModel::isResource(const QModelIndex &index) const
{
    return resourceAt(index) != nullptr;
}

QModelIndex PlanTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid())
        return row < static_cast<int>(m_visible.size()) ? createIndex(row, column, kTopLevel) : QModelIndex();
    const Resource *r = resourceAt(parent);
    if (!r || row >= static_cast<int>(r->details.size()))
        return {};
    return createIndex(row, column, static_cast<quintptr>(m_visible[static_cast<size_t>(parent.row())]) + 1);
}

QModelIndex PlanTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == kTopLevel)
        return {};
    const size_t resource = static_cast<size_t>(child.internalId() - 1);
    const int row = resource < m_rowOf.size() ? m_rowOf[resource] : -1;
    return row < 0 ? QModelIndex() : createIndex(row, 0, kTopLevel);
}

int PlanTreeModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return static_cast<int>(m_visible.size());
    if (parent.column() != 0)
        return 0;
    const Resource *r = resourceAt(parent);
    return r ? static_cast<int>(r->details.size()) : 0;
}

int PlanTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

bool PlanTreeModel::hasChildren(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return !m_visible.empty();
    const Resource *r = resourceAt(parent);
    return r != nullptr && parent.column() == 0 && (!r->built || !r->details.empty());
}

bool PlanTreeModel::canFetchMore(const QModelIndex &parent) const
{
    const Resource *r = resourceAt(parent);
    return r != nullptr && !r->built;
}

void PlanTreeModel::fetchMore(const QModelIndex &parent)
{
    const Resource *found = resourceAt(parent);
    if (!found || found->built)
        return;
    // Built into a copy first: the rows may be announced only once known.
    Resource &r = m_resources[static_cast<size_t>(m_visible[static_cast<size_t>(parent.row())])];
    Resource built = r;
    build(built);
    if (built.details.empty()) {
        r = std::move(built);
        return;
    }
    beginInsertRows(parent.siblingAtColumn(0), 0, static_cast<int>(built.details.size()) - 1);
    r = std::move(built);
    endInsertRows();
}

QVariant PlanTreeModel::data(const QModelIndex &index, int role) const
{
    const QVariant value = plainData(index, role);
    if (role == Qt::ToolTipRole && value.typeId() == QMetaType::QString)
        return plainToolTip(value.toString());
    return value;
}

QVariant PlanTreeModel::plainData(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    if (const Resource *r = resourceAt(index)) {
        if (role == GroupRole)
            return static_cast<int>(r->group);
        if (role == CoverageKeyRole)
            return r->coverageKey;
        if (role == Qt::ToolTipRole && index.column() == SubjectColumn)
            return QStringLiteral("%1\n%2").arg(r->address, r->why);
        if (role == Qt::DisplayRole || role == Qt::ToolTipRole || role == Qt::AccessibleTextRole) {
            switch (index.column()) {
            case ActionColumn: return badgeText(r->group);
            case SubjectColumn: return r->address;
            case DetailColumn: return r->why;
            default: return {};
            }
        }
        return {};
    }
    const Resource &owner = m_resources[static_cast<size_t>(index.internalId() - 1)];
    const Detail &d = owner.details[static_cast<size_t>(index.row())];
    if (role == TagRole)
        return d.tag;
    if (role == Qt::ToolTipRole && index.column() == SubjectColumn)
        return QStringLiteral("%1\n%2").arg(d.subject, d.detail);
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole || role == Qt::AccessibleTextRole) {
        switch (index.column()) {
        case ActionColumn: return d.tag;
        case SubjectColumn: return d.subject;
        case DetailColumn: return d.detail;
        default: return {};
        }
    }
    return {};
}

QVariant PlanTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ActionColumn: return QStringLiteral("Action");
    case SubjectColumn: return QStringLiteral("Resource · why  /  attribute · before → after");
    case DetailColumn: return QStringLiteral("Why / before → after");
    default: return {};
    }
}

QString PlanTreeModel::rowText(const QModelIndex &index) const
{
    QStringList parts;
    for (int c = 0; c < ColumnCount; ++c) {
        const QString text = data(index.siblingAtColumn(c), Qt::DisplayRole).toString();
        if (!text.isEmpty())
            parts << text;
    }
    return clean(parts.join(QLatin1Char('\t')));
}

} // namespace hp
