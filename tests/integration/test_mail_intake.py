"""Mail in through the real binary: POST /api/v1/mail/inbound and `gongdan mailgate` with the
fixture messages (charsets, hostile HTML, auto-replies, attachments), threading, de-duplication,
the quarantine and the raw message."""

import os
import subprocess

import pytest

from conftest import BIN, assert_error, base_env, free_port
from mail_support import (build_mail, fixture, mail_token, messages, new_message_id, post_mail,
                          ticket)
from ticket_support import make_department, uniq


@pytest.fixture(scope="module")
def token(server):
    return mail_token(server)


def deliver_fixture(server, token, name, expect=201):
    r = post_mail(server, token, fixture(name))
    assert r.status == expect, f"{name}: {r.status} {r.body}"
    return r.body


def test_gbk_message_opens_a_ticket(server, token):
    out = deliver_fixture(server, token, "constructed-foxmail-gbk-8bit-body.eml")
    assert out["status"] == "created" and out["ticket"] and out["message"]
    t = ticket(server.admin, out["ticket"])
    assert t["subject"] == "关于服务器无法登录的问题"
    assert t["channel"] == "email"
    items = messages(server.admin, out["ticket"])
    assert len(items) == 1
    assert "错误代码为 0x80004005" in items[0]["body"]
    assert items[0]["channel"] == "email"
    assert items[0]["author"]["email"] == "zhang.wei@example.cn"


@pytest.mark.parametrize("name,subject,body", [
    ("gongdan-iso2022jp-nec-extension.eml", "お問い合わせ①の件", "①番の機械です"),
    ("constructed-gb2312-label-gbk-only-chars.eml", "王喆的报价单", "联系人：王喆"),
    ("gongdan-big5-traditional.eml", "印表機無法連線", "辦公室的印表機無法連線"),
])
def test_charsets(server, token, name, subject, body):
    out = deliver_fixture(server, token, name)
    assert ticket(server.admin, out["ticket"])["subject"] == subject
    assert body in messages(server.admin, out["ticket"])[0]["body"]


def test_hostile_html_is_sanitised(server, token):
    out = deliver_fixture(server, token, "constructed-html-xss-payloads-gbk.eml")
    m = messages(server.admin, out["ticket"])[0]
    html = m["html"].lower()
    assert html, "the HTML part is kept (sanitised)"
    for bad in ("<script", "onerror", "onload", "javascript:", "<iframe", "<form", "<base",
                "http-equiv"):
        assert bad not in html, (bad, m["html"])
    assert "请查看附件中的发票信息" in m["body"]
    t = ticket(server.admin, out["ticket"])
    assert "<img src=x onerror" in t["subject"]  # stored literally; screens escape it


def test_auto_reply_about_no_ticket_is_quarantined_not_a_ticket(server, token):
    before = server.admin.get("/api/v1/tickets?limit=200").body["items"]
    r = post_mail(server, token, fixture("constructed-qqmail-holidayreply-gbk.eml"), expect=202)
    assert r.body["status"] == "quarantined" and r.body["ticket"] is None
    assert "auto" in r.body["reason"]
    after = server.admin.get("/api/v1/tickets?limit=200").body["items"]
    assert len(after) == len(before)
    q = server.admin.get(f"/api/v1/mail/quarantine/{r.body['quarantine']}")
    assert q.status == 200 and q.body["status"] == "held"


def test_bounce_joins_the_ticket_it_reports_on(server, token):
    # A bounce opens no ticket, but one about our own message is kept on that ticket as a note.
    mid = new_message_id("orig")
    first = post_mail(server, token, build_mail("bounce-owner@example.com", "original", "hi",
                                                message_id=mid), expect=201).body
    dsn = (f"From: MAILER-DAEMON@example.net\r\nTo: support@desk.example\r\n"
           f"Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: {new_message_id('dsn')}\r\n"
           "Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"
           'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
           "--b\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n"
           "--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; x\r\n\r\n"
           "Final-Recipient: rfc822; bounce-owner@example.com\r\nAction: failed\r\n"
           "Status: 5.1.1\r\n\r\n"
           f"--b\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: {mid}\r\n"
           "Subject: original\r\n\r\n--b--\r\n").encode()
    r = post_mail(server, token, dsn, expect=201)
    assert r.body["status"] == "added" and r.body["ticket"] == first["ticket"], r.body
    items = messages(server.admin, first["ticket"])
    assert len(items) == 2
    note = items[1]
    assert note["internal"] is True and note["author"] is None
    mail = server.admin.get(f"/api/v1/tickets/{first['ticket']}/messages/{note['id']}/mail").body
    assert any("bounce" in f.lower() or "delivery" in f.lower() for f in mail["flags"]), mail
    # A bounce about nothing we know opens no ticket: it waits in quarantine.
    r = post_mail(server, token, fixture("flanker-dsn-aol-mailbox-full.eml"), expect=202)
    assert r.body["status"] == "quarantined"


