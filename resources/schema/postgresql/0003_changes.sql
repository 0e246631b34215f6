-- Schema 3 of the team store: submissions, decisions, withdrawals, checks,
-- denials and checkpoints, then every privilege. Lock order everywhere: the
-- change row, then the audit_head row (no deadlock between writers).

-- A new change (p_revise = '') or a revision of one. Artifact i has kind
-- p_kinds[i], name p_names[i]; its parts are the p_part_bytes whose
-- p_part_artifact is i (1-based), in order. The server hashes each
-- artifact's last part itself.
CREATE FUNCTION holdpoint.hp_submit(p_change text, p_revise text, p_kind text, p_title text,
    p_agent_name text, p_agent_version text, p_run_id text, p_operator text, p_intent text,
    p_declared_impact text, p_environment text, p_target text, p_idempotency_key text,
    p_content_hash bytea, p_kinds text[], p_names text[], p_part_artifact integer[],
    p_part_bytes bytea[], p_required integer, p_lead_required boolean, p_host text, p_app text)
RETURNS TABLE (r_change text, r_revision integer, r_created boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = holdpoint, pg_temp AS $$
DECLARE
    me text := session_user;
    c changes%ROWTYPE;
    prior record;
    reg_operator text;
    n integer;
    i integer;
    part integer;
    last bytea;
    now_text text := hp_now();
BEGIN
    IF cardinality(p_kinds) IS DISTINCT FROM cardinality(p_names) OR coalesce(cardinality(p_kinds), 0) = 0
       OR cardinality(p_part_artifact) IS DISTINCT FROM cardinality(p_part_bytes) THEN
        PERFORM hp_fail('HP002', 'invalid_artifacts', 'a submission needs at least one artifact, each with its parts');
    END IF;
    IF p_idempotency_key IS NOT NULL THEN
        SELECT change_id, number, content_hash INTO prior FROM revisions
         WHERE submitter = me AND idempotency_key = p_idempotency_key;
        IF FOUND THEN
            IF prior.content_hash <> p_content_hash THEN
                PERFORM hp_fail('HP007', 'idempotency_mismatch', format('the idempotency key %s was used for other content (change %s)', p_idempotency_key, prior.change_id));
            END IF;
            RETURN QUERY SELECT prior.change_id, prior.number, false;
            RETURN;
        END IF;
    END IF;
    SELECT operator INTO reg_operator FROM agents WHERE login = me;
    IF reg_operator IS NOT NULL AND coalesce(p_operator, '') NOT IN ('', reg_operator) THEN
        PERFORM hp_fail('HP007', 'operator_mismatch', format('%s is registered with operator %s, not %s', me, reg_operator, p_operator));
    END IF;
    IF coalesce(p_revise, '') = '' THEN
        n := 1;
        INSERT INTO changes (id, kind, title, agent_principal, agent_name, agent_version, agent_run_id,
            operator, intent, declared_impact, environment, target, unregistered, idempotency_key,
            latest_revision, created_at, updated_at, status, required_approvals, lead_required)
        VALUES (p_change, p_kind, p_title, me, coalesce(p_agent_name, ''), coalesce(p_agent_version, ''),
            coalesce(p_run_id, ''), coalesce(reg_operator, p_operator, ''), coalesce(p_intent, ''),
            nullif(p_declared_impact, ''), coalesce(p_environment, ''), coalesce(p_target, ''),
            reg_operator IS NULL, p_idempotency_key, 1, now_text, now_text, 'pending',
            greatest(coalesce(p_required, 1), 1), coalesce(p_lead_required, false))
        RETURNING * INTO c;
    ELSE
        SELECT * INTO c FROM changes WHERE id = p_revise FOR UPDATE;
        IF NOT FOUND THEN
            PERFORM hp_fail('HP006', 'unknown_change', format('no change %s', p_revise));
        END IF;
        IF c.agent_principal <> me AND NOT EXISTS (SELECT 1 FROM revisions WHERE change_id = c.id AND submitter = me) THEN
            PERFORM hp_fail('HP008', 'not_contributor', format('only the agent that proposed change %s, or a submitter of it, may revise it', c.id));
        END IF;
        IF c.status NOT IN ('pending', 'rejected') THEN
            PERFORM hp_fail('HP008', 'not_revisable', format('change %s is %s: only pending or rejected changes take revisions', c.id, c.status));
        END IF;
        n := c.latest_revision + 1;
        UPDATE changes SET latest_revision = n, title = p_title, updated_at = now_text, status = 'pending',
            required_approvals = greatest(required_approvals, coalesce(p_required, 1)),
            lead_required = lead_required OR coalesce(p_lead_required, false)
         WHERE id = c.id;
    END IF;
    INSERT INTO revisions (change_id, number, submitter, created_at, title, kind, environment, target,
        content_hash, idempotency_key)
    VALUES (c.id, n, me, now_text, p_title, p_kind, coalesce(p_environment, ''), coalesce(p_target, ''),
        p_content_hash, p_idempotency_key);
    FOR i IN 1 .. cardinality(p_kinds) LOOP
        last := NULL;
        part := 0;
        FOR j IN 1 .. coalesce(cardinality(p_part_artifact), 0) LOOP
            IF p_part_artifact[j] = i THEN
                last := p_part_bytes[j];
                part := part + 1;
            END IF;
        END LOOP;
        IF part = 0 THEN
            PERFORM hp_fail('HP002', 'invalid_artifacts', format('artifact %s has no content', i - 1));
        END IF;
        INSERT INTO artifacts (change_id, revision, idx, kind, name, sha256, size, parts)
            VALUES (c.id, n, i - 1, p_kinds[i], p_names[i], sha256(last), length(last), part);
        part := 0;
        FOR j IN 1 .. cardinality(p_part_artifact) LOOP
            IF p_part_artifact[j] = i THEN
                INSERT INTO artifact_parts (change_id, revision, idx, part, bytes)
                    VALUES (c.id, n, i - 1, part, p_part_bytes[j]);
                part := part + 1;
            END IF;
        END LOOP;
    END LOOP;
    PERFORM hp_append_audit(CASE WHEN n = 1 THEN 'change.submit' ELSE 'change.revise' END, c.id, n,
        p_content_hash, 'ok', '', '', CASE WHEN n = 1 THEN '' ELSE c.status END, 'pending',
        jsonb_build_object('title', p_title, 'artifacts', cardinality(p_kinds)), p_host, p_app);
    PERFORM pg_notify('holdpoint', 'change:' || c.id);
    RETURN QUERY SELECT c.id, n, true;
END;
$$;

-- The verdict of a pending change's latest revision from its counted
-- decisions: a counted reject rejects; enough distinct counted approvers
-- (with a lead among them when required) approve.
CREATE FUNCTION holdpoint.hp_verdict(p_change text) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = holdpoint, pg_temp AS $$
DECLARE
    c changes%ROWTYPE;
    approvers integer;
    lead_ok boolean;
BEGIN
    SELECT * INTO c FROM changes WHERE id = p_change;
    IF EXISTS (SELECT 1 FROM decisions d WHERE d.change_id = c.id AND d.revision = c.latest_revision
               AND d.counts AND d.action = 'reject') THEN
        RETURN 'rejected';
    END IF;
    SELECT count(DISTINCT d.principal), bool_or(d.roles LIKE '%lead%')
      INTO approvers, lead_ok
      FROM decisions d WHERE d.change_id = c.id AND d.revision = c.latest_revision
       AND d.counts AND d.action = 'approve';
    IF approvers >= c.required_approvals AND (NOT c.lead_required OR coalesce(lead_ok, false)) THEN
        RETURN 'approved';
    END IF;
    RETURN 'pending';
END;
$$;

-- One decision: lock the change, check the revision is current and the
-- actor may act, insert, recompute the verdict, append the audit entry.
-- p_required / p_lead_required: what the caller's policy asks (only raises
-- the stored requirement); p_uncounted: a reason the caller's rules give for
-- not counting (e.g. incomplete_review); it can only stop a decision counting.
CREATE FUNCTION holdpoint.hp_decide(p_change text, p_revision integer, p_action text, p_reason text,
    p_required integer, p_lead_required boolean, p_uncounted text, p_host text, p_app text)
