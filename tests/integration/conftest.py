"""Integration test harness: starts the real `gongdan` binary on a free loopback port with a fresh
data directory and talks HTTP to it.

The binary is $GONGDAN_BIN (default build/release/gongdan). Only the Python standard library and
Debian's python3-pytest are used.

Fixtures:
  server          module scope: one server shared by the tests of a module (read-mostly tests)
  fresh_server    function scope: a server of its own (tests that change shared state)
  start_server    function scope: a factory, start_server(args=..., env=..., data_dir=...,
                  clock=...), for tests that need their own flags, environment or configuration
  clocked_server  module scope: like `server`, on the test clock
  admin           an admin session on `server`
At teardown every server gets SIGTERM and must exit 0 within 10 s with no sanitizer report on
stderr.

The test clock (docs/testing.md): a server started with clock=True (or a UTC time) runs on a
clock that stands still at TEST_CLOCK_START until the test moves it with srv.advance(...);
srv.wait_idle() returns once no job is due or running and no mail is due. Tests never sleep to
wait for the server: they wait for idle, or poll a condition with waiting.wait_until (see
docs/testing.md).
"""

import datetime
import http.client
import itertools
import json as jsonlib
import os
import re
from signal import SIGTERM
import socket
import ssl
import subprocess
import threading
import time
from pathlib import Path

import pytest

import openapi_check

REPO = Path(__file__).resolve().parents[2]
BIN = str(Path(os.environ.get("GONGDAN_BIN", REPO / "build" / "release" / "gongdan")).resolve())
ADMIN_EMAIL = "admin@localhost"
ADMIN_PASSWORD = "admin-password-0001"
START_TIMEOUT = float(os.environ.get("GONGDAN_TEST_START_TIMEOUT", "30"))
STOP_TIMEOUT = 10.0
HTTP_TIMEOUT = float(os.environ.get("GONGDAN_TEST_HTTP_TIMEOUT", "30"))

LISTEN_RE = re.compile(r"^gongdan listening on (https?)://([0-9.]+):(\d+)\s*$")
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")
TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
# Where the test clock starts: a Monday, 09:00 UTC (17:00 in Shanghai).
TEST_CLOCK_START = "2026-01-05T09:00:00Z"
SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "runtime error:", "ERROR: LeakSanitizer")

_unique = itertools.count(1)

# With GONGDAN_TEST_POSTGRES=postgresql://user@127.0.0.1:PORT (scripts/test sets it for the
# PostgreSQL run), every data directory gets a database of its own on that server, named after
# the directory, so a restarted server or a CLI command on the same directory meets its data.
POSTGRES = os.environ.get("GONGDAN_TEST_POSTGRES", "").rstrip("/")
_databases = {}
_databases_lock = threading.Lock()


_sqlite_only = False  # set during tests marked sqlite_only (they check the SQLite file itself)


def database_for(data_dir):
    """The GONGDAN_DATABASE URL of a data directory ('' when the tests run on SQLite)."""
    if not POSTGRES or _sqlite_only:
        return ""
    key = str(Path(data_dir).resolve())
    with _databases_lock:
        if key not in _databases:
            name = f"g{os.getpid()}_{len(_databases) + 1}"
            subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", f"{POSTGRES}/postgres", "-c",
                            f"CREATE DATABASE {name}"], check=True, capture_output=True)
            _databases[key] = f"{POSTGRES}/{name}"
        return _databases[key]


def _data_dir_of(cmd, cwd):
    if "--data" in cmd:
        i = cmd.index("--data")
        if i + 1 < len(cmd):
            return Path(cwd or ".") / cmd[i + 1]
    return None


def unique_email(prefix="user", domain="example.com"):
    return f"{prefix}{next(_unique)}-{os.getpid()}@{domain}"


