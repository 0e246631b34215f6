-- Schema 2 of the team store: the roles, the only write paths (SECURITY
-- DEFINER functions) and the privileges. Errors use SQLSTATE class HP:
-- HP002 invalid input, HP006 not found, HP007 mismatch, HP008 denied,
-- HP009 store problem; the HINT is the reason code. Refusals raise (so
-- nothing is written); the client then records the denied attempt with
-- hp_record_denied in a transaction of its own.
--
-- What SQL enforces itself, whatever the client: the actor (session_user),
-- the role needed for each action, no self-grants, contributors never count,
-- one counted approve/reject per human and revision, decisions only on the
-- latest revision of a pending change, at least one approval (more when any
-- client's policy asked for more: the requirement only rises), a counted
-- reject rejects, exactly one terminal transition per revision (the change
-- row is locked), the audit chain (seq, time, principal, roles and hash made
-- here). What stays in C++: the risk assessment and the policy rule that
-- picks the number of approvals and full review.

DO $$
DECLARE r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['holdpoint_agent', 'holdpoint_reviewer', 'holdpoint_lead',
                             'holdpoint_auditor', 'holdpoint_admin'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
END;
$$;
GRANT holdpoint_reviewer TO holdpoint_lead;

CREATE FUNCTION holdpoint.hp_now() RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
$$;

-- RFC 8785 text of a jsonb holding integers only (keys are ASCII, so byte
-- order is the UTF-16 order the RFC asks for; to_json escapes as the RFC).
CREATE FUNCTION holdpoint.hp_canonical(j jsonb) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    out text;
BEGIN
    CASE jsonb_typeof(j)
    WHEN 'object' THEN
        SELECT '{' || coalesce(string_agg(to_json(key)::text || ':' || holdpoint.hp_canonical(value),
                                          ',' ORDER BY key COLLATE "C"), '') || '}'
          INTO out FROM jsonb_each(j);
    WHEN 'array' THEN
        SELECT '[' || coalesce(string_agg(holdpoint.hp_canonical(e), ',' ORDER BY n), '') || ']'
          INTO out FROM jsonb_array_elements(j) WITH ORDINALITY AS a(e, n);
    WHEN 'string' THEN
        out := to_json(j #>> '{}')::text;
    ELSE
        out := j::text;
    END CASE;
    RETURN out;
END;
$$;

CREATE FUNCTION holdpoint.hp_roles_of(p_login text) RETURNS text[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(role ORDER BY role), '{}'::text[]) FROM holdpoint.roles WHERE login = p_login;
$$;

-- Lead includes reviewer, as RoleSet::has does.
CREATE FUNCTION holdpoint.hp_has_role(p_login text, p_role text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM holdpoint.roles WHERE login = p_login
                   AND (role = p_role OR (p_role = 'reviewer' AND role = 'lead')));
$$;

CREATE FUNCTION holdpoint.hp_fail(p_state text, p_reason text, p_message text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = p_state, MESSAGE = p_message, HINT = p_reason;
END;
$$;

-- Appends one entry under the lock of the audit_head row: seq = head + 1,
-- hash = SHA-256(prev || entry). The principal is session_user.
CREATE FUNCTION holdpoint.hp_append_audit(p_action text, p_change text, p_revision integer,
    p_content_hash bytea, p_outcome text, p_reason_code text, p_reason text, p_before text,
    p_after text, p_payload jsonb, p_host text, p_app text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = holdpoint, pg_temp AS $$
DECLARE
    head record;
    me text := session_user;
    kind text;
    e bytea;
    h bytea;
BEGIN
    SELECT seq, hash INTO head FROM audit_head WHERE id = 1 FOR UPDATE;
    SELECT p.kind INTO kind FROM principals p WHERE p.login = me;
    e := convert_to(hp_canonical(jsonb_build_object(
        'seq', head.seq + 1, 'time', hp_now(), 'principal', me,
        'principal_kind', coalesce(kind, 'human'), 'roles', to_jsonb(hp_roles_of(me)),
        'host', coalesce(p_host, ''), 'app_version', coalesce(p_app, ''), 'action', p_action,
        'change', coalesce(p_change, ''), 'revision', coalesce(p_revision, 0),
        'content_hash', coalesce(encode(p_content_hash, 'hex'), ''), 'policy_hash', '',
        'outcome', p_outcome, 'reason_code', coalesce(p_reason_code, ''),
        'reason', coalesce(p_reason, ''), 'status_before', coalesce(p_before, ''),
        'status_after', coalesce(p_after, ''), 'payload', coalesce(p_payload, '{}'::jsonb))), 'UTF8');
    h := sha256(head.hash || e);
    INSERT INTO audit_log (seq, prev_hash, hash, entry) VALUES (head.seq + 1, head.hash, h, e);
    UPDATE audit_head SET seq = head.seq + 1, hash = h WHERE id = 1;
    PERFORM pg_notify('holdpoint', 'audit');
    RETURN head.seq + 1;
END;
$$;

CREATE FUNCTION holdpoint.hp_require_admin(p_what text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT holdpoint.hp_has_role(session_user, 'admin') THEN
        PERFORM holdpoint.hp_fail('HP008', 'missing_role', format('only admins can %s', p_what));
    END IF;
END;
$$;

CREATE FUNCTION holdpoint.hp_ensure_login(p_login text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF p_login !~ '^[a-z_][a-z0-9_.-]{0,62}$' THEN
        PERFORM holdpoint.hp_fail('HP002', 'invalid_login', format('"%s" is not a valid login name', p_login));
    END IF;
    IF p_login LIKE 'holdpoint\_%' OR p_login LIKE 'pg\_%' THEN
        PERFORM holdpoint.hp_fail('HP002', 'reserved_login', format('"%s" is a reserved role name', p_login));
    END IF;
    -- An existing role may become a principal only if it could not bypass
    -- the rules anyway (the start-up check would refuse it too).
    IF EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = p_login
               AND (r.rolsuper OR r.rolbypassrls OR r.rolcreaterole OR r.oid = (
                    SELECT datdba FROM pg_database WHERE datname = current_database()))) THEN
        PERFORM holdpoint.hp_fail('HP008', 'privileged_login', format('%s is a privileged database role and cannot be a Holdpoint principal', p_login));
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_login) THEN
        EXECUTE format('CREATE ROLE %I LOGIN', p_login);
    END IF;
END;
$$;

-- The first admin, by the owner at `db init` (not granted to anyone).
CREATE FUNCTION holdpoint.hp_bootstrap(p_admin text, p_host text, p_app text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = holdpoint, pg_temp AS $$
BEGIN
    PERFORM hp_ensure_login(p_admin);
    INSERT INTO principals (login, kind, created_at) VALUES (p_admin, 'human', hp_now());
    INSERT INTO roles (login, role, granted_by, granted_at) VALUES (p_admin, 'admin', session_user, hp_now());
    EXECUTE format('GRANT holdpoint_admin TO %I', p_admin);
    PERFORM hp_append_audit('user.add', '', 0, NULL, 'ok', '', '', '', '',
        jsonb_build_object('login', p_admin, 'roles', jsonb_build_array('admin')), p_host, p_app);
END;
$$;

CREATE FUNCTION holdpoint.hp_grant_role(p_login text, p_role text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO holdpoint.roles (login, role, granted_by, granted_at)
        VALUES (p_login, p_role, session_user, holdpoint.hp_now());
    EXECUTE format('GRANT %I TO %I', 'holdpoint_' || p_role, p_login);
END;
$$;

CREATE FUNCTION holdpoint.hp_add_user(p_login text, p_roles text[], p_host text, p_app text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = holdpoint, pg_temp AS $$
DECLARE
    r text;
BEGIN
    PERFORM hp_require_admin('add users');
    IF p_login = session_user THEN
        PERFORM hp_fail('HP008', 'self_grant', 'nobody adds or grants roles to themselves');
    END IF;
    IF EXISTS (SELECT 1 FROM principals WHERE login = p_login) THEN
        PERFORM hp_fail('HP002', 'exists', format('%s is already known; use `holdpointctl users grant` to add roles', p_login));
    END IF;
    IF 'admin' = ANY (p_roles) AND cardinality(p_roles) > 1 THEN
        PERFORM hp_fail('HP002', 'admin_exclusive', 'the admin role is exclusive: an admin decides nothing');
    END IF;
    PERFORM hp_ensure_login(p_login);
    INSERT INTO principals (login, kind, created_at) VALUES (p_login, 'human', hp_now());
    FOREACH r IN ARRAY coalesce(p_roles, '{}'::text[]) LOOP
        PERFORM hp_grant_role(p_login, r);
    END LOOP;
    PERFORM hp_append_audit('user.add', '', 0, NULL, 'ok', '', '', '', '',
        jsonb_build_object('login', p_login, 'roles', to_jsonb(hp_roles_of(p_login))), p_host, p_app);
END;
$$;

CREATE FUNCTION holdpoint.hp_grant(p_login text, p_role text, p_host text, p_app text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = holdpoint, pg_temp AS $$
BEGIN
    PERFORM hp_require_admin('grant roles');
    IF p_login = session_user THEN
        PERFORM hp_fail('HP008', 'self_grant', 'nobody grants roles to themselves');
    END IF;
    IF NOT EXISTS (SELECT 1 FROM principals WHERE login = p_login AND kind = 'human') THEN
        PERFORM hp_fail('HP006', 'unknown_user', format('no user %s; add it with `holdpointctl users add %s`', p_login, p_login));
    END IF;
    IF EXISTS (SELECT 1 FROM roles WHERE login = p_login AND role = p_role) THEN
        PERFORM hp_fail('HP002', 'already_granted', format('%s already holds the role %s', p_login, p_role));
    END IF;
    IF (p_role = 'admin' AND EXISTS (SELECT 1 FROM roles WHERE login = p_login))
       OR (p_role <> 'admin' AND hp_has_role(p_login, 'admin')) THEN
        PERFORM hp_fail('HP002', 'admin_exclusive', 'the admin role is exclusive: an admin decides nothing');
    END IF;
    PERFORM hp_grant_role(p_login, p_role);
    PERFORM hp_append_audit('role.grant', '', 0, NULL, 'ok', '', '', '', '',
        jsonb_build_object('login', p_login, 'role', p_role), p_host, p_app);
END;
$$;

CREATE FUNCTION holdpoint.hp_revoke(p_login text, p_role text, p_host text, p_app text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = holdpoint, pg_temp AS $$
BEGIN
    PERFORM hp_require_admin('revoke roles');
    IF p_login = session_user THEN
        PERFORM hp_fail('HP008', 'self_revoke', 'an admin does not change their own roles; ask another admin');
    END IF;
    IF NOT EXISTS (SELECT 1 FROM roles WHERE login = p_login AND role = p_role) THEN
        PERFORM hp_fail('HP006', 'not_granted', format('%s does not hold the role %s', p_login, p_role));
    END IF;
    DELETE FROM roles WHERE login = p_login AND role = p_role;
    EXECUTE format('REVOKE %I FROM %I', 'holdpoint_' || p_role, p_login);
    PERFORM hp_append_audit('role.revoke', '', 0, NULL, 'ok', '', '', '', '',
        jsonb_build_object('login', p_login, 'role', p_role), p_host, p_app);
END;
$$;

CREATE FUNCTION holdpoint.hp_add_agent(p_login text, p_operator text, p_host text, p_app text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = holdpoint, pg_temp AS $$
BEGIN
    PERFORM hp_require_admin('register agents');
    IF p_login = p_operator THEN
        PERFORM hp_fail('HP002', 'operator_self', 'an agent cannot be its own operator');
    END IF;
    IF NOT EXISTS (SELECT 1 FROM principals WHERE login = p_operator AND kind = 'human') THEN
        PERFORM hp_fail('HP006', 'unknown_operator', format('the operator %s is not a known user; add it first with `holdpointctl users add %s`', p_operator, p_operator));
    END IF;
    IF EXISTS (SELECT 1 FROM principals WHERE login = p_login) THEN
        PERFORM hp_fail('HP002', 'exists', format('%s is already known', p_login));
    END IF;
    PERFORM hp_ensure_login(p_login);
    INSERT INTO principals (login, kind, created_at) VALUES (p_login, 'agent', hp_now());
    INSERT INTO agents (login, operator, registered_by, registered_at)
        VALUES (p_login, p_operator, session_user, hp_now());
    EXECUTE format('GRANT holdpoint_agent TO %I', p_login);
    PERFORM hp_append_audit('agent.add', '', 0, NULL, 'ok', '', '', '', '',
        jsonb_build_object('login', p_login, 'operator', p_operator), p_host, p_app);
END;
$$;

CREATE FUNCTION holdpoint.hp_remove_agent(p_login text, p_host text, p_app text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = holdpoint, pg_temp AS $$
DECLARE
    op text;
BEGIN
    PERFORM hp_require_admin('remove agents');
    SELECT operator INTO op FROM agents WHERE login = p_login;
    IF NOT FOUND THEN
        PERFORM hp_fail('HP006', 'unknown_agent', format('%s is not a registered agent', p_login));
    END IF;
    DELETE FROM agents WHERE login = p_login;
    DELETE FROM principals WHERE login = p_login;
    EXECUTE format('REVOKE holdpoint_agent FROM %I', p_login);
    PERFORM hp_append_audit('agent.remove', '', 0, NULL, 'ok', '', '', '', '',
        jsonb_build_object('login', p_login, 'operator', op), p_host, p_app);
END;
$$;
