"""Ticket lists (filters, sort, cursor pagination, bad parameters) and views whose counts must
equal what their lists hold, through creates, status changes, reassignments and merges."""
import datetime
import threading
from urllib.parse import urlencode

import pytest

from conftest import assert_error
from ticket_support import (agent, customer, list_all, make_department, new_ticket, patch,
                            reply, status_id, uniq, view_counts)

PRIORITY_RANK = {"low": 0, "normal": 1, "high": 2, "urgent": 3}
PRIORITIES = ("low", "normal", "high", "urgent")


def all_tickets(sess, params=None):
    """Every ticket visible to sess with full JSON, walking pages of 200."""
    out, cursor = [], None
    params = dict(params or {})
    while True:
        q = dict(params, limit="200")
        if cursor:
            q["cursor"] = cursor
        r = sess.get("/api/v1/tickets?" + urlencode(q))
        assert r.status == 200, r
        out.extend(r.body["items"])
        cursor = r.body["next_cursor"]
        if not cursor:
            return out


@pytest.fixture(scope="module")
def data(server, admin):
    d1 = make_department(admin, uniq("ListA"))
    d2 = make_department(admin, uniq("ListB"))
    ag = agent(server, departments=[d1["id"]])
    requester = customer(server)
    created = []
    lock = threading.Lock()

    def worker(i):
        for j in range(15):
            k = i * 15 + j
            payload = {"priority": PRIORITIES[k % 4],
                       "department": [d1["id"], d2["id"], None][k % 3],
                       "tags": ["vip"] if k % 5 == 0 else []}
            if payload["department"] is None:
                del payload["department"]
            if k % 7 == 0:
                t = new_ticket(admin, requester={"email": requester.user["email"], "name": "R"},
                               **payload)
            else:
                t = new_ticket(admin, **payload)
            with lock:
                created.append(t["number"])

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert len(created) == 120
    # Some assignments and status changes.
    open_id, pending_id, solved_id = (status_id(admin, c) for c in ("open", "pending", "solved"))
    for i, n in enumerate(sorted(created)[:30]):
        ch = {}
        if i % 3 == 0:
            ch["assignee"] = ag.user["id"]
        if i % 3 == 1:
            ch["assignee"] = admin.user["id"]
        ch["status"] = [open_id, pending_id, solved_id][i % 3]
        patch(admin, n, ch)
    return {"d1": d1, "d2": d2, "agent": ag, "requester": requester, "numbers": sorted(created)}


@pytest.mark.parametrize("sort", ["-updated_at", "updated_at", "-created_at", "created_at",
                                  "-priority"])
