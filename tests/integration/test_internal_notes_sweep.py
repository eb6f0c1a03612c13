"""Internal notes are for staff (docs/permissions.md "Internal notes"): a customer never reads one,
through any route. The test writes a note with a word found nowhere else (in its text and in an
attachment's name and bytes), then, signed in as the ticket's own requester, calls every GET route
the OpenAPI document lists (ticket, messages, history, search, the portal's lists, attachments, the
CSAT page, ...) with the ticket's number, the note's id and its attachment's id filled in, and
searches for the word; the word must be in no answer. The mail the customer gets (the reply and the
satisfaction survey) must not carry it either. The live stream is checked by
test_tickets_stream.py::test_customer_never_receives_internal_note_events."""

import re
from urllib.parse import quote

import pytest

from test_mail_smtp import mailing_desk
from ticket_support import customer, new_ticket, patch, reply, status_id, uniq

PARAM = re.compile(r"\{(\w+)\}")


def text_of(mail):
    """Every part of a mail, decoded (a body in base64 would hide a word from the raw text)."""
    parts = []
    for part in mail.walk():
        if part.is_multipart():
            continue
        content = part.get_content()
        parts.append(content if isinstance(content, str) else content.decode("utf-8", "replace"))
        parts.append(str(part.get_filename() or ""))
    return "\n".join(parts)


@pytest.fixture
def desk(start_server, tmp_path):
    with mailing_desk(start_server, tmp_path) as both:
        yield both


def test_a_customer_reads_no_internal_note_anywhere(desk):
    srv, sink = desk
    admin = srv.admin
    secret = uniq("notesecret").lower()
    r = admin.post("/api/v1/csat-surveys", json={
        "name": "After solving", "question_en": "How did we do?", "question_zh": "您满意吗？",
        "delay_minutes": 30})
    assert r.status == 201, r
    cust = customer(srv)
    number = new_ticket(cust, subject="打印机坏了", body="三楼的打印机坏了", requester=False)["number"]
    r = admin.request("POST", f"/api/v1/attachments?filename={quote(secret + '.txt')}",
                      raw_body=f"attached {secret}".encode(),
                      headers={"Content-Type": "application/octet-stream"})
    assert r.status == 201, r
    attachment = r.body["items"][0]["id"]
    note = reply(admin, number, body=f"内部备注 {secret}: the customer is difficult",
                 internal=True, attachments=[attachment])
    reply(admin, number, body="我们正在处理。")
    # Staff who may view the ticket read the note; that is what notes are for.
    staff = admin.get(f"/api/v1/tickets/{number}/messages").body["items"]
    assert any(secret in m["body"] for m in staff)
    assert admin.get(f"/api/v1/search?q={secret}").status == 200

    values = {"number": str(number), "message": str(note["id"]), "id": str(attachment),
              "file": str(attachment)}
    doc = srv.get("/api/v1/openapi.json").body
    swept = []
    for path, item in doc["paths"].items():
        if "get" not in item or not path.startswith("/api/v1/"):
            continue
        if path.startswith("/api/v1/test/") or path == "/api/v1/stream":
            continue
        names = PARAM.findall(path)
        if any(n not in values for n in names):
            continue
        url = PARAM.sub(lambda m: values[m.group(1)], path)
        for query in ("", f"?q={secret}"):
            r = cust.get(url + query)
            assert r.status < 500, (url, r)
            assert secret.encode() not in r.raw, (url + query, r.status, r.raw[:500])
            swept.append(url + query)
    # The routes a customer's portal reads are among those swept.
    for must in (f"/api/v1/tickets/{number}", f"/api/v1/tickets/{number}/messages",
                 f"/api/v1/tickets/{number}/history", f"/api/v1/attachments/{attachment}",
                 f"/api/v1/search?q={secret}", f"/api/v1/tickets?q={secret}"):
        assert must in swept, (must, sorted(swept))

    # Solved: the survey goes out; neither it, its page nor any mail to the customer has the note.
    patch(admin, number, {"status": status_id(admin, "solved")})
    srv.advance(minutes=31)
    surveys = sink.wait(lambda m: "/portal/csat/" in text_of(m))
    assert surveys, [(str(m["Subject"]), rcpt) for m, _, rcpt in sink.mails()]
    token = re.search(r"/portal/csat/([0-9a-f.]+)", text_of(surveys[-1][0])).group(1)
    page = srv.get(f"/api/v1/csat/{token}")
    assert page.status == 200 and secret.encode() not in page.raw, page
    to_customer = [m for m, _, rcpt in sink.mails() if cust.user["email"] in rcpt]
    assert len(to_customer) >= 2, [str(m["Subject"]) for m, _, _ in sink.mails()]
    for m in to_customer:
        assert secret not in str(m["Subject"]) and secret not in text_of(m), text_of(m)[:1000]
