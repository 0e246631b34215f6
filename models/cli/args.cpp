#include "cli/args.h"

namespace hp::cli {

QString ParsedArgs::value(const QString &name) const
{
    const QStringList v = values.value(name);
    return v.isEmpty() ? QString() : v.constLast();
}

namespace {

Error usage(const QString &message)
{
    return makeError(ExitCode::Usage, QStringLiteral("usage"), message);
}

const OptionSpec *findOption(const std::vector<OptionSpec> *specs, const QString &name)
{
    if (!specs)
        return nullptr;
    for (const OptionSpec &s : *specs) {
        if (s.name == name)
            return &s;
    }
    return nullptr;
}

bool isOptionToken(const QString &t)
{
    return t.size() > 1 && t.startsWith(QLatin1Char('-'));
}

// Walks the tokens once. State kept here so each step stays small.
class Parser
{
public:
    Parser(const QStringList &tokens, const CommandResolver &resolve, const OptionLookup &options)
        : m_tokens(tokens)
        , m_resolve(resolve)
        , m_options(options)
    {}

    Result<ParseOutcome> run()
    {
        // --help anywhere wins over every other problem, so help always shows.
        for (const QString &t : m_tokens) {
            if (t == QLatin1String("--"))
                break;
            if (t == QLatin1String("--help") || t == QLatin1String("-h"))
                m_out.globals.help = true;
        }
        while (m_i < m_tokens.size()) {
            if (Status s = step(); !s.ok())
                return s.error();
        }
        if (!m_complete && !m_out.globals.help) {
            if (m_out.args.command.isEmpty())
                return usage(
                    QStringLiteral("no command given; run 'holdpointctl --help' for the list"));
            return usage(QStringLiteral("'%1' needs a subcommand; run 'holdpointctl %1 --help'")
                             .arg(m_out.args.command.join(QLatin1Char(' '))));
        }
        return m_out;
    }

private:
    Status step()
    {
        const QString t = m_tokens.at(m_i++);
        if (m_rest) {
            m_out.args.positionals << t;
            return {};
        }
        if (t == QLatin1String("--")) {
            m_rest = true;
            return {};
        }
        if (isOptionToken(t))
            return option(t);
        if (!m_complete)
            return commandWord(t);
        m_out.args.positionals << t;
        return {};
    }

    Status commandWord(const QString &t)
    {
        m_out.args.command << t;
        const CommandMatch m = m_resolve(m_out.args.command);
        if (m.complete) {
            m_complete = true;
            m_specs = m_options(m_out.args.command);
            return {};
        }
        if (m.group || m_out.globals.help)
            return {};
        return usage(QStringLiteral("unknown command '%1'; run 'holdpointctl --help' for the list")
                         .arg(m_out.args.command.join(QLatin1Char(' '))));
    }

    Status option(const QString &token)
    {
        QString name = token;
        std::optional<QString> inlineValue;
        if (token == QLatin1String("-h")) {
            name = QStringLiteral("help");
        } else if (token.startsWith(QLatin1String("--"))) {
            name = token.mid(2);
            const qsizetype eq = name.indexOf(QLatin1Char('='));
            if (eq >= 0) {
                inlineValue = name.mid(eq + 1);
                name = name.left(eq);
            }
        } else {
            return unknown(token);
        }
        if (name == QLatin1String("help"))
            return {};
        if (name == QLatin1String("json"))
            return flagGlobal(token, inlineValue, m_out.globals.json);
        if (name == QLatin1String("db")) {
            Result<QString> v = takeValue(token, inlineValue);
            if (!v.ok())
                return v.error();
            m_out.globals.db = *v;
            m_out.globals.dbGiven = true;
            return {};
        }
        const OptionSpec *spec = findOption(m_specs, name);
        if (!spec)
            return unknown(token);
        return commandOption(*spec, token, inlineValue);
    }

    Status flagGlobal(const QString &token, const std::optional<QString> &inlineValue, bool &flag)
    {
        if (inlineValue)
            return usage(QStringLiteral("'%1' takes no value").arg(token));
        flag = true;
        return {};
    }

    Status commandOption(const OptionSpec &spec, const QString &token,
                         const std::optional<QString> &inlineValue)
    {
        if (!spec.repeatable && m_out.args.values.contains(spec.name))
            return usage(QStringLiteral("'--%1' given more than once").arg(spec.name));
        if (spec.valueName.isEmpty()) {
            if (inlineValue)
                return usage(QStringLiteral("'--%1' takes no value").arg(spec.name));
            m_out.args.values[spec.name] << QString();
            return {};
        }
        Result<QString> v = takeValue(token, inlineValue);
        if (!v.ok())
            return v.error();
        m_out.args.values[spec.name] << *v;
        return {};
    }

    Result<QString> takeValue(const QString &token, const std::optional<QString> &inlineValue)
    {
        if (inlineValue)
            return *inlineValue;
        if (m_i >= m_tokens.size())
            return usage(QStringLiteral("'%1' needs a value").arg(token));
        return m_tokens.at(m_i++);
    }

    Status unknown(const QString &token)
    {
        if (m_out.globals.help)
            return {};
        if (!m_complete)
            return usage(QStringLiteral("option '%1' before the command; options follow the "
                                        "command, e.g. 'holdpointctl submit --file proposal.json'")
                             .arg(token));
        return usage(QStringLiteral("unknown option '%1' for '%2'; run 'holdpointctl %2 --help'")
                         .arg(token, m_out.args.command.join(QLatin1Char(' '))));
    }

    const QStringList &m_tokens;
    const CommandResolver &m_resolve;
    const OptionLookup &m_options;
    const std::vector<OptionSpec> *m_specs = nullptr;
    ParseOutcome m_out;
    qsizetype m_i = 0;
    bool m_complete = false;
    bool m_rest = false;
};

} // namespace

Result<ParseOutcome> parseCommandLine(const QStringList &tokens, const CommandResolver &resolve,
                                      const OptionLookup &options)
{
    return Parser(tokens, resolve, options).run();
}

} // namespace hp::cli
