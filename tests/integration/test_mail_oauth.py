"""OAuth2 sign-in (SASL XOAUTH2) for a mailbox's IMAP and SMTP, as Microsoft 365 and Gmail need:
gongdan asks the token endpoint (tests/integration/mail_oauth.py, on 127.0.0.1) for an access
token with the mailbox's refresh token and client, then logs in to the real Dovecot, whose
oauth2 passdb asks that server to introspect the token, and submits through the real Postfix,
which authenticates through Dovecot's SASL and takes no mail without it. The secrets are sealed;
a refused refresh token is reported where an admin looks; a rotated one is kept."""

import os
import shutil
import tempfile

import pytest

from conftest import assert_error
from mail_oauth import DOVECOT_OAUTH, DOVECOT_OAUTH_EXT, POSTFIX_SASL, TokenServer
from mail_servers import Dovecot, Postfix
from mail_support import build_mail, messages
from ticket_support import uniq
from waiting import wait_until

CLIENT_ID, CLIENT_SECRET = "desk-client", "desk-client-secret-3f9"
REFRESH = "rt-desk-7c1e"


class Servers:
    def __init__(self, rotate):
        self.directory = tempfile.mkdtemp(prefix="gongdan-oauth-")
        os.chmod(self.directory, 0o755)  # the servers' own users must reach their files
        self.tokens = TokenServer(CLIENT_ID, CLIENT_SECRET, {REFRESH: "desk"}, rotate=rotate,
                                  expires_in=60 if rotate else 3600)
        dovecot_dir = f"{self.directory}/dovecot"
        os.makedirs(dovecot_dir)
        with open(f"{dovecot_dir}/dovecot-oauth2.conf.ext", "w") as f:
            f.write(DOVECOT_OAUTH_EXT.format(url=self.tokens.url))
        self.dovecot = Dovecot(dovecot_dir, {"desk": "desk-pass", "customer": "cust-pass"},
                               extra=DOVECOT_OAUTH.format(dir=dovecot_dir))
        self.postfix = Postfix(f"{self.directory}/postfix", mail_base=f"{dovecot_dir}/mail",
                               mailbox="customer", domains="example.com",
                               extra=POSTFIX_SASL.format(socket=f"{dovecot_dir}/run/auth-postfix"))

    def start(self):
        self.dovecot.start()
        self.postfix.start()
        return self

    def stop(self):
        self.postfix.stop()
        self.dovecot.stop()
        self.tokens.close()
        shutil.rmtree(self.directory, ignore_errors=True)


@pytest.fixture
def servers():
    s = Servers(rotate=False)
    try:
        yield s.start()
    finally:
        s.stop()


@pytest.fixture
def rotating():
    s = Servers(rotate=True)
    try:
        yield s.start()
    finally:
        s.stop()


def oauth_mailbox(admin, s, refresh=REFRESH, **extra):
    body = {"address": "support@desk.example", "imap_host": "127.0.0.1",
            "imap_port": s.dovecot.port, "imap_tls": "none", "imap_user": "desk",
            "smtp_host": "127.0.0.1", "smtp_port": s.postfix.port, "smtp_tls": "none",
            "smtp_user": "desk", "poll_seconds": 1, "auth": "oauth2",
            "oauth_token_url": f"{s.tokens.url}/token", "oauth_client_id": CLIENT_ID,
            "oauth_client_secret": CLIENT_SECRET, "oauth_refresh_token": refresh}
    body.update(extra)
    r = admin.post("/api/v1/mailboxes", json=body)
    assert r.status == 201, r
    return r.body


def sqlite_bytes(srv):
    """The SQLite database file, to show what is stored sealed (b"" on PostgreSQL, where the
    same sealing code runs)."""
    db = srv.data_dir / "gongdan.db"
    return db.read_bytes() if db.exists() else b""


def tickets_with(admin, subject):
    return [t for t in admin.get("/api/v1/tickets?limit=200").body["items"]
            if t["subject"] == subject]


def customer_mail(s):
    m = s.dovecot.imap("customer")
    try:
        m.select("INBOX")
        return m.uid("SEARCH", None, "ALL")[1][0].split()
    finally:
        m.logout()


