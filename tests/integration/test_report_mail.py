"""Scheduled report mails (the resource report-schedules): on the test clock a daily schedule
comes due at its local hour and every recipient gets one mail in their own language, with the
numbers they may see (an agent their own, a supervisor their departments', an admin all) and
the reports attached as CSV or XLSX; a weekly one reports the 7 days before its day; a change to
a schedule does not send twice; only admins declare schedules and only staff receive them."""
import io
import zipfile

import pytest

from conftest import assert_error
from test_mail_smtp import mailing_desk
from ticket_support import agent, make_department, new_ticket, patch, set_departments, status_id

START = "2026-01-05T09:00:00Z"  # a Monday, 17:00 in Shanghai


@pytest.fixture
def desk(start_server, tmp_path):
    with mailing_desk(start_server, tmp_path, clock=START) as both:
        yield both


def schedule(admin, expect=201, **body):
    fields = {"name": "Daily numbers", "frequency": "daily", "hour": 8,
              "time_zone": "Asia/Shanghai", "metrics": ["tickets_created", "tickets_solved"],
              "group_by": "department", "attachment": "csv"}
    fields.update(body)
    r = admin.post("/api/v1/report-schedules", json=fields)
    assert r.status == expect, r
    return r.body


def mails_to(sink, address, subject_part=""):
    return [m for m, _, rcpts in sink.mails()
            if address in rcpts and subject_part in str(m["Subject"])]


def text(mail):
    return mail.get_body(preferencelist=("plain",)).get_content()


def attachments(mail):
    """{filename: content}: the CSVs as text, the workbooks as bytes."""
    out = {}
    for part in mail.iter_attachments():
        data = part.get_payload(decode=True)
        name = part.get_filename()
        out[name] = data.decode() if name.endswith(".csv") else data
    return out


def csv_total(csv):
    """The count of the CSV's total line."""
    line = next(l for l in csv.splitlines() if l.startswith('"total"'))
    return int(line.split(",")[3])


def test_daily_mail_in_each_recipients_language_and_scope(desk):
    srv, sink = desk
    admin = srv.admin
    sales, support = make_department(admin)["id"], make_department(admin)["id"]
    me = agent(srv, departments=[sales])
    me_user = me.get("/api/v1/me").body
    boss = agent(srv, role="supervisor")
    boss_user = boss.get("/api/v1/me").body
    set_departments(admin, boss_user["id"], [sales])
    assert boss.request("PATCH", "/api/v1/me", json={"locale": "zh-CN"}).status == 200
    admin_user = admin.get("/api/v1/me").body

    # Monday in Shanghai: three tickets, two in sales (one the agent's, solved), one in support.
    mine = new_ticket(admin, subject="Report mine", department=sales, assignee=me_user["id"])
    new_ticket(admin, subject="Report sales", department=sales)
    new_ticket(admin, subject="Report support", department=support)
    patch(admin, mine["number"], {"status": status_id(admin, "solved")})

    s = schedule(admin, recipients=[me_user["email"], boss_user["email"].upper(),
                                    admin_user["email"]])
    assert s["recipients"] == sorted([me_user["email"], boss_user["email"], admin_user["email"]])
    # Tuesday 08:00 in Shanghai is Tuesday 00:00 UTC.
    assert s["next_send"] == "2026-01-06T00:00:00.000Z", s

    srv.set_clock("2026-01-05T23:59:59Z")
    srv.advance(seconds=0.999)
    assert not sink.mails(), "a report mail before its hour"
    srv.advance(seconds=0.001)

    # The admin: every department, in English.
    [mail] = mails_to(sink, admin_user["email"])
    assert str(mail["Subject"]) == 'Report "Daily numbers": 2026-01-05'
    body = text(mail)
    assert "every department" in body and "Tickets created: 3" in body, body
    assert "Tickets solved: 1" in body, body
    files = attachments(mail)
    assert set(files) == {"tickets_created-2026-01-05-2026-01-05.csv",
                          "tickets_solved-2026-01-05-2026-01-05.csv"}
    created = files["tickets_created-2026-01-05-2026-01-05.csv"]
    assert created.startswith("key,label,value,count,part") and csv_total(created) == 3

    # The supervisor: their department only, in Chinese.
    [mail] = mails_to(sink, boss_user["email"])
    assert str(mail["Subject"]) == "报表「Daily numbers」：2026-01-05"
    body = text(mail)
    assert "您负责的部门" in body and "新建工单：2" in body and "已解决工单：1" in body, body
    created = attachments(mail)["tickets_created-2026-01-05-2026-01-05.csv"]
    assert csv_total(created) == 2 and f'"{support}"' not in created, created

    # The agent: their own ticket.
    [mail] = mails_to(sink, me_user["email"])
    body = text(mail)
    assert "your own tickets" in body and "Tickets created: 1" in body, body

    # The next day: one more mail each (yesterday had no tickets), none twice.
    srv.advance(days=1)
    for who in (me_user, boss_user, admin_user):
        got = mails_to(sink, who["email"])
        assert len(got) == 2, [str(m["Subject"]) for m in got]
    assert "2026-01-06" in str(mails_to(sink, admin_user["email"])[-1]["Subject"])
    assert "Tickets created: 0" in text(mails_to(sink, admin_user["email"])[-1])


