"""Helpers for the mail tests: a token with the mail scope, posting raw messages, building
small RFC 5322 messages, and reading fixtures from tests/fixtures/emails."""

import itertools
import os
from email.utils import formatdate
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "emails"
_seq = itertools.count(1)


def fixture(name):
    return (FIXTURES / name).read_bytes()


def mail_token(server, scopes=("mail",)):
    r = server.admin.post("/api/v1/tokens", json={"name": "mailgate", "scopes": list(scopes)})
    assert r.status == 201, r
    return r.body["token"]


def post_mail(server, token, raw, department=None, expect=None):
    path = "/api/v1/mail/inbound"
    if department is not None:
        path += f"?department={department}"
    r = server.bearer(token).post(path, raw_body=raw, headers={"Content-Type": "message/rfc822"})
    if expect is not None:
        assert r.status == expect, f"{r.status} {r.body}"
    return r


def new_message_id(tag="m"):
    return f"<{tag}.{next(_seq)}.{os.getpid()}@customer.example>"


def build_mail(sender, subject, body, message_id=None, in_reply_to=None, references=None,
               extra_headers=(), to="support@desk.example"):
    lines = [f"From: {sender}", f"To: {to}", f"Subject: {subject}",
             f"Date: {formatdate(localtime=False)}",
             f"Message-ID: {message_id or new_message_id()}"]
    if in_reply_to:
        lines.append(f"In-Reply-To: {in_reply_to}")
    if references:
        lines.append(f"References: {references}")
    lines += list(extra_headers)
    lines += ["MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8",
              "Content-Transfer-Encoding: 8bit", "", body, ""]
    return "\r\n".join(lines).encode("utf-8")


def messages(sess, number):
    r = sess.get(f"/api/v1/tickets/{number}/messages")
    assert r.status == 200, r
    return r.body["items"]


def ticket(sess, number):
    r = sess.get(f"/api/v1/tickets/{number}")
    assert r.status == 200, r
    return r.body
