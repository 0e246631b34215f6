#include "topology/yamltree.h"

#include "domain/utf8.h"

#include <libfyaml.h>

#include <QHash>

#include <memory>

namespace hp {

namespace {

struct Position
{
    int line = 1;
    int column = 1;
};

Position positionOf(const QByteArray &data, qsizetype offset)
{
    Position pos;
    for (qsizetype i = 0; i < offset; ++i) {
        if (data.at(i) == '\n') {
            ++pos.line;
            pos.column = 1;
        } else if ((static_cast<unsigned char>(data.at(i)) & 0xC0) != 0x80) {
            ++pos.column;
        }
    }
    return pos;
}

QString tokenText(fy_token *token)
{
    if (!token)
        return {};
    size_t len = 0;
    const char *text = fy_token_get_text(token, &len);
    return text ? QString::fromUtf8(text, static_cast<qsizetype>(len)) : QString();
}

struct ParserDeleter
{
    void operator()(fy_parser *p) const { fy_parser_destroy(p); }
};
struct DiagDeleter
{
    void operator()(fy_diag *d) const { fy_diag_destroy(d); }
};

// One open collection while events stream in.
struct Frame
{
    YamlNode node;
    bool haveKey = false;
    QString pendingKey;
    QHash<QString, int> keyLines; // key -> line of its first occurrence
};

class TreeBuilder
{
public:
    TreeBuilder(const YamlReadOptions &options) : m_options(options) {}

    Result<std::vector<YamlNode>> run(fy_parser *parser, fy_diag *diag);

private:
    Error fail(const QString &reason, const QString &message, int line, int column) const
    {
        const QString where = YamlTreeReader::location(m_options.source, line, column);
        return makeError(ExitCode::Usage, reason, where + QStringLiteral(": ") + message, where);
    }
    std::optional<Error> handle(fy_event *event);
    std::optional<Error> finish(YamlNode node);
    Error libraryError(fy_diag *diag) const;

