#pragma once

#include "domain/result.h"
#include "domain/types.h"

#include <QByteArray>
#include <QDir>
#include <QString>

// Reads an untrusted proposal file (DESIGN §3 Artifact) with simdjson, walked
// by our own code: duplicate keys, lone surrogates, invalid UTF-8 (with byte
// offset), wrong types (with JSON path), nesting, envelope and artifact caps
// are refused with ExitCode::Usage and a message that says where.
namespace hp {

struct IntakeLimits
{
    qint64 maxArtifactBytes = 64LL << 20;  // decoded, per artifact
    qint64 maxRevisionBytes = 256LL << 20; // decoded, all artifacts
    qint64 maxEnvelopeBytes = 1LL << 20;   // the JSON beside its artifact contents
    int maxDepth = 32;
    int maxArtifacts = 1000;
    int maxStringChars = 64 * 1024;        // title, intent, names, ...
};

class ProposalParser
{
public:
    explicit ProposalParser(IntakeLimits limits = {}) : m_limits(limits) {}

    // `baseDir` resolves artifacts given by `path` (relative to the proposal
    // file; for stdin the current directory).
    Result<Proposal> parse(const QByteArray &json, const QDir &baseDir) const;
    // Reads a proposal file (or "-" for stdin) with the size cap applied
    // before reading everything.
    Result<Proposal> parseFile(const QString &path) const;
    // Checks an assembled proposal (from CLI parts): caps, names, UTF-8 of
    // text fields. Computes per-artifact hashes.
    Status validate(Proposal &proposal) const;

    const IntakeLimits &limits() const { return m_limits; }

private:
    IntakeLimits m_limits;
};

} // namespace hp
