"""Skill-based assignment, agent availability and working hours, pickup of waiting tickets when
an agent comes online or their load drops, reassignment when an agent goes offline: through
the real binary, with the reasons in each ticket's history. Pickups and reassignments are jobs:
the tests wait for the queue to be idle (the server runs on the test clock), and move the clock
to the start of an agent's working hours."""

import datetime
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import assert_error
from ticket_support import agent, email, make_department, new_ticket, patch, status_id, uniq


@pytest.fixture(scope="module")
def server(clocked_server):
    return clocked_server


def set_mode(admin, dept_id, mode, cap=None, reassign_offline=None):
    body = {"mode": mode}
    if cap is not None:
        body["max_open_per_agent"] = cap
    if reassign_offline is not None:
        body["reassign_offline"] = reassign_offline
    r = admin.request("PUT", f"/api/v1/departments/{dept_id}/assignment", json=body)
    assert r.status == 200, r
    return r.body


def set_skills(admin, agent_id, skills, expect=200):
    r = admin.request("PUT", f"/api/v1/agents/{agent_id}/skills", json={"skills": skills})
    assert r.status == expect, r
    return r.body


def set_availability(sess, body, agent_id=None, expect=200):
    path = f"/api/v1/agents/{agent_id}/availability" if agent_id else "/api/v1/me/availability"
    r = sess.request("PUT", path, json=body)
    assert r.status == expect, r
    return r.body


def assignee_id(ticket):
    return ticket["assignee"]["id"] if ticket["assignee"] else None


def ticket(sess, number):
    return sess.get(f"/api/v1/tickets/{number}").body


def reasons(sess, number):
    items = sess.get(f"/api/v1/tickets/{number}/history?limit=200").body["items"]
    return [e["new"] for e in items if e["field"] == "assignment"]


def after_jobs(srv, check):
    """What `check` says once the jobs queued so far (pickups, reassignments) have run."""
    srv.wait_idle()
    return check()


def zh_requester(admin):
    address = email("zh")
    r = admin.post("/api/v1/contacts", json={"email": address, "name": "客户", "locale": "zh-CN"})
    assert r.status == 201, r
    return address


def test_skills_and_availability_api_validation_and_permissions(server):
    admin = server.admin
    ag = agent(server)
    other = agent(server)
    me = ag.user["id"]
    # Admins set skills; they come back normalised, sorted, without repeats.
    got = set_skills(admin, me, ["Language:zh-cn", "tag:Billing", "type:incident", "tag:billing"])
    assert got == {"skills": ["language:zh-CN", "tag:billing", "type:incident"]}
    assert ag.get(f"/api/v1/agents/{me}/skills").body == got  # agents may read
    for body, field in [({"skills": ["billing"]}, "skills[0]"),
                        ({"skills": ["tag:ok", "language:fr"]}, "skills[1]"),
                        ({"skills": ["type:bug"]}, "skills[0]"),
                        ({"skills": ["field:no_such_field_xyz=1"]}, "skills"),
                        ({"skills": "tag:a"}, "skills"),
                        ({}, "skills"),
                        ({"skills": [], "extra": 1}, "extra")]:
        r = admin.request("PUT", f"/api/v1/agents/{me}/skills", json=body)
        assert_error(r, 400, "invalid_argument", field)
        assert r.body["error"]["message"], r
    assert_error(admin.request("PUT", "/api/v1/agents/999999/skills", json={"skills": []}),
                 404, "not_found")
    # An id that is not a positive number names no agent, on every route of an agent.
    for method, path in [("GET", "skills"), ("PUT", "skills"), ("GET", "availability"),
                         ("PUT", "availability")]:
        r = admin.request(method, f"/api/v1/agents/0x1/{path}", json={"skills": []})
        assert_error(r, 404, "not_found")
        assert r.body["error"]["message"] == "no such agent", r
    # Agents cannot set skills, not even their own.
    assert_error(ag.request("PUT", f"/api/v1/agents/{me}/skills", json={"skills": ["tag:x"]}),
                 403, "permission_denied")
    # Availability: agents start online around the clock and set their own.
    a = ag.get("/api/v1/me/availability").body
    assert a["status"] == "online" and a["assignable"] is True and a["calendar"] is None, a
    assert set_availability(ag, {"status": "away"})["status"] == "away"
    assert admin.get(f"/api/v1/agents/{me}/availability").body["status"] == "away"
    # ... but not anyone else's; admins may.
    assert_error(ag.request("PUT", f"/api/v1/agents/{other.user['id']}/availability",
                            json={"status": "offline"}), 403, "permission_denied")
    assert set_availability(admin, {"status": "offline"}, other.user["id"])["status"] == "offline"
    for body, field in [({"status": "busy"}, "status"), ({}, "status"),
                        ({"status": 1}, "status"), ({"calendar": 999999}, "calendar"),
                        ({"calendar": "x"}, "calendar")]:
        assert_error(ag.request("PUT", "/api/v1/me/availability", json=body),
                     400, "invalid_argument", field)
    cust = server.customer_session()
    assert_error(cust.request("PUT", "/api/v1/me/availability", json={"status": "online"}),
                 403, "permission_denied")
    assert_error(admin.request("PUT", "/api/v1/departments/1/assignment",
                               json={"mode": "skill_based", "reassign_offline": "yes"}),
                 400, "invalid_argument", "reassign_offline")


