-- Schema 2 (DESIGN §3 Topology and Assessment, §5 Full review, §8 report).
-- Topologies are versioned and never edited: an import adds a version.
CREATE TABLE topologies (
    version     INTEGER PRIMARY KEY,
    hash        TEXT NOT NULL,          -- Topology::hash(), hex
    imported_by TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    nodes       INTEGER NOT NULL,
    edges       INTEGER NOT NULL
);

-- The catalog files of a version, bytes as imported (re-read to rebuild it).
CREATE TABLE topology_sources (
    version INTEGER NOT NULL REFERENCES topologies(version),
    idx     INTEGER NOT NULL CHECK (idx >= 0),
    name    TEXT NOT NULL,
    bytes   BLOB NOT NULL,
    PRIMARY KEY (version, idx)
);

-- One row per computed assessment of a revision; a recomputation (new
-- topology or policy) adds a row with the next sequence, never edits one.
CREATE TABLE assessments (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    change_id     TEXT NOT NULL,
    revision      INTEGER NOT NULL,
    sequence      INTEGER NOT NULL CHECK (sequence >= 1),
    topology_hash TEXT NOT NULL DEFAULT '',  -- hex; empty: no catalog in force
    policy_hash   TEXT NOT NULL DEFAULT '',  -- hex
    score         INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
    class         TEXT NOT NULL CHECK (class IN ('low', 'medium', 'high', 'critical')),
    flags         TEXT NOT NULL DEFAULT '',  -- codes separated by ","
    destructive   INTEGER NOT NULL DEFAULT 0 CHECK (destructive >= 0), -- resources deleted or replaced (MASS_CHANGE)
    body          BLOB NOT NULL,             -- JSON of the whole assessment (risk/assessmentjson.h: sorted keys, shortest round-trip numbers)
    computed_at   TEXT NOT NULL,
    UNIQUE (change_id, revision, sequence),
    FOREIGN KEY (change_id, revision) REFERENCES revisions(change_id, number)
);
CREATE INDEX assessments_change ON assessments (change_id, revision, sequence);

-- Review coverage (DESIGN §5 "seen"): one row per reviewer, revision and
-- item. Items: "hunk:<artifact>:<file>:<hunk>", "resource:<artifact>:<address>",
-- "node:<node id>". Attestation, not proof.
CREATE TABLE coverage (
    change_id TEXT NOT NULL,
    revision  INTEGER NOT NULL,
    login     TEXT NOT NULL,
    item      TEXT NOT NULL,
    seen_at   TEXT NOT NULL,
    PRIMARY KEY (change_id, revision, login, item),
    FOREIGN KEY (change_id, revision) REFERENCES revisions(change_id, number)
);
