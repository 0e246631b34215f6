-- Holdpoint local store, schema 1 (DESIGN §6, §7). Applied in one
-- transaction by models/storage/migrations.cpp; statements end with ";" at
-- the end of a line. Times are UTC text "YYYY-MM-DDTHH:MM:SS.mmmZ", hashes raw
-- 32-byte BLOBs, enums their DESIGN names.

CREATE TABLE schema_version (
    version    INTEGER PRIMARY KEY,
    applied_at TEXT NOT NULL
);

-- One row: the store's identity.
CREATE TABLE meta (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    store_id   TEXT NOT NULL,
    created_at TEXT NOT NULL,
    demo       INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1))
);

CREATE TABLE principals (
    login      TEXT PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('human', 'agent')),
    created_at TEXT NOT NULL
);

CREATE TABLE roles (
    login      TEXT NOT NULL REFERENCES principals(login) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('reviewer', 'lead', 'auditor', 'admin')),
    granted_by TEXT NOT NULL,
    granted_at TEXT NOT NULL,
    PRIMARY KEY (login, role)
);

CREATE TABLE agents (
    login         TEXT PRIMARY KEY REFERENCES principals(login) ON DELETE CASCADE,
    operator      TEXT NOT NULL REFERENCES principals(login),
    registered_by TEXT NOT NULL,
    registered_at TEXT NOT NULL
);

-- status and escalated are caches of the verdict for listing; the authority
-- is always the verdict recomputed from decisions and events.
CREATE TABLE changes (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('infra', 'policy')),
    title           TEXT NOT NULL,
    agent_principal TEXT NOT NULL,
    agent_name      TEXT NOT NULL DEFAULT '',
    agent_version   TEXT NOT NULL DEFAULT '',
    agent_run_id    TEXT NOT NULL DEFAULT '',
    operator        TEXT NOT NULL,
    intent          TEXT NOT NULL DEFAULT '',
    declared_impact TEXT CHECK (declared_impact IN ('low', 'medium', 'high', 'critical')),
    environment     TEXT NOT NULL DEFAULT '',
    target          TEXT NOT NULL DEFAULT '',
    unregistered    INTEGER NOT NULL DEFAULT 0 CHECK (unregistered IN (0, 1)),
    idempotency_key TEXT,
    latest_revision INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending',
    escalated       INTEGER NOT NULL DEFAULT 0 CHECK (escalated IN (0, 1))
);
CREATE UNIQUE INDEX changes_idempotency ON changes (agent_principal, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
CREATE INDEX changes_status ON changes (status);

-- The idempotency key of every submission (a new change or a revision),
-- unique per submitting principal.
CREATE TABLE revisions (
    change_id       TEXT NOT NULL REFERENCES changes(id),
    number          INTEGER NOT NULL CHECK (number >= 1),
    submitter       TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    title           TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('infra', 'policy')),
    environment     TEXT NOT NULL DEFAULT '',
    target          TEXT NOT NULL DEFAULT '',
    content_hash    BLOB NOT NULL CHECK (length(content_hash) = 32),
    idempotency_key TEXT,
    PRIMARY KEY (change_id, number)
);
CREATE UNIQUE INDEX revisions_idempotency ON revisions (submitter, idempotency_key)
    WHERE idempotency_key IS NOT NULL;

CREATE TABLE artifacts (
    change_id TEXT NOT NULL,
    revision  INTEGER NOT NULL,
    idx       INTEGER NOT NULL CHECK (idx >= 0),
    kind      TEXT NOT NULL,
    name      TEXT NOT NULL,
    sha256    BLOB NOT NULL CHECK (length(sha256) = 32),
    size      INTEGER NOT NULL,
    parts     INTEGER NOT NULL CHECK (parts >= 1),
    PRIMARY KEY (change_id, revision, idx),
    FOREIGN KEY (change_id, revision) REFERENCES revisions(change_id, number)
);

-- Raw bytes exactly as received; a file-pair has parts 0 (before), 1 (after).
CREATE TABLE artifact_parts (
    change_id TEXT NOT NULL,
    revision  INTEGER NOT NULL,
    idx       INTEGER NOT NULL,
    part      INTEGER NOT NULL CHECK (part >= 0),
    bytes     BLOB NOT NULL,
    PRIMARY KEY (change_id, revision, idx, part),
    FOREIGN KEY (change_id, revision, idx) REFERENCES artifacts(change_id, revision, idx)
);

-- counts/uncounted as judged when recorded; reads recompute them.
CREATE TABLE decisions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    change_id  TEXT NOT NULL,
    revision   INTEGER NOT NULL,
    principal  TEXT NOT NULL,
    roles      TEXT NOT NULL DEFAULT '',
    action     TEXT NOT NULL CHECK (action IN ('approve', 'reject', 'escalate', 'comment', 'withdraw', 'override')),
    reason     TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    counts     INTEGER NOT NULL CHECK (counts IN (0, 1)),
    uncounted  TEXT NOT NULL DEFAULT '',
    FOREIGN KEY (change_id, revision) REFERENCES revisions(change_id, number)
);
CREATE INDEX decisions_change ON decisions (change_id, id);

CREATE TABLE change_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    change_id  TEXT NOT NULL REFERENCES changes(id),
    revision   INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('withdrawn', 'applied', 'failed', 'expired', 'reopened', 'consumed')),
    principal  TEXT NOT NULL,
    reason     TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX change_events_change ON change_events (change_id, id);

CREATE TABLE checks (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    change_id   TEXT NOT NULL REFERENCES changes(id),
    revision    INTEGER NOT NULL,
    principal   TEXT NOT NULL,
    passed      INTEGER NOT NULL CHECK (passed IN (0, 1)),
    reason_code TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE INDEX checks_change ON checks (change_id, id);

-- The hash chain (DESIGN §7): hash = SHA-256(prev_hash ‖ entry).
CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,
    prev_hash BLOB NOT NULL,
    hash      BLOB NOT NULL,
    entry     BLOB NOT NULL
);
