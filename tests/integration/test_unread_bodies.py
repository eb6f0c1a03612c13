"""Issue 16, item 6, and /metrics. A stranger's large body (raw mail, uploads) is refused from its
headers before it is read, and the bodies being read at once are bounded in memory: beyond the
budget a request gets 503 before its body is read, instead of the server's memory growing. The
metrics are served with metrics_token, or only to the machine itself."""

import re
import socket
import threading

from conftest import BIN, assert_error, parse_raw_status, raw_json_body, run_cli

MiB = 1 << 20


def peak_rss_kib(srv):
    """The server's peak resident memory so far (VmHWM), in KiB."""
    for line in open(f"/proc/{srv.proc.pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


def send_head(srv, path, length, headers=None, timeout=10.0):
    s = socket.create_connection((srv.host, srv.port), timeout=timeout)
    headers = {"Content-Type": "message/rfc822", **(headers or {})}
    lines = [f"POST {path} HTTP/1.1", f"Host: {srv.host}:{srv.port}",
             f"Content-Length: {length}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    return s


def answer_within(s, seconds):
    """The status of an answer that arrives within `seconds` without our sending the body."""
    s.settimeout(seconds)
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head)
        while length and len(body) < int(length.group(1)):
            chunk = s.recv(65536)
            if not chunk:
                break
            body += chunk
            data += chunk
    except (socket.timeout, TimeoutError):
        return None, data
    return parse_raw_status(data), data


def test_a_strangers_large_body_is_refused_before_it_is_read(server):
    for path, headers, status in (
            ("/api/v1/mail/inbound", {}, 401),
            ("/api/v1/mail/inbound", {"Authorization": "Bearer " + "x" * 43}, 401),
            ("/api/v1/attachments?filename=a.bin", {}, 401),
            ("/api/v1/tickets", {"Content-Type": "multipart/form-data; boundary=b"}, 401),
            ("/api/v1/nowhere", {"Content-Type": "multipart/form-data; boundary=b"}, 404)):
        s = send_head(server, path, 20 * MiB, headers)
        try:
            got, data = answer_within(s, 3.0)
            assert got == status, (path, got, data[:300])
        finally:
            s.close()
    assert server.healthy()


def test_a_customer_cannot_send_mail_bodies_at_all(server):
    cust = server.customer_session()
    s = send_head(server, "/api/v1/mail/inbound", 20 * MiB,
                  {"Cookie": f"gongdan_session={cust.cookie}", "X-CSRF-Token": cust.csrf})
    try:
        got, data = answer_within(s, 3.0)
        assert got == 403, data[:300]
    finally:
        s.close()


def test_the_100_continue_handshake_is_answered_after_the_check(server, admin):
    tok = admin.post("/api/v1/tokens", json={"name": "gate", "scopes": ["mail"]}).body["token"]
    s = send_head(server, "/api/v1/mail/inbound", 10, {"Expect": "100-continue"})
    got, _ = answer_within(s, 3.0)
    s.close()
    assert got == 401
    s = send_head(server, "/api/v1/mail/inbound", 10,
                  {"Expect": "100-continue", "Authorization": f"Bearer {tok}"})
    try:
        got, _ = answer_within(s, 3.0)
        assert got == 100
    finally:
        s.close()


def admitted(s):
    """Whether the server will read this body: it says so with 100 Continue (we sent Expect),
    or refuses it at once."""
    got, data = answer_within(s, 10.0)
    assert got is not None, "no answer to Expect: 100-continue"
    return got == 100, got


def test_bodies_beyond_the_memory_budget_get_503_not_memory(start_server, tmp_path):
    cfg = tmp_path / "budget.toml"
    cfg.write_text(f"mail_limit = {32 * MiB}\nbody_memory_limit = {70 * MiB}\n")
    srv = start_server(args=["--config", str(cfg)])
    tok = srv.admin.post("/api/v1/tokens", json={"name": "gate", "scopes": ["mail"]}).body["token"]
    before = peak_rss_kib(srv)
    results = [None] * 8
    answered = threading.Barrier(8)  # every request has been admitted or refused
    sent = threading.Barrier(8)  # the admitted ones have sent most of their body
    chunk = b"x" * MiB

    def upload(i):
        s = send_head(srv, "/api/v1/mail/inbound", 32 * MiB,
                      {"Authorization": f"Bearer {tok}", "Expect": "100-continue"})
        try:
            ok, status = admitted(s)
            results[i] = "reading" if ok else status
            answered.wait()
            if ok:
                for _ in range(24):  # most of the body; all of them at once
                    s.sendall(chunk)
            sent.wait()
        finally:
            s.close()

    threads = [threading.Thread(target=upload, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    grown_mib = (peak_rss_kib(srv) - before) / 1024
    assert results.count("reading") == 2, results  # 2 × 32 MiB fit in 70 MiB
    assert results.count(503) == 6, results
    # Eight 32 MiB bodies read at once used to take 250 MiB and more.
    assert grown_mib < 120, f"peak memory grew by {grown_mib:.0f} MiB"
    # The budget comes back once those requests are over.
    r = srv.bearer(tok).post("/api/v1/mail/inbound", raw_body=b"Subject: x\r\n\r\nhi\r\n",
                             headers={"Content-Type": "message/rfc822"})
    assert r.status in (201, 202), r


def test_the_budget_answer_is_a_clear_503(start_server, tmp_path):
    cfg = tmp_path / "budget.toml"
    cfg.write_text(f"mail_limit = {32 * MiB}\nbody_memory_limit = {40 * MiB}\n")
    srv = start_server(args=["--config", str(cfg)])
    tok = srv.admin.post("/api/v1/tokens", json={"name": "gate", "scopes": ["mail"]}).body["token"]
    gate = {"Authorization": f"Bearer {tok}", "Expect": "100-continue"}
    first = send_head(srv, "/api/v1/mail/inbound", 30 * MiB, gate)
    try:
        assert admitted(first) == (True, 100)
        second = send_head(srv, "/api/v1/mail/inbound", 30 * MiB, gate)
        got, data = answer_within(second, 10.0)
        second.close()
        assert got == 503, data[:300]
        assert b"retry-after: 2" in data.lower()
        assert raw_json_body(data)["error"]["code"] == "unavailable"
    finally:
        first.close()


def test_metrics_want_the_token_when_one_is_set(start_server):
    token = "m" * 32
    srv = start_server(env={"GONGDAN_METRICS_TOKEN": token})
    assert_error(srv.get("/metrics"), 401, "unauthenticated")
    assert_error(srv.get("/metrics", headers={"Authorization": "Bearer " + "n" * 32}), 401,
                 "unauthenticated")
    r = srv.get("/metrics", headers={"Authorization": f"Bearer {token}"})
    assert r.status == 200 and "gongdan_http_requests_total" in r.body


def test_metrics_without_a_token_only_for_this_machine(server):
    assert server.get("/metrics").status == 200
    # A client a proxy forwarded (even from this machine's proxy) is not this machine.
    assert_error(server.get("/metrics", headers={"X-Forwarded-For": "203.0.113.5"}), 404,
                 "not_found")


def test_a_short_metrics_token_is_refused(tmp_path):
    cfg = tmp_path / "short.toml"
    cfg.write_text('metrics_token = "short"\n')
    p = run_cli([BIN, "serve", "--config", str(cfg), "--data", str(tmp_path / "d"), "--listen",
                 "127.0.0.1:0"], timeout=20)
    assert p.returncode != 0 and "metrics_token" in p.stderr
