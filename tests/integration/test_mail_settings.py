"""Mail settings through the real binary: agents' reply addresses as the only proof that mail
comes from an agent (forged From → unverified internal note, flagged), replies from outside
addresses joining a ticket only where its (or its department's) settings allow, automatic
acknowledgements per department and language read out of an SMTP receiver, and a bounce marking
the outgoing mail it reports on as failed. The servers run on the test clock and the tests wait
for the outbox to be idle, never a fixed time."""

import re

import pytest

from conftest import assert_error
from mail_support import build_mail, mail_token, messages, new_message_id, post_mail
from test_mail_smtp import SmtpSink, sending_mailbox, text_of
from ticket_support import agent, make_department, uniq


@pytest.fixture
def sink(tmp_path):
    s = SmtpSink(tmp_path / "sink").start()
    yield s
    s.stop()


@pytest.fixture
def desk(start_server):
    return start_server(env={"GONGDAN_MAIL_RETRY_BASE_MS": "300"}, clock=True)


def open_ticket(srv, token, customer, subject="help", department=None):
    root = new_message_id("root")
    out = post_mail(srv, token, build_mail(customer, subject, "my printer is broken",
                                           message_id=root), department=department, expect=201)
    return out.body["ticket"], root


def message_by_id(sess, number, mid):
    return [m for m in messages(sess, number) if m["id"] == mid][0]


def delivery_when_idle(srv, number, mid):
    """The message's delivery once the outbox has nothing due."""
    srv.wait_idle()
    return message_by_id(srv.admin, number, mid)["delivery"]


def test_forged_agent_mail_is_an_unverified_flagged_note(desk, sink):
    sending_mailbox(desk.admin, sink.port, acknowledge=False)
    token = mail_token(desk)
    staff = agent(desk, all_departments=True)
    number, root = open_ticket(desk, token, f"{uniq('victim')}@example.com")
    tag = staff.get(f"/api/v1/tickets/{number}/mail-settings").body["reply_address"]
    forged_tag = re.sub(r"-[0-9a-f]{20}@", "-0123456789abcdef0123@", tag)
    assert forged_tag != tag
    # Forged From with threading headers, and with a reply address whose MAC is wrong.
    for to in ("support@desk.example", forged_tag):
        raw = build_mail(staff.user["email"], "Re: help", "send me your password",
                         in_reply_to=f"<{root.strip('<>')}>", to=to)
        out = post_mail(desk, token, raw, expect=201).body
        assert out["status"] == "added" and out["ticket"] == number, out
        m = message_by_id(desk.admin, number, out["message"])
        assert m["internal"] is True and m["author"] is None, m
        assert any("unverified sender" in f for f in m["mail_flags"]), m["mail_flags"]
        # The customer never sees it, and nothing is mailed out.
        assert m["delivery"] is None
    desk.wait_idle()
    assert sink.mails() == []


def test_agent_reply_with_their_reply_address_is_a_public_reply(desk, sink):
    sending_mailbox(desk.admin, sink.port, acknowledge=False)
    token = mail_token(desk)
    staff = agent(desk, all_departments=True)
    other = agent(desk, all_departments=True)
    customer = f"{uniq('cust')}@example.com"
    _, customer_pw = desk.create_contact(email=customer)
    number, _ = open_ticket(desk, token, customer)
    settings = staff.get(f"/api/v1/tickets/{number}/mail-settings")
    assert settings.status == 200, settings
    address = settings.body["reply_address"]
    assert re.fullmatch(rf"support\+t{number}-a{staff.user['id']}-[0-9a-f]{{20}}@desk\.example",
                        address), address
    # Another agent's From with this agent's address proves nothing.
    out = post_mail(desk, token, build_mail(other.user["email"], "x", "not me", to=address),
                    expect=201).body
    m = message_by_id(desk.admin, number, out["message"])
    assert m["internal"] is True and m["author"] is None
    # The agent's own mail to their address: a public reply by the agent, mailed to the customer.
    out = post_mail(desk, token, build_mail(f"Agent <{staff.user['email']}>", "whatever",
                                            f"Restart the printer, please.\n(sent to {address})",
                                            to=address),
                    expect=201).body
    assert out["status"] == "added" and out["ticket"] == number, out
    m = message_by_id(desk.admin, number, out["message"])
    assert m["internal"] is False and m["author"]["id"] == staff.user["id"], m
    assert any("verified sender" in f for f in m["mail_flags"]), m["mail_flags"]
    got = sink.wait(lambda msg: customer in msg["To"])
    assert got and "Restart the printer" in text_of(got[0][0], "plain")
    assert got[0][2] == [customer]
    d = delivery_when_idle(desk, number, m["id"])
    assert d["status"] == "sent" and d["to"] == customer, d
    # The address is the proof: the customer never sees it, in the reply or the raw mail.
    tag = address.split("@")[0].split("+", 1)[1]
    assert tag not in got[0][0].as_string() and tag not in m["body"]
    cust = desk.login(customer, customer_pw)
    assert any(x["id"] == m["id"] for x in messages(cust, number))
    for suffix in ("raw", "mail"):
        assert_error(cust.get(f"/api/v1/tickets/{number}/messages/{m['id']}/{suffix}"), 404,
                     "not_found")
    # Their own mail they still get.
    first = messages(cust, number)[0]
    assert cust.get(f"/api/v1/tickets/{number}/messages/{first['id']}/raw").status == 200
    # The customer sees the reply as the agent's.
    assert message_by_id(desk.admin, number, m["id"])["channel"] == "email"


