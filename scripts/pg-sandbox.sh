#!/usr/bin/env bash
# A throwaway team store to try team mode on one machine (not for production:
# trust authentication on a private socket, so any login can be named in the
# URI). `start DIR` runs initdb into DIR/data, starts PostgreSQL 15 listening
# on a Unix socket in DIR only, creates the owner hp_owner and the database
# holdpoint, runs `holdpointctl db init --admin adm`, adds reviewers rev1 and
# rev2, lead lead1, auditor aud1, operator op1 (reviewer) and agent agent1
# operated by op1, and prints the URIs. `stop DIR` stops the server.
# As root the server runs as the login hp-pg (scripts/common.sh creates it).
set -euo pipefail

HP_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CTL=${HOLDPOINTCTL:-$HP_ROOT/build/app/holdpointctl}
PGBIN=/usr/lib/postgresql/15/bin

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
dir=$(realpath -m "$2")

as_server() {
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u hp-pg -- "$@"); else "$@"; fi
}

case $1 in
start)
  [ -e "$dir/data" ] && { echo "$dir/data exists; stop and remove it first" >&2; exit 1; }
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown hp-pg "$dir"
  as_server "$PGBIN/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C >/dev/null
  as_server "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-c listen_addresses='' -c unix_socket_directories='$dir'" start >/dev/null
  as_server "$PGBIN/psql" -X -q -h "$dir" -U postgres postgres \
    -c "CREATE ROLE hp_owner LOGIN CREATEROLE" -c "CREATE DATABASE holdpoint OWNER hp_owner"
  uri() { echo "postgresql://$1@/holdpoint?host=$dir"; }
  "$CTL" --db "$(uri hp_owner)" db init --admin adm
  "$CTL" --db "$(uri adm)" users add rev1 --role reviewer
  "$CTL" --db "$(uri adm)" users add rev2 --role reviewer
  "$CTL" --db "$(uri adm)" users add lead1 --role lead
  "$CTL" --db "$(uri adm)" users add aud1 --role auditor
  "$CTL" --db "$(uri adm)" users add op1 --role reviewer
  "$CTL" --db "$(uri adm)" agents add agent1 --operator op1
  echo
  for who in adm rev1 rev2 lead1 aud1 op1 agent1; do printf '%-7s %s\n' "$who" "$(uri "$who")"; done
  ;;
stop)
  as_server "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop
  ;;
*) usage ;;
esac
