"""`gongdan import osticket|rt` against the hand-made exports in tests/fixtures/import/
(INDEX.md says what each holds): an osTicket database dump as mysqldump writes it, and a
Request Tracker export in REST2's JSON. What lands in the desk is read back over the API of a
real server on the same data directory; a second run adds nothing; bad records are named and
left out whole."""

from test_import_formats import FIXTURES, all_tickets, by_subject, messages, run_import, summary


def test_osticket_dump(fresh_server):
    admin = fresh_server.admin
    proc = run_import(fresh_server, "osticket", str(FIXTURES / "osticket" / "osticket.sql"))
    assert proc.returncode == 0, proc.stderr
    counts = summary(proc)
    assert counts["tickets imported"] == 2 and counts["messages"] == 4, proc.stdout
    assert counts["attachments"] == 1 and counts["organizations created"] == 1, proc.stdout
    assert counts["contacts created"] == 2, proc.stdout
    assert counts["agents created inactive without password"] == 1, proc.stdout
    # Kept on disk by osTicket, so not in the dump: named, the ticket still imported.
    assert "osTicket file 3 (kept outside the database, backend F)" in proc.stderr, proc.stderr

    tickets = by_subject(all_tickets(admin))
    login = tickets["无法登录客户门户"]
    assert login["status"]["category"] == "solved" and login["priority"] == "high"
    assert login["channel"] == "email"
    assert login["created_at"] == "2021-03-01T09:00:00.000Z"
    assert login["updated_at"] == "2021-03-02T10:00:00.000Z"
    assert login["solved_at"] == "2021-03-02T09:45:00.000Z"
    assert login["first_response_at"] == "2021-03-01T10:30:00.000Z"
    assert login["requester"]["email"] == "wang.lei@huadong.example.cn"
    assert login["assignee"]["email"] == "jia.chen@support.example.org"
    assert login["organization"] is not None
    assert login["custom_fields"] == {"osticket_department": "Support",
                                      "osticket_help_topic": "Report a Problem"}
    thread = messages(admin, login["number"])
    assert [m["internal"] for m in thread] == [False, False, True]
    assert "输入密码后页面一直转圈" in thread[0]["html"]
    assert thread[1]["body"] == "您好，请清除浏览器缓存后再试。\n如果仍有问题请告诉我们。"
    assert thread[1]["author"]["email"] == "jia.chen@support.example.org"
    assert "<script" not in thread[2]["html"] and "OPS-12" in thread[2]["html"]
    [console] = thread[0]["attachments"]  # the inline image of the note is not a file
    assert console["filename"] == "browser-console.txt"
    blob = admin.get(console["url"])
    assert blob.status == 200 and blob.raw == b"TypeError: session is null\nat login.js:42\n"
    one = admin.get(f"/api/v1/tickets/{login['number']}").body
    assert one["imported_from"] == {"source": "osticket", "id": "482913"}, one
    hits = admin.get("/api/v1/search?q=external:482913").body["items"]
    assert [h["ticket"]["number"] for h in hits] == [login["number"]], hits

    invoice = tickets["Invoice copy for February"]
    assert invoice["status"]["category"] == "open" and invoice["priority"] == "normal"
    assert invoice["channel"] == "portal" and invoice["solved_at"] is None
    assert invoice["custom_fields"]["osticket_department"] == "Billing"
    assert messages(admin, invoice["number"])[0]["body"].endswith("It's for our accountant.")
    fields = admin.get("/api/v1/custom-fields").body
    items = fields["items"] if isinstance(fields, dict) else fields
    assert {"Department", "Help topic"} <= {f["label"] for f in items}, items

    again = run_import(fresh_server, "osticket", str(FIXTURES / "osticket" / "osticket.sql"))
    assert summary(again)["tickets imported"] == 0 and summary(again)["already there"] == 2
    assert len(all_tickets(admin)) == 2


def test_rt_export(fresh_server):
    admin = fresh_server.admin
    proc = run_import(fresh_server, "rt", str(FIXTURES / "rt"))
    assert proc.returncode == 0, proc.stderr
    counts = summary(proc)
    assert counts["tickets imported"] == 3 and counts["messages"] == 5, proc.stdout
    assert counts["attachments"] == 1 and counts["organizations created"] == 1, proc.stdout
    assert counts["agents created inactive without password"] == 1, proc.stdout

    tickets = by_subject(all_tickets(admin))
    mail = tickets["邮件服务器无法发信"]
    assert mail["status"]["category"] == "solved" and mail["priority"] == "high"
    assert mail["solved_at"] == "2020-05-12T08:30:00.000Z"
    assert mail["created_at"] == "2020-05-11T02:00:00.000Z"
    assert mail["requester"]["email"] == "wu.fang@example.cn"  # known only by the address
    assert mail["assignee"]["email"] == "zhao@support.example.org"
    assert mail["custom_fields"] == {"rt_4": "S2"}
    thread = messages(admin, mail["number"])
    assert [m["internal"] for m in thread] == [False, False, True]
    assert thread[0]["body"].startswith("从昨天下午开始")
    [log] = thread[0]["attachments"]
    assert log["filename"] == "smtp.log"
    assert admin.get(log["url"]).raw == b"550 5.7.1 relaying denied\n"
    assert "中继配置" in thread[1]["html"] and "<script" not in thread[1]["html"]
    assert thread[2]["body"].startswith("Root cause")
    assert mail["first_response_at"] == "2020-05-11T03:10:00.000Z"
    assert admin.get(f"/api/v1/tickets/{mail['number']}").body["imported_from"] == {
        "source": "rt", "id": "101"}

    printer = tickets["Printer on floor 3 jams"]
    assert printer["status"]["category"] == "new" and printer["assignee"] is None
    assert printer["solved_at"] is None  # RT's 1970 "not set" is no date
    badge = tickets["Waiting for the new badge"]
    assert badge["status"]["category"] == "on_hold" and badge["priority"] == "low"
    assert badge["requester"]["email"] == "lee@acme.example"
    assert badge["organization"] is not None
    assert len(messages(admin, badge["number"])) == 2

    again = run_import(fresh_server, "rt", str(FIXTURES / "rt"))
    assert summary(again)["tickets imported"] == 0 and len(all_tickets(admin)) == 3


def test_bad_osticket_and_rt_records_are_named_and_left_out(fresh_server):
    admin = fresh_server.admin
    cut = run_import(fresh_server, "osticket", str(FIXTURES / "bad" / "osticket_cut.sql"))
    assert cut.returncode == 1, cut.stderr
    assert "osticket_cut.sql line" in cut.stderr and "never ends" in cut.stderr, cut.stderr
    assert "(ost_ticket 2): unknown status_id: 9" in cut.stderr, cut.stderr
    assert summary(cut)["tickets imported"] == 1
    rt = run_import(fresh_server, "rt", str(FIXTURES / "bad" / "rt"), "--name", "rt-bad")
    assert rt.returncode == 1, rt.stderr
    assert "tickets.json record 2 (id 202): unknown status: escalated" in rt.stderr, rt.stderr
    assert "attachments/201.json record 1 (id 9901): Content is not base64" in rt.stderr
    assert summary(rt)["tickets imported"] == 1
    subjects = sorted(t["subject"] for t in all_tickets(admin))
    assert subjects == ["Fine one", "无法登录客户门户"], subjects
    missing = run_import(fresh_server, "osticket", str(FIXTURES / "nothing.sql"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr, missing.stderr
