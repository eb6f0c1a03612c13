"""IMAP polling against a real Dovecot started by the test: mailboxes are set up through the
API, messages APPENDed with imaplib become tickets, and the after-fetch action is applied only
after the ticket is committed."""

import shutil
import tempfile

import pytest

from conftest import assert_error
from mail_servers import Dovecot
from mail_support import build_mail, fixture, messages, ticket
from ticket_support import make_department, uniq
from waiting import poll, wait_until


@pytest.fixture
def dovecot():
    # Not under pytest's tmp_path: that is mode 0700, and Dovecot's auth process runs as the
    # dovecot user, which must read the passwd file.
    directory = tempfile.mkdtemp(prefix="gongdan-dovecot-")
    server = Dovecot(directory, {"desk": "desk-pass", "sales": "sales-pass",
                                 "trash": "trash-pass"})
    try:
        yield server.start()
    finally:
        server.stop()
        shutil.rmtree(directory, ignore_errors=True)


def mailbox(admin, dovecot, user, **extra):
    body = {"address": f"{user}@desk.example", "imap_host": "127.0.0.1",
            "imap_port": dovecot.port, "imap_tls": "none", "imap_user": user,
            "imap_password": dovecot.users[user], "poll_seconds": 1}
    body.update(extra)
    r = admin.post("/api/v1/mailboxes", json=body)
    assert r.status == 201, r
    return r.body


def wait_for(pred, timeout=20.0, step=0.2):
    """Polls until `pred` holds: the desk's IMAP poller works on real time, like the Dovecot it
    talks to (a test that needs a poll now asks for one: POST /api/v1/mailboxes/{id}/poll)."""
    return poll(pred, timeout, step)


def polled(admin, box, fetched):
    """The mailbox's state once its polls have recorded `fetched` messages, else None."""
    state = admin.get(f"/api/v1/mailboxes/{box['id']}").body
    return state if state["fetched"] == fetched else None


def tickets_with(admin, subject):
    items = admin.get("/api/v1/tickets?limit=200").body["items"]
    return [t for t in items if t["subject"] == subject]


@pytest.mark.sqlite_only
def test_mailbox_api_validates_and_never_shows_the_password(fresh_server):
    admin = fresh_server.admin
    r = admin.post("/api/v1/mailboxes", json={"address": "help@desk.example",
                                              "imap_host": "imap.example", "imap_user": "u",
                                              "imap_password": "s3cret-pw", "active": False})
    assert r.status == 201, r
    assert r.body["has_password"] is True and "s3cret-pw" not in r.text if hasattr(r, "text") \
        else "s3cret-pw" not in str(r.body)
    assert r.body["imap_port"] == 993 and r.body["imap_tls"] == "tls"
    assert r.body["after_fetch"] == "seen"
    mid = r.body["id"]
    listed = admin.get("/api/v1/mailboxes").body["items"]
    assert [m["id"] for m in listed] == [mid] and "s3cret" not in str(listed)
    # The password is sealed in the database, not stored in clear.
    db = (fresh_server.data_dir / "gongdan.db").read_bytes()
    assert b"s3cret-pw" not in db
    assert (fresh_server.data_dir / "mail.key").stat().st_mode & 0o077 == 0
    for bad, field in [({"address": "nope"}, "address"), ({"imap_port": 0}, "imap_port"),
                       ({"imap_tls": "ssl"}, "imap_tls"), ({"after_fetch": "move"}, "move_to"),
                       ({"imap_folder": "IN\"BOX"}, "imap_folder"),
                       ({"imap_host": "a b"}, "imap_host"), ({"poll_seconds": 0}, "poll_seconds"),
                       ({"department": 99999}, "department"), ({"bogus": 1}, "bogus")]:
        assert_error(admin.patch(f"/api/v1/mailboxes/{mid}", json=bad), 400, "invalid_argument",
                     field)
    assert_error(admin.post("/api/v1/mailboxes", json={"address": "help@desk.example"}), 409,
                 "conflict", "address")
    agent = fresh_server.agent_session()
    assert_error(agent.get("/api/v1/mailboxes"), 403, "permission_denied")
    r = admin.patch(f"/api/v1/mailboxes/{mid}", json={"poll_seconds": 5, "trusted": True})
    assert r.status == 200 and r.body["poll_seconds"] == 5 and r.body["has_password"]
    assert admin.delete(f"/api/v1/mailboxes/{mid}").status == 204
    assert_error(admin.get(f"/api/v1/mailboxes/{mid}"), 404, "not_found")


