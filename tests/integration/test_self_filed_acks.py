"""Customers who file a ticket themselves, through the embeddable web form or the portal, get the
department's acknowledgement by mail (read out of a local SMTP receiver), like customers who
write in; tickets agents open for someone else send none."""

import pytest

from conftest import unique_email
from signup_support import PUBLIC, signed_up
from test_mail_smtp import SmtpSink, sending_mailbox, text_of


@pytest.fixture
def sink(tmp_path):
    s = SmtpSink(tmp_path / "sink").start()
    yield s
    s.stop()


def test_web_form_and_portal_tickets_are_acknowledged_by_mail(start_server, sink):
    srv = start_server(env={"GONGDAN_PUBLIC_URL": PUBLIC})
    sending_mailbox(srv.admin, sink.port, acknowledge=True)

    # An agent's ticket for a customer: no acknowledgement (checked once the others arrived).
    for_someone = unique_email("phoned")
    r = srv.admin.post("/api/v1/tickets", json={"subject": "Phoned in", "body": "by phone",
                                               "requester": {"email": for_someone}})
    assert r.status == 201, r.body

    visitor = unique_email("visitor")
    r = srv.post("/api/v1/web-form", json={"name": "Visitor", "email": visitor,
                                           "subject": "Printer jammed",
                                           "body": "SECRET FORM TEXT", "website": ""})
    assert r.status == 201, r.body
    number = r.body["number"]
    got = sink.wait(lambda m: visitor in m["To"])
    assert got, sink.mails()
    msg, _, recipients = got[0]
    assert recipients == [visitor]
    assert f"[#{number}]" in msg["Subject"]
    assert msg["Auto-Submitted"] == "auto-replied"
    assert "SECRET FORM TEXT" not in (text_of(msg, "plain") or "")

    customer = unique_email("portal")
    s = signed_up(srv, sink, customer, locale="zh-CN")
    t = s.post("/api/v1/tickets", json={"subject": "打印机坏了", "body": "无法打印"})
    assert t.status == 201, t.body
    got = sink.wait(lambda m: customer in m["To"] and "[#" in m["Subject"])
    assert got, sink.mails()
    assert f"[#{t.body['number']}]" in got[0][0]["Subject"]

    assert not [m for m in sink.mails() if for_someone in m[0]["To"]]
    # The acknowledgement is on the ticket's outgoing mail, for the agents to see.
    out = srv.admin.get(f"/api/v1/tickets/{number}/outbound-mail")
    assert out.status == 200, out.body
    assert [m for m in out.body["items"] if m["kind"] == "acknowledgement"], out.body


def test_no_sending_mailbox_means_no_acknowledgement_and_no_error(start_server, sink):
    srv = start_server()
    r = srv.post("/api/v1/web-form", json={"email": unique_email("v"), "subject": "Hi",
                                           "body": "help"})
    assert r.status == 201, r.body
    assert sink.wait(lambda m: True, timeout=1.0) == []
