-- Schema 5 of the team store: what a reviewer, an executor and an auditor
-- record besides decisions (DESIGN §5 "seen", §7, §8 `report`): review
-- coverage, views of a revision, the executor's report, audit exports and
-- evidence reports. Same actions and payload fields as the SQLite store
-- (models/storage/sqlitecoverage.cpp, sqliteauditquery.cpp, sqliteaudit.cpp,
-- sqlitehistory.cpp). Every function takes the actor from session_user and
-- checks the role itself, so each is executable by every application role and
-- a refusal carries the same reason code as in local mode (the client then
-- audits it with hp_record_denied). Lock order as everywhere: the change row,
-- then the audit_head row. SQLSTATE HP003 is "rejected" and HP004 "expired or
-- withdrawn" (exit codes 3 and 4).

-- Who opened which revision: the console records a view once per login and
-- revision, so refreshes and a second console do not flood the trail.
CREATE TABLE holdpoint.views (
    change_id text NOT NULL,
    revision  integer NOT NULL,
    login     text NOT NULL,
    first_at  text NOT NULL,
    PRIMARY KEY (change_id, revision, login),
    FOREIGN KEY (change_id, revision) REFERENCES holdpoint.revisions(change_id, number)
);

-- The artifact index a coverage item names (-1 for a node), NULL when the
-- item is not hunk:A:F:H, resource:A:ADDRESS or node:ID of at most 512
-- printable characters (storage/store.h coverage keys).
CREATE FUNCTION holdpoint.hp_coverage_artifact(p_item text) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN p_item IS NULL OR length(p_item) > 512
             OR p_item ~ ('[' || chr(1) || '-' || chr(31) || chr(127) || ']') THEN NULL
        WHEN p_item ~ '^hunk:(0|[1-9][0-9]{0,8}):(0|[1-9][0-9]{0,8}):(0|[1-9][0-9]{0,8})$'
            THEN substring(p_item FROM '^hunk:([0-9]+):')::integer
        WHEN p_item ~ '^resource:(0|[1-9][0-9]{0,8}):\S'
            THEN substring(p_item FROM '^resource:([0-9]+):')::integer
        WHEN p_item ~ '^node:\S' THEN -1
        ELSE NULL
    END;
$$;

-- Coverage of session_user on the latest revision of a pending change: adds
-- the items not recorded yet (in the order given, once each) and appends one
-- review.coverage entry listing them; returns how many were new.
CREATE FUNCTION holdpoint.hp_record_coverage(p_change text, p_revision integer, p_items text[],
    p_host text, p_app text) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = holdpoint, pg_temp AS $$
DECLARE
    me text := session_user;
    c changes%ROWTYPE;
    hash bytea;
    n_artifacts integer;
    bad record;
    fresh text[];
    now_text text := hp_now();
BEGIN
    IF NOT hp_has_role(me, 'reviewer') THEN
        PERFORM hp_fail('HP008', 'missing_role', format('only reviewers record review coverage; %s is not one', me));
    END IF;
    SELECT * INTO c FROM changes WHERE id = p_change FOR SHARE;
    IF NOT FOUND THEN
        PERFORM hp_fail('HP006', 'unknown_change', format('no change %s', p_change));
    END IF;
    IF c.status <> 'pending' THEN
        PERFORM hp_fail('HP008', 'not_pending', format('change %s is %s: coverage is recorded on pending changes only', c.id, c.status));
    END IF;
    IF coalesce(p_revision, 0) <> 0 AND p_revision <> c.latest_revision THEN
        PERFORM hp_fail('HP007', 'outdated_revision', format('change %s is at revision %s, not %s: coverage is recorded on the latest revision', c.id, c.latest_revision, p_revision));
    END IF;
    IF coalesce(cardinality(p_items), 0) > 100000 THEN
        PERFORM hp_fail('HP002', 'too_many_items', format('%s coverage items in one call; at most 100000', cardinality(p_items)));
    END IF;
    SELECT count(*) INTO n_artifacts FROM artifacts WHERE change_id = c.id AND revision = c.latest_revision;
    SELECT i.n - 1 AS idx, hp_coverage_artifact(i.item) AS artifact INTO bad
      FROM unnest(p_items) WITH ORDINALITY AS i(item, n)
     WHERE hp_coverage_artifact(i.item) IS NULL OR hp_coverage_artifact(i.item) >= n_artifacts
     ORDER BY i.n LIMIT 1;
    IF FOUND AND bad.artifact IS NULL THEN
        PERFORM hp_fail('HP002', 'bad_coverage_item', format('coverage item %s is not hunk:A:F:H, resource:A:ADDRESS or node:ID of at most 512 printable characters', bad.idx));
    ELSIF FOUND THEN
        PERFORM hp_fail('HP002', 'bad_coverage_item', format('coverage item %s names artifact %s; the revision has %s', bad.idx, bad.artifact, n_artifacts));
    END IF;
    WITH given AS (
        SELECT i.item, min(i.n) AS n FROM unnest(p_items) WITH ORDINALITY AS i(item, n) GROUP BY i.item
    ), added AS (
        INSERT INTO coverage (change_id, revision, login, item, seen_at)
        SELECT c.id, c.latest_revision, me, g.item, now_text FROM given g
        ON CONFLICT DO NOTHING RETURNING item
    )
    SELECT array_agg(g.item ORDER BY g.n) INTO fresh FROM given g JOIN added a ON a.item = g.item;
    IF fresh IS NULL THEN
        RETURN 0;
    END IF;
    SELECT content_hash INTO hash FROM revisions WHERE change_id = c.id AND number = c.latest_revision;
    PERFORM hp_append_audit('review.coverage', c.id, c.latest_revision, hash, 'ok', '', '', '', '',
        jsonb_build_object('count', cardinality(fresh), 'items', to_jsonb(fresh)), p_host, p_app);
    RETURN cardinality(fresh);
