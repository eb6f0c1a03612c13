"""Live chat (issue 20): a department's widget (the chat-widgets resource), the visitor's
session as a ticket of channel chat, the visitor's own stream (its one ticket, no internal
notes), typing and read state, files through the attachments' path, the queue under each agent's
capacity, transfer, offline chats as ordinary tickets, and the refusals (forged tokens, bad
forms, oversize messages, floods)."""

import json as jsonlib
from urllib.parse import quote

import pytest

from conftest import assert_error
from test_tickets_attachments import assert_upload_refusals
from ticket_support import WebSocket, agent, email, make_department, uniq


CODES = {400: "invalid_argument", 401: "unauthenticated", 404: "not_found", 409: "conflict",
         413: "payload_too_large", 429: "rate_limited"}


def refused(resp, status):
    assert_error(resp, status, CODES[status])


def widget(admin, dept, **extra):
    r = admin.post("/api/v1/chat-widgets", json={"department": dept["id"], **extra})
    assert r.status == 201, r
    return r.body


def start(srv, w, expect=201, **form):
    body = {"name": "访客", "email": email("visitor"), "question": "我的订单在哪里？"}
    body.update(form)
    # As the widget sends it from another site: text/plain JSON, no CORS preflight.
    r = srv.request("POST", f"/api/v1/chat/widgets/{w['id']}/sessions",
                    raw_body=jsonlib.dumps(body), headers={"Content-Type": "text/plain"})
    assert r.status == expect, r
    if expect == 201:
        assert r.headers.get("Access-Control-Allow-Origin") == "*"
    return r.body


def as_visitor(srv, chat, method, rest="", json=None, token=None):
    path = f"/api/v1/chat/sessions/{chat['id']}{rest}"
    sep = "&" if "?" in path else "?"
    return srv.request(method, f"{path}{sep}token={quote(token or chat['token'])}", json=json)


def visitor_stream(srv, chat):
    ws = WebSocket(srv.host, srv.port,
                   path=f"/api/v1/chat/stream?session={chat['id']}&token={quote(chat['token'])}")
    assert ws.status == 101, ws.body
    assert ws.recv()["type"] == "hello"
    return ws


def set_offline(sess, status="offline"):
    r = sess.request("PUT", "/api/v1/me/availability", json={"status": status})
    assert r.status == 200, r


def test_live_chat_visitor_and_agent_both_ways(server):
    admin = server.admin
    dept = make_department(admin)
    w = widget(admin, dept, colour="#123abc", greeting_en="Hello there")
    assert w["embed"].endswith(f'/chat.js" data-widget="{w["id"]}" async></script>')
    a = agent(server, departments=[dept["id"]])
    info = server.get(f"/api/v1/chat/widgets/{w['id']}").body
    assert info["online"] is True and info["colour"] == "#123abc"

    chat = start(server, w)
    assert chat["state"] == "live" and chat["agent"]["id"] == a.user["id"]
    assert chat["messages"][0]["from"] == "visitor" and chat["queue_position"] == 0
    t = admin.get(f"/api/v1/tickets/{chat['ticket']}").body
    assert t["channel"] == "chat" and t["assignee"]["id"] == a.user["id"]

    with visitor_stream(server, chat) as ws, WebSocket.for_session(server, a) as agent_ws:
        assert agent_ws.recv()["type"] == "hello"
        # An internal note never reaches the visitor; the agent's reply does, live.
        r = a.post(f"/api/v1/tickets/{chat['ticket']}/messages",
                   json={"body": "note to self", "internal": True})
        assert r.status == 201, r
        r = a.post(f"/api/v1/chats/{chat['id']}/messages", json={"body": "您好，我看一下"})
        assert r.status == 201, r
        reply_id = r.body["id"]
        m, seen = ws.wait_for(lambda m: m["type"] == "message.created")
        assert m["message"]["id"] == reply_id and not m["message"]["internal"]
        assert all(not x.get("message", {}).get("internal") for x in seen)
        got = as_visitor(server, chat, "GET", f"?after={chat['messages'][0]['id']}").body
        assert [x["body"] for x in got["messages"]] == ["您好，我看一下"]
        assert got["messages"][0]["from"] == "agent"

        # The visitor types and answers; the agent hears both.
        assert as_visitor(server, chat, "POST", "/typing").status == 204
        agent_ws.wait_for(lambda m: m["type"] == "chat.typing"
                          and m["ticket"]["number"] == chat["ticket"])
        r = as_visitor(server, chat, "POST", "/messages",
                       json={"body": "<script>alert(1)</script> http://evil.example"})
        assert r.status == 201, r
        agent_ws.wait_for(lambda m: m["type"] == "message.created"
                          and m["message"]["id"] == r.body["id"])
        # Read state, both ways.
        assert as_visitor(server, chat, "POST", "/read",
                          json={"message_id": reply_id}).status == 204
        r = a.post(f"/api/v1/chats/{chat['id']}/read", json={"message_id": r.body["id"]})
        assert r.status == 204, r
        ws.wait_for(lambda m: m["type"] == "chat.read")
        state = as_visitor(server, chat, "GET").body
        assert state["visitor_read"] > reply_id and state["agent_read"] > reply_id

    # The transcript is the ticket's messages; hostile HTML stayed text.
    msgs = a.get(f"/api/v1/tickets/{chat['ticket']}/messages").body["items"]
    hostile = [m for m in msgs if "<script>" in m["body"]][0]
    assert hostile["channel"] == "chat" and not hostile.get("html")
    assert len(msgs) == 4
    listed = a.get("/api/v1/chats").body["items"]
    assert chat["id"] in [c["id"] for c in listed]
    ended = as_visitor(server, chat, "POST", "/end").body
    assert ended["state"] == "ended"
    refused(as_visitor(server, chat, "POST", "/messages", json={"body": "hi"}), 409)


