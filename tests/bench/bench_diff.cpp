// Benchmark (DESIGN §10): diffs of generated Kubernetes-manifest-like YAML
// pairs of 200,000 and 1,000,000 lines, each size in two variants (1% of the
// lines edited, 30% churn), every pair generated on its own. Medians of 5
// runs, interleaved so that machine noise hits every side alike:
//   (a) `holdpointctl diff A B > /dev/null`          target <= 1.0x of (b)
//   (b) `git diff --no-index A B > /dev/null`        the anchor
//   (c) aligned side-by-side rows in-process: read both files, libgit2 diff,
//       RowBuilder with the full texts (intra-line ranges)   target <= 2x of (b)
//
//   bench_diff [--scale S] [--runs N] [--ctl PATH]
//
// --scale 0.01 (the smoke run) uses 1/100 of the lines, asserts no timing and
// checks that the outputs are sane: holdpointctl's @@ lines equal git's, and
// the rows count the additions and deletions git's hunks do. At full size a
// missed target fails (1). Without git there is no anchor: the smoke run says
// so and passes, the full run is skipped (77). --ctl times another
// holdpointctl build (e.g. one without GitDiff::prepare()).

#include "diff/gitdiff.h"
#include "diff/rowbuilder.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <utility>
#include <vector>

using namespace hp;
using namespace hp::diff;

