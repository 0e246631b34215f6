#include "demo/demobuilder.h"

#include "demo/demoscript.h"
#include "domain/identity.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>

#include <cstdio>

namespace hp::demo {

namespace {

// The demo starts seven weeks and a day ago: the store, its people and agents.
constexpr int kDemoDays = 50;

Error refuse(const QString &location, const QString &why)
{
    return makeError(ExitCode::StoreProblem, QStringLiteral("not_a_demo_store"),
                     QStringLiteral("%1 %2; demo only creates a new store or replaces an earlier "
                                    "demo store. Choose another path.")
                         .arg(location, why),
                     location);
}

// Whether an existing file at `location` may be replaced.
Result<bool> checkExisting(const QString &location)
{
    if (!QFileInfo::exists(location))
        return false;
    Result<std::unique_ptr<Store>> existing = openStore(location);
    if (!existing.ok())
        return refuse(location,
                      QStringLiteral("exists and could not be opened as a Holdpoint store (%1)")
                          .arg(existing.error().message));
    if (!(*existing)->info().demo)
        return refuse(location, QStringLiteral("is a Holdpoint store that is not a demo store"));
    return true;
}

Status people(Store &store, const DemoCast &c, const Actor &admin)
{
    const auto add = [&](const QString &login, RoleSet roles) {
        return store.addUser(admin, login, roles);
    };
    std::vector<std::pair<QString, RoleSet>> users = {
        {c.runner, RoleSet::of({Role::Lead})},
        {c.auditor, RoleSet::of({Role::Auditor})},
        {c.tfOperator, RoleSet::of({Role::Reviewer})},
        {c.k8sOperator, RoleSet::of({Role::Reviewer})},
        {c.codeOperator, RoleSet::of({Role::Reviewer})}};
    for (const QString &l : c.leads)
        users.emplace_back(l, RoleSet::of({Role::Lead}));
    for (const QString &r : c.reviewers)
        users.emplace_back(r, RoleSet::of({Role::Reviewer}));
    for (const auto &[login, roles] : users) {
        if (Status s = add(login, roles); !s.ok())
            return s;
    }
    for (const auto &[agent, op] :
         {std::pair{c.tfAgent, c.tfOperator}, std::pair{c.k8sAgent, c.k8sOperator},
          std::pair{c.codeAgent, c.codeOperator}}) {
        if (Status s = store.addAgent(admin, agent, op); !s.ok())
            return s;
    }
    return {};
}

// The demo's Backstage catalog (":/holdpoint/demo/catalog/", provenance in
// resources/demo/PROVENANCE.md), imported by the runner, a lead, before the
// first submission so every demo change is assessed with a blast radius.
Status importCatalog(Store &store, const Actor &runner)
{
    std::vector<TopologySource> sources;
    QStringList files;
    QDirIterator it(QStringLiteral(":/holdpoint/demo/catalog"), {QStringLiteral("*.yaml")},
                    QDir::Files);
    while (it.hasNext())
        files << it.next();
    files.sort();
    for (const QString &file : files) {
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly))
            return makeError(ExitCode::Internal, QStringLiteral("demo_data_missing"),
                             QStringLiteral("the demo catalog %1 is not in this build").arg(file));
        sources.push_back({QStringLiteral("catalog/") + QFileInfo(file).fileName(), f.readAll()});
    }
    if (sources.empty())
        return makeError(ExitCode::Internal, QStringLiteral("demo_data_missing"),
                         QStringLiteral("the demo catalog is not in this build"));
    Result<TopologyImportResult> imported = store.importTopology(runner, sources);
    return imported.ok() ? Status() : Status(imported.error());
}

// Fills a new store at `path`; the store is closed when this returns.
Result<Scenario> fill(const QString &path, const DemoCast &cast, const Actor &runner)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    auto clockTime = std::make_shared<QDateTime>(now.addDays(-kDemoDays));
    const Clock clock = [clockTime] { return *clockTime; };

    CreateOptions options;
    options.adminLogin = cast.admin;
    options.demo = true;
    Result<std::unique_ptr<Store>> store = createStore(path, options, runner, clock);
    if (!store.ok())
        return store.error();
    *clockTime = clockTime->addSecs(20 * 60);
    const Actor admin{cast.admin, runner.host, appVersion()};
    if (Status s = people(**store, cast, admin); !s.ok())
        return s.error();
    *clockTime = clockTime->addSecs(10 * 60);
    if (Status s = importCatalog(**store, runner); !s.ok())
        return s.error();

    Scenario scenario;
    std::mt19937 rng(20261123u);
    addHistory(scenario, cast, now, rng);
    addCurrent(scenario, cast, now);
    if (Status s = play(**store, scenario, clockTime, runner.host); !s.ok())
        return s.error();
    return scenario;
}

void removeStoreFiles(const QString &path)
{
    for (const char *suffix : {"", "-wal", "-shm", "-journal"})
        QFile::remove(path + QLatin1String(suffix));
}

// Puts the finished store in place. A stale -wal beside the new file would be
// replayed into it, so the old one goes first.
Status install(const QString &built, const QString &location)
{
    for (const char *suffix : {"-wal", "-shm", "-journal"})
        QFile::remove(location + QLatin1String(suffix));
    if (std::rename(QFile::encodeName(built).constData(),
                    QFile::encodeName(location).constData()) != 0)
        return makeError(
            ExitCode::StoreProblem, QStringLiteral("io_error"),
            QStringLiteral("could not move the demo store into place at %1").arg(location),
            location);
    for (const char *suffix : {"-wal", "-shm"}) {
        const QString from = built + QLatin1String(suffix);
        if (QFileInfo::exists(from))
            std::rename(QFile::encodeName(from).constData(),
                        QFile::encodeName(location + QLatin1String(suffix)).constData());
    }
    return {};
}

} // namespace

Result<DemoSummary> buildDemoStore(const QString &location, const Actor &runner)
{
    if (runner.login.isEmpty())
        return makeError(ExitCode::Denied, QStringLiteral("no_login"),
                         QStringLiteral("the demo needs an OS login to make a lead"));
    Result<bool> replacing = checkExisting(location);
    if (!replacing.ok())
        return replacing.error();

    const QFileInfo target(location);
    if (!QDir().mkpath(target.absolutePath()))
        return makeError(ExitCode::StoreProblem, QStringLiteral("io_error"),
                         QStringLiteral("cannot create the folder %1").arg(target.absolutePath()),
                         location);
    // Built beside the target (never outside the store's folder) and moved in
    // only when complete, so a failed build leaves an earlier demo intact.
    const QString building =
        target.absolutePath() + QStringLiteral("/.") + target.fileName() +
        QStringLiteral(".building-%1")
            .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
    const DemoCast cast = makeCast(runner.login);
    Result<Scenario> filled = fill(building, cast, runner);
    if (!filled.ok()) {
        removeStoreFiles(building);
        return filled.error();
    }
    if (Status s = install(building, target.absoluteFilePath()); !s.ok()) {
        removeStoreFiles(building);
        return s.error();
    }
    DemoSummary summary;
    summary.location = target.absoluteFilePath();
    summary.lead = cast.runner;
    summary.admin = cast.admin;
    summary.changes = filled->changes;
    summary.currentChanges = filled->current;
    summary.replaced = *replacing;
    return summary;
}

} // namespace hp::demo
