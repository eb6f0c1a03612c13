#!/usr/bin/env bash
# The two automation figures of issue 6 against the real server:
#   bench/automation.sh throughput   ticket creation with 50 triggers and an SLA policy active,
#                                    as a ratio to the same server with none (target ≥ 70%)
#   bench/automation.sh idle [DIR]   the scheduler holding deadlines for 1,000,000 open tickets:
#                                    the server's CPU over 60 s while nothing is due (target < 1%)
# Needs build/release/gongdan, wrk, curl, jq, sqlite3. Prints Markdown; see bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="$PWD/build/release/gongdan"
MODE="${1:-throughput}"
DURATION="${BENCH_SECONDS:-10}"
WORK="$(mktemp -d)"
PID=""
trap '[[ -n "$PID" ]] && kill "$PID" 2>/dev/null; rm -rf "$WORK"' EXIT

start_server() {  # $1: data dir
  "$BIN" serve --data "$1" --listen 127.0.0.1:0 --log-level warn >"$WORK/out" 2>&1 &
  PID=$!
  for _ in $(seq 600); do grep -q "listening on" "$WORK/out" 2>/dev/null && break; sleep 0.1; done
  URL="$(grep -o 'http://[0-9.:]*' "$WORK/out" | head -1)"
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # utime + stime, in clock ticks

if [[ "$MODE" == "throughput" ]]; then
  DATA="$WORK/data"
  "$BIN" bench-data --data "$DATA" --tickets 10000 --customers 1000 >/dev/null
  echo "bench-password-1" | "$BIN" user create --data "$DATA" --role admin \
    --email bench-admin@bench.example --password-stdin >/dev/null
  TOKEN="$("$BIN" token create --data "$DATA" --user bench-admin@bench.example)"
  start_server "$DATA"
  AUTH="Authorization: Bearer $TOKEN"
  export CUSTOMERS=1000
  api() { curl -sf -X "$1" -H "$AUTH" -H 'Content-Type: application/json' "$URL$2" -d "$3"; }
  wrk -t2 -c32 -d3s -s bench/lua/create_ticket.lua -H "$AUTH" "$URL" >/dev/null  # warm up
  # 50 triggers of the kinds a desk has: most look at the text or fields and do not fire; a
  # few fire on every new ticket (tag it, note it). Plus an SLA policy every ticket matches.
  ONLY="${BENCH_ONLY:-}"  # triggers or sla: one half alone, to see where the time goes
  if [[ "$ONLY" != "sla" ]]; then
  for i in $(seq 1 40); do
    api POST /api/v1/triggers "{\"name\":\"keyword $i\",\"position\":$i,\"conditions\":{\"all\":[
      {\"field\":\"update_type\",\"operator\":\"is\",\"value\":\"create\"},
      {\"field\":\"message.body\",\"operator\":\"contains\",\"value\":\"keyword-$i\"}]},
      \"actions\":[{\"type\":\"add_tags\",\"tags\":[\"k$i\"]},
                   {\"type\":\"set_field\",\"field\":\"priority\",\"value\":\"high\"}]}" >/dev/null
  done
  for i in $(seq 41 47); do
    api POST /api/v1/triggers "{\"name\":\"regex $i\",\"position\":$i,\"conditions\":{\"any\":[
      {\"field\":\"subject\",\"operator\":\"regex\",\"value\":\"(?i)urgent|outage $i\"},
      {\"field\":\"priority\",\"operator\":\"is\",\"value\":\"urgent\"}]},
      \"actions\":[{\"type\":\"add_tags\",\"tags\":[\"r$i\"]}]}" >/dev/null
  done
  for i in 48 49; do
    api POST /api/v1/triggers "{\"name\":\"tag new $i\",\"position\":$i,\"conditions\":{\"all\":[
      {\"field\":\"update_type\",\"operator\":\"is\",\"value\":\"create\"}]},
      \"actions\":[{\"type\":\"add_tags\",\"tags\":[\"seen$i\"]}]}" >/dev/null
  done
  # BENCH_NOTE=0: the 50th rule tags instead of adding a note (a note is a second message,
  # with its search index, on every new ticket: the single dearest action).
  if [[ "${BENCH_NOTE:-1}" == 0 ]]; then note='{"type":"add_tags","tags":["seen50"]}'
  else note='{"type":"add_note","body":"New ticket #{{ticket.number}} ({{ticket.priority}})"}'; fi
  api POST /api/v1/triggers "{\"name\":\"note new\",\"position\":50,\"conditions\":{\"all\":[
    {\"field\":\"update_type\",\"operator\":\"is\",\"value\":\"create\"}]},
    \"actions\":[$note]}" >/dev/null
  fi
  [[ "$ONLY" == "triggers" ]] ||
  api POST /api/v1/sla-policies '{"name":"Everyone","targets":{"first_response_minutes":60,
    "next_response_minutes":120,"resolution_minutes":1440},"warning_minutes":15}' >/dev/null
  triggers="$(curl -sf -H "$AUTH" "$URL/api/v1/triggers" | jq '.items | length')"
  # The machine is shared: alternate the two configurations (A B A B) so a change in the load
  # falls on both, and compare the sums.
  toggle() {  # $1: true or false
    for id in $(curl -sf -H "$AUTH" "$URL/api/v1/triggers" | jq '.items[].id'); do
      api PATCH "/api/v1/triggers/$id" "{\"active\":$1}" >/dev/null
    done
    for id in $(curl -sf -H "$AUTH" "$URL/api/v1/sla-policies" | jq '.items[].id'); do
      api PATCH "/api/v1/sla-policies/$id" "{\"active\":$1}" >/dev/null
    done
  }
  run() { wrk -t2 -c32 -d"${DURATION}s" -s bench/lua/create_ticket.lua -H "$AUTH" "$URL" |
          grep -E '^Requests/sec' | awk '{print $2}'; }
  # BENCH_ROUNDS pairs (default 3): one pair swings by ±5% on this shared machine.
  none=(); with=()
  for _ in $(seq "${BENCH_ROUNDS:-3}"); do
    toggle false; none+=("$(run)"); toggle true; with+=("$(run)")
  done
  list() { local IFS=,; echo "$*" | sed 's/,/, /g'; }
  sum() { printf '%s\n' "$@" | awk '{s += $1} END {print s}'; }
  last="$(curl -sf -H "$AUTH" "$URL/api/v1/tickets?limit=1" | jq -c '.items[0].tags' || true)"
  kill -TERM "$PID"; wait "$PID" || true; PID=""
  cat <<TABLE
| ticket creation, 32 clients, durable (SQLite, 10k tickets), ${DURATION} s runs A B A B A B | creates/s |
|---|---|
| no triggers, no SLA policy | $(list "${none[@]}") |
| $triggers triggers + an SLA policy (3 targets, warning) | $(list "${with[@]}") |
| ratio of the sums (target ≥ 0.70) | $(awk -v a="$(sum "${none[@]}")" -v b="$(sum "${with[@]}")" 'BEGIN{printf "%.2f", b/a}') |
| machine load average at the end | $(cut -d' ' -f1-3 /proc/loadavg) |
TABLE
  echo "last ticket: $last" >&2
  exit 0
fi

# idle: a copy of the 1M-ticket data set (bench/tickets.sh makes it), every ticket open under
# an SLA policy with its resolution due in the next 30 days and a warning timer an hour before:
# 2,000,000 queued timer jobs, none due in the measured minute.
SRC="${2:-bench/out/tickets-1000000}"
DATA="$WORK/data"
mkdir -p "$DATA"
cp "$SRC/gongdan.db" "$SRC/mail.key" "$DATA/"
"$BIN" migrate --data "$DATA" >/dev/null
NOW_MS="$(($(date +%s) * 1000))"
sqlite3 "$DATA/gongdan.db" <<SQL
PRAGMA journal_mode=WAL;
BEGIN;
INSERT INTO sla_policies (name, position, conditions, first_response_minutes, resolution_minutes,
  warning_minutes, created_at, updated_at) VALUES ('bench', 0, '{}', NULL, 43200, 60, $NOW_MS, $NOW_MS);
UPDATE tickets SET category = 'open', status_id = (SELECT id FROM statuses WHERE category = 'open'
  ORDER BY position LIMIT 1), sla_policy_id = (SELECT max(id) FROM sla_policies),
  resolution_due_at = $NOW_MS + 7200000 + (id * 2654435761) % (30 * 86400000);
INSERT INTO ticket_sla_events (ticket_id, at, kind, policy_id)
  SELECT id, created_at, 'created', sla_policy_id FROM tickets;
INSERT INTO jobs (kind, payload, run_at, idempotency_key, created_at, updated_at)
  SELECT 'sla_timer', '{"ticket_id":' || id || ',"metric":"resolution","kind":"breach","due_at":'
    || resolution_due_at || '}', resolution_due_at, 'bench-b' || id, $NOW_MS, $NOW_MS FROM tickets;
INSERT INTO jobs (kind, payload, run_at, idempotency_key, created_at, updated_at)
  SELECT 'sla_timer', '{"ticket_id":' || id || ',"metric":"resolution","kind":"warning","due_at":'
    || resolution_due_at || '}', resolution_due_at - 3600000, 'bench-w' || id, $NOW_MS, $NOW_MS
    FROM tickets;
COMMIT;
SQL
open_tickets="$(sqlite3 "$DATA/gongdan.db" "SELECT count(*) FROM tickets WHERE category='open' AND resolution_due_at IS NOT NULL")"
queued="$(sqlite3 "$DATA/gongdan.db" "SELECT count(*) FROM jobs WHERE state='queued'")"
first_due="$(sqlite3 "$DATA/gongdan.db" "SELECT (min(run_at) - $NOW_MS) / 1000 FROM jobs WHERE state='queued'")"
start_server "$DATA"
sleep 10  # start-up work (migrations done, jobs requeued, the first cleaning) is not idling
hz="$(getconf CLK_TCK)"
t0="$(cpu_ticks "$PID")"; s0="$(date +%s.%N)"
load="$(cut -d' ' -f1-3 /proc/loadavg)"
sleep 60
t1="$(cpu_ticks "$PID")"; s1="$(date +%s.%N)"
rss="$(grep VmRSS /proc/$PID/status | awk '{print $2}')"
kill -TERM "$PID"; wait "$PID" || true; PID=""
cat <<TABLE
| scheduler idle with $open_tickets open tickets, $queued queued timer jobs (first due in ${first_due} s) | measured |
|---|---|
| CPU time over $(awk -v a="$s0" -v b="$s1" 'BEGIN{printf "%.1f", b-a}') s (utime + stime) | $(( (t1 - t0) * 1000 / hz )) ms |
| CPU share of one core (target < 1%) | $(awk -v t="$((t1 - t0))" -v hz="$hz" -v a="$s0" -v b="$s1" 'BEGIN{printf "%.3f%%", 100 * t / hz / (b - a)}') |
| server RSS | $((rss / 1024)) MB |
| machine load average at the start | $load |
TABLE
