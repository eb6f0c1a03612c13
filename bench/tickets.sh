#!/usr/bin/env bash
# Ticket benchmarks of issue 3 against the real server on a generated data set.
#   bench/tickets.sh [TICKETS]        (default 1000000; the data set is kept in bench/out/)
# Needs build/release/gongdan and wrk. Prints a Markdown table; see bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
TICKETS="${1:-1000000}"
CUSTOMERS=50000
BIN="$PWD/build/release/gongdan"
DATA="$PWD/bench/out/tickets-$TICKETS"
DURATION="${BENCH_SECONDS:-15}"
mkdir -p bench/out
if [[ ! -f "$DATA/.complete" ]]; then
  rm -rf "$DATA"
  echo "generating $TICKETS tickets (once; reused afterwards)…" >&2
  /usr/bin/time -f "generated in %e s" "$BIN" bench-data --data "$DATA" --tickets "$TICKETS" \
    --customers "$CUSTOMERS" >&2
  echo "bench-password-1" | "$BIN" user create --data "$DATA" --role admin \
    --email bench-admin@bench.example --password-stdin >/dev/null
  touch "$DATA/.complete"
fi
# The create benchmark adds tickets; run on a copy so every run starts from the same data.
WORK="$(mktemp -d)"
trap 'kill "$PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT
cp "$DATA/gongdan.db" "$DATA/mail.key" "$WORK/"
TOKEN="$("$BIN" token create --data "$WORK" --user bench-admin@bench.example)"
"$BIN" serve --data "$WORK" --listen 127.0.0.1:0 --log-level warn >"$WORK/out" 2>&1 &
PID=$!
for _ in $(seq 100); do grep -q "listening on" "$WORK/out" 2>/dev/null && break; sleep 0.1; done
URL="$(grep -o 'http://[0-9.:]*' "$WORK/out" | head -1)"
AUTH="Authorization: Bearer $TOKEN"
export TICKETS CUSTOMERS DEPARTMENTS=20

rps() { grep -E "^Requests/sec" | awk '{print $2}'; }
p99() { grep -E "^ +99%" | awk '{print $2}'; }
errors() { grep -E "Non-2xx|Socket errors" || true; }

wrk -t2 -c32 -d3s -s bench/lua/get_ticket.lua -H "$AUTH" "$URL" >/dev/null  # warm the cache
get_out="$(wrk -t2 -c32 -d"${DURATION}s" -s bench/lua/get_ticket.lua -H "$AUTH" "$URL")"
list_out="$(wrk -t1 -c4 -d"${DURATION}s" --latency -s bench/lua/department_list.lua -H "$AUTH" "$URL")"
search_out="$(wrk -t1 -c4 -d"${DURATION}s" --latency -s bench/lua/search.lua -H "$AUTH" "$URL")"
create_out="$(wrk -t2 -c32 -d"${DURATION}s" -s bench/lua/create_ticket.lua -H "$AUTH" "$URL")"
rss_peak="$(grep VmHWM /proc/$PID/status | awk '{print $2}')"
kill -TERM "$PID"; wait "$PID" || true
db_size="$(du -b "$DATA/gongdan.db" | cut -f1)"

for out in "$get_out" "$list_out" "$search_out" "$create_out"; do errors <<<"$out"; done >&2
cat <<TABLE
| ${TICKETS} tickets, $((TICKETS * 3)) messages (SQLite) | measured | target |
|---|---|---|
| create tickets, 32 clients, durable | $(rps <<<"$create_out") /s | ≥ 5,000 /s |
| GET /api/v1/tickets/{number}, 32 clients | $(rps <<<"$get_out") /s | ≥ 20,000 /s |
| department open list, 50/page, p99 | $(p99 <<<"$list_out") | < 20 ms |
| full-text search (zh + en), p99 | $(p99 <<<"$search_out") | < 100 ms |
| server peak RSS | $((rss_peak / 1024)) MB | < 300 MB |
| database file | $((db_size / 1024 / 1024)) MB | < 3 GB |
TABLE
