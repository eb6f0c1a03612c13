"""The permission matrix of the tickets issue, every cell asserted, and the side doors (search,
links, merge targets, history, attachments, bulk updates, list filters)."""
import pytest

from conftest import assert_error
from ticket_support import (agent, customer, make_department, new_ticket, reply, search_numbers,
                            set_departments, status_id, uniq)

ROLES = ("admin", "agent_a", "agent_all", "light", "cust1", "cust2", "org_peer", "nonshare_peer")
TICKETS = ("tA", "tB", "tU", "tOrg", "tNS")

# Who sees which ticket.
VISIBLE = {
    "admin": {"tA", "tB", "tU", "tOrg", "tNS"},
    "agent_a": {"tA", "tU"},
    "agent_all": {"tA", "tB", "tU", "tOrg", "tNS"},
    "light": {"tA", "tU"},
    "cust1": {"tA"},
    "cust2": {"tB", "tU"},
    "org_peer": {"tOrg"},
    "nonshare_peer": set(),
}
FIELD_EDITORS = {"admin", "agent_a", "agent_all"}
AGENTS = {"admin", "agent_a", "agent_all", "light"}


@pytest.fixture(scope="module")
def world(server, admin):
    dept_a = make_department(admin, uniq("A"))
    dept_b = make_department(admin, uniq("B"))
    shared_org = admin.post("/api/v1/organizations",
                            json={"name": uniq("Shared Co"), "shared_tickets": True}).body
    closed_org = admin.post("/api/v1/organizations",
                            json={"name": uniq("Private Co"), "shared_tickets": False}).body
    assert shared_org["shared_tickets"] is True
    s = {"admin": admin,
         "agent_a": agent(server, departments=[dept_a["id"]]),
         "agent_all": agent(server, all_departments=True),
         "light": agent(server, role="light_agent", departments=[dept_a["id"]]),
         "cust1": customer(server),
         "cust2": customer(server),
         "org_peer": customer(server, organization=shared_org["id"]),
         "nonshare_peer": customer(server, organization=closed_org["id"])}
    org_author = customer(server, organization=shared_org["id"])
    nonshare_author = customer(server, organization=closed_org["id"])
    words = {k: uniq("secretword") for k in TICKETS}
    t = {}
    t["tA"] = new_ticket(s["cust1"], requester=False, department=dept_a["id"],
                         subject=f"tA {words['tA']}")
    t["tB"] = new_ticket(s["cust2"], requester=False, department=dept_b["id"],
                         subject=f"tB {words['tB']}")
    t["tU"] = new_ticket(s["cust2"], requester=False, subject=f"tU {words['tU']}")
    t["tOrg"] = new_ticket(org_author, requester=False, department=dept_b["id"],
                           subject=f"tOrg {words['tOrg']}")
    t["tNS"] = new_ticket(nonshare_author, requester=False, department=dept_b["id"],
                          subject=f"tNS {words['tNS']}")
    assert t["tOrg"]["organization"]["id"] == shared_org["id"]
    numbers = {k: v["number"] for k, v in t.items()}
    return {"s": s, "n": numbers, "words": words, "dept_a": dept_a, "dept_b": dept_b,
            "shared_org": shared_org, "closed_org": closed_org}


CELLS = [(role, tk) for role in ROLES for tk in TICKETS]


@pytest.mark.parametrize("role,tk", CELLS)
def test_read_cell(world, role, tk):
    sess, n = world["s"][role], world["n"][tk]
    visible = tk in VISIBLE[role]
    for path in (f"/api/v1/tickets/{n}", f"/api/v1/tickets/{n}/messages",
                 f"/api/v1/tickets/{n}/history", f"/api/v1/tickets/{n}/links"):
        r = sess.get(path)
        if visible:
            assert r.status == 200, (role, tk, path, r)
        else:
            assert_error(r, 404, "not_found")
    listed = world["n"][tk] in [t["number"] for t in
                                sess.get("/api/v1/tickets?limit=200").body["items"]]
    assert listed == visible, (role, tk)
    found = search_numbers(sess, world["words"][tk])
    assert found == ([n] if visible else []), (role, tk, found)


