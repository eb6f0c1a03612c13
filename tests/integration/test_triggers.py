"""Triggers through the API: rules run inside the ticket command (their changes commit with it),
with RE2 regex conditions, set_field / tags / assign / add_note actions, the history saying which
trigger fired, and validation errors that point at the wrong part of a rule."""

from conftest import assert_error
from ticket_support import agent, new_ticket, patch, reply


def add_trigger(admin, expect=201, **body):
    r = admin.post("/api/v1/triggers", json=body)
    assert r.status == expect, r
    return r.body


def history(sess, number):
    return sess.get(f"/api/v1/tickets/{number}/history?limit=200").body["items"]


def test_triggers_change_the_ticket_in_the_same_command(fresh_server):
    admin = fresh_server.admin
    helper = agent(fresh_server).user["id"]
    add_trigger(admin, name="Outage escalation", position=1, conditions={"all": [
        {"field": "update_type", "operator": "is", "value": "create"},
        {"field": "message.body", "operator": "regex", "value": "(?i)out(age|\\s+of\\s+service)"}]},
        actions=[{"type": "set_field", "field": "priority", "value": "urgent"},
                 {"type": "add_tags", "tags": ["outage"]},
                 {"type": "add_note", "body": "Escalated #{{ticket.number}} ({{ticket.priority}})"}])
    add_trigger(admin, name="Urgent goes to the helper", position=2, conditions={"all": [
        {"field": "priority", "operator": "is", "value": "urgent"},
        {"field": "assignee", "operator": "absent"}]},
        actions=[{"type": "assign", "agent": str(helper)}])

    t = new_ticket(admin, body="Our site is OUT OF SERVICE since noon")
    assert t["priority"] == "urgent" and "outage" in t["tags"], t
    assert t["assignee"]["id"] == helper  # the second rule saw the first one's change
    events = history(admin, t["number"])
    fired = [e["new"] for e in events if e["field"] == "trigger"]
    assert fired == ["Outage escalation", "Urgent goes to the helper"], events
    notes = admin.get(f"/api/v1/tickets/{t['number']}/messages").body["items"]
    note = [m for m in notes if m["internal"]]
    assert len(note) == 1 and note[0]["body"] == f"Escalated #{t['number']} (urgent)", notes

    plain = new_ticket(admin, body="a question about invoices")
    assert plain["priority"] == "normal" and plain["assignee"] is None
    # On update: raising the priority sets off the assignment rule.
    raised = patch(admin, plain["number"], {"priority": "urgent"})
    assert raised["assignee"]["id"] == helper
    assert any(e["field"] == "trigger" and e["new"] == "Urgent goes to the helper"
               for e in history(admin, plain["number"]))


def test_trigger_on_customer_reply_and_inactive_rules(fresh_server):
    admin = fresh_server.admin
    rule = add_trigger(admin, name="Customer wrote back", conditions={"all": [
        {"field": "update_type", "operator": "is", "value": "update"},
        {"field": "message.author_role", "operator": "is", "value": "customer"}]},
        actions=[{"type": "add_tags", "tags": ["customer-replied"]}])
    customer = fresh_server.customer_session()
    t = new_ticket(customer, requester=False)
    reply(admin, t["number"], body="agent answer")
    assert "customer-replied" not in admin.get(f"/api/v1/tickets/{t['number']}").body["tags"]
    reply(customer, t["number"], body="thanks, but still broken")
    assert "customer-replied" in admin.get(f"/api/v1/tickets/{t['number']}").body["tags"]
    r = admin.patch(f"/api/v1/triggers/{rule['id']}", json={"active": False})
    assert r.status == 200 and r.body["active"] is False
    t2 = new_ticket(customer, requester=False)
    reply(customer, t2["number"], body="more")
    assert "customer-replied" not in admin.get(f"/api/v1/tickets/{t2['number']}").body["tags"]
    assert admin.request("DELETE", f"/api/v1/triggers/{rule['id']}").status == 204
    assert_error(admin.get(f"/api/v1/triggers/{rule['id']}"), 404, "not_found")


