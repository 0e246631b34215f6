-- Schema 6 of the team store: topology versions (DESIGN §3 Topology). A lead
-- imports catalog files; the client parses them (the catalog reader refuses
-- what YAML allows but a catalog must not) and sends the merged graph's hash
-- and size with the bytes as imported; the server stores a new version only
-- when the hash differs from the one in force, and audits it. The lead is
-- trusted with the hash: any reader re-parses the stored bytes and refuses a
-- version whose bytes no longer give its hash.
--
-- Lock order: every pending change row first (id order), then a new assessment
-- of each (same transaction, by the importing client), then the audit head.
-- Deciders lock one change row, then the head, so the two never wait on each
-- other in a cycle.
CREATE FUNCTION holdpoint.hp_import_topology(p_hash text, p_nodes integer, p_edges integer,
    p_names text[], p_bytes bytea[], p_host text, p_app text)
RETURNS TABLE (r_version integer, r_unchanged boolean, r_imported_by text, r_imported_at text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = holdpoint, pg_temp AS $$
DECLARE
    me text := session_user;
    cur topologies%ROWTYPE;
    v integer;
    at text := hp_now();
BEGIN
    IF NOT EXISTS (SELECT 1 FROM roles WHERE login = me AND role = 'lead') THEN
        PERFORM hp_fail('HP008', 'missing_role', format('only a lead can import a topology; %s is not one', me));
    END IF;
    IF coalesce(cardinality(p_names), 0) = 0 OR cardinality(p_names) IS DISTINCT FROM cardinality(p_bytes) THEN
        PERFORM hp_fail('HP002', 'no_sources', 'a topology import needs at least one catalog file, each with its bytes');
    END IF;
    IF p_hash !~ '^[0-9a-f]{64}$' OR p_nodes < 0 OR p_edges < 0 THEN
        PERFORM hp_fail('HP002', 'invalid_topology', 'a topology needs a SHA-256 hash (hex) and sizes');
    END IF;
    -- One import at a time; pending changes stay put until it commits.
    PERFORM pg_advisory_xact_lock(hashtext('holdpoint.topology.import'));
    PERFORM 1 FROM changes WHERE status = 'pending' ORDER BY id FOR UPDATE;
    SELECT * INTO cur FROM topologies ORDER BY version DESC LIMIT 1;
    IF FOUND AND cur.hash = p_hash THEN
        RETURN QUERY SELECT cur.version, true, cur.imported_by, cur.imported_at;
        RETURN;
    END IF;
    v := coalesce(cur.version, 0) + 1;
    INSERT INTO topologies (version, hash, imported_by, imported_at, nodes, edges)
        VALUES (v, p_hash, me, at, p_nodes, p_edges);
    FOR i IN 1 .. cardinality(p_names) LOOP
        INSERT INTO topology_sources (version, idx, name, bytes) VALUES (v, i - 1, p_names[i], p_bytes[i]);
    END LOOP;
    PERFORM hp_append_audit('topology.import', '', 0, NULL, 'ok', '', '', '', '',
        jsonb_build_object('version', v, 'hash', p_hash, 'nodes', p_nodes, 'edges', p_edges,
                           'sources', to_jsonb(p_names)), p_host, p_app);
    PERFORM pg_notify('holdpoint', 'topology:' || v);
    RETURN QUERY SELECT v, false, me, at;
END;
$$;

REVOKE ALL ON FUNCTION holdpoint.hp_import_topology(text, integer, integer, text[], bytea[], text, text) FROM PUBLIC;
-- Every application role may call it so a refusal says why (the function
-- checks the lead role itself) and is audited like any other denial.
GRANT EXECUTE ON FUNCTION holdpoint.hp_import_topology(text, integer, integer, text[], bytea[], text, text)
    TO holdpoint_agent, holdpoint_reviewer, holdpoint_lead, holdpoint_auditor, holdpoint_admin;
