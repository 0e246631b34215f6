#include "cli/cliapp.h"

#include "cli/context.h"
#include "domain/log.h"

#include <exception>

namespace hp::cli {

namespace {

const CommandDef *findCommand(const QStringList &words)
{
    for (const CommandDef &c : commandTable()) {
        if (c.words == words)
            return &c;
    }
    return nullptr;
}

CommandMatch resolve(const QStringList &words)
{
    CommandMatch m;
    for (const CommandDef &c : commandTable()) {
        if (c.words == words)
            m.complete = true;
        else if (c.words.size() > words.size() && c.words.mid(0, words.size()) == words)
            m.group = true;
    }
    return m;
}

const std::vector<OptionSpec> *optionsOf(const QStringList &words)
{
    const CommandDef *c = findCommand(words);
    return c ? &c->options : nullptr;
}

QString wrap(const QString &text, const QString &indent)
{
    QString out, line;
    for (const QString &word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (!line.isEmpty() && line.size() + word.size() + 1 > 78 - indent.size()) {
            out += indent + line + QLatin1Char('\n');
            line.clear();
        }
        line += (line.isEmpty() ? QString() : QStringLiteral(" ")) + word;
    }
    if (!line.isEmpty())
        out += indent + line + QLatin1Char('\n');
    return out;
}

QString globalOptionsHelp()
{
    return QStringLiteral(
        "global options (anywhere on the line):\n  --db PATH     the store (default: HOLDPOINT_DB, "
        "else the per-user default)\n  --json        one JSON object on stdout; errors as JSON on "
        "stderr\n  -h, --help    this help\n");
}

QString exitCodesHelp()
{
    return QStringLiteral(
        "exit codes:\n  0 ok (wait: approved)   1 internal error      2 usage or invalid input\n  "
        "3 rejected              4 expired/withdrawn   5 timed out, still pending\n  6 not found   "
        "          7 hash, metadata or idempotency mismatch\n  8 denied by role or policy          "
        "          9 store problem or verification failure\n");
}

QString commandHelp(const CommandDef &c)
{
    const QString name = c.words.join(QLatin1Char(' '));
    QString out =
        QStringLiteral("usage: holdpointctl %1%2\n\n")
            .arg(name, c.synopsis.isEmpty() ? QString() : QStringLiteral(" ") + c.synopsis);
    out += wrap(c.summary, QString());
    if (!c.details.isEmpty())
        out += QLatin1Char('\n') + wrap(c.details, QString());
    if (!c.options.empty()) {
        out += QStringLiteral("\noptions:\n");
        for (const OptionSpec &o : c.options) {
            const QString head =
                QStringLiteral("  --%1%2")
                    .arg(o.name,
                         o.valueName.isEmpty() ? QString() : QStringLiteral(" ") + o.valueName);
            out += head.leftJustified(32) + QLatin1Char(' ') + o.help +
                   (o.repeatable ? QStringLiteral(" (repeatable)") : QString()) + QLatin1Char('\n');
        }
    }
    return out + QLatin1Char('\n') + globalOptionsHelp();
}

QString overviewHelp(const QStringList &prefix)
{
    QString out =
        QStringLiteral("usage: holdpointctl [--db PATH] [--json] COMMAND [ARGS]\n\nHoldpoint: the "
                       "hold point between an autonomous agent and production.\n\ncommands:\n");
    for (const CommandDef &c : commandTable()) {
        if (c.words.mid(0, prefix.size()) != prefix)
            continue;
        out += (QStringLiteral("  ") + c.words.join(QLatin1Char(' '))).leftJustified(18) +
               QLatin1Char(' ') + c.summary + QLatin1Char('\n');
    }
    out += QStringLiteral("\nRun 'holdpointctl COMMAND --help' for a command's options.\n\n");
    return out + globalOptionsHelp() + QLatin1Char('\n') + exitCodesHelp();
}

int help(Output &out, const QStringList &words)
{
    if (const CommandDef *c = findCommand(words)) {
        out.text(commandHelp(*c));
        return 0;
    }
    QStringList prefix = words;
    while (!prefix.isEmpty() && !resolve(prefix).group)
        prefix.removeLast();
    out.text(overviewHelp(prefix));
    return 0;
}

std::optional<Error> checkArity(const CommandDef &c, const ParsedArgs &args)
{
    const auto n = args.positionals.size();
    if (n >= c.minArgs && (c.maxArgs < 0 || n <= c.maxArgs))
        return std::nullopt;
    const QString name = c.words.join(QLatin1Char(' '));
    if (n > c.maxArgs && c.maxArgs >= 0)
        return usageError(QStringLiteral("unexpected argument '%1'; usage: holdpointctl %2 %3")
                              .arg(args.positionals.at(c.maxArgs), name, c.synopsis));
    return usageError(
        QStringLiteral("missing argument; usage: holdpointctl %1 %2").arg(name, c.synopsis));
}

bool wantsJson(const QStringList &arguments)
{
    for (const QString &a : arguments) {
        if (a == QLatin1String("--"))
            return false;
        if (a == QLatin1String("--json"))
            return true;
    }
    return false;
}

} // namespace

int runHoldpointCtl(const QStringList &arguments, Clock clock)
{
    Output out;
    Result<ParseOutcome> parsed = parseCommandLine(arguments, resolve, optionsOf);
    if (!parsed.ok())
        return out.error(parsed.error(), wantsJson(arguments));
    if (parsed->globals.help)
        return help(out, parsed->args.command);

    const CommandDef *command = findCommand(parsed->args.command);
    if (!command)
        return out.error(usageError(QStringLiteral("unknown command")), parsed->globals.json);
    if (std::optional<Error> e = checkArity(*command, parsed->args))
        return out.error(*e, parsed->globals.json);

    Context ctx(parsed->globals, parsed->args, out, std::move(clock));
    try {
        return command->run(ctx);
    } catch (const std::exception &e) {
        log::cli()->error("{} failed: {}", command->words.join(QLatin1Char(' ')).toStdString(),
                          e.what());
        return ctx.fail(
            makeError(ExitCode::Internal, QStringLiteral("internal"),
                      QStringLiteral("internal error: %1").arg(QString::fromLocal8Bit(e.what()))));
    }
}

} // namespace hp::cli
