#!/usr/bin/env bash
# Ticket creation with triage on against the same with triage off (issue 22's figure: at least
# 0.9 of the off figure), side by side on one server in one run; with BASELINE_BIN, a second
# binary (main's build) measured the same way in the same run, its windows between this one's.
#   bench/triage_create.sh [DATA]    (default bench/out/tickets-1000000, bench/tickets.sh's set)
#   env: ROUNDS (pairs of windows, default 6), BENCH_SECONDS (a window, 15), WARMUP_SECONDS (the
#        discarded warm-up windows, default BENCH_SECONDS), THRESHOLD (50), BASELINE_BIN,
#        GONGDAN_BIN (build/release/gongdan).
# The data set is copied (once per binary; DATA is never written), and the copy's triage models
# are trained once on its solved tickets (`gongdan triage train`, kept in DATA-triage/ for later
# runs). Each server takes bench/tickets.sh's create load (wrk -t2 -c32, lua/create_ticket.lua:
# a department and a tag given, so triage sets type, priority and tags), in windows of
# BENCH_SECONDS, triage off or on (every field mode apply, threshold THRESHOLD).
#
# So that noise cannot decide the verdict:
# - Warm-up: one ticket loads the models, then one "off" and one "on" window, both discarded
#   (the first window after a copy reads the database into SQLite's and the kernel's caches:
#   it cost 4 times the CPU per ticket of the later ones in session 16).
# - Rounds are pairs, interleaved in ABBA order (round 1 off then on, round 2 on then off, …):
#   the database grows by every window's tickets, and a drift along the run then falls on both
#   modes alike. A round's pair gives one ratio; the verdict is the median of those ratios.
# - Before every window the server is idle (the triage jobs the last window queued are done:
#   their work is that window's tickets' cost, counted in its CPU) and the WAL is checkpointed
#   and truncated (sqlite3, PRAGMA wal_checkpoint(TRUNCATE)), so each window starts from an
#   empty WAL whatever the mode.
# - Each window's server CPU time per created ticket (/proc: all threads, and the writer thread
#   alone), which other work on the machine changes much less than it changes the rate.
#
# Output (stdout; per window lines and drain times go to stderr), for each binary:
#   | ticket creation … | per window (/s) | median (/s) |   rows: triage off, triage on,
#       "on / off, medians", "on / off, each round's pair" (the verdict: the pairs' median)
#   | server CPU per created ticket (µs) | per window | median |   rows: off and on, all
#       threads and the writer thread, then "off / on" for each (the rate the CPU allows, as a
#       ratio: ≥ 0.9 meets the target by CPU), as medians and as each round's pair (adjacent
#       windows, so that a drift of the machine's speed along the run falls on both modes alike)
# with BASELINE_BIN, this build against the baseline round by round (rate and CPU a ticket):
#   triage on against the baseline's off (issue 22's figure against today's creation, when the
#   baseline is the build before the change) and off against off (what the change did to
#   creation itself); and the machine's `uptime` at the start and the end.
# Needs build/release/gongdan (or $GONGDAN_BIN), wrk, curl and sqlite3; run it at normal priority.
set -euo pipefail
cd "$(dirname "$0")/.."
BINS=("${GONGDAN_BIN:-$PWD/build/release/gongdan}")
NAMES=("this build")
if [[ -n "${BASELINE_BIN:-}" ]]; then
  BINS+=("$BASELINE_BIN")
  NAMES+=("baseline ($(basename "$BASELINE_BIN"))")
fi
DATA="$(realpath "${1:-bench/out/tickets-1000000}")"
DURATION="${BENCH_SECONDS:-15}"
WARMUP="${WARMUP_SECONDS:-$DURATION}"
ROUNDS="${ROUNDS:-6}"
THRESHOLD="${THRESHOLD:-50}"
[[ -f "$DATA/.complete" ]] || { echo "no data set at $DATA: run bench/tickets.sh first" >&2; exit 1; }
TRAINED="$DATA-triage"
if [[ ! -f "$TRAINED/.complete" ]]; then
  rm -rf "$TRAINED" && mkdir -p "$TRAINED"
  cp "$DATA/gongdan.db" "$DATA/mail.key" "$TRAINED/"
  echo "training the triage models on a copy of $DATA (once)…" >&2
  /usr/bin/time -f "trained in %e s" "${BINS[0]}" triage train --data "$TRAINED" >&2
  touch "$TRAINED/.complete"
fi
WORK="$(mktemp -d)"
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"' EXIT
export CUSTOMERS=50000
echo "start: $(uptime)" >"$WORK/uptime"

