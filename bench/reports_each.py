#!/usr/bin/python3
"""Every distinct query of bench/lua/reports.lua, each timed alone: the slowest first.

The wrk mix (bench/reports.sh) gives one p99 over every query; this says which queries make
it. Each query is asked ROUNDS times one after the other on one keep-alive connection (after
one unmeasured warm-up pass over all of them); per query the median and the worst (with
ROUNDS=10, the worst is the p90–p99 the mix sees of it). The answers are written to ANSWERS
(JSON, query -> body without timing fields) so two builds can be compared on the same data.

  URL=http://127.0.0.1:PORT TOKEN=… TO=YYYY-MM-DD [ROUNDS=10] [ANSWERS=file] [TOP=25] \
      /usr/bin/python3 bench/reports_each.py
"""
import datetime
import http.client
import json
import os
import statistics
import time
import urllib.parse

METRICS = ["tickets_created", "tickets_solved", "tickets_reopened", "first_response_time",
           "resolution_time", "agent_replies", "csat", "csat_response_rate", "sla_compliance",
           "sla_first_response_compliance", "sla_next_response_compliance",
           "sla_resolution_compliance"]
GROUPS = ["", "day", "week", "month", "department", "agent", "priority", "type", "channel",
          "tag", "organization"]
RANGES = [7, 30, 90, 365]
TAGS = ["vip", "printer", "vpn", "billing"]


def queries(to):
    end = datetime.date.fromisoformat(to)
    out = [f"/api/v1/reports/backlog?group_by={g}"
           for g in ("age", "department", "agent", "priority", "tag")]
    for metric in METRICS:
        base = f"/api/v1/reports/{metric}?tz=Asia/Shanghai&to={to}"
        frm = {d: (end - datetime.timedelta(days=d - 1)).isoformat() for d in RANGES}
        out.append(f"{base}&from={frm[7]}&group_by=hour")
        for days in RANGES:
            for group in GROUPS:
                out.append(f"{base}&from={frm[days]}&group_by={group}")
                if group in ("", "day", "department", "agent"):
                    out += [f"{base}&from={frm[days]}&group_by={group}&tag={t}" for t in TAGS]
    return out


def main():
    url = urllib.parse.urlparse(os.environ["URL"])
    headers = {"Authorization": "Bearer " + os.environ["TOKEN"]}
    rounds = int(os.environ.get("ROUNDS", "10"))
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    qs = queries(os.environ["TO"])
    answers = {}

    def ask(path):
        start = time.perf_counter()
        conn.request("GET", path, headers=headers)
        r = conn.getresponse()
        body = r.read()
        took = (time.perf_counter() - start) * 1000
        if r.status != 200:
            raise SystemExit(f"{path}: {r.status} {body[:200]!r}")
        return took, body

    for q in qs:  # warm-up, and the answers
        _, body = ask(q)
        answers[q] = json.loads(body)
    times = {q: [] for q in qs}
    for _ in range(rounds):
        for q in qs:
            times[q].append(ask(q)[0])
    if os.environ.get("ANSWERS"):
        with open(os.environ["ANSWERS"], "w") as f:
            json.dump(answers, f, sort_keys=True, indent=0)
    every = sorted(t for ts in times.values() for t in ts)
    p = lambda xs, f: xs[min(len(xs) - 1, int(len(xs) * f))]
    print(f"{len(qs)} queries x {rounds}: all requests p50 {p(every, .5):.1f} ms, "
          f"p99 {p(every, .99):.1f} ms, max {every[-1]:.1f} ms")
    worst = sorted(qs, key=lambda q: -max(times[q]))
    print("| query | median ms | worst ms |\n|---|---|---|")
    for q in worst[:int(os.environ.get("TOP", "25"))]:
        short = q.replace("/api/v1/reports/", "").replace("tz=Asia/Shanghai&", "")
        print(f"| `{short}` | {statistics.median(times[q]):.1f} | {max(times[q]):.1f} |")


if __name__ == "__main__":
    main()