END;
$$;

-- One review.view of a revision (0: the latest) per login; true when this
-- call recorded it.
CREATE FUNCTION holdpoint.hp_record_view(p_change text, p_revision integer, p_host text, p_app text)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = holdpoint, pg_temp AS $$
DECLARE
    n integer;
    hash bytea;
BEGIN
    SELECT r.number, r.content_hash INTO n, hash FROM changes c
      JOIN revisions r ON r.change_id = c.id
       AND r.number = CASE WHEN coalesce(p_revision, 0) > 0 THEN p_revision ELSE c.latest_revision END
     WHERE c.id = p_change;
    IF NOT FOUND THEN
        PERFORM hp_fail('HP006', 'unknown_revision', CASE WHEN coalesce(p_revision, 0) > 0
            THEN format('change %s has no revision %s', p_change, p_revision)
            ELSE format('no change %s', p_change) END);
    END IF;
    INSERT INTO views (change_id, revision, login, first_at) VALUES (p_change, n, session_user, hp_now())
        ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    PERFORM hp_append_audit('review.view', p_change, n, hash, 'ok', '', '', '', '', '{}'::jsonb, p_host, p_app);
    RETURN true;
END;
$$;

CREATE FUNCTION holdpoint.hp_auditor_or_lead(p_login text) RETURNS boolean
LANGUAGE sql STABLE SET search_path = holdpoint, pg_temp AS $$
    SELECT hp_has_role(p_login, 'auditor')
        OR EXISTS (SELECT 1 FROM roles WHERE login = p_login AND role = 'lead');
$$;

