#!/usr/bin/env python3
"""Figures of issue 23's importers, measured on this machine with build/release/gongdan (or
$GONGDAN_BIN) on SQLite:

1. Import rate: `gongdan import csv` of N tickets with 3 messages each (the documented CSV
   format, made here), on a fresh data directory: tickets per second, beside the baseline of
   `gongdan bench-data` writing the same number of tickets and messages through the same
   ticket-writing steps (no parsing, no people to match), measured in the same run.
2. Interrupted and resumed: an import of RESUME tickets killed with SIGKILL once half of them
   are committed, then run again: the database must end with exactly the source's counts
   (tickets, messages, import references, distinct subjects).

Prints a Markdown table for bench/RESULTS.md, with the load average before and after.
usage: bench/import.py [--tickets 20000] [--resume 100000]
"""
import argparse
import csv
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = os.environ.get("GONGDAN_BIN", str(ROOT / "build" / "release" / "gongdan"))
ENV = {k: v for k, v in os.environ.items() if not k.startswith("GONGDAN_")}
ENV["GONGDAN_ADMIN_PASSWORD"] = "bench-admin-password-1"
SUBJECTS = ["打印机无法连接", "VPN 连接失败", "Invoice address is wrong", "Refund request",
            "账号被锁定", "Cannot log in to portal", "邮箱收不到邮件", "Shipment delayed"]
BODIES = ["您好，办公室的打印机从今天早上开始无法连接，重启之后还是不行，麻烦尽快处理。",
          "Thanks for reaching out. We are looking into it and will update you shortly.",
          "When I connect to the VPN from home I get an authentication error."]


def write_export(path, tickets):
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["ticket", "subject", "status", "priority", "requester_email",
                      "requester_name", "assignee_email", "tags", "created_at", "updated_at",
                      "author_email", "author_role", "internal", "body", "message_created_at"])
        for n in range(tickets):
            customer = f"customer{n % 5000}@example.com"
            agent = f"agent{n % 50}@example.com"
            day = f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}"
            for m, (author, role) in enumerate([(customer, "customer"), (agent, "agent"),
                                                (customer, "customer")]):
                out.writerow([f"T-{n}", f"{SUBJECTS[n % len(SUBJECTS)]} #{n}",
                              "solved" if n % 3 else "open", "normal", customer, f"客户 {n % 5000}",
                              agent, "bench vip" if n % 7 == 0 else "bench",
                              f"{day}T00:00:00Z", f"{day}T03:00:00Z", author, role,
                              "true" if m == 1 and n % 5 == 0 else "false",
                              BODIES[(n + m) % len(BODIES)], f"{day}T0{m}:00:00Z"])


def timed(cmd):
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=ENV, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{proc.stderr}")
    return time.perf_counter() - start, proc


def counts(data):
    with sqlite3.connect(Path(data) / "gongdan.db") as db:
        one = lambda sql: db.execute(sql).fetchone()[0]
        return {"tickets": one("SELECT COUNT(*) FROM tickets"),
                "messages": one("SELECT COUNT(*) FROM messages"),
                "refs": one("SELECT COUNT(*) FROM import_refs WHERE kind = 'ticket'"),
                "subjects": one("SELECT COUNT(DISTINCT subject) FROM tickets")}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=20000)
    parser.add_argument("--resume", type=int, default=100000)
    args = parser.parse_args()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="gongdan-bench-import-") as work:
        work = Path(work)
        export = work / "rate.csv"
        write_export(export, args.tickets)
        seconds, proc = timed([BIN, "import", "csv", str(export), "--data", str(work / "a")])
        rate = args.tickets / seconds
        got = counts(work / "a")
        assert got["tickets"] == args.tickets and got["messages"] == 3 * args.tickets, got
        base_seconds, _ = timed([BIN, "bench-data", "--data", str(work / "b"), "--tickets",
                                 str(args.tickets), "--customers", "5000", "--agents", "50"])
        base_rate = args.tickets / base_seconds

        big = work / "resume.csv"
        write_export(big, args.resume)
        cmd = [BIN, "import", "csv", str(big), "--data", str(work / "c"), "--progress", "lines"]
        first = subprocess.Popen(cmd, env=ENV, text=True, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE)
        start = time.perf_counter()
        for line in first.stderr:
            if line.startswith("committed ") and \
                    int(line.split()[1].replace(",", "")) >= args.resume // 2:
                os.kill(first.pid, signal.SIGKILL)
                break
        first.stderr.close()
        killed = first.wait() == -signal.SIGKILL
        half = counts(work / "c")
        seconds2, _ = timed(cmd[:-2])
        total = time.perf_counter() - start
        final = counts(work / "c")
        exact = final == {"tickets": args.resume, "messages": 3 * args.resume,
                          "refs": args.resume, "subjects": args.resume}
    load_after = os.getloadavg()
    version = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True).stdout.strip()
    print(f"gongdan at {version}; {time.strftime('%Y-%m-%d')}; load average "
          f"{load_before[0]:.1f} before, {load_after[0]:.1f} after; {os.cpu_count()} cores\n")
    print("| Measure | Result | Target | Ratio |")
    print("|---|---|---|---|")
    print(f"| `import csv`, {args.tickets:,} tickets × 3 messages, SQLite | "
          f"{rate:,.0f} tickets/s ({seconds:.1f} s) | ≥ 2,000 tickets/s | "
          f"{rate / 2000:.2f}× the target |")
    print(f"| baseline: `bench-data`, same counts | {base_rate:,.0f} tickets/s "
          f"({base_seconds:.1f} s) | — | import at {rate / base_rate:.2f}× the baseline |")
    print(f"| {args.resume:,} tickets killed (SIGKILL) at half way, then resumed | "
          f"{'killed' if killed else 'NOT killed'} with {half['tickets']:,} committed; "
          f"{final['tickets']:,} tickets, {final['messages']:,} messages, "
          f"{final['refs']:,} references after the rerun ({seconds2:.1f} s; {total:.1f} s in all) | "
          f"exactly the source's counts | {'exact' if exact else 'NOT exact'} |")
    return 0 if exact and killed else 1


if __name__ == "__main__":
    sys.exit(main())
