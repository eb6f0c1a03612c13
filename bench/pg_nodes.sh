#!/usr/bin/env bash
# The ticket workload of bench/tickets.sh on two nodes sharing one PostgreSQL, side by side with
# one node on SQLite, in one run (issue 7):
#   bench/pg_nodes.sh [TICKETS]       (default 100000; the SQLite data set is kept in bench/out/)
#   BENCH_SOURCE=/path/to/data-dir    use that SQLite data set instead (read only: it is copied)
#   BENCH_PG_DATABASE=postgresql://…  an empty-of-traffic database already loaded from that data
#                                     set by migrate-data (skips the load; the create run adds to it)
#   BENCH_PG_WRITERS=N                writer connections per node (default 1: see below)
# Starts a throwaway PostgreSQL 15 in a temporary directory (127.0.0.1, a free port), loads it
# from the SQLite data set with `gongdan migrate-data` (timed), then runs the same wrk scripts
# against both set-ups. wrk's threads are spread over the nodes (bench/lua/nodes.lua); the same
# thread and connection counts are used for both engines. Prints a Markdown table; the load
# average (of this shared machine) is printed beside each figure.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
TICKETS="${1:-100000}"
CUSTOMERS=50000
BIN="$PWD/build/release/gongdan"
DATA="${BENCH_SOURCE:-$PWD/bench/out/tickets-$TICKETS}"
DURATION="${BENCH_SECONDS:-15}"
if [[ ! -f "$DATA/.complete" ]]; then
  [[ -n "${BENCH_SOURCE:-}" ]] && { echo "no complete data set in $DATA" >&2; exit 1; }
  rm -rf "$DATA"
  mkdir -p "$(dirname "$DATA")"
  echo "generating $TICKETS tickets (once; reused afterwards)…" >&2
  "$BIN" bench-data --data "$DATA" --tickets "$TICKETS" --customers "$CUSTOMERS" >&2
  echo "bench-password-1" | "$BIN" user create --data "$DATA" --role admin \
    --email bench-admin@bench.example --password-stdin >/dev/null
  touch "$DATA/.complete"
fi
# A cached data set may predate the newest migrations (migrate-data wants the current schema).
[[ -n "${BENCH_SOURCE:-}" ]] || "$BIN" migrate --data "$DATA" >/dev/null
WORK="$(mktemp -d)"
chmod 755 "$WORK"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  stop_postgres "$WORK/pg"
  rm -rf "$WORK"
}
trap cleanup EXIT

load() { cut -d' ' -f1 /proc/loadavg; }
rps() { grep -E "^Requests/sec" | awk '{print $2}'; }
p99() { grep -E "^ +99%" | awk '{print $2}'; }
errors() { grep -E "Non-2xx|Socket errors" | sed "s/^ */$1: /" || true; }  # $1: which run

# start_node DIR [ARGS…]: a node on a free port; sets NODE to its host:port. (Not called in
# $(…): the pid must land in this shell's PIDS so the node is stopped.)
start_node() {
  local dir="$1" log
  shift
  log="$dir/out-$RANDOM"
  "$BIN" serve --data "$dir" --listen 127.0.0.1:0 --log-level warn "$@" >"$log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 300); do grep -q "listening on" "$log" 2>/dev/null && break; sleep 0.1; done
  NODE="$(grep -o 'http://[0-9.:]*' "$log" | head -1 | sed 's,http://,,')"
}

