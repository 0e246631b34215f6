#include "cli/commands.h"
#include "cli/views.h"

#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QThread>

#include <cstdio>

// decide --batch FILE: many decisions through one store connection (a
// reviewer working through a queue from a script, or many deciders racing).
// Each line is "ID ACTION [reason]"; blank lines and lines starting with '#'
// are skipped. The whole file is read and checked first, so a malformed line
// decides nothing (exit 2). Then every decision is its own transaction with
// its own audit entry, exactly as `decide ID ACTION` would write it; one
// refused decision does not stop the others.
namespace hp::cli {

namespace {

struct BatchLine
{
    int number = 0;
    DecideRequest request;
};

Error lineError(const QString &file, int number, const QString &what)
{
    return makeError(ExitCode::Usage, QStringLiteral("usage"),
                     QStringLiteral("%1:%2: %3").arg(file).arg(number).arg(what), file);
}

Result<BatchLine> parseLine(const QString &file, int number, const QString &text)
{
    // The reason is the rest of the line as written, inner spaces kept.
    static const QRegularExpression shape(QStringLiteral("^(\\S+)\\s+(\\S+)(?:\\s+(.*))?$"));
    const QRegularExpressionMatch m = shape.match(text);
    if (!m.hasMatch())
        return lineError(file, number, QStringLiteral("expected \"ID ACTION [reason]\""));
    const std::optional<DecisionAction> action = parseDecisionAction(m.captured(2));
    if (!action)
        return lineError(file, number,
                         QStringLiteral("unknown decision '%1'; expected approve, reject, "
                                        "escalate, comment, withdraw or override")
                             .arg(oneLine(m.captured(2))));
    BatchLine line;
    line.number = number;
    line.request.changeId = m.captured(1);
    line.request.action = *action;
    line.request.reason = m.captured(3).trimmed();
    return line;
}

Result<std::vector<BatchLine>> readBatch(const QString &file)
{
    QFile f(file);
    const bool opened = file == QLatin1String("-") ? f.open(stdin, QIODevice::ReadOnly)
                                                   : f.open(QIODevice::ReadOnly);
    if (!opened)
        return makeError(ExitCode::Usage, QStringLiteral("unreadable"),
                         QStringLiteral("cannot read the batch file %1: %2").arg(file, f.errorString()),
                         file);
    std::vector<BatchLine> lines;
    int number = 0;
    while (!f.atEnd()) {
        ++number;
        const QString text = QString::fromUtf8(f.readLine()).trimmed();
        if (text.isEmpty() || text.startsWith(u'#'))
            continue;
        Result<BatchLine> line = parseLine(file, number, text);
        if (!line)
            return line.error();
        lines.push_back(*line);
    }
    return lines;
}

// Another writer held the store (SQLite's busy timeout ran out) or the
// server aborted the transaction as a serialization failure or deadlock: the
// decision was not recorded, so it is tried again. Everything else, refusals
// included, is the decision's answer.
bool worthRetrying(const Error &e)
{
    return e.code == ExitCode::StoreProblem &&
           (e.reason == QLatin1String("busy") || e.reason == QLatin1String("sql_40001") ||
            e.reason == QLatin1String("sql_40P01"));
}

Result<DecideResult> decideWithRetries(Store &store, const Actor &actor, const DecideRequest &r)
{
    constexpr int kAttempts = 5;
    for (int attempt = 1;; ++attempt) {
        Result<DecideResult> result = store.decide(actor, r);
        if (result || !worthRetrying(result.error()) || attempt == kAttempts)
            return result;
        QThread::msleep(static_cast<unsigned long>(20 * attempt));
    }
}

QJsonObject resultJson(const BatchLine &line, const Result<DecideResult> &r)
{
    QJsonObject o{{QStringLiteral("line"), line.number},
                  {QStringLiteral("id"), line.request.changeId},
                  {QStringLiteral("action"), toString(line.request.action)}};
    if (!r) {
        o.insert(QStringLiteral("exit"), static_cast<int>(r.error().code));
        o.insert(QStringLiteral("reason"), r.error().reason);
        o.insert(QStringLiteral("message"), r.error().message);
        return o;
    }
    o.insert(QStringLiteral("exit"), 0);
    o.insert(QStringLiteral("decision_id"), r->decisionId);
    o.insert(QStringLiteral("counts"), r->counts);
    o.insert(QStringLiteral("before"), toString(r->before));
    o.insert(QStringLiteral("status"), toString(r->verdict.status));
    return o;
}

QString resultText(const BatchLine &line, const Result<DecideResult> &r)
{
    const QString head =
        QStringLiteral("%1 %2: ").arg(oneLine(line.request.changeId), toString(line.request.action));
    if (!r)
        return head + QStringLiteral("refused (exit %1, %2): %3\n")
                          .arg(static_cast<int>(r.error().code))
                          .arg(r.error().reason, oneLine(r.error().message));
    return head + QStringLiteral("recorded%1; status %2 → %3\n")
                      .arg(r->counts ? QStringLiteral(" (counts)") : QString(),
                           toString(r->before), statusText(r->verdict));
}

} // namespace

int cmdDecideBatch(Context &ctx)
{
    if (!ctx.args().positionals.isEmpty() || ctx.args().has(QStringLiteral("reason")))
        return ctx.fail(usageError(QStringLiteral(
            "decide --batch FILE takes its IDs, actions and reasons from FILE, not the line")));
    const QString file = ctx.args().value(QStringLiteral("batch"));
    Result<std::vector<BatchLine>> lines = readBatch(file);
    if (!lines)
        return ctx.fail(lines.error());
    Result<Session> s = ctx.session();
    if (!s.ok())
        return ctx.fail(s.error());
    QJsonArray results;
    QString text;
    int recorded = 0;
    std::optional<Error> firstRefusal;
    for (const BatchLine &line : *lines) {
        const Result<DecideResult> r = decideWithRetries(*s->store, s->actor, line.request);
        results.append(resultJson(line, r));
        text += resultText(line, r);
        if (r)
            ++recorded;
        else if (!firstRefusal)
            firstRefusal = makeError(r.error().code, r.error().reason,
                                     QStringLiteral("%1:%2: %3").arg(file).arg(line.number).arg(
                                         r.error().message),
                                     file);
    }
    const int total = static_cast<int>(lines->size());
    const QJsonObject o{{QStringLiteral("decisions"), total},
                        {QStringLiteral("recorded"), recorded},
                        {QStringLiteral("refused"), total - recorded},
                        {QStringLiteral("results"), results}};
    text += QStringLiteral("%1 of %2 decisions recorded\n").arg(recorded).arg(total);
    if (firstRefusal) {
        firstRefusal->message = QStringLiteral("%1 of %2 decisions refused; the first: %3")
                                    .arg(total - recorded)
                                    .arg(total)
                                    .arg(firstRefusal->message);
        return ctx.outcome(o, text, *firstRefusal);
    }
    return ctx.done(o, text);
}

} // namespace hp::cli
