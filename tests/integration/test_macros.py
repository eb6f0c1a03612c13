"""Macros: a named set of actions plus a reply an agent applies to a ticket in one step;
personal or shared; validation names the wrong action."""

from conftest import assert_error
from ticket_support import new_ticket, status_id


def test_apply_macro_changes_and_replies_in_one_step(fresh_server):
    admin = fresh_server.admin
    r = admin.post("/api/v1/macros", json={
        "name": "Solve as duplicate", "shared": True,
        "actions": [{"type": "set_field", "field": "status", "value": "Solved"},
                    {"type": "add_tags", "tags": ["duplicate"]},
                    {"type": "set_field", "field": "priority", "value": "low"}],
        "reply": "Ticket #{{ticket.number}} duplicates another one; closing, {{requester.name}}."})
    assert r.status == 201 and r.body["shared"] is True, r
    macro = r.body
    solved_name = next(s["name"] for s in admin.get("/api/v1/statuses").body["items"]
                       if s["id"] == status_id(admin, "solved"))
    if solved_name != "Solved":
        r = admin.patch(f"/api/v1/macros/{macro['id']}", json={"actions": [
            {"type": "set_field", "field": "status", "value": solved_name},
            {"type": "add_tags", "tags": ["duplicate"]},
            {"type": "set_field", "field": "priority", "value": "low"}]})
        assert r.status == 200, r
    t = new_ticket(admin)
    agent = fresh_server.agent_session()
    r = agent.post(f"/api/v1/tickets/{t['number']}/macros/{macro['id']}")
    assert r.status == 200, r
    assert r.body["status"]["category"] == "solved" and "duplicate" in r.body["tags"], r.body
    assert r.body["priority"] == "low"
    msgs = admin.get(f"/api/v1/tickets/{t['number']}/messages").body["items"]
    # The requester's name too, as a trigger's note has it, not only the ticket's own fields.
    assert msgs[-1]["body"] == f"Ticket #{t['number']} duplicates another one; closing, Requester."
    assert msgs[-1]["internal"] is False
    assert r.body["version"] == t["version"] + 1  # one command, one new version


def test_personal_macros_and_validation(fresh_server):
    a1 = fresh_server.agent_session()
    a2 = fresh_server.agent_session()
    r = a1.post("/api/v1/macros", json={"name": "Mine", "reply": "note to self",
                                        "reply_internal": True})
    assert r.status == 201 and r.body["shared"] is False, r
    mine = r.body
    assert [m["id"] for m in a1.get("/api/v1/macros").body["items"]] == [mine["id"]]
    assert a2.get("/api/v1/macros").body["items"] == []
    assert_error(a2.get(f"/api/v1/macros/{mine['id']}"), 404, "not_found")
    t = new_ticket(fresh_server.admin)
    assert_error(a2.post(f"/api/v1/tickets/{t['number']}/macros/{mine['id']}"), 404, "not_found")
    r = a1.post(f"/api/v1/tickets/{t['number']}/macros/{mine['id']}")
    assert r.status == 200, r
    notes = fresh_server.admin.get(f"/api/v1/tickets/{t['number']}/messages").body["items"]
    assert notes[-1]["internal"] is True and notes[-1]["body"] == "note to self"
    assert_error(a1.post("/api/v1/macros", json={"name": "x", "shared": True}), 403,
                 "permission_denied", "shared")
    assert_error(a1.post("/api/v1/macros", json={"name": "x"}), 400, "invalid_argument",
                 "actions")
    err = assert_error(a1.post("/api/v1/macros", json={"name": "x", "actions": [
        {"type": "notify", "agents": ["1"]}]}), 400, "invalid_argument", "actions[0].type")
    assert "not supported" in err["message"]
    assert_error(a1.post("/api/v1/macros", json={"name": "x", "actions": [
        {"type": "set_field", "field": "priority", "value": "sky"}]}), 400, "invalid_argument",
        "actions[0].value")
    assert_error(a1.post("/api/v1/macros", json={"name": "x", "actions": [{"type": "boom"}]}),
                 400, "invalid_argument")
    assert_error(a1.post("/api/v1/macros", json={"name": "x", "reply": "{{ nope }}"}), 400,
                 "invalid_argument", "reply")
    assert a1.request("DELETE", f"/api/v1/macros/{mine['id']}").status == 204
