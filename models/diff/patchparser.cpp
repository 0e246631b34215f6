#include "diff/patchparser.h"

#include "diff/patchnames.h"

#include <cstring>

namespace hp::diff {

namespace {

namespace names = patchnames;

// Hunk headers beyond this many lines are refused before any arithmetic can
// overflow an int.
constexpr int MaxLineNumber = 999'999'999;

// One line of the input. `text` excludes the LF; `next` is where the
// following line starts. A line past the end is !valid.
struct Line
{
    QByteArrayView text;
    qsizetype offset = 0;
    qsizetype next = 0;
    int number = 0;
    bool valid = false;

    // Header lines are compared without the CR of a CRLF patch; body lines
    // keep it (it belongs to the content).
    QByteArrayView head() const { return text.endsWith('\r') ? text.chopped(1) : text; }
};

// Reads a decimal number of at most 9 digits at s[*pos].
bool readNumber(QByteArrayView s, qsizetype *pos, int *value)
{
    const qsizetype start = *pos;
    qint64 v = 0;
    while (*pos < s.size() && s[*pos] >= '0' && s[*pos] <= '9' && *pos - start < 10)
        v = v * 10 + (s[(*pos)++] - '0');
    if (*pos == start || v > MaxLineNumber)
        return false;
    *value = static_cast<int>(v);
    return true;
}

// "start[,count]"; a missing count is 1.
bool readRange(QByteArrayView s, qsizetype *pos, int *start, int *count)
{
    if (!readNumber(s, pos, start))
        return false;
    *count = 1;
    if (*pos < s.size() && s[*pos] == ',') {
        ++*pos;
        return readNumber(s, pos, count);
    }
    return true;
}

bool readMode(QByteArrayView s, quint32 *mode)
{
    s = s.trimmed();
    if (s.isEmpty() || s.size() > 7)
        return false;
    quint32 m = 0;
    for (const char c : s) {
        if (c < '0' || c > '7')
            return false;
        m = m * 8 + static_cast<quint32>(c - '0');
    }
    *mode = m;
    return true;
}

QString quoted(QByteArrayView text)
{
    return u'"' + QString::fromUtf8(text.first(std::min<qsizetype>(text.size(), 80))) + u'"';
}

class Parser
{
public:
    Parser(const QByteArray &data, const QString &source) : m_data(data), m_source(source)
    {
        m_set.data = data;
    }

    Result<PatchSet> run();

private:
    Line lineAt(qsizetype offset, int number) const;
    void advance() { m_line = lineAt(m_line.next, m_line.number + 1); }
    Line peek(const Line &from) const { return lineAt(from.next, from.number + 1); }
    Error error(int line, const QString &what) const;

    Status parseGitFile();
    Status parseGitHeaderLine(FilePatch &f, QByteArrayView t, bool *done);
    bool parseGitModeOrName(FilePatch &f, QByteArrayView t, Status *st);
    Status parseDashNames(FilePatch &f);
    Status parseTraditionalFile();
    Status parseHunks(FilePatch &f);
    Status parseHunk(FilePatch &f);
    Status parseHunkHeader(const FilePatch &f, Hunk &h) const;
    Status parseHunkBody(FilePatch &f, const Hunk &h);
    Status checkAfterHunk(const Hunk &h) const;
    Status skipBinaryPatch();
    bool startsTraditionalFile() const;
    void finishFile(FilePatch &&f, QByteArrayView oldName, QByteArrayView newName);

    QByteArrayView m_data;
    QString m_source;
    Line m_line;
    PatchSet m_set;

