"""SLA on tickets through the API: business calendars (with the 2026 China holiday list) and
ordered SLA policies; the chosen policy and due times on the ticket; the clock pausing while the
ticket is pending; a priority change switching policy; warning and breach timers that land in the
ticket's history and fire sla.warning / sla.breach webhooks, at their instant and not a second
before, across weekends and the Spring Festival (on the test clock)."""

import json as jsonlib
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

from conftest import assert_error, parse_utc as parse_time
from ticket_support import new_ticket, patch, reply, status_id
from webhook_support import Receiver, signature_ok, write_config

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def history(sess, number):
    r = sess.get(f"/api/v1/tickets/{number}/history?limit=200")
    assert r.status == 200, r
    return r.body["items"]


def get_ticket(sess, number):
    r = sess.get(f"/api/v1/tickets/{number}")
    assert r.status == 200, r
    return r.body


def add_policy(admin, expect=201, **body):
    r = admin.post("/api/v1/sla-policies", json=body)
    assert r.status == expect, r
    return r.body


def test_calendars_api(server):
    admin = server.admin
    spec = jsonlib.loads((FIXTURES / "calendars" / "cn-2026.json").read_text("utf-8"))
    r = admin.post("/api/v1/calendars", json=spec)
    assert r.status == 201, r
    cal = r.body
    assert cal["name"].startswith("中国大陆") and cal["spec"]["time_zone"] == "Asia/Shanghai"
    assert any(c["id"] == cal["id"] for c in admin.get("/api/v1/calendars").body["items"])
    spec2 = dict(spec, name="Shanghai office", extra_working_days=["2026-02-14", "2026-02-28"])
    r = admin.request("PUT", f"/api/v1/calendars/{cal['id']}", json=spec2)
    assert r.status == 200 and r.body["name"] == "Shanghai office", r
    assert r.body["spec"]["extra_working_days"] == ["2026-02-14", "2026-02-28"]
    # Bad definitions name the field.
    assert_error(admin.post("/api/v1/calendars", json=dict(spec, time_zone="Mars/Olympus")),
                 400, "invalid_argument", "time_zone")
    assert_error(admin.post("/api/v1/calendars", json=dict(spec, holidays=["2026-13-01"])),
                 400, "invalid_argument")
    assert_error(admin.post("/api/v1/calendars", json=dict(spec, wekly_hours={})),
                 400, "invalid_argument")
    assert_error(admin.post("/api/v1/calendars", json=dict(spec, weekly_hours={})),
                 400, "invalid_argument", "weekly_hours")
    assert_error(admin.post("/api/v1/calendars", raw_body="[1]"), 400, "invalid_argument")
    # A calendar in use cannot go; an unused one can.
    pol = add_policy(admin, name="CN office hours", calendar=cal["id"],
                     conditions={"type": ["task"]}, targets={"resolution_minutes": 480})
    err = assert_error(admin.request("DELETE", f"/api/v1/calendars/{cal['id']}"), 409, "conflict")
    assert "CN office hours" in err["message"], err
    assert admin.request("DELETE", f"/api/v1/sla-policies/{pol['id']}").status == 204
    # Nor can one that an agent's working hours follow.
    agent = server.agent_session()
    r = agent.request("PUT", "/api/v1/me/availability", json={"calendar": cal["id"]})
    assert r.status == 200 and r.body["calendar"] == cal["id"], r
    err = assert_error(admin.request("DELETE", f"/api/v1/calendars/{cal['id']}"), 409, "conflict")
    assert "working hours" in err["message"], err
    assert agent.request("PUT", "/api/v1/me/availability", json={"calendar": None}).status == 200
    assert admin.request("DELETE", f"/api/v1/calendars/{cal['id']}").status == 204
    assert_error(admin.get(f"/api/v1/calendars/{cal['id']}"), 404, "not_found")
    assert agent.get("/api/v1/calendars").status == 200
    assert_error(agent.post("/api/v1/calendars", json=spec), 403, "permission_denied")


def test_policy_validation(server):
    admin = server.admin
    assert_error(admin.post("/api/v1/sla-policies", json={"name": "x"}), 400, "invalid_argument",
                 "targets")
    assert_error(admin.post("/api/v1/sla-policies", json={
        "name": "x", "conditions": {"priority": ["sky-high"]},
        "targets": {"first_response_minutes": 5}}), 400, "invalid_argument",
        "conditions.priority")
    assert_error(admin.post("/api/v1/sla-policies", json={
        "name": "x", "conditions": {"colour": ["red"]},
        "targets": {"first_response_minutes": 5}}), 400, "invalid_argument", "conditions.colour")
    assert_error(admin.post("/api/v1/sla-policies", json={
        "name": "x", "targets": {"first_response_minutes": 0}}), 400, "invalid_argument",
        "targets.first_response_minutes")
    assert_error(admin.post("/api/v1/sla-policies", json={
        "name": "x", "targets": {"first_response_minutes": "5"}}), 400, "invalid_argument",
        "targets.first_response_minutes")
    assert_error(admin.post("/api/v1/sla-policies", json={
        "name": "x", "calendar": 99999, "targets": {"first_response_minutes": 5}}),
        400, "invalid_argument", "calendar")
    assert_error(admin.post("/api/v1/sla-policies", json={
        "name": "x", "conditions": {"department": [99999]},
        "targets": {"first_response_minutes": 5}}), 400, "invalid_argument",
        "conditions.department")
    agent = server.agent_session()
    assert_error(agent.post("/api/v1/sla-policies", json={
        "name": "x", "targets": {"first_response_minutes": 5}}), 403, "permission_denied")