def test_skill_based_is_fair_and_matches_language_tags_and_fields(server):
    admin = server.admin
    dept = make_department(admin)
    key = uniq("cf_product_").lower()
    assert admin.post("/api/v1/custom-fields",
                      json={"key": key, "label": "Product", "type": "text"}).status == 201
    zh = [agent(server, departments=[dept["id"]]).user["id"] for _ in range(3)]
    en = agent(server, departments=[dept["id"]]).user["id"]
    router = agent(server, departments=[dept["id"]]).user["id"]
    for a in zh:
        set_skills(admin, a, ["language:zh-CN"])
    set_skills(admin, en, ["language:en"])
    set_skills(admin, router, ["language:en", "tag:billing", f"field:{key}=router"])
    assert set_mode(admin, dept["id"], "skill_based")["mode"] == "skill_based"
    requester = zh_requester(admin)
    with ThreadPoolExecutor(max_workers=10) as pool:
        made = list(pool.map(lambda i: new_ticket(admin, department=dept["id"],
                                                  requester=requester, subject=f"zh {i}"),
                             range(30)))
    counts = Counter(assignee_id(t) for t in made)
    assert counts == {a: 10 for a in zh}, counts
    first = min(made, key=lambda t: t["number"])
    why = reasons(admin, first["number"])
    assert why and why[0].startswith("skill_based open=") and why[0].endswith(
        " skills=language:zh-CN; ticket_created"), why
    # English tickets need language:en: the en agent or the router agent, by load.
    plain = new_ticket(admin, department=dept["id"])
    assert assignee_id(plain) in (en, router)
    # A billing ticket about the router needs all three of the router agent's skills.
    t = new_ticket(admin, department=dept["id"], tags=["billing"],
                   custom_fields={key: "router"})
    assert assignee_id(t) == router
    assert " skills=field:" in reasons(admin, t["number"])[0]
    # Tags nobody lists ask nothing; a combination nobody covers waits unassigned.
    assert assignee_id(new_ticket(admin, department=dept["id"], requester=requester,
                                  tags=["vip"])) in zh
    stuck = new_ticket(admin, department=dept["id"], requester=requester, tags=["billing"])
    assert assignee_id(stuck) is None
    # Giving an agent the missing skill picks the waiting ticket up. (The test clock stands
    # still: the pickup a change queues is keyed by agent and instant, so a second change of the
    # same agent's skills comes a second later, as it would in life.)
    server.advance(seconds=1)
    set_skills(admin, zh[0], ["language:zh-CN", "tag:billing"])
    got = after_jobs(server, lambda: assignee_id(ticket(admin, stuck["number"])))
    assert got == zh[0]
    assert reasons(admin, stuck["number"])[-1].endswith(f"; skills_changed agent={zh[0]}")


def test_availability_and_pickup_when_an_agent_comes_online(server):
    admin = server.admin
    dept = make_department(admin)
    s1, s2 = agent(server, departments=[dept["id"]]), agent(server, departments=[dept["id"]])
    a1, a2 = s1.user["id"], s2.user["id"]
    set_mode(admin, dept["id"], "round_robin")
    set_availability(s1, {"status": "away"})
    assert [assignee_id(new_ticket(admin, department=dept["id"])) for _ in range(3)] == [a2] * 3
    set_availability(s2, {"status": "offline"})
    waiting = [new_ticket(admin, department=dept["id"]) for _ in range(3)]
    assert [assignee_id(t) for t in waiting] == [None] * 3
    set_availability(s1, {"status": "online"})
    for t in waiting:
        assert after_jobs(server, lambda t=t: assignee_id(ticket(admin, t["number"]))) == a1
        assert reasons(admin, t["number"])[-1].endswith(f"; agent_online agent={a1}")
    # Picked up oldest first: the assignments' history ids follow the tickets' order.
    ids = []
    for t in waiting:
        items = admin.get(f"/api/v1/tickets/{t['number']}/history?limit=200").body["items"]
        ids.append([e["id"] for e in items if e["field"] == "assignment"][-1])
    assert ids == sorted(ids), ids


def test_pickup_when_load_drops_under_the_cap(server):
    admin = server.admin
    dept = make_department(admin)
    a1 = agent(server, departments=[dept["id"]]).user["id"]
    set_mode(admin, dept["id"], "least_loaded", cap=1)
    t1, t2, t3 = (new_ticket(admin, department=dept["id"]) for _ in range(3))
    assert [assignee_id(t) for t in (t1, t2, t3)] == [a1, None, None]
    patch(admin, t1["number"], {"status": status_id(admin, "solved")})
    assert after_jobs(server, lambda: assignee_id(ticket(admin, t2["number"]))) == a1
    assert reasons(admin, t2["number"])[-1].endswith(f"; load_dropped agent={a1}")
    assert assignee_id(ticket(admin, t3["number"])) is None  # a1 is at the cap again
    # Handing a ticket to someone outside the department also drops the load (a second later:
    # a pickup is keyed by agent and instant).
    server.advance(seconds=1)
    outsider = agent(server).user["id"]
    patch(admin, t2["number"], {"assignee": outsider})
    assert after_jobs(server, lambda: assignee_id(ticket(admin, t3["number"]))) == a1