URLS=() TOKENS=()
for b in "${!BINS[@]}"; do  # one server a binary, each on its own copy
  mkdir "$WORK/$b"
  cp "$TRAINED/gongdan.db" "$TRAINED/mail.key" "$WORK/$b/"
  TOKENS+=("$("${BINS[$b]}" token create --data "$WORK/$b" --user bench-admin@bench.example)")
  "${BINS[$b]}" serve --data "$WORK/$b" --listen 127.0.0.1:0 --log-level warn >"$WORK/$b/out" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 100); do grep -q "listening on" "$WORK/$b/out" 2>/dev/null && break; sleep 0.1; done
  URLS+=("$(grep -o 'http://[0-9.:]*' "$WORK/$b/out" | head -1)")
done

api() {  # binary, curl arguments…
  local b=$1
  shift
  curl -sf -H "Authorization: Bearer ${TOKENS[$b]}" -H 'Content-Type: application/json' "$@"
}
triage_mode() {  # binary, every field's mode: off or apply
  for id in $(api "$1" "${URLS[$1]}/api/v1/triage-settings" | grep -o '"id":[0-9]*' | cut -d: -f2); do
    api "$1" -X PATCH "${URLS[$1]}/api/v1/triage-settings/$id" \
      -d "{\"mode\":\"$2\",\"threshold\":$THRESHOLD}" >/dev/null
  done
}
triage_jobs() {  # binary: its triage jobs queued or running
  curl -sf "${URLS[$1]}/metrics" | awk '/^gongdan_jobs\{kind="triage"/ { n += $2 } END { print n + 0 }'
}
drain() {  # binary: waits for its triage jobs; how long it took to stderr
  local started waiting
  started=$(date +%s.%N) waiting="$(triage_jobs "$1")"
  while [[ "$(triage_jobs "$1")" != 0 ]]; do
    sleep 0.5
    (( $(date +%s) - ${started%.*} < 600 )) || { echo "triage jobs not done after 10 minutes" >&2; exit 1; }
  done
  [[ "$waiting" == 0 ]] || echo "  $waiting triage jobs done in $(echo "$(date +%s.%N) - $started" | bc | cut -c1-5) s after the window" >&2
}
checkpoint() {  # binary: the WAL into the database, and truncated
  local out
  out="$(sqlite3 -cmd '.timeout 30000' "$WORK/$1/gongdan.db" 'PRAGMA wal_checkpoint(TRUNCATE)')"
  [[ "$out" == 0\|* ]] || echo "  checkpoint incomplete (busy|log|done: $out)" >&2
}
cpu_ticks() {  # binary: its server's CPU time and its writer thread's so far, in clock ticks
  local pid=${PIDS[$1]} writer=0 t
  for t in /proc/"$pid"/task/*; do
    [[ "$(cat "$t/comm" 2>/dev/null)" == gd-writer ]] && writer=$(awk '{ print $14 + $15 }' "$t/stat")
  done
  echo "$(awk '{ print $14 + $15 }' /proc/"$pid"/stat) $writer"
}
# One window: binary, mode (off or on), label, seconds. Appends "round mode rate µs-all
# µs-writer" to $WORK/$b/windows (the label "warm-up" for the discarded ones).
window() {
  local b=$1 mode=$2 label=$3 seconds=$4 out before after made rate
  if [[ "$mode" == on ]]; then triage_mode "$b" apply; else triage_mode "$b" off; fi
  checkpoint "$b"
  before="$(cpu_ticks "$b")"
  out="$(wrk -t2 -c32 -d"${seconds}s" -s bench/lua/create_ticket.lua \
    -H "Authorization: Bearer ${TOKENS[$b]}" "${URLS[$b]}")"
  grep -E "Non-2xx|Socket errors" <<<"$out" >&2 || true
  echo "  ${NAMES[$b]}, $label, triage $mode: $(grep -E '^Requests/sec' <<<"$out" | awk '{print $2}') /s, triage jobs waiting at the end: $(triage_jobs "$b")" >&2
  drain "$b"  # the triage jobs the window queued are its tickets' cost too
  after="$(cpu_ticks "$b")"
  made="$(awk '/requests in/ { print $1 }' <<<"$out")"
  rate="$(grep -E '^Requests/sec' <<<"$out" | awk '{print $2}')"
  awk -v r="$label" -v m="$mode" -v rate="$rate" -v b="$before" -v a="$after" -v made="$made" \
    -v tick="$(getconf CLK_TCK)" 'BEGIN { split(b, x, " "); split(a, y, " ");
      printf "%s %s %s %.0f %.0f\n", r, m, rate, (y[1] - x[1]) * 1e6 / tick / made,
        (y[2] - x[2]) * 1e6 / tick / made }' >>"$WORK/$b/windows"
}
median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

for b in "${!BINS[@]}"; do  # warm-up: models loaded, caches filled, then a window of each mode
  triage_mode "$b" apply
  api "$b" "${URLS[$b]}/api/v1/tickets" \
    -d '{"subject":"warm-up","body":"printer","requester":{"email":"customer1@example.com"}}' >/dev/null
  drain "$b"
  window "$b" off warm-up "$WARMUP"
  window "$b" on warm-up "$WARMUP"
done
for round in $(seq "$ROUNDS"); do
  if (( round % 2 )); then order=(off on); else order=(on off); fi
  for b in "${!BINS[@]}"; do
    for mode in "${order[@]}"; do window "$b" "$mode" "$round" "$DURATION"; done
  done
done
for p in "${PIDS[@]}"; do kill -TERM "$p"; wait "$p" || true; done
PIDS=()
echo "end: $(uptime)" >>"$WORK/uptime"

column_of() {  # binary, mode, column (3 rate, 4 µs all threads, 5 µs writer): measured windows
  awk -v m="$2" -v c="$3" '$1 != "warm-up" && $2 == m { print $c }' "$WORK/$1/windows"
}
ratio() { echo "scale=3; $1 / $2" | bc | sed 's/^\./0./'; }
for b in "${!BINS[@]}"; do
  off_median="$(column_of "$b" off 3 | median)"
  on_median="$(column_of "$b" on 3 | median)"
  pairs="$(awk '$1 != "warm-up" { r[$1, $2] = $3; n = $1 }
    END { for (i = 1; i <= n; i++) printf "%.3f\n", r[i, "on"] / r[i, "off"] }' "$WORK/$b/windows")"
  warm="$(awk '$1 == "warm-up" { printf "%s %s /s (%s µs a ticket); ", $2, $3, $4 }' "$WORK/$b/windows")"
  echo
  echo "${NAMES[$b]}: ${BINS[$b]}; warm-up windows (discarded): $warm"
  cat <<TABLE
| ticket creation, 32 clients, durable ($(basename "$DATA")), ${NAMES[$b]} | per window (/s) | median (/s) |
|---|---|---|
| triage off | $(column_of "$b" off 3 | tr '\n' ' ')| $off_median |
| triage on (every field apply, threshold $THRESHOLD%) | $(column_of "$b" on 3 | tr '\n' ' ')| $on_median |
| on / off, medians | | $(ratio "$on_median" "$off_median") |
| on / off, each round's pair (ABBA order) | $(tr '\n' ' ' <<<"$pairs")| **$(median <<<"$pairs" | xargs printf "%.3f")** (target ≥ 0.9) |
TABLE
  echo
  echo "| server CPU per created ticket (µs), ${NAMES[$b]} | per window | median |"
  echo "|---|---|---|"
  for c in 4 5; do
    what="all threads"
    [[ $c == 5 ]] && what="the writer thread"
    off_cpu="$(column_of "$b" off $c | median)"
    on_cpu="$(column_of "$b" on $c | median)"
    echo "| triage off, $what | $(column_of "$b" off $c | tr '\n' ' ')| $off_cpu |"
    echo "| triage on, $what | $(column_of "$b" on $c | tr '\n' ' ')| $on_cpu |"
    echo "| off / on, $what, medians (the rate the CPU allows) | | $(ratio "$off_cpu" "$on_cpu") |"
    cpu_pairs="$(awk -v c=$c '$1 != "warm-up" { split($0, f, " "); r[$1, $2] = f[c]; n = $1 }
      END { for (i = 1; i <= n; i++) printf "%.3f\n", r[i, "off"] / r[i, "on"] }' "$WORK/$b/windows")"
    echo "| off / on, $what, each round's pair | $(tr '\n' ' ' <<<"$cpu_pairs")| **$(median <<<"$cpu_pairs" | xargs printf "%.3f")** |"
  done
done
if (( ${#BINS[@]} > 1 )); then  # this build against the baseline, round by round
  across() {  # mode of this build, mode of the baseline, column, "rate" or "cpu": each round's ratio
    join <(awk -v m="$1" -v c="$3" '$1 != "warm-up" && $2 == m { print $1, $c }' "$WORK/0/windows" | sort) \
      <(awk -v m="$2" -v c="$3" '$1 != "warm-up" && $2 == m { print $1, $c }' "$WORK/1/windows" | sort) |
      sort -n | awk -v k="$4" '{ printf "%.3f\n", k == "rate" ? $2 / $3 : $3 / $2 }'
  }
  echo
  echo "| this build against the baseline, each round's windows | per round | median |"
  echo "|---|---|---|"
  for row in "on off triage on / baseline's triage off" "off off triage off / baseline's triage off"; do
    read -r mine theirs what <<<"$row"
    for kind in rate cpu; do
      column=3 how="by the rate"
      [[ $kind == cpu ]] && column=4 how="by the CPU a ticket (all threads)"
      pairs="$(across "$mine" "$theirs" $column $kind)"
      echo "| $what, $how | $(tr '\n' ' ' <<<"$pairs")| **$(median <<<"$pairs" | xargs printf "%.3f")** |"
    done
  done
fi
echo
cat "$WORK/uptime"
printf 'nproc %s\n' "$(nproc)"
