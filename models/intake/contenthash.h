#pragma once

#include "domain/types.h"

#include <QByteArray>

#include <vector>

// The revision content hash of DESIGN §3.1:
//   SHA-256( "HPB1\0"
//            ‖ u32be len ‖ RFC 8785 {"environment","kind","target"}
//            ‖ per artifact sorted by (kind, name) as UTF-8 bytes:
//                u32be len(kind) ‖ kind ‖ u32be len(name) ‖ name
//                ‖ u32be parts ‖ per part: u64be length ‖ bytes )
namespace hp {

QByteArray metaRecord(const RevisionMeta &meta); // the RFC 8785 bytes
QByteArray contentHash(const RevisionMeta &meta, const std::vector<Artifact> &artifacts);
// Fills artifact.sha256 (SHA-256 of the last part) for each artifact.
void hashArtifacts(std::vector<Artifact> &artifacts);

} // namespace hp
