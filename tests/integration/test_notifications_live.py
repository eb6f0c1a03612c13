"""A trigger's notify action reaches the notified agent live over /api/v1/stream, and only them."""
from ticket_support import WebSocket, agent, new_ticket, uniq


def connect(server, sess):
    ws = WebSocket.for_session(server, sess)
    assert ws.status == 101, (ws.status, ws.body)
    assert ws.recv()["type"] == "hello"
    return ws


def test_notification_is_pushed_to_its_agent_only(server, admin):
    notified = agent(server, all_departments=True)
    other = agent(server, all_departments=True)
    word = uniq("bell")
    r = admin.post("/api/v1/triggers", json={
        "name": f"Tell {word}", "conditions": {"all": [
            {"field": "update_type", "operator": "is", "value": "create"},
            {"field": "subject", "operator": "contains", "value": word}]},
        "actions": [{"type": "notify", "agents": [str(notified.user["id"])]}]})
    assert r.status == 201, r
    try:
        with connect(server, notified) as mine, connect(server, other) as theirs, \
                connect(server, admin) as admins:
            t = new_ticket(admin, subject=f"Printer {word}")
            event, _ = mine.wait_for(lambda m: m.get("type") == "notification.created")
            n = event["notification"]
            assert n["ticket_number"] == t["number"] and n["read"] is False, event
            assert n["title"] == f"#{t['number']} Printer {word}" and n["body"] == f"Tell {word}"
            # The same notification the list shows (the live one is a hint, the list the record).
            listed = notified.get("/api/v1/notifications?unread=true").body["items"]
            assert n["id"] in [x["id"] for x in listed], listed
            # The others see the ticket created (they may see it) but never the notification:
            # not before a later ticket's event either (a connection's messages keep their order).
            marker = new_ticket(admin, subject=uniq("after"))["number"]
            for ws in (theirs, admins):
                _, seen = ws.wait_for(lambda m: m.get("type") == "ticket.created"
                                      and m["ticket"]["number"] == marker)
                assert [m["ticket"]["number"] for m in seen if m.get("type") == "ticket.created"]\
                    == [t["number"], marker], seen
                assert not [m for m in seen if m.get("type") == "notification.created"], seen
    finally:
        admin.delete(f"/api/v1/triggers/{r.body['id']}")