def test_imap_and_smtp_sign_in_with_xoauth2(fresh_server, servers):
    admin = fresh_server.admin
    box = oauth_mailbox(admin, servers)
    assert box["auth"] == "oauth2" and box["has_oauth_client_secret"] \
        and box["has_oauth_refresh_token"], box
    assert CLIENT_SECRET not in str(box) and REFRESH not in str(box)
    db = sqlite_bytes(fresh_server)
    assert CLIENT_SECRET.encode() not in db and REFRESH.encode() not in db

    subject = uniq("OAuth 打印机 ")
    servers.dovecot.append("desk", build_mail("王芳 <wang@example.com>", subject, "打印机坏了",
                                              to="support@desk.example"))
    found = wait_until(lambda: tickets_with(admin, subject),
                       what=f"the ticket; {admin.get('/api/v1/mailboxes').body}")
    # The token endpoint was asked as RFC 6749 §6 says, with the client's own secret.
    form = servers.tokens.requests[0]
    assert form == {"grant_type": "refresh_token", "refresh_token": REFRESH,
                    "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}, form
    assert servers.tokens.introspected, "Dovecot checked no token"
    # The watcher logs in the same way and idles.
    wait_until(lambda: admin.get(f"/api/v1/mailboxes/{box['id']}").body["idle_since"],
               what="IDLE over XOAUTH2")

    number = found[0]["number"]
    r = admin.post(f"/api/v1/tickets/{number}/messages", json={"body": "请重启打印机。"})
    assert r.status == 201, r
    wait_until(lambda: customer_mail(servers), timeout=30,
               what=f"the reply through Postfix; {servers.postfix.log()}")
    wait_until(lambda: "sasl_method=XOAUTH2, sasl_username=desk" in servers.postfix.log(),
               what="Postfix's record of the XOAUTH2 login")
    wait_until(lambda: messages(admin, number)[-1]["delivery"]["status"] == "sent",
               what="the reply recorded as sent")

    r = admin.post(f"/api/v1/mailboxes/{box['id']}/test")
    assert r.status == 200 and r.body["imap"]["ok"] and r.body["smtp"]["ok"], r


def test_a_refused_refresh_token_is_reported_and_nothing_is_sent(fresh_server, servers):
    admin = fresh_server.admin
    box = oauth_mailbox(admin, servers, refresh="rt-revoked", poll_seconds=3600, active=False)
    r = admin.post(f"/api/v1/mailboxes/{box['id']}/poll")
    assert r.status == 200 and r.body["fetched"] == 0, r
    assert "invalid_grant" in r.body["error"] and "AADSTS70000" in r.body["error"], r
    assert "invalid_grant" in admin.get(f"/api/v1/mailboxes/{box['id']}").body["last_error"]
    r = admin.post(f"/api/v1/mailboxes/{box['id']}/test")
    assert r.status == 200, r
    for side in ("imap", "smtp"):
        assert not r.body[side]["ok"] and r.body[side]["step"] == "login", r
        assert "invalid_grant" in r.body[side]["message"], r
    # A wrong client secret is the endpoint's invalid_client.
    r = admin.patch(f"/api/v1/mailboxes/{box['id']}",
                    json={"oauth_refresh_token": REFRESH, "oauth_client_secret": "wrong"})
    assert r.status == 200, r
    assert "invalid_client" in admin.post(f"/api/v1/mailboxes/{box['id']}/poll").body["error"]


def test_a_rotated_refresh_token_is_used_and_kept(fresh_server, rotating):
    admin = fresh_server.admin
    # Tokens live 60 s, so each poll asks again: each ask must use the newest refresh token.
    box = oauth_mailbox(admin, rotating, poll_seconds=3600, active=False, smtp_host="")
    for _ in range(3):
        r = admin.post(f"/api/v1/mailboxes/{box['id']}/poll")
        assert r.status == 200 and r.body["error"] == "", r
    used = [f["refresh_token"] for f in rotating.tokens.requests]
    handed = [a["refresh_token"] for a in rotating.tokens.answers]
    assert len(used) >= 3 and used[0] == REFRESH
    assert used[1:] == handed[:len(used) - 1], (used, handed)
    # Kept sealed with the mailbox, so a restart goes on from the newest.
    fresh_server.restart()
    admin = fresh_server.admin
    assert admin.post(f"/api/v1/mailboxes/{box['id']}/poll").body["error"] == ""
    assert rotating.tokens.requests[-1]["refresh_token"] == handed[-1]
    db = sqlite_bytes(fresh_server)
    assert all(t.encode() not in db for t in handed)


def test_oauth2_settings_are_checked(fresh_server):
    admin = fresh_server.admin
    base = {"address": "o@desk.example", "imap_host": "imap.example", "imap_user": "o",
            "active": False, "auth": "oauth2", "oauth_token_url": "https://login.example/token",
            "oauth_client_id": "c", "oauth_refresh_token": "r"}
    for missing in ("oauth_token_url", "oauth_client_id", "oauth_refresh_token"):
        body = {k: v for k, v in base.items() if k != missing}
        assert_error(admin.post("/api/v1/mailboxes", json=body), 400, "invalid_argument", missing)
    for bad in ("ftp://login.example/token", "https://login example/token", "token"):
        assert_error(admin.post("/api/v1/mailboxes", json={**base, "oauth_token_url": bad}), 400,
                     "invalid_argument", "oauth_token_url")
    assert_error(admin.post("/api/v1/mailboxes", json={**base, "auth": "kerberos"}), 400,
                 "invalid_argument", "auth")
    r = admin.post("/api/v1/mailboxes", json=base)
    assert r.status == 201 and r.body["has_oauth_refresh_token"], r