def test_cursor_walks_every_ticket_once_in_order(server, admin, data, sort):
    everything = {t["number"]: t for t in all_tickets(admin)}
    seen, cursor, pages = [], None, 0
    while True:
        q = {"limit": "50", "sort": sort}
        if cursor:
            q["cursor"] = cursor
        r = admin.get("/api/v1/tickets?" + urlencode(q))
        assert r.status == 200, r
        assert len(r.body["items"]) <= 50
        seen.extend(r.body["items"])
        pages += 1
        cursor = r.body["next_cursor"]
        if not cursor:
            break
    numbers = [t["number"] for t in seen]
    assert len(numbers) == len(set(numbers)), "duplicates across pages"
    assert set(numbers) == set(everything), "gaps across pages"
    assert pages == -(-len(everything) // 50)
    key = {"-updated_at": lambda t: t["updated_at"], "updated_at": lambda t: t["updated_at"],
           "-created_at": lambda t: t["created_at"], "created_at": lambda t: t["created_at"],
           "-priority": lambda t: PRIORITY_RANK[t["priority"]]}[sort]
    keys = [key(t) for t in seen]
    assert keys == sorted(keys, reverse=sort.startswith("-")), sort


def test_multi_category_list_pages_without_gaps(server, admin, data):
    expect = {t["number"] for t in all_tickets(admin)
              if t["status"]["category"] in ("new", "open", "pending")}
    got = list_all(admin, {"status_category": "new,open,pending"}, limit=7)
    assert len(got) == len(set(got)) and set(got) == expect


def check_filter(sess, params, pred, universe):
    expect = {t["number"] for t in universe if pred(t)}
    got = list_all(sess, params, limit=37)
    assert len(got) == len(set(got)), params
    assert set(got) == expect, (params, sorted(expect ^ set(got)))
    return expect


def test_filters(server, admin, data):
    everything = all_tickets(admin)
    ag, d1, d2 = data["agent"], data["d1"], data["d2"]
    assert check_filter(admin, {"status_category": "new"},
                        lambda t: t["status"]["category"] == "new", everything)
    check_filter(admin, {"status_category": "pending,solved"},
                 lambda t: t["status"]["category"] in ("pending", "solved"), everything)
    sid = status_id(admin, "open")
    check_filter(admin, {"status": str(sid)}, lambda t: t["status"]["id"] == sid, everything)
    check_filter(admin, {"department": str(d1["id"])},
                 lambda t: (t["department"] or {}).get("id") == d1["id"], everything)
    check_filter(admin, {"department": "none"}, lambda t: t["department"] is None, everything)
    check_filter(admin, {"department": f"{d2['id']},none"},
                 lambda t: t["department"] is None or t["department"]["id"] == d2["id"],
                 everything)
    assert check_filter(admin, {"assignee": "me"},
                        lambda t: (t["assignee"] or {}).get("id") == admin.user["id"], everything)
    check_filter(admin, {"assignee": "none"}, lambda t: t["assignee"] is None, everything)
    check_filter(admin, {"assignee": str(ag.user["id"])},
                 lambda t: (t["assignee"] or {}).get("id") == ag.user["id"], everything)
    assert check_filter(admin, {"tag": "VIP"}, lambda t: "vip" in t["tags"], everything)
    check_filter(admin, {"priority": "high,urgent"},
                 lambda t: t["priority"] in ("high", "urgent"), everything)
    req_id = data["requester"].user["id"]
    assert check_filter(admin, {"requester": str(req_id)},
                        lambda t: t["requester"]["id"] == req_id, everything)
    # Combined.
    check_filter(admin, {"priority": "urgent", "department": str(d1["id"]), "tag": "vip"},
                 lambda t: t["priority"] == "urgent" and "vip" in t["tags"]
                 and (t["department"] or {}).get("id") == d1["id"], everything)
    # The department agent: the filter narrows within what they may see.
    mine = all_tickets(ag)
    assert all(t["department"] is None or t["department"]["id"] == d1["id"]
               or (t["assignee"] or {}).get("id") == ag.user["id"] for t in mine)
    check_filter(ag, {"assignee": "me"},
                 lambda t: (t["assignee"] or {}).get("id") == ag.user["id"], everything)
    assert list_all(ag, {"department": str(d2["id"])}) == [
        t["number"] for t in all_tickets(admin, {"department": str(d2["id"])})
        if (t["assignee"] or {}).get("id") == ag.user["id"]]
    # Customers: their own.
    own = list_all(data["requester"])
    assert set(own) == {t["number"] for t in everything if t["requester"]["id"] == req_id}


def test_time_ranges(start_server):
    srv = start_server(clock=True)
    admin = srv.admin
    fmt = lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ")
    old = new_ticket(admin)["number"]
    # A mark strictly after every earlier write, and strictly before every later one.
    mark = srv.advance(hours=1)
    srv.advance(seconds=1)
    n = new_ticket(admin)["number"]
    later = mark + datetime.timedelta(seconds=30)
    recent = list_all(admin, {"created_from": fmt(mark)})
    assert recent == [n], recent
    assert n not in list_all(admin, {"created_to": fmt(mark)})
    assert n in list_all(admin, {"created_from": fmt(mark), "created_to": fmt(later)})
    assert list_all(admin, {"created_from": fmt(later)}) == []
    patch(admin, old, {"add_tags": ["touched"]})
    assert set(list_all(admin, {"updated_from": fmt(mark)})) == {n, old}
    assert old in list_all(admin, {"created_to": fmt(mark), "updated_from": fmt(mark)})
    today = mark.date().isoformat()
    assert n in list_all(admin, {"created_from": today})
    assert list_all(admin, {"created_to": "2000-01-01"}) == []


@pytest.mark.parametrize("query,field", [
    ("limit=0", "limit"), ("limit=201", "limit"), ("limit=abc", "limit"), ("limit=-5", "limit"),
    ("cursor=zzz", "cursor"), ("cursor=1", "cursor"), ("cursor=1.x", "cursor"),
    ("sort=subject", "sort"), ("sort=-updated", "sort"), ("status_category=done", "status_category"),
    ("priority=mega", "priority"), ("department=abc", "department"), ("assignee=me2", "assignee"),
    ("created_from=2026-13-01", "created_from"), ("updated_to=yesterday", "updated_to"),
    ("created_from=2026-02-30", "created_from"), ("type=bug", "type"), ("status=x", "status"),
    ("requester=-1", "requester"),
])
def test_bad_list_parameters(server, admin, query, field):
    assert_error(admin.get("/api/v1/tickets?" + query), 400, "invalid_argument", field)


def test_unknown_view_is_404(server, admin):
    assert_error(admin.get("/api/v1/tickets?view=nope"), 404, "not_found")
    assert_error(admin.get("/api/v1/tickets?view=99999"), 404, "not_found")


# --------------------------------------------------------------------------------------------
# Views


def view_mismatches(sessions):
    bad = []
    for name, sess in sessions.items():
        r = sess.get("/api/v1/views")
        assert r.status == 200, r
        for v in r.body["items"]:
            listed = list_all(sess, {"view": str(v["id"])})
            assert len(listed) == len(set(listed))
            if len(listed) != v["count"]:
                bad.append((name, v["id"], v["name"], "count", v["count"], "listed", len(listed)))
    return bad


def test_builtin_views_have_the_expected_members(server, admin, data):
    counts = view_counts(admin)
    assert {"my_open", "unassigned", "all_open", "pending", "recently_solved"} <= set(counts)
    everything = all_tickets(admin)
    mine = [t["number"] for t in everything if (t["assignee"] or {}).get("id") == admin.user["id"]
            and t["status"]["category"] in ("new", "open", "pending", "on_hold")]
    assert sorted(list_all(admin, {"view": "my_open"})) == sorted(mine)
    all_open = [t["number"] for t in everything if t["status"]["category"] in ("new", "open")]
    assert sorted(list_all(admin, {"view": "all_open"})) == sorted(all_open)
    solved = [t["number"] for t in everything if t["status"]["category"] == "solved"]
    assert sorted(list_all(admin, {"view": "recently_solved"})) == sorted(solved)


def test_view_counts_follow_every_change(server, admin, data):
    ag = data["agent"]
    other_agent = agent(server, departments=[data["d2"]["id"]])
    sessions = {"admin": admin, "agent_d1": ag, "agent_d2": other_agent}
    # Saved views: personal (agent, admin) and shared (admin), one shared using "me".
    r = ag.post("/api/v1/views", json={"name": "my urgent", "filters": {"priority": ["urgent"]}})
    assert r.status == 201 and r.body["shared"] is False, r
    r = ag.post("/api/v1/views", json={"name": "mine", "filters": {"assignee": ["me"],
                                                                  "status_category": ["open"]}})
    assert r.status == 201, r
    assert_error(ag.post("/api/v1/views", json={"name": "x", "shared": True}), 403,
                 "permission_denied")
    r = admin.post("/api/v1/views", json={"name": "vip shared", "shared": True,
                                          "filters": {"tag": "vip"}, "sort": "-priority"})
    assert r.status == 201 and r.body["shared"] is True, r
    shared_vip = r.body["id"]
    r = admin.post("/api/v1/views", json={"name": "my pending shared", "shared": True,
                                          "filters": {"assignee": ["me"],
                                                      "status_category": ["pending"]}})
    assert r.status == 201, r
    assert str(shared_vip) in view_counts(ag) and str(shared_vip) in view_counts(other_agent)
    problems = [("initial",) + m for m in view_mismatches(sessions)]
    # Creates, status changes, reassignments, merges.
    n1 = new_ticket(admin, priority="urgent", department=data["d1"]["id"], tags=["vip"])["number"]
    n2 = new_ticket(admin, priority="urgent", department=data["d2"]["id"])["number"]
    n3 = new_ticket(admin, department=data["d2"]["id"], tags=["vip"])["number"]
    problems += [("after creates",) + m for m in view_mismatches(sessions)]
    patch(admin, n1, {"status": status_id(admin, "pending"), "assignee": ag.user["id"]})
    patch(admin, n3, {"assignee": ag.user["id"], "status": status_id(admin, "open")})
    patch(admin, n2, {"status": status_id(admin, "solved")})
    problems += [("after status/assign",) + m for m in view_mismatches(sessions)]
    r = admin.post(f"/api/v1/tickets/{n3}/merge", json={"into": n1})
    assert r.status == 200, r
    problems += [("after merge",) + m for m in view_mismatches(sessions)]
    patch(admin, n1, {"department": data["d2"]["id"], "priority": "low"})
    reply(admin, n2, body="reopen?", status=status_id(admin, "open"))
    problems += [("after moves",) + m for m in view_mismatches(sessions)]
    assert not problems, "\n".join(map(str, problems))


def test_saved_view_crud_and_lists(server, admin, data):
    ag = data["agent"]
    r = ag.post("/api/v1/views", json={"name": "high d1", "sort": "created_at",
                                       "filters": {"priority": ["high"],
                                                   "department": [data["d1"]["id"]]}})
    assert r.status == 201, r
    vid = r.body["id"]
    listed = list_all(ag, {"view": str(vid)})
    expect = [t["number"] for t in all_tickets(admin, {"priority": "high",
                                                      "department": str(data["d1"]["id"]),
                                                      "sort": "created_at"})]
    assert listed == expect
    assert view_counts(ag)[str(vid)] == len(expect)
    # Another agent neither sees nor uses nor changes it.
    other = agent(server)
    assert str(vid) not in view_counts(other)
    assert_error(other.get(f"/api/v1/tickets?view={vid}"), 404, "not_found")
    assert_error(other.patch(f"/api/v1/views/{vid}", json={"name": "mine"}), 404, "not_found")
    assert_error(other.delete(f"/api/v1/views/{vid}"), 404, "not_found")
    # Change the filters: the count follows at once.
    r = ag.patch(f"/api/v1/views/{vid}", json={"filters": {"priority": ["low"],
                                                           "department": [data["d1"]["id"]]}})
    assert r.status == 200, r
    n_low = len(all_tickets(admin, {"priority": "low", "department": str(data["d1"]["id"])}))
    assert view_counts(ag)[str(vid)] == n_low
    for bad, field in (({"name": ""}, "name"), ({"filters": {"colour": "red"}}, "filters.colour"),
                       ({"filters": {"priority": ["mega"]}}, "filters.priority"),
                       ({"sort": "subject"}, "sort"), ({"filters": []}, "filters")):
        assert_error(ag.post("/api/v1/views", json={"name": "v", **bad}), 400,
                     "invalid_argument", field)
    assert ag.delete(f"/api/v1/views/{vid}").status == 204
    assert str(vid) not in view_counts(ag)
    assert_error(ag.get(f"/api/v1/tickets?view={vid}"), 404, "not_found")
    cust = customer(server)
    assert cust.post("/api/v1/views", json={"name": "x"}).status == 403


def test_saved_view_made_during_ticket_writes_counts_right(fresh_server):
    """A view saved while tickets are being written must still count every matching ticket
    (writes that loaded the settings before the view existed must not be lost)."""
    admin = fresh_server.admin
    stop = threading.Event()

    def writer():
        while not stop.is_set():
            new_ticket(admin, priority="urgent")

    ts = [threading.Thread(target=writer) for _ in range(6)]
    [t.start() for t in ts]
    try:
        vids = []
        for _ in range(10):
            r = admin.post("/api/v1/views", json={"name": uniq("race"),
                                                  "filters": {"priority": ["urgent"]}})
            assert r.status == 201, r
            vids.append(r.body["id"])
    finally:
        stop.set()
        [t.join() for t in ts]
    counts = view_counts(admin)
    total = len(list_all(admin, {"priority": "urgent"}))
    bad = {v: counts[str(v)] for v in vids if counts[str(v)] != total}
    assert not bad, f"{total} urgent tickets; saved views count {bad}"
