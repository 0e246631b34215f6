#include "diff/gitdiff.h"
#include "diff/patchparser.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <random>

using namespace hp;
using namespace hp::diff;

namespace {

// Deterministic YAML-like text: `lines` lines of Kubernetes-ish manifests.
QByteArray yaml(int lines, std::mt19937 &rng)
{
    QByteArray out;
    for (int i = 0; out.count('\n') < lines; ++i) {
        out += "- apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: svc-" + QByteArray::number(i)
               + "\n    namespace: ns-" + QByteArray::number(i % 7) + "\n  spec:\n    replicas: "
               + QByteArray::number(rng() % 9 + 1) + "\n    template:\n      containers:\n      - image: reg/svc:"
               + QByteArray::number(rng() % 5) + '.' + QByteArray::number(rng() % 20) + "\n        env:\n";
        for (unsigned k = 0; k < rng() % 4; ++k)
            out += "        - name: VAR_" + QByteArray::number(k) + "\n          value: \""
                   + QByteArray::number(rng() % 1000000) + "\"\n";
    }
    return out;
}

// Edits about `rate` of the lines: changes, deletions and insertions.
QByteArray edit(const QByteArray &text, double rate, std::mt19937 &rng)
{
    std::uniform_real_distribution<double> roll(0.0, 1.0);
    QByteArray out;
    for (const QByteArray &line : text.split('\n')) {
        const double r = roll(rng);
        if (r < rate / 3)
            out += line + " # changed\n";
        else if (r < 2 * rate / 3)
            continue;
        else if (r < rate)
            out += line + "\n  # inserted " + QByteArray::number(rng() % 1000) + '\n';
        else
            out += line + '\n';
    }
    out.chop(1); // split() gave an empty last piece for the final LF
    return out;
}

} // namespace

class TestGitDiff : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void outputEqualsGitDiffNoIndex_data();
    void outputEqualsGitDiffNoIndex();
    void modeChangeIsReported();
    void absentSideIsANewFile();
    void identicalInputsGiveNothing();
    void structureMatchesTheText();
    void missingFileIsNotFound();

private:
    QByteArray gitDiff(const QString &a, const QString &b);
    QString write(const QString &name, const QByteArray &content);

    QTemporaryDir m_dir;
    QString m_git;
};

void TestGitDiff::initTestCase()
{
    m_git = QStandardPaths::findExecutable(QStringLiteral("git"));
    QVERIFY2(!m_git.isEmpty(), "git is needed to compare against git diff --no-index");
    QVERIFY(m_dir.isValid());
}

QString TestGitDiff::write(const QString &name, const QByteArray &content)
{
    const QString path = m_dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

QByteArray TestGitDiff::gitDiff(const QString &a, const QString &b)
{
    QProcess git;
    // No user or system configuration: git's defaults (indent heuristic on,
    // three lines of context, quoted paths).
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("GIT_CONFIG_NOSYSTEM"), QStringLiteral("1"));
    env.insert(QStringLiteral("GIT_CONFIG_GLOBAL"), QStringLiteral("/dev/null"));
    env.insert(QStringLiteral("HOME"), m_dir.path());
    git.setProcessEnvironment(env);
    git.start(m_git, {QStringLiteral("diff"), QStringLiteral("--no-index"), QStringLiteral("--no-color"), a, b});
    if (!git.waitForFinished(60000) || git.exitStatus() != QProcess::NormalExit || git.exitCode() > 1)
        qFatal("git diff failed: %s", git.readAllStandardError().constData());
    return git.readAllStandardOutput();
}

