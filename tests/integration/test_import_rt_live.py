"""`gongdan import rt --url` against a real Request Tracker 5 (request_tracker.py): customers
write in by mail through RT's mail gateway, an agent answers, notes, sets a custom field and
statuses over REST2 with a token of their own; then gongdan reads it all back over REST2 into a
data directory a real gongdan serves, and what landed is checked over gongdan's API against what
RT itself reports (times, authors, internal notes, attachment bytes, statuses). A second run adds
nothing; a run killed after its first batch resumes and ends with the same tickets; RT that
cannot be used, and answers that are not REST2's, are named."""

import base64
import http.server
import os
import signal
import subprocess
import threading

import pytest

from conftest import BIN, base_env, database_for, run_cli
from request_tracker import mime_mail, request_tracker  # noqa: F401 (a fixture)
from test_import_formats import all_tickets, by_subject, messages, summary

SMTP_LOG = b"550 5.7.1 relaying denied\n\x00\xff binary tail"
ORDER_PDF = b"%PDF-1.4\n% not a real order\n\x80\x81\x82"


@pytest.fixture(scope="module")
def desk(request_tracker):  # noqa: F811
    """The RT's people and tickets, made once for the module: {subject: RT ticket id}."""
    rt = request_tracker
    rt.ok("POST", "/user", {"Name": "zhao", "EmailAddress": "zhao@support.example.org",
                            "RealName": "赵敏", "Privileged": 1})
    rt.ok("POST", "/user", {"Name": "wu.fang@example.cn", "EmailAddress": "wu.fang@example.cn",
                            "RealName": "吴芳", "Organization": "华东电子"})
    rt.ok("POST", "/user", {"Name": "lee@acme.example", "EmailAddress": "lee@acme.example",
                            "RealName": "Kim Lee", "Organization": "Acme"})
    rt.ok("PUT", "/user/root", {"EmailAddress": "rt-admin@support.example.org"})
    agent = rt.admin("token", "zhao")
    severity = rt.admin("cf", "Severity")

    def ticket_of(subject):
        found = rt.ok("GET", "/tickets?query=" + rt.quote(f"Subject = '{subject}'"))
        [item] = found["items"]
        return item["id"]

    # 1: in Chinese, a file attached, answered in HTML, an internal note, the customer's
    # thanks by mail, resolved.
    rt.mail(mime_mail("吴芳 <wu.fang@example.cn>", "邮件服务器无法发信",
                      "从昨天下午开始邮件发不出去。", ("smtp.log", SMTP_LOG)))
    mail = ticket_of("邮件服务器无法发信")
    rt.ok("PUT", f"/ticket/{mail}", {"Owner": "zhao", "Priority": 80,
                                     "CustomFields": {severity: "S2"}}, token=agent)
    rt.ok("POST", f"/ticket/{mail}/correspond",
          {"Content": "<p>您好，请检查<b>中继配置</b>。</p><script>alert(1)</script>",
           "ContentType": "text/html"}, token=agent)
    rt.ok("POST", f"/ticket/{mail}/comment",
          {"Content": "Root cause: the relay ACL lost our subnet.", "ContentType": "text/plain"},
          token=agent)
    rt.mail(mime_mail("吴芳 <wu.fang@example.cn>", f"Re: [gongdan-test #{mail}] 邮件服务器无法发信",
                      "谢谢，已经好了。"))
    rt.ok("PUT", f"/ticket/{mail}", {"Status": "resolved"}, token=agent)
    # 2: in English, the agent's answer carries a file, stalled.
    rt.mail(mime_mail("Kim Lee <lee@acme.example>", "Waiting for the new badge",
                      "My badge stopped working at the gate."))
    badge = ticket_of("Waiting for the new badge")
    rt.ok("POST", f"/ticket/{badge}/correspond",
          {"Content": "The new badge is ordered; the order is attached.",
           "ContentType": "text/plain",
           "Attachments": [{"FileName": "order.pdf", "FileType": "application/pdf",
                            "FileContent": base64.b64encode(ORDER_PDF).decode()}]},
          token=agent)
    rt.ok("PUT", f"/ticket/{badge}", {"Status": "stalled", "Owner": "zhao"}, token=agent)
    # 3: from someone RT had never heard of, rejected.
    rt.mail(mime_mail("Pat Doe <pat@newcustomer.example>", "Please delete my account",
                      "I no longer need the service."))
    account = ticket_of("Please delete my account")
    rt.ok("POST", f"/ticket/{account}/correspond",
          {"Content": "Accounts with open invoices cannot be deleted.",
           "ContentType": "text/plain"}, token=agent)
    rt.ok("PUT", f"/ticket/{account}", {"Status": "rejected"}, token=agent)
    # 4: new, nobody touched it.
    rt.mail(mime_mail("吴芳 <wu.fang@example.cn>", "三楼打印机卡纸", "三楼的打印机又卡纸了。"))
    printer = ticket_of("三楼打印机卡纸")
    return {"rt": rt, "severity": severity, "mail": mail, "badge": badge, "account": account,
            "printer": printer}