def test_duplicates_are_stored_once(server, token):
    raw = build_mail("dup@example.com", uniq("dup "), "same message twice")
    first = post_mail(server, token, raw, expect=201).body
    second = post_mail(server, token, raw, expect=200).body
    assert second["status"] == "duplicate" and second["ticket"] == first["ticket"]
    # The same message to two of our addresses (another department's mailbox): still one ticket.
    dept = make_department(server.admin)
    third = post_mail(server, token, raw, department=dept["id"], expect=200).body
    assert third["ticket"] == first["ticket"]
    assert len(messages(server.admin, first["ticket"])) == 1


def test_replies_thread_by_message_id_references_and_token(server, token):
    sender = f"{uniq('thread')}@example.com"
    subject = uniq("Printer broken ")
    root_id = new_message_id("root")
    first = post_mail(server, token, build_mail(sender, subject, "first", message_id=root_id),
                      expect=201).body
    number = first["ticket"]
    # In-Reply-To.
    reply_id = new_message_id("reply")
    r = post_mail(server, token, build_mail(sender, "Re: " + subject, "second",
                                            message_id=reply_id, in_reply_to=root_id),
                  expect=201).body
    assert r["status"] == "added" and r["ticket"] == number
    # Outlook rewrote In-Reply-To to something we never saw; References still name ours.
    r = post_mail(server, token, build_mail(sender, "RE: " + subject, "third",
                                            in_reply_to="<unknown@outlook.example>",
                                            references=f"{root_id} {reply_id}"),
                  expect=201).body
    assert r["status"] == "added" and r["ticket"] == number
    # No threading headers, the token in the subject.
    r = post_mail(server, token, build_mail(sender, f"Re: [#{number}] anything", "fourth"),
                  expect=201).body
    assert r["status"] == "added" and r["ticket"] == number
    # The same subject text alone never threads.
    r = post_mail(server, token, build_mail(sender, "Re: " + subject, "fifth"), expect=201).body
    assert r["status"] == "created" and r["ticket"] != number
    # A stranger answering the thread gets a ticket of their own.
    r = post_mail(server, token, build_mail(f"{uniq('stranger')}@example.org", "Re: " + subject,
                                            "me too", in_reply_to=root_id), expect=201).body
    assert r["status"] == "created" and r["ticket"] != number
    bodies = [m["body"] for m in messages(server.admin, number)]
    assert bodies == ["first", "second", "third", "fourth"]


def test_reply_reopens_a_solved_ticket(server, token):
    sender = f"{uniq('reopen')}@example.com"
    root_id = new_message_id("reopen")
    number = post_mail(server, token, build_mail(sender, "reopen me", "x", message_id=root_id),
                       expect=201).body["ticket"]
    statuses = server.admin.get("/api/v1/statuses").body["items"]
    solved = next(s["id"] for s in statuses if s["category"] == "solved")
    r = server.admin.patch(f"/api/v1/tickets/{number}", json={"status": solved})
    assert r.status == 200, r
    post_mail(server, token, build_mail(sender, "Re: reopen me", "still broken",
                                        in_reply_to=root_id), expect=201)
    assert ticket(server.admin, number)["status"]["category"] == "open"


def test_attachments_inline_images_and_raw_message(server, token):
    raw = fixture("constructed-chinese-attachment-filenames-2047-2231.eml")
    out = post_mail(server, token, raw, expect=201).body
    m = messages(server.admin, out["ticket"])[0]
    names = {a["filename"] for a in m["attachments"]}
    assert {"报价单.xlsx", "合同扫描件.pdf", "测试报告（最终版）.doc", "logo.png"} <= names, names
    logo = next(a for a in m["attachments"] if a["filename"] == "logo.png")
    assert f'src="/api/v1/attachments/{logo["id"]}"' in m["html"], m["html"]
    assert "cid:" not in m["html"]
    for a in m["attachments"]:
        r = server.admin.get(a["url"])
        assert r.status == 200 and len(r.raw) == a["size"] > 0
    r = server.admin.get(f"/api/v1/tickets/{out['ticket']}/messages/{m['id']}/raw")
    assert r.status == 200 and r.raw == raw
    assert "attachment" in r.headers["Content-Disposition"]


