"""`gongdan import csv|zendesk|freshdesk` against the small hand-made exports in
tests/fixtures/import/ (INDEX.md says what each holds): what lands in the desk, read back over
the API of a real server on the same data directory; that a second run adds nothing; that bad
records are named and left out whole; that importing fires no trigger and sends no mail."""

from pathlib import Path

from conftest import REPO

FIXTURES = REPO / "tests" / "fixtures" / "import"


def run_import(srv, *args):
    proc = srv.cli("import", *args)
    assert "AddressSanitizer" not in proc.stderr, proc.stderr
    return proc


def summary(proc):
    """The counts of the summary line, by name: {"tickets imported": 2, ...}."""
    line = proc.stdout.strip().splitlines()[-1]
    counts = {}
    for part in line.split(": ", 1)[1].replace(";", ",").split(","):
        name, _, number = part.strip().rpartition(" ")
        counts[name] = int(number)
    return counts


def all_tickets(admin):
    r = admin.get("/api/v1/tickets?limit=100&sort=created_at")
    assert r.status == 200, r
    return r.body["items"]


def messages(admin, number):
    r = admin.get(f"/api/v1/tickets/{number}/messages?limit=100")
    assert r.status == 200, r
    return r.body["items"]


def by_subject(tickets):
    return {t["subject"]: t for t in tickets}


def test_csv_import_keeps_the_history_and_a_second_run_adds_nothing(fresh_server):
    admin = fresh_server.admin
    # A rule that would tag and note every new ticket: an import must not set it off.
    r = admin.post("/api/v1/triggers", json={
        "name": "Tag new", "conditions": {"all": [
            {"field": "update_type", "operator": "is", "value": "create"}]},
        "actions": [{"type": "add_tags", "tags": ["triggered"]},
                    {"type": "add_note", "body": "rule ran"}]})
    assert r.status == 201, r
    proc = run_import(fresh_server, "csv", str(FIXTURES / "csv" / "tickets.csv"))
    assert proc.returncode == 0, proc.stderr
    counts = summary(proc)
    assert counts["tickets imported"] == 2 and counts["messages"] == 4, proc.stdout
    assert counts["attachments"] == 1 and counts["organizations created"] == 1, proc.stdout
    assert counts["contacts created"] == 2, proc.stdout
    assert counts["agents created inactive without password"] == 1, proc.stdout

    tickets = by_subject(all_tickets(admin))
    printer = tickets["打印机无法连接"]
    assert printer["status"]["category"] == "solved" and printer["priority"] == "high"
    assert printer["type"] == "incident" and printer["channel"] == "email"
    assert printer["created_at"] == "2023-04-01T08:00:00.000Z"
    assert printer["updated_at"] == "2023-04-02T10:00:00.000Z"
    assert printer["solved_at"] == "2023-04-02T09:30:00.000Z"
    # The first public reply by an agent, 09:15 in Shanghai.
    assert printer["first_response_at"] == "2023-04-01T01:15:00.000Z"
    assert printer["tags"] == ["printer", "vip"] and "triggered" not in printer["tags"]
    assert printer["custom_fields"] == {"order_number": "PO-778"}
    assert printer["requester"]["email"] == "li.wei@example.cn"
    assert printer["assignee"]["email"] == "agent.wang@example.com"
    assert printer["organization"] is not None
    assert printer["sla"]["policy"] is None
    thread = messages(admin, printer["number"])
    assert [m["body"] for m in thread] == ["办公室的打印机从今天早上开始无法连接。",
                                           "您好，请重启打印机后再试。",
                                           "Driver issue, known bug #42."]
    assert [m["internal"] for m in thread] == [False, False, True]
    assert [m["created_at"] for m in thread] == ["2023-04-01T08:00:00.000Z",
                                                 "2023-04-01T01:15:00.000Z",
                                                 "2023-04-02T09:30:00.000Z"]
    assert thread[1]["author"]["email"] == "agent.wang@example.com"
    [attachment] = thread[0]["attachments"]
    assert attachment["filename"] == "error.txt"
    blob = admin.get(attachment["url"])
    assert blob.status == 200 and b"E-1023" in blob.raw, blob
    assert admin.get(f"/api/v1/tickets/{printer['number']}").body["imported_from"] == {
        "source": "csv", "id": "C-1001"}
    invoice = tickets["Invoice address is wrong, please fix"]
    assert invoice["status"]["category"] == "open" and invoice["solved_at"] is None
    assert messages(admin, invoice["number"])[0]["body"].endswith("a corrected one?")

    # The agent is inactive and has no password; the history says the import made the ticket.
    agents = admin.get("/api/v1/agents?limit=100").body["items"]
    wang = [a for a in agents if a["email"] == "agent.wang@example.com"]
    assert len(wang) == 1 and wang[0]["active"] is False, agents
    assert fresh_server.login_raw("agent.wang@example.com", "").status in (400, 401)
    history = admin.get(f"/api/v1/tickets/{printer['number']}/history?limit=50").body["items"]
    assert [e["via"] for e in history if e["field"] == "created"] == ["import"], history
    assert not [e for e in history if e["field"] == "trigger"], history
    queued = admin.get("/api/v1/jobs?limit=100").body["items"]
    assert not [j for j in queued if "mail" in j["kind"]], queued

    again = run_import(fresh_server, "csv", str(FIXTURES / "csv" / "tickets.csv"))
    assert again.returncode == 0, again.stderr
    assert summary(again)["tickets imported"] == 0, again.stdout
    assert summary(again)["already there"] == 2, again.stdout
    everything = run_import(fresh_server, "csv", str(FIXTURES / "csv" / "tickets.csv"),
                            "--from-start")
    assert summary(everything)["already there"] == 2, everything.stdout
    assert summary(everything)["contacts created"] == 0, everything.stdout
    made_here = admin.post("/api/v1/tickets", json={
        "subject": "made here", "body": "x", "requester": {"email": "here@example.com"}})
    assert made_here.status == 201, made_here
    assert "imported_from" not in admin.get(
        f"/api/v1/tickets/{made_here.body['number']}").body
    assert len(all_tickets(admin)) == 3  # the two imported and the one made here