@pytest.mark.parametrize("role,tk", CELLS)
def test_write_cell(world, role, tk):
    sess, n = world["s"][role], world["n"][tk]
    visible = tk in VISIBLE[role]
    # Field change (priority) — reverted afterwards so other cells see the same ticket.
    r = sess.patch(f"/api/v1/tickets/{n}", json={"priority": "high"})
    if not visible:
        assert_error(r, 404, "not_found")
    elif role in FIELD_EDITORS:
        assert r.status == 200 and r.body["priority"] == "high", r
        assert world["s"]["admin"].patch(f"/api/v1/tickets/{n}",
                                         json={"priority": "normal"}).status == 200
    else:
        assert_error(r, 403, "permission_denied")
    # Public reply.
    r = sess.post(f"/api/v1/tickets/{n}/messages", json={"body": f"public from {role}"})
    if role == "light":
        assert_error(r, 403, "permission_denied")  # never allowed, whatever the ticket
    elif not visible:
        assert_error(r, 404, "not_found")
    else:
        assert r.status == 201, (role, tk, r)
    # Internal note.
    r = sess.post(f"/api/v1/tickets/{n}/messages",
                  json={"body": f"note from {role}", "internal": True})
    if visible and role in AGENTS:
        assert r.status == 201 and r.body["internal"] is True, r
    elif role in AGENTS:
        assert_error(r, 404, "not_found")
    else:
        assert r.status in (403, 404), r
    # Never a note in a customer's view.
    if visible and role not in AGENTS:
        msgs = sess.get(f"/api/v1/tickets/{n}/messages?limit=200").body["items"]
        assert msgs and not any(m["internal"] for m in msgs), msgs


def test_customer_patch_only_solved_status(world):
    s, n = world["s"], world["n"]
    cust = s["cust1"]
    for body, field in (({"assignee": s["agent_a"].user["id"]}, "assignee"),
                        ({"status": status_id(s["admin"], "pending")}, "status"),
                        ({"organization": world["shared_org"]["id"]}, "organization"),
                        ({"department": world["dept_b"]["id"]}, "department")):
        assert_error(cust.patch(f"/api/v1/tickets/{n['tA']}", json=body), 403,
                     "permission_denied", field)
    # Another customer's ticket stays 404 even for a field they could set.
    assert_error(cust.patch(f"/api/v1/tickets/{n['tB']}",
                            json={"status": status_id(s["admin"], "solved")}), 404, "not_found")


def test_side_doors(server, world):
    s, n = world["s"], world["n"]
    admin, ag = s["admin"], s["agent_a"]
    # Links to hidden tickets are omitted.
    r = admin.post(f"/api/v1/tickets/{n['tA']}/links", json={"ticket": n["tB"], "kind": "related"})
    assert r.status == 200, r
    r = admin.post(f"/api/v1/tickets/{n['tA']}/links", json={"ticket": n["tU"], "kind": "parent"})
    assert r.status == 200, r
    assert {l["ticket"] for l in admin.get(f"/api/v1/tickets/{n['tA']}/links").body["items"]} == \
        {n["tB"], n["tU"]}
    assert [l["ticket"] for l in ag.get(f"/api/v1/tickets/{n['tA']}/links").body["items"]] == \
        [n["tU"]]
    assert [l["ticket"] for l in s["cust1"].get(
        f"/api/v1/tickets/{n['tA']}/links").body["items"]] == []
    # Linking to a hidden ticket: 404.
    assert_error(ag.post(f"/api/v1/tickets/{n['tA']}/links",
                         json={"ticket": n["tB"], "kind": "related"}), 404, "not_found")
    # Merge into a hidden target: 404 naming `into`; nothing changed.
    src = new_ticket(admin, department=world["dept_a"]["id"])["number"]
    assert_error(ag.post(f"/api/v1/tickets/{src}/merge", json={"into": n["tB"]}), 404,
                 "not_found", "into")
    assert admin.get(f"/api/v1/tickets/{src}").body["merged_into"] is None
    assert_error(ag.post(f"/api/v1/tickets/{n['tB']}/merge", json={"into": src}), 404,
                 "not_found")
    # Bulk: hidden numbers answer not_found per item; visible ones change.
    r = ag.post("/api/v1/tickets/bulk", json={"numbers": [n["tA"], n["tB"], 99999999],
                                              "changes": {"add_tags": ["bulkside"]}})
    assert r.status == 200, r
    items = {i["number"]: i for i in r.body["items"]}
    assert items[n["tA"]]["ok"] is True
    for hidden in (n["tB"], 99999999):
        assert items[hidden]["ok"] is False and items[hidden]["error"]["code"] == "not_found"
    assert "bulkside" not in admin.get(f"/api/v1/tickets/{n['tB']}").body["tags"]
    r = s["cust1"].post("/api/v1/tickets/bulk", json={"numbers": [n["tB"]],
                                                      "changes": {"priority": "low"}})
    assert r.status in (200, 403), r
    if r.status == 200:
        assert r.body["items"][0]["error"]["code"] == "not_found"
    # Filters naming another requester or organization give customers nothing.
    cust2_id = s["cust2"].user["id"]
    for sess in (s["cust1"], s["org_peer"], s["nonshare_peer"]):
        r = sess.get(f"/api/v1/tickets?requester={cust2_id}")
        assert r.status == 200 and r.body["items"] == [], r
    r = s["nonshare_peer"].get(f"/api/v1/tickets?organization={world['closed_org']['id']}")
    assert r.status == 200 and r.body["items"] == [], r
    r = s["cust1"].get(f"/api/v1/tickets?organization={world['shared_org']['id']}")
    assert r.body["items"] == []
    r = s["org_peer"].get(f"/api/v1/tickets?organization={world['shared_org']['id']}")
    assert [t["number"] for t in r.body["items"]] == [n["tOrg"]]
    assert search_numbers(s["cust1"], f"requester:{cust2_id}") == []
    # Customers don't get views.
    assert s["cust1"].get("/api/v1/views").status in (403, 404)
    assert s["cust1"].get("/api/v1/tickets?view=all_open").status in (403, 404)


