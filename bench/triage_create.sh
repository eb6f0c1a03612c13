#!/usr/bin/env bash
# Ticket creation with triage on against the same with triage off (issue 22's figure: at least
# 0.9 of the off figure), side by side on one server in one run.
#   bench/triage_create.sh [DATA]    (default bench/out/tickets-1000000, bench/tickets.sh's set)
# The data set is copied, and the copy's triage models are trained once on its solved tickets
# (`gongdan triage train`, kept in DATA-triage/ for later runs). The server then takes the
# same POST /api/v1/tickets load as bench/tickets.sh's create row (wrk -t2 -c32, lua/
# create_ticket.lua: a department and a tag given, so triage sets type, priority and tags) in
# ROUNDS pairs of windows, off then on (every field mode apply, threshold THRESHOLD), each
# BENCH_SECONDS long. Between windows it waits for the triage jobs the last one queued to be done
# (their work is the server's too, so a window never inherits the previous one's). Prints each
# window, the medians and their ratio, and the triage jobs still waiting at each window's end;
# then the server's CPU time per created ticket in each mode (all threads, and the writer
# thread alone), which a busy machine's other work does not change the way it changes the rate.
# Needs build/release/gongdan (or $GONGDAN_BIN), wrk and curl; run it at normal priority.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${GONGDAN_BIN:-$PWD/build/release/gongdan}"
DATA="$(realpath "${1:-bench/out/tickets-1000000}")"
DURATION="${BENCH_SECONDS:-15}"
ROUNDS="${ROUNDS:-3}"
THRESHOLD="${THRESHOLD:-50}"
[[ -f "$DATA/.complete" ]] || { echo "no data set at $DATA: run bench/tickets.sh first" >&2; exit 1; }
TRAINED="$DATA-triage"
if [[ ! -f "$TRAINED/.complete" ]]; then
  rm -rf "$TRAINED" && mkdir -p "$TRAINED"
  cp "$DATA/gongdan.db" "$DATA/mail.key" "$TRAINED/"
  echo "training the triage models on a copy of $DATA (once)…" >&2
  /usr/bin/time -f "trained in %e s" "$BIN" triage train --data "$TRAINED" >&2
  touch "$TRAINED/.complete"
fi
WORK="$(mktemp -d)"
trap 'kill "$PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT
cp "$TRAINED/gongdan.db" "$TRAINED/mail.key" "$WORK/"
TOKEN="$("$BIN" token create --data "$WORK" --user bench-admin@bench.example)"
"$BIN" serve --data "$WORK" --listen 127.0.0.1:0 --log-level warn >"$WORK/out" 2>&1 &
PID=$!
for _ in $(seq 100); do grep -q "listening on" "$WORK/out" 2>/dev/null && break; sleep 0.1; done
URL="$(grep -o 'http://[0-9.:]*' "$WORK/out" | head -1)"
AUTH="Authorization: Bearer $TOKEN"
export CUSTOMERS=50000

