#include "domain/sha256.h"
#include "intake/proposalparser.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <unistd.h>

using namespace hp;
using namespace Qt::StringLiterals;

namespace {

const QString kData = QStringLiteral(HP_TEST_DATA "/intake");

// Small caps so that every limit is reachable with tiny inputs. The input
// cap is then 900 + base64(160) = 1116 bytes.
IntakeLimits smallLimits()
{
    IntakeLimits l;
    l.maxArtifactBytes = 64;
    l.maxRevisionBytes = 160;
    l.maxEnvelopeBytes = 900;
    l.maxDepth = 32;
    l.maxArtifacts = 4;
    l.maxStringChars = 200;
    return l;
}

QByteArray readData(const QString &relative)
{
    QFile f(kData + QLatin1Char('/') + relative);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing test data %s", qPrintable(relative));
    return f.readAll();
}

const Artifact *find(const Proposal &p, ArtifactKind kind, const QString &name)
{
    for (const Artifact &a : p.artifacts) {
        if (a.kind == kind && a.name == name)
            return &a;
    }
    return nullptr;
}

// Runs the test's stdin from `file` for one call, then restores it.
class StdinFrom
{
public:
    explicit StdinFrom(const QString &file)
        : m_saved(::dup(STDIN_FILENO))
    {
        const int fd = ::open(QFile::encodeName(file).constData(), O_RDONLY);
        ::dup2(fd, STDIN_FILENO);
        ::close(fd);
    }
    ~StdinFrom()
    {
        ::dup2(m_saved, STDIN_FILENO);
        ::close(m_saved);
    }
    StdinFrom(const StdinFrom &) = delete;
    StdinFrom &operator=(const StdinFrom &) = delete;

private:
    int m_saved;
};

} // namespace

class TstProposalParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fullProposalReadsEveryFieldAndForm()
    {
        const ProposalParser parser(smallLimits());
        Result<Proposal> r = parser.parseFile(kData + u"/valid/full.json"_s);
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        const Proposal &p = *r;
        QCOMPARE(p.title.value_or(QString()), u"Bump cost-explorer generation"_s);
        QVERIFY(p.kind == ChangeKind::Infra);
        QCOMPARE(p.agentName.value_or(QString()), u"tf-agent"_s);
        QCOMPARE(p.agentVersion.value_or(QString()), u"2.3.1"_s);
        QCOMPARE(p.agentRunId.value_or(QString()), u"run-8812"_s);
        QCOMPARE(p.operatorLogin.value_or(QString()), u"maria"_s);
        QCOMPARE(p.intent.value_or(QString()), u"Task and rationale:\n\tkeep costs visible."_s);
        QVERIFY(p.declaredImpact == Impact::Medium);
        QCOMPARE(p.environment.value_or(QString()), u"production"_s);
        QCOMPARE(p.target.value_or(QString()), u"account:prod-billing"_s);
        QCOMPARE(p.idempotencyKey, u"run-8812-1"_s);
        QCOMPARE(p.artifacts.size(), size_t(4));
        // Listed order is kept.
        QCOMPARE(p.artifacts[0].name, u"plan.json"_s);
        QCOMPARE(p.artifacts[3].name, u"etc/app.conf"_s);

        const Artifact *plan = find(p, ArtifactKind::TerraformPlan, u"plan.json"_s);
        QVERIFY(plan);
        QCOMPARE(plan->parts.size(), size_t(1));
        QCOMPARE(plan->content(), readData(u"valid/plan.json"_s));
        const Artifact *planfile = find(p, ArtifactKind::TerraformPlanfile, u"tfplan"_s);
        QCOMPARE(planfile->content(), QByteArray("\x00\x01\x02\xfd\xfe\xffPK", 8));
        const Artifact *patch = find(p, ArtifactKind::UnifiedDiff, u"fix.patch"_s);
        QCOMPARE(patch->content(), QByteArray("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n"));
        const Artifact *pair = find(p, ArtifactKind::FilePair, u"etc/app.conf"_s);
        QCOMPARE(pair->parts.size(), size_t(2));
        QCOMPARE(pair->parts[0], QByteArray("port = 80\n"));
        QCOMPARE(pair->parts[1], QByteArray("port = 8080\r\n"));
        for (const Artifact &a : p.artifacts)
            QCOMPARE(a.sha256, Sha256::digest(a.parts.back()));
    }

    void pathsAreRelativeToTheProposalNotTheWorkingDirectory()
    {
        QTemporaryDir elsewhere;
        const QString before = QDir::currentPath();
        QDir::setCurrent(elsewhere.path());
        Result<Proposal> r = ProposalParser(smallLimits()).parseFile(kData + u"/valid/more.json"_s);
        QDir::setCurrent(before);
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        QCOMPARE(find(*r, ArtifactKind::K8sManifest, u"deploy.yaml"_s)->content(), readData(u"valid/deploy.yaml"_s));
        QCOMPARE(find(*r, ArtifactKind::Command, u"steps.sh"_s)->content(),
                 QByteArray("kubectl rollout restart deploy/api\n"));
        // Same name, other kind: allowed.
        QCOMPARE(find(*r, ArtifactKind::UnifiedDiff, u"steps.sh"_s)->content(),
                 readData(u"valid/sub/dir/notes.txt"_s));
        QVERIFY(!r->title);
        QVERIFY(r->idempotencyKey.isEmpty());
    }

    void parseResolvesAgainstTheGivenBaseDir()
    {
        const QByteArray json = readData(u"valid/more.json"_s);
        Result<Proposal> r = ProposalParser(smallLimits()).parse(json, QDir(kData + u"/valid"_s));
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        Result<Proposal> wrongDir = ProposalParser(smallLimits()).parse(json, QDir(kData));
        QCOMPARE(wrongDir.error().reason, u"file_not_found"_s);
    }

    void absolutePathsAreRefused()
    {
        // DESIGN §3: a path is relative to the proposal file, so a proposal
        // never reaches into files outside what its author packaged.
        QTemporaryDir dir;
        const QString file = dir.filePath(u"abs.sh"_s);
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("echo abs\n");
        f.close();
        const QByteArray json = "{\"artifacts\":[{\"kind\":\"command\",\"name\":\"abs.sh\",\"path\":\"" + file.toUtf8() + "\"}]}";
        Result<Proposal> r = ProposalParser(smallLimits()).parse(json, QDir(kData));
        QVERIFY(!r);
        QCOMPARE(r.error().reason, u"absolute_path"_s);
        QCOMPARE(r.error().path, u"$.artifacts[0].path"_s);
    }

    void filePairNewAndDeleted_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("before");
        QTest::addColumn<QByteArray>("after");
        QTest::newRow("new file") << u"valid/filepair_new.json"_s << QByteArray() << QByteArray("new\n");
        QTest::newRow("deleted file") << u"valid/filepair_deleted.json"_s << QByteArray("relative to the proposal\n")
                                      << QByteArray();
    }
    void filePairNewAndDeleted()
    {
        QFETCH(QString, file);
        QFETCH(QByteArray, before);
        QFETCH(QByteArray, after);
        Result<Proposal> r = ProposalParser(smallLimits()).parseFile(kData + QLatin1Char('/') + file);
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        const Artifact &a = r->artifacts.at(0);
        QVERIFY(a.kind == ArtifactKind::FilePair);
        QCOMPARE(a.parts.size(), size_t(2));
        QCOMPARE(a.parts[0], before);
        QCOMPARE(a.parts[1], after);
        QCOMPARE(a.sha256, Sha256::digest(after));
    }

    void bytesAreKeptExactlyAsReceived()
    {
        Result<Proposal> r = ProposalParser(smallLimits()).parseFile(kData + u"/valid/exact_bytes.json"_s);
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        QCOMPARE(r->artifacts[0].content(), QByteArray("a\r\n\xc3\xa9\xc3\xa9\x00\xf0\x9f\x98\x80/", 13));
        QCOMPARE(r->artifacts[0].name, u"\u00e9tape \u00e9"_s); // no normalisation of names either
    }

    // The envelope excludes inline content: 60 bytes written as \u escapes
    // (360 raw bytes) fit beside a 300-byte envelope limit.
    void inlineContentDoesNotCountTowardsTheEnvelope()
    {
        IntakeLimits limits = smallLimits();
        limits.maxEnvelopeBytes = 300;
        QByteArray escaped;
        for (int i = 0; i < 60; ++i)
            escaped += "\\u0041";
        const QByteArray json = "{\"artifacts\":[{\"kind\":\"command\",\"name\":\"a\",\"content_utf8\":\"" + escaped + "\"}]}";
        QVERIFY(json.size() > 300);
        Result<Proposal> r = ProposalParser(limits).parse(json, QDir(kData));
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        QCOMPARE(r->artifacts[0].content(), QByteArray(60, 'A'));
    }

    void hostileInputIsRefused_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<QString>("where"); // must appear in the message
        auto row = [](const char *file, const char *reason, const QString &where) {
            QTest::newRow(file) << QString::fromLatin1(file) << QString::fromLatin1(reason) << where;
        };
        row("invalid_json.json", "invalid_json", u"byte offset 14"_s);
        row("truncated.json", "invalid_json", u"unexpected end of input"_s);
        row("invalid_utf8.json", "invalid_utf8", u"byte offset 13"_s);
        row("lone_high.json", "lone_surrogate", u"byte offset 12"_s);
        row("lone_low.json", "lone_surrogate", u"byte offset 10"_s);
        row("high_then_nonlow.json", "lone_surrogate", u"byte offset 10"_s);
        row("dup_top.json", "duplicate_key", u"$.title"_s);
        row("dup_artifact.json", "duplicate_key", u"$.artifacts[1].name"_s);
        row("wrong_type_title.json", "wrong_type", u"$.title: expected a string, got number"_s);
        row("wrong_type_artifacts.json", "wrong_type", u"$.artifacts: expected an array, got object"_s);
        row("wrong_type_agent_name.json", "wrong_type", u"$.agent.name: expected a string, got boolean"_s);
        row("wrong_type_artifact.json", "wrong_type", u"$.artifacts[1]: expected an object, got string"_s);
        row("wrong_type_content.json", "wrong_type", u"$.artifacts[0].content_utf8: expected a string, got array"_s);
        row("unknown_top_key.json", "unknown_key", u"$.titel"_s);
        row("unknown_artifact_key.json", "unknown_key", u"$.artifacts[0].contnet_utf8"_s);
        row("unknown_agent_key.json", "unknown_key", u"$.agent.runid"_s);
        row("bad_base64_char.json", "invalid_base64", u"$.artifacts[0].content_base64: invalid base64: unexpected '*' at character 4"_s);
        row("bad_base64_space.json", "invalid_base64", u"whitespace"_s);
        row("bad_base64_bits.json", "invalid_base64", u"non-zero padding bits at character 6"_s);
        row("bad_base64_length.json", "invalid_base64", u"not a multiple of 4"_s);
        row("bad_base64_inner_pad.json", "invalid_base64", u"padding '=' before the end at character 2"_s);
        row("two_forms.json", "ambiguous_content", u"$.artifacts[0].path"_s);
        row("no_form.json", "missing_content", u"$.artifacts[0]"_s);
        row("pair_neither.json", "missing_content", u"$.artifacts[0]"_s);
        row("pair_two_befores.json", "ambiguous_content", u"$.artifacts[0].before_path"_s);
        row("pair_with_content.json", "unknown_key", u"$.artifacts[0].content_utf8"_s);
        row("command_with_before.json", "unknown_key", u"$.artifacts[0].before_utf8"_s);
        row("missing_file.json", "file_not_found", u"$.artifacts[0].path"_s);
        row("directory_path.json", "file_unreadable", u"not a regular file"_s);
        row("oversize_artifact_inline.json", "too_large", u"per-artifact limit of 64 bytes"_s);
        row("oversize_artifact_file.json", "too_large", u"big.txt"_s);
        row("oversize_pair.json", "too_large", u"$.artifacts[0].after_utf8"_s);
        row("oversize_envelope.json", "too_large", u"envelope"_s);
        row("oversize_revision.json", "too_large", u"$.artifacts[2].content_utf8"_s);
        row("too_many_artifacts.json", "too_many_artifacts", u"limit of 4"_s);
        row("no_artifacts.json", "no_artifacts", u"$.artifacts"_s);
        row("missing_artifacts.json", "missing_key", u"\"artifacts\""_s);
        row("empty_name.json", "invalid_name", u"$.artifacts[0].name"_s);
        row("nul_in_name.json", "invalid_name", u"U+0000"_s);
        row("tab_in_name.json", "invalid_name", u"U+0009"_s);
        row("duplicate_kind_name.json", "duplicate_artifact", u"$.artifacts[1].name"_s);
        row("missing_kind.json", "missing_key", u"$.artifacts[0]: missing required key \"kind\""_s);
        row("missing_name.json", "missing_key", u"\"name\""_s);
        row("unknown_kind.json", "invalid_value", u"$.artifacts[0].kind: unknown value \"shell\""_s);
        row("bad_impact.json", "invalid_value", u"$.declared_impact"_s);
        row("bad_change_kind.json", "invalid_value", u"$.kind"_s);
        row("bad_environment.json", "invalid_value", u"$.environment"_s);
        row("bad_environment_start.json", "invalid_value", u"$.environment"_s);
        row("wrong_schema.json", "invalid_value", u"$.schema: unsupported schema \"holdpoint.proposal/2\""_s);
        row("top_level_array.json", "wrong_type", u"$: expected an object, got array"_s);
        row("top_level_string.json", "wrong_type", u"$: expected an object, got string"_s);
        row("control_in_title.json", "invalid_value", u"U+001B"_s);
        row("empty_title.json", "invalid_value", u"$.title"_s);
        row("long_title.json", "invalid_value", u"201 characters"_s);
        row("bad_operator.json", "invalid_value", u"$.operator"_s);
        row("non_ascii_idempotency.json", "invalid_value", u"$.idempotency_key"_s);
        row("long_target.json", "invalid_value", u"$.target"_s);
        row("empty_path.json", "invalid_value", u"$.artifacts[0].path"_s);
    }
    void hostileInputIsRefused()
    {
        QFETCH(QString, file);
        QFETCH(QString, reason);
        QFETCH(QString, where);
        const QString path = kData + u"/hostile/"_s + file;
        Result<Proposal> r = ProposalParser(smallLimits()).parseFile(path);
        QVERIFY2(!r, "accepted");
        QCOMPARE(r.error().reason, reason);
        QCOMPARE(r.error().code, ExitCode::Usage);
        QVERIFY2(r.error().message.contains(where), qPrintable(r.error().message));
        QVERIFY2(r.error().message.startsWith(path), qPrintable(r.error().message)); // names the file
        // parse() over the same bytes agrees.
        Result<Proposal> again = ProposalParser(smallLimits()).parse(readData(u"hostile/"_s + file),
                                                                     QDir(kData + u"/hostile"_s));
        QCOMPARE(again.ok(), false);
        QCOMPARE(again.error().reason, reason);
    }

    void untrustedValuesInMessagesAreEscaped()
    {
        const QByteArray json = "{\"kind\":\"in\\u202efra\",\"artifacts\":[]}";
        Result<Proposal> r = ProposalParser(smallLimits()).parse(json, QDir(kData));
        QCOMPARE(r.error().reason, u"invalid_value"_s);
        QVERIFY2(r.error().message.contains(u"\"in\\u202efra\""_s), qPrintable(r.error().message));
        QVERIFY(!r.error().message.contains(QChar(0x202E)));
    }

    void syntaxErrorsCarryFileLineAndColumn()
    {
        const QString path = kData + u"/hostile/invalid_json.json"_s;
        Result<Proposal> r = ProposalParser(smallLimits()).parseFile(path);
        QCOMPARE(r.error().path, path + u":1:15"_s);
    }

    void hundredThousandNestedArraysFailFast()
    {
        const QByteArray deep = QByteArray(100000, '[') + QByteArray(100000, ']');
        Result<Proposal> r = ProposalParser().parse(deep, QDir(kData));
        QCOMPARE(r.error().reason, u"too_deep"_s);
        QVERIFY2(r.error().message.contains(u"byte offset 32"_s), qPrintable(r.error().message));
        const QByteArray inside = "{\"artifacts\":[" + QByteArray(100000, '[');
        QCOMPARE(ProposalParser().parse(inside, QDir(kData)).error().reason, u"too_deep"_s);
    }

    void oversizeInputIsRefusedBeforeParsing()
    {
        const QByteArray json = "{\"artifacts\":[{\"kind\":\"command\",\"name\":\"a\",\"content_utf8\":\"" + QByteArray(1200, 'x') +
                                "\"}]}";
        Result<Proposal> r = ProposalParser(smallLimits()).parse(json, QDir(kData));
        QCOMPARE(r.error().reason, u"too_large"_s);
        QVERIFY2(r.error().message.contains(u"limit of 1116 bytes"_s), qPrintable(r.error().message));
    }

    void proposalFileSizeIsCheckedBeforeReading()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(u"big.json"_s);
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QVERIFY(f.resize(10LL << 20)); // sparse 10 MiB of NULs
        f.close();
        Result<Proposal> r = ProposalParser(smallLimits()).parseFile(file);
        QCOMPARE(r.error().reason, u"too_large"_s);
        QCOMPARE(ProposalParser(smallLimits()).parseFile(dir.filePath(u"missing.json"_s)).error().reason,
                 u"file_not_found"_s);
    }

    void stdinIsReadWithAHardCap()
    {
        {
            StdinFrom in(kData + u"/valid/full.json"_s);
            const QString before = QDir::currentPath();
            QDir::setCurrent(kData + u"/valid"_s); // stdin resolves paths against the working directory
            Result<Proposal> r = ProposalParser(smallLimits()).parseFile(u"-"_s);
            QDir::setCurrent(before);
            QVERIFY2(r, r ? "" : qPrintable(r.error().message));
            QCOMPARE(r->artifacts.size(), size_t(4));
        }
        QTemporaryDir dir;
        const QString file = dir.filePath(u"huge.json"_s);
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QVERIFY(f.resize(10LL << 20));
        f.close();
        StdinFrom in(file);
        Result<Proposal> r = ProposalParser(smallLimits()).parseFile(u"-"_s);
        QCOMPARE(r.error().reason, u"too_large"_s);
        const off_t consumed = ::lseek(STDIN_FILENO, 0, SEEK_CUR);
        QVERIFY2(consumed <= 1117, qPrintable(QString::number(consumed))); // never more than cap + 1
    }

    void validateChecksAssembledProposalsAndHashes()
    {
        Proposal p;
        p.title = u"From parts"_s;
        p.environment = u"staging"_s;
        Artifact a;
        a.kind = ArtifactKind::Command;
        a.name = u"run.sh"_s;
        a.parts = {QByteArray("echo\n")};
        p.artifacts.push_back(a);
        Artifact pair;
        pair.kind = ArtifactKind::FilePair;
        pair.name = u"etc/x"_s;
        pair.parts = {QByteArray("old"), QByteArray("new")};
        p.artifacts.push_back(pair);
        const ProposalParser parser(smallLimits());
        QVERIFY(parser.validate(p));
        QCOMPARE(p.artifacts[0].sha256, Sha256::digest("echo\n"));
        QCOMPARE(p.artifacts[1].sha256, Sha256::digest("new"));
    }

    void validateRefusesWhatParseRefuses_data()
    {
        QTest::addColumn<int>("breakage");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<QString>("path");
        QTest::newRow("bad environment") << 0 << u"invalid_value"_s << u"$.environment"_s;
        QTest::newRow("nul in name") << 1 << u"invalid_name"_s << u"$.artifacts[0].name"_s;
        QTest::newRow("file-pair with one part") << 2 << u"invalid_value"_s << u"$.artifacts[0]"_s;
        QTest::newRow("oversize artifact") << 3 << u"too_large"_s << u"$.artifacts[0]"_s;
        QTest::newRow("too many artifacts") << 4 << u"too_many_artifacts"_s << u"$.artifacts"_s;
        QTest::newRow("duplicate kind and name") << 5 << u"duplicate_artifact"_s << u"$.artifacts[1].name"_s;
        QTest::newRow("no artifacts") << 6 << u"no_artifacts"_s << u"$.artifacts"_s;
        QTest::newRow("lone surrogate in title") << 7 << u"invalid_value"_s << u"$.title"_s;
        QTest::newRow("revision total") << 8 << u"too_large"_s << u"$.artifacts[2]"_s;
    }
    void validateRefusesWhatParseRefuses()
    {
        QFETCH(int, breakage);
        QFETCH(QString, reason);
        QFETCH(QString, path);
        Proposal p;
        Artifact a;
        a.kind = ArtifactKind::Command;
        a.name = u"run.sh"_s;
        a.parts = {QByteArray("echo\n")};
        p.artifacts.push_back(a);
        switch (breakage) {
        case 0: p.environment = u"Prod!"_s; break;
        case 1: p.artifacts[0].name = QString(u"a\0b"_s); break;
        case 2: p.artifacts[0].kind = ArtifactKind::FilePair; break;
        case 3: p.artifacts[0].parts = {QByteArray(65, 'x')}; break;
        case 4: p.artifacts.assign(5, a); break;
        case 5: p.artifacts.push_back(a); break;
        case 6: p.artifacts.clear(); break;
        case 7: p.title = QString(QChar(0xD800)); break;
        case 8:
            p.artifacts[0].parts = {QByteArray(60, 'x')};
            p.artifacts.assign(3, p.artifacts[0]);
            p.artifacts[1].name = u"b"_s;
            p.artifacts[2].name = u"c"_s;
            break;
        }
        const Status s = ProposalParser(smallLimits()).validate(p);
        QVERIFY(!s);
        QCOMPARE(s.error().reason, reason);
        QCOMPARE(s.error().path, path);
        QVERIFY(p.artifacts.empty() || p.artifacts[0].sha256.isEmpty()); // nothing half-done
    }
};

QTEST_GUILESS_MAIN(TstProposalParser)
#include "tst_proposalparser.moc"
