-- Schema 4 of the team store: the review policy (DESIGN §5) in team mode.
--
-- What the database enforces and what clients compute: the risk assessment
-- and the policy rule are C++ (models/risk, models/review/reviewrules), so
-- the submitting agent's client computes them and hp_submit stores them with
-- the revision's requirement (approvals, lead, full review, roles_any, SLA,
-- expiry, approval_ttl) and the coverage items a full review must see. An
-- agent with psql in hand could lie, so the server trusts an assessment for
-- approvals only once a reviewer's client has confirmed it: hp_reassess
-- (reviewer, lead, auditor) stores the reviewer-side assessment as a new
-- sequence and only ever RAISES the requirement (coverage items: union), and
-- hp_decide refuses to record an approval (HP007 unconfirmed_assessment,
-- nothing written) while the latest assessment of the latest revision is
-- unconfirmed. With the requirement stored, hp_decide counts distinct
-- eligible humans, a lead when required (or escalated), and under full
-- review an approval counts only when the approver's coverage rows name every
-- required item at that moment (else it is kept uncounted
-- 'incomplete_review'). Timers (hp_tick) and consumption (hp_consume) check
-- times against the server clock and the stored seconds, never the client's.
-- The shipped default policy is inserted as version 1 by `db init` /
-- `db migrate` (models/storage/pgsetup.cpp: its bytes live in resources/).

CREATE TABLE holdpoint.policies (
    version    integer PRIMARY KEY CHECK (version >= 1),
    hash       text NOT NULL,
    body       bytea NOT NULL,
    adopted_at text NOT NULL,
    adopted_by text NOT NULL,
    change_id  text
);

-- Each timer event once per change, whoever notices first (DESIGN §5).
CREATE TABLE holdpoint.timer_events (
    change_id  text NOT NULL REFERENCES holdpoint.changes(id),
    kind       text NOT NULL CHECK (kind IN ('sla_breach', 'expiry', 'approval_lapse')),
    revision   integer NOT NULL,
    due_at     text NOT NULL,
    escalated  boolean NOT NULL DEFAULT false,
    created_at text NOT NULL,
    PRIMARY KEY (change_id, kind)
);

-- `check --consume` succeeds once per approval (one approved revision).
CREATE UNIQUE INDEX change_events_consumed ON holdpoint.change_events (change_id, revision)
    WHERE kind = 'consumed';

-- The effective environment the assessment used; who stored it; whether a
-- reviewer-role principal did (only those count for approvals).
ALTER TABLE holdpoint.assessments ADD COLUMN environment text NOT NULL DEFAULT '';
ALTER TABLE holdpoint.assessments ADD COLUMN computed_by text NOT NULL DEFAULT '';
ALTER TABLE holdpoint.assessments ADD COLUMN confirmed boolean NOT NULL DEFAULT false;

-- The requirement of the latest revision (required_approvals and
-- lead_required exist since schema 1): set by its submission, only raised by
-- hp_reassess. approved_at: when the change last became approved (the start
-- of approval_ttl).
ALTER TABLE holdpoint.changes ADD COLUMN full_review boolean NOT NULL DEFAULT false;
ALTER TABLE holdpoint.changes ADD COLUMN roles_any text[] NOT NULL DEFAULT '{}';
ALTER TABLE holdpoint.changes ADD COLUMN sla_seconds bigint NOT NULL DEFAULT 0 CHECK (sla_seconds >= 0);
ALTER TABLE holdpoint.changes ADD COLUMN expiry_seconds bigint NOT NULL DEFAULT 259200 CHECK (expiry_seconds > 0);
ALTER TABLE holdpoint.changes ADD COLUMN approval_ttl_seconds bigint NOT NULL DEFAULT 86400 CHECK (approval_ttl_seconds > 0);
ALTER TABLE holdpoint.changes ADD COLUMN sla_escalates boolean NOT NULL DEFAULT true;
ALTER TABLE holdpoint.changes ADD COLUMN policy_version integer NOT NULL DEFAULT 0;
ALTER TABLE holdpoint.changes ADD COLUMN policy_hash text NOT NULL DEFAULT '';
ALTER TABLE holdpoint.changes ADD COLUMN approved_at text;

-- What a full review of a revision must have seen (coverage keys).
CREATE TABLE holdpoint.coverage_required (
    change_id text NOT NULL,
    revision  integer NOT NULL,
    item      text NOT NULL,
    PRIMARY KEY (change_id, revision, item),
    FOREIGN KEY (change_id, revision) REFERENCES holdpoint.revisions(change_id, number)
);