def test_tnef_and_forwarded_message_are_files(server, token):
    out = deliver_fixture(server, token, "constructed-tnef-winmail-dat.eml")
    names = [a["filename"] for a in messages(server.admin, out["ticket"])[0]["attachments"]]
    assert "winmail.dat" in names
    out = deliver_fixture(server, token, "gongdan-windows1252-outlook-reply-forward.eml")
    m = messages(server.admin, out["ticket"])[0]
    assert "Order 42.eml" in [a["filename"] for a in m["attachments"]]
    # The quoted history is folded away and kept one click away.
    assert "The “invoice” total is €200, not €250." in m["body"]
    assert "Original Message" not in m["body"]
    mail = server.admin.get(f"/api/v1/tickets/{out['ticket']}/messages/{m['id']}/mail")
    assert mail.status == 200, mail
    assert "Original Message" in mail.body["quoted_text"]
    assert "Original Message" in mail.body["full_text"]
    assert mail.body["from"] == "pierre@example.fr"


def test_lists_and_deep_nesting_still_open_tickets(server, token):
    out = deliver_fixture(server, token, "flanker-list-precedence-bulk-8bit-from.eml")
    mail = server.admin.get(
        f"/api/v1/tickets/{out['ticket']}/messages/{out['message']}/mail").body
    assert any("list" in f.lower() or "bulk" in f.lower() for f in mail["flags"]), mail["flags"]
    r = post_mail(server, token, fixture("constructed-deeply-nested-multipart-100.eml"))
    assert r.status in (201, 202), r
    if r.status == 201:
        assert "最深层的正文内容" in messages(server.admin, r.body["ticket"])[0]["body"] or \
            r.body["status"] == "created"


def test_unprocessable_mail_is_quarantined_listed_downloaded_and_retried(server, token):
    raw = fixture("mikel-bad-encoded-subject-none-charset.eml")  # no From header
    r = post_mail(server, token, raw, expect=202)
    qid = r.body["quarantine"]
    assert "From" in r.body["reason"]
    listed = server.admin.get("/api/v1/mail/quarantine?status=held").body["items"]
    assert qid in [q["id"] for q in listed]
    got = server.admin.get(f"/api/v1/mail/quarantine/{qid}/raw")
    assert got.status == 200 and got.raw == raw
    again = server.admin.post(f"/api/v1/mail/quarantine/{qid}/retry")
    assert again.status == 200 and again.body["status"] == "quarantined", again
    row = server.admin.get(f"/api/v1/mail/quarantine/{qid}").body
    assert row["attempts"] == 2 and row["status"] == "held"
    # Agents and customers may not see it.
    assert_error(server.agent_session().get("/api/v1/mail/quarantine"), 403, "permission_denied")


def test_deleting_a_quarantined_message_is_audited(server, token):
    raw = build_mail(f"{uniq('q')}@example.com", "delete me", "x").replace(b"From:", b"X-From:", 1)
    qid = post_mail(server, token, raw, expect=202).body["quarantine"]
    assert_error(server.agent_session().delete(f"/api/v1/mail/quarantine/{qid}"), 403,
                 "permission_denied")
    r = server.admin.delete(f"/api/v1/mail/quarantine/{qid}")
    assert r.status == 204, r
    assert_error(server.admin.get(f"/api/v1/mail/quarantine/{qid}"), 404, "not_found")
    assert qid not in [q["id"] for q in
                       server.admin.get("/api/v1/mail/quarantine?limit=200").body["items"]]
    assert_error(server.admin.delete(f"/api/v1/mail/quarantine/{qid}"), 404, "not_found")
    assert_error(server.admin.delete("/api/v1/mail/quarantine/abc"), 404, "not_found")
    # The audit log's own filters find it: the action and the target.
    rows = server.admin.get(f"/api/v1/audit?action=mail.quarantine.delete&target=quarantine:{qid}")
    [row] = rows.body["items"]
    assert row["actor_id"] == server.admin.user["id"]
    assert "From" in row["detail"]["reason"] and row["detail"]["size"] == len(raw)
    # The next message held never gets the deleted one's id (the audit entry names one message).
    again = post_mail(server, token, raw.replace(b"delete me", b"held next"), expect=202).body
    assert again["quarantine"] > qid


