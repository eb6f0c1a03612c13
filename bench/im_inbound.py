#!/usr/bin/env python3
"""Inbound IM throughput (issue 20): messages through the channel framework's whole path, against
the real server on a fresh data directory.

    bench/im_inbound.py [MESSAGES] [PROCESSES] [THREADS]     (default 20000, 4, 8)

A generic signed-JSON source (docs/channels.md) gets MESSAGES webhook posts from PROCESSES x
THREADS senders on keep-alive connections. Each post is signed when sent (HMAC-SHA256 over the
timestamp and the raw body, as a provider would) and the server checks the signature, claims the
event id (dedupe), finds or makes the contact by provider identity, and opens a ticket or adds
to the sender's open one, answering after the commit. The mix: 2,000 senders, so the first
message of each opens a ticket and the rest join it; one post in ten repeats an event already
sent (a provider retry), which must answer "duplicate" and add nothing. At the end the counts
are checked: one "created" per sender, the rest "added" or "duplicate", and the source's
`received` counter (messages stored) equal to the distinct events.

Prints messages/s (every post, duplicates included, answered 200) beside the target of 1,000/s.
Needs build/release/gongdan; standard library only."""

import hashlib
import hmac
import http.client
import json
import multiprocessing
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = os.environ.get("GONGDAN_BIN", str(ROOT / "build" / "release" / "gongdan"))
PASSWORD = "bench-password-1"
SENDERS = 2000  # customers: one in ten never writes, as posts 9, 19, … are repeats


def plan(total):
    """(event id, sender, text) for each post, in order; one in ten repeats an earlier event."""
    out = []
    for i in range(total):
        if i % 10 == 9:
            out.append(out[i - 5])
        else:
            sender = i % SENDERS
            out.append((f"evt-{i}", f"customer-{sender}",
                        f"订单 {i} 还没有到，请帮忙查一下物流。Order {i} has not arrived."))
    return out


def send_share(port, source, secret, work, answers):
    """One process: THREADS senders over its share of the plan; puts the answers' counts."""
    counts = {}
    lock = threading.Lock()
    index = [0]

    def sender():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine = {}
        while True:
            with lock:
                if index[0] >= len(work):
                    break
                event, who, text = work[index[0]]
                index[0] += 1
            raw = json.dumps({"id": event, "from": {"id": who, "name": who}, "text": text},
                             ensure_ascii=False).encode()
            ts = str(int(time.time()))
            sig = hmac.new(secret, ts.encode() + b"." + raw, hashlib.sha256).hexdigest()
            conn.request("POST", f"/api/v1/inbound/{source}/webhook", body=raw,
                         headers={"Content-Type": "application/json",
                                  "X-Gongdan-Timestamp": ts,
                                  "X-Gongdan-Signature": "sha256=" + sig})
            r = conn.getresponse()
            body = r.read()
            key = json.loads(body).get("result") if r.status == 200 else f"http {r.status}"
            mine[key] = mine.get(key, 0) + 1
        with lock:
            for k, v in mine.items():
                counts[k] = counts.get(k, 0) + v

    threads = [threading.Thread(target=sender) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    answers.put(counts)


def api(port, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    data = json.dumps(body).encode() if body is not None else None
    conn.request(method, path, body=data,
                 headers={"Content-Type": "application/json", **(headers or {})})
    r = conn.getresponse()
    raw = r.read()
    return r.status, (json.loads(raw) if raw else None), r.getheader("Set-Cookie")


THREADS = 8


def main():
    global THREADS
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    processes = int(sys.argv[2]) if len(sys.argv) > 2 else 4
    THREADS = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    data = tempfile.mkdtemp(prefix="gongdan-bench-im-")
    env = dict(os.environ, GONGDAN_ADMIN_PASSWORD=PASSWORD)
    proc = subprocess.Popen([BIN, "serve", "--data", data, "--listen", "127.0.0.1:0",
                             "--log-level", "warn"], stdout=subprocess.PIPE, env=env)
    try:
        port = None
        for line in proc.stdout:
            m = re.search(rb"listening on http://127.0.0.1:(\d+)", line)
            if m:
                port = int(m.group(1))
                break
        status, me, cookie = api(port, "POST", "/api/v1/auth/login",
                                 {"email": "admin@localhost", "password": PASSWORD})
        admin = {"Cookie": cookie.split(";")[0], "X-CSRF-Token": me["csrf_token"]}
        _, dept, _ = api(port, "POST", "/api/v1/departments", {"name": "IM"}, admin)
        status, source, _ = api(port, "POST", "/api/v1/inbound-sources",
                                {"kind": "generic", "name": "bench", "department": dept["id"]},
                                admin)
        assert status == 201, source
        secret = source["signing_secret"].encode()
        work = plan(total)
        shares = [work[i::processes] for i in range(processes)]
        answers = multiprocessing.Queue()
        workers = [multiprocessing.Process(target=send_share,
                                           args=(port, source["id"], secret, share, answers))
                   for share in shares]
        started = time.monotonic()
        for w in workers:
            w.start()
        counts = {}
        for _ in workers:
            for k, v in answers.get().items():
                counts[k] = counts.get(k, 0) + v
        for w in workers:
            w.join()
        elapsed = time.monotonic() - started
        # Check what was stored: one ticket per sender, one message per distinct event.
        _, state, _ = api(port, "GET", f"/api/v1/inbound-sources/{source['id']}", None, admin)
        distinct = len({e for e, _, _ in work})
        senders = len({who for _, who, _ in work})
        assert counts.get("created") == senders, counts
        assert counts.get("duplicate") == total - distinct, counts
        assert state.get("received") == distinct, state
        rate = total / elapsed
        print(json.dumps({
            "posts": total, "distinct_events": distinct, "senders": senders,
            "processes": processes, "threads_each": THREADS, "seconds": round(elapsed, 2),
            "messages_per_second": round(rate, 1), "target": 1000,
            "ratio_to_target": round(rate / 1000, 2), "answers": counts,
            "received_by_source": state.get("received"),
            "uptime": subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(),
        }, ensure_ascii=False))
    finally:
        proc.terminate()
        proc.wait(30)
        subprocess.run(["rm", "-rf", data])


if __name__ == "__main__":
    main()
