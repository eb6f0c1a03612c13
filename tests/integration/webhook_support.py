"""A webhook receiver for the tests: an HTTP server on 127.0.0.1 (a free port) that records every
POST, checks its X-Gongdan-Signature, and can be told to fail the first tries of each delivery or
to answer slowly."""

import hashlib
import hmac
import json as jsonlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from waiting import wait_until


class Receiver:
    def __init__(self, fail_first=0, delay=0.0, status=200):
        self.fail_first = fail_first  # answer 500 to the first N tries of each delivery id
        self.delay = delay
        self.status = status
        self.requests = []  # dicts: path, headers, body (bytes), json, at
        self.lock = threading.Lock()
        self.tries = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                if receiver.delay:
                    time.sleep(receiver.delay)  # a slow peer, on purpose
                delivery = self.headers.get("X-Gongdan-Delivery", "")
                with receiver.lock:
                    n = receiver.tries.get(delivery, 0) + 1
                    receiver.tries[delivery] = n
                    failing = n <= receiver.fail_first
                    try:
                        parsed = jsonlib.loads(body.decode("utf-8"))
                    except ValueError:
                        parsed = None
                    receiver.requests.append({"path": self.path, "headers": dict(self.headers),
                                              "body": body, "json": parsed, "try": n,
                                              "status": 500 if failing else receiver.status,
                                              "at": time.time()})
                status = 500 if failing else receiver.status
                out = b'{"ok":false}' if failing else b'{"ok":true}'
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hook"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def snapshot(self):
        with self.lock:
            return list(self.requests)

    def succeeded(self):
        return [r for r in self.snapshot() if r["status"] == 200]

    def wait_for(self, predicate, timeout=30.0, what="webhook deliveries"):
        def ready():
            snapshot = self.snapshot()
            return (snapshot,) if predicate(snapshot) else None

        try:
            return wait_until(ready, timeout, what=what)[0]
        except AssertionError:
            raise AssertionError(f"timed out waiting for {what}; got {len(self.snapshot())}")


def signature_ok(request, secret):
    ts = request["headers"].get("X-Gongdan-Timestamp", "")
    sig = request["headers"].get("X-Gongdan-Signature", "")
    want = "sha256=" + hmac.new(secret.encode(), ts.encode() + b"." + request["body"],
                                hashlib.sha256).hexdigest()
    return hmac.compare_digest(sig, want)


def write_config(path, allow_hosts=("127.0.0.1",), retry_base_ms=100, retry_cap_ms=400,
                 max_attempts=5, workers=4, extra=""):
    hosts = ", ".join(f'"{h}"' for h in allow_hosts)
    path.write_text(f"webhook_allow_hosts = [{hosts}]\n"
                    f"job_retry_base_ms = {retry_base_ms}\n"
                    f"job_retry_cap_ms = {retry_cap_ms}\n"
                    f"job_max_attempts = {max_attempts}\n"
                    f"job_workers = {workers}\n"
                    f"webhook_timeout_seconds = 5\n" + extra)
    return path