void TestGitDiff::outputEqualsGitDiffNoIndex_data()
{
    QTest::addColumn<QByteArray>("before");
    QTest::addColumn<QByteArray>("after");
    std::mt19937 rng(42);
    const QByteArray base = yaml(3000, rng);
    QTest::newRow("small edit") << QByteArray("a\nb\nc\n") << QByteArray("a\nB\nc\n");
    QTest::newRow("yaml 1% edits") << base << edit(base, 0.01, rng);
    QTest::newRow("yaml 30% churn") << base << edit(base, 0.30, rng);
    QTest::newRow("unrelated files") << base << yaml(2500, rng);
    QTest::newRow("no final newline, old") << QByteArray("x\ny") << QByteArray("x\ny\n");
    QTest::newRow("no final newline, new") << QByteArray("x\ny\n") << QByteArray("x\nz");
    QTest::newRow("no final newline, both") << QByteArray("x\ny") << QByteArray("x\nz");
    QTest::newRow("crlf") << QByteArray("a\r\nb\r\nc\r\n") << QByteArray("a\r\nB\r\nc\r\n");
    QTest::newRow("empty to text") << QByteArray() << QByteArray("one\ntwo\n");
    QTest::newRow("text to empty") << QByteArray("one\ntwo\n") << QByteArray();
    QTest::newRow("binary") << QByteArray("PK\0\1\2", 5) << QByteArray("PK\0\1\3", 5);
    QTest::newRow("text to binary") << QByteArray("text\n") << QByteArray("\0bin", 4);
    QTest::newRow("function headers")
        << QByteArray("int main()\n{\n    int a = 1;\n    int b = 2;\n    int c = 3;\n    int d = 4;\n    return a;\n}\n")
        << QByteArray("int main()\n{\n    int a = 1;\n    int b = 2;\n    int c = 3;\n    int d = 5;\n    return a;\n}\n");
    // The indent heuristic moves the inserted block to start at "if".
    QTest::newRow("indent heuristic") << QByteArray("  foo();\n}\n\nvoid g()\n{\n  if (x) {\n    bar();\n  }\n}\n")
                                      << QByteArray("  foo();\n}\n\nvoid g()\n{\n  if (y) {\n    baz();\n  }\n\n  if (x) {\n    bar();\n  }\n}\n");
    QTest::newRow("long lines") << QByteArray(5000, 'x') + "\nend\n" << QByteArray(5000, 'y') + "\nend\n";
    QTest::newRow("hunks merged within context") << QByteArray("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n")
                                                 << QByteArray("1\nX\n3\n4\n5\n6\n7\n8\nY\n10\n11\n12\n");
}

void TestGitDiff::outputEqualsGitDiffNoIndex()
{
    QFETCH(QByteArray, before);
    QFETCH(QByteArray, after);
    const QString a = write(QStringLiteral("before.yaml"), before);
    const QString b = write(QString::fromUtf8("after \xc3\xa9 file.yaml"), after); // quoted by git
    const QByteArray expected = gitDiff(a, b);
    const auto ours = GitDiff::diffFiles(a, b);
    QVERIFY2(ours.ok(), ours.ok() ? "" : qPrintable(ours.error().message));
    QCOMPARE(ours->text, expected);
}

void TestGitDiff::modeChangeIsReported()
{
    const QString a = write(QStringLiteral("run-a.sh"), "echo a\n");
    const QString b = write(QStringLiteral("run-b.sh"), "echo b\n");
    const QString c = write(QStringLiteral("run-c.sh"), "echo a\n");
    QFile::setPermissions(b, QFile::permissions(b) | QFileDevice::ExeOwner);
    QFile::setPermissions(c, QFile::permissions(c) | QFileDevice::ExeOwner);
    for (const QString &other : {b, c}) {
        const auto ours = GitDiff::diffFiles(a, other);
        QVERIFY(ours.ok());
        QVERIFY(ours->text.contains("old mode 100644\nnew mode 100755\n"));
        QCOMPARE(ours->text, gitDiff(a, other));
    }
}

