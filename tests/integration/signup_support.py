"""Customer sign-up as it works since issue 16: the address is proved by a link mailed to it.
A desk is a server with public_url set and a mailbox that sends to a local SMTP sink."""

import re

import pytest

from conftest import Session, session_cookie, unique_email
from test_mail_smtp import SmtpSink

PUBLIC = "https://desk.example.test"
VERIFY_LINK = re.compile(re.escape(PUBLIC) + r"/portal/verify#([A-Za-z0-9_\-]+)")


@pytest.fixture
def sink(tmp_path):
    s = SmtpSink(tmp_path / "sink").start()
    yield s
    s.stop()


def open_desk(start_server, sink, **kw):
    env = dict(kw.pop("env", {}))
    env.setdefault("GONGDAN_PUBLIC_URL", PUBLIC + "/")
    srv = start_server(env=env, **kw)
    r = srv.admin.post("/api/v1/mailboxes", json={"address": "help@desk.example",
                                                  "smtp_host": "127.0.0.1",
                                                  "smtp_port": sink.port, "smtp_tls": "none"})
    assert r.status == 201, r
    return srv


def request_signup(srv, email=None, password="customer-pass-1", name="王小明", **extra):
    body = {"name": name, "email": email or unique_email("signup"), "password": password}
    body.update(extra)
    return srv.post("/api/v1/auth/signup", json=body)


def mails_to(sink, address, timeout=10.0):
    found = sink.wait(lambda m: any(a.addr_spec == address for a in m["To"].addresses), timeout)
    return [m for m, _, _ in found]


def verify_token(mail):
    text = mail.get_body(preferencelist=("plain",)).get_content()
    m = VERIFY_LINK.search(text)
    assert m, text
    return m.group(1), text


def signed_up(srv, sink, email=None, password="customer-pass-1", **extra):
    """Signs up, reads the mailed link and redeems it; returns the customer's Session."""
    email = email or unique_email("signup")
    r = request_signup(srv, email, password, **extra)
    assert r.status == 202 and r.body == {"accepted": True}, r
    mails = mails_to(sink, email)
    assert mails, f"no sign-up mail to {email}"
    token, _ = verify_token(mails[-1])
    r = srv.post("/api/v1/auth/signup/verify", json={"token": token})
    assert r.status == 201, r
    return Session(srv, session_cookie(r.headers), r.body["csrf_token"], r.body["user"])
