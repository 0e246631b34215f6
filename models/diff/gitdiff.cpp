#include "diff/gitdiff.h"

#include "diff/patchnames.h"

#include <QFile>

#include <git2.h>

#include <algorithm>
#include <cstring>
#include <future>
#include <mutex>

namespace hp::diff {

namespace {

std::once_flag g_libgit2Once;

// Never shut down: other threads may be diffing at exit.
void initLibgit2Once()
{
    std::call_once(g_libgit2Once, [] { git_libgit2_init(); });
}

// An append-only byte buffer that grows geometrically and is handed over
// without a copy. Plain memcpy into reserved space: the line callback is the
// hot path of a 200,000-line diff.
class OutBuffer
{
public:
    explicit OutBuffer(qsizetype reserve) { m_buf.resize(std::max<qsizetype>(reserve, 256)); }

    void append(const char *data, qsizetype size)
    {
        if (m_size + size > m_buf.size())
            m_buf.resize(std::max(m_buf.size() * 2, m_size + size));
        std::memcpy(m_buf.data() + m_size, data, static_cast<size_t>(size));
        m_size += size;
    }
    void append(QByteArrayView v) { append(v.data(), v.size()); }
    void append(char c) { append(&c, 1); }
    qsizetype size() const { return m_size; }
    QByteArray take()
    {
        m_buf.truncate(m_size);
        return std::move(m_buf);
    }

private:
    QByteArray m_buf; // [0, m_size) written, the rest is reserve
    qsizetype m_size = 0;
};

QByteArray modeText(quint32 mode)
{
    return QByteArray::number(mode, 8);
}

// Streams libgit2's callbacks into the git text format and the FilePatch.
class Emitter
{
public:
    Emitter(const DiffSide &a, const DiffSide &b)
        : m_a(a), m_b(b), m_out((a.data.size() + b.data.size()) / 8 + 4096)
    {
        // git names both sides after the file that exists.
        const QByteArray &labelA = a.absent ? b.label : a.label;
        const QByteArray &labelB = b.absent ? a.label : b.label;
        m_nameA = patchnames::quote(QByteArray("a/" + labelA));
        m_nameB = patchnames::quote(QByteArray("b/" + labelB));
        m_file.oldPath = a.absent ? QByteArray() : a.label;
        m_file.newPath = b.absent ? QByteArray() : b.label;
        m_file.format = PatchFormat::Git;
        m_file.status = a.absent ? FileStatus::Added : b.absent ? FileStatus::Deleted : FileStatus::Modified;
        m_file.oldMode = a.mode;
        m_file.newMode = b.mode;
    }

    static int onFile(const git_diff_delta *delta, float, void *payload)
    {
        auto *self = static_cast<Emitter *>(payload);
        self->m_ids[0] = delta->old_file.id;
        self->m_ids[1] = delta->new_file.id;
        self->m_haveIds = true;
        self->m_unmodified = delta->status == GIT_DELTA_UNMODIFIED;
        self->m_file.binary = self->m_file.binary || (delta->flags & GIT_DIFF_FLAG_BINARY);
        return 0;
    }
    static int onBinary(const git_diff_delta *, const git_diff_binary *, void *payload)
    {
        static_cast<Emitter *>(payload)->m_file.binary = true;
        return 0;
    }
    static int onHunk(const git_diff_delta *, const git_diff_hunk *hunk, void *payload)
    {
        static_cast<Emitter *>(payload)->addHunk(*hunk);
        return 0;
    }
    static int onLine(const git_diff_delta *, const git_diff_hunk *, const git_diff_line *line, void *payload)
    {
        static_cast<Emitter *>(payload)->addLine(*line);
        return 0;
    }

