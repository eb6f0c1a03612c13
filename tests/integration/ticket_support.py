"""Shared helpers for the test_tickets_* files: ticket/department/agent set-up shortcuts and a
small standard-library WebSocket client (RFC 6455) for /api/v1/stream."""

import base64
import hashlib
import itertools
import json as jsonlib
import os
import socket
import struct
import time
from urllib.parse import quote, urlencode

import openapi_check
from waiting import wait_until  # noqa: F401 (the tests import it from here too)

_seq = itertools.count(1)

CATEGORIES = ("new", "open", "pending", "on_hold", "solved", "closed")


def uniq(prefix="x"):
    return f"{prefix}{next(_seq)}x{os.getpid()}"


def email(prefix="req"):
    return f"{uniq(prefix)}@example.com"


def new_ticket(sess, subject=None, body="please help", requester=True, expect=201, headers=None,
               **extra):
    """Creates a ticket; `requester` True makes a fresh requester email, a string uses it, False
    sends none (customers)."""
    payload = {"subject": subject or uniq("subject "), "body": body}
    if requester is True:
        payload["requester"] = {"email": email(), "name": "Requester"}
    elif isinstance(requester, str):
        payload["requester"] = {"email": requester, "name": "Requester"}
    elif isinstance(requester, dict):
        payload["requester"] = requester
    payload.update(extra)
    r = sess.post("/api/v1/tickets", json=payload, headers=headers)
    assert r.status == expect, f"create ticket: {r.status} {r.body}"
    return r.body


def make_department(admin, name=None):
    r = admin.post("/api/v1/departments", json={"name": name or uniq("dept")})
    assert r.status == 201, r
    return r.body


def set_departments(admin, agent_id, departments=(), all_departments=False):
    r = admin.request("PUT", f"/api/v1/agents/{agent_id}/departments",
                      json={"departments": list(departments), "all_departments": all_departments})
    assert r.status == 200, r
    return r.body


def agent(server, role="agent", departments=(), all_departments=False):
    """A signed-in agent of `role` in `departments`; returns the Session (.user has the id)."""
    user, pw = server.create_agent(role=role)
    if departments or all_departments:
        set_departments(server.admin, user["id"], departments, all_departments)
    return server.login(user["email"], pw)


def customer(server, organization=None):
    user, pw = server.create_contact()
    if organization is not None:
        r = server.admin.request("PUT", f"/api/v1/contacts/{user['id']}/organization",
                                 json={"organization": organization})
        assert r.status == 204, r
    return server.login(user["email"], pw)


def statuses(sess):
    r = sess.get("/api/v1/statuses")
    assert r.status == 200, r
    return r.body["items"]


def status_id(sess, category):
    for s in statuses(sess):
        if s["category"] == category and s["active"]:
            return s["id"]
    raise AssertionError(f"no active status in {category}")


def patch(sess, number, changes, expect=200, headers=None):
    r = sess.patch(f"/api/v1/tickets/{number}", json=changes, headers=headers)
    assert r.status == expect, f"PATCH #{number} {changes}: {r.status} {r.body}"
    return r.body


def reply(sess, number, body="a reply", internal=False, expect=201, **extra):
    payload = {"internal": internal}
    if body is not None:
        payload["body"] = body
    payload.update(extra)
    r = sess.post(f"/api/v1/tickets/{number}/messages", json=payload)
    assert r.status == expect, f"message on #{number}: {r.status} {r.body}"
    return r.body


def list_all(sess, params=None, limit=200, max_pages=100):
    """Walks every page of GET /api/v1/tickets; returns the numbers in order."""
    params = dict(params or {})
    params["limit"] = str(limit)
    out = []
    cursor = None
    for _ in range(max_pages):
        q = dict(params)
        if cursor:
            q["cursor"] = cursor
        r = sess.get("/api/v1/tickets?" + urlencode(q))
        assert r.status == 200, f"list {q}: {r.status} {r.body}"
        out.extend(t["number"] for t in r.body["items"])
        cursor = r.body["next_cursor"]
        if not cursor:
            return out
    raise AssertionError("too many pages")


def view_counts(sess):
    r = sess.get("/api/v1/views")
    assert r.status == 200, r
    return {str(v["id"]): v["count"] for v in r.body["items"]}


def search(sess, q, expect=200, **params):
    params["q"] = q
    r = sess.get("/api/v1/search?" + urlencode(params))
    assert r.status == expect, f"search {q!r}: {r.status} {r.body}"
    return r.body


