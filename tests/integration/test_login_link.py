"""Sign-in links by mail through the real binary: a customer asks for a link, the mail reaches a
local SMTP receiver (smtp_sink.py) with the link on the configured public_url, the link signs in
once; unknown addresses, agents and deactivated customers get the same answer and no mail; asking
too often is limited; without public_url or a sending mailbox the feature says so (503). The
desk runs on the test clock, so links expire and limits reset when the test says so.

Link mails leave from a queue in memory, one at a time in order (channels/email/link_mailer), not
through the outbox: a test that checks a mail was NOT sent asks for one more link afterwards and
waits for that one; whatever was queued before it has gone out by then."""

import re
import subprocess

import pytest

from conftest import BIN, assert_error, base_env, session_cookie, unique_email
from test_mail_smtp import SmtpSink
from waiting import poll

PUBLIC = "https://desk.example.test"
LINK = re.compile(re.escape(PUBLIC) + r"/portal/link#([A-Za-z0-9_\-]+)")


@pytest.fixture
def sink(tmp_path):
    s = SmtpSink(tmp_path / "sink").start()
    yield s
    s.stop()


@pytest.fixture
def desk(start_server, sink):
    srv = start_server(env={"GONGDAN_PUBLIC_URL": PUBLIC + "/"}, clock=True)
    r = srv.admin.post("/api/v1/mailboxes", json={"address": "help@desk.example", "smtp_host": "127.0.0.1",
                                                  "smtp_port": sink.port, "smtp_tls": "none"})
    assert r.status == 201, r
    return srv


def mails_to(sink, address, count=1, timeout=10.0):
    """The mails to `address`, once there are at least `count`."""
    def found():
        got = [m for m, _, _ in sink.mails()
               if any(a.addr_spec == address for a in m["To"].addresses)]
        return got if len(got) >= count else None
    return poll(found, timeout) or []


def link_token(mail):
    text = mail.get_body(preferencelist=("plain",)).get_content()
    m = LINK.search(text)
    assert m, text
    return m.group(1), text


def test_a_link_signs_the_customer_in_once(desk, sink):
    customer, _ = desk.create_contact(name="Pat Doe")
    r = desk.post("/api/v1/auth/link", json={"email": customer["email"].upper()})
    assert r.status == 202 and r.body == {"accepted": True}, r
    assert session_cookie(r.headers) is None

    mails = mails_to(sink, customer["email"])
    assert len(mails) == 1
    mail = mails[0]
    assert mail["From"].addresses[0].addr_spec == "help@desk.example"
    assert mail["Subject"] == "Your sign-in link"
    token, text = link_token(mail)
    assert text == ("Hello Pat Doe,\n\nSign in to the support portal with this link (valid for 15 "
                    f"minutes, usable once):\n\n{PUBLIC}/portal/link#{token}\n\nIf you did not "
                    "ask for it, ignore this mail: nobody can sign in without the link.\n"), text
    # Only the digest is stored: the token appears in no file of the data directory.
    for f in desk.data_dir.rglob("*"):
        if f.is_file():
            assert token.encode() not in f.read_bytes(), f

    r = desk.post("/api/v1/auth/link/redeem", json={"token": token})
    assert r.status == 200, r
    assert r.body["user"]["email"] == customer["email"] and r.body["csrf_token"]
    cookie = session_cookie(r.headers)
    assert cookie
    me = desk.get("/api/v1/me", headers={"Cookie": f"gongdan_session={cookie}"})
    assert me.status == 200 and me.body["role"] == "customer"

    again = desk.post("/api/v1/auth/link/redeem", json={"token": token})
    assert_error(again, 401, "unauthenticated")
    audit = desk.admin.get("/api/v1/audit?limit=20").body["items"]
    actions = [a["action"] for a in audit if a["actor_id"] == customer["id"]]
    assert "auth.link_sent" in actions and "auth.login" in actions


def test_the_mail_speaks_the_customers_language(desk, sink):
    r = desk.admin.post("/api/v1/contacts", json={"email": unique_email("zh"), "name": "王小明",
                                                  "locale": "zh-CN"})
    assert r.status == 201, r
    assert desk.post("/api/v1/auth/link", json={"email": r.body["email"]}).status == 202
    mail = mails_to(sink, r.body["email"])[0]
    assert mail["Subject"] == "登录支持门户"
    token, text = link_token(mail)
    assert text == ("您好 王小明：\n\n请用下面的链接登录支持门户（15 分钟内有效，只能使用一次）：\n\n"
                    f"{PUBLIC}/portal/link#{token}\n\n如果不是您本人申请的，请忽略这封邮件：没有这个"
                    "链接，谁也无法登录。\n"), text
    assert desk.post("/api/v1/auth/link/redeem", json={"token": token}).status == 200


