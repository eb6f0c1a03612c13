#!/usr/bin/env bash
# Triage figures of issue 22, measured on this machine:
#   - `gongdan bench-data` makes TICKETS mixed Chinese/English tickets, each labelled by its
#     topic (department, type, priority, tag; see src/cli/bench_data_command.cpp); about 65% are
#     solved or closed, which is what the models learn from
#   - `gongdan triage train` trains every field's model on them (2 threads) with about a tenth
#     held out, and prints per field: examples, held-out, top-1 accuracy on the held-out
#     tickets, training time and the mean prediction time per held-out ticket
#   - `gongdan triage similar` asks the similar-ticket search for QUERIES held-out tickets, by
#     BM25 over subjects and tags (what the desk serves before a vector model is trained) and by
#     the fastText sentence vectors' index (int8, clustered: what it serves after; the model is
#     trained with the others above), each asked with the ticket's subject and tags, its first
#     message and a paraphrase of its topic (other words than the subjects searched: the
#     discriminating test): how often the first solved ticket found outside the held-out tenth
#     is about the same topic (top-1, either language) or one of the first five is (top-5), how
#     often it is in the same department, and the latency of a search (p50, p99), reading the
#     tickets and their replies included
#   - with SIMILAR_DATA=<a bench-data directory> (bench/out/tickets-1000000 of bench/tickets.sh)
#     the same on that set, on a copy trained once (SIMILAR_DATA-triage/, which
#     bench/triage_create.sh uses too), with exact search over the same vectors beside the
#     index and the index's recall against it: the issue's p99 at 1,000,000 tickets
# Builds nothing: it measures build/release/gongdan (or $GONGDAN_BIN). Prints a Markdown table
# for bench/RESULTS.md.
#
# With BASELINE_BIN=<another gongdan> that build trains a copy of the same tickets first, and
# its time is printed beside this one's.
#
# usage: bench/assist.sh   (TICKETS=155000: about 100,000 solved; QUERIES=1000;
#                          SIMILAR_DATA=bench/out/tickets-1000000; BASELINE_BIN)
set -euo pipefail
cd "$(dirname "$0")/.."

BIN="${GONGDAN_BIN:-build/release/gongdan}"
TICKETS="${TICKETS:-155000}"
QUERIES="${QUERIES:-1000}"
[[ -x "$BIN" ]] || { echo "no binary at $BIN: build it first" >&2; exit 1; }

work="$(mktemp -d -t gongdan-assist-bench-XXXXXX)"
trap 'rm -rf "$work"' EXIT
for v in $(env | grep -o '^GONGDAN_[A-Z_]*' || true); do unset "$v"; done

started=$(date +%s)
"$BIN" bench-data --data "$work/data" --tickets "$TICKETS" --messages-per-ticket 2 >&2
echo "generated $TICKETS tickets in $(( $(date +%s) - started )) s" >&2

if [[ -n "${BASELINE_BIN:-}" ]]; then
  # The same training by another build (main's, say) on a copy of the same tickets, first:
  # the side-by-side baseline of the training's time.
  cp -r "$work/data" "$work/baseline"
  started=$(date +%s.%N)
  /usr/bin/time -f '%U %S' -o "$work/baseline-cpu" "$BASELINE_BIN" triage train \
    --data "$work/baseline" >"$work/baseline-report" 2>/dev/null
  printf 'baseline (%s): all four fields and the vectors, reading included: %.1f s wall, %.1f s CPU (load %s); department %s top-1\n' \
    "$BASELINE_BIN" "$(echo "$(date +%s.%N) - $started" | bc)" \
    "$(awk '{ print $1 + $2 }' "$work/baseline-cpu")" "$(cut -d' ' -f1-3 /proc/loadavg)" \
    "$(awk -F'\t' '$1 == "department" { print $4 }' "$work/baseline-report")"
  rm -rf "$work/baseline"
fi

started=$(date +%s.%N)
/usr/bin/time -f '%U %S' -o "$work/cpu" "$BIN" triage train --data "$work/data" >"$work/report" \
  2>"$work/phases"
