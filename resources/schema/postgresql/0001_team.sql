-- Holdpoint team store, schema 1 (DESIGN §6 team mode, §7). Applied by the
-- database owner (`holdpointctl db init`) in one transaction by
-- models/storage/pgsetup.cpp. A statement ends with ";" at the end of a line
-- outside a $$ body. The same logical tables as the SQLite schema; times are
-- UTC text "YYYY-MM-DDTHH:MM:SS.mmmZ" made by the server, hashes raw bytea.
--
-- Authority: application roles (holdpoint_agent, _reviewer, _lead, _auditor,
-- _admin) have no table writes at all. Every write is a SECURITY DEFINER
-- function below that takes the actor from session_user, checks the role in
-- `roles`, writes, and appends its audit entry through hp_append_audit under
-- the lock of the single audit_head row, with the hash computed here.

CREATE SCHEMA holdpoint;

CREATE TABLE holdpoint.schema_version (
    version    integer PRIMARY KEY,
    applied_at text NOT NULL
);

CREATE TABLE holdpoint.meta (
    id         integer PRIMARY KEY CHECK (id = 1),
    store_id   text NOT NULL,
    created_at text NOT NULL,
    demo       boolean NOT NULL DEFAULT false
);

CREATE TABLE holdpoint.principals (
    login      text PRIMARY KEY,
    kind       text NOT NULL CHECK (kind IN ('human', 'agent')),
    created_at text NOT NULL
);

CREATE TABLE holdpoint.roles (
    login      text NOT NULL REFERENCES holdpoint.principals(login) ON DELETE CASCADE,
    role       text NOT NULL CHECK (role IN ('reviewer', 'lead', 'auditor', 'admin')),
    granted_by text NOT NULL,
    granted_at text NOT NULL,
    PRIMARY KEY (login, role)
);

CREATE TABLE holdpoint.agents (
    login         text PRIMARY KEY REFERENCES holdpoint.principals(login) ON DELETE CASCADE,
    operator      text NOT NULL REFERENCES holdpoint.principals(login),
    registered_by text NOT NULL,
    registered_at text NOT NULL
);

-- status and escalated cache the verdict. required_approvals and
-- lead_required only ever rise (the policy's rule is computed by clients;
-- SQL keeps the maximum any of them asked for, never below 1).
CREATE TABLE holdpoint.changes (
    id                 text PRIMARY KEY,
    kind               text NOT NULL CHECK (kind IN ('infra', 'policy')),
    title              text NOT NULL,
    agent_principal    text NOT NULL,
    agent_name         text NOT NULL DEFAULT '',
    agent_version      text NOT NULL DEFAULT '',
    agent_run_id       text NOT NULL DEFAULT '',
    operator           text NOT NULL,
    intent             text NOT NULL DEFAULT '',
    declared_impact    text CHECK (declared_impact IN ('low', 'medium', 'high', 'critical')),
    environment        text NOT NULL DEFAULT '',
    target             text NOT NULL DEFAULT '',
    unregistered       boolean NOT NULL DEFAULT false,
    idempotency_key    text,
    latest_revision    integer NOT NULL DEFAULT 1,
    created_at         text NOT NULL,
    updated_at         text NOT NULL,
    status             text NOT NULL DEFAULT 'pending',
    escalated          boolean NOT NULL DEFAULT false,
    required_approvals integer NOT NULL DEFAULT 1 CHECK (required_approvals >= 1),
    lead_required      boolean NOT NULL DEFAULT false
);
CREATE INDEX changes_status ON holdpoint.changes (status);

CREATE TABLE holdpoint.revisions (
    change_id       text NOT NULL REFERENCES holdpoint.changes(id),
    number          integer NOT NULL CHECK (number >= 1),
    submitter       text NOT NULL,
    created_at      text NOT NULL,
    title           text NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('infra', 'policy')),
    environment     text NOT NULL DEFAULT '',
    target          text NOT NULL DEFAULT '',
    content_hash    bytea NOT NULL CHECK (length(content_hash) = 32),
    idempotency_key text,
    PRIMARY KEY (change_id, number)
);
CREATE UNIQUE INDEX revisions_idempotency ON holdpoint.revisions (submitter, idempotency_key)
    WHERE idempotency_key IS NOT NULL;

CREATE TABLE holdpoint.artifacts (
    change_id text NOT NULL,
    revision  integer NOT NULL,
    idx       integer NOT NULL CHECK (idx >= 0),
    kind      text NOT NULL,
    name      text NOT NULL,
    sha256    bytea NOT NULL CHECK (length(sha256) = 32),
    size      bigint NOT NULL,
    parts     integer NOT NULL CHECK (parts >= 1),
    PRIMARY KEY (change_id, revision, idx),
    FOREIGN KEY (change_id, revision) REFERENCES holdpoint.revisions(change_id, number)
);

CREATE TABLE holdpoint.artifact_parts (
    change_id text NOT NULL,
    revision  integer NOT NULL,
    idx       integer NOT NULL,
    part      integer NOT NULL CHECK (part >= 0),
    bytes     bytea NOT NULL,
    PRIMARY KEY (change_id, revision, idx, part),
    FOREIGN KEY (change_id, revision, idx) REFERENCES holdpoint.artifacts(change_id, revision, idx)
);