def test_same_answer_and_no_mail_for_strangers_agents_and_deactivated(desk, sink):
    agent, _ = desk.create_agent()
    gone, _ = desk.create_contact()
    assert desk.admin.patch(f"/api/v1/contacts/{gone['id']}", json={"active": False}).status == 200
    stranger = unique_email("nobody")
    for email in (stranger, agent["email"], gone["email"]):
        r = desk.post("/api/v1/auth/link", json={"email": email})
        assert r.status == 202 and r.body == {"accepted": True}, r
    # A real request after them goes out; theirs never do (they would have gone first).
    customer, _ = desk.create_contact()
    assert desk.post("/api/v1/auth/link", json={"email": customer["email"]}).status == 202
    assert mails_to(sink, customer["email"])
    sent_to = {a.addr_spec for m, _, _ in sink.mails() for a in m["To"].addresses}
    assert not sent_to & {stranger, agent["email"], gone["email"]}


def test_asking_too_often(desk, sink):
    customer, _ = desk.create_contact()
    for _ in range(4):
        assert desk.post("/api/v1/auth/link", json={"email": customer["email"]}).status == 202
    # Per client address: ten links in the window, then 429 with Retry-After.
    others = []
    for _ in range(7):
        c, _ = desk.create_contact()
        others.append(c["email"])
        assert desk.post("/api/v1/auth/link", json={"email": c["email"]}).status == 202
    mails_to(sink, others[-1])  # the last in the queue: the customer's went before it
    assert len(mails_to(sink, customer["email"])) == 3
    over = desk.post("/api/v1/auth/link", json={"email": customer["email"]})
    assert_error(over, 429, "rate_limited")
    assert int(over.headers.get("Retry-After")) == 15 * 60
    # Both limits count the last fifteen minutes.
    desk.advance(minutes=15)
    assert_error(desk.post("/api/v1/auth/link", json={"email": customer["email"]}), 429,
                 "rate_limited")
    desk.advance(seconds=0.001)
    assert desk.post("/api/v1/auth/link", json={"email": customer["email"]}).status == 202
    assert len(mails_to(sink, customer["email"], count=4)) == 4


def test_a_link_lasts_fifteen_minutes(desk, sink):
    customer, _ = desk.create_contact()
    for _ in range(2):
        assert desk.post("/api/v1/auth/link", json={"email": customer["email"]}).status == 202
    first, second = (link_token(m)[0] for m in mails_to(sink, customer["email"], count=2))
    desk.advance(minutes=14, seconds=59.999)
    assert desk.post("/api/v1/auth/link/redeem", json={"token": first}).status == 200
    desk.advance(seconds=0.001)
    assert_error(desk.post("/api/v1/auth/link/redeem", json={"token": second}), 401,
                 "unauthenticated")


def test_bad_requests(desk):
    assert_error(desk.post("/api/v1/auth/link", json={}), 400, "invalid_argument", "email")
    assert_error(desk.post("/api/v1/auth/link", json={"email": 5}), 400, "invalid_argument", "email")
    assert_error(desk.post("/api/v1/auth/link", json={"email": "a@b.c", "x": 1}), 400, "invalid_argument")
    assert_error(desk.post("/api/v1/auth/link/redeem", json={}), 400, "invalid_argument", "token")
    assert_error(desk.post("/api/v1/auth/link/redeem", json={"token": "x" * 201}), 400, "invalid_argument", "token")
    assert_error(desk.post("/api/v1/auth/link/redeem", json={"token": "made-up"}), 401, "unauthenticated")
    r = desk.request("POST", "/api/v1/auth/link", raw_body=b"not json",
                     headers={"Content-Type": "application/json"})
    assert r.status == 400, r


def test_unavailable_without_public_url_or_mailbox(start_server, sink):
    plain = start_server()
    customer, _ = plain.create_contact()
    assert_error(plain.post("/api/v1/auth/link", json={"email": customer["email"]}), 503, "unavailable")
    with_url = start_server(env={"GONGDAN_PUBLIC_URL": PUBLIC})
    customer, _ = with_url.create_contact()
    assert_error(with_url.post("/api/v1/auth/link", json={"email": customer["email"]}), 503, "unavailable")


def test_public_url_must_be_http(tmp_path):
    p = subprocess.run([BIN, "serve", "--data", str(tmp_path / "d"), "--listen", "127.0.0.1:0"],
                       capture_output=True, text=True, timeout=20,
                       env=base_env({"GONGDAN_PUBLIC_URL": "desk.example.test"}))
    assert p.returncode != 0
    assert "public_url" in p.stderr and "listening" not in p.stdout


def test_concurrent_redemptions_of_one_link_open_one_session(desk, sink):
    # Issue 16: redemption was a read, then an update whose row count nobody checked; on
    # PostgreSQL's writers, side by side, two redemptions could both open a session.
    import threading
    customer, _ = desk.create_contact()
    assert desk.post("/api/v1/auth/link", json={"email": customer["email"]}).status == 202
    token, _ = link_token(mails_to(sink, customer["email"])[0])
    statuses = []
    barrier = threading.Barrier(8)

    def redeem():
        barrier.wait()
        statuses.append(desk.post("/api/v1/auth/link/redeem", json={"token": token}).status)

    threads = [threading.Thread(target=redeem) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [200] + [401] * 7, statuses
    audit = desk.admin.get("/api/v1/audit?limit=50").body["items"]
    logins = [a for a in audit if a["action"] == "auth.login" and a["actor_id"] == customer["id"]]
    assert len(logins) == 1, logins
