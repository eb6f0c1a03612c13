"""End-to-end ticket flows through the real binary: create, change, visibility, search, views,
live updates. The finer matrices live in the other test_tickets_* files."""
import threading
from urllib.parse import quote

import pytest

from ws_client import WS


def new_ticket(sess, subject="打印机无法连接", body="办公室的打印机无法连接, printers offline",
               requester="li@example.cn", **extra):
    payload = {"subject": subject, "body": body, "requester": {"email": requester, "name": "李雷"}}
    payload.update(extra)
    r = sess.post("/api/v1/tickets", json=payload)
    assert r.status == 201, r
    return r.body


@pytest.fixture(scope="module")
def depts(server, admin):
    a = admin.post("/api/v1/departments", json={"name": "售后"}).body
    b = admin.post("/api/v1/departments", json={"name": "IT"}).body
    return a, b


def test_numbers_are_unique_under_concurrency(server, admin):
    numbers, lock = [], threading.Lock()

    def worker():
        for _ in range(5):
            r = admin.post("/api/v1/tickets", json={"subject": "c", "body": "b",
                                                     "requester": {"email": "c@x.cn"}})
            assert r.status == 201
            with lock:
                numbers.append(r.body["number"])

    threads = [threading.Thread(target=worker) for _ in range(8)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert len(set(numbers)) == 40
    assert max(numbers) - min(numbers) == 39


def test_idempotency_key_replays_the_first_answer(server, admin):
    h = {"Idempotency-Key": "abc-123"}
    body = {"subject": "once", "body": "b", "requester": {"email": "once@x.cn"}}
    first = admin.post("/api/v1/tickets", json=body, headers=h)
    second = admin.post("/api/v1/tickets", json=body, headers=h)
    assert first.status == 201 and second.status == 200
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert first.body["number"] == second.body["number"]


def test_stale_if_match_is_412_and_history_records_changes(server, admin):
    t = new_ticket(admin)
    n = t["number"]
    ok = admin.patch(f"/api/v1/tickets/{n}", json={"priority": "urgent"},
                     headers={"If-Match": '"v1"'})
    assert ok.status == 200 and ok.body["version"] == 2
    stale = admin.patch(f"/api/v1/tickets/{n}", json={"priority": "low"},
                        headers={"If-Match": '"v1"'})
    assert stale.status == 412
    fields = [e["field"] for e in admin.get(f"/api/v1/tickets/{n}/history").body["items"]]
    assert fields[:2] == ["created", "priority"]


def test_department_visibility_and_internal_notes(server, admin, depts):
    dept_a, dept_b = depts
    agent_user, pw = server.create_agent()
    assert admin.request("PUT", f"/api/v1/agents/{agent_user['id']}/departments",
                         json={"departments": [dept_a["id"]]}).status == 200
    agent = server.login(agent_user["email"], pw)
    customer_user, cpw = server.create_contact()
    customer = server.login(customer_user["email"], cpw)
    other_user, opw = server.create_contact()
    other = server.login(other_user["email"], opw)

    r = customer.post("/api/v1/tickets", json={"subject": "我的工单", "body": "请帮忙",
                                               "department": dept_a["id"]})
    assert r.status == 201
    mine = r.body["number"]
    hidden = new_ticket(admin, department=dept_b["id"])["number"]

    assert agent.get(f"/api/v1/tickets/{mine}").status == 200
    assert agent.get(f"/api/v1/tickets/{hidden}").status == 404  # not 403: numbers can't be probed
    assert other.get(f"/api/v1/tickets/{mine}").status == 404
    assert agent.post(f"/api/v1/tickets/{mine}/messages",
                      json={"body": "内部备注 secret", "internal": True}).status == 201
    seen = [m["body"] for m in customer.get(f"/api/v1/tickets/{mine}/messages").body["items"]]
    assert "内部备注 secret" not in seen
    hits = customer.get("/api/v1/search?q=secret").body["items"]
    assert all(h["ticket"]["number"] != mine for h in hits)
    assert customer.patch(f"/api/v1/tickets/{mine}", json={"assignee": agent_user["id"]}).status == 403
    assert agent.post(f"/api/v1/tickets/{hidden}/merge", json={"into": mine}).status == 404


def test_search_finds_chinese_without_spaces_and_english_word_forms(server, admin):
    t = new_ticket(admin, subject="网络问题", body="办公室的打印机无法连接", requester="s1@x.cn")
    e = new_ticket(admin, subject="Office", body="The printer is jammed", requester="s2@x.cn")
    zh = [h["ticket"]["number"] for h in admin.get("/api/v1/search?q=" + quote("打印机")).body["items"]]
    en = [h["ticket"]["number"] for h in admin.get("/api/v1/search?q=printers").body["items"]]
    assert t["number"] in zh
    assert e["number"] in en
    snippet = admin.get("/api/v1/search?q=" + quote("打印机")).body["items"][0]["snippet"]
    assert "<mark>打印机</mark>" in snippet


def test_view_counts_follow_changes(server, admin):
    def count(view):
        return {v["id"]: v["count"] for v in admin.get("/api/v1/views").body["items"]}[view]

    before = count("all_open")
    t = new_ticket(admin, requester="v@x.cn")
    assert count("all_open") == before + 1
    solved = [s for s in admin.get("/api/v1/statuses").body["items"] if s["category"] == "solved"][0]
    assert admin.patch(f"/api/v1/tickets/{t['number']}", json={"status": solved["id"]}).status == 200
    assert count("all_open") == before
    listed = admin.get("/api/v1/tickets?view=all_open&limit=200").body["items"]
    assert len(listed) == min(before, 200)


def test_live_updates_reach_agents_who_may_see_the_ticket(server, admin, depts):
    dept_a, dept_b = depts
    agent_user, pw = server.create_agent()
    admin.request("PUT", f"/api/v1/agents/{agent_user['id']}/departments",
                  json={"departments": [dept_a["id"]]})
    token = server.login(agent_user["email"], pw).post(
        "/api/v1/tokens", json={"name": "ws"}).body["token"]
    ws = WS(server.host, server.port, "/api/v1/stream", {"Authorization": "Bearer " + token})
    assert ws.status == 101
    assert ws.recv()["type"] == "hello"
    new_ticket(admin, department=dept_b["id"], subject="hidden one")
    visible = new_ticket(admin, department=dept_a["id"], subject="visible one")
    event = ws.recv()
    assert event["type"] == "ticket.created"
    assert event["ticket"]["number"] == visible["number"]  # the hidden one never arrived
    anon = WS(server.host, server.port, "/api/v1/stream", {})
    assert anon.status == 401


def test_counts_stay_exact_when_writes_share_a_batch(server, admin, depts):
    dept_a, _ = depts

    def count(view):
        return {v["id"]: v["count"] for v in admin.get("/api/v1/views").body["items"]}[view]

    def listed(query):
        items, cursor = [], ""
        while True:
            page = admin.get(f"/api/v1/tickets?{query}&limit=200&cursor={cursor}").body
            items += page["items"]
            if not page["next_cursor"]:
                return len(items)
            cursor = page["next_cursor"]

    errors = []

    def worker(i):
        r = admin.post("/api/v1/tickets", json={"subject": f"batch {i}", "body": "b",
                                                 "requester": {"email": f"b{i}@x.cn"},
                                                 "department": dept_a["id"]})
        if r.status != 201:
            errors.append(r)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(48)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert not errors
    assert count("all_open") == listed("view=all_open")
    assert count("unassigned") == listed("view=unassigned")