def test_zendesk_export(fresh_server):
    admin = fresh_server.admin
    # Someone already here under a Zendesk user's email is matched, not made again.
    agent, _ = fresh_server.create_agent(email="sam@helpdesk.example", name="Sam Here")
    proc = run_import(fresh_server, "zendesk", str(FIXTURES / "zendesk"))
    assert proc.returncode == 0, proc.stderr
    counts = summary(proc)
    assert counts["tickets imported"] == 3 and counts["messages"] == 6, proc.stdout
    assert counts["people matched by email"] == 1 and counts["attachments"] == 1, proc.stdout
    tickets = by_subject(all_tickets(admin))
    vpn = tickets["VPN drops every hour"]
    assert vpn["status"]["category"] == "solved" and vpn["priority"] == "high"
    assert vpn["solved_at"] == "2022-03-03T15:45:00.000Z"
    assert vpn["assignee"]["id"] == agent["id"]
    assert vpn["custom_fields"] == {"zendesk_360000111": "NW-2022-17"}
    thread = messages(admin, vpn["number"])
    assert [m["internal"] for m in thread] == [False, True, False]
    assert thread[0]["attachments"][0]["filename"] == "vpn-log.txt"
    assert vpn["first_response_at"] == "2022-03-03T15:45:00.000Z"
    german = tickets["Wie ändere ich mein Passwort?"]
    assert german["status"]["category"] == "new" and german["channel"] == "web_form"
    assert german["requester"]["email"].endswith("@import.invalid")  # a phone-only caller
    refund = tickets["Refund for order 77"]
    assert refund["status"]["category"] == "pending"
    thread = messages(admin, refund["number"])
    assert "<script" not in thread[1]["html"] and "asked billing" in thread[1]["html"]
    fields = admin.get("/api/v1/custom-fields").body
    items = fields["items"] if isinstance(fields, dict) else fields
    assert "Order number" in [f["label"] for f in items], items

    again = run_import(fresh_server, "zendesk", str(FIXTURES / "zendesk"))
    assert summary(again)["tickets imported"] == 0 and len(all_tickets(admin)) == 3

    # Found by its old id: a list filter, and `external:` in the search box; shown to agents.
    found = admin.get("/api/v1/tickets?external_id=5001").body["items"]
    assert [t["number"] for t in found] == [vpn["number"]], found
    assert admin.get("/api/v1/tickets?external_id=nope").body["items"] == []
    one = admin.get(f"/api/v1/tickets/{vpn['number']}").body
    assert one["imported_from"] == {"source": "zendesk", "id": "5001"}, one
    hits = admin.get("/api/v1/search?q=external:5001").body["items"]
    assert [h["ticket"]["number"] for h in hits] == [vpn["number"]], hits
    hits = admin.get("/api/v1/search?q=external:5001%20VPN").body["items"]
    assert [h["ticket"]["number"] for h in hits] == [vpn["number"]], hits
    assert admin.get("/api/v1/search?q=external:5003%20VPN").body["items"] == []


