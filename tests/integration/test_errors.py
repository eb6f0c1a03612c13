"""Bad input: malformed HTTP, oversized requests, bad JSON. Always a clear JSON error with the right
status, never a 500, never a crash (after every hostile request /healthz still answers)."""

import json
import socket
import threading
import time

import pytest

from conftest import (ADMIN_EMAIL, ADMIN_PASSWORD, assert_error, parse_raw_status, raw_json_body)


@pytest.fixture(autouse=True)
def still_healthy(server):
    yield
    assert server.healthy(), "server stopped answering /healthz after this test"


def test_unknown_route_is_404(server):
    for path in ("/nope", "/api/v1/nope", "/api/v2/me", "/api/v1/agents/1/nope", "/healthz/x"):
        assert_error(server.get(path), 404, "not_found")


def test_unknown_route_404_even_with_post(server):
    assert_error(server.post("/api/v1/nothing-here", json={}), 404, "not_found")


@pytest.mark.parametrize("method,path,allowed", [
    ("DELETE", "/healthz", "GET"),
    ("POST", "/readyz", "GET"),
    ("GET", "/api/v1/auth/login", "POST"),
    ("PUT", "/api/v1/auth/logout", "POST"),
    ("DELETE", "/api/v1/me", "GET"),
    ("DELETE", "/api/v1/agents", "POST"),
    ("PUT", "/api/v1/audit", "GET"),
])
def test_wrong_method_is_405_with_allow(server, method, path, allowed):
    r = server.request(method, path, json={} if method in ("POST", "PUT") else None)
    assert_error(r, 405, "method_not_allowed")
    allow = [m.strip() for m in (r.headers.get("Allow") or "").split(",")]
    assert allowed in allow, r.headers.get("Allow")
    assert method not in allow


def test_405_on_parametrised_route(server):
    r = server.request("DELETE", "/api/v1/agents/1")
    assert_error(r, 405, "method_not_allowed")
    allow = r.headers.get("Allow") or ""
    assert "GET" in allow and "PATCH" in allow


@pytest.mark.parametrize("data", [
    b"GARBAGE\r\n\r\n",
    b"GET\r\n\r\n",
    b"GET / HTTP/1.x\r\n\r\n",
    b"GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header Without Colon\r\n\r\n",
    b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
    b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
    b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\n",
    b"GET /healthz HTTP/1.1\r\nHost: x\r\nX\x00Y: 1\r\n\r\n",
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64 + b"\r\n\r\n",
], ids=["garbage", "no-target", "bad-version", "no-colon", "cl-not-number", "cl-negative",
        "bad-chunk", "two-cl", "nul-in-header", "tls-hello"])
def test_malformed_http_is_400_and_closes(server, data):
    received, closed = server.raw(data, timeout=5)
    status = parse_raw_status(received)
    assert status == 400, received[:300]
    assert closed, "the server must close the connection after malformed HTTP"


def test_malformed_http_error_is_json(server):
    received, _ = server.raw(b"GARBAGE\r\n\r\n")
    body = raw_json_body(received)
    assert body["error"]["code"] == "invalid_argument"


def test_header_block_over_16k_is_431(server):
    headers = "".join(f"X-Filler-{i}: {'a' * 100}\r\n" for i in range(200))  # ~23 KB
    data = f"GET /healthz HTTP/1.1\r\nHost: x\r\n{headers}\r\n".encode()
    received, _ = server.raw(data, timeout=5)
    assert parse_raw_status(received) == 431, received[:300]


def test_single_huge_header_is_431(server):
    r = server.get("/healthz", headers={"X-Big": "b" * 20000})
    assert r.status == 431


def test_header_block_under_16k_is_fine(server):
    r = server.get("/healthz", headers={"X-Filler": "a" * 12000})
    assert r.status == 200


