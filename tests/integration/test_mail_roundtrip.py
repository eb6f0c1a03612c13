"""The whole mail loop with real servers, all on 127.0.0.1: a customer's mail sits in the desk's
Dovecot mailbox, gongdan polls it into a ticket, an agent answers through the API, the answer
leaves through Postfix (postfix -c DIR, its own config) into the customer's Dovecot mailbox, is
read back over IMAP, and the customer's answer to it threads onto the same ticket."""

import email
import email.policy
import os
import shutil
import tempfile

import pytest

from conftest import assert_error, free_port
from mail_servers import Dovecot, Postfix
from mail_support import build_mail, messages, new_message_id
from ticket_support import uniq
from waiting import poll


@pytest.fixture
def servers():
    directory = tempfile.mkdtemp(prefix="gongdan-mailservers-")
    os.chmod(directory, 0o755)  # the servers' own users must reach their files
    dovecot = Dovecot(f"{directory}/dovecot", {"desk": "desk-pass", "customer": "cust-pass"})
    postfix = None
    try:
        dovecot.start()
        postfix = Postfix(f"{directory}/postfix", mail_base=dovecot.dir / "mail",
                          mailbox="customer", domains="example.com").start()
        yield dovecot, postfix
    finally:
        if postfix:
            postfix.stop()
        dovecot.stop()
        shutil.rmtree(directory, ignore_errors=True)


def wait_for(pred, timeout=30.0):
    """Polls the real mail servers (and the desk's IMAP poller) until `pred` holds."""
    return poll(pred, timeout, step=0.2)


def customer_inbox(dovecot):
    m = dovecot.imap("customer")
    try:
        m.select("INBOX")
        typ, data = m.uid("SEARCH", None, "ALL")
        out = []
        for uid in data[0].split():
            typ, fetched = m.uid("FETCH", uid, "(BODY.PEEK[])")
            out.append(email.message_from_bytes(fetched[0][1], policy=email.policy.default))
        return out
    finally:
        m.logout()


def test_mail_in_reply_out_and_back_again(fresh_server, servers):
    dovecot, postfix = servers
    admin = fresh_server.admin
    r = admin.post("/api/v1/mailboxes", json={
        "address": "support@desk.example", "imap_host": "127.0.0.1", "imap_port": dovecot.port,
        "imap_tls": "none", "imap_user": "desk", "imap_password": "desk-pass",
        "poll_seconds": 1, "smtp_host": "127.0.0.1", "smtp_port": postfix.port,
        "smtp_tls": "none"})
    assert r.status == 201, r
    customer = "wang.fang@example.com"
    subject = uniq("打印机坏了 ")
    first_id = new_message_id("cust")
    dovecot.append("desk", build_mail(f"王芳 <{customer}>", subject, "办公室的打印机无法连接",
                                      message_id=first_id, to="support@desk.example"))

    def ticket_number():
        items = admin.get("/api/v1/tickets?limit=50").body["items"]
        found = [t for t in items if t["subject"] == subject]
        return found[0]["number"] if found else None

    number = wait_for(ticket_number)
    assert number, f"not polled: {admin.get('/api/v1/mailboxes').body} {dovecot.log()}"

    r = admin.post(f"/api/v1/tickets/{number}/messages",
                   json={"body": "请重启打印机。", "html": "<p>请<b>重启</b>打印机。</p>"})
    assert r.status == 201, r
    inbox = wait_for(lambda: customer_inbox(dovecot))
    assert inbox, f"reply not delivered: {postfix.log()}"
    reply = inbox[0]
    assert reply["From"].addresses[0].addr_spec == "support@desk.example"
    assert reply["To"].addresses[0].addr_spec == customer
    assert reply["Subject"] == f"Re: [#{number}] {subject}"
    assert reply["In-Reply-To"] == first_id
    assert "请重启打印机。" in reply.get_body(("plain",)).get_content()
    assert "<b>重启</b>" in reply.get_body(("html",)).get_content()

    # The customer answers from their client: it comes back through the desk's mailbox.
    dovecot.append("desk", build_mail(customer, "Re: " + reply["Subject"], "重启后好了，谢谢",
                                      in_reply_to=reply["Message-ID"],
                                      references=f"{first_id} {reply['Message-ID']}",
                                      to="support@desk.example"))
    assert wait_for(lambda: len(messages(admin, number)) == 3), messages(admin, number)
    bodies = [m["body"] for m in messages(admin, number)]
    assert bodies[-1].startswith("重启后好了")


