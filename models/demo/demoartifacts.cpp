#include "demo/demoartifacts.h"

#include "diff/gitdiff.h"

#include <QFile>

namespace hp::demo {

namespace {

QByteArray readResource(const QString &resource)
{
    QFile f(QStringLiteral(":/holdpoint/demo/") + resource);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

// A settings module the code agent tunes; one line per constant.
const char *const kSettingsTemplate =
    R"py("""Runtime settings, overridable through the environment."""

import os

REQUEST_TIMEOUT_S = int(os.environ.get("REQUEST_TIMEOUT_S", "{REQUEST_TIMEOUT_S}"))
CACHE_TTL_S = int(os.environ.get("CACHE_TTL_S", "{CACHE_TTL_S}"))
MAX_PAGE_SIZE = int(os.environ.get("MAX_PAGE_SIZE", "{MAX_PAGE_SIZE}"))
EXPORT_BATCH_ROWS = int(os.environ.get("EXPORT_BATCH_ROWS", "{EXPORT_BATCH_ROWS}"))
DB_POOL_SIZE = int(os.environ.get("DB_POOL_SIZE", "{DB_POOL_SIZE}"))
FEATURE_FORECASTS = os.environ.get("FEATURE_FORECASTS", "{FEATURE_FORECASTS}") == "1"
)py";

QString settingsText(const QString &constant, const QString &value)
{
    QString text = QString::fromUtf8(kSettingsTemplate);
    const std::pair<const char *, const char *> defaults[] = {
        {"REQUEST_TIMEOUT_S", "30"},   {"CACHE_TTL_S", "300"}, {"MAX_PAGE_SIZE", "500"},
        {"EXPORT_BATCH_ROWS", "5000"}, {"DB_POOL_SIZE", "10"}, {"FEATURE_FORECASTS", "0"}};
    for (const auto &[name, def] : defaults) {
        const QString key = QLatin1String(name);
        text.replace(QLatin1Char('{') + key + QLatin1Char('}'),
                     key == constant ? value : QString::fromLatin1(def));
    }
    return text;
}

} // namespace

Artifact resourceArtifact(ArtifactKind kind, const QString &resource, const QString &name)
{
    Artifact a;
    a.kind = kind;
    a.name = name;
    const QByteArray bytes = readResource(resource);
    if (!bytes.isEmpty())
        a.parts.push_back(bytes);
    return a;
}

Artifact filePairArtifact(const QString &path, const QString &beforeResource,
                          const QString &afterResource)
{
    Artifact a;
    a.kind = ArtifactKind::FilePair;
    a.name = path;
    const QByteArray before = readResource(beforeResource);
    const QByteArray after = readResource(afterResource);
    if (!before.isEmpty() && !after.isEmpty())
        a.parts = {before, after};
    return a;
}

Artifact textArtifact(ArtifactKind kind, const QString &name, const QString &text)
{
    Artifact a;
    a.kind = kind;
    a.name = name;
    a.parts.push_back(text.toUtf8());
    return a;
}

QString kubectlDiff(const K8sRollout &r, int seed)
{
    const QString object = QStringLiteral("apps.v1.Deployment.%1.%2").arg(r.ns, r.deployment);
    const QString live = QStringLiteral("LIVE-%1/").arg(1000 + seed * 37 % 9000) + object;
    const QString merged = QStringLiteral("MERGED-%1/").arg(1000 + seed * 53 % 9000) + object;
    QString out = QStringLiteral("diff -u -N %1 %2\n").arg(live, merged);
    out += QStringLiteral("--- %1\t2026-11-02 09:14:07.112233445 +0000\n").arg(live);
    out += QStringLiteral("+++ %1\t2026-11-02 09:14:07.118877665 +0000\n").arg(merged);
    out +=
        QStringLiteral("@@ -1,7 +1,7 @@\n apiVersion: apps/v1\n kind: Deployment\n metadata:\n-  "
                       "generation: %1\n+  generation: %2\n   labels:\n     app: %3\n   name: %3\n")
            .arg(r.generation)
            .arg(r.generation + 1)
            .arg(r.deployment);
    if (r.fromReplicas != r.toReplicas) {
        out +=
            QStringLiteral("@@ -9,7 +9,7 @@\n   resourceVersion: \"%1\"\n   uid: "
                           "7d1c%2-4a2e-4f61-9b0d-%3\n spec:\n-  replicas: %4\n+  replicas: %5\n   "
                           "selector:\n     matchLabels:\n       app: %6\n")
                .arg(700000 + seed * 7919 % 200000)
                .arg(seed * 131 % 10000, 4, 10, QLatin1Char('0'))
                .arg(QStringLiteral("3c%1").arg(seed * 977 % 100000000, 10, 10, QLatin1Char('0')))
                .arg(r.fromReplicas)
                .arg(r.toReplicas)
                .arg(r.deployment);
    }
    if (r.fromImage != r.toImage) {
        out +=
            QStringLiteral("@@ -19,5 +19,5 @@\n         app: %1\n     spec:\n       containers:\n- "
                           "     - image: %2\n+      - image: %3\n         name: %4\n")
                .arg(r.deployment, r.fromImage, r.toImage, QStringLiteral("app"));
    }
    return out;
}

QString settingsPatch(const QString &path, const QString &constant, const QString &from,
                      const QString &to)
{
    const QByteArray before = settingsText(constant, from).toUtf8();
    const QByteArray after = settingsText(constant, to).toUtf8();
    const QByteArray label = path.toUtf8();
    Result<diff::GitDiffResult> patch =
        diff::GitDiff::diff(diff::DiffSide{before, label, 0100644, false},
                            diff::DiffSide{after, label, 0100644, false});
    return patch.ok() ? QString::fromUtf8(patch->text) : QString();
}

} // namespace hp::demo
