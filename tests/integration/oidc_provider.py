"""A real OpenID Connect provider (npm's oidc-provider, tests/oidc/provider.mjs) on a free port of
127.0.0.1 for the OIDC sign-in tests, installed from tests/oidc/package-lock.json with `npm ci`
the first time (under a lock: pytest-xdist workers may start at once). The tests skip, saying
why, only when node is missing. `Browser` walks a sign-in the way a browser does: cookies, the
redirects, and the provider's sign-in form."""

import fcntl
import http.cookiejar
import json
import shutil
import socket
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from conftest import free_port
from waiting import wait_until

HERE = Path(__file__).resolve().parent.parent / "oidc"
CALLBACK = "/api/v1/auth/oidc/callback"


def install():
    if (HERE / "node_modules" / "oidc-provider").exists():
        return
    with open(HERE / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (HERE / "node_modules" / "oidc-provider").exists():
            subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True,
                           capture_output=True, timeout=300)


class OidcProvider:
    def __init__(self, workdir, redirect_uri):
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.log = open(Path(workdir) / "provider.log", "wb")
        self.proc = subprocess.Popen(["node", "provider.mjs", str(self.port), redirect_uri],
                                     cwd=HERE, stdout=self.log, stderr=subprocess.STDOUT)
        wait_until(self._accepts, timeout=30, what="the OIDC provider to listen")

    def _accepts(self):
        if self.proc.poll() is not None:
            raise AssertionError("the OIDC provider exited: " +
                                 (Path(self.log.name)).read_text())
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            return True
        except OSError:
            return False

    def control(self, mode):
        """What the token endpoint does next: normal, tamper, forge, expired, audience, nonce;
        or rotate (new signing keys)."""
        request = urllib.request.Request(self.issuer + "/__control", method="POST",
                                         data=json.dumps({"mode": mode}).encode())
        with urllib.request.urlopen(request, timeout=10) as r:
            return json.loads(r.read())

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=20)
        self.log.close()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Cookies and redirects followed by hand, so a test can stop or alter any step."""

    def __init__(self, server):
        self.server = server
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  _NoRedirects())

    def open(self, url, form=None):
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            r = self.opener.open(urllib.request.Request(url, data=data), timeout=10)
        except urllib.error.HTTPError as e:
            r = e
        with r:
            return r.status, r.headers, r.read().decode("utf-8", "replace")

    def start(self, provider_id, return_to="/desk"):
        """GET …/start: the provider's authorization URL (or wherever it redirects)."""
        query = urllib.parse.urlencode({"return_to": return_to})
        status, headers, _ = self.open(
            f"{self.server.base_url}/api/v1/auth/oidc/{provider_id}/start?{query}")
        assert status == 302, status
        return urllib.parse.urljoin(self.server.base_url, headers["Location"])

    def to_callback(self, provider_id, login):
        """Starts a sign-in and signs in at the provider as `login`: the callback URL the
        provider sends the browser to, not yet followed."""
        url = self.start(provider_id)
        form = None
        for _ in range(10):
            if url.startswith(self.server.base_url + CALLBACK):
                return url
            status, headers, body = self.open(url, form)
            if status == 200 and "<form" in body and form is None:
                form = {"login": login, "password": "any"}  # posted back to the same page
                continue
            assert status in (302, 303), (status, url, body[:500])
            form = None
            url = urllib.parse.urljoin(url, headers["Location"])
        raise AssertionError("the provider never sent the browser back")

    def finish(self, callback_url):
        """Follows the callback: (where it redirects, the session cookie or None)."""
        status, headers, _ = self.open(callback_url)
        assert status == 302, status
        return headers["Location"], self.session_cookie()

    def sign_in(self, provider_id, login):
        return self.finish(self.to_callback(provider_id, login))

    def session_cookie(self):
        for c in self.jar:
            if c.name == "gongdan_session" and c.value:
                return c.value
        return None


@pytest.fixture(scope="module")
def oidc_provider(server, tmp_path_factory):
    if shutil.which("node") is None:
        pytest.skip("node is not installed: the OIDC tests need it to run npm's oidc-provider")
    install()
    provider = OidcProvider(tmp_path_factory.mktemp("oidc"), server.base_url + CALLBACK)
    yield provider
    provider.stop()