def test_reply_address_is_for_agents_who_see_the_ticket(desk):
    token = mail_token(desk)
    number, _ = open_ticket(desk, token, f"{uniq('c')}@example.com")
    # No sending mailbox yet: no reply address.
    assert desk.admin.get(f"/api/v1/tickets/{number}/mail-settings").body["reply_address"] is None
    cust = desk.customer_session()
    assert_error(cust.get(f"/api/v1/tickets/{number}/mail-settings"), 404, "not_found")
    assert_error(desk.admin.get("/api/v1/tickets/99999999/mail-settings"), 404, "not_found")


def test_outside_replies_follow_the_ticket_setting(desk):
    admin = desk.admin
    token = mail_token(desk)
    number, root = open_ticket(desk, token, f"{uniq('owner')}@example.com")
    colleague = f"{uniq('colleague')}@example.com"

    def colleague_reply(text, subject="Re: help", in_reply_to=root):
        return post_mail(desk, token, build_mail(colleague, subject, text,
                                                 in_reply_to=in_reply_to), expect=201).body

    # Default: a new ticket of their own.
    s = admin.get(f"/api/v1/tickets/{number}/mail-settings").body
    assert s["outside_replies"] is None and s["effective_outside_replies"] == "new_ticket"
    out = colleague_reply("me too")
    assert out["status"] == "created" and out["ticket"] != number
    # The ticket allows it: the colleague joins as a follower, the message lands on the ticket.
    r = admin.patch(f"/api/v1/tickets/{number}/mail-settings", json={"outside_replies": "follower"})
    assert r.status == 200 and r.body["effective_outside_replies"] == "follower", r
    out = colleague_reply("same problem on floor 3")
    assert out["status"] == "added" and out["ticket"] == number, out
    m = message_by_id(admin, number, out["message"])
    assert m["internal"] is False and m["author"]["email"] == colleague
    assert any("follower" in f for f in m["mail_flags"]), m["mail_flags"]
    # As a follower, the subject token now suffices.
    out = colleague_reply("and floor 4", subject=f"[#{number}] more", in_reply_to=None)
    assert out["status"] == "added" and out["ticket"] == number
    # A stranger with only the token (anyone can type it) still gets a new ticket.
    out = post_mail(desk, token, build_mail(f"{uniq('guess')}@example.com", f"[#{number}] hi",
                                            "let me in"), expect=201).body
    assert out["status"] == "created" and out["ticket"] != number
    # Back to inheriting.
    r = admin.patch(f"/api/v1/tickets/{number}/mail-settings", json={"outside_replies": None})
    assert r.status == 200 and r.body["outside_replies"] is None
    # Bad input.
    assert_error(admin.patch(f"/api/v1/tickets/{number}/mail-settings",
                             json={"outside_replies": "everyone"}), 400, "invalid_argument",
                 "outside_replies")
    assert_error(admin.patch(f"/api/v1/tickets/{number}/mail-settings", json={}), 400,
                 "invalid_argument", "outside_replies")
    assert_error(admin.patch(f"/api/v1/tickets/{number}/mail-settings",
                             json={"outside_replies": "follower", "x": 1}), 400,
                 "invalid_argument")


def test_outside_replies_follow_the_department_setting(desk):
    admin = desk.admin
    token = mail_token(desk)
    dept = make_department(admin)
    r = admin.request("PUT", f"/api/v1/mail/settings/{dept['id']}",
                      json={"outside_replies": "follower"})
    assert r.status == 200 and r.body["outside_replies"] == "follower", r
    number, root = open_ticket(desk, token, f"{uniq('owner')}@example.com",
                               department=dept["id"])
    out = post_mail(desk, token, build_mail(f"{uniq('cc')}@example.com", "Re: help", "+1",
                                            references=root), expect=201).body
    assert out["status"] == "added" and out["ticket"] == number
    # The ticket's own setting wins over its department's.
    admin.patch(f"/api/v1/tickets/{number}/mail-settings", json={"outside_replies": "new_ticket"})
    out = post_mail(desk, token, build_mail(f"{uniq('cc')}@example.com", "Re: help", "+1",
                                            references=root), expect=201).body
    assert out["status"] == "created"
    # Another department (no row) falls back to the defaults: new tickets.
    number2, root2 = open_ticket(desk, token, f"{uniq('owner')}@example.com")
    out = post_mail(desk, token, build_mail(f"{uniq('cc')}@example.com", "Re: help", "+1",
                                            in_reply_to=root2), expect=201).body
    assert out["status"] == "created"
    listed = admin.get("/api/v1/mail/settings").body["items"]
    assert [s["department"] for s in listed] == [dept["id"]]