def base_env(extra=None):
    """Environment for the server and CLI: inherited, minus any GONGDAN_* setting of the caller's
    shell (tests choose those explicitly), plus the admin password."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONGDAN_")}
    env["GONGDAN_ADMIN_PASSWORD"] = ADMIN_PASSWORD
    if extra:
        for k, v in extra.items():
            if v is None:
                env.pop(k, None)
            else:
                env[k] = v
    return env


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------------------------
# HTTP client


class Response(tuple):
    """(status, headers, body) with names: .status, .headers (http.client.HTTPMessage: case-
    insensitive .get(), .get_all()), .body (parsed JSON when the type is JSON, else text), .raw."""

    def __new__(cls, status, headers, body, raw):
        r = super().__new__(cls, (status, headers, body))
        r.raw = raw
        return r

    status = property(lambda self: self[0])
    headers = property(lambda self: self[1])
    body = property(lambda self: self[2])

    def __repr__(self):
        return f"Response({self.status}, {self.body!r})"


def _decode(headers, raw):
    ctype = (headers.get("Content-Type") or "").lower()
    if "json" in ctype:
        try:
            return jsonlib.loads(raw.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return raw.decode("utf-8", "replace")
    return raw.decode("utf-8", "replace")


# Each server's answers are held to the document that server serves: one on the test clock
# documents the test routes, which a server on the real clock answers with 404. The documents
# are read once per server and parsed once per distinct text; all of them share what was seen.
_conformances = {}  # the document's bytes → openapi_check.Conformance
_seen = set()  # (operationId, status) of every documented answer checked, over all documents


def _document_of(client):
    """The Conformance over the document `client`'s server serves (None: it serves none)."""
    if client.conformance is not _UNREAD:
        return client.conformance
    c = client.connection()
    try:
        c.request("GET", "/api/v1/openapi.json")
        r = c.getresponse()
        raw = r.read() if r.status == 200 else None
    except OSError:
        raw = None
    finally:
        c.close()
    conformance = _conformances.get(raw) if raw is not None else None
    if raw is not None and conformance is None:
        try:
            conformance = openapi_check.Conformance(jsonlib.loads(raw), seen=_seen)
        except ValueError:
            conformance = None
        else:
            _conformances[raw] = conformance
            if openapi_check.current is None:
                openapi_check.current = conformance
    client.conformance = conformance
    return conformance


def _check_openapi(client, method, path, body, content_type, response):
    """Fails the test when an exchange disagrees with the OpenAPI document (openapi_check.py)."""
    if os.environ.get("GONGDAN_TEST_OPENAPI", "1") == "0" or path == "/api/v1/openapi.json":
        return
    conformance = _document_of(client)
    if conformance is None:
        return
    problems = conformance.problems(method, path, body, content_type, response.status,
                                    response.headers.get("Content-Type"), response.body)
    assert not problems, "the answer disagrees with the OpenAPI document:\n  " + "\n  ".join(
        problems)


_UNREAD = object()  # a Client's document before its first checked exchange


class Client:
    def __init__(self, host, port, tls_context=None):
        self.host = host
        self.port = port
        # An ssl.SSLContext for a server that speaks TLS (tls_cert), else None.
        self.tls_context = tls_context
        self.base_url = f"{'https' if tls_context else 'http'}://{host}:{port}"
        # Read at the first checked exchange; again after a restart (a new __init__).
        self.conformance = _UNREAD

    def connection(self, timeout=HTTP_TIMEOUT):
        if self.tls_context is not None:
            return http.client.HTTPSConnection(self.host, self.port, timeout=timeout,
                                               context=self.tls_context)
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def request(self, method, path, json=None, headers=None, raw_body=None, conn=None):
        """One request; a new connection unless `conn` is given. Returns Response."""
        hdrs = dict(headers or {})
        body = raw_body
        if json is not None:
            body = jsonlib.dumps(json).encode("utf-8")
            hdrs.setdefault("Content-Type", "application/json")
        elif isinstance(body, str):
            body = body.encode("utf-8")
        if body is not None and "Content-Type" not in hdrs:
            hdrs["Content-Type"] = "application/json"
        own = conn is None
        c = conn or self.connection()
        try:
            try:
                c.request(method, path, body=body, headers=hdrs)
            except (BrokenPipeError, ConnectionResetError):
                # The server may answer (413, 431 ...) and close before it has read the whole
                # request; its answer is still in our receive buffer.
                if c.sock is None:
                    raise
            resp = c.getresponse()
            raw = resp.read()
            response = Response(resp.status, resp.msg, _decode(resp.msg, raw), raw)
        finally:
            if own:
                c.close()
        _check_openapi(self, method, path, body, hdrs.get("Content-Type"), response)
        return response

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, json=None, **kw):
        return self.request("POST", path, json=json, **kw)

    def login_raw(self, email, password, headers=None):
        return self.request("POST", "/api/v1/auth/login",
                            json={"email": email, "password": password}, headers=headers)

    def login(self, email=ADMIN_EMAIL, password=ADMIN_PASSWORD, headers=None):
        r = self.login_raw(email, password, headers=headers)
        assert r.status == 200, f"login {email} failed: {r.status} {r.body}"
        cookie = session_cookie(r.headers)
        assert cookie, f"no gongdan_session cookie in {r.headers.get_all('Set-Cookie')}"
        return Session(self, cookie, r.body["csrf_token"], r.body["user"])

    def bearer(self, token):
        return BearerClient(self, token)

    def raw(self, data, timeout=5.0, shutdown_write=False):
        """Sends raw bytes on a new connection; returns (bytes received, closed_by_server)."""
        return raw_exchange(self.host, self.port, data, timeout, shutdown_write)

    def healthy(self):
        r = self.get("/healthz")
        return r.status == 200 and r.body == {"status": "ok"}


