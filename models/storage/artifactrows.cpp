#include "storage/artifactrows.h"

#include <QVariant>

namespace hp {

QString artifactsOfRevisionSql()
{
    return QStringLiteral("SELECT a.idx, a.kind, a.name, a.sha256, p.bytes FROM artifacts a "
                          "JOIN artifact_parts p ON p.change_id = a.change_id AND "
                          "p.revision = a.revision AND p.idx = a.idx "
                          "WHERE a.change_id = ? AND a.revision = ? ORDER BY a.idx, p.part");
}

std::vector<Artifact> artifactsFromRows(QSqlQuery &q)
{
    std::vector<Artifact> out;
    int current = -1;
    while (q.next()) {
        const int idx = q.value(0).toInt();
        if (idx != current) {
            Artifact a;
            a.kind = parseArtifactKind(q.value(1).toString()).value_or(ArtifactKind::UnifiedDiff);
            a.name = q.value(2).toString();
            a.sha256 = q.value(3).toByteArray();
            out.push_back(std::move(a));
            current = idx;
        }
        out.back().parts.push_back(q.value(4).toByteArray());
    }
    return out;
}

} // namespace hp
