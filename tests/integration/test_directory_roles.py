"""The directory each role reads: admins everyone; supervisors, agents and light agents the
colleagues a ticket may be assigned to and every contact and organization; customers nothing.
The desk builds its assignee lists and contact pages from these answers."""

import pytest

from conftest import assert_error
from ticket_support import agent, customer, make_department, new_ticket

STAFF = ("supervisor", "agent", "light_agent")


def all_pages(sess, path, limit=2):
    items, cursor = [], None
    while True:
        r = sess.get(f"{path}{'&' if '?' in path else '?'}limit={limit}"
                     + (f"&cursor={cursor}" if cursor else ""))
        assert r.status == 200, r
        items += r.body["items"]
        cursor = r.body["next_cursor"]
        if not cursor:
            return items


@pytest.fixture(scope="module")
def people(server):
    admin = server.admin
    dept = make_department(admin)
    world = {"dept": dept}
    for role in ("supervisor", "agent", "light_agent"):
        world[role] = agent(server, role=role, departments=[dept["id"]])
    world["colleague"] = agent(server, role="agent", departments=[dept["id"]])
    gone, _ = server.create_agent(role="agent")
    assert admin.patch(f"/api/v1/agents/{gone['id']}", json={"active": False}).status == 200
    world["gone"] = gone
    world["customer"] = customer(server)
    org = admin.post("/api/v1/organizations", json={"name": "Directory org"})
    assert org.status == 201, org
    world["org"] = org.body
    return world


def test_admin_reads_every_agent(server, people):
    ids = {u["id"] for u in all_pages(server.admin, "/api/v1/agents")}
    assert people["gone"]["id"] in ids
    assert people["light_agent"].user["id"] in ids


@pytest.mark.parametrize("role", STAFF)
def test_staff_read_the_assignable_agents(people, role):
    sess = people[role]
    listed = all_pages(sess, "/api/v1/agents")
    ids = {u["id"] for u in listed}
    # Every page is full of assignees only, and together they hold every one of them.
    assert all(u["active"] and u["role"] in ("admin", "supervisor", "agent") for u in listed)
    assert {people["colleague"].user["id"], people["supervisor"].user["id"],
            people["agent"].user["id"]} <= ids
    assert people["gone"]["id"] not in ids
    assert people["light_agent"].user["id"] not in ids
    assert len(ids) == len(listed), "no agent twice across pages"
    # One of them by id; someone who may not be assigned is not there.
    r = sess.get(f"/api/v1/agents/{people['colleague'].user['id']}")
    assert r.status == 200 and r.body["email"] == people["colleague"].user["email"], r
    assert_error(sess.get(f"/api/v1/agents/{people['gone']['id']}"), 404, "not_found")
    assert_error(sess.get(f"/api/v1/agents/{people['light_agent'].user['id']}"), 404, "not_found")
    # An agent's id is no contact, and a contact's no agent.
    assert_error(sess.get(f"/api/v1/contacts/{people['colleague'].user['id']}"), 404, "not_found")
    assert_error(sess.get(f"/api/v1/agents/{people['customer'].user['id']}"), 404, "not_found")


@pytest.mark.parametrize("role", STAFF)
def test_staff_look_up_contacts_and_organizations(people, role):
    sess = people[role]
    cust = people["customer"].user
    assert cust["id"] in {c["id"] for c in all_pages(sess, "/api/v1/contacts", limit=50)}
    r = sess.get(f"/api/v1/contacts/{cust['id']}")
    assert r.status == 200 and r.body["email"] == cust["email"] and "notes" in r.body, r
    orgs = sess.get("/api/v1/organizations?limit=200")
    assert orgs.status == 200 and people["org"]["id"] in {o["id"] for o in orgs.body["items"]}
    members = sess.get(f"/api/v1/contacts?organization={people['org']['id']}")
    assert members.status == 200 and members.body["items"] == [], members
    deps = sess.get("/api/v1/departments")
    assert deps.status == 200 and people["dept"]["id"] in {d["id"] for d in deps.body["items"]}
    # Looking up is not changing.
    assert_error(sess.patch(f"/api/v1/contacts/{cust['id']}", json={"name": "x"}), 403,
                 "permission_denied")


def test_customer_reads_no_directory(people):
    sess = people["customer"]
    for path in ("/api/v1/agents", f"/api/v1/agents/{people['agent'].user['id']}",
                 "/api/v1/contacts", f"/api/v1/contacts/{sess.user['id']}",
                 "/api/v1/organizations", "/api/v1/departments"):
        assert_error(sess.get(path), 403, "permission_denied")


@pytest.mark.parametrize("role", ("supervisor", "agent"))
def test_staff_assign_to_a_colleague_from_the_directory(people, role):
    sess = people[role]
    tk = new_ticket(sess, department=people["dept"]["id"])
    colleague = next(u for u in all_pages(sess, "/api/v1/agents")
                     if u["id"] == people["colleague"].user["id"])
    r = sess.patch(f"/api/v1/tickets/{tk['number']}", json={"assignee": colleague["id"]})
    assert r.status == 200 and r.body["assignee"]["id"] == colleague["id"], r


def test_light_agent_writes_notes_only(people):
    light = people["light_agent"]
    tk = new_ticket(people["agent"], department=people["dept"]["id"])
    n = tk["number"]
    assert_error(light.patch(f"/api/v1/tickets/{n}",
                             json={"assignee": people["colleague"].user["id"]}), 403,
                 "permission_denied")
    assert_error(light.post(f"/api/v1/tickets/{n}/messages", json={"body": "public"}), 403,
                 "permission_denied")
    r = light.post(f"/api/v1/tickets/{n}/messages", json={"body": "a note", "internal": True})
    assert r.status == 201 and r.body["internal"] is True, r