    GitDiffResult finish()
    {
        if (!m_headerDone) {
            const bool modeChange = m_a.mode && m_b.mode && m_a.mode != m_b.mode && !m_a.absent && !m_b.absent;
            const bool differs = m_haveIds && !m_unmodified;
            if (m_file.binary && differs) {
                writeHeader(false);
                m_out.append("Binary files ");
                m_out.append(m_a.absent ? QByteArrayView("/dev/null") : QByteArrayView(m_nameA));
                m_out.append(" and ");
                m_out.append(m_b.absent ? QByteArrayView("/dev/null") : QByteArrayView(m_nameB));
                m_out.append(" differ\n");
            } else if (differs || modeChange || m_a.absent || m_b.absent) {
                writeHeader(false);
            }
        }
        if (!m_file.hunks.empty())
            m_file.hunks.back().lineCount = static_cast<int>(m_file.lines.size()) - m_file.hunks.back().firstLine;
        m_file.headerLine = m_headerDone ? 1 : 0;
        return GitDiffResult{m_out.take(), std::move(m_file)};
    }

private:
    void addHunk(const git_diff_hunk &hunk)
    {
        if (!m_headerDone)
            writeHeader(true);
        if (!m_file.hunks.empty())
            m_file.hunks.back().lineCount = static_cast<int>(m_file.lines.size()) - m_file.hunks.back().firstLine;
        Hunk h;
        h.oldStart = hunk.old_start;
        h.oldCount = hunk.old_lines;
        h.newStart = hunk.new_start;
        h.newCount = hunk.new_lines;
        h.firstLine = static_cast<int>(m_file.lines.size());
        h.patchLine = m_lineNumber++;
        const QByteArrayView header(hunk.header, static_cast<qsizetype>(hunk.header_len));
        // "@@ -a,b +c,d @@ section\n": the section follows the second "@@ ".
        const qsizetype close = header.indexOf("@@", 2);
        qsizetype sectionStart = close < 0 ? header.size() : close + 2;
        if (sectionStart < header.size() && header[sectionStart] == ' ')
            ++sectionStart;
        const qsizetype sectionEnd = header.endsWith('\n') ? header.size() - 1 : header.size();
        h.section = {m_out.size() + sectionStart, std::max<qsizetype>(0, sectionEnd - sectionStart)};
        m_out.append(header);
        m_file.hunks.push_back(h);
    }

    void addLine(const git_diff_line &line)
    {
        const auto size = static_cast<qsizetype>(line.content_len);
        switch (line.origin) {
        case GIT_DIFF_LINE_CONTEXT:
        case GIT_DIFF_LINE_ADDITION:
        case GIT_DIFF_LINE_DELETION: {
            PatchLine pl;
            pl.origin = line.origin == GIT_DIFF_LINE_CONTEXT    ? LineOrigin::Context
                        : line.origin == GIT_DIFF_LINE_ADDITION ? LineOrigin::Added
                                                                : LineOrigin::Removed;
            m_file.additions += pl.origin == LineOrigin::Added;
            m_file.deletions += pl.origin == LineOrigin::Removed;
            m_out.append(line.origin);
            const bool lf = size > 0 && line.content[size - 1] == '\n';
            pl.text = {m_out.size(), lf ? size - 1 : size};
            m_out.append(line.content, size);
            m_file.lines.push_back(pl);
            ++m_lineNumber;
            break;
        }
        case GIT_DIFF_LINE_CONTEXT_EOFNL:
        case GIT_DIFF_LINE_ADD_EOFNL:
        case GIT_DIFF_LINE_DEL_EOFNL:
            // Content is "\n\\ No newline at end of file\n": it ends the
            // previous line and adds the marker line.
            if (!m_file.lines.empty())
                m_file.lines.back().noNewlineAtEnd = true;
            m_out.append(line.content, size);
            ++m_lineNumber;
            break;
        default:
            break;
        }
    }

    void writeHeader(bool withNames)
    {
        m_headerDone = true;
        m_out.append("diff --git ");
        m_out.append(m_nameA);
        m_out.append(' ');
        m_out.append(m_nameB);
        m_out.append('\n');
        m_lineNumber = 2;
        auto line = [&](QByteArrayView text) {
            m_out.append(text);
            m_out.append('\n');
            ++m_lineNumber;
        };
        const quint32 defaultMode = 0100644;
        if (m_a.absent)
            line("new file mode " + modeText(m_b.mode ? m_b.mode : defaultMode));
        else if (m_b.absent)
            line("deleted file mode " + modeText(m_a.mode ? m_a.mode : defaultMode));
        else if (m_a.mode && m_b.mode && m_a.mode != m_b.mode) {
            line("old mode " + modeText(m_a.mode));
            line("new mode " + modeText(m_b.mode));
        }
        if (m_haveIds && !m_unmodified && !git_oid_equal(&m_ids[0], &m_ids[1])) {
            char oldHex[8] = {};
            char newHex[8] = {};
            git_oid_tostr(oldHex, sizeof oldHex, &m_ids[0]);
            git_oid_tostr(newHex, sizeof newHex, &m_ids[1]);
            QByteArray index = QByteArray("index ") + oldHex + ".." + newHex;
            if (!m_a.absent && !m_b.absent && m_a.mode && m_a.mode == m_b.mode)
                index += ' ' + modeText(m_a.mode);
            line(index);
        }
        if (withNames) {
            // git ends a name that holds a space with a TAB.
            auto name = [&](const char *prefix, bool absent, const QByteArray &quoted) {
                QByteArray text(prefix);
                text.append(absent ? QByteArrayView("/dev/null") : QByteArrayView(quoted));
                if (text.indexOf(' ', 4) >= 0)
                    text.append('\t');
                line(text);
            };
            name("--- ", m_a.absent, m_nameA);
            name("+++ ", m_b.absent, m_nameB);
        }
    }