def test_files_travel_through_the_attachment_path(server):
    admin = server.admin
    dept = make_department(admin)
    w = widget(admin, dept)
    a = agent(server, departments=[dept["id"]])
    chat = start(server, w)
    other = start(server, w)
    boundary = "xYzChat"
    form = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"receipt.txt\"\r\nContent-Type: text/plain\r\n\r\npaid 42\r\n"
            f"--{boundary}--\r\n")
    r = as_visitor(server, chat, "POST", "/attachments")  # no file
    assert r.status == 400, r
    assert_upload_refusals(lambda body, ctype: server.request(
        "POST", f"/api/v1/chat/sessions/{chat['id']}/attachments?token={quote(chat['token'])}",
        raw_body=body, headers={"Content-Type": ctype}))
    r = server.request("POST", f"/api/v1/chat/sessions/{chat['id']}/attachments?token="
                       f"{quote(chat['token'])}", raw_body=form,
                       headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert r.status == 201, r
    file_id = r.body["items"][0]["id"]
    r = as_visitor(server, chat, "POST", "/messages", json={"attachments": [file_id]})
    assert r.status == 201, r
    got = a.get(f"/api/v1/chats/{chat['id']}").body
    sent = got["messages"][-1]
    assert sent["attachments"][0]["filename"] == "receipt.txt"
    assert a.get(sent["attachments"][0]["url"]).raw == b"paid 42"
    mine = as_visitor(server, chat, "GET", f"/attachments/{file_id}")
    assert mine.status == 200 and mine.raw == b"paid 42"
    # Another chat's token opens neither this chat nor its files.
    refused(as_visitor(server, chat, "GET", f"/attachments/{file_id}",
                            token=other["token"]), 401)
    refused(server.get(f"/api/v1/chat/sessions/{other['id']}/attachments/{file_id}"
                            f"?token={quote(other['token'])}"), 404)


def test_queue_capacity_and_transfer(server):
    admin = server.admin
    dept, dept2 = make_department(admin), make_department(admin)
    w = widget(admin, dept, max_chats_per_agent=1)
    widget(admin, dept2)
    a = agent(server, departments=[dept["id"]])
    first = start(server, w)
    assert first["agent"]["id"] == a.user["id"]
    second = start(server, w)
    assert second["state"] == "live" and second["agent"] is None
    assert second["queue_position"] == 1
    third = start(server, w)
    assert third["queue_position"] == 2
    refused(a.post("/api/v1/chats/accept"), 409)  # at capacity

    # The first ends: the oldest waiting one goes to the agent with room.
    assert as_visitor(server, first, "POST", "/end").status == 200
    assert as_visitor(server, second, "GET").body["agent"]["id"] == a.user["id"]
    assert as_visitor(server, third, "GET").body["queue_position"] == 1

    b = agent(server, departments=[dept["id"]])
    set_offline(b, "away")
    r = a.post(f"/api/v1/chats/{second['id']}/transfer", json={"agent_id": b.user["id"]})
    assert r.status == 200 and r.body["agent"]["id"] == b.user["id"], r
    # a has room again: the third is a's now.
    assert as_visitor(server, third, "GET").body["agent"]["id"] == a.user["id"]

    c = agent(server, departments=[dept2["id"]])
    r = b.post(f"/api/v1/chats/{second['id']}/transfer", json={"department_id": dept2["id"]})
    assert r.status == 200 and r.body["agent"]["id"] == c.user["id"], r
    t = admin.get(f"/api/v1/tickets/{second['ticket']}").body
    assert t["department"]["id"] == dept2["id"] and t["assignee"]["id"] == c.user["id"]
    refused(c.post(f"/api/v1/chats/{second['id']}/transfer", json={}), 400)
    refused(c.post(f"/api/v1/chats/{second['id']}/transfer", json={"agent_id": 999999}), 400)
    # Someone outside both departments does not see the chat.
    outsider = agent(server, departments=[make_department(admin)["id"]])
    refused(outsider.get(f"/api/v1/chats/{second['id']}"), 404)


def test_nobody_online_makes_an_ordinary_ticket(server):
    admin = server.admin
    dept = make_department(admin)
    w = widget(admin, dept)
    a = agent(server, departments=[dept["id"]])
    set_offline(a)
    assert server.get(f"/api/v1/chat/widgets/{w['id']}").body["online"] is False
    chat = start(server, w)
    assert chat["state"] == "offline" and chat["agent"] is None
    t = admin.get(f"/api/v1/tickets/{chat['ticket']}").body
    assert t["channel"] == "chat" and t["subject"] == "我的订单在哪里？"
    refused(as_visitor(server, chat, "POST", "/messages", json={"body": "hello?"}), 409)


def test_refusals(server):
    admin = server.admin
    dept = make_department(admin)
    w = widget(admin, dept)
    agent(server, departments=[dept["id"]])
    refused(admin.post("/api/v1/chat-widgets", json={"department": dept["id"]}), 409)
    other = make_department(admin)
    refused(admin.post("/api/v1/chat-widgets",
                            json={"department": other["id"], "colour": "red;}"}), 400)
    off = widget(admin, other, enabled=False)
    refused(server.get(f"/api/v1/chat/widgets/{off['id']}"), 404)
    start(server, off, expect=404)
    start(server, {"id": 999999}, expect=404)
    start(server, w, expect=400, email="not-an-address")
    start(server, w, expect=400, question="   ")
    start(server, w, expect=413, question="长" * 2000)
    start(server, w, expect=409, email=server.create_agent()[0]["email"])
    r = server.request("POST", f"/api/v1/chat/widgets/{w['id']}/sessions", raw_body="{nope")
    refused(r, 400)

    chat = start(server, w)
    refused(server.get(f"/api/v1/chat/sessions/{chat['id']}"), 401)
    real = chat["token"]
    forged = real[:-2] + ("11" if real.endswith("00") else "00")  # never the real one
    refused(as_visitor(server, chat, "GET", token=forged), 401)
    refused(as_visitor(server, chat, "GET", token="1.abc"), 401)
    ws = WebSocket(server.host, server.port,
                   path=f"/api/v1/chat/stream?session={chat['id']}&token=forged")
    assert ws.status == 401
    refused(as_visitor(server, chat, "POST", "/messages", json={"body": "x" * 4001}), 413)
    refused(as_visitor(server, chat, "POST", "/messages", json={"body": 5}), 400)
    # A message of another chat (a fixed id was this chat's own when the test ran first).
    other = start(server, w)
    elsewhere = as_visitor(server, other, "POST", "/messages", json={"body": "elsewhere"})
    assert elsewhere.status == 201, elsewhere
    refused(as_visitor(server, chat, "POST", "/read", json={"message_id": elsewhere.body["id"]}),
            400)
    refused(as_visitor(server, chat, "GET", "?after=-1"), 400)
    # The visitor is not an agent: the agents' routes refuse the token.
    refused(server.get(f"/api/v1/chats/{chat['id']}"), 401)
    # A flood from one visitor is cut off: 30 a minute, the oversize one above included.
    codes = [as_visitor(server, chat, "POST", "/messages", json={"body": f"m{i}"}).status
             for i in range(30)]
    assert codes[:29] == [201] * 29 and codes[29] == 429, codes
    refused(as_visitor(server, chat, "POST", "/messages", json={"body": "again"}), 429)
