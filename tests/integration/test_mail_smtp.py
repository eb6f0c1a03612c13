"""The outbox over SMTP through the real binary, into a local SMTP receiver (smtp_sink.py):
agent replies and RFC 3834 acknowledgements leave with threading headers, the token, the
department address, plain + HTML parts and attachments; a receiver that is down is retried, a
mail that keeps failing shows "failed" on its message and its job waits in the dead letters,
where an admin's retry sends it; the customer's answer threads back. The servers run on the test
clock: a retry goes out when the clock reaches its backoff, and the tests wait for the job queue
(outgoing mail is a job) to be idle instead of sleeping."""

import contextlib
import email
import email.policy
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import free_port
from mail_support import build_mail, fixture, mail_token, messages, new_message_id, post_mail
from ticket_support import uniq
from waiting import poll

SINK = Path(__file__).with_name("smtp_sink.py")


class SmtpSink:
    def __init__(self, directory, port=None):
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen([sys.executable, str(SINK), str(self.port), str(self.dir)],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert self.proc.stdout.readline().strip() == b"ready"
        return self

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None

    def mails(self):
        out = []
        for p in sorted(self.dir.glob("*.eml"), key=lambda p: int(p.stem)):
            msg = email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
            env = p.with_suffix(".env").read_text().split("\n")
            out.append((msg, env[0], [r for r in env[1:] if r]))
        return out

    def wait(self, pred, timeout=20.0):
        """The mails that satisfy `pred`, once there is one; [] after `timeout`."""
        return poll(lambda: [m for m in self.mails() if pred(m[0])], timeout)


@pytest.fixture
def sink(tmp_path):
    s = SmtpSink(tmp_path / "sink").start()
    yield s
    s.stop()


@pytest.fixture
def desk(start_server):
    return start_server(env={"GONGDAN_MAIL_RETRY_BASE_MS": "300"}, clock=True)


@contextlib.contextmanager
def mailing_desk(start_server, folder, clock=True):
    """A server (on the test clock unless told) whose mail goes to an SMTP sink, with the public
    URL http://desk.example its links carry: yields (server, sink)."""
    sink = SmtpSink(folder / "sink").start()
    srv = start_server(env={"GONGDAN_PUBLIC_URL": "http://desk.example"}, clock=clock)
    sending_mailbox(srv.admin, sink.port, acknowledge=False)
    try:
        yield srv, sink
    finally:
        sink.stop()


def sending_mailbox(admin, port, acknowledge=True, address="support@desk.example"):
    r = admin.post("/api/v1/mailboxes", json={"address": address, "smtp_host": "127.0.0.1",
                                              "smtp_port": port, "smtp_tls": "none",
                                              "acknowledge": acknowledge})
    assert r.status == 201, r
    return r.body


def text_of(msg, subtype):
    part = msg.get_body(preferencelist=(subtype,))
    return part.get_content() if part else None


def test_acknowledgement_reply_and_threading(desk, sink):
    admin = desk.admin
    sending_mailbox(admin, sink.port)
    token = mail_token(desk)
    customer = f"{uniq('cust')}@example.com"
    first_id = new_message_id("first")
    raw = build_mail(f"Customer <{customer}>", "Printer on fire", "SECRET BODY TEXT",
                     message_id=first_id,
                     extra_headers=["Reply-To: list@example.com", "Cc: boss@example.com"])
    number = post_mail(desk, token, raw, expect=201).body["ticket"]

    # The acknowledgement: only to the sender, auto-submitted, threaded, never quoting.
    desk.wait_idle()
    acks = [m for m in sink.mails() if m[0]["Auto-Submitted"] == "auto-replied"]
    assert len(acks) == 1, sink.mails()
    ack, mail_from, rcpts = acks[0]
    assert rcpts == [customer] and mail_from == "support@desk.example"
    assert ack["To"].addresses[0].addr_spec == customer and ack["Cc"] is None
    assert f"[#{number}]" in ack["Subject"]
    assert ack["In-Reply-To"] == first_id
    assert "SECRET BODY TEXT" not in ack.as_string()
    assert ack["Message-ID"]

    # An agent's reply with an attachment.
    up = admin.post("/api/v1/attachments?filename=%E6%8A%A5%E5%91%8A.txt",
                    raw_body=b"report body", headers={"Content-Type": "text/plain"})
    assert up.status == 201, up
    r = admin.post(f"/api/v1/tickets/{number}/messages",
                   json={"body": "We are on it.", "html": "<p>We are <b>on it</b>.</p>",
                         "attachments": [up.body["items"][0]["id"]]})
    assert r.status == 201, r
    reply_msg_id = r.body["id"]
    desk.wait_idle()
    replies = [m for m in sink.mails() if m[0]["Auto-Submitted"] is None]
    assert len(replies) == 1
    reply, mail_from, rcpts = replies[0]
    # The person the customer copied follows the ticket and is copied on the reply (Cc).
    assert rcpts == [customer, "boss@example.com"]
    assert [a.addr_spec for a in reply["Cc"].addresses] == ["boss@example.com"]
    assert reply["From"].addresses[0].addr_spec == "support@desk.example"
    assert reply["Subject"] == f"Re: [#{number}] Printer on fire"
    assert reply["In-Reply-To"] and first_id in reply["References"]
    assert "We are on it." in text_of(reply, "plain")
    assert "<b>on it</b>" in text_of(reply, "html")
    files = [p for p in reply.iter_attachments()]
    assert [f.get_filename() for f in files] == ["报告.txt"]
    assert files[0].get_content() in ("report body", b"report body")
    # Delivery state on the message.
    m = [x for x in messages(admin, number) if x["id"] == reply_msg_id][0]
    assert m["delivery"]["status"] == "sent" and m["delivery"]["to"] == customer
    assert m["delivery"]["message_id"] == reply["Message-ID"].strip("<>")

    # The customer answers our reply: it threads by In-Reply-To onto the same ticket.
    answer = build_mail(customer, "Re: whatever they typed", "thanks!",
                        in_reply_to=reply["Message-ID"])
    out = post_mail(desk, token, answer, expect=201).body
    assert out["status"] == "added" and out["ticket"] == number
    # No acknowledgement for a reply to an existing ticket.
    desk.wait_idle()
    assert len([m for m in sink.mails() if m[0]["Auto-Submitted"] == "auto-replied"]) == 1


def test_no_acknowledgement_to_machines_lists_or_ourselves(desk, sink):
    admin = desk.admin
    sending_mailbox(admin, sink.port)
    sending_mailbox(admin, sink.port, address="sales@desk.example")
    token = mail_token(desk)
    post_mail(desk, token, fixture("flanker-list-precedence-bulk-8bit-from.eml"), expect=201)
    post_mail(desk, token, build_mail("sales@desk.example", "from ourselves", "loop?"),
              expect=201)
    post_mail(desk, token, build_mail(f"{uniq('ooo')}@example.com", "Out of office", "away",
                                      extra_headers=["Auto-Submitted: auto-replied"]),
              expect=202)
    # A normal one, to see that the outbox works; nothing else went out.
    normal = f"{uniq('normal')}@example.com"
    post_mail(desk, token, build_mail(normal, "hello", "x"), expect=201)
    desk.wait_idle()
    assert [r for _, _, r in sink.mails()] == [[normal]]


def test_acknowledgements_are_rate_limited_per_address(desk, sink):
    sending_mailbox(desk.admin, sink.port)
    token = mail_token(desk)
    sender = f"{uniq('chatty')}@example.com"
    for i in range(5):
        post_mail(desk, token, build_mail(sender, f"new issue {i}", "x"), expect=201)
    desk.wait_idle()
    assert len(sink.mails()) == 3  # mail_acks_per_hour defaults to 3
    # The limit is per hour: after an hour the address is acknowledged again.
    desk.advance(hours=1)
    post_mail(desk, token, build_mail(sender, "still within the hour", "x"), expect=201)
    desk.wait_idle()
    assert len(sink.mails()) == 3
    desk.advance(seconds=0.001)
    post_mail(desk, token, build_mail(sender, "an hour later", "x"), expect=201)
    desk.wait_idle()
    assert len(sink.mails()) == 4 and "an hour later" in sink.mails()[-1][0]["Subject"]


def test_header_injection_never_reaches_outgoing_mail(desk, sink):
    sending_mailbox(desk.admin, sink.port)
    token = mail_token(desk)
    post_mail(desk, token, fixture("gongdan-header-injection.eml"), expect=201)
    desk.wait_idle()
    found = sink.mails()
    assert found
    raw = (sink.dir / "1.eml").read_bytes()
    head = raw.split(b"\r\n\r\n", 1)[0] if b"\r\n\r\n" in raw else raw.split(b"\n\n", 1)[0]
    assert b"\nBcc:" not in head and b"\nbcc:" not in head.lower().replace(b"bcc: all", b"")
    assert found[0][2] == ["eve@example.com"]


def test_receiver_down_is_retried_until_it_comes_back(desk, tmp_path):
    port = free_port()
    admin = desk.admin
    sending_mailbox(admin, port, acknowledge=False)
    token = mail_token(desk)
    customer = f"{uniq('patient')}@example.com"
    number = post_mail(desk, token, build_mail(customer, "slow", "x"), expect=201).body["ticket"]
    r = admin.post(f"/api/v1/tickets/{number}/messages", json={"body": "answer while down"})
    assert r.status == 201
    mid = r.body["id"]
    desk.wait_idle()
    d = [x for x in messages(admin, number) if x["id"] == mid][0]["delivery"]
    assert d["status"] == "queued" and d["attempts"] == 1 and d["last_error"], d
    sink = SmtpSink(tmp_path / "late", port=port).start()
    try:
        desk.advance(seconds=1)  # past the first backoff (at most 300 ms)
        got = [m for m in sink.mails() if customer in m[0]["To"]]
        assert got and "answer while down" in text_of(got[0][0], "plain")
        d = [x for x in messages(admin, number) if x["id"] == mid][0]["delivery"]
        assert d["status"] == "sent" and d["attempts"] == 2, d
    finally:
        sink.stop()


def test_a_mail_that_keeps_failing_is_marked_failed(start_server):
    # The default backoff (30 s at first); two tries.
    srv = start_server(env={"GONGDAN_MAIL_MAX_ATTEMPTS": "2"}, clock=True)
    sending_mailbox(srv.admin, free_port(), acknowledge=False)
    token = mail_token(srv)
    number = post_mail(srv, token, build_mail(f"{uniq('x')}@example.com", "s", "x"),
                       expect=201).body["ticket"]
    mid = srv.admin.post(f"/api/v1/tickets/{number}/messages", json={"body": "b"}).body["id"]

    def delivery():
        return [x for x in messages(srv.admin, number) if x["id"] == mid][0]["delivery"]

    srv.wait_idle()
    assert delivery()["status"] == "queued" and delivery()["attempts"] == 1, delivery()
    srv.advance(seconds=14)  # full jitter of at least half: not before 15 s
    assert delivery()["attempts"] == 1, delivery()
    srv.advance(seconds=16)
    d = delivery()
    assert d["status"] == "failed" and d["attempts"] == 2 and "SMTP" in d["last_error"], d


def test_outgoing_mail_is_a_job_an_admin_can_retry_from_the_dead_letters(start_server, tmp_path):
    srv = start_server(env={"GONGDAN_MAIL_MAX_ATTEMPTS": "2"}, clock=True)
    port = free_port()
    sending_mailbox(srv.admin, port, acknowledge=False)
    token = mail_token(srv)
    customer = f"{uniq('dead')}@example.com"
    number = post_mail(srv, token, build_mail(customer, "s", "x"), expect=201).body["ticket"]
    mid = srv.admin.post(f"/api/v1/tickets/{number}/messages",
                         json={"body": "sent at last"}).body["id"]

    def delivery():
        return [x for x in messages(srv.admin, number) if x["id"] == mid][0]["delivery"]

    def dead_mail_jobs():
        r = srv.admin.get("/api/v1/jobs?state=dead&limit=200")
        assert r.status == 200, r
        return [j for j in r.body["items"] if j["kind"] == "mail"]

    srv.wait_idle()
    assert dead_mail_jobs() == []
    srv.advance(seconds=31)  # past the first backoff (at most 30 s): the last try fails too
    dead = dead_mail_jobs()
    assert len(dead) == 1 and "gave up after 2 attempts" in dead[0]["last_error"], dead
    assert delivery()["status"] == "failed" and delivery()["attempts"] == 2, delivery()
    sink = SmtpSink(tmp_path / "revived", port=port).start()
    try:
        r = srv.admin.post(f"/api/v1/jobs/{dead[0]['id']}/retry")
        assert r.status == 200 and r.body["state"] == "queued", r
        srv.wait_idle()
        got = sink.wait(lambda m: customer in m["To"])
        assert got and "sent at last" in text_of(got[0][0], "plain")
        d = delivery()
        assert d["status"] == "sent" and d["attempts"] == 3 and d["sent_at"], d
        assert dead_mail_jobs() == []
    finally:
        sink.stop()


def test_acknowledgement_speaks_the_senders_language(desk, sink):
    sending_mailbox(desk.admin, sink.port)
    token = mail_token(desk)
    post_mail(desk, token, fixture("constructed-foxmail-gbk-8bit-body.eml"), expect=201)
    desk.wait_idle()
    found = sink.mails()
    assert found
    body = text_of(found[0][0], "plain")
    assert "我们已收到您的邮件" in body and "错误代码" not in body


# A 1×1 PNG: a screenshot pasted into the desk's rich editor.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                    "0000000d4944415478da636460f85f0f0002870180eb47ba920000000049454e44ae426082")


def test_a_pasted_image_is_kept_in_the_reply_and_mailed_inline(desk, sink):
    admin = desk.admin
    sending_mailbox(admin, sink.port, acknowledge=False)
    customer = f"{uniq('inline')}@example.com"
    r = admin.post("/api/v1/tickets", json={"subject": "Screen", "body": "see",
                                            "requester": {"email": customer, "name": "C"}})
    assert r.status == 201, r
    number = r.body["number"]
    up = admin.post("/api/v1/attachments?filename=screen.png", raw_body=PNG,
                    headers={"Content-Type": "image/png"})
    assert up.status == 201, up
    image = up.body["items"][0]["id"]
    other = admin.post("/api/v1/attachments?filename=log.txt", raw_body=b"log",
                       headers={"Content-Type": "text/plain"}).body["items"][0]["id"]
    html = (f'<p>Look:</p><p><img src="/api/v1/attachments/{image}" alt="screen.png">'
            '<img src="/api/v1/attachments/12x"><img src="/elsewhere/1"></p>')
    r = admin.post(f"/api/v1/tickets/{number}/messages",
                   json={"body": "Look:", "html": html, "attachments": [image, other]})
    assert r.status == 201, r
    # Kept: the message's own attachment path; dropped: anything else relative.
    stored = [m for m in messages(admin, number) if m["id"] == r.body["id"]][0]["html"]
    assert f'<img src="/api/v1/attachments/{image}" alt="screen.png">' in stored, stored
    assert "12x" not in stored and "/elsewhere/" not in stored, stored

    desk.wait_idle()
    (reply, _, rcpts), = sink.wait(lambda m: m["Subject"] and f"[#{number}]" in m["Subject"])
    assert rcpts == [customer]
    related = [p for p in reply.walk() if p.get_content_type() == "multipart/related"]
    assert len(related) == 1, reply.as_string()[:3000]
    inline = [p for p in related[0].iter_parts() if p.get_content_type() == "image/png"]
    assert len(inline) == 1 and inline[0].get_content_disposition() == "inline"
    cid = inline[0]["Content-ID"].strip("<>")
    assert inline[0].get_content() == PNG
    body = text_of(reply, "html")
    assert f'src="cid:{cid}"' in body and "/api/v1/attachments/" not in body, body
    # The other file is an attachment as before.
    assert [f.get_filename() for f in reply.iter_attachments()] == ["log.txt"]