def test_huge_url_rejected_not_crash(server):
    received, _ = server.raw(b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", timeout=5)
    status = parse_raw_status(received)
    assert status is not None and 400 <= status < 500, received[:200]


def test_body_over_limit_is_413(server):
    r = server.post("/api/v1/auth/login", raw_body=b"{" + b" " * (1048576 + 10) + b"}")
    assert_error(r, 413, "payload_too_large")


def test_declared_huge_content_length_is_413_without_body(server):
    data = (b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 10000000000\r\n\r\n")
    received, _ = server.raw(data, timeout=5)
    assert parse_raw_status(received) == 413, received[:300]


def test_chunked_body_over_limit_is_413(server):
    chunk = b"{" + b" " * 65535
    data = (b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n")
    s = socket.create_connection((server.host, server.port), timeout=10)
    received = b""
    try:
        s.sendall(data)
        try:
            for _ in range(20):  # 1.3 MB, past the 1 MiB default
                s.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
            s.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer and close before the whole body is sent
        try:
            while True:
                part = s.recv(65536)
                if not part:
                    break
                received += part
                if b"\r\n\r\n" in received:
                    break
        except (socket.timeout, ConnectionResetError):
            pass
    finally:
        s.close()
    assert parse_raw_status(received) == 413, received[:300]


def test_chunked_small_body_works(server):
    body = json.dumps({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}).encode()
    data = (b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            + b"%x\r\n" % 10 + body[:10] + b"\r\n"
            + b"%x\r\n" % (len(body) - 10) + body[10:] + b"\r\n0\r\n\r\n")
    received, _ = server.raw(data, timeout=10)
    assert parse_raw_status(received) == 200, received[:300]


@pytest.mark.parametrize("body", [
    b"", b"{", b"not json", b'{"email": "a@b.c", "password": "x"', b"[]", b"null", b"42",
    b'"string"', b'{"email": "a@b.c", "password": "x"} trailing', b"{'email': 'x'}",
    b'{"email": "a@b.c", "password": "x",}', b"\xef\xbb\xbf{}",
], ids=lambda b: repr(b[:20]))
def test_invalid_json_is_400(server, body):
    r = server.post("/api/v1/auth/login", raw_body=body)
    assert_error(r, 400, "invalid_argument")


def test_deeply_nested_json_is_400(server):
    r = server.post("/api/v1/auth/login", raw_body=b"[" * 100000 + b"]" * 100000)
    assert_error(r, 400, "invalid_argument")
    r = server.post("/api/v1/auth/login",
                    raw_body=b'{"email":' + b'{"a":' * 50000 + b"1" + b"}" * 50001)
    assert r.status == 400


@pytest.mark.parametrize("body", [
    b'{"email": "\xff\xfe@example.com", "password": "x"}',
    b'{"email": "a@example.com", "password": "\xc3\x28"}',
    b'{"email": "a@example.com", "password": "\xed\xa0\x80"}',  # UTF-16 surrogate in UTF-8
    b'{"email": "a@example.com", "password": "\xf8\x88\x80\x80\x80"}',
    b'{"email": "a@example.com", "password": "\xc0\xaf"}',  # overlong
], ids=["ff-fe", "bad-continuation", "surrogate", "5-byte", "overlong"])
def test_invalid_utf8_is_400(server, body):
    r = server.post("/api/v1/auth/login", raw_body=body)
    assert_error(r, 400, "invalid_argument")


def test_escaped_lone_surrogate_is_400_or_401(server):
    r = server.post("/api/v1/auth/login", raw_body=b'{"email": "a@b.c", "password": "\\ud800"}')
    assert r.status in (400, 401), r


def test_unknown_field_names_it(server):
    r = server.post("/api/v1/auth/login",
                    json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD, "remember_me": True})
    assert_error(r, 400, "invalid_argument", field="remember_me")


def test_unknown_field_on_authenticated_write(admin):
    r = admin.post("/api/v1/agents", json={"email": "x1@example.com", "name": "X", "role": "agent",
                                           "locale": "en", "time_zone": "UTC", "colour": "red"})
    assert_error(r, 400, "invalid_argument", field="colour")


@pytest.mark.parametrize("body,field", [
    ({"email": 42, "password": "x"}, "email"),
    ({"email": ADMIN_EMAIL, "password": 12345678}, "password"),
    ({"email": ["a"], "password": "x"}, "email"),
    ({"email": ADMIN_EMAIL, "password": None}, "password"),
    ({"email": {"x": 1}, "password": "x"}, "email"),
    ({"email": ADMIN_EMAIL, "password": True}, "password"),
])
def test_wrong_json_type_names_field(server, body, field):
    assert_error(server.post("/api/v1/auth/login", json=body), 400, "invalid_argument", field=field)


def test_missing_required_field_is_400(server):
    assert_error(server.post("/api/v1/auth/login", json={"email": ADMIN_EMAIL}), 400,
                 "invalid_argument", field="password")
    assert_error(server.post("/api/v1/auth/login", json={"password": "x"}), 400,
                 "invalid_argument", field="email")


def test_wrong_content_type_is_not_500(server):
    r = server.post("/api/v1/auth/login", raw_body=b"email=a&password=b",
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert 400 <= r.status < 500


@pytest.mark.parametrize("path", [
    "/api/v1/agents/abc", "/api/v1/agents/-1", "/api/v1/agents/0",
    "/api/v1/agents/99999999999999999999999", "/api/v1/agents/1.5", "/api/v1/agents/%00",
    "/api/v1/agents/%ff%fe", "/api/v1/audit?limit=abc", "/api/v1/audit?cursor=%ff",
    "/api/v1/agents?limit=-1", "/api/v1/agents?limit=abc", "/api/v1/agents?cursor=%ff%00",
    "/api/v1/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
])
def test_odd_paths_never_500(admin, path):
    r = admin.get(path)
    assert 400 <= r.status < 500, (path, r)
    assert isinstance(r.body, dict) and "error" in r.body, r.body


def test_hostile_requests_never_500(server):
    admin = server.login()  # a session of its own: the loop below ends by posting to logout
    bodies = [b"", b"{}", b"[]", b"null", b'{"a":1}', b"\x00" * 100, b"{" * 1000,
              json.dumps({"email": "x" * 100000}).encode(), b'{"name": "\\u0000"}',
              json.dumps({"email": "a@b.c", "name": "n", "role": "agent", "locale": "en",
                          "time_zone": "UTC", "active": "yes"}).encode()]
    for body in bodies:
        r = admin.request("PATCH", "/api/v1/agents/1", raw_body=body)
        assert r.status < 500, (body[:40], r)
    targets = ["/api/v1/auth/login", "/api/v1/me/password", "/api/v1/tokens", "/api/v1/agents",
               "/api/v1/contacts", "/api/v1/auth/logout"]
    for path in targets:
        for body in bodies:
            for who in (server, admin):
                r = who.request("POST", path, raw_body=body)
                assert r.status < 500, (path, body[:40], r)
    me = server.login().get("/api/v1/me")
    assert me.status == 200 and me.body["active"] is True and me.body["role"] == "admin"


def test_keep_alive_many_requests_one_connection(server):
    conn = server.connection()
    try:
        conn.request("GET", "/healthz")
        r = conn.getresponse()
        r.read()
        assert r.status == 200
        sock = conn.sock
        assert sock is not None, "server closed a keep-alive connection"
        for path in ("/readyz", "/healthz", "/nope", "/healthz"):
            conn.request("GET", path)
            r = conn.getresponse()
            r.read()
            assert (r.getheader("Connection") or "").lower() != "close"
            assert conn.sock is sock, "server closed the connection between requests"
        assert r.status == 200
    finally:
        conn.close()


def test_keep_alive_after_error_responses(server):
    conn = server.connection()
    try:
        conn.request("POST", "/api/v1/auth/login", body=b"{bad", headers={
            "Content-Type": "application/json"})
        r = conn.getresponse()
        r.read()
        assert r.status == 400
        sock = conn.sock
        conn.request("GET", "/healthz")
        r = conn.getresponse()
        r.read()
        assert r.status == 200
        assert conn.sock is sock
    finally:
        conn.close()


def test_pipelined_requests(server):
    data = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" * 3 + \
        b"GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    received, closed = server.raw(data, timeout=5)
    assert received.count(b"HTTP/1.1 200") == 4, received
    assert closed


def test_http10_closes_connection(server):
    received, closed = server.raw(b"GET /healthz HTTP/1.0\r\n\r\n", timeout=5)
    assert parse_raw_status(received) == 200
    assert closed


def test_idle_and_half_open_connections_do_not_block_others(server):
    socks = []
    try:
        for i in range(40):
            s = socket.create_connection((server.host, server.port), timeout=5)
            if i % 2:
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # header never finished
            socks.append(s)
        t0 = time.monotonic()
        for _ in range(10):
            assert server.get("/healthz").status == 200
        assert time.monotonic() - t0 < 10
    finally:
        for s in socks:
            s.close()


def test_client_disconnect_mid_body(server):
    for _ in range(20):
        s = socket.create_connection((server.host, server.port), timeout=5)
        s.sendall(b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{\"em")
        s.close()
    assert server.healthy()


def test_concurrent_garbage(server):
    errors = []

    def worker(i):
        try:
            for j in range(10):
                server.raw(bytes((i * 31 + j * 7 + k) % 256 for k in range(500)) + b"\r\n\r\n",
                           timeout=2)
        except OSError as e:  # resets are fine; crashes are not
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert server.healthy()