CREATE TABLE holdpoint.decisions (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    change_id  text NOT NULL,
    revision   integer NOT NULL,
    principal  text NOT NULL,
    roles      text NOT NULL DEFAULT '',
    action     text NOT NULL CHECK (action IN ('approve', 'reject', 'escalate', 'comment', 'withdraw', 'override')),
    reason     text NOT NULL DEFAULT '',
    created_at text NOT NULL,
    counts     boolean NOT NULL,
    uncounted  text NOT NULL DEFAULT '',
    FOREIGN KEY (change_id, revision) REFERENCES holdpoint.revisions(change_id, number)
);
CREATE INDEX decisions_change ON holdpoint.decisions (change_id, id);
-- One counted approve or reject per human and revision: a second one cannot
-- exist, whatever a client does.
CREATE UNIQUE INDEX decisions_one_counted ON holdpoint.decisions (change_id, revision, principal)
    WHERE counts AND action IN ('approve', 'reject');

CREATE TABLE holdpoint.change_events (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    change_id  text NOT NULL REFERENCES holdpoint.changes(id),
    revision   integer NOT NULL,
    kind       text NOT NULL CHECK (kind IN ('withdrawn', 'applied', 'failed', 'expired', 'reopened', 'consumed')),
    principal  text NOT NULL,
    reason     text NOT NULL DEFAULT '',
    created_at text NOT NULL
);
CREATE INDEX change_events_change ON holdpoint.change_events (change_id, id);

CREATE TABLE holdpoint.checks (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    change_id   text NOT NULL REFERENCES holdpoint.changes(id),
    revision    integer NOT NULL,
    principal   text NOT NULL,
    passed      boolean NOT NULL,
    reason_code text NOT NULL DEFAULT '',
    detail      text NOT NULL DEFAULT '',
    created_at  text NOT NULL
);
CREATE INDEX checks_change ON holdpoint.checks (change_id, id);

CREATE TABLE holdpoint.topologies (
    version     integer PRIMARY KEY,
    hash        text NOT NULL,
    imported_by text NOT NULL,
    imported_at text NOT NULL,
    nodes       integer NOT NULL,
    edges       integer NOT NULL
);

CREATE TABLE holdpoint.topology_sources (
    version integer NOT NULL REFERENCES holdpoint.topologies(version),
    idx     integer NOT NULL CHECK (idx >= 0),
    name    text NOT NULL,
    bytes   bytea NOT NULL,
    PRIMARY KEY (version, idx)
);

CREATE TABLE holdpoint.assessments (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    change_id     text NOT NULL,
    revision      integer NOT NULL,
    sequence      integer NOT NULL CHECK (sequence >= 1),
    topology_hash text NOT NULL DEFAULT '',
    policy_hash   text NOT NULL DEFAULT '',
    score         integer NOT NULL CHECK (score BETWEEN 0 AND 100),
    class         text NOT NULL CHECK (class IN ('low', 'medium', 'high', 'critical')),
    flags         text NOT NULL DEFAULT '',
    destructive   integer NOT NULL DEFAULT 0 CHECK (destructive >= 0),
    body          bytea NOT NULL,
    computed_at   text NOT NULL,
    UNIQUE (change_id, revision, sequence),
    FOREIGN KEY (change_id, revision) REFERENCES holdpoint.revisions(change_id, number)
);

CREATE TABLE holdpoint.coverage (
    change_id text NOT NULL,
    revision  integer NOT NULL,
    login     text NOT NULL,
    item      text NOT NULL,
    seen_at   text NOT NULL,
    PRIMARY KEY (change_id, revision, login, item),
    FOREIGN KEY (change_id, revision) REFERENCES holdpoint.revisions(change_id, number)
);

-- The hash chain (DESIGN §7): hash = SHA-256(prev_hash || entry).
CREATE TABLE holdpoint.audit_log (
    seq       bigint PRIMARY KEY CHECK (seq >= 1),
    prev_hash bytea NOT NULL CHECK (length(prev_hash) = 32),
    hash      bytea NOT NULL CHECK (length(hash) = 32),
    entry     bytea NOT NULL
);

-- The one row every append locks: seq = head + 1, so no gaps and no forks.
CREATE TABLE holdpoint.audit_head (
    id   integer PRIMARY KEY CHECK (id = 1),
    seq  bigint NOT NULL,
    hash bytea NOT NULL CHECK (length(hash) = 32)
);
INSERT INTO holdpoint.audit_head (id, seq, hash) VALUES (1, 0, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea);

CREATE FUNCTION holdpoint.hp_audit_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % on audit_log refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON holdpoint.audit_log
    FOR EACH ROW EXECUTE FUNCTION holdpoint.hp_audit_immutable();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON holdpoint.audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION holdpoint.hp_audit_immutable();
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON holdpoint.audit_head
    FOR EACH ROW EXECUTE FUNCTION holdpoint.hp_audit_immutable();
CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON holdpoint.audit_head
    FOR EACH STATEMENT EXECUTE FUNCTION holdpoint.hp_audit_immutable();
