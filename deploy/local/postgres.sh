#!/usr/bin/env bash
# Ensures a PostgreSQL server for local runs and tests: installs it with apt-get if it is
# missing, then starts a project-owned cluster on 127.0.0.1:${CASEWORK_PG_PORT:-54329}.
# Idempotent: a running cluster is left alone. Prints nothing but progress on stderr.
set -euo pipefail

PORT="${CASEWORK_PG_PORT:-54329}"
DATA="${CASEWORK_PGDATA:-/var/lib/casework/pg-$PORT}"
LOG="$DATA.log"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
say() { echo "postgres: $*" >&2; }

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

if [ -z "$(pg_bin)" ] || [ ! -x "$(pg_bin)/initdb" ]; then
  say "installing PostgreSQL with apt-get"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
BIN="$(pg_bin)"
run_pg() { as_root runuser -u postgres -- "$@"; }

if ! id postgres >/dev/null 2>&1; then
  say "the postgres system user is missing; reinstall the postgresql package"; exit 1
fi

if ! as_root test -s "$DATA/PG_VERSION"; then
  say "creating cluster in $DATA"
  as_root mkdir -p "$DATA"
  as_root chown postgres:postgres "$DATA" "$(dirname "$DATA")"
  # Trust on loopback only: a developer's machine. Production uses scram (see docker-compose.yml).
  run_pg "$BIN/initdb" -D "$DATA" -U postgres --auth-local=trust --auth-host=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  cat <<CONF | as_root tee -a "$DATA/postgresql.conf" >/dev/null
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '/tmp'
max_connections = 300
shared_buffers = 256MB
timezone = 'UTC'
# Per-statement timings for make bench and for finding slow queries.
shared_preload_libraries = 'pg_stat_statements'
CONF
fi

# make bench times each event from its transaction's commit, which the server records only
# with track_commit_timestamp (a few bytes a commit). Added to clusters made before it too;
# a running server takes it at its next restart, and the script says so.
if ! as_root grep -qs '^track_commit_timestamp' "$DATA/postgresql.conf"; then
  echo "track_commit_timestamp = on" | as_root tee -a "$DATA/postgresql.conf" >/dev/null
fi

# Shared memory on 2 MB huge pages: on 4 kB pages every backend takes a page fault on each
# page of shared buffers and WAL buffers it first touches, measured at a quarter of the
# backends' CPU under make bench (docs/bench.md). Best effort: the server's default
# huge_pages=try falls back to 4 kB pages where the kernel has none to give.
# The reservation is the machine's (vm.nr_hugepages) and stays until reboot or until
# lowered; the script says what it reserved.
unclaimed_huge_pages() { awk '/^HugePages_Free:/ {f=$2} /^HugePages_Rsvd:/ {r=$2} END {print f-r}' /proc/meminfo; }
reserve_huge_pages() {
  local need total unclaimed
  need="$(run_pg "$BIN/postgres" -D "$DATA" -C shared_memory_size_in_huge_pages 2>/dev/null)" || return 0
  total="$(awk '/^HugePages_Total:/ {print $2}' /proc/meminfo)"
  unclaimed="$(unclaimed_huge_pages)"
  [[ "$need" =~ ^[0-9]+$ && "$total" =~ ^[0-9]+$ && "$unclaimed" =~ ^-?[0-9]+$ ]] || return 0
  [ "$unclaimed" -lt "$need" ] || return 0
  if as_root sysctl -q -w vm.nr_hugepages="$((total + need - unclaimed))" >/dev/null 2>&1 &&
    [ "$(unclaimed_huge_pages)" -ge "$need" ]; then
    say "reserved $need huge pages for shared memory (vm.nr_hugepages=$((total + need - unclaimed)))"
  else
    say "could not reserve $need huge pages (vm.nr_hugepages); shared memory stays on 4 kB pages"
  fi
}

if run_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  say "already running on 127.0.0.1:$PORT"
else
  reserve_huge_pages
  as_root touch "$LOG"; as_root chown postgres:postgres "$LOG"
  run_pg "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >/dev/null
  say "started on 127.0.0.1:$PORT (log $LOG)"
fi

if [ "$(run_pg "$BIN/psql" -h /tmp -p "$PORT" -U postgres -d postgres -Atc "SHOW track_commit_timestamp")" != on ]; then
  say "track_commit_timestamp is off until the server restarts (runuser -u postgres -- $BIN/pg_ctl -D $DATA -l $LOG -w restart); until then make bench times events from occurred_at only"
fi

# The application role: creates databases (tests make one per test).
run_pg "$BIN/psql" -h /tmp -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -q <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'casework') THEN
    CREATE ROLE casework LOGIN CREATEDB PASSWORD 'casework';
  END IF;
END $$;
SQL
