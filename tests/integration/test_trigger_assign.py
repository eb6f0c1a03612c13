"""A trigger that assigns by a strategy (round robin, least loaded, skill based) instead of naming
an agent: it picks among the ticket's department's agents, on create and on update, even where the
department itself assigns nothing automatically, and the history says which rule chose whom."""

from conftest import assert_error
from test_triggers import add_trigger, history
from ticket_support import agent, make_department, new_ticket, patch


def test_round_robin_by_trigger_in_a_manual_department(fresh_server):
    admin = fresh_server.admin
    dept = make_department(admin)["id"]
    agents = sorted(agent(fresh_server, departments=[dept]).user["id"] for _ in range(2))
    add_trigger(admin, name="Urgent round robin", conditions={"all": [
        {"field": "priority", "operator": "is", "value": "urgent"}]},
        actions=[{"type": "assign", "strategy": "round_robin"}])

    urgent = [new_ticket(admin, department=dept, priority="urgent") for _ in range(4)]
    picked = [t["assignee"]["id"] for t in urgent]
    assert sorted(picked) == sorted(agents * 2), picked
    assert picked[0] != picked[1] and picked[1] != picked[2], picked  # it alternates
    reasons = [e["new"] for e in history(admin, urgent[0]["number"]) if e["field"] == "assignment"]
    assert reasons and reasons[0].startswith("round_robin ") and reasons[0].endswith(
        "; trigger rule=Urgent round robin"), reasons

    # The department assigns nothing itself: a normal ticket waits unassigned...
    plain = new_ticket(admin, department=dept)
    assert plain["assignee"] is None
    # ...until an update makes the rule apply.
    raised = patch(admin, plain["number"], {"priority": "urgent"})
    assert raised["assignee"]["id"] in agents
    assert any(e["field"] == "assignment" for e in history(admin, plain["number"]))


def test_least_loaded_by_trigger_and_no_department_means_no_assignment(fresh_server):
    admin = fresh_server.admin
    dept = make_department(admin)["id"]
    busy = agent(fresh_server, departments=[dept]).user["id"]
    idle = agent(fresh_server, departments=[dept]).user["id"]
    for _ in range(3):
        new_ticket(admin, department=dept, assignee=busy)
    add_trigger(admin, name="VIP to the least loaded", conditions={"all": [
        {"field": "tags", "operator": "contains", "value": "vip"}]},
        actions=[{"type": "assign", "strategy": "least_loaded"}])
    t = new_ticket(admin, department=dept, tags=["vip"])
    assert t["assignee"]["id"] == idle, t
    # Without a department there is nobody to choose from: the ticket stays unassigned.
    loose = new_ticket(admin, tags=["vip"])
    assert loose["assignee"] is None


def test_assign_needs_an_agent_or_a_strategy(fresh_server):
    admin = fresh_server.admin
    r = admin.post("/api/v1/triggers", json={"name": "bad", "conditions": {"all": [
        {"field": "priority", "operator": "is", "value": "urgent"}]},
        "actions": [{"type": "assign"}]})
    assert_error(r, 400, "invalid_argument")
    r = admin.post("/api/v1/triggers", json={"name": "bad", "conditions": {"all": [
        {"field": "priority", "operator": "is", "value": "urgent"}]},
        "actions": [{"type": "assign", "strategy": "coin_flip"}]})
    assert_error(r, 400, "invalid_argument", "actions[0].strategy")
