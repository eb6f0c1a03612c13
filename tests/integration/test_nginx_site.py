"""The packaged nginx site (deploy/nginx/gongdan-site.conf: one node behind nginx with TLS, as
docs/install.md sets it up) in front of a real gongdan: nginx runs in the foreground with a
temporary prefix, a self-signed certificate in place of certbot's, and free ports of 127.0.0.1;
the test rewrites only those. Port 80 redirects to https but serves certbot's challenge; over
TLS the API answers, HSTS is sent, /metrics is refused, and gongdan, trusting nginx, marks its
session cookie Secure."""
import http.client
import json
import re
import shutil
import ssl
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import ADMIN_EMAIL, ADMIN_PASSWORD, free_port
from nginx_support import HAVE_NGINX, running_nginx

pytestmark = pytest.mark.skipif(
    not HAVE_NGINX or not shutil.which("openssl"),
    reason="nginx and openssl are needed (scripts/test-packages.txt)")

SITE = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "gongdan-site.conf"


def rewritten(node_port, http_port, https_port, prefix):
    text = SITE.read_text()
    replacements = [
        (r"^    server 127\.0\.0\.1:8080;$", f"    server 127.0.0.1:{node_port};"),
        (r"^    listen 80;$", f"    listen 127.0.0.1:{http_port};"),
        (r"^    listen \[::\]:80;\n", ""),
        (r"^    listen 443 ssl http2;$", f"    listen 127.0.0.1:{https_port} ssl http2;"),
        (r"^    listen \[::\]:443 ssl http2;\n", ""),
        (r"/etc/letsencrypt/live/desk\.example\.com/fullchain\.pem", f"{prefix}/cert.pem"),
        (r"/etc/letsencrypt/live/desk\.example\.com/privkey\.pem", f"{prefix}/key.pem"),
        (r"root /var/www/html;", f"root {prefix}/www;"),
    ]
    for pattern, new in replacements:
        text, n = re.subn(pattern, new, text, flags=re.M)
        assert n == 1, f"gongdan-site.conf changed shape: {pattern}"
    return text


@pytest.fixture
def site(start_server, tmp_path):
    cfg = tmp_path / "node.toml"
    cfg.write_text('trusted_proxies = ["127.0.0.1"]\n')
    node = start_server(args=["--config", str(cfg)])
    prefix = Path(tempfile.mkdtemp(prefix="gongdan-site-"))
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=desk.example.com", "-keyout", str(prefix / "key.pem"),
                    "-out", str(prefix / "cert.pem")], check=True, capture_output=True)
    challenge = prefix / "www" / ".well-known" / "acme-challenge"
    challenge.mkdir(parents=True)
    (challenge / "token-1").write_text("certbot-was-here")
    http_port, https_port = free_port(), free_port()
    with running_nginx(prefix, rewritten(node.port, http_port, https_port, prefix), https_port):
        yield http_port, https_port
    shutil.rmtree(prefix, ignore_errors=True)


def request(conn, method, path, body=None, headers=None):
    conn.request(method, path, body=body, headers=headers or {})
    r = conn.getresponse()
    return r.status, r, r.read()


def test_http_redirects_but_serves_the_challenge(site):
    http_port, _ = site
    conn = http.client.HTTPConnection("127.0.0.1", http_port, timeout=10)
    status, r, _ = request(conn, "GET", "/desk/", headers={"Host": "desk.example.com"})
    assert status == 301 and r.getheader("Location") == "https://desk.example.com/desk/"
    status, _, body = request(conn, "GET", "/.well-known/acme-challenge/token-1")
    assert status == 200 and body == b"certbot-was-here"


def test_tls_reaches_gongdan_which_trusts_nginx(site):
    _, https_port = site
    conn = http.client.HTTPSConnection("127.0.0.1", https_port, timeout=10,
                                       context=ssl._create_unverified_context())
    status, r, body = request(conn, "GET", "/readyz")
    assert status == 200 and json.loads(body)["status"] == "ready"
    assert r.getheader("Strict-Transport-Security") == "max-age=31536000"
    # nginx's own $request_id (32 hex digits) is the id gongdan answers and logs.
    assert re.fullmatch(r"[0-9a-f]{32}", r.getheader("X-Request-Id") or ""), r.getheaders()
    status, _, body = request(conn, "GET", "/metrics")
    assert status == 404 and json.loads(body)["error"]["code"] == "not_found"
    login = json.dumps({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    status, r, _ = request(conn, "POST", "/api/v1/auth/login", body=login,
                           headers={"Content-Type": "application/json"})
    assert status == 200
    cookie = r.getheader("Set-Cookie")
    assert cookie and "Secure" in cookie, cookie
