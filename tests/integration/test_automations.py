"""Time-based automations through the API: validation that names what is wrong; an automation
with a one-minute delay firing once on a pending ticket (including one that was already pending
when the automation was saved), and not on a ticket that left the status in time; business days
that skip the weekend and plain days that do not (on the test clock); the job queue shows the
scheduled work, and finished jobs can be cleaned."""

import json as jsonlib
from pathlib import Path

from conftest import assert_error
from ticket_support import new_ticket, patch, status_id

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PENDING = {"all": [{"field": "status_category", "operator": "is", "value": "pending"}]}
SOLVED = {"all": [{"field": "status_category", "operator": "is", "value": "solved"}]}


def history(sess, number):
    return sess.get(f"/api/v1/tickets/{number}/history?limit=200").body["items"]


def test_automation_validation_and_crud(fresh_server):
    admin = fresh_server.admin
    after = {"amount": 3, "unit": "business_days", "since": "status"}
    actions = [{"type": "add_tags", "tags": ["reminded"]}]

    def bad(field, **body):
        payload = {"name": "x", "conditions": PENDING, "after": after, "actions": actions}
        payload.update(body)
        err = assert_error(admin.post("/api/v1/automations", json=payload), 400,
                           "invalid_argument")
        assert err["field"] == field, err
        return err

    bad("after", after=None)
    bad("after.unit", after={"amount": 3, "unit": "fortnights"})
    bad("after.amount", after={"amount": 0, "unit": "days"})
    bad("after.since", after={"amount": 1, "unit": "days", "since": "lunch"})
    bad("after.colour", after={"amount": 1, "unit": "days", "colour": 1})
    err = bad("conditions.all[0].operator", conditions={"all": [
        {"field": "status", "operator": "changed"}]})
    assert "not at a change" in err["message"]
    bad("conditions.all[0].field", conditions={"all": [
        {"field": "message.body", "operator": "contains", "value": "x"}]})
    bad("actions[0].template", actions=[{"type": "send_mail", "template": "42"}])
    bad("actions", actions=[])
    assert_error(admin.post("/api/v1/automations", json={"name": "x", "conditions": PENDING,
                                                         "actions": actions}),
                 400, "invalid_argument", "after")

    r = admin.post("/api/v1/automations", json={"name": "Remind after 3 business days",
                                                "conditions": PENDING, "after": after,
                                                "actions": actions})
    assert r.status == 201, r
    a = r.body
    assert a["after"] == after and a["active"] is True
    assert [x["id"] for x in admin.get("/api/v1/automations").body["items"]] == [a["id"]]
    r = admin.request("PATCH", f"/api/v1/automations/{a['id']}",
                      json={"after": {"amount": 7, "unit": "days"}, "active": False})
    assert r.status == 200 and r.body["after"]["amount"] == 7 and r.body["active"] is False
    ag = fresh_server.agent_session()
    assert_error(ag.get("/api/v1/automations"), 403, "permission_denied")
    assert admin.request("DELETE", f"/api/v1/automations/{a['id']}").status == 204
    assert_error(admin.get(f"/api/v1/automations/{a['id']}"), 404, "not_found")


