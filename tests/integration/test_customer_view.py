"""Issue 16, items 4, 5 and 11, and light agents' mail settings: nobody files as a staff member
without signing in, customers set at creation only what they could set later (and the form's
fields), and customers read neither internal metadata nor agents' addresses."""

from conftest import assert_error, unique_email
from ticket_support import (agent, customer, make_department, new_ticket, patch, reply,
                            set_departments, uniq)


def history(sess, number):
    r = sess.get(f"/api/v1/tickets/{number}/history?limit=200")
    assert r.status == 200, r
    return r.body["items"]


# --- Item 4: a staff member named as the requester --------------------------------------------


def test_the_web_form_refuses_a_staff_address(fresh_server):
    srv = fresh_server
    staff, _ = srv.create_agent()
    before = srv.admin.get("/api/v1/tickets?limit=200").body["items"]
    for address in ("admin@localhost", "ADMIN@localhost", staff["email"]):
        r = srv.post("/api/v1/web-form", json={"email": address, "name": "Administrator",
                                               "subject": "Refund", "body": "refund customer 7"})
        assert_error(r, 403, "permission_denied", "email")
    assert srv.admin.get("/api/v1/tickets?limit=200").body["items"] == before


def test_an_agents_ticket_for_a_staff_requester_is_the_agents_message(server, admin):
    ag = agent(server)
    t = new_ticket(ag, requester={"email": admin.user["email"], "name": "whoever"})
    assert t["requester"]["id"] == admin.user["id"]
    first = ag.get(f"/api/v1/tickets/{t['number']}/messages").body["items"][0]
    assert first["author"]["id"] == ag.user["id"], first
    # Filing for oneself, or for a customer, keeps the requester as the author.
    mine = new_ticket(ag, requester={"email": ag.user["email"]})
    assert ag.get(f"/api/v1/tickets/{mine['number']}/messages").body["items"][0]["author"][
        "id"] == ag.user["id"]
    theirs = new_ticket(ag, requester={"email": unique_email("cust")})
    assert ag.get(f"/api/v1/tickets/{theirs['number']}/messages").body["items"][0]["author"][
        "id"] == theirs["requester"]["id"]


# --- Item 5: what a customer sets at creation -------------------------------------------------


def test_customers_set_at_creation_only_what_they_could_set_later(server, admin):
    cust = customer(server)
    for field, value in (("priority", "urgent"), ("type", "incident"), ("tags", ["vip"]),
                         ("channel", "email"), ("assignee", admin.user["id"]),
                         ("custom_fields", {"internal_score": "9"})):
        r = cust.post("/api/v1/tickets", json={"subject": "s", "body": "b", field: value})
        expected = field if field != "custom_fields" else "custom_fields.internal_score"
        assert_error(r, 403, "permission_denied", expected)
    t = new_ticket(cust, requester=False)
    assert (t["priority"], t["type"], t["channel"]) == ("normal", "question", "portal")


def test_the_departments_form_decides_which_fields_a_customer_fills(server, admin):
    dept = make_department(admin, uniq("Form"))
    for key in ("serial", "internal_score"):
        r = admin.post("/api/v1/custom-fields", json={"key": uniq(key), "type": "text",
                                                      "label": key, "label_zh": key})
        assert r.status == 201, r
        if key == "serial":
            serial = r.body["key"]
        else:
            score = r.body["key"]
    r = admin.post("/api/v1/forms", json={"name": uniq("form"), "department": dept["id"],
                                          "fields": [{"key": serial}]})
    assert r.status == 201, r
    cust = customer(server)
    t = new_ticket(cust, requester=False, department=dept["id"], custom_fields={serial: "SN-1"})
    assert t["custom_fields"] == {serial: "SN-1"}
    r = cust.post("/api/v1/tickets", json={"subject": "s", "body": "b", "department": dept["id"],
                                           "custom_fields": {serial: "SN-2", score: "10"}})
    assert_error(r, 403, "permission_denied", f"custom_fields.{score}")
    # Without the department its form does not apply.
    r = cust.post("/api/v1/tickets", json={"subject": "s", "body": "b",
                                           "custom_fields": {serial: "SN-3"}})
    assert_error(r, 403, "permission_denied", f"custom_fields.{serial}")


# --- Item 11: the customer's view of a ticket -------------------------------------------------


def test_customers_see_no_internal_metadata_and_no_agents_address(server, admin):
    dept = make_department(admin, uniq("View"))
    ag = agent(server, departments=[dept["id"]])
    assert admin.request("PUT", f"/api/v1/departments/{dept['id']}/assignment",
                         json={"mode": "round_robin"}).status == 200
    rule = admin.post("/api/v1/triggers", json={
        "name": uniq("Secret escalation rule"), "position": 1, "active": True,
        "conditions": {"all": [{"field": "update_type", "operator": "is", "value": "update"}]},
        "actions": [{"type": "set_field", "field": "priority", "value": "high"}]})
    assert rule.status == 201, rule
    cust = customer(server)
    number = new_ticket(cust, requester=False, department=dept["id"])["number"]
    patch(admin, number, {"tags": ["vip", "angry-customer"]})
    reply(ag, number, body="We are on it")
    reply(ag, number, body="customer is difficult", internal=True)

    # Agents see everything.
    fields = {e["field"] for e in history(admin, number)}
    assert {"tags", "assignee", "assignment", "trigger", "message"} <= fields, fields

    seen = history(cust, number)
    fields = {e["field"] for e in seen}
    assert fields <= {"subject", "status", "message", "merged_into", "merged_from", "split_to"}
    assert "message" in fields, seen
    text = repr(seen)
    for secret in ("angry-customer", "Secret escalation rule", "round_robin", ag.user["email"]):
        assert secret not in text, (secret, seen)

    ticket = cust.get(f"/api/v1/tickets/{number}").body
    assert "tags" not in ticket
    assert ticket["assignee"] == {"id": ag.user["id"], "name": ag.user["name"], "role": "agent"}
    assert ticket["requester"]["email"] == cust.user["email"]  # one's own address
    listed = cust.get("/api/v1/tickets").body["items"]
    assert all("tags" not in t and "email" not in (t["assignee"] or {}) for t in listed)
    authors = [m["author"] for m in cust.get(f"/api/v1/tickets/{number}/messages").body["items"]]
    assert {"id": ag.user["id"], "name": ag.user["name"], "role": "agent"} in authors
    assert ag.user["email"] not in repr(authors)
    # The agent's own view still has addresses.
    assert admin.get(f"/api/v1/tickets/{number}").body["assignee"]["email"] == ag.user["email"]


# --- Light agents and a ticket's mail settings --------------------------------------------------


def test_light_agents_cannot_let_outsiders_into_the_conversation(server, admin):
    dept = make_department(admin, uniq("Light"))
    light = agent(server, role="light_agent", departments=[dept["id"]])
    number = new_ticket(admin, department=dept["id"])["number"]
    assert light.get(f"/api/v1/tickets/{number}/mail-settings").status == 200
    r = light.patch(f"/api/v1/tickets/{number}/mail-settings", json={"outside_replies": "follower"})
    assert_error(r, 403, "permission_denied", "outside_replies")
    assert admin.get(f"/api/v1/tickets/{number}/mail-settings").body["outside_replies"] is None
    ok = agent(server, departments=[dept["id"]])
    assert ok.patch(f"/api/v1/tickets/{number}/mail-settings",
                    json={"outside_replies": "follower"}).status == 200
    set_departments(admin, light.user["id"], [])
