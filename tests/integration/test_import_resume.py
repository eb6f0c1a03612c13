"""An import killed with SIGKILL half way and run again ends with exactly the source's counts:
the tickets of each batch commit with the source's checkpoint, so nothing is half there and
nothing is written twice. Counted in the database itself, on SQLite and PostgreSQL."""

import csv
import os
import signal
import sqlite3
import subprocess

from conftest import BIN, base_env, database_for, run_cli

TICKETS = 6000
BATCH = 100


def write_export(path):
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["ticket", "subject", "status", "requester_email", "created_at",
                      "author_email", "author_role", "body", "message_created_at"])
        for n in range(TICKETS):
            customer = f"c{n % 500}@example.com"
            for m, (author, role) in enumerate([(customer, "customer"),
                                                ("agent@example.com", "agent"),
                                                (customer, "customer")]):
                out.writerow([f"R-{n}", f"第 {n} 号工单 ticket {n}", "solved" if n % 3 else "open",
                              customer, "2024-01-01T00:00:00Z", author, role,
                              f"message {m} of ticket {n}", f"2024-01-01T0{m}:00:00Z"])


def counts(data_dir):
    queries = {"tickets": "SELECT COUNT(*) FROM tickets",
               "messages": "SELECT COUNT(*) FROM messages",
               "refs": "SELECT COUNT(*) FROM import_refs WHERE kind = 'ticket'",
               "distinct": "SELECT COUNT(DISTINCT subject) FROM tickets",
               "people": "SELECT COUNT(*) FROM users WHERE email LIKE '%@example.com'"}
    url = database_for(data_dir)
    out = {}
    for name, sql in queries.items():
        if url:
            proc = subprocess.run(["psql", "-qtA", url, "-c", sql], capture_output=True,
                                  text=True, check=True)
            out[name] = int(proc.stdout.strip())
        else:
            with sqlite3.connect(data_dir / "gongdan.db") as db:
                out[name] = db.execute(sql).fetchone()[0]
    return out


def test_killed_half_way_and_resumed_ends_with_the_exact_counts(tmp_path):
    export = tmp_path / "tickets.csv"
    write_export(export)
    data = tmp_path / "data"
    env = base_env()
    if database_for(data):
        env["GONGDAN_DATABASE"] = database_for(data)
    proc = subprocess.Popen([BIN, "import", "csv", str(export), "--data", str(data), "--batch",
                             str(BATCH), "--progress", "lines"], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for line in proc.stderr:
            # "committed 3,100 of 6,000 tickets  …"
            if line.startswith("committed ") and \
                    int(line.split()[1].replace(",", "")) >= TICKETS // 2:
                os.kill(proc.pid, signal.SIGKILL)
                break
    finally:
        proc.stderr.close()
        proc.stdout.close()
        rc = proc.wait(timeout=60)
    assert rc == -signal.SIGKILL, "the import ended before it was killed"
    half = counts(data)
    assert TICKETS // 2 <= half["tickets"] < TICKETS, half
    assert half["tickets"] % BATCH == 0 and half["messages"] == 3 * half["tickets"], half
    assert half["refs"] == half["tickets"], half

    again = run_cli([BIN, "import", "csv", str(export), "--data", str(data), "--batch",
                     str(BATCH)], timeout=600)
    assert again.returncode == 0, again.stderr
    assert f"resuming csv at ticket {half['tickets'] + 1:,}" in again.stderr, again.stderr
    assert f"tickets imported {TICKETS - half['tickets']}," in again.stdout, again.stdout
    assert counts(data) == {"tickets": TICKETS, "messages": 3 * TICKETS, "refs": TICKETS,
                            "distinct": TICKETS, "people": 501}
