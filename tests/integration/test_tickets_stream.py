"""Live updates at /api/v1/stream through a hand-written WebSocket client.

A connection gets its messages in the order the server sent them, so "nothing else arrived" is
checked against a later message the client is sure to get (a ticket it sees, or the pong to a
ping), never by listening for a while."""
import pytest

from conftest import assert_error
from ticket_support import (WebSocket, WSClosed, agent, customer, make_department, new_ticket,
                            patch, reply, set_departments, uniq)


@pytest.fixture(scope="module")
def depts(server, admin):
    return make_department(admin, uniq("WsA")), make_department(admin, uniq("WsB"))


def flush(ws):
    """Every message sent to `ws` before the pong to a ping sent now."""
    ws.send({"type": "ping"})
    _, seen = ws.wait_for(lambda m: m.get("type") == "pong")
    return seen[:-1]


def connect(server, sess, **kw):
    ws = WebSocket.for_session(server, sess, **kw)
    assert ws.status == 101, (ws.status, ws.body)
    hello = ws.recv()
    assert hello["type"] == "hello" and hello["user"] == sess.user["id"], hello
    return ws


def test_refused_upgrades(server, admin):
    ws = WebSocket.for_session(server, None)
    assert ws.status == 401, ws.status
    assert ws.body["error"]["code"] == "unauthenticated"
    ws = WebSocket.for_session(server, admin, origin="http://evil.example")
    assert ws.status == 403 and ws.body["error"]["code"] == "permission_denied"
    ws = WebSocket(server.host, server.port, path="/api/v1/nope",
                   headers={"Cookie": f"gongdan_session={admin.cookie}"})
    assert ws.status == 404
    ws = WebSocket(server.host, server.port, headers={"Cookie": "gongdan_session=bogus"})
    assert ws.status == 401
    # No Origin at all (a program) is fine; so is a Bearer token.
    with connect(server, admin, origin=None) as w:
        w.send({"type": "ping"})
        assert w.recv() == {"type": "pong"}
    tok = admin.post("/api/v1/tokens", json={"name": uniq("ws"), "scopes": ["read"]}).body
    ws = WebSocket(server.host, server.port, headers={"Authorization": f"Bearer {tok['token']}"})
    assert ws.status == 101
    assert ws.recv()["type"] == "hello"
    ws.close()


def test_agent_receives_events_for_visible_tickets_only(server, admin, depts):
    dept_a, dept_b = depts
    ag = agent(server, departments=[dept_a["id"]])
    with connect(server, ag) as ws:
        hidden = new_ticket(admin, department=dept_b["id"])["number"]
        patch(admin, hidden, {"priority": "high"})
        reply(admin, hidden, body="hidden reply")
        seen = new_ticket(admin, department=dept_a["id"])["number"]
        m, before = ws.wait_for(lambda m: m.get("type") == "ticket.created"
                                and m["ticket"]["number"] == seen)
        assert m["actor"] == admin.user["id"]
        assert m["ticket"]["department"] == dept_a["id"]
        patch(admin, seen, {"priority": "urgent"})
        m, more = ws.wait_for(lambda m: m.get("type") == "ticket.updated")
        assert m["ticket"]["number"] == seen and m["ticket"]["priority"] == "urgent"
        reply(admin, seen, body="visible reply")
        m, more2 = ws.wait_for(lambda m: m.get("type") == "message.created")
        assert m["ticket"]["number"] == seen and m["message"]["internal"] is False
        reply(admin, seen, body="note", internal=True)
        m, more3 = ws.wait_for(lambda m: m.get("type") == "message.created")
        assert m["message"]["internal"] is True
        # Unrouted tickets are everyone's; what the hidden ticket might have sent came before.
        free = new_ticket(admin)["number"]
        _, rest = ws.wait_for(lambda m: m.get("type") == "ticket.created"
                              and m["ticket"]["number"] == free)
        everything = before + more + more2 + more3 + rest
        assert not [x for x in everything if isinstance(x.get("ticket"), dict)
                    and x["ticket"]["number"] == hidden], everything


def test_customer_never_receives_internal_note_events(server, admin):
    cust = customer(server)
    other = customer(server)
    n = new_ticket(cust, requester=False)["number"]
    with connect(server, cust) as ws, connect(server, other) as ws_other:
        reply(admin, n, body="secret", internal=True)
        patch(admin, n, {"add_tags": ["x"]})
        reply(admin, n, body="public answer")
        m, seen = ws.wait_for(lambda m: m.get("type") == "message.created")
        assert m["message"]["internal"] is False and m["ticket"]["number"] == n
        assert any(x.get("type") == "ticket.updated" for x in seen)
        rest = seen + flush(ws)
        assert not [x for x in rest if x.get("message", {}).get("internal")], rest
        assert "secret" not in str(rest)
        assert [x for x in flush(ws_other) if x.get("type") != "presence"] == []