def test_cc_stays_on_the_conversation_and_agents_add_cc_and_bcc(fresh_server, servers):
    """A customer copies a colleague: the colleague follows the ticket and gets the replies (Cc).
    An agent adds a Cc (who then follows too) and a Bcc (this reply only, never in a header).
    Postfix delivers one copy per recipient into the one maildir, each with its Delivered-To."""
    dovecot, postfix = servers
    admin = fresh_server.admin
    r = admin.post("/api/v1/mailboxes", json={
        "address": "help@desk.example", "imap_host": "127.0.0.1", "imap_port": dovecot.port,
        "imap_tls": "none", "imap_user": "desk", "imap_password": "desk-pass",
        "poll_seconds": 1, "smtp_host": "127.0.0.1", "smtp_port": postfix.port,
        "smtp_tls": "none"})
    assert r.status == 201, r
    customer, colleague = "li.lei@example.com", "han.meimei@example.com"
    subject = uniq("VPN down ")
    dovecot.append("desk", build_mail(
        f"Li Lei <{customer}>", subject, "The VPN drops every minute.",
        to="help@desk.example",
        extra_headers=[f"Cc: Han Meimei <{colleague}>, help+t1-a1-00@desk.example"]))

    def ticket_number():
        found = [t for t in admin.get("/api/v1/tickets?limit=50").body["items"]
                 if t["subject"] == subject]
        return found[0]["number"] if found else None

    number = wait_for(ticket_number)
    assert number, dovecot.log()
    followers = admin.get(f"/api/v1/tickets/{number}/followers")
    assert followers.status == 200, followers
    emails = {p["email"] for p in followers.body["items"]}
    assert emails == {colleague}, "the Cc'd person follows; our own (tagged) address does not"

    # Bad copies are refused, and nothing is sent.
    r = admin.post(f"/api/v1/tickets/{number}/messages",
                   json={"body": "x", "cc": ["not an address"]})
    assert r.status == 400 and r.body["error"]["field"] == "cc", r
    r = admin.post(f"/api/v1/tickets/{number}/messages",
                   json={"body": "note", "internal": True, "bcc": ["boss@example.com"]})
    assert r.status == 400 and r.body["error"]["field"] == "bcc", r

    r = admin.post(f"/api/v1/tickets/{number}/messages", json={
        "body": "Please update the client.", "cc": ["Zhang.San@example.com"],
        "bcc": ["boss@example.com"]})
    assert r.status == 201, r
    assert r.body["delivery"]["cc"] == ["zhang.san@example.com", colleague], r.body
    inbox = wait_for(lambda: (lambda got: got if len(got) == 4 else None)(customer_inbox(dovecot)))
    assert inbox, f"not every copy delivered: {customer_inbox(dovecot)} {postfix.log()}"
    delivered = sorted(m["Delivered-To"] for m in inbox)
    assert delivered == sorted([customer, colleague, "zhang.san@example.com",
                                "boss@example.com"])
    for m in inbox:
        assert m["To"].addresses[0].addr_spec == customer
        assert sorted(a.addr_spec for a in m["Cc"].addresses) == sorted(
            [colleague, "zhang.san@example.com"])
        # A Bcc never shows in the message (only the receiving server's delivery headers name
        # the one copy that went to it).
        written = m.as_string().split("\nFrom: ", 1)[1]
        assert m["Bcc"] is None and "boss@example.com" not in written
    outbound = admin.get(f"/api/v1/tickets/{number}/outbound-mail")
    assert outbound.status == 200, outbound
    assert outbound.body["items"][0]["bcc"] == ["boss@example.com"]

    # The agent's Cc now follows: the next reply copies both without being asked.
    followers = admin.get(f"/api/v1/tickets/{number}/followers").body["items"]
    assert len(followers) == 2
    r = admin.post(f"/api/v1/tickets/{number}/messages", json={"body": "Fixed now."})
    assert r.status == 201, r
    assert sorted(r.body["delivery"]["cc"]) == sorted([colleague, "zhang.san@example.com"])
    assert wait_for(lambda: len(customer_inbox(dovecot)) == 7), postfix.log()


def test_test_connection_names_the_step_that_failed(server, servers):
    """POST /mailboxes/{id}/test against the real Dovecot and Postfix: a good mailbox passes both
    servers; a wrong password fails at the login, a missing folder at the folder, a name that
    does not resolve at DNS, a closed port at TCP, plain IMAP spoken to as TLS at TLS."""
    dovecot, postfix = servers
    admin = server.admin
    closed = free_port()

    def box(**fields):
        r = admin.post("/api/v1/mailboxes", json={
            "address": f"{uniq('probe')}@desk.example", "active": False, "poll_seconds": 3600,
            **fields})
        assert r.status == 201, r
        return r.body["id"]

    def test(mailbox_id):
        r = admin.post(f"/api/v1/mailboxes/{mailbox_id}/test")
        assert r.status == 200, r
        return r.body

    imap = {"imap_host": "127.0.0.1", "imap_port": dovecot.port, "imap_tls": "none",
            "imap_user": "desk", "imap_password": "desk-pass"}
    good = test(box(**imap, smtp_host="127.0.0.1", smtp_port=postfix.port, smtp_tls="none"))
    assert good["imap"] == {"checked": True, "ok": True, "step": None, "reached": good["imap"][
        "reached"], "message": "IMAP login as desk and folder INBOX fine"}, good
    assert good["smtp"]["ok"] is True and good["smtp"]["step"] is None, good
    for fields, where, step, words in (
            ({"imap_password": "wrong"}, "imap", "login", "IMAP login as desk"),
            ({"imap_folder": "NoSuchFolder"}, "imap", "folder", "IMAP folder NoSuchFolder"),
            ({"imap_host": "no-such-host.invalid"}, "imap", "dns", "DNS: cannot resolve"),
            ({"imap_port": closed}, "imap", "tcp", "TCP: cannot connect"),
            ({"imap_tls": "tls"}, "imap", "tls", "TLS:"),
            ({"smtp_host": "127.0.0.1", "smtp_port": closed, "smtp_tls": "none"}, "smtp", "tcp",
             f"SMTP 127.0.0.1:{closed}: TCP")):
        got = test(box(**{**imap, **fields}))
        assert got[where]["checked"] and not got[where]["ok"], (fields, got)
        assert got[where]["step"] == step and words in got[where]["message"], (fields, got)
    skipped = test(box(**imap))["smtp"]
    assert skipped == {"checked": False, "ok": False, "step": None, "message": ""}
    assert_error(server.agent_session().post(f"/api/v1/mailboxes/{box(**imap)}/test"), 403,
                 "permission_denied")
    assert_error(admin.post("/api/v1/mailboxes/99999999/test"), 404, "not_found")