def test_retry_releases_a_message_once_it_can_be_delivered(server, token):
    # An auto-reply about no ticket is held; once its ticket exists (token), a retry releases it.
    sender = f"{uniq('ooo')}@example.com"
    first = post_mail(server, token, build_mail(sender, "question", "q"), expect=201).body
    auto = build_mail(sender, f"Automatic reply: [#{first['ticket'] + 100000}]", "away",
                      extra_headers=["Auto-Submitted: auto-replied"])
    held = post_mail(server, token, auto, expect=202).body
    fixed = auto.replace(str(first["ticket"] + 100000).encode(), str(first["ticket"]).encode())
    # Same bytes retried from the quarantine stay held (nothing changed)...
    assert server.admin.post(f"/api/v1/mail/quarantine/{held['quarantine']}/retry").body[
        "status"] == "quarantined"
    # ...and the corrected message, threading onto the ticket, is added (not a new ticket).
    out = post_mail(server, token, fixed, expect=201).body
    assert out["status"] == "added" and out["ticket"] == first["ticket"]


def test_oversized_header_is_quarantined(server, token):
    big = b"X-Filler: " + b"a" * 300_000 + b"\r\n"
    raw = build_mail("big@example.com", "big header", "x", extra_headers=[]).replace(
        b"MIME-Version", big + b"MIME-Version", 1)
    r = post_mail(server, token, raw, expect=202)
    assert r.body["status"] == "quarantined"


def test_inbound_needs_the_mail_scope(server, token):
    raw = build_mail("auth@example.com", "auth", "x")
    r = server.post("/api/v1/mail/inbound", raw_body=raw)
    assert_error(r, 401, "unauthenticated")
    rw = mail_token(server, scopes=("read", "write"))
    assert_error(post_mail(server, rw, raw), 403, "permission_denied")
    assert_error(server.customer_session().post("/api/v1/mail/inbound", raw_body=raw), 403,
                 "permission_denied")
    # The mail scope opens nothing else.
    assert_error(server.bearer(token).get("/api/v1/tickets"), 403, "permission_denied")
    assert_error(post_mail(server, token, b""), 400, "invalid_argument", "body")
    assert_error(post_mail(server, token, raw, department=999999), 400, "invalid_argument",
                 "department")


def mailgate(server, token, raw, *extra, url=None):
    cmd = [BIN, "mailgate", "--url", url or f"http://{server.host}:{server.port}", "--token",
           token, *extra]
    return subprocess.run(cmd, input=raw, capture_output=True, timeout=60, env=base_env())


def test_mailgate_exit_codes(server, token):
    dept = make_department(server.admin)
    raw = build_mail(f"{uniq('gate')}@example.com", uniq("via mailgate "), "piped")
    p = mailgate(server, token, raw, "--department", str(dept["id"]))
    assert p.returncode == 0, p.stderr
    found = server.admin.get("/api/v1/tickets?limit=200").body["items"]
    made = [t for t in found if t["subject"].startswith("via mailgate")]
    assert made and made[0]["department"]["id"] == dept["id"], made
    # Delivered again (an MTA retry): still 0, still one ticket.
    assert mailgate(server, token, raw).returncode == 0
    # Server unreachable: EX_TEMPFAIL so the MTA keeps the message.
    p = mailgate(server, token, raw, url=f"http://127.0.0.1:{free_port()}")
    assert p.returncode == 75, p.stderr
    # A wrong token is a configuration problem an admin fixes: keep the mail (75).
    assert mailgate(server, "x" * 43, raw).returncode == 75
    # A 4xx no retry can fix: EX_DATAERR.
    assert mailgate(server, token, raw, "--department", "999999").returncode == 65
    assert mailgate(server, token, b"").returncode == 65
    assert mailgate(server, token, raw, "--mailbox", "x1").returncode == 64


def test_mailgate_reads_the_token_from_a_file(server, token, tmp_path):
    dept = make_department(server.admin)
    subject = uniq("via token file ")
    raw = build_mail(f"{uniq('gatefile')}@example.com", subject, "piped")
    path = tmp_path / "mailgate.token"
    path.write_text(token + "\n")
    os.chmod(path, 0o640)
    url = f"http://{server.host}:{server.port}"

    def gate(*args):
        cmd = [BIN, "mailgate", "--url", url, "--department", str(dept["id"]), *args]
        return subprocess.run(cmd, input=raw, capture_output=True, timeout=60, env=base_env())

    p = gate("--token-file", str(path))
    assert p.returncode == 0, p.stderr
    found = server.admin.get("/api/v1/tickets?limit=200").body["items"]
    assert [t for t in found if t["subject"] == subject], "no ticket from the token file"
    # Readable by others: refused, and the mail is kept for a retry (75), saying why.
    os.chmod(path, 0o644)
    p = gate("--token-file", str(path))
    assert p.returncode == 75 and b"open to other users" in p.stderr, p.stderr
    os.chmod(path, 0o600)
    assert gate("--token-file", str(path)).returncode == 0
    # A missing file or a wrong token in it is the admin's to fix: keep the mail.
    p = gate("--token-file", str(tmp_path / "missing"))
    assert p.returncode == 75 and b"cannot read the token file" in p.stderr, p.stderr
    path.write_text("x" * 43)
    assert gate("--token-file", str(path)).returncode == 75
    # Both ways at once is a usage error.
    assert gate("--token-file", str(path), "--token", token).returncode == 64


