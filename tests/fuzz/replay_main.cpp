// Replays a fuzz target's corpus as a plain test (STYLE.md): calls
// LLVMFuzzerTestOneInput once per file of the directory given as argv[1],
// recursively, in name order. A crash fails the test by itself; the exit code
// is also non-zero when the directory is missing or empty, so a mistyped path
// cannot pass silently.
#include "fuzzinput.h"

#include <QCoreApplication>
#include <QDirIterator>
#include <QFile>
#include <QStringList>
#include <QTextStream>

#include <algorithm>

int main(int argc, char **argv)
{
    const QCoreApplication app(argc, argv);
    QTextStream err(stderr);
    const QStringList args = QCoreApplication::arguments();
    if (args.size() != 2) {
        err << "usage: " << args.value(0) << " CORPUS_DIR\n";
        return 2;
    }
    QStringList files;
    QDirIterator it(args.at(1), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << it.next();
    std::sort(files.begin(), files.end());
    if (files.isEmpty()) {
        err << "no corpus files in " << args.at(1) << '\n';
        return 1;
    }
    for (const QString &path : std::as_const(files)) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            err << "cannot read " << path << ": " << file.errorString() << '\n';
            return 1;
        }
        const QByteArray bytes = file.readAll();
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t *>(bytes.constData()),
                               static_cast<std::size_t>(bytes.size()));
    }
    QTextStream(stdout) << "replayed " << files.size() << " inputs from " << args.at(1) << '\n';
    return 0;
}