def test_weekly_xlsx_a_change_and_a_recipient_who_left(desk):
    srv, sink = desk
    admin = srv.admin
    boss = agent(srv, role="supervisor", all_departments=True)
    boss_user = boss.get("/api/v1/me").body
    gone = agent(srv)
    gone_user = gone.get("/api/v1/me").body
    for subject in ("Weekly a", "Weekly b"):
        new_ticket(admin, subject=subject)
    s = schedule(admin, name="Weekly", frequency="weekly", weekday=1, hour=9, time_zone="UTC",
                 metrics=["tickets_created", "backlog", "first_response_time", "csat"],
                 group_by="day", attachment="xlsx",
                 recipients=[boss_user["email"], gone_user["email"]])
    assert s["next_send"] == "2026-01-12T09:00:00.000Z", s
    # Changed before it is due (within the same instant of the test clock): still one mail per
    # recipient, at the new hour; the run queued for the old hour stops.
    r = admin.request("PATCH", f"/api/v1/report-schedules/{s['id']}", json={"hour": 8})
    assert r.status == 200 and r.body["next_send"] == "2026-01-12T08:00:00.000Z", r
    # Deactivated: no longer theirs to get.
    r = admin.request("PATCH", f"/api/v1/agents/{gone_user['id']}", json={"active": False})
    assert r.status == 200, r

    srv.set_clock("2026-01-12T10:00:00Z")
    srv.wait_idle()
    [mail] = mails_to(sink, boss_user["email"])
    assert str(mail["Subject"]) == 'Report "Weekly": 2026-01-05 to 2026-01-11', mail["Subject"]
    body = text(mail)
    assert "Weekly report" in body and "Tickets created: 2" in body, body
    assert "Open tickets now: 2" in body and "First response time (average): —" in body, body
    assert "  2026-01-05: 2" in body, body  # the rows by day
    files = attachments(mail)
    book = files["tickets_created-2026-01-05-2026-01-11.xlsx"]
    with zipfile.ZipFile(io.BytesIO(book)) as z:
        assert "xl/worksheets/sheet1.xml" in z.namelist()
        strings = z.read("xl/sharedStrings.xml").decode()
    assert "total" in strings and "2026-01-05" in strings
    assert not mails_to(sink, gone_user["email"]), "a deactivated agent got the report"
    # The next week's run is queued, once.
    assert admin.get(f"/api/v1/report-schedules/{s['id']}").body["next_send"] == \
        "2026-01-19T08:00:00.000Z"


def test_who_may_declare_and_receive(desk):
    srv, _ = desk
    admin = srv.admin
    contact, _ = srv.create_contact()
    boss = agent(srv, role="supervisor", all_departments=True)
    assert_error(admin.post("/api/v1/report-schedules", json={
        "name": "x", "metrics": ["tickets_created"], "recipients": [contact["email"]]}),
        400, "invalid_argument", "recipients")
    assert_error(admin.post("/api/v1/report-schedules", json={
        "name": "x", "metrics": ["tickets_created"], "recipients": ["nobody@example.com"]}),
        400, "invalid_argument", "recipients")
    assert_error(admin.post("/api/v1/report-schedules", json={
        "name": "x", "metrics": ["happiness"], "recipients": [boss.user["email"]]}),
        400, "invalid_argument", "metrics")
    assert_error(admin.post("/api/v1/report-schedules", json={
        "name": "x", "metrics": [], "recipients": [boss.user["email"]]}),
        400, "invalid_argument", "metrics")
    assert_error(admin.post("/api/v1/report-schedules", json={
        "name": "x", "metrics": ["csat"], "recipients": [boss.user["email"]],
        "time_zone": "Mars/Base"}), 400, "invalid_argument", "time_zone")
    assert_error(admin.post("/api/v1/report-schedules", json={
        "name": "x", "metrics": ["csat"], "recipients": [boss.user["email"]], "hour": 24}),
        400, "invalid_argument", "hour")
    assert_error(admin.post("/api/v1/report-schedules", json={
        "name": "x", "metrics": ["csat"], "recipients": [boss.user["email"]],
        "frequency": "hourly"}), 400, "invalid_argument", "frequency")
    # Supervisors read their reports but do not declare mails to others.
    assert_error(boss.post("/api/v1/report-schedules", json={
        "name": "x", "metrics": ["csat"], "recipients": [boss.user["email"]]}),
        403, "permission_denied")
    assert boss.get("/api/v1/report-schedules").status == 403
    assert srv.get("/api/v1/report-schedules").status == 401