class Session:
    """A signed-in person: sends the session cookie, and the CSRF token on unsafe methods."""

    def __init__(self, client, cookie, csrf, user):
        self.client = client
        self.cookie = cookie
        self.csrf = csrf
        self.user = user

    def request(self, method, path, json=None, headers=None, raw_body=None, csrf=True, conn=None):
        hdrs = {"Cookie": f"gongdan_session={self.cookie}"}
        if csrf and method.upper() not in ("GET", "HEAD", "OPTIONS"):
            hdrs["X-CSRF-Token"] = self.csrf
        hdrs.update(headers or {})
        return self.client.request(method, path, json=json, headers=hdrs, raw_body=raw_body,
                                   conn=conn)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, json=None, **kw):
        return self.request("POST", path, json=json, **kw)

    def patch(self, path, json=None, **kw):
        return self.request("PATCH", path, json=json, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


class BearerClient:
    def __init__(self, client, token):
        self.client = client
        self.token = token

    def request(self, method, path, json=None, headers=None, raw_body=None):
        hdrs = {"Authorization": f"Bearer {self.token}"}
        hdrs.update(headers or {})
        return self.client.request(method, path, json=json, headers=hdrs, raw_body=raw_body)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, json=None, **kw):
        return self.request("POST", path, json=json, **kw)

    def patch(self, path, json=None, **kw):
        return self.request("PATCH", path, json=json, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


def session_cookie(headers):
    for value in headers.get_all("Set-Cookie") or []:
        m = re.match(r"\s*gongdan_session=([^;]*)", value)
        if m:
            return m.group(1)
    return None


def session_set_cookie(headers):
    for value in headers.get_all("Set-Cookie") or []:
        if value.strip().startswith("gongdan_session="):
            return value
    return None


def raw_exchange(host, port, data, timeout=5.0, shutdown_write=False):
    s = socket.create_connection((host, port), timeout=timeout)
    received = b""
    closed = False
    try:
        if data:
            s.sendall(data)
        if shutdown_write:
            s.shutdown(socket.SHUT_WR)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            except ConnectionResetError:
                closed = True
                break
            if not chunk:
                closed = True
                break
            received += chunk
    finally:
        s.close()
    return received, closed


def parse_raw_status(data):
    m = re.match(rb"HTTP/1\.[01] (\d{3})", data)
    return int(m.group(1)) if m else None


def raw_json_body(data):
    head, _, body = data.partition(b"\r\n\r\n")
    m = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head)
    if m:
        body = body[: int(m.group(1))]
    return jsonlib.loads(body.decode("utf-8"))


def assert_error(resp, status, code, field=None):
    """The error envelope of the contract: {"error":{"code","message","field"}}."""
    assert resp.status == status, f"expected {status} {code}, got {resp.status}: {resp.body!r}"
    assert "json" in (resp.headers.get("Content-Type") or ""), resp.headers.get("Content-Type")
    body = resp.body
    assert isinstance(body, dict) and isinstance(body.get("error"), dict), body
    err = body["error"]
    assert err.get("code") == code, err
    assert isinstance(err.get("message"), str) and err["message"], err
    if field is not None:
        assert err.get("field") == field, err
    return err