    const YamlReadOptions &m_options;
    std::vector<Frame> m_stack;
    std::vector<YamlNode> m_documents;
};

Error TreeBuilder::libraryError(fy_diag *diag) const
{
    void *iter = nullptr;
    if (fy_diag_error *err = fy_diag_errors_iterate(diag, &iter))
        return fail(QStringLiteral("invalid_yaml"), QString::fromUtf8(err->msg ? err->msg : "invalid YAML"),
                    err->line + 1, err->column + 1);
    return fail(QStringLiteral("invalid_yaml"), QStringLiteral("invalid YAML"), 1, 1);
}

Result<std::vector<YamlNode>> TreeBuilder::run(fy_parser *parser, fy_diag *diag)
{
    while (fy_event *event = fy_parser_parse(parser)) {
        std::optional<Error> err = handle(event);
        fy_parser_event_free(parser, event);
        if (err)
            return *err;
    }
    if (fy_parser_get_stream_error(parser) || fy_diag_got_error(diag))
        return libraryError(diag);
    return std::move(m_documents);
}

std::optional<Error> TreeBuilder::handle(fy_event *event)
{
    const fy_mark *mark = fy_event_start_mark(event);
    const int line = mark ? mark->line + 1 : 1;
    const int column = mark ? mark->column + 1 : 1;
    if (event->type == FYET_ALIAS)
        return fail(QStringLiteral("yaml_alias"), QStringLiteral("aliases are refused"), line, column);
    if (fy_token *anchor = fy_event_get_anchor_token(event)) {
        const fy_mark *at = fy_token_start_mark(anchor);
        return fail(QStringLiteral("yaml_anchor"), QStringLiteral("anchors are refused"), at ? at->line + 1 : line,
                    at ? at->column + 1 : column);
    }
    YamlNode node;
    node.line = line;
    node.column = column;
    switch (event->type) {
    case FYET_SCALAR:
        node.scalar = tokenText(event->scalar.value);
        // No value token: an empty node (a document that is only `---`).
        node.plain = !event->scalar.value || fy_token_scalar_style(event->scalar.value) == FYSS_PLAIN;
        return finish(std::move(node));
    case FYET_MAPPING_START:
    case FYET_SEQUENCE_START:
        if (static_cast<int>(m_stack.size()) >= m_options.maxDepth)
            return fail(QStringLiteral("yaml_too_deep"),
                        QStringLiteral("nesting deeper than %1 levels is refused").arg(m_options.maxDepth), line,
                        column);
        node.type = event->type == FYET_MAPPING_START ? YamlNode::Type::Mapping : YamlNode::Type::Sequence;
        m_stack.push_back(Frame{std::move(node), false, {}, {}});
        return std::nullopt;
    case FYET_MAPPING_END:
    case FYET_SEQUENCE_END: {
        YamlNode done = std::move(m_stack.back().node);
        m_stack.pop_back();
        return finish(std::move(done));
    }
    default:
        return std::nullopt;
    }
}

std::optional<Error> TreeBuilder::finish(YamlNode node)
{
    if (m_stack.empty()) {
        m_documents.push_back(std::move(node));
        return std::nullopt;
    }
    Frame &top = m_stack.back();
    if (top.node.isSequence()) {
        top.node.items.push_back(std::move(node));
        return std::nullopt;
    }
    if (top.haveKey) {
        top.node.keys.push_back(std::move(top.pendingKey));
        top.node.items.push_back(std::move(node));
        top.haveKey = false;
        return std::nullopt;
    }
    if (node.type != YamlNode::Type::Scalar)
        return fail(QStringLiteral("yaml_complex_key"), QStringLiteral("only scalar mapping keys are accepted"),
                    node.line, node.column);
    const auto first = top.keyLines.constFind(node.scalar);
    if (first != top.keyLines.cend())
        return fail(QStringLiteral("yaml_duplicate_key"),
                    QStringLiteral("duplicate key \"%1\" (first at line %2)").arg(node.scalar).arg(first.value()),
                    node.line, node.column);
    top.keyLines.insert(node.scalar, node.line);
    top.pendingKey = node.scalar;
    top.haveKey = true;
    return std::nullopt;
}

} // namespace

bool YamlNode::isNull() const
{
    return type == Type::Scalar && plain
           && (scalar.isEmpty() || scalar == u"~" || scalar == u"null" || scalar == u"Null" || scalar == u"NULL");
}

const YamlNode *YamlNode::value(QStringView key) const
{
    for (size_t i = 0; i < keys.size(); ++i) {
        if (keys[i] == key)
            return &items[i];
    }
    return nullptr;
}

QString YamlTreeReader::location(const QString &source, int line, int column)
{
    return QStringLiteral("%1:%2:%3").arg(source.isEmpty() ? QStringLiteral("<input>") : source).arg(line).arg(column);
}

Result<std::vector<YamlNode>> YamlTreeReader::read(const QByteArray &yaml) const
{
    const qsizetype bad = hp::firstInvalidUtf8(yaml);
    if (bad >= 0) {
        const Position pos = positionOf(yaml, bad);
        const QString where = location(m_options.source, pos.line, pos.column);
        return makeError(ExitCode::Usage, QStringLiteral("invalid_utf8"),
                         where + QStringLiteral(": invalid UTF-8 (byte offset %1)").arg(bad), where);
    }
    fy_diag_cfg dcfg;
    fy_diag_cfg_default(&dcfg);
    dcfg.fp = nullptr;
    dcfg.level = FYET_ERROR;
    std::unique_ptr<fy_diag, DiagDeleter> diag(fy_diag_create(&dcfg));
    if (!diag)
        return makeError(ExitCode::Internal, QStringLiteral("yaml_init"), QStringLiteral("cannot create a YAML parser"));
    fy_diag_set_collect_errors(diag.get(), true);
    fy_parse_cfg cfg{};
    cfg.flags = static_cast<fy_parse_cfg_flags>(FYPCF_QUIET | FYPCF_DISABLE_RECYCLING);
    cfg.diag = diag.get();
    std::unique_ptr<fy_parser, ParserDeleter> parser(fy_parser_create(&cfg));
    if (!parser || fy_parser_set_string(parser.get(), yaml.constData(), static_cast<size_t>(yaml.size())) != 0)
        return makeError(ExitCode::Internal, QStringLiteral("yaml_init"), QStringLiteral("cannot create a YAML parser"));
    TreeBuilder builder(m_options);
    return builder.run(parser.get(), diag.get());
}

} // namespace hp