def rt_time(text):
    """RT's "2026-12-07T16:43:52Z" as gongdan writes instants."""
    return text.replace("Z", ".000Z")


def rt_messages(rt, ticket):
    """RT's own account of a ticket's messages: (type, author, time), oldest first."""
    history = rt.ok("GET", f"/ticket/{ticket}/history?fields=Type,Creator,Created&per_page=100")
    return [(t["Type"], t["Creator"]["id"], rt_time(t["Created"])) for t in history["items"]
            if t["Type"] in ("Create", "Correspond", "Comment")]


def import_rt(url, data, *args, token=None, env=None):
    cmd = [BIN, "import", "rt", "--url", url, "--data", str(data), *args]
    if token is not None:
        cmd += ["--token", token]
    proc = run_cli(cmd, env=env, timeout=300)
    assert "AddressSanitizer" not in proc.stderr, proc.stderr
    return proc


def test_a_live_rt_lands_whole_and_a_second_run_adds_nothing(desk, fresh_server):
    rt, admin = desk["rt"], fresh_server.admin
    proc = import_rt(rt.url, fresh_server.data_dir, token=rt.token)
    assert proc.returncode == 0, proc.stderr
    counts = summary(proc)
    assert counts["tickets imported"] == 4 and counts["messages"] == 9, proc.stdout
    assert counts["attachments"] == 2 and counts["organizations created"] == 2, proc.stdout
    assert counts["contacts created"] == 3, proc.stdout  # wu.fang, lee, pat
    assert counts["agents created inactive without password"] == 2, proc.stdout  # root, zhao

    tickets = by_subject(all_tickets(admin))
    assert set(tickets) == {"邮件服务器无法发信", "Waiting for the new badge",
                            "Please delete my account", "三楼打印机卡纸"}, tickets
    emails = {"wu.fang@example.cn": "wu.fang@example.cn", "lee@acme.example": "lee@acme.example",
              "pat@newcustomer.example": "pat@newcustomer.example",
              "zhao": "zhao@support.example.org"}

    def same_history(ticket, rt_id):
        thread = messages(admin, ticket["number"])
        told = rt_messages(rt, rt_id)
        assert [(m["internal"], m["author"]["email"], m["created_at"]) for m in thread] == [
            (kind == "Comment", emails[author], at) for kind, author, at in told], (thread, told)
        record = rt.ok("GET", f"/ticket/{rt_id}")
        assert ticket["created_at"] == rt_time(record["Created"])
        one = admin.get(f"/api/v1/tickets/{ticket['number']}").body
        assert one["imported_from"] == {"source": "rt", "id": str(rt_id)}, one
        return thread, record

    mail = tickets["邮件服务器无法发信"]
    thread, record = same_history(mail, desk["mail"])
    assert mail["status"]["category"] == "solved" and mail["priority"] == "high"
    assert mail["solved_at"] == rt_time(record["Resolved"])
    assert mail["requester"]["email"] == "wu.fang@example.cn"
    assert mail["requester"]["name"] == "吴芳"
    assert mail["assignee"]["email"] == "zhao@support.example.org"
    assert mail["organization"] is not None
    assert mail["custom_fields"] == {f"rt_{desk['severity']}": "S2"}, mail["custom_fields"]
    assert [m["internal"] for m in thread] == [False, False, True, False]
    assert thread[0]["body"].startswith("从昨天下午开始邮件发不出去。")
    [log] = thread[0]["attachments"]
    assert log["filename"] == "smtp.log"
    assert admin.get(log["url"]).raw == SMTP_LOG
    assert "中继配置" in thread[1]["html"] and "<script" not in thread[1]["html"]
    assert thread[2]["body"].startswith("Root cause: the relay ACL")
    assert thread[3]["body"].startswith("谢谢，已经好了。")
    assert mail["first_response_at"] == thread[1]["created_at"]
    hits = admin.get(f"/api/v1/search?q=external:{desk['mail']}").body["items"]
    assert mail["number"] in [h["ticket"]["number"] for h in hits], hits

    badge = tickets["Waiting for the new badge"]
    thread, _ = same_history(badge, desk["badge"])
    assert badge["status"]["category"] == "on_hold" and badge["solved_at"] is None
    assert badge["requester"]["email"] == "lee@acme.example" and badge["organization"]
    [order] = thread[1]["attachments"]
    assert order["filename"] == "order.pdf" and admin.get(order["url"]).raw == ORDER_PDF

    account = tickets["Please delete my account"]
    same_history(account, desk["account"])
    assert account["status"]["category"] == "closed"
    assert account["requester"]["email"] == "pat@newcustomer.example"

    printer = tickets["三楼打印机卡纸"]
    same_history(printer, desk["printer"])
    assert printer["status"]["category"] == "new" and printer["assignee"] is None

    again = import_rt(rt.url, fresh_server.data_dir, token=rt.token)
    assert again.returncode == 0, again.stderr
    assert summary(again)["tickets imported"] == 0 and summary(again)["already there"] == 4
    assert len(all_tickets(admin)) == 4