def test_presence(server, admin, depts):
    dept_a, dept_b = depts
    a1 = agent(server, departments=[dept_a["id"]])
    a2 = agent(server, departments=[dept_a["id"]])
    b1 = agent(server, departments=[dept_b["id"]])
    cust = customer(server)
    n = new_ticket(cust, requester=False, department=dept_a["id"])["number"]
    hidden = new_ticket(admin, department=dept_b["id"])["number"]
    with connect(server, a1) as w1, connect(server, a2) as w2, connect(server, b1) as wb, \
            connect(server, cust) as wc:
        w1.send({"type": "presence", "ticket": n, "state": "viewing"})
        m, _ = w2.wait_for(lambda m: m.get("type") == "presence")
        assert m["ticket"] == n
        assert {"id": a1.user["id"], "name": a1.user["name"], "state": "viewing"} in m["people"]
        w2.send({"type": "presence", "ticket": n, "state": "replying"})
        m, _ = w1.wait_for(lambda m: m.get("type") == "presence" and len(m["people"]) == 2)
        assert {p["id"]: p["state"] for p in m["people"]} == {a1.user["id"]: "viewing",
                                                              a2.user["id"]: "replying"}
        w1.send({"type": "presence", "ticket": n, "state": "left"})
        m, _ = w2.wait_for(lambda m: m.get("type") == "presence" and len(m["people"]) == 1)
        assert m["people"][0]["id"] == a2.user["id"]
        # Presence on a hidden ticket: an error, and nobody hears about it.
        wb.send({"type": "presence", "ticket": n, "state": "viewing"})
        m, _ = wb.wait_for(lambda m: m.get("type") in ("error", "presence"))
        assert m["type"] == "error", m
        w1.send({"type": "presence", "ticket": 99999999, "state": "viewing"})
        m, _ = w1.wait_for(lambda m: m.get("type") == "error")
        for bad in ({"type": "presence", "ticket": n, "state": "dancing"},
                    {"type": "presence", "ticket": "x", "state": "viewing"},
                    {"type": "warp"}, [1, 2], "not json"):
            w1.send(bad)
            m, _ = w1.wait_for(lambda m: m.get("type") == "error")
        # The department-B agent and the customer learned nothing about #n's viewers.
        assert [m for m in flush(wb) if m.get("type") == "presence"] == []
        assert [m for m in flush(wc) if m.get("type") == "presence"] == []
        # Closing a connection clears its presence.
        w2.close()
        m, _ = w1.wait_for(lambda m: m.get("type") == "presence" and m["people"] == [])
        w1.send({"type": "presence", "ticket": n, "state": "viewing"})
        m, _ = w1.wait_for(lambda m: m.get("type") == "presence" and m["people"])
        assert [p["id"] for p in m["people"]] == [a1.user["id"]]
        wb.send({"type": "presence", "ticket": hidden, "state": "viewing"})
        m, _ = wb.wait_for(lambda m: m.get("type") == "presence")
        assert [p["id"] for p in m["people"]] == [b1.user["id"]]
        assert [m for m in flush(w1) if m.get("ticket") == hidden] == []


def test_stream_follows_permission_changes(server, admin, depts):
    """Removing an agent from a department must stop that department's events, like it does for
    GET. The server ends every open stream when permissions change (close code 1008); the
    client reconnects and from then on gets exactly what it may now see."""
    dept_a, dept_b = depts
    user, pw = server.create_agent()
    set_departments(admin, user["id"], [dept_a["id"]])
    ag = server.login(user["email"], pw)
    with connect(server, ag) as ws:
        n = new_ticket(admin, department=dept_a["id"])["number"]
        ws.wait_for(lambda m: m.get("type") == "ticket.created" and m["ticket"]["number"] == n)
        set_departments(admin, user["id"], [dept_b["id"]])
        with pytest.raises(WSClosed):  # ended before any further event could leak
            ws.wait_for(lambda m: False, timeout=10)
    assert_error(ag.get(f"/api/v1/tickets/{n}"), 404, "not_found")
    with connect(server, ag) as ws:
        patch(admin, n, {"priority": "urgent"})
        marker = new_ticket(admin, department=dept_b["id"])["number"]
        # The event of a ticket of the agent's new department comes, after whatever leaked.
        _, seen = ws.wait_for(lambda m: m.get("type") == "ticket.created"
                              and m["ticket"]["number"] == marker)
        leaked = [m for m in seen if isinstance(m.get("ticket"), dict)
                  and m["ticket"]["number"] == n]
        assert leaked == [], f"events of a ticket the agent may no longer see: {leaked}"


def test_deactivated_agent_stream_ends(server, admin):
    user, pw = server.create_agent()
    ag = server.login(user["email"], pw)
    with connect(server, ag) as ws:
        assert admin.patch(f"/api/v1/agents/{user['id']}", json={"active": False}).status == 200
        assert ag.get("/api/v1/me").status == 401
        n = new_ticket(admin)["number"]
        # The stream ends (a deactivation ends every stream) without the new ticket's event.
        with pytest.raises((WSClosed, OSError)):
            m, _ = ws.wait_for(lambda m: isinstance(m.get("ticket"), dict)
                               and m["ticket"]["number"] == n, timeout=10)
            raise AssertionError(f"a deactivated agent still receives ticket events: {m}")