def test_reassignment_when_an_agent_goes_offline(server):
    admin = server.admin
    dept = make_department(admin)
    keep = make_department(admin)
    s1 = agent(server, departments=[dept["id"], keep["id"]])
    a1 = s1.user["id"]
    a2 = agent(server, departments=[dept["id"]]).user["id"]
    a3 = agent(server, departments=[keep["id"]]).user["id"]
    set_mode(admin, dept["id"], "round_robin", reassign_offline=True)
    assert admin.get(f"/api/v1/departments/{dept['id']}/assignment").body["reassign_offline"]
    set_mode(admin, keep["id"], "round_robin")
    made = [new_ticket(admin, department=dept["id"]) for _ in range(4)]
    mine = [t for t in made if assignee_id(t) == a1]
    assert len(mine) == 2
    kept = new_ticket(admin, department=keep["id"], assignee=a1)
    set_availability(s1, {"status": "offline"})
    for t in mine:
        assert after_jobs(server, lambda t=t: assignee_id(ticket(admin, t["number"])) == a2)
        assert reasons(admin, t["number"])[-1].endswith(f"; offline_reassign agent={a1}")
    # A department without the option keeps the offline agent's tickets.
    assert assignee_id(ticket(admin, kept["number"])) == a1
    assert a3  # member of `keep`, never given a1's ticket
    # With nobody left online the tickets go back to the queue, and come back with an agent.
    s4 = agent(server, departments=[dept["id"]])
    set_availability(s4, {"status": "away"})
    set_availability(admin, {"status": "offline"}, a2)
    for t in made:
        assert after_jobs(server, lambda t=t: assignee_id(ticket(admin, t["number"])) is None)
    assert reasons(admin, made[0]["number"])[-1].startswith("queued; offline_reassign agent=")
    set_availability(s4, {"status": "online"})
    for t in made:
        assert after_jobs(server, lambda t=t: assignee_id(ticket(admin, t["number"]))) == \
            s4.user["id"]


def test_working_hours_keep_assignments_inside_them(server):
    admin = server.admin
    dept = make_department(admin)
    s1 = agent(server, departments=[dept["id"]])
    a2 = agent(server, departments=[dept["id"]]).user["id"]
    # A calendar whose only working day is three days from today (UTC): not working now.
    day = server.clock() + datetime.timedelta(days=3)
    name = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][day.weekday()]
    r = admin.post("/api/v1/calendars", json={"name": uniq("shift"), "time_zone": "UTC",
                                              "weekly_hours": {name: ["00:00-24:00"]}})
    assert r.status == 201, r
    a = set_availability(s1, {"calendar": r.body["id"]})
    assert a["status"] == "online" and a["working_now"] is False and a["assignable"] is False, a
    set_mode(admin, dept["id"], "least_loaded")
    assert {assignee_id(new_ticket(admin, department=dept["id"])) for _ in range(3)} == {a2}
    # Back to around the clock: the least loaded is now s1.
    assert set_availability(s1, {"calendar": None})["assignable"] is True
    assert assignee_id(new_ticket(admin, department=dept["id"])) == s1.user["id"]
    # The next shift start is scheduled as a durable job.
    set_availability(s1, {"calendar": r.body["id"]})
    jobs = admin.get("/api/v1/jobs?state=queued").body["items"]
    assert any(j["kind"] == "assignment" and "hours_began" in str(j["payload"])
               for j in jobs), jobs
    # With the other agent gone a ticket waits, until s1's working day begins.
    set_availability(admin, {"status": "offline"}, a2)
    waiting = new_ticket(admin, department=dept["id"])
    assert assignee_id(waiting) is None
    start = day.replace(hour=0, minute=0, second=0, microsecond=0)
    server.set_clock(start - datetime.timedelta(seconds=1))
    assert assignee_id(ticket(admin, waiting["number"])) is None
    server.set_clock(start)
    assert assignee_id(ticket(admin, waiting["number"])) == s1.user["id"]
    assert reasons(admin, waiting["number"])[-1].endswith(
        f"; hours_began agent={s1.user['id']}")
    assert admin.get(f"/api/v1/agents/{s1.user['id']}/availability").body["working_now"] is True


def test_tickets_by_mail_are_assigned_too(server):
    from mail_support import build_mail, mail_token, post_mail
    admin = server.admin
    dept = make_department(admin)
    a1 = agent(server, departments=[dept["id"]]).user["id"]
    set_mode(admin, dept["id"], "least_loaded")
    raw = build_mail(email("mail"), uniq("by mail "), "the printer is broken")
    made = post_mail(server, mail_token(server), raw, department=dept["id"], expect=201).body
    assert assignee_id(ticket(admin, made["ticket"])) == a1
    assert reasons(admin, made["ticket"]) == ["least_loaded open=0; ticket_created"]