total=$(echo "$(date +%s.%N) - $started" | bc)
cpu=$(awk '{ print $1 + $2 }' "$work/cpu")

echo "| field | trained on | held out | top-1 accuracy | training (s) | prediction (µs/ticket) |"
echo "|---|---|---|---|---|---|"
tail -n +2 "$work/report" | while IFS=$'\t' read -r field examples held accuracy train_ms predict_us rest; do
  if [[ "$field" == "similar" && "$train_ms" != "-" ]]; then  # the sentence vectors
    printf '| %s (sentence vectors) | %s | %s | – | %.1f | %.0f per vector %s |\n' "$field" \
      "$examples" "$held" "$(echo "$train_ms / 1000" | bc -l)" "$predict_us" "$rest"
  elif [[ "$accuracy" == "-" ]]; then
    echo "| $field | $examples | $held | – | – | – $rest |"
  else
    printf '| %s | %s | %s | %.1f%% | %.1f | %.0f |\n' "$field" "$examples" "$held" \
      "$(echo "$accuracy * 100" | bc -l)" "$(echo "$train_ms / 1000" | bc -l)" "$predict_us"
  fi
done
printf 'all four fields and the vectors, reading the tickets included: %.1f s wall, %.1f s CPU (nproc %s, load %s)\n' \
  "$total" "$cpu" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| step of the training | wall (s) | CPU (s) |"
echo "|---|---|---|"
awk -F'\t' '$1 == "phase" { split($3, w, " "); split($4, c, " ");
  printf "| %s | %.1f | %.1f |\n", $2, w[1], c[1] }' "$work/phases"
grep -v '^phase' "$work/phases" >&2 || true

similar_table() {  # the output of `gongdan triage similar` as Markdown rows
  tail -n +2 | while IFS=$'\t' read -r method query queries answered top1 top5 dept p50 p99; do
    printf '| %s | %s | %s | %s | %s | %.1f%% | %.1f%% | %.1f%% | %.2f | %.2f |\n' "$1" "$method" \
      "$query" "$queries" "$answered" "$(echo "$top1 * 100" | bc -l)" "$(echo "$top5 * 100" | bc -l)" \
      "$(echo "$dept * 100" | bc -l)" "$p50" "$p99"
  done
}
"$BIN" triage similar --data "$work/data" --queries "$QUERIES" >"$work/similar"
echo
echo "| tickets | method | query text | queries | answered | top-1 same topic | top-5 same topic | top-1 same department | p50 (ms) | p99 (ms) |"
echo "|---|---|---|---|---|---|---|---|---|---|"
similar_table "$TICKETS" <"$work/similar"
if [[ -n "${SIMILAR_DATA:-}" ]]; then
  # The same on a bigger data set of bench-data (bench/tickets.sh's), trained once on a copy:
  # the issue's p99 at 1,000,000 tickets, BM25 and the vectors side by side in one run.
  SIMILAR_DATA="$(realpath "$SIMILAR_DATA")"
  trained="$SIMILAR_DATA-triage"
  if [[ ! -f "$trained/.complete" ]]; then
    rm -rf "$trained" && mkdir -p "$trained"
    cp "$SIMILAR_DATA/gongdan.db" "$SIMILAR_DATA/mail.key" "$trained/"
    started=$(date +%s.%N)
    "$BIN" triage train --data "$trained" >"$work/big-train"
    echo "trained on $(basename "$SIMILAR_DATA") in $(echo "$(date +%s.%N) - $started" | bc | cut -d. -f1) s (load $(cut -d' ' -f1-3 /proc/loadavg)):" >&2
    cat "$work/big-train" >&2
    touch "$trained/.complete"
  fi
  big="$(sqlite3 "$trained/gongdan.db" 'SELECT COUNT(*) FROM tickets')"
  "$BIN" triage similar --data "$trained" --queries "$QUERIES" --method all >"$work/big" 2>"$work/big-notes"
  similar_table "$big" <"$work/big"
  cat "$work/big-notes"
fi
printf 'similar tickets (nproc %s, load %s)\n' "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