def test_polled_mail_becomes_tickets_and_is_marked_seen(fresh_server, dovecot):
    admin = fresh_server.admin
    dept = make_department(admin)
    subject = uniq("IMAP printer ")
    dovecot.append("desk", build_mail("imap.customer@example.com", subject, "via IMAP"))
    dovecot.append("desk", fixture("constructed-foxmail-gbk-8bit-body.eml"))
    box = mailbox(admin, dovecot, "desk", department=dept["id"])
    found = wait_for(lambda: tickets_with(admin, subject))
    assert found, f"no ticket; mailbox: {admin.get('/api/v1/mailboxes').body} {dovecot.log()}"
    t = ticket(admin, found[0]["number"])
    assert t["department"]["id"] == dept["id"] and t["channel"] == "email"
    assert wait_for(lambda: tickets_with(admin, "关于服务器无法登录的问题"))
    # A poll is recorded once it is over, after every message's after-fetch action, so wait
    # for the record: a ticket (or \Seen, which the FETCH itself sets) comes before the marks
    # and the counters. Then each message is seen, still in the mailbox, with no pending mark.
    state = wait_until(lambda: polled(admin, box, 2), what="the poll of 2 messages recorded")
    assert state["last_error"] == "" and state["last_poll_at"]
    assert dovecot.search("desk", "UNSEEN") == []
    assert len(dovecot.search("desk", "ALL")) == 2
    assert dovecot.search("desk", "KEYWORD $GongdanPending") == []
    # A reply arriving later threads onto the ticket.
    dovecot.append("desk", build_mail("imap.customer@example.com", f"Re: [#{t['number']}]",
                                      "more details"))
    assert wait_for(lambda: len(messages(admin, t["number"])) == 2)


def test_move_and_delete_actions_and_poll_now(fresh_server, dovecot):
    admin = fresh_server.admin
    s1, s2 = uniq("moved "), uniq("deleted ")
    dovecot.append("sales", build_mail("m@example.com", s1, "move me"))
    dovecot.append("trash", build_mail("d@example.com", s2, "delete me"))
    moved = mailbox(admin, dovecot, "sales", after_fetch="move", move_to="Processed",
                    poll_seconds=3600, active=False)
    deleted = mailbox(admin, dovecot, "trash", after_fetch="delete", poll_seconds=3600,
                      active=False)
    r = admin.post(f"/api/v1/mailboxes/{moved['id']}/poll")
    assert r.status == 200 and r.body == {"fetched": 1, "error": ""}, r
    r = admin.post(f"/api/v1/mailboxes/{deleted['id']}/poll")
    assert r.status == 200 and r.body == {"fetched": 1, "error": ""}, r
    assert tickets_with(admin, s1) and tickets_with(admin, s2)
    assert dovecot.search("sales", "ALL") == []
    assert len(dovecot.search("sales", "ALL", folder="Processed")) == 1
    assert dovecot.search("trash", "ALL") == []
    # Polling again finds nothing new and makes no duplicate.
    assert admin.post(f"/api/v1/mailboxes/{moved['id']}/poll").body["fetched"] == 0
    assert len(tickets_with(admin, s1)) == 1


def test_pending_message_from_an_interrupted_run_is_taken_again_once(fresh_server, dovecot):
    # A previous run fetched the message (so it is \Seen) but died before committing it: the
    # $GongdanPending mark brings it back; the Message-ID keeps it to one ticket.
    admin = fresh_server.admin
    subject = uniq("interrupted ")
    dovecot.append("desk", build_mail("crash@example.com", subject, "x"),
                   flags="(\\Seen $GongdanPending)")
    box = mailbox(admin, dovecot, "desk", poll_seconds=3600, active=False)
    assert admin.post(f"/api/v1/mailboxes/{box['id']}/poll").body["fetched"] == 1
    assert len(tickets_with(admin, subject)) == 1
    assert dovecot.search("desk", "KEYWORD $GongdanPending") == []


def test_a_broken_mailbox_reports_its_error_and_others_go_on(fresh_server, dovecot):
    admin = fresh_server.admin
    bad = mailbox(admin, dovecot, "desk", imap_password="wrong-password", poll_seconds=3600,
                  active=False)
    r = admin.post(f"/api/v1/mailboxes/{bad['id']}/poll")
    assert r.status == 200 and r.body["fetched"] == 0 and r.body["error"], r
    assert admin.get(f"/api/v1/mailboxes/{bad['id']}").body["last_error"]
    subject = uniq("other box ")
    dovecot.append("sales", build_mail("o@example.com", subject, "fine"))
    mailbox(admin, dovecot, "sales")
    assert wait_for(lambda: tickets_with(admin, subject))