def test_policy_chosen_due_times_pause_and_priority_change(start_server):
    srv = start_server(clock=True)
    admin = srv.admin
    urgent = add_policy(admin, name="Urgent", position=1, conditions={"priority": ["urgent"]},
                        targets={"first_response_minutes": 60, "resolution_minutes": 240})
    normal = add_policy(admin, name="Everything else", position=2,
                        targets={"first_response_minutes": 480, "resolution_minutes": 2880})
    listed = [p["id"] for p in admin.get("/api/v1/sla-policies").body["items"]]
    assert listed == [urgent["id"], normal["id"]]

    t = new_ticket(admin, priority="urgent")
    sla = t["sla"]
    assert sla["policy"] == urgent["id"] and sla["paused"] is False, sla
    created = parse_time(t["created_at"])
    assert parse_time(sla["first_response_due_at"]) - created == timedelta(minutes=60)
    assert parse_time(sla["resolution_due_at"]) - created == timedelta(minutes=240)
    assert sla["first_response_remaining_seconds"] == 3600
    assert any(e["field"] == "sla_policy" and e["new"] == "Urgent"
               for e in history(admin, t["number"]))
    srv.advance(minutes=10)
    assert get_ticket(admin, t["number"])["sla"]["first_response_remaining_seconds"] == 3000

    # Pending pauses the clock: no due times while paused; they move out after the pause.
    patch(admin, t["number"], {"status": status_id(admin, "pending")})
    paused = get_ticket(admin, t["number"])["sla"]
    assert paused["paused"] is True and paused["resolution_due_at"] is None, paused
    srv.advance(hours=3)  # longer than the target: a paused clock never breaches
    patch(admin, t["number"], {"status": status_id(admin, "open")})
    resumed = get_ticket(admin, t["number"])["sla"]
    assert resumed["paused"] is False
    moved = parse_time(resumed["resolution_due_at"]) - parse_time(sla["resolution_due_at"])
    assert moved == timedelta(hours=3), moved
    assert not any(e["field"] == "sla_breach" for e in history(admin, t["number"]))

    # The agent's public reply meets the first response.
    reply(admin, t["number"], body="looking")
    after_reply = get_ticket(admin, t["number"])["sla"]
    assert after_reply["first_response_due_at"] is None
    assert after_reply["resolution_due_at"] == resumed["resolution_due_at"]

    # A normal ticket gets the catch-all; raising its priority switches policy, keeping time spent.
    n = new_ticket(admin)
    assert n["sla"]["policy"] == normal["id"]
    raised = patch(admin, n["number"], {"priority": "urgent"})
    assert raised["sla"]["policy"] == urgent["id"], raised["sla"]
    due = parse_time(raised["sla"]["resolution_due_at"])
    assert due - parse_time(n["created_at"]) == timedelta(minutes=240)
    changes = [e for e in history(admin, n["number"]) if e["field"] == "sla_policy"]
    assert [c["new"] for c in changes][-1] == "Urgent"
    assert changes[-1]["old"] == "Everything else"

    # Solving stops the clock.
    solved = patch(admin, n["number"], {"status": status_id(admin, "solved")})
    assert solved["sla"]["resolution_due_at"] is None


def test_no_policy_means_no_sla(fresh_server):
    t = new_ticket(fresh_server.admin)
    assert t["sla"]["policy"] is None and t["sla"]["first_response_due_at"] is None


def sla_marks(sess, number):
    """The ticket's SLA history: [(field, metric)] in order."""
    return [(e["field"], e["new"]) for e in history(sess, number)
            if e["field"] in ("sla_warning", "sla_breach")]


def events_of(receiver, kind):
    return [r for r in receiver.snapshot() if r["headers"]["X-Gongdan-Event"] == kind]


