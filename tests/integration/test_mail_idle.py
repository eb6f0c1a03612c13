"""IMAP IDLE against a real Dovecot: a mailbox polled once an hour still turns new mail into a
ticket within seconds while its watcher idles; a server that does not advertise IDLE is polled
as before, and idle_since says which of the two a mailbox gets."""

import shutil
import tempfile

import pytest

from mail_servers import Dovecot
from mail_support import build_mail
from ticket_support import uniq
from waiting import wait_until

# The capabilities Dovecot lists, without IDLE.
NO_IDLE = "imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE LITERAL+ UIDPLUS MOVE\n"


def dovecot_server(extra=""):
    # Not under pytest's tmp_path: Dovecot's auth process (user dovecot) reads the passwd file.
    directory = tempfile.mkdtemp(prefix="gongdan-dovecot-")
    return directory, Dovecot(directory, {"desk": "desk-pass"}, extra=extra)


@pytest.fixture
def dovecot():
    directory, server = dovecot_server()
    try:
        yield server.start()
    finally:
        server.stop()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def dovecot_without_idle():
    directory, server = dovecot_server(NO_IDLE)
    try:
        yield server.start()
    finally:
        server.stop()
        shutil.rmtree(directory, ignore_errors=True)


def mailbox(admin, dovecot, poll_seconds):
    r = admin.post("/api/v1/mailboxes", json={
        "address": "desk@desk.example", "imap_host": "127.0.0.1", "imap_port": dovecot.port,
        "imap_tls": "none", "imap_user": "desk", "imap_password": dovecot.users["desk"],
        "poll_seconds": poll_seconds})
    assert r.status == 201, r
    return r.body


def state(admin, box):
    return admin.get(f"/api/v1/mailboxes/{box['id']}").body


def tickets_with(admin, subject):
    items = admin.get("/api/v1/tickets?limit=200").body["items"]
    return [t for t in items if t["subject"] == subject]


def test_idle_turns_new_mail_into_a_ticket_in_seconds(fresh_server, dovecot):
    admin = fresh_server.admin
    # Polled once an hour: after the first poll, only IDLE can bring the mail below in time.
    box = mailbox(admin, dovecot, poll_seconds=3600)
    assert box["idle_since"] is None
    wait_until(lambda: state(admin, box)["idle_since"], what=f"IDLE; {dovecot.log()}")
    for n in (1, 2, 3):
        subject = uniq(f"idle {n} ")
        dovecot.append("desk", build_mail(f"idle{n}@example.com", subject, "pushed"))
        wait_until(lambda: tickets_with(admin, subject), timeout=15,
                   what=f"ticket {n} through IDLE; mailbox {state(admin, box)}")
    assert dovecot.search("desk", "UNSEEN") == []
    assert state(admin, box)["last_error"] == ""
    # A mailbox switched off stops idling (its connection is logged out).
    assert admin.patch(f"/api/v1/mailboxes/{box['id']}", json={"active": False}).status == 200
    wait_until(lambda: state(admin, box)["idle_since"] is None, what="the watcher stopped")


def test_without_idle_the_mailbox_is_polled(fresh_server, dovecot_without_idle):
    admin = fresh_server.admin
    box = mailbox(admin, dovecot_without_idle, poll_seconds=1)
    wait_until(lambda: state(admin, box)["last_poll_at"], what="the first poll")
    subject = uniq("polled ")
    dovecot_without_idle.append("desk", build_mail("polled@example.com", subject, "polled"))
    wait_until(lambda: tickets_with(admin, subject), what="the ticket by polling")
    assert state(admin, box)["idle_since"] is None
