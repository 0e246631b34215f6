#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <memory>

// Sensitive values never leave the store (DESIGN §9). A Redactor knows the
// sensitive strings of one plan (values under a *_sensitive mask, sensitive
// outputs, variables declared sensitive: value and default) and replaces
// every occurrence of them in any text by "(sensitive)". The plan code runs
// everything it hands out through it; any other component (CLI, logs,
// exports, reports) applies it to text it derives from the plan.
//
// A value equal to a secret is masked whatever its length. Occurrences
// *inside* longer text are masked for secrets of at least kMinSubstring
// characters: masking every "on" inside prose would destroy the text, and a
// two-character secret is not one a reviewer could be shielded from anyway.
// The JSON-escaped spellings of each secret (Terraform escapes <, > and & as
// \u003c, ...) are masked too, so the redactor also works on raw plan text.
//
// Copies share their data; a Redactor is immutable once built and may be
// used from several threads.
namespace hp {

class Redactor
{
public:
    static constexpr int kMinSubstring = 4;
    static QString mask() { return QStringLiteral("(sensitive)"); }

    Redactor();
    // Builds a redactor from the secrets given (empty strings are ignored).
    static Redactor fromSecrets(const QStringList &secrets);

    bool isEmpty() const;
    int secretCount() const; // distinct secrets (never the secrets themselves)

    // True when `value`, as a whole, is a secret.
    bool isSecret(QStringView value) const;
    // True when `text` contains a secret (as a whole or, for long enough
    // secrets, anywhere inside).
    bool containsSecret(QStringView text) const;

    QString redact(QStringView text) const;
    QString redact(const QString &text) const; // shares `text` when nothing is masked
    QByteArray redactUtf8(QByteArrayView text) const;
    QStringList redact(const QStringList &texts) const;

    // A redactor masking the secrets of both.
    Redactor merged(const Redactor &other) const;

private:
    struct Data;
    explicit Redactor(std::shared_ptr<const Data> data);
    std::shared_ptr<const Data> d;
};

} // namespace hp