def test_warning_and_breach_reach_history_and_webhooks(start_server, tmp_path):
    rec = Receiver()
    try:
        cfg = write_config(tmp_path / "gongdan.toml")
        srv = start_server(args=["--config", str(cfg)], clock=True)
        admin = srv.admin
        hook = admin.post("/api/v1/webhooks", json={"url": rec.url,
                                                    "events": ["sla.warning", "sla.breach"]}).body
        # Two metrics: their timers run as one chain (warning, warning, breach, breach).
        add_policy(admin, name="One hour", targets={"first_response_minutes": 60,
                                                    "resolution_minutes": 60},
                   warning_minutes=60)
        t = new_ticket(admin)
        # The warning lead is the whole target: the warnings are due at once.
        srv.wait_idle()
        assert sla_marks(admin, t["number"]) == [("sla_warning", "first_response"),
                                                 ("sla_warning", "resolution")]
        warn = events_of(rec, "sla.warning")[0]
        assert signature_ok(warn, hook["secret"])
        assert warn["json"]["data"]["ticket"]["number"] == t["number"]
        # The breach comes at the due time, an hour after creation, and not a second before.
        srv.advance(minutes=59, seconds=59)
        assert not events_of(rec, "sla.breach")
        assert len(sla_marks(admin, t["number"])) == 2
        srv.advance(seconds=1)
        breach = events_of(rec, "sla.breach")
        assert breach and breach[0]["json"]["data"]["ticket"]["number"] == t["number"]
        assert sorted(m for f, m in sla_marks(admin, t["number"]) if f == "sla_breach") == [
            "first_response", "resolution"]
        # A ticket answered in time never breaches its first response.
        t2 = new_ticket(admin)
        reply(admin, t2["number"], body="answered quickly")
        srv.advance(hours=2)
        assert ("sla_breach", "first_response") not in sla_marks(admin, t2["number"])
        assert ("sla_breach", "resolution") in sla_marks(admin, t2["number"])
    finally:
        rec.close()


def test_breach_after_four_business_hours_across_the_spring_festival(start_server, tmp_path):
    """The calendar fixture's worked example, run on the test clock: a ticket opened on the
    make-up working Saturday 2026-02-14 at 17:30 in Shanghai with a four-business-hour first
    response is due Tuesday 2026-02-24 at 12:30, ten days later (half an hour on the Saturday,
    the festival 02-15..02-23 off, three and a half hours on the Tuesday). The warning an hour
    of business time before is Tuesday 11:30; nothing fires in between."""
    rec = Receiver()
    try:
        srv = start_server(args=["--config", str(write_config(tmp_path / "gongdan.toml"))],
                           clock="2026-02-14T09:30:00Z")
        admin = srv.admin
        admin.post("/api/v1/webhooks", json={"url": rec.url,
                                             "events": ["sla.warning", "sla.breach"]})
        spec = jsonlib.loads((FIXTURES / "calendars" / "cn-2026.json").read_text("utf-8"))
        cal = admin.post("/api/v1/calendars", json=spec).body
        add_policy(admin, name="Four business hours", calendar=cal["id"],
                   targets={"first_response_minutes": 240}, warning_minutes=60)
        t = new_ticket(admin)
        assert t["sla"]["first_response_due_at"] == "2026-02-24T04:30:00.000Z"
        # Saturday evening, the festival, the Monday it ends on: quiet.
        for day in range(15, 24):
            srv.set_clock(f"2026-02-{day:02d}T10:00:00Z")
            assert sla_marks(admin, t["number"]) == [], day
        srv.set_clock("2026-02-24T03:29:59Z")  # Tuesday 11:29:59 in Shanghai
        assert sla_marks(admin, t["number"]) == [] and rec.snapshot() == []
        srv.set_clock("2026-02-24T03:30:00Z")
        assert sla_marks(admin, t["number"]) == [("sla_warning", "first_response")]
        srv.set_clock("2026-02-24T04:29:59Z")
        assert len(sla_marks(admin, t["number"])) == 1
        srv.set_clock("2026-02-24T04:30:00Z")
        assert sla_marks(admin, t["number"]) == [("sla_warning", "first_response"),
                                                 ("sla_breach", "first_response")]
        assert [r["headers"]["X-Gongdan-Event"] for r in rec.snapshot()] == [
            "sla.warning", "sla.breach"]
        assert get_ticket(admin, t["number"])["sla"]["first_response_remaining_seconds"] == 0
    finally:
        rec.close()


def test_timers_of_tickets_created_together_share_a_job_and_all_fire(start_server):
    srv = start_server(clock=True)
    admin = srv.admin
    # The warning lead is the whole target: every new ticket's first timer is due at once.
    add_policy(admin, name="Shared timers", targets={"first_response_minutes": 30},
               warning_minutes=30)
    created = []
    with ThreadPoolExecutor(max_workers=12) as pool:
        # Tickets written in one batch queue one job for their timers. Which creates share a
        # batch is up to the writer: create until some did.
        for _ in range(10):
            created += pool.map(lambda i: new_ticket(admin, subject=f"together {i}"), range(24))
            kinds = [j["kind"] for j in admin.get("/api/v1/jobs?limit=200").body["items"]]
            if "sla_timers" in kinds:
                break
    assert "sla_timers" in kinds, kinds
    # Each ticket's warning fires once, whichever job carried its timer.
    srv.wait_idle()
    for t in created:
        assert sla_marks(admin, t["number"]) == [("sla_warning", "first_response")]