# Waits (up to 30 s) until the servers and PostgreSQL are idle: wrk abandons the requests in
# flight when it stops, and a slow one (a search) would otherwise run on into the next
# measurement.
busy_ticks() {
  local total=0 p
  for p in $(pgrep -f "gongdan serve|postgres:" || true); do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
settle() {
  local before after
  for _ in $(seq 60); do
    before=$(busy_ticks); sleep 0.5; after=$(busy_ticks)
    ((after - before < 5)) && return
  done
}

# run_set NAME NODES TOKEN: the four wrk runs; fills the NAME_* variables.
run_set() {
  local name="$1" nodes="$2" token="$3" first="${2%%,*}" out
  local -a common=(-H "Authorization: Bearer $token" -s bench/lua/nodes.lua "http://$first")
  export NODES="$nodes"
  BENCH_SCRIPT=bench/lua/get_ticket.lua wrk -t2 -c32 -d3s "${common[@]}" >/dev/null  # warm up
  settle
  printf -v "${name}_get_load" '%s' "$(load)"
  out="$(BENCH_SCRIPT=bench/lua/get_ticket.lua wrk -t2 -c32 -d"${DURATION}s" "${common[@]}")"
  errors "$name get" <<<"$out" >&2
  printf -v "${name}_get" '%s' "$(rps <<<"$out")"
  settle
  printf -v "${name}_list_load" '%s' "$(load)"
  out="$(BENCH_SCRIPT=bench/lua/department_list.lua wrk -t2 -c4 -d"${DURATION}s" --latency \
    "${common[@]}")"
  errors "$name list" <<<"$out" >&2
  printf -v "${name}_list" '%s' "$(p99 <<<"$out")"
  settle
  printf -v "${name}_search_load" '%s' "$(load)"
  out="$(BENCH_SCRIPT=bench/lua/search.lua wrk -t2 -c4 -d"${DURATION}s" --latency \
    "${common[@]}")"
  errors "$name search" <<<"$out" >&2
  printf -v "${name}_search" '%s' "$(p99 <<<"$out")"
  settle
  printf -v "${name}_create_load" '%s' "$(load)"
  out="$(BENCH_SCRIPT=bench/lua/create_ticket.lua wrk -t2 -c32 -d"${DURATION}s" "${common[@]}")"
  errors "$name create" <<<"$out" >&2
  printf -v "${name}_create" '%s' "$(rps <<<"$out")"
}

export TICKETS CUSTOMERS DEPARTMENTS=20

# PostgreSQL: a throwaway cluster loaded from the SQLite data set.
mkdir -p "$WORK/pgdata"
if [[ -n "${BENCH_PG_DATABASE:-}" ]]; then
  DB="$BENCH_PG_DATABASE"
  migrate_s="(skipped: BENCH_PG_DATABASE)"
  migrate_load="-"
else
  PGURL="$(start_postgres "$WORK/pg" "$(free_port)")"
  psql -q "$PGURL/postgres" -c "CREATE DATABASE bench" >/dev/null
  DB="$PGURL/bench"
  start=$(date +%s.%N)
  "$BIN" migrate-data --from "sqlite:$DATA" --to "$DB" >"$WORK/migrate.log" 2>&1 ||
    { cat "$WORK/migrate.log" >&2; exit 1; }
  migrate_s="$(echo "$(date +%s.%N) - $start" | bc) s"
  migrate_load="$(load)"
fi
psql -q "$DB" -c "VACUUM ANALYZE" >/dev/null
# The load and the VACUUM leave gigabytes of dirty pages behind: write them out now, so their
# flushing does not land in the middle of the measured runs (it used to, in the list run: p99
# swung between 8 and 71 ms from one run to the next).
psql -q "$DB" -c "CHECKPOINT" >/dev/null 2>&1 || echo "CHECKPOINT refused (not a superuser)" >&2
sync
pg_tickets="$(psql -Atq "$DB" -c "SELECT count(*) FROM tickets")"
PG_TOKEN="$("$BIN" token create --data "$WORK/pgdata" --database "$DB" \
  --user bench-admin@bench.example)"
# One writer connection per node: PostgreSQL shares this machine's two cores with both nodes
# and wrk, so a second writer's overlapping round trips find no idle CPU, while its smaller
# batches cost more per ticket (database_writers in docs/scaling.md; RESULTS.md has both).
export GONGDAN_DATABASE_WRITERS="${BENCH_PG_WRITERS:-1}"
start_node "$WORK/pgdata" --database "$DB"
a="$NODE"
start_node "$WORK/pgdata" --database "$DB"
b="$NODE"
unset GONGDAN_DATABASE_WRITERS
run_set pg "$a,$b" "$PG_TOKEN"
for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
wait 2>/dev/null || true
PIDS=()

# SQLite: one node on a copy of the data set (the create run adds tickets).
mkdir -p "$WORK/sqlite"
cp "$DATA/gongdan.db" "$DATA/mail.key" "$WORK/sqlite/"
sync  # the copy's dirty pages, as above
SQ_TOKEN="$("$BIN" token create --data "$WORK/sqlite" --user bench-admin@bench.example)"
start_node "$WORK/sqlite"
run_set sq "$NODE" "$SQ_TOKEN"
for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
wait 2>/dev/null || true
PIDS=()

ratio() { echo "scale=2; $1 / $2" | bc; }
ms() {  # wrk prints 5.28ms / 1.02s / 900.00us
  case "$1" in
    *us) echo "scale=3; ${1%us} / 1000" | bc ;;
    *ms) echo "${1%ms}" ;;
    *s) echo "scale=3; ${1%s} * 1000" | bc ;;
  esac
}
cat <<TABLE
migrate-data of $TICKETS tickets into PostgreSQL: $migrate_s (load $migrate_load); ${BENCH_PG_WRITERS:-1} writer connection(s) per node
Tickets at the start: SQLite $TICKETS, PostgreSQL $pg_tickets (a reused database keeps earlier runs' creates).

| $TICKETS tickets | SQLite, 1 node | PostgreSQL, 2 nodes | PG / SQLite | target |
|---|---|---|---|---|
| create tickets, 32 clients, durable | $sq_create /s (load $sq_create_load) | $pg_create /s (load $pg_create_load) | $(ratio "$pg_create" "$sq_create") | ≥ 0.5 |
| GET /api/v1/tickets/{number}, 32 clients | $sq_get /s (load $sq_get_load) | $pg_get /s (load $pg_get_load) | $(ratio "$pg_get" "$sq_get") | ≥ 0.5 |
| department open list, 50/page, p99 | $sq_list (load $sq_list_load) | $pg_list (load $pg_list_load) | $(ratio "$(ms "$pg_list")" "$(ms "$sq_list")") | PG < 20 ms |
| full-text search (zh + en), p99 | $sq_search (load $sq_search_load) | $pg_search (load $pg_search_load) | $(ratio "$(ms "$pg_search")" "$(ms "$sq_search")") | PG < 100 ms |
TABLE
