// Small shared pieces of store.h: coverage keys and history outcome names.
#include "storage/store.h"

namespace hp {

namespace coverage {

QString hunkKey(int artifact, int file, int hunk)
{
    return QStringLiteral("hunk:%1:%2:%3").arg(artifact).arg(file).arg(hunk);
}

QString resourceKey(int artifact, const QString &address)
{
    return QStringLiteral("resource:%1:").arg(artifact) + address;
}

QString nodeKey(const QString &nodeId)
{
    return QStringLiteral("node:") + nodeId;
}

} // namespace coverage

namespace {
constexpr std::pair<HistoryOutcome, const char *> kOutcomes[] = {
    {HistoryOutcome::Approved, "approved"}, {HistoryOutcome::Rejected, "rejected"},
    {HistoryOutcome::Expired, "expired"},   {HistoryOutcome::Withdrawn, "withdrawn"},
    {HistoryOutcome::Applied, "applied"},   {HistoryOutcome::Failed, "failed"},
};
} // namespace

QString toString(HistoryOutcome outcome)
{
    for (const auto &[o, name] : kOutcomes)
        if (o == outcome)
            return QString::fromLatin1(name);
    return {};
}

std::optional<HistoryOutcome> parseHistoryOutcome(QStringView text)
{
    for (const auto &[o, name] : kOutcomes)
        if (text == QLatin1StringView(name))
            return o;
    return std::nullopt;
}

} // namespace hp
