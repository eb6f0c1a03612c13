"""Time-based automations through the API: validation that names what is wrong; an automation
with a one-minute delay firing once on a pending ticket (including one that was already pending
when the automation was saved), and not on a ticket that left the status in time; the job queue
shows the scheduled work, and finished jobs can be cleaned."""

import time

from conftest import assert_error
from ticket_support import new_ticket, patch, status_id

PENDING = {"all": [{"field": "status_category", "operator": "is", "value": "pending"}]}


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
    srv = start_server(env={"GONGDAN_JOB_RETENTION_MINUTES": "0"})
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
    time.sleep(1)
    patch(admin, left["number"], {"status": status_id(admin, "open")})  # answered in time
    # Scheduled work is in the job queue, due in a minute: nothing scans tickets.
    queued = admin.get("/api/v1/jobs?state=queued&limit=100").body["items"]
    assert sum(1 for j in queued if j["kind"] == "automation") >= 2, queued

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        got = admin.get(f"/api/v1/tickets/{t['number']}").body
        if "reminded" in got["tags"]:
            break
        time.sleep(0.5)
    assert "reminded" in got["tags"], got
    for number in (t["number"], early["number"]):
        ticket = admin.get(f"/api/v1/tickets/{number}").body
        assert "reminded" in ticket["tags"], ticket
        events = history(admin, number)
        assert [e["new"] for e in events if e["field"] == "automation"] == ["Remind pending"]
        notes = [m["body"] for m in admin.get(f"/api/v1/tickets/{number}/messages").body["items"]
                 if m["internal"]]
        assert notes == [f"Reminder for #{number}"]
    assert "reminded" not in admin.get(f"/api/v1/tickets/{left['number']}").body["tags"]
    # Once: the change the automation made does not set it off again.
    time.sleep(2)
    events = history(admin, t["number"])
    assert len([e for e in events if e["field"] == "automation"]) == 1

    # Cleaning: with no retention every finished job goes at once; dead letters stay listed.
    done = admin.get("/api/v1/jobs?state=done&limit=100").body["items"]
    assert done, "finished jobs are listed until cleaned"
    r = admin.post("/api/v1/jobs/prune")
    assert r.status == 200 and r.body["deleted"] >= len(done), r
    assert admin.get("/api/v1/jobs?state=done").body["items"] == []
    assert_error(srv.agent_session().post("/api/v1/jobs/prune"), 403, "permission_denied")
