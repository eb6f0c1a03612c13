#!/usr/bin/env python3
"""Mail intake throughput through POST /api/v1/mail/inbound (what mailgate calls), against the
real server on a fresh data directory.

    bench/mail_ingest.py [MESSAGES] [CONCURRENCY]      (default 3000 messages, 16 senders)

The mix follows issue 4: mixed sizes, 20% with an attachment, 30% replies to existing tickets
(by In-Reply-To). Every message is durable when answered (the server answers after commit).
Prints messages/s. Needs build/release/gongdan; standard library only."""

import http.client
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = os.environ.get("GONGDAN_BIN", str(ROOT / "build" / "release" / "gongdan"))


def message(i, reply_to=None):
    rnd = random.Random(i)
    body = ("打印机无法连接，错误代码 0x%04x。" % i) * rnd.choice((1, 5, 40, 200))
    headers = [f"From: Customer {i % 500} <c{i % 500}@example.com>",
               "To: support@desk.example", f"Subject: 问题 {i}",
               f"Message-ID: <bench.{i}@example.com>", "MIME-Version: 1.0"]
    if reply_to is not None:
        headers.append(f"In-Reply-To: <bench.{reply_to}@example.com>")
    if i % 5 == 0:
        att = os.urandom(rnd.choice((2_000, 20_000, 100_000))).hex()[:60_000]
        import base64
        b64 = base64.encodebytes(att.encode()).decode().replace("\n", "\r\n")
        parts = ["Content-Type: multipart/mixed; boundary=\"b\"", "", "--b",
                 "Content-Type: text/plain; charset=utf-8", "", body, "--b",
                 "Content-Type: application/octet-stream; name=\"log.txt\"",
                 "Content-Transfer-Encoding: base64", "", b64, "--b--", ""]
        return "\r\n".join(headers + parts).encode()
    return "\r\n".join(headers + ["Content-Type: text/plain; charset=utf-8", "", body, ""]).encode()


def main():
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    concurrency = int(sys.argv[2]) if len(sys.argv) > 2 else 16
    data = tempfile.mkdtemp(prefix="gongdan-bench-mail-")
    env = dict(os.environ, GONGDAN_ADMIN_PASSWORD="bench-password-1")
    proc = subprocess.Popen([BIN, "serve", "--data", data, "--listen", "127.0.0.1:0",
                             "--log-level", "warn"], stdout=subprocess.PIPE, env=env)
    try:
        port = None
        for line in proc.stdout:
            m = re.search(rb"listening on http://127.0.0.1:(\d+)", line)
            if m:
                port = int(m.group(1))
                break
        token = subprocess.run([BIN, "token", "create", "--data", data, "--user",
                                "admin@localhost", "--scope", "mail"], capture_output=True,
                               text=True, env=env, check=True).stdout.strip()
        # First the tickets that replies answer, then the timed mix.
        originals = list(range(total))
        rng = random.Random(1)
        plan = []
        for i in range(total):
            if i > 50 and rng.random() < 0.3:
                plan.append((total + i, rng.randrange(0, i)))
            else:
                plan.append((i, None))
        work = [message(i, r) for i, r in plan]
        del originals
        lock = threading.Lock()
        index = [0]
        errors = []

        def sender():
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            while True:
                with lock:
                    if index[0] >= len(work):
                        break
                    raw = work[index[0]]
                    index[0] += 1
                conn.request("POST", "/api/v1/mail/inbound", body=raw,
                             headers={"Authorization": f"Bearer {token}",
                                      "Content-Type": "message/rfc822"})
                r = conn.getresponse()
                r.read()
                if r.status not in (200, 201, 202):
                    errors.append(r.status)

        started = time.monotonic()
        threads = [threading.Thread(target=sender) for _ in range(concurrency)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
        print(json.dumps({"messages": total, "concurrency": concurrency,
                          "seconds": round(elapsed, 2),
                          "messages_per_second": round(total / elapsed, 1),
                          "errors": len(errors)}))
    finally:
        proc.terminate()
        proc.wait(30)
        subprocess.run(["rm", "-rf", data])


if __name__ == "__main__":
    main()