-- An export of the trail (payload: format, filter, entries).
CREATE FUNCTION holdpoint.hp_record_audit_export(p_what jsonb, p_host text, p_app text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = holdpoint, pg_temp AS $$
BEGIN
    IF NOT hp_auditor_or_lead(session_user) THEN
        PERFORM hp_fail('HP008', 'missing_role', 'only auditors and leads can export the audit trail');
    END IF;
    IF jsonb_typeof(p_what) IS DISTINCT FROM 'object' THEN
        PERFORM hp_fail('HP002', 'invalid_payload', 'an export is described by a JSON object');
    END IF;
    PERFORM hp_append_audit('audit.export', '', 0, NULL, 'ok', '', '', '', '', p_what, p_host, p_app);
END;
$$;

-- An evidence report of a change, naming the report's SHA-256.
CREATE FUNCTION holdpoint.hp_record_evidence_report(p_change text, p_sha256 bytea, p_host text, p_app text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = holdpoint, pg_temp AS $$
DECLARE
    n integer;
    hash bytea;
BEGIN
    IF NOT hp_auditor_or_lead(session_user) THEN
        PERFORM hp_fail('HP008', 'missing_role', 'only auditors and leads can produce evidence reports');
    END IF;
    SELECT r.number, r.content_hash INTO n, hash FROM changes c
      JOIN revisions r ON r.change_id = c.id AND r.number = c.latest_revision WHERE c.id = p_change;
    IF NOT FOUND THEN
        PERFORM hp_fail('HP006', 'unknown_change', format('no change %s', p_change));
    END IF;
    PERFORM hp_append_audit('audit.report', p_change, n, hash, 'ok', '', '', '', '',
        jsonb_build_object('report_sha256', encode(coalesce(p_sha256, ''::bytea), 'hex')), p_host, p_app);
END;
$$;

-- The executor's report (DESIGN §8): the change's agent, its operator or a
-- lead (never an admin) reports an approved change applied or failed, once.
-- Returns the status after.
CREATE FUNCTION holdpoint.hp_report(p_change text, p_applied boolean, p_reason text, p_host text, p_app text)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = holdpoint, pg_temp AS $$
DECLARE
    me text := session_user;
    c changes%ROWTYPE;
    hash bytea;
    v_kind text := CASE WHEN p_applied THEN 'applied' ELSE 'failed' END;
BEGIN
    SELECT * INTO c FROM changes WHERE id = p_change FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM hp_fail('HP006', 'unknown_change', format('no change %s', p_change));
    END IF;
    IF hp_has_role(me, 'admin') OR NOT (me IN (c.agent_principal, c.operator)
       OR EXISTS (SELECT 1 FROM roles WHERE login = me AND role = 'lead')) THEN
        PERFORM hp_fail('HP008', 'not_executor', format('only the agent of change %s, its operator (%s) or a lead may report its outcome', c.id, c.operator));
    END IF;
    CASE c.status
    WHEN 'approved' THEN
        NULL;
    WHEN 'applied', 'failed' THEN
        PERFORM hp_fail('HP008', 'already_reported', format('change %s was already reported %s; an outcome is reported once', c.id, c.status));
    WHEN 'rejected' THEN
        PERFORM hp_fail('HP003', 'rejected', format('change %s was rejected: it must not be applied', c.id));
    WHEN 'expired', 'withdrawn' THEN
        PERFORM hp_fail('HP004', c.status, format('change %s is %s: it must not be applied', c.id, c.status));
    ELSE
        PERFORM hp_fail('HP008', 'not_approved', format('change %s is pending: only an approved change can be reported applied or failed', c.id));
    END CASE;
    SELECT content_hash INTO hash FROM revisions WHERE change_id = c.id AND number = c.latest_revision;
    INSERT INTO change_events (change_id, revision, kind, principal, reason, created_at)
        VALUES (c.id, c.latest_revision, v_kind, me, coalesce(p_reason, ''), hp_now());
    UPDATE changes SET status = v_kind, updated_at = hp_now() WHERE id = c.id;
    PERFORM hp_append_audit('change.report', c.id, c.latest_revision, hash, 'ok', '', coalesce(p_reason, ''),
        c.status, v_kind, jsonb_build_object('outcome', v_kind), p_host, p_app);
    PERFORM pg_notify('holdpoint', 'change:' || c.id);
    RETURN v_kind;
END;
$$;

REVOKE ALL ON holdpoint.views FROM PUBLIC;
REVOKE ALL ON FUNCTION holdpoint.hp_coverage_artifact(text), holdpoint.hp_auditor_or_lead(text),
    holdpoint.hp_record_coverage(text, integer, text[], text, text),
    holdpoint.hp_record_view(text, integer, text, text),
    holdpoint.hp_record_audit_export(jsonb, text, text),
    holdpoint.hp_record_evidence_report(text, bytea, text, text),
    holdpoint.hp_report(text, boolean, text, text, text) FROM PUBLIC;
GRANT SELECT ON holdpoint.views
    TO holdpoint_agent, holdpoint_reviewer, holdpoint_lead, holdpoint_auditor, holdpoint_admin;
GRANT EXECUTE ON FUNCTION holdpoint.hp_record_coverage(text, integer, text[], text, text),
    holdpoint.hp_record_view(text, integer, text, text),
    holdpoint.hp_record_audit_export(jsonb, text, text),
    holdpoint.hp_record_evidence_report(text, bytea, text, text),
    holdpoint.hp_report(text, boolean, text, text, text)
    TO holdpoint_agent, holdpoint_reviewer, holdpoint_lead, holdpoint_auditor, holdpoint_admin;
