# Reclaim space after the October export backfill; runs in the maintenance window.
psql "service=billing-prod" -v ON_ERROR_STOP=1 -c "SET lock_timeout = '5s'; VACUUM (ANALYZE, VERBOSE) billing.line_items;"
psql "service=billing-prod" -v ON_ERROR_STOP=1 -c "REINDEX INDEX CONCURRENTLY billing.line_items_day_idx;"
psql "service=billing-prod" -c "SELECT pg_size_pretty(pg_total_relation_size('billing.line_items'));"
