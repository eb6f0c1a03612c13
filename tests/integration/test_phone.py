"""Phone (issue 20): agents log calls on a ticket; a PBX's signed CTI webhook (an inbound source
of kind cti) pops the caller's contact and open tickets on the named agent's desk over the live
stream, a missed call opens a ticket, an unknown number becomes a contact, and an ended call
with a recording is logged on the caller's open ticket."""

import hashlib
import hmac
import json as jsonlib
import time

from conftest import assert_error
from ticket_support import WebSocket, agent, new_ticket, uniq


def signed(body, secret):
    raw = jsonlib.dumps(body).encode()
    ts = str(int(time.time()))
    sig = "sha256=" + hmac.new(secret.encode(), ts.encode() + b"." + raw,
                               hashlib.sha256).hexdigest()
    return raw, {"X-Gongdan-Timestamp": ts, "X-Gongdan-Signature": sig,
                 "Content-Type": "application/json"}


def call_event(server, source, body, secret=None):
    raw, headers = signed(body, secret or source["signing_secret"])
    return server.request("POST", f"/api/v1/inbound/{source['id']}/webhook",
                                 raw_body=raw, headers=headers)


def test_agents_log_calls_on_a_ticket(server, admin):
    t = new_ticket(admin, subject=uniq("Call me"))
    base = f"/api/v1/tickets/{t['number']}/calls"
    r = admin.post(base, json={"direction": "outbound", "number": "+86 138 0013 8000",
                               "duration_seconds": 125, "outcome": "answered",
                               "notes": "客户确认已修好", "started_at": "2026-03-01T08:00:00Z"})
    assert r.status == 201, r
    assert r.body["number"] == "+86 138 0013 8000" and r.body["duration_seconds"] == 125
    assert r.body["author"] == admin.user["id"] and r.body["recording_url"] == ""
    assert r.body["started_at"] == "2026-03-01T08:00:00.000Z"
    for body, field in [({"number": "call me"}, "number"), ({}, "number"),
                        ({"number": "123", "direction": "sideways"}, "direction"),
                        ({"number": "123", "outcome": "great"}, "outcome"),
                        ({"number": "123", "duration_seconds": -1}, "duration_seconds"),
                        ({"number": "123", "extra": 1}, "extra")]:
        assert_error(admin.post(base, json=body), 400, "invalid_argument", field)
    listed = admin.get(base).body["items"]
    assert [c["notes"] for c in listed] == ["客户确认已修好"]
    history = admin.get(f"/api/v1/tickets/{t['number']}/history").body["items"]
    assert any(e["field"] == "call" for e in history), history
    assert_error(admin.post("/api/v1/tickets/99999999/calls", json={"number": "1"}), 404,
                 "not_found")


def test_cti_pops_the_caller_and_a_missed_call_opens_a_ticket(server, admin):
    desk_agent = agent(server, all_departments=True)
    r = admin.post("/api/v1/inbound-sources", json={"kind": "cti", "name": uniq("PBX")})
    assert r.status == 201, r
    source = r.body
    number = "+8613900" + str(int(time.time() * 1000))[-6:]

    # An unknown number that nobody answered: a new contact, and a ticket for the team.
    r = call_event(server, source, {"id": uniq("c"), "event": "missed", "number": number,
                                    "name": "李雷"})
    assert r.status == 200 and r.body["result"] == "taken", r
    missed = r.body["ticket"]
    t = admin.get(f"/api/v1/tickets/{missed}").body
    assert t["channel"] == "phone" and t["requester"]["name"] == "李雷"
    contact = admin.get(f"/api/v1/contacts/{r.body['contact']}").body
    assert contact["phones"] == [number]
    assert admin.get(f"/api/v1/tickets/{missed}/calls").body["items"][0]["outcome"] == "missed"

    # The same caller again, ringing at an agent: the desk shows them with the open ticket.
    ws = WebSocket.for_session(server, desk_agent)
    assert ws.status == 101 and ws.recv()["type"] == "hello"
    with ws:
        event_id = uniq("c")
        r = call_event(server, source, {"id": event_id, "event": "ringing", "number": number,
                                        "agent_id": desk_agent.user["id"]})
        assert r.status == 200, r
        assert r.body["contact"] == contact["id"] and r.body["open_tickets"] == [missed]
        event, _ = ws.wait_for(lambda m: m.get("type") == "notification.created")
        n = event["notification"]
        assert n["kind"] == "call" and n["ticket_number"] == missed
        assert "李雷" in n["title"] and f"#{missed}" in n["body"]
    # The PBX retries the event: nothing new.
    r = call_event(server, source, {"id": event_id, "event": "ringing", "number": number,
                                    "agent_id": desk_agent.user["id"]})
    assert r.body["result"] == "duplicate"
    assert len(desk_agent.get("/api/v1/notifications").body["items"]) == 1

    # The call ends with a recording: logged on the open ticket.
    r = call_event(server, source, {"id": uniq("c"), "event": "ended", "number": number,
                                    "duration_seconds": 42, "agent_id": desk_agent.user["id"],
                                    "recording_url": "https://pbx.example/rec/1.wav"})
    assert r.status == 200 and r.body["ticket"] == missed, r
    calls = admin.get(f"/api/v1/tickets/{missed}/calls").body["items"]
    assert calls[-1]["recording_url"] == "https://pbx.example/rec/1.wav"
    assert calls[-1]["duration_seconds"] == 42

    # Forged, or not a call event: refused, nothing made.
    assert_error(call_event(server, source, {"id": "f", "event": "missed", "number": "1"},
                            secret="wrong"), 401, "unauthenticated")
    for body, field in [({"id": "b1", "event": "dialing", "number": "1"}, "event"),
                        ({"id": "b2", "event": "missed", "number": "abc"}, "number"),
                        ({"id": "b3", "event": "missed", "number": "1",
                          "recording_url": "ftp://x"}, "recording_url")]:
        assert_error(call_event(server, source, body), 400, "invalid_argument", field)