    const DiffSide &m_a;
    const DiffSide &m_b;
    OutBuffer m_out;
    FilePatch m_file;
    QByteArray m_nameA;
    QByteArray m_nameB;
    git_oid m_ids[2] = {};
    bool m_haveIds = false;
    bool m_unmodified = false;
    bool m_headerDone = false;
    int m_lineNumber = 1; // 1-based line of the next line written
};

} // namespace

void GitDiff::prepare()
{
    // The future lives until exit, so the thread is joined before libgit2's
    // own atexit work runs.
    static std::future<void> pending = std::async(std::launch::async, initLibgit2Once);
}

Result<GitDiffResult> GitDiff::diff(const DiffSide &before, const DiffSide &after, const GitDiffOptions &options)
{
    initLibgit2Once();
    git_diff_options opts;
    git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
    opts.context_lines = static_cast<uint32_t>(std::max(0, options.contextLines));
    opts.interhunk_lines = static_cast<uint32_t>(std::max(0, options.interhunkLines));
    if (options.indentHeuristic)
        opts.flags |= GIT_DIFF_INDENT_HEURISTIC;

    // An absent side has no buffer (libgit2: added/deleted); an empty file
    // has a zero-length one.
    static const char empty = 0;
    auto buffer = [](const DiffSide &s) -> const void * {
        return s.absent ? nullptr : (s.data.data() ? static_cast<const void *>(s.data.data()) : &empty);
    };
    const QByteArray pathA = before.label.isEmpty() ? after.label : before.label;
    const QByteArray pathB = after.label.isEmpty() ? before.label : after.label;
    Emitter emitter(before, after);
    const int rc = git_diff_buffers(buffer(before), before.absent ? 0 : static_cast<size_t>(before.data.size()),
                                    pathA.constData(), buffer(after),
                                    after.absent ? 0 : static_cast<size_t>(after.data.size()), pathB.constData(),
                                    &opts, &Emitter::onFile, &Emitter::onBinary, &Emitter::onHunk, &Emitter::onLine,
                                    &emitter);
    if (rc < 0) {
        const git_error *e = git_error_last();
        return makeError(ExitCode::Internal, QStringLiteral("diff_failed"),
                         QStringLiteral("libgit2 could not diff %1 and %2: %3")
                             .arg(QString::fromUtf8(pathA), QString::fromUtf8(pathB),
                                  e ? QString::fromUtf8(e->message) : QStringLiteral("unknown error")));
    }
    return emitter.finish();
}

namespace {

// A read-only view of a whole file; memory-mapped so a large file is not
// copied. Empty files have no mapping.
struct MappedFile
{
    QFile file;
    QByteArrayView data;
    quint32 mode = 0100644;
};

Status mapFile(const QString &path, MappedFile &out)
{
    out.file.setFileName(path);
    if (!out.file.exists())
        return makeError(ExitCode::NotFound, QStringLiteral("not_found"),
                         QStringLiteral("%1: no such file").arg(path), path);
    if (!out.file.open(QIODevice::ReadOnly))
        return makeError(ExitCode::Usage, QStringLiteral("unreadable"),
                         QStringLiteral("%1: cannot read: %2").arg(path, out.file.errorString()), path);
    if (out.file.permissions() & QFileDevice::ExeOwner)
        out.mode = 0100755;
    const qint64 size = out.file.size();
    if (size == 0)
        return {};
    const uchar *map = out.file.map(0, size);
    if (!map)
        return makeError(ExitCode::Usage, QStringLiteral("unreadable"),
                         QStringLiteral("%1: cannot map: %2").arg(path, out.file.errorString()), path);
    out.data = QByteArrayView(reinterpret_cast<const char *>(map), static_cast<qsizetype>(size));
    return {};
}

QByteArray gitLabel(const QString &path)
{
    QByteArray name = QFile::encodeName(path);
    if (name.startsWith('/'))
        name.remove(0, 1);
    return name;
}

} // namespace

Result<GitDiffResult> GitDiff::diffFiles(const QString &before, const QString &after, const GitDiffOptions &options)
{
    MappedFile a;
    MappedFile b;
    if (Status st = mapFile(before, a); !st)
        return st.error();
    if (Status st = mapFile(after, b); !st)
        return st.error();
    return diff(DiffSide{a.data, gitLabel(before), a.mode, false}, DiffSide{b.data, gitLabel(after), b.mode, false},
                options);
}

} // namespace hp::diff