def assert_user(u):
    assert isinstance(u, dict), u
    for key in ("id", "email", "name", "role", "locale", "time_zone", "active", "created_at"):
        assert key in u, f"user object lacks {key}: {u}"
    assert isinstance(u["id"], int) and not isinstance(u["id"], bool) and u["id"] > 0, u
    assert isinstance(u["email"], str) and "@" in u["email"], u
    assert isinstance(u["name"], str), u
    assert u["role"] in ("admin", "supervisor", "agent", "light_agent", "customer"), u
    assert u["locale"] in ("en", "zh-CN"), u
    assert isinstance(u["time_zone"], str) and u["time_zone"], u
    assert isinstance(u["active"], bool), u
    assert TIME_RE.match(u["created_at"]), u
    assert "password" not in u and "password_hash" not in u, u


# --------------------------------------------------------------------------------------------
# The server process


def parse_utc(text):
    """A time the API wrote (2026-01-05T09:00:00.000Z) as an aware datetime."""
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(
        tzinfo=datetime.timezone.utc)


class Server(Client):
    def __init__(self, data_dir, args=(), env=None, cwd=None, use_data_flag=True,
                 listen="127.0.0.1:0", clock=None):
        self.data_dir = Path(data_dir)
        self.args = list(args)
        # Where the test clock stands (a restart goes on from there); None: the real clock.
        self.test_clock = TEST_CLOCK_START if clock is True else clock
        self.env = base_env(env)
        if database_for(self.data_dir) and "GONGDAN_DATABASE" not in (env or {}):
            self.env["GONGDAN_DATABASE"] = database_for(self.data_dir)
        self.cwd = str(cwd or self.data_dir.parent)
        self.use_data_flag = use_data_flag
        self.listen = listen
        self.stdout_lines = []
        self.proc = None
        self.returncode = None
        self._listening = threading.Event()
        self._lock = threading.Lock()
        self._stderr_path = None
        self._admin = None

    def command(self):
        cmd = [BIN, "serve"]
        if self.use_data_flag:
            cmd += ["--data", str(self.data_dir)]
        if self.listen is not None:
            cmd += ["--listen", self.listen]
        if self.test_clock:
            cmd += ["--test-clock", self.test_clock, "--enable-test-clock"]
        return cmd + self.args

    def start(self, timeout=START_TIMEOUT):
        if not os.access(BIN, os.X_OK):
            pytest.fail(f"gongdan binary not found at {BIN} (set GONGDAN_BIN)")
        self._stderr_path = Path(self.cwd) / f"server-stderr-{next(_unique)}.log"
        self._stderr = open(self._stderr_path, "wb")
        self._listening.clear()
        self._signaled = False
        self.stdout_lines = []
        self.started_at = time.monotonic()
        self.proc = subprocess.Popen(self.command(), cwd=self.cwd, env=self.env,
                                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=self._stderr)
        threading.Thread(target=self._read_stdout, args=(self.proc,), daemon=True).start()
        deadline = time.monotonic() + timeout
        while not self._listening.wait(0.05):
            if self.proc.poll() is not None:
                self._stderr.close()
                self.returncode, self.proc = self.proc.returncode, None
                pytest.fail(f"gongdan serve exited with {self.returncode} before listening\n"
                            f"stdout: {self.stdout_text()}\nstderr: {self.stderr_text()[-4000:]}")
            if time.monotonic() > deadline:
                self.proc.kill()
                self.proc.wait()
                self._stderr.close()
                self.returncode, self.proc = "timeout", None
                pytest.fail(f"gongdan serve did not print its listening line in {timeout}s\n"
                            f"stdout: {self.stdout_text()}\nstderr: {self.stderr_text()[-4000:]}")
        self.startup_seconds = time.monotonic() - self.started_at
        return self

    def _read_stdout(self, proc):
        for raw in proc.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            with self._lock:
                self.stdout_lines.append(line)
            m = LISTEN_RE.match(line)
            if m and not self._listening.is_set():
                # A TLS server's certificates are the test's own: not checked here (test_tls.py
                # checks what it serves).
                tls = None
                if m.group(1) == "https":
                    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
                    tls.check_hostname = False
                    tls.verify_mode = ssl.CERT_NONE
                Client.__init__(self, m.group(2), int(m.group(3)), tls)
                self._listening.set()

    def stdout_text(self):
        with self._lock:
            return "\n".join(self.stdout_lines)

    def stderr_text(self):
        if self._stderr_path and self._stderr_path.exists():
            return self._stderr_path.read_text("utf-8", "replace")
        return ""

    def signal(self, sig):
        self._signaled = True
        self.proc.send_signal(sig)

    def stop(self, sig=SIGTERM, timeout=STOP_TIMEOUT):
        """Signals the server, waits for it and returns its exit code (kills it after timeout)."""
        if self.proc is None:
            return self.returncode
        if self.proc.poll() is None and not self._signaled:
            self.proc.send_signal(sig)
        try:
            self.returncode = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            self.returncode = "timeout"
        self._stderr.close()
        self.proc = None
        self._admin = None
        return self.returncode

    def check_clean_exit(self, rc):
        err = self.stderr_text()
        assert rc == 0, (f"gongdan serve exit status {rc} (want 0 within {STOP_TIMEOUT}s)\n"
                         f"stderr tail:\n{err[-4000:]}")
        for marker in SANITIZER_MARKERS:
            assert marker not in err, f"sanitizer report in server stderr:\n{err[-8000:]}"

    def stop_and_check(self, sig=SIGTERM):
        self.check_clean_exit(self.stop(sig))

    def restart(self):
        self.stop_and_check()
        return self.start()

    @property
    def admin(self):
        """A cached admin session (tests that sign the admin out or change its password use a
        fresh_server)."""
        if self._admin is None:
            self._admin = self.login(ADMIN_EMAIL, ADMIN_PASSWORD)
        return self._admin

    def sign_admin_in_again(self):
        """A new cached admin session (after the test clock passed the old one's end)."""
        self._admin = None
        return self.admin

    # The test clock (servers started with clock=...).
    def _as_admin(self, method, path, json=None):
        """A request by the cached admin session, signing in again once if it has ended (the
        test clock may have moved past its end)."""
        r = self.admin.request(method, path, json=json)
        if r.status == 401:
            r = self.sign_admin_in_again().request(method, path, json=json)
        return r

    def clock(self):
        r = self._as_admin("GET", "/api/v1/test/clock")
        assert r.status == 200, f"test clock: {r.status} {r.body}"
        return self._clock_moved(r.body["now"])

    def _clock_moved(self, now):
        self.test_clock = now
        return parse_utc(now)

    def advance(self, seconds=0, minutes=0, hours=0, days=0, idle=True):
        """Moves the test clock forward; then, unless idle=False, waits until what became due
        has run. Returns the new time. With idle, what is due before the move finishes first
        (a retry scheduled by a try still under way would otherwise count from the new time)."""
        total = seconds + 60 * minutes + 3600 * hours + 86400 * days
        if idle:
            self.wait_idle()
        r = self._as_admin("POST", "/api/v1/test/clock", json={"advance_seconds": total})
        assert r.status == 200, f"advance the test clock: {r.status} {r.body}"
        if idle:
            self.wait_idle()
        return self._clock_moved(r.body["now"])

    def set_clock(self, when, idle=True):
        """Moves the test clock forward to `when` (a datetime or a UTC time string)."""
        if isinstance(when, datetime.datetime):
            when = when.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        if idle:
            self.wait_idle()
        r = self._as_admin("POST", "/api/v1/test/clock", json={"set": when})
        assert r.status == 200, f"set the test clock: {r.status} {r.body}"
        if idle:
            self.wait_idle()
        return self._clock_moved(r.body["now"])

    def wait_idle(self, timeout=30):
        """Returns once no job is due or running, no mail is due and no write waits."""
        r = self._as_admin("POST", "/api/v1/test/idle", json={"timeout_seconds": timeout})
        assert r.status == 200, f"the server is not idle: {r.status} {r.body}"

    # The CLI on this server's data directory.
    def cli(self, *args, input=None, env=None, timeout=60, data=True):
        cmd = [BIN, *args]
        if data:
            cmd += ["--data", str(self.data_dir)]
        return run_cli(cmd, input=input, env=env, timeout=timeout, cwd=self.cwd)

    # Helpers for tests.
    def create_agent(self, role="agent", password="agent-password-1", email=None, name=None,
                     locale="en", time_zone="UTC", session=None):
        """Creates an agent through the API as admin; returns (user, password)."""
        body = {"email": email or unique_email(role.replace("_", "")),
                "name": name or f"Test {role}", "role": role, "locale": locale,
                "time_zone": time_zone}
        if password is not None:
            body["password"] = password
        r = (session or self.admin).post("/api/v1/agents", json=body)
        assert r.status == 201, f"create agent: {r.status} {r.body}"
        return r.body, password

    def create_contact(self, password="customer-password-1", email=None, name="Test customer",
                       session=None):
        body = {"email": email or unique_email("customer"), "name": name, "locale": "en",
                "time_zone": "UTC"}
        if password is not None:
            body["password"] = password
        r = (session or self.admin).post("/api/v1/contacts", json=body)
        assert r.status == 201, f"create contact: {r.status} {r.body}"
        return r.body, password

    def agent_session(self, role="agent"):
        user, password = self.create_agent(role=role)
        return self.login(user["email"], password)

    def customer_session(self):
        user, password = self.create_contact()
        return self.login(user["email"], password)