def search_numbers(sess, q, **params):
    return [i["ticket"]["number"] for i in search(sess, q, **params)["items"]]


def q(value):
    return quote(value, safe="")


# --------------------------------------------------------------------------------------------
# WebSocket client


class WSClosed(Exception):
    pass


class WebSocket:
    """A tiny RFC 6455 client on a raw socket. `status` is the handshake's HTTP status; on a
    refused upgrade `body` holds the error answer."""

    def __init__(self, host, port, path="/api/v1/stream", headers=None, timeout=5.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.key = base64.b64encode(os.urandom(16)).decode()
        lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}", "Upgrade: websocket",
                 "Connection: Upgrade", f"Sec-WebSocket-Key: {self.key}",
                 "Sec-WebSocket-Version: 13"]
        for k, v in (headers or {}).items():
            lines.append(f"{k}: {v}")
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise WSClosed("closed during handshake")
            self.buf += chunk
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        self.status = int(status_line.split()[1])
        self.headers = {}
        for line in header_lines:
            k, _, v = line.partition(":")
            self.headers[k.strip().lower()] = v.strip()
        self.body = None
        if self.status != 101:
            n = int(self.headers.get("content-length", "0"))
            while len(self.buf) < n:
                chunk = self.sock.recv(65536)
                if not chunk:
                    break
                self.buf += chunk
            try:
                self.body = jsonlib.loads(self.buf[:n].decode())
            except ValueError:
                self.body = self.buf[:n]
            self.close()
        else:
            accept = base64.b64encode(hashlib.sha1(
                (self.key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()).decode()
            assert self.headers.get("sec-websocket-accept") == accept, self.headers

    @classmethod
    def for_session(cls, server, sess, origin=True, **kw):
        headers = {}
        if sess is not None:
            headers["Cookie"] = f"gongdan_session={sess.cookie}"
        if origin is True:
            headers["Origin"] = f"http://{server.host}:{server.port}"
        elif origin:
            headers["Origin"] = origin
        return cls(server.host, server.port, headers=headers, **kw)

    def _read(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise WSClosed("connection closed")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def recv_frame(self):
        b1, b2 = self._read(2)
        opcode = b1 & 0x0F
        n = b2 & 0x7F
        assert not (b2 & 0x80), "server frames must not be masked"
        if n == 126:
            n = struct.unpack(">H", self._read(2))[0]
        elif n == 127:
            n = struct.unpack(">Q", self._read(8))[0]
        return opcode, self._read(n)

    def recv(self, timeout=5.0):
        """The next text message as JSON (answers pings; raises WSClosed on close, socket.timeout
        when nothing arrives in time). Held to the OpenAPI document's StreamServerMessage."""
        self.sock.settimeout(timeout)
        while True:
            opcode, data = self.recv_frame()
            if opcode == 0x1:
                message = jsonlib.loads(data.decode())
                openapi_check.check_stream_message(message)
                return message
            if opcode == 0x8:
                raise WSClosed(data)
            if opcode == 0x9:
                self._send_frame(0xA, data)

    def wait_for(self, pred, timeout=5.0):
        """Reads until a message satisfies pred; returns (message, everything read)."""
        seen = []
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no matching message within {timeout}s; got {seen}")
            try:
                m = self.recv(timeout=left)
            except (socket.timeout, TimeoutError):
                raise AssertionError(f"no matching message within {timeout}s; got {seen}")
            seen.append(m)
            if pred(m):
                return m, seen

    def _send_frame(self, opcode, data):
        mask = os.urandom(4)
        n = len(data)
        if n < 126:
            hdr = bytes([0x80 | opcode, 0x80 | n])
        elif n < 65536:
            hdr = bytes([0x80 | opcode, 0x80 | 126]) + struct.pack(">H", n)
        else:
            hdr = bytes([0x80 | opcode, 0x80 | 127]) + struct.pack(">Q", n)
        self.sock.sendall(hdr + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def send(self, obj):
        data = obj if isinstance(obj, (bytes, str)) else jsonlib.dumps(obj)
        if isinstance(data, str):
            data = data.encode()
        self._send_frame(0x1, data)

    def close(self):
        try:
            if self.status == 101:
                self._send_frame(0x8, struct.pack(">H", 1000))
        except OSError:
            pass
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