def test_customer_follower_sees_the_ticket_everywhere(server, world):
    """Docs: customers see their own tickets and the tickets they follow."""
    s, admin = world["s"], world["s"]["admin"]
    follower = customer(server)
    word = uniq("followword")
    t = new_ticket(admin, department=world["dept_b"]["id"], subject=f"followed {word}")
    n = t["number"]
    assert_error(follower.get(f"/api/v1/tickets/{n}"), 404, "not_found")
    r = admin.patch(f"/api/v1/tickets/{n}", json={"add_followers": [follower.user["id"]]})
    assert r.status == 200, r
    assert follower.get(f"/api/v1/tickets/{n}").status == 200
    assert n in [x["number"] for x in follower.get("/api/v1/tickets").body["items"]]
    assert search_numbers(follower, word) == [n]


def test_followers_added_and_removed(server, world):
    """An agent removes a follower: the follower no longer sees the ticket, the history says
    who left, a second removal changes nothing, and a light agent may do neither."""
    s, admin = world["s"], world["s"]["admin"]
    follower = customer(server)
    n = new_ticket(admin, department=world["dept_a"]["id"])["number"]
    fid = follower.user["id"]
    assert s["agent_a"].patch(f"/api/v1/tickets/{n}", json={"add_followers": [fid]}).status == 200
    listed = s["agent_a"].get(f"/api/v1/tickets/{n}/followers").body["items"]
    assert [p["id"] for p in listed] == [fid] and listed[0]["email"] == follower.user["email"]
    assert follower.get(f"/api/v1/tickets/{n}").status == 200
    for body in ({"add_followers": [admin.user["id"]]}, {"remove_followers": [fid]}):
        assert_error(s["light"].patch(f"/api/v1/tickets/{n}", json=body), 403,
                     "permission_denied")
    assert_error(s["agent_a"].patch(f"/api/v1/tickets/{n}", json={"remove_followers": ["x"]}),
                 400, "invalid_argument", "remove_followers")
    r = s["agent_a"].patch(f"/api/v1/tickets/{n}", json={"remove_followers": [fid]})
    assert r.status == 200, r
    assert s["agent_a"].get(f"/api/v1/tickets/{n}/followers").body["items"] == []
    assert_error(follower.get(f"/api/v1/tickets/{n}"), 404, "not_found")
    assert s["agent_a"].patch(f"/api/v1/tickets/{n}", json={"remove_followers": [fid]}).status == 200
    events = [(e["old"], e["new"], e["actor"]["id"])
              for e in admin.get(f"/api/v1/tickets/{n}/history").body["items"]
              if e["field"] == "followers"]
    me = s["agent_a"].user["id"]
    assert events == [(None, str(fid), me), (str(fid), None, me)]