RETURNS TABLE (r_decision bigint, r_counts boolean, r_uncounted text, r_before text, r_after text,
               r_escalated boolean, r_required integer, r_lead_required boolean, r_counted bigint,
               r_lead_present boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = holdpoint, pg_temp AS $$
DECLARE
    me text := session_user;
    c changes%ROWTYPE;
    rev revisions%ROWTYPE;
    v_counts boolean := true;
    v_unc text := '';
    v_after text;
    v_id bigint;
BEGIN
    IF p_action NOT IN ('approve', 'reject', 'escalate', 'comment') THEN
        PERFORM hp_fail('HP009', 'not_in_team_mode_yet', format('decide %s is not available in team mode yet', p_action));
    END IF;
    SELECT * INTO c FROM changes WHERE id = p_change FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM hp_fail('HP006', 'unknown_change', format('no change %s', p_change));
    END IF;
    IF coalesce(p_revision, 0) <> 0 AND p_revision <> c.latest_revision THEN
        PERFORM hp_fail('HP007', 'outdated_revision', format('change %s is at revision %s, not %s: decisions act on the latest revision', c.id, c.latest_revision, p_revision));
    END IF;
    IF NOT hp_has_role(me, 'reviewer') THEN
        PERFORM hp_fail('HP008', 'missing_role', format('%s is not a reviewer or lead', me));
    END IF;
    IF p_action <> 'comment' AND c.status <> 'pending' THEN
        PERFORM hp_fail('HP008', 'not_pending', format('change %s is %s: only pending changes are decided', c.id, c.status));
    END IF;
    IF (p_action IN ('reject', 'escalate')) AND coalesce(p_reason, '') = '' THEN
        PERFORM hp_fail('HP002', 'reason_required', format('%s needs a reason', p_action));
    END IF;
    SELECT * INTO rev FROM revisions WHERE change_id = c.id AND number = c.latest_revision;
    IF me IN (c.agent_principal, c.operator) OR EXISTS (SELECT 1 FROM revisions WHERE change_id = c.id AND submitter = me) THEN
        v_counts := false;
        v_unc := 'contributor';
    ELSIF coalesce(p_uncounted, '') <> '' THEN
        v_counts := false;
        v_unc := p_uncounted;
    END IF;
    IF p_action IN ('approve', 'reject') AND v_counts AND EXISTS (
        SELECT 1 FROM decisions d WHERE d.change_id = c.id AND d.revision = c.latest_revision
           AND d.principal = me AND d.counts AND d.action IN ('approve', 'reject')) THEN
        PERFORM hp_fail('HP008', 'already_decided', format('%s already decided revision %s of change %s', me, c.latest_revision, c.id));
    END IF;
    INSERT INTO decisions (change_id, revision, principal, roles, action, reason, created_at, counts, uncounted)
        VALUES (c.id, c.latest_revision, me, array_to_string(hp_roles_of(me), ','), p_action,
                coalesce(p_reason, ''), hp_now(), v_counts, v_unc)
        RETURNING id INTO v_id;
    UPDATE changes SET required_approvals = greatest(required_approvals, coalesce(p_required, 1)),
        lead_required = lead_required OR coalesce(p_lead_required, false),
        escalated = escalated OR p_action = 'escalate', updated_at = hp_now()
     WHERE id = c.id;
    v_after := CASE WHEN c.status = 'pending' THEN hp_verdict(c.id) ELSE c.status END;
    UPDATE changes SET status = v_after WHERE id = c.id;
    PERFORM hp_append_audit('decision.' || p_action, c.id, c.latest_revision, rev.content_hash, 'ok', '',
        coalesce(p_reason, ''), c.status, v_after,
        jsonb_build_object('decision_id', v_id, 'counts', v_counts, 'uncounted', v_unc,
                           'escalated', c.escalated OR p_action = 'escalate'), p_host, p_app);
    PERFORM pg_notify('holdpoint', 'change:' || c.id);
    RETURN QUERY SELECT v_id, v_counts, v_unc, c.status, v_after, c.escalated OR p_action = 'escalate',
        ch.required_approvals, ch.lead_required,
        (SELECT count(DISTINCT d.principal) FROM decisions d WHERE d.change_id = c.id
            AND d.revision = c.latest_revision AND d.counts AND d.action = 'approve'),
        coalesce((SELECT bool_or(d.roles LIKE '%lead%') FROM decisions d WHERE d.change_id = c.id
            AND d.revision = c.latest_revision AND d.counts AND d.action = 'approve'), false)
      FROM changes ch WHERE ch.id = c.id;
END;
$$;

CREATE FUNCTION holdpoint.hp_withdraw(p_change text, p_reason text, p_host text, p_app text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = holdpoint, pg_temp AS $$
DECLARE
    me text := session_user;
    c changes%ROWTYPE;
    hash bytea;
BEGIN
    SELECT * INTO c FROM changes WHERE id = p_change FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM hp_fail('HP006', 'unknown_change', format('no change %s', p_change));
    END IF;
    IF c.agent_principal <> me AND NOT EXISTS (SELECT 1 FROM revisions WHERE change_id = c.id AND submitter = me) THEN
        PERFORM hp_fail('HP008', 'not_contributor', format('only the agent that proposed change %s, or a submitter of it, may withdraw it', c.id));
    END IF;
    IF c.status NOT IN ('pending', 'rejected') THEN
        PERFORM hp_fail('HP008', 'not_withdrawable', format('change %s is %s: only pending or rejected changes can be withdrawn', c.id, c.status));
    END IF;
    SELECT content_hash INTO hash FROM revisions WHERE change_id = c.id AND number = c.latest_revision;
    INSERT INTO change_events (change_id, revision, kind, principal, reason, created_at)
        VALUES (c.id, c.latest_revision, 'withdrawn', me, coalesce(p_reason, ''), hp_now());
    UPDATE changes SET status = 'withdrawn', updated_at = hp_now() WHERE id = c.id;
    PERFORM hp_append_audit('change.withdraw', c.id, c.latest_revision, hash, 'ok', '', coalesce(p_reason, ''),
        c.status, 'withdrawn', '{}'::jsonb, p_host, p_app);
    PERFORM pg_notify('holdpoint', 'change:' || c.id);
    RETURN 'withdrawn';
END;
$$;

CREATE FUNCTION holdpoint.hp_record_check(p_change text, p_revision integer, p_passed boolean,
    p_reason_code text, p_detail text, p_host text, p_app text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = holdpoint, pg_temp AS $$
DECLARE
    n integer;
    hash bytea;
BEGIN
    SELECT CASE WHEN coalesce(p_revision, 0) > 0 THEN p_revision ELSE latest_revision END INTO n
      FROM changes WHERE id = p_change FOR UPDATE;
    SELECT content_hash INTO hash FROM revisions WHERE change_id = p_change AND number = n;
    IF hash IS NULL THEN
        PERFORM hp_fail('HP006', 'unknown_revision', format('change %s has no revision %s', p_change, coalesce(n, p_revision)));
    END IF;
    INSERT INTO checks (change_id, revision, principal, passed, reason_code, detail, created_at)
        VALUES (p_change, n, session_user, p_passed, coalesce(p_reason_code, ''), coalesce(p_detail, ''), hp_now());
    PERFORM hp_append_audit('check', p_change, n, hash, 'ok', coalesce(p_reason_code, ''), coalesce(p_detail, ''),
        '', '', jsonb_build_object('passed', p_passed), p_host, p_app);
END;
$$;

-- A refused attempt, recorded by the refused client after its transaction
-- rolled back. It can only speak about session_user itself.
CREATE FUNCTION holdpoint.hp_record_denied(p_action text, p_change text, p_reason_code text,
    p_reason text, p_host text, p_app text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = holdpoint, pg_temp AS $$
DECLARE
    n integer;
    hash bytea;
BEGIN
    IF p_action !~ '^[a-z_]+(\.[a-z_]+)*$' THEN
        PERFORM hp_fail('HP002', 'invalid_action', format('"%s" is not an action name', p_action));
    END IF;
    SELECT r.number, r.content_hash INTO n, hash FROM changes c
      JOIN revisions r ON r.change_id = c.id AND r.number = c.latest_revision WHERE c.id = p_change;
    RETURN hp_append_audit(p_action, coalesce(p_change, ''), coalesce(n, 0), hash, 'denied',
        coalesce(p_reason_code, ''), coalesce(p_reason, ''), '', '', '{}'::jsonb, p_host, p_app);
END;
$$;

CREATE FUNCTION holdpoint.hp_checkpoint(p_key_id text, p_host text, p_app text)
RETURNS TABLE (r_seq bigint, r_prev bytea, r_hash bytea, r_entry bytea)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = holdpoint, pg_temp AS $$
DECLARE
    head record;
BEGIN
    IF NOT (hp_has_role(session_user, 'auditor') OR EXISTS (SELECT 1 FROM roles WHERE login = session_user AND role = 'lead')) THEN
        PERFORM hp_fail('HP008', 'missing_role', 'only auditors and leads can write checkpoints');
    END IF;
    SELECT seq, hash INTO head FROM audit_head WHERE id = 1 FOR UPDATE;
    RETURN QUERY SELECT l.seq, l.prev_hash, l.hash, l.entry FROM audit_log l WHERE l.seq = head.seq;
    PERFORM hp_append_audit('audit.checkpoint', '', 0, NULL, 'ok', '', '', '', '',
        jsonb_build_object('checkpoint_seq', head.seq, 'head_hash', encode(head.hash, 'hex'), 'key_id', p_key_id),
        p_host, p_app);
END;
$$;

REVOKE ALL ON SCHEMA holdpoint FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA holdpoint FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA holdpoint FROM PUBLIC;
GRANT USAGE ON SCHEMA holdpoint TO holdpoint_agent, holdpoint_reviewer, holdpoint_lead, holdpoint_auditor, holdpoint_admin;
GRANT SELECT ON holdpoint.schema_version, holdpoint.meta, holdpoint.principals, holdpoint.roles,
    holdpoint.agents, holdpoint.changes, holdpoint.revisions, holdpoint.artifacts, holdpoint.decisions,
    holdpoint.change_events, holdpoint.checks, holdpoint.topologies, holdpoint.topology_sources,
    holdpoint.assessments, holdpoint.coverage, holdpoint.audit_log, holdpoint.audit_head
    TO holdpoint_agent, holdpoint_reviewer, holdpoint_lead, holdpoint_auditor, holdpoint_admin;
GRANT SELECT ON holdpoint.artifact_parts TO holdpoint_reviewer, holdpoint_lead, holdpoint_auditor;
GRANT EXECUTE ON FUNCTION holdpoint.hp_add_user(text, text[], text, text), holdpoint.hp_grant(text, text, text, text),
    holdpoint.hp_revoke(text, text, text, text), holdpoint.hp_add_agent(text, text, text, text),
    holdpoint.hp_remove_agent(text, text, text) TO holdpoint_admin;
GRANT EXECUTE ON FUNCTION holdpoint.hp_submit(text, text, text, text, text, text, text, text, text, text, text,
    text, text, bytea, text[], text[], integer[], bytea[], integer, boolean, text, text),
    holdpoint.hp_withdraw(text, text, text, text) TO holdpoint_agent;
GRANT EXECUTE ON FUNCTION holdpoint.hp_decide(text, integer, text, text, integer, boolean, text, text, text)
    TO holdpoint_reviewer;
GRANT EXECUTE ON FUNCTION holdpoint.hp_record_check(text, integer, boolean, text, text, text, text),
    holdpoint.hp_record_denied(text, text, text, text, text, text)
    TO holdpoint_agent, holdpoint_reviewer, holdpoint_lead, holdpoint_auditor, holdpoint_admin;
GRANT EXECUTE ON FUNCTION holdpoint.hp_checkpoint(text, text, text) TO holdpoint_auditor, holdpoint_lead;
