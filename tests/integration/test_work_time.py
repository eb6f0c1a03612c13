"""Handle time (docs/metrics.md): the desk's heartbeats while an agent works on a ticket, capped
by the wall time since the previous one (the test clock moves it), per ticket and in the reports;
bad heartbeats refused clearly; the same over the live stream."""
from conftest import assert_error
from test_reports import xlsx_rows
from test_tickets_stream import connect, flush
from ticket_support import (agent, customer, make_department, new_ticket, patch, status_id)

DAY = {"tz": "UTC"}


def beat(sess, number, ms, expect=200):
    r = sess.post(f"/api/v1/tickets/{number}/work-time", json={"ms": ms})
    assert r.status == expect, r
    return r.body


def spent(sess, number):
    r = sess.get(f"/api/v1/tickets/{number}/work-time")
    assert r.status == 200, r
    return r.body


def report(sess, metric, day, **params):
    query = "&".join(f"{k}={v}" for k, v in {"from": day, "to": day, **DAY, **params}.items())
    r = sess.get(f"/api/v1/reports/{metric}?{query}")
    assert r.status == 200, r
    return r.body


def test_a_heartbeat_adds_at_most_the_wall_time_since_the_previous(start_server):
    server = start_server(clock=True)
    admin = server.admin
    dept = make_department(admin)["id"]
    ag = agent(server, departments=[dept])
    number = new_ticket(admin, department=dept)["number"]
    # The first heartbeat starts the count.
    assert beat(ag, number, 30000) == {"added_ms": 0, "total_ms": 0}
    server.advance(seconds=30)
    assert beat(ag, number, 30000) == {"added_ms": 30000, "total_ms": 30000}
    # No time passed: a forged or repeated claim adds nothing.
    assert beat(ag, number, 600000)["added_ms"] == 0
    # Less claimed than passed: the claim (the tab was hidden part of the time).
    server.advance(seconds=30)
    assert beat(ag, number, 12000)["added_ms"] == 12000
    # Two tabs on the ticket, each beating every 30 s, 15 s apart: the time counts once.
    server.advance(seconds=15)
    assert beat(ag, number, 30000)["added_ms"] == 15000
    server.advance(seconds=15)
    assert beat(ag, number, 30000)["added_ms"] == 15000
    server.advance(seconds=15)
    assert beat(ag, number, 30000)["added_ms"] == 15000
    total = 30000 + 12000 + 3 * 15000
    # An admin worked on it too; each has their own count.
    assert beat(admin, number, 0)["added_ms"] == 0
    server.advance(minutes=5)
    assert beat(admin, number, 300000) == {"added_ms": 300000, "total_ms": 300000}
    body = spent(admin, number)
    assert body["total_ms"] == total + 300000
    assert [(p["person"]["id"], p["ms"]) for p in body["people"]] == \
        [(admin.user["id"], 300000), (ag.user["id"], total)]
    assert spent(ag, number)["total_ms"] == total + 300000


def test_bad_heartbeats_are_refused_clearly(start_server):
    server = start_server(clock=True)
    admin = server.admin
    dept_a, dept_b = make_department(admin)["id"], make_department(admin)["id"]
    ag = agent(server, departments=[dept_a])
    mine = new_ticket(admin, department=dept_a)["number"]
    other = new_ticket(admin, department=dept_b)["number"]
    url = f"/api/v1/tickets/{mine}/work-time"
    assert_error(ag.post(url, json={"ms": -1}), 400, "invalid_argument", "ms")
    assert_error(ag.post(url, json={"ms": 600001}), 400, "invalid_argument", "ms")
    assert_error(ag.post(url, json={"ms": 2 ** 62}), 400, "invalid_argument", "ms")
    assert_error(ag.post(url, json={"ms": "30000"}), 400, "invalid_argument", "ms")
    assert_error(ag.post(url, json={"ms": 1.5}), 400, "invalid_argument", "ms")
    assert_error(ag.post(url, json={}), 400, "invalid_argument", "ms")
    assert_error(ag.post(url, json={"ms": 1, "user": 1}), 400, "invalid_argument")
    assert_error(ag.post(url, raw_body=b"not json", headers={"Content-Type": "application/json"}),
                 400, "invalid_argument")
    # A ticket that does not exist, one of another department, a number that is not one.
    assert_error(ag.post("/api/v1/tickets/999999/work-time", json={"ms": 1}), 404, "not_found")
    assert_error(ag.post(f"/api/v1/tickets/{other}/work-time", json={"ms": 1}), 404,
                 "not_found")
    assert_error(ag.get(f"/api/v1/tickets/{other}/work-time"), 404, "not_found")
    assert_error(ag.post("/api/v1/tickets/x1/work-time", json={"ms": 1}), 404, "not_found")
    # Customers record nothing and read nothing, even on their own ticket.
    cust = customer(server)
    own = new_ticket(cust, requester=False)["number"]
    assert_error(cust.post(f"/api/v1/tickets/{own}/work-time", json={"ms": 1}), 403,
                 "permission_denied")
    assert_error(cust.get(f"/api/v1/tickets/{own}/work-time"), 403, "permission_denied")
    # Nothing of it counted.
    assert spent(admin, mine) == {"total_ms": 0, "people": []}
    assert spent(admin, other) == {"total_ms": 0, "people": []}


