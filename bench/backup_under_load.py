#!/usr/bin/env python3
"""Backup of a large SQLite install while it serves ticket creates (issue 21).

Copies SOURCE (a data directory made by `gongdan bench-data`, never changed: the copy is made
under WORK) and starts `gongdan serve` on the copy. Then, in one run:

1. baseline: `gongdan backup` of the idle server, timed;
2. a client creates tickets at RATE per second (open loop: each create is due at its time,
   whatever the answers before it), and after WARMUP seconds `gongdan backup` runs again while
   the creates go on, until it finishes;
3. the server stops; the second archive is restored into an empty directory and checked:
   every ticket whose 201 came before the backup started is in it, `PRAGMA integrity_check`
   is ok, every table's row count and checksum in the restored database equal those of the
   database inside the archive, and the tickets and messages equal the live database's up to
   the last ticket and message the restore holds.

Prints the figures as one Markdown table row. usage:

  bench/backup_under_load.py BINARY SOURCE WORK [RATE] [WARMUP]

WORK is emptied first and left with the copies (delete it after).
"""

import hashlib
import http.client
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time

DIGESTS = len(sys.argv) > 1 and sys.argv[1] == "--digests"  # a child process, see digests()
RATE = int(sys.argv[4]) if len(sys.argv) > 4 and not DIGESTS else 500
WARMUP = float(sys.argv[5]) if len(sys.argv) > 5 else 10.0
CONNECTIONS = 32


def run(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        sys.exit(f"{' '.join(map(str, cmd))}: exit {p.returncode}\n{p.stderr[-2000:]}")
    return p


def start_server(binary, data, env):
    proc = subprocess.Popen([binary, "serve", "--data", data, "--listen", "127.0.0.1:0"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    for line in proc.stdout:
        line = line.decode()
        if line.startswith("gongdan listening on http://127.0.0.1:"):
            return proc, int(line.rsplit(":", 1)[1])
    sys.exit("the server did not start")


class Creator:
    """Creates tickets at RATE/s over CONNECTIONS keep-alive connections; records each 201's
    ticket number with the time its answer arrived."""

    def __init__(self, port, token):
        self.port, self.token = port, token
        self.acked = []  # (time of the answer, number)
        self.latencies = []  # (time sent, seconds)
        self.errors = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.next_due = None
        self.sent = 0

    def due(self):
        with self.lock:
            if self.stop.is_set():
                return None
            t = self.next_due
            self.next_due += 1.0 / RATE
            self.sent += 1
            return t, self.sent

    def worker(self):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        while True:
            slot = self.due()
            if slot is None:
                break
            at, i = slot
            wait = at - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            body = json.dumps({"subject": f"under backup {i}", "body": f"load ticket {i}",
                               "requester": {"email": f"load{i % 5000}@example.com"}})
            t0 = time.monotonic()
            try:
                c.request("POST", "/api/v1/tickets", body=body,
                          headers={"Content-Type": "application/json",
                                   "Authorization": f"Bearer {self.token}"})
                r = c.getresponse()
                data = r.read()
            except OSError as e:
                self.errors.append(repr(e))
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                continue
            t1 = time.monotonic()
            if r.status != 201:
                self.errors.append(f"{r.status} {data[:200]!r}")
                continue
            with self.lock:
                self.acked.append((t1, json.loads(data)["number"]))
                self.latencies.append((t0, t1 - t0))

    def start(self):
        self.next_due = time.monotonic()
        self.threads = [threading.Thread(target=self.worker) for _ in range(CONNECTIONS)]
        for t in self.threads:
            t.start()

    def finish(self):
        self.stop.set()
        for t in self.threads:
            t.join()


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))] if values else float("nan")


def table_digest(db, table, id_column=None, max_id=None):
    """(rows, sha256 over the rows in primary-key order), optionally only ids ≤ max_id."""
    where = f" WHERE {id_column} <= {int(max_id)}" if id_column and max_id is not None else ""
    keys = [r[1] for r in sorted((r for r in db.execute(f'PRAGMA table_info("{table}")')
                                  if r[5] > 0), key=lambda r: r[5])]
    if id_column:
        keys = [id_column]
    h = hashlib.sha256()
    n = 0
    if keys:
        order = " ORDER BY " + ", ".join(f'"{k}"' for k in keys)
        rows = db.execute(f'SELECT * FROM "{table}"{where}{order}')
    else:  # no key at all: the rows sorted here
        rows = sorted(db.execute(f'SELECT * FROM "{table}"{where}'), key=repr)
    for row in rows:
        h.update(repr(row).encode())
        n += 1
    return n, h.hexdigest()


def digests(path, tables=None, cut=None):
    """digests_here() in a process of its own: one process reading several 1.3 GB databases in
    turn was refused the later ones ("unable to open database file")."""
    out = subprocess.run([sys.executable, __file__, "--digests", path, json.dumps(tables),
                          json.dumps(cut)], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"digests of {path}: {out.stderr[-2000:]}")
    return {t: tuple(v) for t, v in json.loads(out.stdout).items()}


def digests_here(path, tables=None, cut=None):
    """{table: (rows, checksum)} of a database's ordinary tables (FTS5 and its shadow tables
    left out: they are derived from the tickets and messages). With `cut` ({table: max id}),
    only the rows with ids up to that."""
    db = sqlite3.connect(path)  # only read; mode=ro cannot open a WAL file without its -shm
    if tables is None:
        virtual = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'")]
        tables = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name") if not any(r[0].startswith(v) for v in virtual)]
    out = {}
    for table in tables:
        columns = [r[1] for r in db.execute(f'PRAGMA table_info("{table}")')]
        id_column = "id" if "id" in columns else None
        out[table] = table_digest(db, table, id_column, (cut or {}).get(table))
    db.close()
    return out


