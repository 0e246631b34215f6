-- Schema 3 (DESIGN §5 Policy, §3 Status timers, §8 check --consume).
-- Policy versions are never edited: adopting a policy adds a version. Version
-- 1, the shipped default, is inserted by the store right after this script
-- (models/storage/sqlitepolicy.cpp), since its bytes live in resources/.
CREATE TABLE policies (
    version    INTEGER PRIMARY KEY CHECK (version >= 1),
    hash       TEXT NOT NULL,               -- SHA-256 of source, hex
    source     BLOB NOT NULL,               -- the document's bytes as adopted
    change_id  TEXT NOT NULL DEFAULT '',    -- the policy change; '' for the default
    adopted_by TEXT NOT NULL,
    adopted_at TEXT NOT NULL
);

-- The policy in force when each decision was recorded (hex).
ALTER TABLE decisions ADD COLUMN policy_hash TEXT NOT NULL DEFAULT '';

-- The effective environment the assessment used, so verdicts can match
-- `when: {environment}` without parsing bodies ('' for older rows).
ALTER TABLE assessments ADD COLUMN environment TEXT NOT NULL DEFAULT '';

-- Timer events (SLA breach escalation, expiry, approval lapse): each written
-- exactly once per change, whoever notices first; the primary key makes a
-- second write impossible even when two stores tick at the same moment.
CREATE TABLE timer_events (
    change_id  TEXT NOT NULL REFERENCES changes(id),
    kind       TEXT NOT NULL CHECK (kind IN ('sla_breach', 'expiry', 'approval_lapse')),
    revision   INTEGER NOT NULL,
    due_at     TEXT NOT NULL,
    escalated  INTEGER NOT NULL DEFAULT 0 CHECK (escalated IN (0, 1)), -- sla_breach under on_sla_breach: escalate
    created_at TEXT NOT NULL,
    PRIMARY KEY (change_id, kind)
);

-- `check --consume` succeeds once per approval (one approved revision).
CREATE UNIQUE INDEX change_events_consumed ON change_events (change_id, revision)
    WHERE kind = 'consumed';