def test_handle_time_in_the_reports_by_agent_and_dimension(start_server):
    server = start_server(clock="2026-03-02T02:00:00Z")
    admin = server.admin
    dept = make_department(admin)
    ag = agent(server, departments=[dept["id"]])
    other = agent(server, departments=[dept["id"]])
    high = new_ticket(admin, department=dept["id"], priority="high")["number"]
    low = new_ticket(admin, department=dept["id"], priority="low")["number"]
    for sess, number in ((ag, high), (ag, low), (other, high)):
        beat(sess, number, 0)
    server.advance(minutes=2)
    assert beat(ag, high, 120000)["added_ms"] == 120000
    assert beat(ag, low, 60000)["added_ms"] == 60000
    assert beat(other, high, 90000)["added_ms"] == 90000
    # Solving the high ticket: handle time per solved ticket.
    patch(admin, high, {"status": status_id(admin, "solved"), "assignee": ag.user["id"]})
    server.wait_idle()
    day = "2026-03-02"
    total = report(admin, "handle_time", day)
    assert total["unit"] == "milliseconds"
    assert total["total"]["value"] == 270000
    by_agent = {r["key"]: r["value"] for r in report(admin, "handle_time", day,
                                                     group_by="agent")["rows"]}
    assert by_agent == {str(ag.user["id"]): 180000, str(other.user["id"]): 90000}
    by_priority = {r["key"]: r["value"] for r in report(admin, "handle_time", day,
                                                        group_by="priority")["rows"]}
    assert by_priority == {"high": 210000, "low": 60000}
    by_dept = report(admin, "handle_time", day, group_by="department")["rows"]
    assert [(r["key"], r["value"]) for r in by_dept] == [(str(dept["id"]), 270000)]
    by_channel = report(admin, "handle_time", day, group_by="channel")["rows"]
    assert sum(r["value"] for r in by_channel) == 270000
    per_solve = report(admin, "handle_time_per_solve", day)
    assert per_solve["unit"] == "milliseconds"
    assert (per_solve["total"]["value"], per_solve["total"]["count"]) == (270000, 1)
    # An agent sees their own time only.
    own = report(ag, "handle_time", day)
    assert own["scope"] == "own" and own["total"]["value"] == 180000
    # The same in the exports.
    r = admin.get(f"/api/v1/reports/handle_time?from={day}&to={day}&tz=UTC&group_by=agent"
                  "&format=csv")
    assert r.status == 200
    text = r.body if isinstance(r.body, str) else r.body.decode()
    assert f'"{ag.user["id"]}",' in text and '"total","total",270000,' in text, text
    r = admin.get(f"/api/v1/reports/handle_time?from={day}&to={day}&tz=UTC&format=xlsx")
    assert r.status == 200
    assert xlsx_rows(r.raw)[-1][:3] == ["total", "total", 270000.0]
    # Once the day is folded (its day in China holds the same hours), the folded day reads the
    # same as the hours.
    server.advance(days=1)
    for group in ("", "agent", "priority", "department"):
        assert report(admin, "handle_time", day, group_by=group, tz="Asia/Shanghai")["rows"] == \
            report(admin, "handle_time", day, group_by=group)["rows"], group
    assert report(admin, "handle_time", day, tz="Asia/Shanghai")["total"]["value"] == 270000
    # A rebuild puts each span back under the ticket's dimensions when it was counted.
    proc = server.cli("reports", "rebuild")
    assert proc.returncode == 0, proc.stderr
    assert {r["key"]: r["value"] for r in report(admin, "handle_time", day,
                                                 group_by="priority")["rows"]} == by_priority


def test_heartbeats_over_the_live_stream(start_server):
    server = start_server(clock=True)
    admin = server.admin
    dept = make_department(admin)["id"]
    ag = agent(server, departments=[dept])
    number = new_ticket(admin, department=dept)["number"]
    hidden = new_ticket(admin, department=make_department(admin)["id"])["number"]
    with connect(server, ag) as ws:
        ws.send({"type": "work", "ticket": number, "ms": 0})
        assert flush(ws) == []
        server.advance(seconds=30)
        ws.send({"type": "work", "ticket": number, "ms": 30000})
        ws.send({"type": "work", "ticket": number, "ms": -5})
        ws.send({"type": "work", "ticket": hidden, "ms": 30000})
        ws.send({"type": "work", "ticket": number})
        errors = [m for m in flush(ws) if m.get("type") == "error"]
        assert [e["message"] for e in errors] == [
            "ms must be 0 or more", "no such ticket", "work needs ticket and ms"], errors
    assert spent(admin, number)["total_ms"] == 30000
    assert spent(admin, hidden)["total_ms"] == 0