-- hp_append_audit as the system actor (timer events): principal "system".
CREATE FUNCTION holdpoint.hp_append_system_audit(p_action text, p_change text, p_revision integer,
    p_content_hash bytea, p_reason_code text, p_before text, p_after text, p_payload jsonb,
    p_host text, p_app text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = holdpoint, pg_temp AS $$
DECLARE
    head record;
    e bytea;
    h bytea;
BEGIN
    SELECT seq, hash INTO head FROM audit_head WHERE id = 1 FOR UPDATE;
    e := convert_to(hp_canonical(jsonb_build_object(
        'seq', head.seq + 1, 'time', hp_now(), 'principal', 'system',
        'principal_kind', 'system', 'roles', '[]'::jsonb,
        'host', coalesce(p_host, ''), 'app_version', coalesce(p_app, ''), 'action', p_action,
        'change', coalesce(p_change, ''), 'revision', coalesce(p_revision, 0),
        'content_hash', coalesce(encode(p_content_hash, 'hex'), ''), 'policy_hash', '',
        'outcome', 'ok', 'reason_code', coalesce(p_reason_code, ''),
        'reason', '', 'status_before', coalesce(p_before, ''),
        'status_after', coalesce(p_after, ''), 'payload', coalesce(p_payload, '{}'::jsonb))), 'UTF8');
    h := sha256(head.hash || e);
    INSERT INTO audit_log (seq, prev_hash, hash, entry) VALUES (head.seq + 1, head.hash, h, e);
    UPDATE audit_head SET seq = head.seq + 1, hash = h WHERE id = 1;
    PERFORM pg_notify('holdpoint', 'audit');
    RETURN head.seq + 1;
END;
$$;

CREATE FUNCTION holdpoint.hp_time(p_text text) RETURNS timestamptz
LANGUAGE sql STABLE AS $$
    SELECT p_text::timestamptz;
$$;

-- Stores one assessment row (the next sequence of its revision) and audits
-- it; `confirmed` when session_user holds a reviewer role (or auditor) and
-- contributed nothing to the change (an agent's operator confirms nothing).
CREATE FUNCTION holdpoint.hp_store_assessment(p_change text, p_revision integer, p_hash bytea,
    p_body bytea, p_score integer, p_class text, p_flags text, p_destructive integer,
    p_environment text, p_topology_hash text, p_policy_hash text, p_reason text,
    p_host text, p_app text) RETURNS integer
LANGUAGE plpgsql SET search_path = holdpoint, pg_temp AS $$
DECLARE
    seq integer;
BEGIN
    SELECT coalesce(max(sequence), 0) + 1 INTO seq FROM assessments
     WHERE change_id = p_change AND revision = p_revision;
    INSERT INTO assessments (change_id, revision, sequence, topology_hash, policy_hash, score, class,
        flags, destructive, body, computed_at, environment, computed_by, confirmed)
    VALUES (p_change, p_revision, seq, coalesce(p_topology_hash, ''), coalesce(p_policy_hash, ''),
        p_score, p_class, coalesce(p_flags, ''), greatest(coalesce(p_destructive, 0), 0), p_body, hp_now(),
        coalesce(p_environment, ''), session_user,
        (hp_has_role(session_user, 'reviewer') OR hp_has_role(session_user, 'auditor'))
        AND NOT hp_has_role(session_user, 'admin')
        AND NOT EXISTS (SELECT 1 FROM changes c WHERE c.id = p_change
                        AND session_user IN (c.agent_principal, c.operator))
        AND NOT EXISTS (SELECT 1 FROM revisions r WHERE r.change_id = p_change AND r.submitter = session_user));
    PERFORM hp_append_audit('assessment', p_change, p_revision, p_hash, 'ok', '', p_reason, '', '',
        jsonb_build_object('sequence', seq, 'reason', p_reason, 'score', p_score, 'class', p_class,
            'flags', to_jsonb(string_to_array(coalesce(p_flags, ''), ',')),
            'topology_hash', coalesce(p_topology_hash, ''), 'policy_hash', coalesce(p_policy_hash, '')),
        p_host, p_app);
    RETURN seq;
END;
$$;

-- Counted approvers of the latest revision and whether a lead is among them.
CREATE FUNCTION holdpoint.hp_approvers(p_change text, p_revision integer,
    OUT r_counted integer, OUT r_lead boolean)
LANGUAGE sql STABLE SET search_path = holdpoint, pg_temp AS $$
    SELECT count(DISTINCT d.principal)::integer, coalesce(bool_or(d.roles LIKE '%lead%'), false)
      FROM holdpoint.decisions d WHERE d.change_id = p_change AND d.revision = p_revision
       AND d.counts AND d.action = 'approve';
$$;

-- Rejects still standing after every withdrawal (by their author) and
-- override (by a lead), across revisions, as reviewrules.cpp computes them.
CREATE FUNCTION holdpoint.hp_standing_rejecters(p_change text) RETURNS text[]
LANGUAGE plpgsql STABLE SET search_path = holdpoint, pg_temp AS $$
DECLARE
    d record;
    standing text[] := '{}';
BEGIN
    FOR d IN SELECT principal, action FROM decisions WHERE change_id = p_change AND counts
               AND action IN ('reject', 'withdraw', 'override') ORDER BY id LOOP
        IF d.action = 'reject' AND NOT d.principal = ANY (standing) THEN
            standing := standing || d.principal;
        ELSIF d.action = 'withdraw' THEN
            standing := array_remove(standing, d.principal);
        ELSIF d.action = 'override' THEN
            standing := '{}';
        END IF;
    END LOOP;
    RETURN standing;
END;
$$;

-- The verdict from the standing rejects, the counted approvers of the latest
-- revision and its requirement: a standing reject rejects; enough distinct
-- counted approvers, with a lead when required or escalated, approve.
CREATE FUNCTION holdpoint.hp_verdict_from(p_change text, p_required integer, p_lead boolean,
    p_counted integer, p_lead_present boolean) RETURNS text
LANGUAGE sql STABLE SET search_path = holdpoint, pg_temp AS $$
    SELECT CASE WHEN cardinality(holdpoint.hp_standing_rejecters(p_change)) > 0 THEN 'rejected'
                WHEN p_counted >= p_required AND (NOT p_lead OR p_lead_present) THEN 'approved'
                ELSE 'pending' END;
$$;

CREATE OR REPLACE FUNCTION holdpoint.hp_verdict(p_change text) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = holdpoint, pg_temp AS $$
DECLARE
    c changes%ROWTYPE;
    a record;
BEGIN
    SELECT * INTO c FROM changes WHERE id = p_change;
    SELECT * INTO a FROM hp_approvers(c.id, c.latest_revision);
    RETURN hp_verdict_from(c.id, c.required_approvals, c.lead_required OR c.escalated, a.r_counted, a.r_lead);
END;
$$;

DROP FUNCTION holdpoint.hp_submit(text, text, text, text, text, text, text, text, text, text, text,
    text, text, bytea, text[], text[], integer[], bytea[], integer, boolean, text, text);

-- A new change (p_revise = '') or a revision of one, with the assessment and
-- requirement the submitting client computed (see the top of this file). A
-- change of kind policy always needs two leads (DESIGN §5 fixed rule).
CREATE FUNCTION holdpoint.hp_submit(p_change text, p_revise text, p_kind text, p_title text,
    p_agent_name text, p_agent_version text, p_run_id text, p_operator text, p_intent text,
    p_declared_impact text, p_environment text, p_target text, p_idempotency_key text,
    p_content_hash bytea, p_kinds text[], p_names text[], p_part_artifact integer[],
    p_part_bytes bytea[],
    p_body bytea, p_score integer, p_class text, p_flags text, p_destructive integer,
    p_effective_environment text, p_topology_hash text, p_policy_hash text,
    p_required integer, p_lead_required boolean, p_full_review boolean, p_roles_any text[],
    p_sla_seconds bigint, p_expiry_seconds bigint, p_approval_ttl_seconds bigint,
    p_sla_escalates boolean, p_policy_version integer, p_coverage_items text[],
    p_host text, p_app text)
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
    policy_change boolean := p_kind = 'policy';
    v_status text;
BEGIN
    IF cardinality(p_kinds) IS DISTINCT FROM cardinality(p_names) OR coalesce(cardinality(p_kinds), 0) = 0
       OR cardinality(p_part_artifact) IS DISTINCT FROM cardinality(p_part_bytes) THEN
        PERFORM hp_fail('HP002', 'invalid_artifacts', 'a submission needs at least one artifact, each with its parts');
    END IF;
    IF p_body IS NULL OR p_class IS NULL OR p_score IS NULL THEN
        PERFORM hp_fail('HP002', 'no_assessment', 'a submission carries the assessment its client computed');
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
            latest_revision, created_at, updated_at, status)
        VALUES (p_change, p_kind, p_title, me, coalesce(p_agent_name, ''), coalesce(p_agent_version, ''),
            coalesce(p_run_id, ''), coalesce(reg_operator, p_operator, ''), coalesce(p_intent, ''),
            nullif(p_declared_impact, ''), coalesce(p_environment, ''), coalesce(p_target, ''),
            reg_operator IS NULL, p_idempotency_key, 1, now_text, now_text, 'pending')
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
        UPDATE changes SET latest_revision = n, title = p_title, updated_at = now_text, status = 'pending'
         WHERE id = c.id;
    END IF;
    -- The new revision's requirement replaces the old one's: decisions act
    -- on the latest revision only.
    UPDATE changes SET
        required_approvals = CASE WHEN policy_change THEN greatest(coalesce(p_required, 1), 2) ELSE greatest(coalesce(p_required, 1), 1) END,
        lead_required = coalesce(p_lead_required, false) OR policy_change,
        full_review = coalesce(p_full_review, false),
        roles_any = coalesce(p_roles_any, '{}'::text[]),
        sla_seconds = greatest(coalesce(p_sla_seconds, 0), 0),
        expiry_seconds = CASE WHEN coalesce(p_expiry_seconds, 0) > 0 THEN p_expiry_seconds ELSE 259200 END,
        approval_ttl_seconds = CASE WHEN coalesce(p_approval_ttl_seconds, 0) > 0 THEN p_approval_ttl_seconds ELSE 86400 END,
        sla_escalates = coalesce(p_sla_escalates, true),
        policy_version = coalesce(p_policy_version, 0), policy_hash = coalesce(p_policy_hash, ''),
        approved_at = NULL
     WHERE id = c.id;
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
    INSERT INTO coverage_required (change_id, revision, item)
        SELECT DISTINCT c.id, n, x FROM unnest(coalesce(p_coverage_items, '{}'::text[])) AS x;
    -- A reject stands across revisions until withdrawn or overridden.
    v_status := CASE WHEN n = 1 THEN 'pending' ELSE hp_verdict(c.id) END;
    UPDATE changes SET status = v_status WHERE id = c.id;
    PERFORM hp_append_audit(CASE WHEN n = 1 THEN 'change.submit' ELSE 'change.revise' END, c.id, n,
        p_content_hash, 'ok', '', '', CASE WHEN n = 1 THEN '' ELSE c.status END, v_status,
        jsonb_build_object('title', p_title, 'artifacts', cardinality(p_kinds)), p_host, p_app);
    PERFORM hp_store_assessment(c.id, n, p_content_hash, p_body, p_score, p_class, p_flags, p_destructive,
        p_effective_environment, p_topology_hash, p_policy_hash, 'submit', p_host, p_app);
    PERFORM pg_notify('holdpoint', 'change:' || c.id);
    RETURN QUERY SELECT c.id, n, true;
END;
$$;

-- A reviewer-side assessment of a revision (see the top of this file): a new
-- sequence, confirmed; on the latest revision the requirement only rises and
-- the coverage items are united. A pending or approved change is re-judged.
CREATE FUNCTION holdpoint.hp_reassess(p_change text, p_revision integer, p_body bytea, p_score integer,
    p_class text, p_flags text, p_destructive integer, p_effective_environment text,
    p_topology_hash text, p_policy_hash text, p_required integer, p_lead_required boolean,
    p_full_review boolean, p_roles_any text[], p_sla_seconds bigint, p_coverage_items text[],
    p_reason text, p_host text, p_app text)
RETURNS TABLE (r_sequence integer, r_before text, r_after text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = holdpoint, pg_temp AS $$
DECLARE
    me text := session_user;
    c changes%ROWTYPE;
    hash bytea;
    seq integer;
    v_after text;
BEGIN
    IF NOT (hp_has_role(me, 'reviewer') OR hp_has_role(me, 'auditor')) THEN
        PERFORM hp_fail('HP008', 'missing_role', format('%s is not a reviewer, lead or auditor', me));
    END IF;
    SELECT * INTO c FROM changes WHERE id = p_change FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM hp_fail('HP006', 'unknown_change', format('no change %s', p_change));
    END IF;
    SELECT content_hash INTO hash FROM revisions WHERE change_id = c.id AND number = p_revision;
    IF hash IS NULL THEN
        PERFORM hp_fail('HP006', 'unknown_revision', format('change %s has no revision %s', c.id, p_revision));
    END IF;
    seq := hp_store_assessment(c.id, p_revision, hash, p_body, p_score, p_class, p_flags, p_destructive,
        p_effective_environment, p_topology_hash, p_policy_hash, coalesce(nullif(p_reason, ''), 'verify'),
        p_host, p_app);
    v_after := c.status;
    IF p_revision = c.latest_revision THEN
        UPDATE changes SET required_approvals = greatest(required_approvals, coalesce(p_required, 1)),
            lead_required = lead_required OR coalesce(p_lead_required, false),
            full_review = full_review OR coalesce(p_full_review, false),
            roles_any = ARRAY(SELECT DISTINCT x FROM unnest(roles_any || coalesce(p_roles_any, '{}'::text[])) AS x ORDER BY 1),
            sla_seconds = CASE WHEN coalesce(p_sla_seconds, 0) > 0 AND (sla_seconds = 0 OR p_sla_seconds < sla_seconds)
                               THEN p_sla_seconds ELSE sla_seconds END
         WHERE id = c.id;
        INSERT INTO coverage_required (change_id, revision, item)
            SELECT DISTINCT c.id, p_revision, x FROM unnest(coalesce(p_coverage_items, '{}'::text[])) AS x
            ON CONFLICT DO NOTHING;
        IF c.status IN ('pending', 'approved') THEN
            v_after := hp_verdict(c.id);
            IF v_after <> c.status THEN
                UPDATE changes SET status = v_after, updated_at = hp_now(),
                    approved_at = CASE WHEN v_after = 'approved' THEN hp_now() ELSE NULL END
                 WHERE id = c.id;
                PERFORM hp_append_audit('change.reevaluate', c.id, c.latest_revision, hash, 'ok', '',
                    'assessment raised the requirement', c.status, v_after, '{}'::jsonb, p_host, p_app);
            END IF;
        END IF;
        PERFORM pg_notify('holdpoint', 'change:' || c.id);
    END IF;
    RETURN QUERY SELECT seq, c.status, v_after;
END;
$$;

-- Whether `me` may take `p_action` on change `c` in its current status
-- (raises when not): approve, reject and escalate act on pending changes;
-- withdraw needs the actor's own standing reject on a pending or rejected
-- change; override a lead and a standing reject on a rejected change.
CREATE FUNCTION holdpoint.hp_check_decidable(c holdpoint.changes, me text, p_roles text[], p_action text)
RETURNS void
LANGUAGE plpgsql STABLE SET search_path = holdpoint, pg_temp AS $$
BEGIN
    IF p_action IN ('approve', 'reject', 'escalate') AND c.status <> 'pending' THEN
        PERFORM hp_fail('HP008', 'not_pending', format('change %s is %s: only pending changes are decided', c.id, c.status));
    ELSIF p_action = 'withdraw' AND (c.status NOT IN ('pending', 'rejected') OR NOT me = ANY (hp_standing_rejecters(c.id))) THEN
        PERFORM hp_fail('HP008', 'no_reject', 'you have no standing reject on this change to withdraw');
    ELSIF p_action = 'override' AND NOT 'lead' = ANY (p_roles) THEN
        PERFORM hp_fail('HP008', 'missing_role', 'only a lead can override a reject');
    ELSIF p_action = 'override' AND (c.status <> 'rejected' OR cardinality(hp_standing_rejecters(c.id)) = 0) THEN
        PERFORM hp_fail('HP008', 'no_reject', 'there is no standing reject to override');
    END IF;
END;
$$;

-- Why a decision would not count ('' when it counts), or a refusal for an
-- approval whose assessment no reviewer's client confirmed under the policy
-- and topology in force (nothing is written then; the client confirms and
-- retries).
CREATE FUNCTION holdpoint.hp_uncounted(c holdpoint.changes, me text, p_roles text[], p_action text,
    p_uncounted text) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = holdpoint, pg_temp AS $$
BEGIN
    IF p_action <> 'approve' THEN
        RETURN coalesce(p_uncounted, '');
    END IF;
    IF me IN (c.agent_principal, c.operator) OR EXISTS (SELECT 1 FROM revisions WHERE change_id = c.id AND submitter = me) THEN
        RETURN 'contributor';
    END IF;
    IF c.kind = 'policy' AND NOT 'lead' = ANY (p_roles) THEN
        RETURN 'missing_role';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM assessments x WHERE x.change_id = c.id
            AND x.revision = c.latest_revision AND x.confirmed
            AND x.policy_hash = (SELECT p.hash FROM policies p ORDER BY p.version DESC LIMIT 1)
            AND x.topology_hash = coalesce((SELECT t.hash FROM topologies t ORDER BY t.version DESC LIMIT 1), '')
            AND x.sequence = (SELECT max(y.sequence) FROM assessments y WHERE y.change_id = c.id
                              AND y.revision = c.latest_revision)) THEN
        PERFORM hp_fail('HP007', 'unconfirmed_assessment', format('the assessment of change %s revision %s was not confirmed by a reviewer''s client yet', c.id, c.latest_revision));
    END IF;
    IF c.full_review AND EXISTS (
        SELECT 1 FROM coverage_required r WHERE r.change_id = c.id AND r.revision = c.latest_revision
           AND NOT EXISTS (SELECT 1 FROM coverage v WHERE v.change_id = r.change_id AND v.revision = r.revision
                           AND v.login = me AND v.item = r.item)) THEN
        RETURN 'incomplete_review';
    END IF;
    RETURN coalesce(p_uncounted, '');
END;
$$;

-- An approved change of kind policy becomes the next policy version in the
-- transaction that approved it (DESIGN §5): the after side of its one
-- file-pair artifact, hashed here; the change is then applied. Pending
-- changes are reassessed under it lazily: an approval needs an assessment
-- confirmed under the policy in force, so the next approver's client
-- recomputes it (the requirement still only rises).
CREATE FUNCTION holdpoint.hp_adopt_policy(p_change text, p_revision integer, p_content_hash bytea,
    p_host text, p_app text) RETURNS integer
LANGUAGE plpgsql SET search_path = holdpoint, pg_temp AS $$
DECLARE
    body bytea;
    prev policies%ROWTYPE;
    v integer;
    h text;
BEGIN
    IF (SELECT count(*) FROM artifacts WHERE change_id = p_change AND revision = p_revision) <> 1
       OR NOT EXISTS (SELECT 1 FROM artifacts WHERE change_id = p_change AND revision = p_revision AND idx = 0
                      AND kind = 'file-pair' AND parts = 2) THEN
        PERFORM hp_fail('HP002', 'bad_policy_change', format('policy change %s must hold exactly one file-pair artifact (policy.yaml)', p_change));
    END IF;
    SELECT bytes INTO body FROM artifact_parts WHERE change_id = p_change AND revision = p_revision AND idx = 0 AND part = 1;
    SELECT * INTO prev FROM policies ORDER BY version DESC LIMIT 1;
    v := prev.version + 1;
    h := encode(sha256(body), 'hex');
    INSERT INTO policies (version, hash, body, adopted_at, adopted_by, change_id)
        VALUES (v, h, body, hp_now(), session_user, p_change);
    INSERT INTO change_events (change_id, revision, kind, principal, reason, created_at)
        VALUES (p_change, p_revision, 'applied', session_user, format('adopted as policy version %s', v), hp_now());
    UPDATE changes SET status = 'applied', updated_at = hp_now() WHERE id = p_change;
    PERFORM hp_append_audit('policy.adopt', p_change, p_revision, p_content_hash, 'ok', '', '', 'approved', 'applied',
        jsonb_build_object('version', v, 'hash', h, 'previous_hash', prev.hash, 'reassessed', 0), p_host, p_app);
    RETURN v;
END;
$$;

-- One decision under the stored requirement (same signature and result as
-- schema 3; p_required / p_lead_required still only raise, p_uncounted can
-- only stop a decision counting). Approvals: a contributor's never counts; a
-- policy change counts leads only; one that would count needs a confirmed
-- assessment, and under full review the approver's coverage of every
-- required item. withdraw takes back the actor's own standing reject,
-- override (leads, with a reason) clears every standing reject; either
-- reopens a rejected change when no reject stands any more. An approved
-- policy change is adopted at once (hp_adopt_policy).
CREATE OR REPLACE FUNCTION holdpoint.hp_decide(p_change text, p_revision integer, p_action text, p_reason text,
    p_required integer, p_lead_required boolean, p_uncounted text, p_host text, p_app text)
RETURNS TABLE (r_decision bigint, r_counts boolean, r_uncounted text, r_before text, r_after text,
               r_escalated boolean, r_required integer, r_lead_required boolean, r_counted bigint,
               r_lead_present boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = holdpoint, pg_temp AS $$
DECLARE
    me text := session_user;
    c changes%ROWTYPE;
    rev revisions%ROWTYPE;
    v_after text;
    v_id bigint;
    v_roles text[] := hp_roles_of(me);
    v_unc text;
    v_required integer;
    v_lead boolean;
    v_escalated boolean;
    a record;
BEGIN
    IF p_action NOT IN ('approve', 'reject', 'escalate', 'comment', 'withdraw', 'override') THEN
        PERFORM hp_fail('HP002', 'unknown_action', format('unknown decision %s', p_action));
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
    IF p_action IN ('reject', 'escalate', 'override') AND coalesce(p_reason, '') = '' THEN
        PERFORM hp_fail('HP002', 'reason_required', format('%s needs a reason', p_action));
    END IF;
    PERFORM hp_check_decidable(c, me, v_roles, p_action);
    v_unc := hp_uncounted(c, me, v_roles, p_action, p_uncounted);
    IF p_action IN ('approve', 'reject') AND v_unc = '' AND EXISTS (
        SELECT 1 FROM decisions d WHERE d.change_id = c.id AND d.revision = c.latest_revision
           AND d.principal = me AND d.counts AND d.action IN ('approve', 'reject')) THEN
        PERFORM hp_fail('HP008', 'already_decided', format('%s already decided revision %s of change %s', me, c.latest_revision, c.id));
    END IF;
    SELECT * INTO rev FROM revisions WHERE change_id = c.id AND number = c.latest_revision;
    INSERT INTO decisions (change_id, revision, principal, roles, action, reason, created_at, counts, uncounted)
        VALUES (c.id, c.latest_revision, me, array_to_string(v_roles, ','), p_action,
                coalesce(p_reason, ''), hp_now(), v_unc = '', v_unc)
        RETURNING id INTO v_id;
    -- One row update: the raised requirement, the verdict, the time approved.
    v_required := greatest(c.required_approvals, coalesce(p_required, 1));
    v_lead := c.lead_required OR coalesce(p_lead_required, false);
    v_escalated := c.escalated OR p_action = 'escalate';
    SELECT * INTO a FROM hp_approvers(c.id, c.latest_revision);
    v_after := CASE WHEN c.status = 'pending' OR (c.status = 'rejected' AND p_action IN ('withdraw', 'override'))
                    THEN hp_verdict_from(c.id, v_required, v_lead OR v_escalated, a.r_counted, a.r_lead)
                    ELSE c.status END;
    UPDATE changes SET required_approvals = v_required, lead_required = v_lead, escalated = v_escalated,
        status = v_after, updated_at = hp_now(),
        approved_at = CASE WHEN v_after = 'approved' AND c.status <> 'approved' THEN hp_now() ELSE approved_at END
     WHERE id = c.id;
    PERFORM hp_append_audit('decision.' || p_action, c.id, c.latest_revision, rev.content_hash, 'ok', '',
        coalesce(p_reason, ''), c.status, v_after,
        jsonb_build_object('decision_id', v_id, 'counts', v_unc = '', 'uncounted', v_unc,
                           'escalated', v_escalated), p_host, p_app);
    IF c.kind = 'policy' AND c.status = 'pending' AND v_after = 'approved' THEN
        PERFORM hp_adopt_policy(c.id, c.latest_revision, rev.content_hash, p_host, p_app);
    END IF;
    IF c.status = 'rejected' AND v_after <> 'rejected' THEN
        INSERT INTO change_events (change_id, revision, kind, principal, reason, created_at)
            VALUES (c.id, c.latest_revision, 'reopened', me, coalesce(p_reason, ''), hp_now());
        PERFORM hp_append_audit('change.reopen', c.id, c.latest_revision, rev.content_hash, 'ok', '',
            coalesce(p_reason, ''), 'rejected', v_after, jsonb_build_object('decision_id', v_id), p_host, p_app);
    END IF;
    PERFORM pg_notify('holdpoint', 'change:' || c.id);
    RETURN QUERY SELECT v_id, v_unc = '', v_unc, c.status, v_after, v_escalated, v_required,
        v_lead OR v_escalated, a.r_counted::bigint, a.r_lead;
END;
$$;

-- One timer event a client noticed (DESIGN §5), written once: the server
-- checks the time against hp_now() and the stored seconds itself and returns
-- false when the timer is not due or was written already.
CREATE FUNCTION holdpoint.hp_tick(p_change text, p_kind text, p_host text, p_app text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = holdpoint, pg_temp AS $$
DECLARE
    c changes%ROWTYPE;
    rev revisions%ROWTYPE;
    due timestamptz;
    now_ts timestamptz := clock_timestamp();
    v_after text;
    v_escalate boolean := false;
    v_action text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM principals WHERE login = session_user) THEN
        PERFORM hp_fail('HP008', 'missing_role', format('%s is not a Holdpoint principal', session_user));
    END IF;
    SELECT * INTO c FROM changes WHERE id = p_change FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM hp_fail('HP006', 'unknown_change', format('no change %s', p_change));
    END IF;
    SELECT * INTO rev FROM revisions WHERE change_id = c.id AND number = c.latest_revision;
    IF p_kind = 'expiry' AND c.status = 'pending' THEN
        due := hp_time(c.created_at) + make_interval(secs => c.expiry_seconds);
        v_after := 'expired';
        v_action := 'change.expire';
    ELSIF p_kind = 'approval_lapse' AND c.status = 'approved' AND c.approved_at IS NOT NULL THEN
        due := hp_time(c.approved_at) + make_interval(secs => c.approval_ttl_seconds);
        v_after := 'expired';
        v_action := 'change.approval_lapse';
    ELSIF p_kind = 'sla_breach' AND c.status = 'pending' AND c.sla_seconds > 0 THEN
        due := hp_time(rev.created_at) + make_interval(secs => c.sla_seconds);
        v_after := 'pending';
        v_escalate := c.sla_escalates AND NOT c.escalated;
        v_action := 'change.sla_breach';
    ELSE
        RETURN false;
    END IF;
    IF now_ts < due THEN
        RETURN false;
    END IF;
    INSERT INTO timer_events (change_id, kind, revision, due_at, escalated, created_at)
        VALUES (c.id, p_kind, c.latest_revision,
                to_char(due AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), v_escalate, hp_now())
        ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    IF v_after = 'expired' THEN
        INSERT INTO change_events (change_id, revision, kind, principal, reason, created_at)
            VALUES (c.id, c.latest_revision, 'expired', 'system', p_kind, hp_now());
        UPDATE changes SET status = 'expired', updated_at = hp_now() WHERE id = c.id;
    ELSIF v_escalate THEN
        UPDATE changes SET escalated = true, updated_at = hp_now() WHERE id = c.id;
    END IF;
    PERFORM hp_append_system_audit(v_action, c.id, c.latest_revision, rev.content_hash, p_kind, c.status, v_after,
        jsonb_build_object('due_at', to_char(due AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                           'escalated', v_escalate, 'noticed_by', session_user), p_host, p_app);
    PERFORM pg_notify('holdpoint', 'change:' || c.id);
    RETURN true;
END;
$$;

-- `check --consume`: an approval is used once (DESIGN §8). A second attempt
-- is refused with reason `consumed` (the client audits the refusal).
CREATE FUNCTION holdpoint.hp_consume(p_change text, p_revision integer, p_detail text, p_host text, p_app text)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = holdpoint, pg_temp AS $$
DECLARE
    c changes%ROWTYPE;
    hash bytea;
    used record;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM principals WHERE login = session_user) THEN
        PERFORM hp_fail('HP008', 'missing_role', format('%s is not a Holdpoint principal', session_user));
    END IF;
    SELECT * INTO c FROM changes WHERE id = p_change FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM hp_fail('HP006', 'unknown_change', format('no change %s', p_change));
    END IF;
    SELECT principal, created_at INTO used FROM change_events
     WHERE change_id = c.id AND revision = p_revision AND kind = 'consumed';
    IF FOUND THEN
        PERFORM hp_fail('HP008', 'consumed', format('the approval of change %s revision %s was already consumed by %s at %s: an approval is used once', c.id, p_revision, used.principal, used.created_at));
    END IF;
    IF c.status <> 'approved' OR c.latest_revision <> p_revision
       OR (c.approved_at IS NOT NULL AND clock_timestamp() >= hp_time(c.approved_at) + make_interval(secs => c.approval_ttl_seconds)) THEN
        PERFORM hp_fail('HP008', 'not_approved', format('change %s revision %s is not approved (%s): nothing to consume', c.id, p_revision,
            CASE WHEN c.status = 'approved' AND c.latest_revision = p_revision THEN 'expired' ELSE c.status END));
    END IF;
    SELECT content_hash INTO hash FROM revisions WHERE change_id = c.id AND number = p_revision;
    INSERT INTO change_events (change_id, revision, kind, principal, reason, created_at)
        VALUES (c.id, p_revision, 'consumed', session_user, coalesce(p_detail, ''), hp_now());
    INSERT INTO checks (change_id, revision, principal, passed, reason_code, detail, created_at)
        VALUES (c.id, p_revision, session_user, true, 'ok', coalesce(p_detail, ''), hp_now());
    PERFORM hp_append_audit('check', c.id, p_revision, hash, 'ok', 'ok', coalesce(p_detail, ''), '', '',
        jsonb_build_object('passed', true, 'consumed', true), p_host, p_app);
    PERFORM pg_notify('holdpoint', 'change:' || c.id);
    RETURN c.status;
END;
$$;

REVOKE ALL ON holdpoint.policies, holdpoint.timer_events, holdpoint.coverage_required FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA holdpoint FROM PUBLIC;
GRANT SELECT ON holdpoint.policies, holdpoint.timer_events, holdpoint.coverage_required
    TO holdpoint_agent, holdpoint_reviewer, holdpoint_lead, holdpoint_auditor, holdpoint_admin;
GRANT EXECUTE ON FUNCTION holdpoint.hp_submit(text, text, text, text, text, text, text, text, text, text, text,
    text, text, bytea, text[], text[], integer[], bytea[], bytea, integer, text, text, integer, text, text,
    text, integer, boolean, boolean, text[], bigint, bigint, bigint, boolean, integer, text[], text, text)
    TO holdpoint_agent;
GRANT EXECUTE ON FUNCTION holdpoint.hp_reassess(text, integer, bytea, integer, text, text, integer, text,
    text, text, integer, boolean, boolean, text[], bigint, text[], text, text, text)
    TO holdpoint_reviewer, holdpoint_lead, holdpoint_auditor;
GRANT EXECUTE ON FUNCTION holdpoint.hp_decide(text, integer, text, text, integer, boolean, text, text, text)
    TO holdpoint_reviewer;
GRANT EXECUTE ON FUNCTION holdpoint.hp_tick(text, text, text, text), holdpoint.hp_consume(text, integer, text, text, text)
    TO holdpoint_agent, holdpoint_reviewer, holdpoint_lead, holdpoint_auditor, holdpoint_admin;
