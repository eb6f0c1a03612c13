#!/usr/bin/env python3
"""The cost of encryption at rest on attachments (issue 21, docs/encryption.md): upload and
download throughput of SIZE_MB attachments through the HTTP API, on a build that encrypts the
attachment store (NEW) beside one that does not (BASE, a build of main before encryption), each
on its own empty SQLite data directory. The two servers are measured in turns, ROUNDS times, so
both see the same machine; each upload has distinct bytes (no deduplication). Prints the median
MB/s of each and the ratios NEW/BASE.

usage: bench/attachment_crypto.py BASE_BINARY NEW_BINARY [SIZE_MB] [ROUNDS]
"""

import http.client
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time

PASSWORD = "bench-password-1"


class Desk:
    def __init__(self, binary, data_dir, size):
        env = dict(os.environ, GONGDAN_ADMIN_PASSWORD=PASSWORD,
                   GONGDAN_ATTACHMENT_LIMIT=str(size * 2), GONGDAN_BODY_LIMIT=str(size * 2))
        self.proc = subprocess.Popen([binary, "serve", "--data", data_dir, "--listen",
                                      "127.0.0.1:0"], stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, env=env)
        m = None
        for line in self.proc.stdout:
            m = re.match(rb"gongdan listening on http://127\.0\.0\.1:(\d+)", line)
            if m:
                break
        if not m:
            sys.exit(f"{binary} serve exited without listening")
        self.port = int(m.group(1))
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        r, headers = self.call("POST", "/api/v1/auth/login",
                               json.dumps({"email": "admin@localhost", "password": PASSWORD}),
                               "application/json", auth=False)
        self.cookie = re.search(r"gongdan_session=([^;]*)", headers["Set-Cookie"]).group(1)
        self.csrf = json.loads(r)["csrf_token"]

    def call(self, method, path, body=None, content_type=None, auth=True):
        headers = {}
        if content_type:
            headers["Content-Type"] = content_type
        if auth:
            headers["Cookie"] = f"gongdan_session={self.cookie}"
            headers["X-CSRF-Token"] = self.csrf
        self.conn.request(method, path, body=body, headers=headers)
        resp = self.conn.getresponse()
        data = resp.read()
        if resp.status >= 300:
            sys.exit(f"{method} {path}: {resp.status} {data[:300]!r}")
        return data, resp.headers

    def upload(self, data):
        t0 = time.perf_counter()
        r, _ = self.call("POST", "/api/v1/attachments?filename=bench.bin", data,
                         "application/octet-stream")
        return time.perf_counter() - t0, json.loads(r)["items"][0]["id"]

    def download(self, att, size):
        t0 = time.perf_counter()
        data, _ = self.call("GET", f"/api/v1/attachments/{att}")
        assert len(data) == size
        return time.perf_counter() - t0

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(60)


def main():
    base, new = sys.argv[1], sys.argv[2]
    size = int(float(sys.argv[3]) * 1024 * 1024) if len(sys.argv) > 3 else 8 * 1024 * 1024
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 12
    block = os.urandom(size)
    figures = {"base": {"up": [], "down": []}, "new": {"up": [], "down": []}}
    with tempfile.TemporaryDirectory(prefix="bench-security-", dir="/var/tmp") as tmp:
        desks = {"base": Desk(base, os.path.join(tmp, "base"), size),
                 "new": Desk(new, os.path.join(tmp, "new"), size)}
        try:
            for i in range(rounds):
                data = i.to_bytes(8, "little") + block[8:]  # distinct bytes each round
                for name in (("base", "new") if i % 2 == 0 else ("new", "base")):
                    up, att = desks[name].upload(data)
                    down = desks[name].download(att, size)
                    figures[name]["up"].append(size / up / 1e6)
                    figures[name]["down"].append(size / down / 1e6)
        finally:
            for d in desks.values():
                d.stop()
    med = {n: {k: statistics.median(v) for k, v in f.items()} for n, f in figures.items()}
    print(f"size={size / 1048576:.1f}MiB rounds={rounds} "
          f"upload base={med['base']['up']:.0f}MB/s new={med['new']['up']:.0f}MB/s "
          f"ratio={med['new']['up'] / med['base']['up']:.2f} "
          f"download base={med['base']['down']:.0f}MB/s new={med['new']['down']:.0f}MB/s "
          f"ratio={med['new']['down'] / med['base']['down']:.2f}")


if __name__ == "__main__":
    main()