def test_trigger_validation_explains_what_is_wrong(fresh_server):
    admin = fresh_server.admin
    ok_actions = [{"type": "add_tags", "tags": ["x"]}]

    def bad(field, **body):
        body.setdefault("name", "bad")
        body.setdefault("actions", ok_actions)
        err = assert_error(admin.post("/api/v1/triggers", json=body), 400, "invalid_argument")
        assert err.get("field", "").startswith(field), err
        return err

    err = bad("conditions.all[0].field",
              conditions={"all": [{"field": "colour", "operator": "is", "value": "red"}]})
    assert "colour" in err["message"]
    bad("conditions.all[0]",
        conditions={"all": [{"field": "subject", "operator": "regex", "value": "(unclosed"}]})
    bad("conditions.all[0]",
        conditions={"all": [{"field": "tags", "operator": "is", "value": "x"}]})
    good_cond = {"all": [{"field": "priority", "operator": "is", "value": "high"}]}
    err = bad("actions[0].template", conditions=good_cond,
              actions=[{"type": "send_mail", "template": "ack", "to": "requester"}])
    assert "no mail template" in err["message"]
    bad("actions[0]", conditions=good_cond,
        actions=[{"type": "set_field", "field": "status", "value": "Nonexistent"}])
    bad("actions[0]", conditions=good_cond,
        actions=[{"type": "set_field", "field": "priority", "value": "sky-high"}])
    bad("actions", conditions=good_cond, actions=[])
    bad("conditions", actions=ok_actions, conditions={"all": []})
    assert_error(admin.post("/api/v1/triggers", json={"name": "x", "conditions": good_cond}),
                 400, "invalid_argument", "actions")
    assert_error(admin.post("/api/v1/triggers", json={"name": "x", "conditions": good_cond,
                                                      "actions": ok_actions, "extra": 1}),
                 400, "invalid_argument", "extra")
    ag = fresh_server.agent_session()
    assert_error(ag.get("/api/v1/triggers"), 403, "permission_denied")


def test_a_rule_on_the_organization_sees_the_new_requesters_organization(fresh_server):
    # The requester (and so the organization) is found or added inside the write; rules that
    # read it cannot be evaluated ahead of the write and must still see it.
    admin = fresh_server.admin
    org = admin.post("/api/v1/organizations", json={"name": "Acme", "domains": ["acme.example"]})
    assert org.status == 201, org
    add_trigger(admin, name="Acme first", conditions={"all": [
        {"field": "update_type", "operator": "is", "value": "create"},
        {"field": "organization", "operator": "is", "value": str(org.body["id"])}]},
        actions=[{"type": "add_tags", "tags": ["acme"]}])
    add_trigger(admin, name="Everyone", position=2, conditions={"all": [
        {"field": "update_type", "operator": "is", "value": "create"}]},
        actions=[{"type": "add_tags", "tags": ["seen"]}])
    acme = new_ticket(admin, requester="new.person@acme.example")
    assert sorted(acme["tags"]) == ["acme", "seen"], acme
    other = new_ticket(admin, requester="someone@elsewhere.example")
    assert other["tags"] == ["seen"], other


def test_a_rule_changed_between_two_creates_applies_to_the_second(fresh_server):
    # Creates are evaluated before their write against the loaded rules; a change to the rules
    # must reach the very next ticket.
    admin = fresh_server.admin
    rule = add_trigger(admin, name="Tag A", conditions={"all": [
        {"field": "update_type", "operator": "is", "value": "create"}]},
        actions=[{"type": "add_tags", "tags": ["a"]}])
    assert new_ticket(admin)["tags"] == ["a"]
    r = admin.patch(f"/api/v1/triggers/{rule['id']}", json={
        "actions": [{"type": "add_tags", "tags": ["b"]}]})
    assert r.status == 200, r
    assert new_ticket(admin)["tags"] == ["b"]
    r = admin.patch(f"/api/v1/triggers/{rule['id']}", json={"active": False})
    assert r.status == 200, r
    assert new_ticket(admin)["tags"] == []