api() { curl -sf -H "$AUTH" -H 'Content-Type: application/json' "$@"; }
triage_mode() {  # every field's mode: off or apply
  for id in $(api "$URL/api/v1/triage-settings" | grep -o '"id":[0-9]*' | cut -d: -f2); do
    api -X PATCH "$URL/api/v1/triage-settings/$id" \
      -d "{\"mode\":\"$1\",\"threshold\":$THRESHOLD}" >/dev/null
  done
}
triage_jobs() {  # triage jobs queued or running
  curl -sf "$URL/metrics" | awk '/^gongdan_jobs\{kind="triage"/ { n += $2 } END { print n + 0 }'
}
drain() {  # waits for the triage jobs; how long it took to stderr
  local started waiting
  started=$(date +%s.%N) waiting="$(triage_jobs)"
  while [[ "$(triage_jobs)" != 0 ]]; do
    sleep 0.5
    (( $(date +%s) - ${started%.*} < 600 )) || { echo "triage jobs not done after 10 minutes" >&2; exit 1; }
  done
  [[ "$waiting" == 0 ]] || echo "  $waiting triage jobs done in $(echo "$(date +%s.%N) - $started" | bc | cut -c1-5) s after the window" >&2
}
cpu_ticks() {  # the server's CPU time and its writer thread's so far, in clock ticks
  local writer=0 t
  for t in /proc/"$PID"/task/*; do
    [[ "$(cat "$t/comm" 2>/dev/null)" == gd-writer ]] && writer=$(awk '{ print $14 + $15 }' "$t/stat")
  done
  echo "$(awk '{ print $14 + $15 }' /proc/"$PID"/stat) $writer"
}
window() {  # creation per second over one window; the triage backlog at its end to stderr; how
            # many tickets it made to $WORK/made
  local out
  out="$(wrk -t2 -c32 -d"${DURATION}s" -s bench/lua/create_ticket.lua -H "$AUTH" "$URL")"
  grep -E "Non-2xx|Socket errors" <<<"$out" >&2 || true
  echo "  $1: $(grep -E '^Requests/sec' <<<"$out" | awk '{print $2}') /s, triage jobs waiting at the end: $(triage_jobs)" >&2
  awk '/requests in/ { print $1 }' <<<"$out" >"$WORK/made"
  grep -E "^Requests/sec" <<<"$out" | awk '{print $2}'
}
cpu_per_ticket() {  # mode, ticks before, ticks after: a row of $WORK/cpu (µs a ticket)
  awk -v mode="$1" -v b="$2" -v a="$3" -v tick="$(getconf CLK_TCK)" -v made="$(cat "$WORK/made")" \
    'BEGIN { split(b, x, " "); split(a, y, " ");
      printf "%s %.0f %.0f\n", mode, (y[1] - x[1]) * 1e6 / tick / made, (y[2] - x[2]) * 1e6 / tick / made }' \
    >>"$WORK/cpu"
}
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# Warm up: the first tickets with triage on load the models on this node (once in its life).
triage_mode apply
api "$URL/api/v1/tickets" -d '{"subject":"warm-up","body":"printer","requester":{"email":"customer1@example.com"}}' >/dev/null
drain
wrk -t2 -c32 -d3s -s bench/lua/create_ticket.lua -H "$AUTH" "$URL" >/dev/null
drain
off=() on=()
for round in $(seq "$ROUNDS"); do
  triage_mode off
  before="$(cpu_ticks)"
  off+=("$(window "round $round, triage off")")
  cpu_per_ticket off "$before" "$(cpu_ticks)"
  triage_mode apply
  before="$(cpu_ticks)"
  on+=("$(window "round $round, triage on")")
  drain  # the triage jobs the window queued are its tickets' cost too
  cpu_per_ticket on "$before" "$(cpu_ticks)"
done
kill -TERM "$PID"; wait "$PID" || true
off_median="$(printf '%s\n' "${off[@]}" | median)"
on_median="$(printf '%s\n' "${on[@]}" | median)"
ratios=()
for i in "${!off[@]}"; do ratios+=("$(echo "scale=3; ${on[$i]} / ${off[$i]}" | bc)"); done
pair_median="$(printf '%s\n' "${ratios[@]}" | median)"
cat <<TABLE
| ticket creation, 32 clients, durable ($(basename "$DATA")) | per window (/s) | median (/s) |
|---|---|---|
| triage off | ${off[*]} | $off_median |
| triage on (every field apply, threshold $THRESHOLD%) | ${on[*]} | $on_median |
| on / off, medians | | $(echo "scale=3; $on_median / $off_median" | bc) (target ≥ 0.9) |
| on / off, each round's pair | ${ratios[*]} | $pair_median |
TABLE
# What a ticket costs the server, whatever else the machine runs: CPU time per created ticket
# (a window's server CPU, with the triage jobs it queued until they were done, over its
# tickets), all threads and the writer thread alone.
cpu_row() {  # mode column label
  local values
  values="$(awk -v m="$1" -v c="$2" '$1 == m { print $c }' "$WORK/cpu")"
  echo "| $3 | $(tr '\n' ' ' <<<"$values")| $(median <<<"$values") |"
}
echo
echo "| server CPU per created ticket (µs) | per window | median |"
echo "|---|---|---|"
cpu_row off 2 "triage off, all threads"
cpu_row on 2 "triage on, all threads"
cpu_row off 3 "triage off, the writer thread"
cpu_row on 3 "triage on, the writer thread"

printf 'nproc %s, load %s\n' "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
