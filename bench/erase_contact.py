#!/usr/bin/env python3
"""Erasure of a contact with many tickets (issue 21): starts `gongdan serve` on an empty data
directory (SQLite, or PostgreSQL with GONGDAN_DATABASE set), makes one contact with TICKETS
tickets through the API (each with their message naming them and an agent's reply greeting
them by name), times POST /api/v1/contacts/{id}/erase, then searches for their name and each
address and counts what is found. Beside it, as the baseline, the erasure of a contact with one
ticket, timed in the same run. Prints one line of figures.

usage: bench/erase_contact.py BINARY [TICKETS]
"""

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from urllib.parse import quote

PASSWORD = "bench-password-1"


class Desk:
    def __init__(self, port):
        self.port = port
        r, headers = self.call("POST", "/api/v1/auth/login",
                               {"email": "admin@localhost", "password": PASSWORD})
        self.cookie = re.search(r"gongdan_session=([^;]*)", headers["Set-Cookie"]).group(1)
        self.csrf = r["csrf_token"]

    def call(self, method, path, body=None):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Content-Type": "application/json"}
        if hasattr(self, "cookie"):
            headers["Cookie"] = f"gongdan_session={self.cookie}"
            headers["X-CSRF-Token"] = self.csrf
        c.request(method, path, body=json.dumps(body) if body is not None else None,
                  headers=headers)
        resp = c.getresponse()
        data = resp.read()
        c.close()
        if resp.status >= 300:
            sys.exit(f"{method} {path}: {resp.status} {data[:300]!r}")
        return (json.loads(data) if data else None), resp.headers


def contact_with_tickets(desk, tag, tickets):
    name = f"Erasable {tag}"
    email = f"{tag}@example.com"
    phone = "+86 137 0000 " + ("0001" if tag.startswith("one") else "0002")
    user, _ = desk.call("POST", "/api/v1/contacts", {"email": email, "name": name,
                                                    "phones": [phone]})
    for i in range(tickets):
        t, _ = desk.call("POST", "/api/v1/tickets", {
            "subject": f"printer {i}", "body": f"I am {name}, call {phone} or mail {email}",
            "requester": {"email": email, "name": name}})
        desk.call("POST", f"/api/v1/tickets/{t['number']}/messages",
                  {"body": f"Dear {name}, we will look at it.", "internal": False})
    return user["id"], [tag, email, phone]


def timed_erase(desk, contact_id):
    t0 = time.perf_counter()
    report, _ = desk.call("POST", f"/api/v1/contacts/{contact_id}/erase", {"confirm": True})
    return time.perf_counter() - t0, report


def found(desk, words):
    n = 0
    for w in words:
        r, _ = desk.call("GET", "/api/v1/search?q=" + quote(f'"{w}"'))
        n += len(r["items"]) + len(r["contacts"])
    return n


def main():
    binary = sys.argv[1]
    tickets = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    with tempfile.TemporaryDirectory(prefix="gongdan-erase-") as tmp:
        env = dict(os.environ, GONGDAN_ADMIN_PASSWORD=PASSWORD)
        p = subprocess.Popen([binary, "serve", "--data", os.path.join(tmp, "data"), "--listen",
                              "127.0.0.1:0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             env=env)
        m = None
        try:
            for line in p.stdout:
                m = re.match(rb"gongdan listening on http://127\.0\.0\.1:(\d+)", line)
                if m:
                    break
            if not m:
                sys.exit("gongdan serve exited without listening")
            desk = Desk(int(m.group(1)))
            stamp = str(int(time.time()))
            one_id, _ = contact_with_tickets(desk, "one" + stamp, 1)
            many_id, words = contact_with_tickets(desk, "many" + stamp, tickets)
            before = found(desk, words)
            one_s, _ = timed_erase(desk, one_id)
            many_s, report = timed_erase(desk, many_id)
            after = found(desk, words)
            print(f"tickets={report['tickets']} messages={report['messages']} "
                  f"erase={many_s:.3f}s baseline_one_ticket={one_s:.3f}s "
                  f"ratio={many_s / one_s:.1f}x found_before={before} found_after={after}")
        finally:
            p.send_signal(signal.SIGTERM)
            p.wait(30)


if __name__ == "__main__":
    main()