def test_assignment_and_department_changes_change_visibility(server, world):
    s, admin = world["s"], world["s"]["admin"]
    ag = agent(server, departments=[world["dept_a"]["id"]])
    n = new_ticket(admin, department=world["dept_b"]["id"])["number"]
    assert_error(ag.get(f"/api/v1/tickets/{n}"), 404, "not_found")
    assert admin.patch(f"/api/v1/tickets/{n}", json={"assignee": ag.user["id"]}).status == 200
    assert ag.get(f"/api/v1/tickets/{n}").status == 200  # assigned to them
    # Granting all departments, then taking them away.
    other = agent(server, departments=[world["dept_a"]["id"]])
    n2 = new_ticket(admin, department=world["dept_b"]["id"])["number"]
    assert other.get(f"/api/v1/tickets/{n2}").status == 404
    set_departments(admin, other.user["id"], [world["dept_a"]["id"]], all_departments=True)
    r = admin.get(f"/api/v1/agents/{other.user['id']}/departments")
    assert r.body == {"departments": [world["dept_a"]["id"]], "all_departments": True}
    assert other.get(f"/api/v1/tickets/{n2}").status == 200
    set_departments(admin, other.user["id"], [world["dept_a"]["id"]], all_departments=False)
    assert other.get(f"/api/v1/tickets/{n2}").status == 404
    # Non-admins cannot grant departments.
    r = ag.request("PUT", f"/api/v1/agents/{ag.user['id']}/departments",
                   json={"departments": [world["dept_b"]["id"]], "all_departments": True})
    assert_error(r, 403, "permission_denied")


def test_shared_organization_toggle_and_membership(server, world):
    admin = world["s"]["admin"]
    org = admin.post("/api/v1/organizations", json={"name": uniq("Toggle Co")}).body
    author = customer(server, organization=org["id"])
    peer = customer(server, organization=org["id"])
    n = new_ticket(author, requester=False)["number"]
    assert peer.get(f"/api/v1/tickets/{n}").status == 404
    r = admin.patch(f"/api/v1/organizations/{org['id']}", json={"shared_tickets": True})
    assert r.status == 200 and r.body["shared_tickets"] is True
    assert peer.get(f"/api/v1/tickets/{n}").status == 200
    assert [m["internal"] for m in
            peer.get(f"/api/v1/tickets/{n}/messages").body["items"]] == [False]
    # Leaving the organization ends it.
    r = admin.request("PUT", f"/api/v1/contacts/{peer.user['id']}/organization",
                      json={"organization": None})
    assert r.status == 204, r
    assert peer.get(f"/api/v1/tickets/{n}").status == 404
    # Only admins manage organizations.
    assert_error(world["s"]["agent_a"].post("/api/v1/organizations", json={"name": "x"}), 403,
                 "permission_denied")
    assert_error(author.request("PUT", f"/api/v1/contacts/{author.user['id']}/organization",
                                json={"organization": None}), 403, "permission_denied")


def test_anonymous_and_read_only_tokens(server, world):
    n = world["n"]["tA"]
    for method, path in (("GET", "/api/v1/tickets"), ("GET", f"/api/v1/tickets/{n}"),
                         ("POST", "/api/v1/tickets"), ("PATCH", f"/api/v1/tickets/{n}"),
                         ("GET", f"/api/v1/tickets/{n}/messages"), ("GET", "/api/v1/views"),
                         ("GET", "/api/v1/search?q=x"), ("POST", "/api/v1/tickets/bulk")):
        assert_error(server.request(method, path, json={} if method != "GET" else None), 401,
                     "unauthenticated")
    admin = world["s"]["admin"]
    tok = admin.post("/api/v1/tokens", json={"name": uniq("ro"), "scopes": ["read"]}).body["token"]
    ro = server.bearer(tok)
    assert ro.get(f"/api/v1/tickets/{n}").status == 200
    assert_error(ro.patch(f"/api/v1/tickets/{n}", json={"priority": "low"}), 403,
                 "permission_denied")
    assert_error(ro.post(f"/api/v1/tickets/{n}/messages", json={"body": "x"}), 403,
                 "permission_denied")
    assert_error(ro.post("/api/v1/tickets", json={"subject": "s", "body": "b",
                                                   "requester": {"email": "ro@example.com"}}),
                 403, "permission_denied")
    # Session writes need the CSRF token.
    r = admin.request("PATCH", f"/api/v1/tickets/{n}", json={"priority": "low"}, csrf=False)
    assert_error(r, 403, "permission_denied")