def run_cli(cmd, input=None, env=None, timeout=60, cwd=None):
    if not os.access(BIN, os.X_OK):
        pytest.fail(f"gongdan binary not found at {BIN} (set GONGDAN_BIN)")
    full_env = base_env(env)
    data_dir = _data_dir_of(cmd, cwd)
    if data_dir is not None and database_for(data_dir) and "GONGDAN_DATABASE" not in (env or {}):
        full_env["GONGDAN_DATABASE"] = database_for(data_dir)
    return subprocess.run(cmd, input=input, capture_output=True, text=True, timeout=timeout,
                          env=full_env, cwd=cwd)


def check_cli_stderr(proc):
    for marker in SANITIZER_MARKERS:
        assert marker not in proc.stderr, proc.stderr


# --------------------------------------------------------------------------------------------
# Fixtures


_worker_reports = []  # under pytest-xdist: each worker's (unchecked, seen) answers


def pytest_sessionfinish(session):
    """GONGDAN_TEST_OPENAPI_UNCHECKED=FILE lists the documented success answers that no test of
    this run held to the document (what a new test could cover). Under pytest-xdist each worker
    reports what it left unchecked and what it checked, and the controller, which runs no test,
    writes what no worker checked."""
    path = os.environ.get("GONGDAN_TEST_OPENAPI_UNCHECKED")
    if not path:
        return
    unchecked = set()
    for conformance in _conformances.values():
        unchecked.update(conformance.unchecked())
    seen = {f"{operation} {status}" for operation, status in _seen}
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["openapi"] = (sorted(unchecked), sorted(seen))
        return
    for worker_unchecked, worker_seen in _worker_reports:
        unchecked.update(worker_unchecked)
        seen.update(worker_seen)
    if _conformances or _worker_reports:
        Path(path).write_text("\n".join(sorted(unchecked - seen)) + "\n")


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """pytest-xdist: a worker finished; keep its OpenAPI report."""
    report = getattr(node, "workeroutput", {}).get("openapi")
    if report:
        _worker_reports.append(report)


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only: checks the SQLite file in the data "
                            "directory; runs on SQLite even in the PostgreSQL run")