namespace {

// splitmix64: deterministic, so every run of the benchmark diffs the same files.
class Rng
{
public:
    explicit Rng(std::uint64_t seed) : m_state(seed) {}
    std::uint64_t next()
    {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }
    QByteArray token(int length)
    {
        static constexpr char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
        QByteArray out(length, Qt::Uninitialized);
        for (char &c : out)
            c = alphabet[below(36)];
        return out;
    }

private:
    std::uint64_t m_state;
};

using Lines = std::vector<QByteArray>;

QByteArray num(qint64 n)
{
    return QByteArray::number(n);
}

void appendDeployment(Lines &out, Rng &rng, int i)
{
    const QByteArray name = "svc-" + num(i) + '-' + rng.token(5);
    const QByteArray ns = "team-" + num(rng.below(40));
    const QByteArray image = "registry.example.com/" + ns + '/' + name + ':' + num(rng.below(9)) + '.'
                             + num(rng.below(30)) + '.' + num(rng.below(200));
    for (const QByteArray &l : {QByteArray("---"), QByteArray("apiVersion: apps/v1"), QByteArray("kind: Deployment"),
                                QByteArray("metadata:"), "  name: " + name, "  namespace: " + ns, QByteArray("  labels:"),
                                "    app.kubernetes.io/name: " + name, QByteArray("    app.kubernetes.io/part-of: shop"),
                                "    app.kubernetes.io/version: \"" + num(rng.below(1000)) + '"', QByteArray("spec:"),
                                "  replicas: " + num(1 + rng.below(9)), QByteArray("  selector:"),
                                QByteArray("    matchLabels:"), "      app: " + name, QByteArray("  template:"),
                                QByteArray("    metadata:"), QByteArray("      labels:"), "        app: " + name,
                                QByteArray("    spec:"), QByteArray("      containers:"), QByteArray("        - name: app"),
                                "          image: " + image, QByteArray("          ports:"),
                                "            - containerPort: " + num(8000 + rng.below(1000)),
                                QByteArray("          env:")})
        out.push_back(l);
    const int envs = 1 + rng.below(6);
    for (int e = 0; e < envs; ++e) {
        out.push_back("            - name: " + rng.token(6).toUpper() + "_URL");
        out.push_back("              value: \"https://" + rng.token(8) + ".internal:" + num(rng.below(9000)) + "/v1\"");
    }
    for (const QByteArray &l : {QByteArray("          resources:"), QByteArray("            limits:"),
                                "              cpu: " + num(100 * (1 + rng.below(8))) + 'm',
                                "              memory: " + num(128 * (1 + rng.below(16))) + "Mi",
                                QByteArray("          readinessProbe:"), QByteArray("            httpGet:"),
                                QByteArray("              path: /healthz"), QByteArray("              port: http")})
        out.push_back(l);
}

void appendService(Lines &out, Rng &rng, int i)
{
    const QByteArray name = "svc-" + num(i) + '-' + rng.token(5);
    for (const QByteArray &l : {QByteArray("---"), QByteArray("apiVersion: v1"), QByteArray("kind: Service"),
                                QByteArray("metadata:"), "  name: " + name, "  namespace: team-" + num(rng.below(40)),
                                QByteArray("spec:"), QByteArray("  type: ClusterIP"), QByteArray("  selector:"),
                                "    app: " + name, QByteArray("  ports:"), QByteArray("    - name: http"),
                                QByteArray("      port: 80"), "      targetPort: " + num(8000 + rng.below(1000)),
                                QByteArray("      protocol: TCP")})
        out.push_back(l);
}

void appendConfigMap(Lines &out, Rng &rng, int i)
{
    for (const QByteArray &l : {QByteArray("---"), QByteArray("apiVersion: v1"), QByteArray("kind: ConfigMap"),
                                QByteArray("metadata:"), "  name: config-" + num(i),
                                "  namespace: team-" + num(rng.below(40)), QByteArray("data:")})
        out.push_back(l);
    const int keys = 3 + rng.below(25);
    for (int k = 0; k < keys; ++k)
        out.push_back("  " + rng.token(4 + rng.below(10)) + ".conf: \"" + rng.token(8 + rng.below(50)) + '"');
}

Lines generateManifests(int lineCount, Rng &rng)
{
    Lines out;
    out.reserve(static_cast<size_t>(lineCount) + 64);
    for (int i = 0; static_cast<int>(out.size()) < lineCount; ++i) {
        const int k = rng.below(10);
        if (k < 5)
            appendDeployment(out, rng, i);
        else if (k < 8)
            appendService(out, rng, i);
        else
            appendConfigMap(out, rng, i);
    }
    out.resize(static_cast<size_t>(lineCount));
    return out;
}

// A value edit as people make them: the tail of the value after ": " is
// replaced, so the line keeps its key and most of its text.
QByteArray editLine(const QByteArray &line, Rng &rng)
{
    const qsizetype colon = line.indexOf(": ");
    if (colon < 0 || colon + 2 >= line.size())
        return line + " # " + rng.token(6);
    const qsizetype valueLength = line.size() - colon - 2;
    const qsizetype keep = colon + 2 + valueLength * rng.below(90) / 100;
    return line.left(keep) + rng.token(1 + rng.below(6));
}

QByteArray insertedLine(const QByteArray &neighbour, Rng &rng)
{
    const qsizetype indent = neighbour.size() - QByteArrayView(neighbour).trimmed().size();
    return QByteArray(std::max<qsizetype>(indent, 0), ' ') + "annotation-" + rng.token(5) + ": \"" + rng.token(12) + '"';
}

struct Pair
{
    QByteArray before;
    QByteArray after;
    int editedLines = 0; // lines of `before` modified or deleted, plus inserted lines
};

QByteArray joined(const Lines &lines)
{
    QByteArray out;
    qsizetype size = 0;
    for (const QByteArray &l : lines)
        size += l.size() + 1;
    out.reserve(size);
    for (const QByteArray &l : lines) {
        out += l;
        out += '\n';
    }
    return out;
}

// `permille` of the lines start an edit run of up to `maxRun` lines; each line
// of a run is modified (60%), deleted (20%) or gets a new line before it (20%).
Pair generatePair(int lineCount, int permille, int maxRun, std::uint64_t seed)
{
    Rng rng(seed);
    const Lines base = generateManifests(lineCount, rng);
    Lines after;
    after.reserve(base.size() + base.size() / 8);
    int edited = 0;
    int run = 0;
    for (const QByteArray &line : base) {
        if (run == 0 && rng.below(1000) < permille)
            run = 1 + rng.below(maxRun);
        if (run == 0) {
            after.push_back(line);
            continue;
        }
        --run;
        ++edited;
        const int op = rng.below(10);
        if (op < 6) {
            after.push_back(editLine(line, rng));
        } else if (op < 8) {
            after.push_back(insertedLine(line, rng));
            after.push_back(line);
        } // else deleted
    }
    return Pair{joined(base), joined(after), edited};
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

struct Run
{
    double ms = -1;
    QByteArray output; // captured only when asked for
};

// Runs a program with stdout to /dev/null (or captured), timing start to exit.
Run runProgram(const QString &program, const QStringList &args, bool okExit1, bool capture)
{
    QProcess p;
    if (!capture)
        p.setStandardOutputFile(QProcess::nullDevice());
    QElapsedTimer t;
    t.start();
    p.start(program, args);
    if (!p.waitForFinished(-1) || p.exitStatus() != QProcess::NormalExit
        || (p.exitCode() != 0 && !(okExit1 && p.exitCode() == 1))) {
        std::fprintf(stderr, "%s failed (exit %d): %s\n", qPrintable(program), p.exitCode(),
                     p.readAllStandardError().constData());
        return {};
    }
    Run r;
    r.ms = static_cast<double>(t.nsecsElapsed()) / 1e6;
    if (capture)
        r.output = p.readAllStandardOutput();
    return r;
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

struct RowsRun
{
    double ms = -1;
    int additions = 0;
    int deletions = 0;
    size_t rows = 0;
};

// Everything a viewer needs for a file pair: read, diff, aligned rows with
// intra-line ranges from the full texts.
RowsRun buildRows(const QString &pathA, const QString &pathB)
{
    QElapsedTimer t;
    t.start();
    const QByteArray a = readFile(pathA);
    const QByteArray b = readFile(pathB);
    const auto diffed = GitDiff::diff(DiffSide{a, "a.yaml", 0, false}, DiffSide{b, "b.yaml", 0, false});
    if (!diffed) {
        std::fprintf(stderr, "diff failed: %s\n", qPrintable(diffed.error().message));
        return {};
    }
    const FullTexts texts{a, b};
    const auto rows = RowBuilder::build(diffed->file, diffed->text, &texts);
    if (!rows) {
        std::fprintf(stderr, "rows failed: %s\n", qPrintable(rows.error().message));
        return {};
    }
    return RowsRun{static_cast<double>(t.nsecsElapsed()) / 1e6, rows->additions, rows->deletions, rows->rows.size()};
}

QByteArrayList hunkHeaders(const QByteArray &patch)
{
    QByteArrayList out;
    for (const QByteArray &line : patch.split('\n'))
        if (line.startsWith("@@"))
            out.append(line);
    return out;
}

// +/- lines of a unified diff's hunk bodies (not the ---/+++ header lines).
std::pair<int, int> countChanges(const QByteArray &patch)
{
    int plus = 0, minus = 0;
    bool inHunk = false;
    for (const QByteArray &line : patch.split('\n')) {
        if (line.startsWith("@@"))
            inHunk = true;
        else if (inHunk && line.startsWith('+'))
            ++plus;
        else if (inHunk && line.startsWith('-'))
            ++minus;
    }
    return {plus, minus};
}

struct Case
{
    const char *name;
    int lines;
    int permille;
    int maxRun;
};

struct Options
{
    double scale = 1.0;
    int runs = 5;
    QString ctl = QStringLiteral(HP_CTL_PATH);
    QString git;
};

// Smoke checks, no timing: both tools agree on the hunks, the rows on the counts.
bool checkOutputs(const Options &o, const QString &pathA, const QString &pathB)
{
    const Run ours = runProgram(o.ctl, {QStringLiteral("diff"), pathA, pathB}, false, true);
    const Run git = runProgram(o.git, {QStringLiteral("diff"), QStringLiteral("--no-index"), pathA, pathB}, true, true);
    const RowsRun rows = buildRows(pathA, pathB);
    if (ours.ms < 0 || git.ms < 0 || rows.ms < 0)
        return false;
    const QByteArrayList oursHunks = hunkHeaders(ours.output);
    const QByteArrayList gitHunks = hunkHeaders(git.output);
    const auto [plus, minus] = countChanges(git.output);
    const bool ok = !gitHunks.isEmpty() && oursHunks == gitHunks && rows.additions == plus && rows.deletions == minus;
    std::printf("  check: %lld @@ lines (git %lld), rows +%d -%d (git +%d -%d): %s\n",
                static_cast<long long>(oursHunks.size()), static_cast<long long>(gitHunks.size()), rows.additions,
                rows.deletions, plus, minus, ok ? "ok" : "MISMATCH");
    return ok;
}

// Returns 0 when the targets are met (or not asserted), 1 when missed, 2 on failure.
int runCase(const Options &o, const Case &c, const QTemporaryDir &dir, std::uint64_t seed)
{
    const bool smoke = o.scale < 1.0;
    const int lines = std::max(200, static_cast<int>(c.lines * o.scale));
    const Pair pair = generatePair(lines, c.permille, c.maxRun, seed);
    const QString pathA = dir.filePath(QStringLiteral("%1-a.yaml").arg(QLatin1String(c.name)));
    const QString pathB = dir.filePath(QStringLiteral("%1-b.yaml").arg(QLatin1String(c.name)));
    QFile fa(pathA), fb(pathB);
    if (!fa.open(QIODevice::WriteOnly) || fa.write(pair.before) != pair.before.size() || !fb.open(QIODevice::WriteOnly)
        || fb.write(pair.after) != pair.after.size()) {
        std::fprintf(stderr, "cannot write the generated pair %s\n", c.name);
        return 2;
    }
    fa.close();
    fb.close();
    std::printf("%s: %d lines, %.1f MiB, %.1f%% of lines edited\n", c.name, lines,
                static_cast<double>(pair.before.size()) / (1 << 20), 100.0 * pair.editedLines / lines);
    if (smoke && !checkOutputs(o, pathA, pathB))
        return 2;

    std::vector<double> ctl, git, rows;
    for (int r = 0; r < o.runs; ++r) {
        ctl.push_back(runProgram(o.ctl, {QStringLiteral("diff"), pathA, pathB}, false, false).ms);
        git.push_back(runProgram(o.git, {QStringLiteral("diff"), QStringLiteral("--no-index"), pathA, pathB}, true,
                                 false).ms);
        rows.push_back(buildRows(pathA, pathB).ms);
        if (ctl.back() < 0 || git.back() < 0 || rows.back() < 0)
            return 2;
    }
    const double anchor = median(git);
    const double ctlRatio = median(ctl) / anchor;
    const double rowsRatio = median(rows) / anchor;
    // DESIGN §10 sets the rows target for the 200k-line pairs only.
    const bool rowsTargeted = c.lines <= 200000;
    std::printf("  holdpointctl diff %.1f ms vs git diff --no-index %.1f ms: %.3fx (target <= 1.0x)\n", median(ctl),
                anchor, ctlRatio);
    std::printf("  aligned rows      %.1f ms vs git diff --no-index %.1f ms: %.3fx (target <= 2.0x%s)\n", median(rows),
                anchor, rowsRatio, rowsTargeted ? "" : ", not set at this size");
    const bool met = ctlRatio <= 1.0 && (!rowsTargeted || rowsRatio <= 2.0);
    if (!smoke && !met)
        std::printf("  TARGET MISSED\n");
    return smoke || met ? 0 : 1;
}

Options parseOptions(const QStringList &args)
{
    Options o;
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == QLatin1String("--scale"))
            o.scale = args[i + 1].toDouble();
        else if (args[i] == QLatin1String("--runs"))
            o.runs = std::max(1, args[i + 1].toInt());
        else if (args[i] == QLatin1String("--ctl"))
            o.ctl = args[i + 1];
    }
    o.git = QStandardPaths::findExecutable(QStringLiteral("git"));
    return o;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const Options o = parseOptions(app.arguments());
    const bool smoke = o.scale < 1.0;
    if (o.git.isEmpty()) {
        std::printf("bench_diff: git not found: no anchor to compare with, no ratio\n");
        return smoke ? 0 : 77;
    }
    // libgit2's one-time initialisation stays out of the first in-process run.
    GitDiff::prepare();
    QTemporaryDir dir;
    if (!dir.isValid()) {
        std::fprintf(stderr, "bench_diff: no temporary directory\n");
        return 1;
    }
    std::printf("bench_diff: medians of %d runs, holdpointctl %s%s\n", o.runs, qPrintable(o.ctl),
                smoke ? " [smoke: 1/100 size, timing not asserted]" : "");
    // 1% edits: runs of 1-3 lines (2 on average) start at 5 per mille.
    // 30% churn: runs of 1-16 lines (8.5 on average) start at ~50 per mille.
    const Case cases[] = {
        {"200k-edits", 200000, 5, 3},
        {"200k-churn", 200000, 50, 16},
        {"1M-edits", 1000000, 5, 3},
        {"1M-churn", 1000000, 50, 16},
    };
    int worst = 0;
    std::uint64_t seed = 20261124;
    for (const Case &c : cases)
        worst = std::max(worst, runCase(o, c, dir, seed++));
    std::fflush(stdout);
    return worst;
}