def test_a_run_killed_after_its_first_batch_resumes(desk, fresh_server):
    rt, admin = desk["rt"], fresh_server.admin
    data = fresh_server.data_dir
    env = base_env({"GONGDAN_RT_TOKEN": rt.token})  # the token out of the process list
    if database_for(data):
        env["GONGDAN_DATABASE"] = database_for(data)
    proc = subprocess.Popen([BIN, "import", "rt", "--url", rt.url, "--data", str(data),
                             "--batch", "1", "--progress", "lines"], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for line in proc.stderr:
            if line.startswith("committed 1 of 4 tickets"):
                os.kill(proc.pid, signal.SIGKILL)
                break
    finally:
        proc.stderr.close()
        proc.stdout.close()
        rc = proc.wait(timeout=120)
    assert rc == -signal.SIGKILL, "the import ended before it was killed"

    again = import_rt(rt.url, data, "--progress", "lines", env=env)
    assert again.returncode == 0, again.stderr
    assert "resuming rt at ticket 2 of 4" in again.stderr, again.stderr
    counts = summary(again)
    assert counts["already there"] == 1 and counts["tickets imported"] == 3, again.stdout
    tickets = all_tickets(admin)
    assert sorted(t["subject"] for t in tickets) == sorted(
        ["邮件服务器无法发信", "Waiting for the new badge", "Please delete my account",
         "三楼打印机卡纸"])
    assert sum(len(messages(admin, t["number"])) for t in tickets) == 9


class _NotRest2(http.server.BaseHTTPRequestHandler):
    """Answers as something that says it is RT but whose pages are not REST2's."""

    def do_GET(self):  # noqa: N802 (http.server's name)
        if self.path.startswith("/REST/2.0/rt"):
            body = b'{"Version": "5.0.3"}'
        elif self.path.startswith("/REST/2.0/users"):
            body = b'{"items": [], "page": 1, "pages": 0, "count": 0}'
        elif self.path.startswith("/REST/2.0/tickets"):
            body = b'{"items": [{"id": "7", "type": "ticket"}], "page": 1, "pages": 1}'
        else:  # /ticket/7: a proxy's error page
            body = b"<html><body>502 Bad Gateway</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_rt_that_cannot_be_used_is_named(desk, tmp_path):
    rt = desk["rt"]
    data = tmp_path / "data"
    refused = import_rt(rt.url, data, token="1-1-00000000000000000000000000000000")
    assert refused.returncode == 2 and "RT refused the token (HTTP 401" in refused.stderr, \
        refused.stderr
    base = rt.url.removesuffix("/REST/2.0")
    not_rest = import_rt(base, data, token=rt.token)
    assert not_rest.returncode == 2, not_rest.stderr
    assert f"no Request Tracker REST2 API at {base}" in not_rest.stderr, not_rest.stderr
    closed = run_cli([BIN, "import", "rt", "--url", "http://127.0.0.1:9/REST/2.0", "--token",
                      "t", "--data", str(data)], timeout=60)
    assert closed.returncode == 2 and "cannot read http://127.0.0.1:9/REST/2.0/rt" in \
        closed.stderr, closed.stderr
    no_token = run_cli([BIN, "import", "rt", "--url", rt.url, "--data", str(data)],
                       env=base_env(), timeout=60)
    assert no_token.returncode == 2 and "--token" in no_token.stderr, no_token.stderr

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _NotRest2)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/REST/2.0"
        bad = import_rt(url, data, "--name", "bad-rt", token="t")
    finally:
        server.shutdown()
        server.server_close()
    assert bad.returncode == 1, bad.stderr
    assert "left out: GET /ticket/7" in bad.stderr and "not JSON" in bad.stderr, bad.stderr
    assert summary(bad)["tickets imported"] == 0