    // Names a git file section gathered, by source; resolved in parseGitFile.
    struct GitNameSources
    {
        std::optional<QByteArray> copyOrRenameOld, copyOrRenameNew, dashOld, dashNew;
        bool oldDevNull = false;
        bool newDevNull = false;
    } m_git;
};

Line Parser::lineAt(qsizetype offset, int number) const
{
    Line line;
    line.number = number;
    line.offset = offset;
    if (offset >= m_data.size()) {
        line.next = m_data.size();
        return line;
    }
    const char *begin = m_data.data() + offset;
    const auto *lf = static_cast<const char *>(std::memchr(begin, '\n', static_cast<size_t>(m_data.size() - offset)));
    const qsizetype end = lf ? lf - m_data.data() : m_data.size();
    line.text = m_data.sliced(offset, end - offset);
    line.next = lf ? end + 1 : end;
    line.valid = true;
    return line;
}

Error Parser::error(int line, const QString &what) const
{
    const QString where = m_source.isEmpty() ? QStringLiteral("line %1").arg(line)
                                             : QStringLiteral("%1:%2").arg(m_source).arg(line);
    return makeError(ExitCode::Usage, QStringLiteral("malformed_patch"),
                     QStringLiteral("line %1: %2").arg(line).arg(what), where);
}

Result<PatchSet> Parser::run()
{
    m_line = lineAt(0, 1);
    int firstText = 0;
    while (m_line.valid) {
        const QByteArrayView t = m_line.head();
        Status st;
        if (t.startsWith("diff --git ")) {
            st = parseGitFile();
        } else if (t.startsWith("--- ") && startsTraditionalFile()) {
            st = parseTraditionalFile();
        } else if (t.startsWith("@@ -")) {
            return error(m_line.number, QStringLiteral("hunk header outside a file section: expected a "
                                                       "\"diff --git\" header or \"--- \" and \"+++ \" lines before it"));
        } else {
            if (firstText == 0 && !t.trimmed().isEmpty())
                firstText = m_line.number;
            advance();
        }
        if (!st)
            return st.error();
    }
    if (m_set.files.empty() && firstText > 0)
        return error(firstText, QStringLiteral("no file changes found: expected a \"diff --git\" header, or "
                                               "\"--- \" and \"+++ \" lines followed by a hunk"));
    return std::move(m_set);
}

bool Parser::startsTraditionalFile() const
{
    const Line plus = peek(m_line);
    if (!plus.valid || !plus.head().startsWith("+++ "))
        return false;
    const Line hunk = peek(plus);
    return hunk.valid && hunk.head().startsWith("@@ -");
}

Status Parser::parseGitFile()
{
    FilePatch f;
    f.format = PatchFormat::Git;
    f.headerLine = m_line.number;
    const names::GitNames fromLine = names::parseGitDiffLine(m_line.head().sliced(11));
    m_git = {};
    advance();
    for (bool done = false; m_line.valid && !done;) {
        if (Status st = parseGitHeaderLine(f, m_line.head(), &done); !st)
            return st;
    }
    const auto &g = m_git;
    f.oldPath = g.copyOrRenameOld.value_or(g.dashOld.value_or(fromLine.oldName));
    f.newPath = g.copyOrRenameNew.value_or(g.dashNew.value_or(fromLine.newName));
    if (g.oldDevNull)
        f.status = FileStatus::Added;
    if (g.newDevNull)
        f.status = FileStatus::Deleted;
    const QByteArray oldName = f.oldPath;
    const QByteArray newName = f.newPath;
    if (f.status == FileStatus::Added)
        f.oldPath.clear();
    if (f.status == FileStatus::Deleted)
        f.newPath.clear();
    if (f.oldPath.isEmpty() && f.newPath.isEmpty())
        return error(f.headerLine, QStringLiteral("cannot tell the file name: expected \"diff --git a/NAME b/NAME\" "
                                                  "or \"rename\"/\"copy\"/\"---\"/\"+++\" lines naming it"));
    finishFile(std::move(f), oldName, newName);
    return {};
}

// Extended header lines that set a mode or a name and never end the section.
// Returns false when `t` is none of them.
bool Parser::parseGitModeOrName(FilePatch &f, QByteArrayView t, Status *st)
{
    struct Rule
    {
        const char *prefix;
        quint32 FilePatch::*mode;   // set when the line carries a mode
        bool oldName;               // otherwise: a name for this side
        std::optional<FileStatus> status;
    };
    static const Rule rules[] = {
        {"old mode ", &FilePatch::oldMode, false, std::nullopt},
        {"new mode ", &FilePatch::newMode, false, std::nullopt},
        {"deleted file mode ", &FilePatch::oldMode, false, FileStatus::Deleted},
        {"new file mode ", &FilePatch::newMode, false, FileStatus::Added},
        {"rename from ", nullptr, true, FileStatus::Renamed},
        {"rename old ", nullptr, true, FileStatus::Renamed},
        {"rename to ", nullptr, false, FileStatus::Renamed},
        {"rename new ", nullptr, false, FileStatus::Renamed},
        {"copy from ", nullptr, true, FileStatus::Copied},
        {"copy to ", nullptr, false, FileStatus::Copied},
    };
    for (const Rule &rule : rules) {
        if (!t.startsWith(rule.prefix))
            continue;
        const QByteArrayView rest = t.sliced(qsizetype(std::strlen(rule.prefix)));
        if (rule.status)
            f.status = *rule.status;
        if (rule.mode && !readMode(rest, &(f.*rule.mode)))
            *st = error(m_line.number, QStringLiteral("expected an octal file mode after \"%1\"")
                                           .arg(QString::fromLatin1(rule.prefix).trimmed()));
        else if (!rule.mode)
            (rule.oldName ? m_git.copyOrRenameOld : m_git.copyOrRenameNew) = names::parseGitHeaderName(rest).name;
        return true;
    }
    return false;
}

// One extended header line of a git file section. Sets *done at the first
// line that is not a header (it belongs to what follows) and after the
// parts that end a section (hunks, binary markers).
Status Parser::parseGitHeaderLine(FilePatch &f, QByteArrayView t, bool *done)
{
    Status st;
    if (parseGitModeOrName(f, t, &st)) {
        // handled
    } else if (t.startsWith("similarity index ")) {
        qsizetype pos = 17;
        int pct = 0;
        if (readNumber(t, &pos, &pct))
            f.similarity = pct;
    } else if (t.startsWith("dissimilarity index ")) {
        // Says how much a rewrite changed; the hunks show it.
    } else if (t.startsWith("index ")) {
        // "index <old>..<new>[ <mode>]"
        const QByteArrayView ids = t.sliced(6);
        const qsizetype dots = ids.indexOf("..");
        const qsizetype space = dots > 0 ? ids.indexOf(' ', dots + 2) : -1;
        if (dots > 0) {
            f.oldId = ids.first(dots).toByteArray();
            f.newId = ids.sliced(dots + 2, (space < 0 ? ids.size() : space) - dots - 2).toByteArray();
        }
        if (space > 0 && readMode(ids.sliced(space + 1), &f.newMode))
            f.oldMode = f.newMode;
    } else if (t.startsWith("--- ")) {
        *done = true;
        return parseDashNames(f);
    } else if (t.startsWith("Binary files ")) {
        f.binary = true;
        *done = true;
    } else if (t == "GIT binary patch") {
        f.binary = true;
        *done = true;
        return skipBinaryPatch();
    } else {
        *done = true;
        return {};
    }
    if (st)
        advance();
    return st;
}

// "--- a/x" and "+++ b/x" inside a git section, then its hunks.
Status Parser::parseDashNames(FilePatch &f)
{
    const names::HeaderName oldName = names::parseGitHeaderName(m_line.head().sliced(4));
    const Line plus = peek(m_line);
    if (!plus.valid || !plus.head().startsWith("+++ "))
        return error(plus.number, QStringLiteral("expected \"+++ \" after the \"--- \" line %1").arg(m_line.number));
    const names::HeaderName newName = names::parseGitHeaderName(plus.head().sliced(4));
    if (!oldName.valid || !newName.valid)
        return error(oldName.valid ? plus.number : m_line.number,
                     QStringLiteral("expected a file name with valid C-style quoting"));
    m_git.oldDevNull = oldName.devNull;
    m_git.newDevNull = newName.devNull;
    if (!oldName.devNull)
        m_git.dashOld = names::stripFirstComponent(oldName.name).toByteArray();
    if (!newName.devNull)
        m_git.dashNew = names::stripFirstComponent(newName.name).toByteArray();
    advance();
    advance();
    return parseHunks(f);
}

Status Parser::skipBinaryPatch()
{
    advance();
    for (int block = 0; block < 2; ++block) {
        const QByteArrayView t = m_line.head();
        if (!m_line.valid || !(t.startsWith("literal ") || t.startsWith("delta "))) {
            if (block == 0)
                return error(m_line.number, QStringLiteral("expected \"literal SIZE\" or \"delta SIZE\" after "
                                                           "\"GIT binary patch\""));
            return {};
        }
        advance();
        // Base85 lines start with a length letter; a blank line ends the block.
        for (; m_line.valid && !m_line.head().isEmpty(); advance()) {
            const char c = m_line.head()[0];
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
                return error(m_line.number, QStringLiteral("expected a base85 line of the binary patch "
                                                           "(starting with a length letter) or a blank line"));
        }
        advance();
    }
    return {};
}

Status Parser::parseTraditionalFile()
{
    FilePatch f;
    f.format = PatchFormat::Unified;
    f.headerLine = m_line.number;
    const names::HeaderName oldName = names::parseHeaderName(m_line.head().sliced(4));
    advance();
    const names::HeaderName newName = names::parseHeaderName(m_line.head().sliced(4));
    if (!oldName.valid || !newName.valid)
        return error(oldName.valid ? m_line.number : m_line.number - 1,
                     QStringLiteral("expected a file name with valid C-style quoting"));
    advance();
    if (Status st = parseHunks(f); !st)
        return st;
    // `diff -N` writes the missing side with an epoch stamp and no lines.
    auto noLines = [&](bool oldSide) {
        return std::all_of(f.hunks.begin(), f.hunks.end(),
                           [&](const Hunk &h) { return (oldSide ? h.oldCount : h.newCount) == 0; });
    };
    const bool oldAbsent = oldName.devNull || (oldName.epoch && noLines(true));
    const bool newAbsent = newName.devNull || (newName.epoch && noLines(false));
    if (oldAbsent != newAbsent)
        f.status = oldAbsent ? FileStatus::Added : FileStatus::Deleted;
    f.oldPath = oldAbsent && !newAbsent ? QByteArray() : oldName.name;
    f.newPath = newAbsent && !oldAbsent ? QByteArray() : newName.name;
    finishFile(std::move(f), oldName.devNull ? QByteArrayView() : QByteArrayView(oldName.name),
               newName.devNull ? QByteArrayView() : QByteArrayView(newName.name));
    return {};
}

void Parser::finishFile(FilePatch &&f, QByteArrayView oldName, QByteArrayView newName)
{
    f.kubeObject = names::kubeObjectFromPath(oldName);
    if (!f.kubeObject)
        f.kubeObject = names::kubeObjectFromPath(newName);
    if (f.kubeObject && f.format == PatchFormat::Unified)
        f.format = PatchFormat::Kubectl;
    m_set.files.push_back(std::move(f));
}

Status Parser::parseHunks(FilePatch &f)
{
    if (!m_line.valid || !m_line.head().startsWith("@@ -"))
        return error(m_line.number, QStringLiteral("expected a hunk header \"@@ -start,count +start,count @@\""));
    while (m_line.valid && m_line.head().startsWith("@@ -")) {
        if (Status st = parseHunk(f); !st)
            return st;
    }
    return {};
}

Status Parser::parseHunkHeader(const FilePatch &f, Hunk &h) const
{
    const QByteArrayView t = m_line.head();
    qsizetype p = 4; // after "@@ -"
    const bool ranges = readRange(t, &p, &h.oldStart, &h.oldCount) && t.sliced(p).startsWith(" +")
                        && (p += 2, readRange(t, &p, &h.newStart, &h.newCount)) && t.sliced(p).startsWith(" @@");
    if (!ranges)
        return error(m_line.number, QStringLiteral("malformed hunk header %1: expected "
                                                   "\"@@ -start[,count] +start[,count] @@\"").arg(quoted(t)));
    p += 3;
    if (p < t.size() && t[p] == ' ')
        ++p;
    h.section = {m_line.offset + p, t.size() - p};
    if (h.oldCount == 0 && h.newCount == 0)
        return error(m_line.number, QStringLiteral("empty hunk %1: expected at least one line").arg(quoted(t)));
    if ((h.oldCount > 0 && h.oldStart == 0) || (h.newCount > 0 && h.newStart == 0))
        return error(m_line.number, QStringLiteral("hunk %1 counts lines from line 0: expected lines to start at 1")
                                        .arg(quoted(t)));
    // Hunks of one file come in order and do not overlap (on either side).
    if (!f.hunks.empty()) {
        const Hunk &prev = f.hunks.back();
        auto begin = [](int start, int count) { return count == 0 ? start + 1 : start; };
        const int oldEnd = begin(prev.oldStart, prev.oldCount) + prev.oldCount;
        const int newEnd = begin(prev.newStart, prev.newCount) + prev.newCount;
        if (begin(h.oldStart, h.oldCount) < oldEnd || begin(h.newStart, h.newCount) < newEnd)
            return error(m_line.number, QStringLiteral("hunk %1 overlaps or precedes the hunk at line %2: expected "
                                                       "it to start after old line %3 and new line %4")
                                            .arg(quoted(t)).arg(prev.patchLine).arg(oldEnd - 1).arg(newEnd - 1));
    }
    return {};
}

Status Parser::parseHunk(FilePatch &f)
{
    Hunk h;
    h.patchLine = m_line.number;
    if (Status st = parseHunkHeader(f, h); !st)
        return st;
    h.firstLine = static_cast<int>(f.lines.size());
    advance();
    if (Status st = parseHunkBody(f, h); !st)
        return st;
    h.lineCount = static_cast<int>(f.lines.size()) - h.firstLine;
    f.hunks.push_back(h);
    return checkAfterHunk(h);
}

Status Parser::parseHunkBody(FilePatch &f, const Hunk &h)
{
    int oldLeft = h.oldCount;
    int newLeft = h.newCount;
    auto still = [&] {
        return QStringLiteral("the hunk at line %1 still expects %2 old and %3 new line(s)")
            .arg(h.patchLine).arg(oldLeft).arg(newLeft);
    };
    while (oldLeft > 0 || newLeft > 0) {
        if (!m_line.valid)
            return error(m_line.number, QStringLiteral("unexpected end of the patch: %1").arg(still()));
        const QByteArrayView t = m_line.text;
        // Mailers strip the space of an empty context line; git apply accepts it.
        const char c = (t.isEmpty() || t == "\r") ? ' ' : t[0];
        const bool empty = c == ' ' && (t.isEmpty() || t == "\r");
        PatchLine line;
        line.text = empty ? ByteSpan{m_line.offset, t.size()} : ByteSpan{m_line.offset + 1, t.size() - 1};
        if (c == '\\') {
            if (static_cast<int>(f.lines.size()) == h.firstLine)
                return error(m_line.number, QStringLiteral("\"\\ No newline at end of file\" before any line of "
                                                           "the hunk at line %1").arg(h.patchLine));
            f.lines.back().noNewlineAtEnd = true;
            advance();
            continue;
        }
        if (c == ' ' && oldLeft > 0 && newLeft > 0) {
            --oldLeft;
            --newLeft;
        } else if (c == '-' && oldLeft > 0) {
            line.origin = LineOrigin::Removed;
            --oldLeft;
            ++f.deletions;
        } else if (c == '+' && newLeft > 0) {
            line.origin = LineOrigin::Added;
            --newLeft;
            ++f.additions;
        } else if (c == ' ' || c == '-' || c == '+') {
            const char *kind = c == ' ' ? "a context" : c == '-' ? "a removed" : "an added";
            return error(m_line.number, QStringLiteral("%1 line, but %2: the body does not match the counts of "
                                                       "its header").arg(QLatin1String(kind), still()));
        } else {
            return error(m_line.number, QStringLiteral("expected a line starting with ' ', '-', '+' or '\\': %1")
                                            .arg(still()));
        }
        f.lines.push_back(line);
        advance();
    }
    if (m_line.valid && m_line.text.startsWith('\\')) {
        f.lines.back().noNewlineAtEnd = true;
        advance();
    }
    return {};
}

// After a complete hunk only another hunk, a new file section or text that
// cannot be a body line may follow; a '+' or '-' line there means the header
// counted fewer lines than the body has.
Status Parser::checkAfterHunk(const Hunk &h) const
{
    if (!m_line.valid)
        return {};
    const QByteArrayView t = m_line.head();
    if (!t.startsWith('+') && !t.startsWith('-'))
        return {};
    if (t == "--" || t == "-- " || (t.startsWith("--- ") && startsTraditionalFile()))
        return {};
    return error(m_line.number, QStringLiteral("the hunk at line %1 (-%2,%3 +%4,%5) has more lines than its header "
                                               "counts: expected the next hunk, the next file or the end")
                                    .arg(h.patchLine).arg(h.oldStart).arg(h.oldCount).arg(h.newStart).arg(h.newCount));
}

} // namespace

Result<PatchSet> PatchParser::parse(const QByteArray &patch, const QString &sourceName)
{
    Parser parser(patch, sourceName);
    return parser.run();
}

} // namespace hp::diff