def test_freshdesk_export(fresh_server):
    admin = fresh_server.admin
    proc = run_import(fresh_server, "freshdesk", str(FIXTURES / "freshdesk"))
    assert proc.returncode == 0, proc.stderr
    counts = summary(proc)
    assert counts["tickets imported"] == 2 and counts["messages"] == 4, proc.stdout
    tickets = by_subject(all_tickets(admin))
    invoice = tickets["发票抬头需要修改"]
    assert invoice["status"]["category"] == "closed" and invoice["priority"] == "high"
    assert invoice["channel"] == "email" and invoice["solved_at"] == "2021-08-03T10:00:00.000Z"
    assert invoice["tags"] == ["billing", "发票"]
    assert invoice["custom_fields"] == {"cf_contract_id": "HT-2021-9"}
    assert invoice["assignee"]["email"] == "chen.agent@helpdesk.example"
    thread = messages(admin, invoice["number"])
    assert [m["body"] for m in thread] == ["上个月的发票抬头写错了。", "您好，请提供正确的抬头。",
                                           "已转财务。"]
    assert [m["internal"] for m in thread] == [False, False, True]
    assert thread[0]["attachments"][0]["filename"] == "invoice.txt"
    portal = tickets["Cannot log in to the portal"]
    assert portal["status"]["category"] == "open" and portal["priority"] == "low"
    assert portal["channel"] == "portal"


def test_bad_input_is_named_and_left_out_whole(fresh_server):
    admin = fresh_server.admin
    gbk = run_import(fresh_server, "csv", str(FIXTURES / "bad" / "gbk.csv"))
    assert gbk.returncode == 1
    assert "gbk.csv line 2: not UTF-8" in gbk.stderr and "GB18030" in gbk.stderr, gbk.stderr
    mixed = run_import(fresh_server, "csv", str(FIXTURES / "bad" / "mixed.csv"), "--name", "m")
    assert mixed.returncode == 1
    assert "mixed.csv line 3 (ticket B-2): unknown status: exploded" in mixed.stderr
    assert "mixed.csv line 4 (ticket B-3): created_at is not a time" in mixed.stderr
    assert "mixed.csv line 6 (ticket B-4)" in mixed.stderr, mixed.stderr
    assert [t["subject"] for t in all_tickets(admin)] == ["Good ticket"]
    # Nobody only a left-out ticket named was created.
    contacts = admin.get("/api/v1/contacts?limit=100").body["items"]
    assert not [c for c in contacts if c["email"].startswith("bad")], contacts
    lines = run_import(fresh_server, "zendesk", str(FIXTURES / "bad" / "zendesk_lines"),
                       "--name", "zl")
    assert lines.returncode == 1
    assert "tickets.json line 2: not JSON" in lines.stderr, lines.stderr
    assert "tickets.json line 3: no requester_id" in lines.stderr, lines.stderr
    assert summary(lines)["tickets imported"] == 2
    cut = run_import(fresh_server, "zendesk", str(FIXTURES / "bad" / "zendesk_truncated"),
                     "--name", "zt")
    assert cut.returncode == 1 and "tickets.json" in cut.stderr and "not JSON" in cut.stderr
    missing = run_import(fresh_server, "freshdesk", str(FIXTURES / "csv"))
    assert missing.returncode == 2 and "no tickets.json" in missing.stderr, missing.stderr
    assert len(all_tickets(admin)) == 3
