#!/usr/bin/env bash
# Issue 19 figures, in one run:
#  1. report queries (GET /api/v1/reports/{metric}, every metric and grouping, ranges of 7 to 365
#     days) at TICKETS tickets: p50 and p99 with wrk -t1 -c4 --latency;
#  2. `gongdan reports rebuild` of those tickets (the replay of their history), timed;
#  3. ticket creation with rollups beside the same build without them (report_rollups=false:
#     the writes compute and store no rollup, so the difference is exactly what they cost), each
#     on a fresh data directory with 20 departments, ROUNDS rounds taking turns, wrk -t2 -c32 for
#     BENCH_SECONDS each. BASE_BIN (optional) runs the baseline with another binary instead.
#   bench/reports.sh [TICKETS]       (default 1000000; the data set is kept in bench/out/)
# Needs build/release/gongdan and wrk. Prints Markdown tables; see bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
TICKETS="${1:-1000000}"
BIN="${BIN:-$PWD/build/release/gongdan}"
BASE_BIN="${BASE_BIN:-$BIN}"
DATA="$PWD/bench/out/reports-$TICKETS"
DURATION="${BENCH_SECONDS:-15}"
ROUNDS="${ROUNDS:-3}"
mkdir -p bench/out
if [[ ! -f "$DATA/.complete" ]]; then
  rm -rf "$DATA"
  echo "generating $TICKETS tickets (once; reused afterwards)…" >&2
  /usr/bin/time -f "generated in %e s" "$BIN" bench-data --data "$DATA" --tickets "$TICKETS" \
    --customers 50000 >&2
  echo "bench-password-1" | "$BIN" user create --data "$DATA" --role admin \
    --email bench-admin@bench.example --password-stdin >/dev/null
  touch "$DATA/.complete"
fi

PIDS=()
WORK_DIRS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for d in "${WORK_DIRS[@]}"; do rm -rf "$d"; done
}
trap cleanup EXIT

# start BIN DIR: serves DIR; sets URL and PID.
start() {
  "$1" serve --data "$2" --listen 127.0.0.1:0 --log-level warn >"$2/out" 2>&1 &
  PID=$!
  PIDS+=("$PID")
  for _ in $(seq 300); do grep -q "listening on" "$2/out" 2>/dev/null && break; sleep 0.1; done
  URL="$(grep -o 'http://[0-9.:]*' "$2/out" | head -1)"
}
stop() { kill -TERM "$PID"; wait "$PID" || true; }
rps() { grep -E "^Requests/sec" | awk '{print $2}'; }
latency() { grep -E "^ +$1%" | awk '{print $2}'; }
errors() { grep -E "Non-2xx|Socket errors" || true; }

# 1 and 2: the reports at TICKETS, then the rebuild, on a copy.
WORK="$(mktemp -d)"
WORK_DIRS+=("$WORK")
cp "$DATA/gongdan.db" "$WORK/"
TOKEN="$("$BIN" token create --data "$WORK" --user bench-admin@bench.example)"
start "$BIN" "$WORK"
TO="$(TZ=Asia/Shanghai date +%F)"
export TO
for days in 7 30 90 365; do export "FROM_$days=$(TZ=Asia/Shanghai date -d "$TO - $((days - 1)) days" +%F)"; done
wrk -t1 -c4 -d3s -s bench/lua/reports.lua -H "Authorization: Bearer $TOKEN" "$URL" >/dev/null
reports_out="$(wrk -t1 -c4 -d"${DURATION}s" --latency -s bench/lua/reports.lua \
  -H "Authorization: Bearer $TOKEN" "$URL")"
errors <<<"$reports_out" >&2
# The dashboard in Chromium on the same server (web/e2e/dashboard_bench.mjs).
dashboard_out="$(cd web && URL="$URL" EMAIL=bench-admin@bench.example PASSWORD=bench-password-1 \
  node e2e/dashboard_bench.mjs)"
echo "dashboard: $dashboard_out" >&2
stop
rows="$(sqlite3 "$WORK/gongdan.db" 'SELECT COUNT(*) FROM report_rollups' 2>/dev/null || echo '?')"
rebuild_start=$(date +%s.%N)
"$BIN" reports rebuild --data "$WORK" >&2
rebuild_seconds=$(echo "$(date +%s.%N) - $rebuild_start" | bc)

# 3: creation, this build and the baseline in turns, each on a fresh data directory.
create_run() {  # BIN ROLLUPS → requests per second
  local dir
  dir="$(mktemp -d)"
  WORK_DIRS+=("$dir")
  echo "bench-password-1" | "$1" user create --data "$dir" --role admin \
    --email bench-admin@bench.example --password-stdin >/dev/null
  local token
  token="$("$1" token create --data "$dir" --user bench-admin@bench.example)"
  GONGDAN_REPORT_ROLLUPS="$2" start "$1" "$dir"
  for i in $(seq 20); do
    curl -sf -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      -d "{\"name\":\"Department $i\"}" "$URL/api/v1/departments"
  done
  local out
  out="$(CUSTOMERS=50000 wrk -t2 -c32 -d"${DURATION}s" -s bench/lua/create_ticket.lua \
    -H "Authorization: Bearer $token" "$URL")"
  errors <<<"$out" >&2
  stop
  rps <<<"$out"
}
with=()
without=()
for round in $(seq "$ROUNDS"); do
  without+=("$(create_run "$BASE_BIN" false)")
  with+=("$(create_run "$BIN" true)")
  echo "round $round: without rollups ${without[-1]} /s, with ${with[-1]} /s" >&2
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
m_with="$(median "${with[@]}")"
m_without="$(median "${without[@]}")"
ratio="$(echo "scale=3; $m_with / $m_without" | bc)"

cat <<TABLE
| ${TICKETS} tickets (SQLite) | measured | target |
|---|---|---|
| report queries (every metric and grouping, 7–365 days), p50 / p99 | $(latency 50 <<<"$reports_out") / $(latency 99 <<<"$reports_out") ($(rps <<<"$reports_out") /s, 4 clients) | p99 < 200 ms |
| dashboard first paint with data, Chromium (first load / median of the next 5; loads ${dashboard_out}) | $(sed -E 's/.*"first_ms":([0-9]+).*"median_ms":([0-9]+).*/\1 ms \/ \2 ms/' <<<"$dashboard_out") | < 1 s |
| rollup rows | ${rows} | |
| \`gongdan reports rebuild\` | ${rebuild_seconds} s | |
| create tickets, 32 clients, with rollups (median of ${ROUNDS}: ${with[*]}) | ${m_with} /s | |
| create tickets, 32 clients, without rollups (report_rollups=false; median of ${ROUNDS}: ${without[*]}) | ${m_without} /s | |
| ratio with / without | ${ratio} | ≥ 0.9 |
TABLE