def test_mail_settings_admin_api_refuses_bad_input(desk):
    admin = desk.admin
    dept = make_department(admin)
    base = f"/api/v1/mail/settings/{dept['id']}"
    got = admin.get(base).body
    assert got["outside_replies"] is None and got["acknowledge"] is None
    assert_error(admin.get("/api/v1/mail/settings/999999"), 404, "not_found")
    assert_error(admin.get("/api/v1/mail/settings/abc"), 404, "not_found")
    for body, field in [({"outside_replies": 3}, "outside_replies"),
                        ({"acknowledge": "yes"}, "acknowledge"),
                        ({"ack_body_en": "{{ticket.status}}"}, "ack_body_en"),
                        ({"ack_subject_zh": "{{ unclosed"}, "ack_subject_zh"),
                        ({"ack_subject_en": "x" * 600}, "ack_subject_en"),
                        ({"nope": 1}, None)]:
        assert_error(admin.request("PUT", base, json=body), 400, "invalid_argument", field)
    assert_error(admin.request("PUT", base, raw_body=b"{not json"), 400, "invalid_argument")
    staff = agent(desk, all_departments=True)
    assert_error(staff.request("PUT", base, json={"acknowledge": True}), 403, "permission_denied")
    assert_error(staff.get("/api/v1/mail/settings"), 403, "permission_denied")


def test_acknowledgements_per_department_and_language(desk, sink):
    admin = desk.admin
    sending_mailbox(admin, sink.port, acknowledge=False)  # the mailbox alone would not answer
    token = mail_token(desk)
    dept = make_department(admin)
    quiet = make_department(admin)
    r = admin.request("PUT", f"/api/v1/mail/settings/{dept['id']}", json={
        "acknowledge": True,
        "ack_subject_en": "Got it: {{ticket.subject}}",
        "ack_body_en": "Dear {{requester.name}}, request {{ticket.token}} is with Billing.",
        "ack_subject_zh": "已收到：{{ticket.subject}}",
        "ack_body_zh": "{{requester.name}}您好，工单 {{ticket.token}} 已转给财务部。"})
    assert r.status == 200, r
    r = admin.request("PUT", f"/api/v1/mail/settings/{quiet['id']}", json={"acknowledge": False})
    assert r.status == 200 and r.body["acknowledge"] is False
    # A contact whose locale is zh-CN, writing in English, gets the Chinese text.
    zh = f"{uniq('zh')}@example.com"
    r = admin.post("/api/v1/contacts", json={"email": zh, "name": "李雷", "locale": "zh-CN",
                                             "time_zone": "Asia/Shanghai"})
    assert r.status == 201, r
    n_zh, _ = open_ticket(desk, token, zh, subject="Invoice", department=dept["id"])
    en = f"{uniq('en')}@example.com"
    n_en, _ = open_ticket(desk, token, f"Jane Roe <{en}>", subject="Invoice",
                          department=dept["id"])
    quiet_sender = f"{uniq('quiet')}@example.com"
    open_ticket(desk, token, quiet_sender, department=quiet["id"])
    nodept = f"{uniq('nodept')}@example.com"
    open_ticket(desk, token, nodept)  # no department row, mailbox says no: no acknowledgement

    got = sink.wait(lambda m: zh in m["To"])
    assert got, sink.mails()
    ack = got[0][0]
    assert ack["Subject"] == f"[#{n_zh}] 已收到：Invoice"
    assert text_of(ack, "plain").strip() == f"李雷您好，工单 [#{n_zh}] 已转给财务部。"
    assert ack["Auto-Submitted"] == "auto-replied"
    got = sink.wait(lambda m: en in m["To"])
    assert got
    ack = got[0][0]
    assert ack["Subject"] == f"[#{n_en}] Got it: Invoice"
    assert text_of(ack, "plain").strip() == f"Dear Jane Roe, request [#{n_en}] is with Billing."
    desk.wait_idle()
    to = [r for _, _, rcpts in sink.mails() for r in rcpts]
    assert quiet_sender not in to and nodept not in to and sorted(to) == sorted([zh, en])
    # The defaults row switches them on for everyone else.
    r = admin.request("PUT", "/api/v1/mail/settings/default", json={"acknowledge": True})
    assert r.status == 200 and r.body["department"] == "default"
    later = f"{uniq('later')}@example.com"
    open_ticket(desk, token, later)
    got = sink.wait(lambda m: later in m["To"])
    assert got and "We have received your message" in text_of(got[0][0], "plain")