def test_thirty_megabyte_single_line_body_is_kept(server, token):
    raw = build_mail("huge@example.com", uniq("huge "), "x" * (30 << 20))
    r = post_mail(server, token, raw)
    assert r.status in (201, 202), r
    if r.status == 201:  # parsed within the limits: the body is cut, the raw message kept whole
        m = messages(server.admin, r.body["ticket"])[0]
        assert 0 < len(m["body"]) <= 512 * 1024
        got = server.admin.get(f"/api/v1/tickets/{r.body['ticket']}/messages/{m['id']}/raw")
        assert got.status == 200 and len(got.raw) == len(raw)
    else:
        got = server.admin.get(f"/api/v1/mail/quarantine/{r.body['quarantine']}/raw")
        assert got.status == 200 and len(got.raw) == len(raw)
    assert server.healthy()


def test_message_over_the_mail_limit_is_refused_with_413(start_server):
    srv = start_server(env={"GONGDAN_MAIL_LIMIT": "65536"})
    tok = mail_token(srv)
    r = post_mail(srv, tok, build_mail("big@example.com", "big", "y" * 100_000))
    assert r.status == 413, r
    assert post_mail(srv, tok, build_mail("ok@example.com", "ok", "small")).status == 201


def test_mail_from_an_agent_address_never_speaks_as_the_agent(server, token):
    agent, _ = server.create_agent()
    customer = f"{uniq('victim')}@example.com"
    root_id = new_message_id("root")
    number = post_mail(server, token, build_mail(customer, "help", "x", message_id=root_id),
                       expect=201).body["ticket"]
    forged = build_mail(agent["email"], "Re: help", "Please send your password to me",
                        in_reply_to=root_id)
    out = post_mail(server, token, forged, expect=201).body
    assert out["status"] == "added" and out["ticket"] == number
    m = [x for x in messages(server.admin, number) if x["id"] == out["message"]][0]
    assert m["internal"] is True and m["author"] is None
    mail = server.admin.get(f"/api/v1/tickets/{number}/messages/{m['id']}/mail").body
    assert any("unverified" in f for f in mail["flags"]), mail["flags"]


def test_helpdesk_headers_act_only_for_trusted_mailboxes(server, token):
    admin = server.admin
    dept = make_department(admin)
    trusted = admin.post("/api/v1/mailboxes", json={"address": f"{uniq('t')}@desk.example",
                                                    "trusted": True, "department": dept["id"]})
    plain = admin.post("/api/v1/mailboxes", json={"address": f"{uniq('p')}@desk.example"})
    assert trusted.status == 201 and plain.status == 201
    headers = ["X-Gongdan-Priority: urgent", "X-Gongdan-Tags: vip, billing",
               "X-Gongdan-Type: incident", "X-Zammad-Ticket-Priority: 3 high"]
    raw = build_mail("hdr@example.com", uniq("headers "), "x", extra_headers=headers)
    out = post_mail(server, token, raw, expect=201).body  # no mailbox: untrusted
    t = ticket(admin, out["ticket"])
    assert t["priority"] == "normal" and t["tags"] == [] and t["type"] == "question"
    mail = admin.get(f"/api/v1/tickets/{t['number']}/messages/{out['message']}/mail").body
    assert any("ignored" in f for f in mail["flags"]), mail["flags"]
    raw = build_mail("hdr@example.com", uniq("headers "), "x", extra_headers=headers)
    r = server.bearer(token).post(f"/api/v1/mail/inbound?mailbox={plain.body['id']}",
                                  raw_body=raw)
    assert r.status == 201 and ticket(admin, r.body["ticket"])["priority"] == "normal"
    raw = build_mail("hdr@example.com", uniq("headers "), "x", extra_headers=headers)
    r = server.bearer(token).post(f"/api/v1/mail/inbound?mailbox={trusted.body['id']}",
                                  raw_body=raw)
    assert r.status == 201, r
    t = ticket(admin, r.body["ticket"])
    assert t["priority"] == "urgent" and t["type"] == "incident"
    assert sorted(t["tags"]) == ["billing", "vip"]
    assert t["department"]["id"] == dept["id"]
    assert_error(server.bearer(token).post("/api/v1/mail/inbound?mailbox=999999", raw_body=raw),
                 400, "invalid_argument", "mailbox")
