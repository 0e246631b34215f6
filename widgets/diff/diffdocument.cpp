#include "diff/diffdocument.h"

#include "diff/dangeroustext.h"
#include "diff/gitdiff.h"
#include "diff/patchparser.h"
#include "diff/rowbuilder.h"

namespace hp {

namespace {

using Promise = QPromise<std::shared_ptr<const DiffDocument>>;

QString escapedName(const QByteArray &path)
{
    return diff::DangerousText::escaped(path);
}

int countCell(const diff::SideBySide &s, const diff::Cell &c, bool right)
{
    if (c.kind == diff::CellKind::Padding || c.length == 0)
        return 0;
    return static_cast<int>(diff::DangerousText::scan(right ? s.rightText(c) : s.leftText(c)).size());
}

// Adds the spots of one row. A context line is the same text on both sides:
// it counts once, on the new side.
void scanRow(DiffDocument &doc, int file, const diff::SideBySide &s, const diff::Row &row, int index,
             bool inHidden, int *count)
{
    if (row.kind == diff::RowKind::Fold || row.kind == diff::RowKind::Binary)
        return;
    const bool context = row.left.kind == diff::CellKind::Context;
    if (!context) {
        if (const int n = countCell(s, row.left, false); n > 0) {
            doc.dangers.push_back({file, index, inHidden, false});
            *count += n;
        }
    }
    if (const int n = countCell(s, row.right, true); n > 0) {
        doc.dangers.push_back({file, index, inHidden, true});
        *count += n;
    }
}

void scanFile(DiffDocument &doc, int index)
{
    DiffFile &f = doc.files[static_cast<size_t>(index)];
    int count = static_cast<int>(diff::DangerousText::scan(f.oldPath).size());
    if (f.newPath != f.oldPath)
        count += static_cast<int>(diff::DangerousText::scan(f.newPath).size());
    if (count > 0)
        doc.dangers.push_back({index, -1, false, true});
    const diff::SideBySide &s = f.rows;
    for (int r = 0; r < static_cast<int>(s.rows.size()); ++r) {
        const diff::Row &row = s.rows[static_cast<size_t>(r)];
        scanRow(doc, index, s, row, r, false, &count);
        if (row.kind == diff::RowKind::Fold && row.hiddenFirst >= 0) {
            for (int h = row.hiddenFirst; h < row.hiddenFirst + row.foldLines; ++h)
                scanRow(doc, index, s, s.hidden[static_cast<size_t>(h)], h, true, &count);
        }
    }
    f.dangerCount = count;
    doc.dangerCount += count;
    if (count > 0)
        ++doc.dangerFiles;
}

DiffFile fileOf(const diff::FilePatch &patch, diff::SideBySide rows)
{
    DiffFile f;
    f.oldPath = patch.oldPath;
    f.newPath = patch.newPath;
    f.status = patch.status;
    f.kubeObject = patch.kubeObject;
    f.hunkCount = static_cast<int>(patch.hunks.size());
    f.rows = std::move(rows);
    return f;
}

std::shared_ptr<DiffDocument> failed(const QString &why)
{
    auto doc = std::make_shared<DiffDocument>();
    doc->error = why;
    return doc;
}

std::shared_ptr<DiffDocument> buildPatch(Promise &promise, const QByteArray &patch)
{
    Result<diff::PatchSet> set = diff::PatchParser::parse(patch);
    if (!set)
        return failed(set.error().message);
    if (set->files.empty())
        return failed(QStringLiteral("the text holds no file of a diff"));
    promise.setProgressRange(0, static_cast<int>(set->files.size()) + 1);
    auto doc = std::make_shared<DiffDocument>();
    for (size_t i = 0; i < set->files.size(); ++i) {
        if (promise.isCanceled())
            return {};
        Result<diff::SideBySide> rows = diff::RowBuilder::build(set->files[i], set->data);
        if (!rows)
            return failed(rows.error().message);
        doc->files.push_back(fileOf(set->files[i], std::move(*rows)));
        promise.setProgressValue(static_cast<int>(i) + 1);
    }
    return doc;
}

// Step numbers of a file pair's progress.
enum PairStep { Diffing, Aligning, Scanning, PairSteps };

std::shared_ptr<DiffDocument> buildPair(Promise &promise, const DiffInput &input)
{
    promise.setProgressRange(0, PairSteps);
    promise.setProgressValueAndText(Diffing, QStringLiteral("Comparing the files"));
    const QByteArray &before = input.parts.front();
    const QByteArray &after = input.parts.back();
    const QByteArray label = input.name.toUtf8();
    Result<diff::GitDiffResult> computed = diff::GitDiff::diff(
        {before, label, 0, before.isEmpty()}, {after, label, 0, after.isEmpty()});
    if (!computed)
        return failed(computed.error().message);
    if (promise.isCanceled())
        return {};
    promise.setProgressValueAndText(Aligning, QStringLiteral("Aligning the lines"));
    computed->file.oldPath = computed->file.newPath = label;
    const diff::FullTexts texts{before, after};
    Result<diff::SideBySide> rows = diff::RowBuilder::build(computed->file, computed->text, &texts);
    if (!rows)
        return failed(rows.error().message);
    auto doc = std::make_shared<DiffDocument>();
    DiffFile f = fileOf(computed->file, std::move(*rows));
    if (f.rows.binary) {
        f.oldSize = before.size();
        f.newSize = after.size();
    }
    doc->files.push_back(std::move(f));
    return doc;
}

} // namespace

QString DiffFile::displayName() const
{
    if (kubeObject) {
        const QString where = kubeObject->ns.isEmpty() ? kubeObject->name
                                                       : kubeObject->ns + u'/' + kubeObject->name;
        return diff::DangerousText::escapedString(kubeObject->kind + u' ' + where);
    }
    if (status == diff::FileStatus::Renamed || status == diff::FileStatus::Copied)
        return escapedName(oldPath) + QStringLiteral(" → ") + escapedName(newPath);
    return escapedName(newPath.isEmpty() ? oldPath : newPath);
}

QString DiffFile::statusLetter() const
{
    if (rows.binary)
        return QStringLiteral("B");
    switch (status) {
    case diff::FileStatus::Modified: return QStringLiteral("M");
    case diff::FileStatus::Added: return QStringLiteral("A");
    case diff::FileStatus::Deleted: return QStringLiteral("D");
    case diff::FileStatus::Renamed: return QStringLiteral("R");
    case diff::FileStatus::Copied: return QStringLiteral("C");
    }
    return QStringLiteral("M");
}

void DiffDocument::build(Promise &promise, const DiffInput &input)
{
    promise.start();
    std::shared_ptr<DiffDocument> doc;
    if (input.kind == ArtifactKind::FilePair && input.parts.size() == 2)
        doc = buildPair(promise, input);
    else if (input.parts.empty())
        doc = failed(QStringLiteral("the artifact has no content"));
    else
        doc = buildPatch(promise, input.parts.back());
    if (!doc || promise.isCanceled()) {
        promise.finish();
        return;
    }
    if (doc->error.isEmpty()) {
        promise.setProgressValueAndText(promise.future().progressMaximum(),
                                        QStringLiteral("Looking for hidden characters"));
        for (int i = 0; i < static_cast<int>(doc->files.size()); ++i)
            scanFile(*doc, i);
    }
    promise.addResult(std::shared_ptr<const DiffDocument>(std::move(doc)));
    promise.finish();
}

bool DiffDocument::looksLikePatch(QByteArrayView text)
{
    qsizetype pos = 0;
    bool previousMinus = false;
    while (pos < text.size()) {
        qsizetype end = text.indexOf('\n', pos);
        if (end < 0)
            end = text.size();
        const QByteArrayView line = text.sliced(pos, end - pos);
        if (line.startsWith("diff --git ") || (previousMinus && line.startsWith("+++ ")))
            return true;
        previousMinus = line.startsWith("--- ");
        pos = end + 1;
    }
    return false;
}

} // namespace hp