def test_a_bounce_marks_the_reply_it_reports_on_as_failed(desk, sink):
    admin = desk.admin
    sending_mailbox(admin, sink.port, acknowledge=False)
    token = mail_token(desk)
    customer = f"{uniq('gone')}@example.com"
    number, _ = open_ticket(desk, token, customer)
    r = admin.post(f"/api/v1/tickets/{number}/messages", json={"body": "Try this."})
    assert r.status == 201
    reply_id = r.body["id"]
    d = delivery_when_idle(desk, number, reply_id)
    assert d["status"] == "sent", d
    sent_id = d["message_id"]
    dsn = (f"From: MAILER-DAEMON@example.net\r\nTo: support@desk.example\r\n"
           f"Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: {new_message_id('dsn')}\r\n"
           "Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"
           'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
           "--b\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n"
           "--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; x\r\n\r\n"
           f"Final-Recipient: rfc822; {customer}\r\nAction: failed\r\nStatus: 5.1.1\r\n"
           "Diagnostic-Code: smtp; 550 5.1.1 no such user\r\n\r\n"
           f"--b\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <{sent_id}>\r\n"
           "Subject: Re: help\r\n\r\n--b--\r\n").encode()
    out = post_mail(desk, token, dsn, expect=201).body
    assert out["status"] == "added" and out["ticket"] == number
    d = message_by_id(admin, number, reply_id)["delivery"]
    assert d["status"] == "failed" and d["last_error"].startswith("bounced: 5.1.1"), d
    note = message_by_id(admin, number, out["message"])
    assert note["internal"] is True
    assert any("bounce of our mail" in f for f in note["mail_flags"]), note["mail_flags"]


def test_department_signature_ends_agent_replies_by_mail(desk, sink):
    admin = desk.admin
    sending_mailbox(admin, sink.port, acknowledge=False)
    token = mail_token(desk)
    dept = make_department(admin)
    r = admin.request("PUT", f"/api/v1/mail/settings/{dept['id']}",
                      json={"signature": "{{agent.name}} <b>\n售后部 · {{ticket.token}}"})
    assert r.status == 200 and r.body["signature"].startswith("{{agent.name}}"), r
    assert_error(admin.request("PUT", f"/api/v1/mail/settings/{dept['id']}",
                               json={"signature": "{{agent.email}}"}), 400, "invalid_argument",
                 "signature")
    assert_error(admin.request("PUT", "/api/v1/mail/settings/default",
                               json={"ack_body_en": "{{agent.name}}"}), 400, "invalid_argument",
                 "ack_body_en")
    customer = f"{uniq('sig')}@example.com"
    number, _ = open_ticket(desk, token, customer, department=dept["id"])
    r = admin.post(f"/api/v1/tickets/{number}/messages",
                   json={"body": "Fixed.", "html": "<p>Fixed.</p>"})
    assert r.status == 201, r
    got = sink.wait(lambda m: customer in m["To"])
    assert got
    plain = text_of(got[0][0], "plain")
    assert plain.replace("\r\n", "\n").endswith(f"Fixed.\n\n-- \nAdministrator <b>\n售后部 · [#{number}]")
    html = text_of(got[0][0], "html")
    assert f"<p>-- <br>Administrator &lt;b&gt;<br>售后部 · [#{number}]</p>" in html
    # The message on the desk is what the agent wrote.
    assert message_by_id(admin, number, r.body["id"])["body"] == "Fixed."


def test_a_failed_acknowledgement_is_visible_on_the_ticket(start_server):
    from conftest import free_port
    srv = start_server(env={"GONGDAN_MAIL_MAX_ATTEMPTS": "2"}, clock=True)
    sending_mailbox(srv.admin, free_port(), acknowledge=True)  # nobody listens there
    token = mail_token(srv)
    sender = f"{uniq('ack')}@example.com"
    number, _ = open_ticket(srv, token, sender)
    srv.advance(minutes=1)  # past the first backoff (at most 30 s)
    items = srv.admin.get(f"/api/v1/tickets/{number}/outbound-mail").body["items"]
    assert len(items) == 1, items
    ack = items[0]
    assert ack["kind"] == "acknowledgement" and ack["to"] == sender and ack["message"] is None
    assert ack["status"] == "failed" and ack["attempts"] == 2 and "SMTP" in ack["last_error"]
    # Agents who see the ticket only.
    assert_error(srv.customer_session().get(f"/api/v1/tickets/{number}/outbound-mail"), 404,
                 "not_found")
    assert_error(srv.admin.get("/api/v1/tickets/99999999/outbound-mail"), 404, "not_found")