def max_ids(path, tables):
    db = sqlite3.connect(path)  # only read; mode=ro cannot open a WAL file without its -shm
    out = {t: db.execute(f'SELECT MAX(id) FROM "{t}"').fetchone()[0] for t in tables}
    db.close()
    return out


def main():
    binary, source, work = sys.argv[1], sys.argv[2], sys.argv[3]
    binary = os.path.abspath(binary)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    data = os.path.join(work, "site")
    t0 = time.monotonic()
    shutil.copytree(source, data)
    print(f"copied {source} in {time.monotonic() - t0:.0f} s", file=sys.stderr)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONGDAN_")}
    env["GONGDAN_ADMIN_PASSWORD"] = "bench-password-1"
    run([binary, "migrate", "--data", data], env=env)
    admin = sqlite3.connect(os.path.join(data, "gongdan.db")).execute(
        "SELECT email FROM users WHERE role IN ('admin', 'agent') AND active = 1 "
        "ORDER BY role = 'admin' DESC, id LIMIT 1").fetchone()[0]
    token = run([binary, "token", "create", "--data", data, "--user", admin,
                 "--scope", "write", "--name", "backup-bench"], env=env).stdout.strip().split()[-1]
    tickets_before = sqlite3.connect(os.path.join(data, "gongdan.db")).execute(
        "SELECT COUNT(*) FROM tickets").fetchone()[0]
    server, port = start_server(binary, data, env)
    try:
        idle_archive = os.path.join(work, "idle.tar")
        t0 = time.monotonic()
        run([binary, "backup", "--data", data, idle_archive], env=env)
        idle_seconds = time.monotonic() - t0

        creator = Creator(port, token)
        creator.start()
        time.sleep(WARMUP)
        archive = os.path.join(work, "loaded.tar")
        backup_started = time.monotonic()
        run([binary, "backup", "--data", data, archive], env=env)
        backup_ended = time.monotonic()
        time.sleep(2)
        creator.finish()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(60)
    if creator.errors:
        print(f"{len(creator.errors)} create errors, first: {creator.errors[0]}", file=sys.stderr)
    acked_before = {n for t, n in creator.acked if t < backup_started}
    during = [(t, n) for t, n in creator.acked if backup_started <= t <= backup_ended]
    backup_seconds = backup_ended - backup_started
    rate_during = len(during) / backup_seconds
    lat_before = [s for t, s in creator.latencies if t < backup_started]
    lat_during = [s for t, s in creator.latencies if backup_started <= t <= backup_ended]

    restored = os.path.join(work, "restored")
    t0 = time.monotonic()
    run([binary, "restore", "--data", restored, archive], env=env)
    restore_seconds = time.monotonic() - t0
    rdb = sqlite3.connect(os.path.join(restored, "gongdan.db"))
    numbers = {r[0] for r in rdb.execute("SELECT number FROM tickets")}
    restored_tickets = len(numbers)
    missing = acked_before - numbers
    integrity = rdb.execute("PRAGMA integrity_check").fetchone()[0]
    rdb.close()
    # The restored database against the snapshot inside the archive: every table equal.
    snapshot_dir = os.path.join(work, "snapshot")
    with tarfile.open(archive) as tar:
        tar.extract("gongdan.db", snapshot_dir)
    restored_db = os.path.join(restored, "gongdan.db")
    restored_sums = digests(restored_db)
    snapshot_sums = digests(os.path.join(snapshot_dir, "gongdan.db"), list(restored_sums))
    differ = [t for t in restored_sums if restored_sums[t] != snapshot_sums[t]]
    # And against the live database cut at the restored maxima: tickets and messages (rows
    # creates add, never change) equal up to the last one the snapshot holds.
    cut = max_ids(restored_db, ["tickets", "messages"])
    restored_cut = digests(restored_db, ["tickets", "messages"], cut)
    live_cut = digests(os.path.join(data, "gongdan.db"), ["tickets", "messages"], cut)
    live_differ = [t for t in live_cut if live_cut[t] != restored_cut[t]]
    size = os.path.getsize(archive)
    print(json.dumps({
        "tickets_at_start": tickets_before, "rate": RATE, "acked_total": len(creator.acked),
        "acked_before_backup": len(acked_before), "acked_during_backup": len(during),
        "errors": len(creator.errors), "archive_bytes": size,
        "idle_backup_s": round(idle_seconds, 1), "loaded_backup_s": round(backup_seconds, 1),
        "ratio": round(backup_seconds / idle_seconds, 2),
        "creates_per_s_during": round(rate_during, 1),
        "p50_ms_before": round(1000 * percentile(lat_before, 50), 1),
        "p99_ms_before": round(1000 * percentile(lat_before, 99), 1),
        "p50_ms_during": round(1000 * percentile(lat_during, 50), 1),
        "p99_ms_during": round(1000 * percentile(lat_during, 99), 1),
        "restore_s": round(restore_seconds, 1), "restored_tickets": restored_tickets,
        "missing_acknowledged": len(missing), "integrity": integrity,
        "tables_compared": len(restored_sums), "tables_differing_from_snapshot": differ,
        "tickets_rows": restored_sums["tickets"][0],
        "live_tables_differing_at_cut": live_differ}, indent=1))


if __name__ == "__main__":
    if DIGESTS:
        print(json.dumps(digests_here(sys.argv[2], json.loads(sys.argv[3]),
                                      json.loads(sys.argv[4]))))
    else:
        main()
