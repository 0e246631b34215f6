#pragma once

// Synthetic audit trails for the Audit model tests and benchmark: real
// canonical entries (audit/auditrecord.h) chained with real hashes.
#include "audit/auditindex.h"
#include "audit/auditrecord.h"
#include "domain/sha256.h"

#include <QJsonObject>

#include <cstdint>
#include <vector>

namespace hp::testing {

inline std::vector<AuditEntry> syntheticTrail(int n, QDateTime start = QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC))
{
    static const char *const principals[] = {"priya", "tomasz", "amira", "tf-agent", "k8s-agent", "system"};
    static const char *const actions[] = {"change.submit", "assessment", "decision.approve",
                                          "decision.reject", "review.view", "review.coverage", "check"};
    std::vector<AuditEntry> out;
    out.reserve(size_t(n));
    Sha256 hasher;
    QByteArray prev = genesisHash();
    std::uint64_t x = 0x9E3779B97F4A7C15ull;
    auto next = [&x](std::uint64_t mod) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return static_cast<int>(x % mod);
    };
    for (int i = 1; i <= n; ++i) {
        AuditRecord r;
        r.time = start.addSecs(qint64(i) * 7);
        r.principal = QString::fromLatin1(principals[next(6)]);
        r.principalKind = r.principal.endsWith(QLatin1String("agent")) ? PrincipalKind::Agent : PrincipalKind::Human;
        r.roles = RoleSet::of({next(2) == 0 ? Role::Reviewer : Role::Lead});
        r.action = QString::fromLatin1(actions[next(7)]);
        r.changeId = QStringLiteral("01CHANGE%1").arg(next(std::max(2, n / 10)), 8, 10, QLatin1Char('0'));
        r.revision = 1 + next(3);
        r.denied = next(10) == 0;
        if (r.denied)
            r.reasonCode = QStringLiteral("missing_role");
        if (r.action == QLatin1String("decision.approve")) {
            r.statusBefore = ChangeStatus::Pending;
            r.statusAfter = ChangeStatus::Approved;
        }
        r.payload = QJsonObject{{QStringLiteral("n"), i}};
        AuditEntry e;
        e.seq = i;
        e.prevHash = prev;
        e.entry = canonicalEntry(r, i);
        e.hash = chainHash(hasher, prev, e.entry);
        prev = e.hash;
        out.push_back(std::move(e));
    }
    return out;
}

} // namespace hp::testing