@pytest.fixture(autouse=True)
def _backend_for_test(request):
    global _sqlite_only
    _sqlite_only = request.node.get_closest_marker("sqlite_only") is not None
    yield
    _sqlite_only = False


class _Servers:
    def __init__(self, tmp_path_factory, name):
        self.factory = tmp_path_factory
        self.name = name
        self.servers = []

    def __call__(self, args=(), env=None, data_dir=None, cwd=None, use_data_flag=True,
                 listen="127.0.0.1:0", start=True, clock=None):
        base = self.factory.mktemp(self.name)
        srv = Server(data_dir or base / "data", args=args, env=env, cwd=cwd or base,
                     use_data_flag=use_data_flag, listen=listen, clock=clock)
        self.servers.append(srv)
        if start:
            srv.start()
        return srv

    def finish(self):
        problems = []
        for srv in self.servers:
            if srv.proc is None:
                continue
            try:
                srv.stop_and_check()
            except AssertionError as e:
                problems.append(str(e))
        if problems:
            pytest.fail("\n\n".join(problems), pytrace=False)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    servers = _Servers(tmp_path_factory, "shared")
    srv = servers()
    yield srv
    servers.finish()


@pytest.fixture(scope="module")
def clocked_server(tmp_path_factory):
    servers = _Servers(tmp_path_factory, "clocked")
    srv = servers(clock=True)
    yield srv
    servers.finish()


@pytest.fixture
def start_server(tmp_path_factory):
    servers = _Servers(tmp_path_factory, "own")
    yield servers
    servers.finish()


@pytest.fixture
def fresh_server(start_server):
    return start_server()


@pytest.fixture(scope="module")
def admin(server):
    return server.admin