def test_pending_ticket_is_reminded_once(start_server):
    srv = start_server(env={"GONGDAN_JOB_RETENTION_MINUTES": "0"}, clock=True)
    admin = srv.admin
    pending = status_id(admin, "pending")
    # Pending before the automation exists: the pass over open tickets schedules it too.
    early = new_ticket(admin)
    patch(admin, early["number"], {"status": pending})
    r = admin.post("/api/v1/automations", json={
        "name": "Remind pending", "conditions": PENDING,
        "after": {"amount": 1, "unit": "minutes", "since": "status"},
        "actions": [{"type": "add_tags", "tags": ["reminded"]},
                    {"type": "add_note", "body": "Reminder for #{{ticket.number}}"}]})
    assert r.status == 201, r
    t = new_ticket(admin)
    patch(admin, t["number"], {"status": pending})
    left = new_ticket(admin)
    patch(admin, left["number"], {"status": pending})
    srv.advance(seconds=30)
    patch(admin, left["number"], {"status": status_id(admin, "open")})  # answered in time
    # Scheduled work is in the job queue, due in a minute: nothing scans tickets.
    queued = admin.get("/api/v1/jobs?state=queued&limit=100").body["items"]
    assert sum(1 for j in queued if j["kind"] == "automation") >= 2, queued
    one = admin.get(f"/api/v1/jobs/{queued[0]['id']}")
    assert one.status == 200 and one.body == queued[0], one

    srv.advance(seconds=29)
    assert "reminded" not in admin.get(f"/api/v1/tickets/{t['number']}").body["tags"]
    srv.advance(seconds=1)
    for number in (t["number"], early["number"]):
        ticket = admin.get(f"/api/v1/tickets/{number}").body
        assert "reminded" in ticket["tags"], ticket
        events = history(admin, number)
        assert [e["new"] for e in events if e["field"] == "automation"] == ["Remind pending"]
        notes = [m["body"] for m in admin.get(f"/api/v1/tickets/{number}/messages").body["items"]
                 if m["internal"]]
        assert notes == [f"Reminder for #{number}"]
    assert "reminded" not in admin.get(f"/api/v1/tickets/{left['number']}").body["tags"]
    # Once: the change the automation made does not set it off again, however long it waits.
    srv.advance(days=3)
    events = history(admin, t["number"])
    assert len([e for e in events if e["field"] == "automation"]) == 1

    # Cleaning: with no retention every finished job goes at once; dead letters stay listed.
    done = admin.get("/api/v1/jobs?state=done&limit=100").body["items"]
    assert done, "finished jobs are listed until cleaned"
    srv.advance(seconds=1)  # finished before now
    r = admin.post("/api/v1/jobs/prune")
    assert r.status == 200 and r.body["deleted"] >= len(done), r
    assert admin.get("/api/v1/jobs?state=done").body["items"] == []
    assert_error(srv.agent_session().post("/api/v1/jobs/prune"), 403, "permission_denied")


def test_business_days_skip_the_weekend_and_plain_days_do_not(start_server):
    """A week on the test clock, in Shanghai office hours (the ticket's SLA policy's calendar):
    set pending on Friday 2026-01-09 at 16:00, a ticket is reminded after 3 business days on
    Wednesday at 16:00 (Monday, Tuesday, Wednesday), not a second before; solved at the same
    moment, another is closed after 4 plain days, on Tuesday at 16:00."""
    srv = start_server(clock="2026-01-09T08:00:00Z")
    admin = srv.admin
    spec = jsonlib.loads((FIXTURES / "calendars" / "cn-2026.json").read_text("utf-8"))
    cal = admin.post("/api/v1/calendars", json=spec).body
    r = admin.post("/api/v1/sla-policies", json={"name": "Office hours", "calendar": cal["id"],
                                                 "targets": {"resolution_minutes": 100000}})
    assert r.status == 201, r
    for body in ({"name": "Remind after 3 business days", "conditions": PENDING,
                  "after": {"amount": 3, "unit": "business_days", "since": "status"},
                  "actions": [{"type": "add_tags", "tags": ["reminded"]}]},
                 {"name": "Close solved after 4 days", "conditions": SOLVED,
                  "after": {"amount": 4, "unit": "days", "since": "status"},
                  "actions": [{"type": "set_field", "field": "status", "value": "Closed"}]}):
        r = admin.post("/api/v1/automations", json=body)
        assert r.status == 201, r
    waiting = new_ticket(admin)
    patch(admin, waiting["number"], {"status": status_id(admin, "pending")})
    solved = new_ticket(admin)
    patch(admin, solved["number"], {"status": status_id(admin, "solved")})

    def state(ticket):
        got = admin.get(f"/api/v1/tickets/{ticket['number']}").body
        return got["status"]["category"], "reminded" in got["tags"]

    for moment, want_waiting, want_solved in (
            ("2026-01-10T08:00:00Z", ("pending", False), ("solved", False)),  # Saturday
            ("2026-01-12T08:00:00Z", ("pending", False), ("solved", False)),  # Monday
            ("2026-01-13T07:59:59Z", ("pending", False), ("solved", False)),
            ("2026-01-13T08:00:00Z", ("pending", False), ("closed", False)),  # 4 days
            ("2026-01-14T07:59:59Z", ("pending", False), ("closed", False)),
            ("2026-01-14T08:00:00Z", ("pending", True), ("closed", False))):  # 3 working days
        srv.set_clock(moment)
        assert (state(waiting), state(solved)) == (want_waiting, want_solved), moment
    events = history(admin, waiting["number"])
    assert [(e["new"], e["at"]) for e in events if e["field"] == "automation"] == [
        ("Remind after 3 business days", "2026-01-14T08:00:00.000Z")]
