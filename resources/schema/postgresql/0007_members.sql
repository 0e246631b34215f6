-- Schema 7 of the team store: every principal may reach the store. A human
-- known to Holdpoint but holding no role (typically an operator who only
-- runs agents and executes approved changes) had no holdpoint group role, so
-- PostgreSQL gave it no USAGE on the schema: it could not read the queue,
-- run `check`, report an outcome, or even have its refused attempts
-- audited. holdpoint_member, granted to every principal's login, gives what
-- any principal has in a local store: reading everything but artifact bytes,
-- and calling the functions that check for themselves who may act (each
-- refuses with the reason; the refusal is audited). hp_decide stays with the
-- reviewer roles: anyone else gets permission denied (exit 8), which the
-- client records with hp_record_denied.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'holdpoint_member') THEN
        CREATE ROLE holdpoint_member NOLOGIN;
    END IF;
END;
$$;

CREATE OR REPLACE FUNCTION holdpoint.hp_ensure_login(p_login text) RETURNS void
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
    EXECUTE format('GRANT holdpoint_member TO %I', p_login);
END;
$$;

DO $$
DECLARE
    t text;
    f regprocedure;
    l text;
BEGIN
    EXECUTE 'GRANT USAGE ON SCHEMA holdpoint TO holdpoint_member';
    FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'holdpoint' AND tablename <> 'artifact_parts' LOOP
        EXECUTE format('GRANT SELECT ON holdpoint.%I TO holdpoint_member', t);
    END LOOP;
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = 'holdpoint' AND p.proname IN ('hp_record_check', 'hp_record_denied',
                   'hp_tick', 'hp_consume', 'hp_report', 'hp_record_view', 'hp_record_coverage',
                   'hp_import_topology', 'hp_record_audit_export', 'hp_record_evidence_report') LOOP
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO holdpoint_member', f);
    END LOOP;
    FOR l IN SELECT login FROM holdpoint.principals LOOP
        EXECUTE format('GRANT holdpoint_member TO %I', l);
    END LOOP;
END;
$$;