void TestGitDiff::absentSideIsANewFile()
{
    const QString b = write(QStringLiteral("created.txt"), "hello\nworld\n");
    const QByteArray label = QFile::encodeName(b).mid(1);
    const auto ours = GitDiff::diff(DiffSide{{}, {}, 0, true}, DiffSide{QByteArray("hello\nworld\n"), label, 0100644, false});
    QVERIFY(ours.ok());
    QCOMPARE(ours->text, gitDiff(QStringLiteral("/dev/null"), b));
    QCOMPARE(ours->file.status, FileStatus::Added);
    QVERIFY(ours->file.oldPath.isEmpty());
    const auto gone = GitDiff::diff(DiffSide{QByteArray("hello\nworld\n"), label, 0100644, false}, DiffSide{{}, {}, 0, true});
    QVERIFY(gone.ok());
    QCOMPARE(gone->text, gitDiff(b, QStringLiteral("/dev/null")));
    QCOMPARE(gone->file.status, FileStatus::Deleted);
}

void TestGitDiff::identicalInputsGiveNothing()
{
    const QByteArray same = "same\ntext\n";
    const auto ours = GitDiff::diff(DiffSide{same, "x", 0, false}, DiffSide{same, "x", 0, false});
    QVERIFY(ours.ok());
    QVERIFY(ours->text.isEmpty());
    QVERIFY(ours->file.hunks.empty());
    const auto binary = GitDiff::diff(DiffSide{QByteArray("\0a", 2), "x", 0, false},
                                      DiffSide{QByteArray("\0a", 2), "x", 0, false});
    QVERIFY(binary.ok());
    QVERIFY(binary->text.isEmpty());
}

// The structured result agrees with its own text: parsing the text gives the
// same hunks and lines.
void TestGitDiff::structureMatchesTheText()
{
    std::mt19937 rng(7);
    const QByteArray before = yaml(1500, rng);
    const QByteArray after = edit(before, 0.05, rng);
    const auto ours = GitDiff::diff(DiffSide{before, "a.yaml", 0, false}, DiffSide{after, "a.yaml", 0, false});
    QVERIFY(ours.ok());
    const auto parsed = PatchParser::parse(ours->text);
    QVERIFY2(parsed.ok(), parsed.ok() ? "" : qPrintable(parsed.error().message));
    QCOMPARE(parsed->files.size(), size_t(1));
    const FilePatch &p = parsed->files[0];
    const FilePatch &g = ours->file;
    QVERIFY(g.hunks.size() > 10);
    QCOMPARE(g.hunks.size(), p.hunks.size());
    QCOMPARE(g.lines.size(), p.lines.size());
    QCOMPARE(g.additions, p.additions);
    QCOMPARE(g.deletions, p.deletions);
    for (size_t i = 0; i < g.hunks.size(); ++i) {
        const Hunk &x = g.hunks[i];
        const Hunk &y = p.hunks[i];
        QCOMPARE(QList<int>({x.oldStart, x.oldCount, x.newStart, x.newCount, x.firstLine, x.lineCount, x.patchLine}),
                 QList<int>({y.oldStart, y.oldCount, y.newStart, y.newCount, y.firstLine, y.lineCount, y.patchLine}));
        QCOMPARE(viewOf(ours->text, x.section), viewOf(parsed->data, y.section));
    }
    for (size_t i = 0; i < g.lines.size(); ++i) {
        QCOMPARE(g.lines[i].origin, p.lines[i].origin);
        QCOMPARE(g.lines[i].text, p.lines[i].text);
        QCOMPARE(g.lines[i].noNewlineAtEnd, p.lines[i].noNewlineAtEnd);
    }
}

void TestGitDiff::missingFileIsNotFound()
{
    const auto r = GitDiff::diffFiles(m_dir.filePath(QStringLiteral("nope")), m_dir.filePath(QStringLiteral("nope2")));
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ExitCode::NotFound);
    QVERIFY(r.error().message.contains(QStringLiteral("nope")));
}

QTEST_GUILESS_MAIN(TestGitDiff)
#include "tst_gitdiff.moc"
