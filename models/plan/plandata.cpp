#include "plan/plandata.h"

namespace hp {

namespace {

struct ReasonText
{
    ActionReason reason;
    const char *code;
    const char *words;
};

constexpr ReasonText kReasons[] = {
    {ActionReason::ReplaceBecauseTainted, "replace_because_tainted",
     "the object is tainted (a previous apply failed part-way)"},
    {ActionReason::ReplaceBecauseCannotUpdate, "replace_because_cannot_update",
     "a changed attribute forces replacement"},
    {ActionReason::ReplaceByRequest, "replace_by_request", "replacement was requested (-replace)"},
    {ActionReason::ReplaceByTriggers, "replace_by_triggers", "a replace_triggered_by reference changed"},
    {ActionReason::DeleteBecauseNoResourceConfig, "delete_because_no_resource_config",
     "its configuration was removed"},
    {ActionReason::DeleteBecauseWrongRepetition, "delete_because_wrong_repetition",
     "count or for_each was added to or removed from its configuration"},
    {ActionReason::DeleteBecauseCountIndex, "delete_because_count_index", "its count index is now out of range"},
    {ActionReason::DeleteBecauseEachKey, "delete_because_each_key", "its for_each key is no longer present"},
    {ActionReason::DeleteBecauseNoModule, "delete_because_no_module", "its module was removed from the configuration"},
    {ActionReason::DeleteBecauseNoMoveTarget, "delete_because_no_move_target",
     "a moved block points it to an address that is not in the configuration"},
    {ActionReason::ReadBecauseConfigUnknown, "read_because_config_unknown",
     "its configuration depends on values known only after apply"},
    {ActionReason::ReadBecauseDependencyPending, "read_because_dependency_pending",
     "it depends on changes not applied yet"},
    {ActionReason::ReadBecauseCheckNested, "read_because_check_nested", "it is read inside a check block"},
};

// Lower-case snake_case, as schema attribute names are; anything else is
// taken for a map key.
bool looksLikeAttribute(const QString &key)
{
    if (key.isEmpty() || !(key.front() == u'_' || (key.front() >= u'a' && key.front() <= u'z')))
        return false;
    for (QChar c : key) {
        if (!(c == u'_' || c == u'-' || (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9')))
            return false;
    }
    return true;
}

QString quoted(const QString &key)
{
    QString out = QStringLiteral("[\"");
    for (QChar c : key) {
        if (c == u'"' || c == u'\\')
            out += QLatin1Char('\\');
        out += c;
    }
    return out + QStringLiteral("\"]");
}

} // namespace

QString toString(PlanAction action)
{
    switch (action) {
    case PlanAction::NoOp: return QStringLiteral("no-op");
    case PlanAction::Create: return QStringLiteral("create");
    case PlanAction::Read: return QStringLiteral("read");
    case PlanAction::Update: return QStringLiteral("update");
    case PlanAction::Replace: return QStringLiteral("replace");
    case PlanAction::Delete: return QStringLiteral("delete");
    case PlanAction::Forget: return QStringLiteral("forget");
    }
    return {};
}

QString toString(ReplaceOrder order)
{
    switch (order) {
    case ReplaceOrder::None: return {};
    case ReplaceOrder::DestroyThenCreate: return QStringLiteral("destroy, then create");
    case ReplaceOrder::CreateThenDestroy: return QStringLiteral("create, then destroy");
    case ReplaceOrder::CreateThenForget: return QStringLiteral("create, then forget the old object");
    }
    return {};
}

QString toString(ActionReason reason)
{
    for (const ReasonText &r : kReasons) {
        if (r.reason == reason)
            return QLatin1String(r.code);
    }
    return {};
}

QString toString(ChangeSet set)
{
    switch (set) {
    case ChangeSet::Planned: return QStringLiteral("planned");
    case ChangeSet::Drift: return QStringLiteral("drift");
    case ChangeSet::Deferred: return QStringLiteral("deferred");
    }
    return {};
}

ActionReason parseActionReason(QStringView code)
{
    for (const ReasonText &r : kReasons) {
        if (code == QLatin1String(r.code))
            return r.reason;
    }
    return ActionReason::Unspecified;
}

QString describeActionReason(ActionReason reason)
{
    for (const ReasonText &r : kReasons) {
        if (r.reason == reason)
            return QString::fromUtf8(r.words);
    }
    return {};
}

QString formatAttributePath(const AttributePath &path)
{
    QString out;
    for (const PathStep &step : path) {
        if (step.isIndex())
            out += QLatin1Char('[') + QString::number(step.index) + QLatin1Char(']');
        else if (out.isEmpty() && !step.key.isEmpty() && looksLikeAttribute(step.key))
            out += step.key;
        else if (looksLikeAttribute(step.key))
            out += QLatin1Char('.') + step.key;
        else
            out += quoted(step.key);
    }
    return out;
}

bool isPathPrefix(const AttributePath &prefix, const AttributePath &path)
{
    return prefix.size() <= path.size() && std::equal(prefix.begin(), prefix.end(), path.begin());
}

bool PlanResourceChange::isChanged() const
{
    return mode == ResourceMode::Managed && action != PlanAction::NoOp && action != PlanAction::Read;
}

const ConfigResource *PlanConfiguration::findResource(const QString &address) const
{
    const auto it = m_resources.constFind(address);
    return it == m_resources.cend() ? nullptr : &resources[static_cast<size_t>(*it)];
}

const ConfigOutput *PlanConfiguration::findOutput(const QString &modulePath, const QString &name) const
{
    const auto it = m_outputs.constFind(modulePath + QLatin1Char(' ') + name);
    return it == m_outputs.cend() ? nullptr : &outputs[static_cast<size_t>(*it)];
}

const ConfigModuleCall *PlanConfiguration::findModuleCall(const QString &modulePath) const
{
    const auto it = m_calls.constFind(modulePath);
    return it == m_calls.cend() ? nullptr : &moduleCalls[static_cast<size_t>(*it)];
}

void PlanConfiguration::index()
{
    m_resources.clear();
    m_outputs.clear();
    m_calls.clear();
    for (int i = 0; i < static_cast<int>(resources.size()); ++i)
        m_resources.insert(resources[static_cast<size_t>(i)].address, i);
    for (int i = 0; i < static_cast<int>(outputs.size()); ++i) {
        const ConfigOutput &o = outputs[static_cast<size_t>(i)];
        m_outputs.insert(o.modulePath + QLatin1Char(' ') + o.name, i);
    }
    for (int i = 0; i < static_cast<int>(moduleCalls.size()); ++i)
        m_calls.insert(moduleCalls[static_cast<size_t>(i)].modulePath, i);
}

std::vector<int> Plan::changedResources() const
{
    std::vector<int> out;
    for (int i = 0; i < static_cast<int>(resourceChanges.size()); ++i) {
        if (resourceChanges[static_cast<size_t>(i)].isChanged())
            out.push_back(i);
    }
    return out;
}

int Plan::findResourceChange(const QString &address) const
{
    for (int i = 0; i < static_cast<int>(resourceChanges.size()); ++i) {
        if (resourceChanges[static_cast<size_t>(i)].address == address)
            return i;
    }
    return -1;
}

} // namespace hp
