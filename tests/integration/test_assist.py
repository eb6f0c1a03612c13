"""Drafts and summaries from a chat-completions endpoint (issue 22), against a stub of the wire
format on 127.0.0.1 (chat_stub.py): off by default (409, nothing sent), the admin's settings
(the key sealed, never shown), a draft from the public thread and the matching articles, a
summary with the notes, the endpoint's slowness, errors and garbage as 504 and 502, every
request logged with its tokens, who may ask, at most max_concurrent requests at once (503
beyond), and the log pruned after log_days on the test clock."""

import threading

import pytest

from chat_stub import ChatStub
from conftest import assert_error
from kb_support import make_article, make_section
from ticket_support import agent, customer, new_ticket, reply, uniq
from waiting import wait_until

ZH = "您好，办公室的打印机从今天早上开始无法连接，重启之后还是不行，麻烦尽快处理。"


@pytest.fixture(scope="module")
def stub():
    s = ChatStub()
    yield s
    s.close()


def settings(admin):
    r = admin.get("/api/v1/assist-settings")
    assert r.status == 200, r
    [item] = r.body["items"]
    return item


def configure(admin, expect=200, **changes):
    r = admin.patch(f"/api/v1/assist-settings/{settings(admin)['id']}", json=changes)
    assert r.status == expect, r
    return r.body


def draft(sess, number, expect=200, what="draft"):
    r = sess.post(f"/api/v1/tickets/{number}/{what}", json={})
    assert r.status == expect, r
    return r.body


def test_off_by_default_nothing_is_sent(server, stub):
    admin = server.admin
    s = settings(admin)
    assert s["enabled"] is False and s["has_api_key"] is False and s["base_url"] == ""
    t = new_ticket(admin, subject="Printer", body=ZH)
    assert_error(admin.post(f"/api/v1/tickets/{t['number']}/draft", json={}), 409, "conflict")
    assert_error(admin.post(f"/api/v1/tickets/{t['number']}/summary"), 409, "conflict")
    assert stub.requests == []
    # Turning it on needs somewhere to send to.
    assert_error(admin.patch(f"/api/v1/assist-settings/{s['id']}", json={"enabled": True}),
                 400, "invalid_argument", "base_url")
    assert_error(admin.patch(f"/api/v1/assist-settings/{s['id']}",
                             json={"base_url": "ftp://127.0.0.1/v1"}),
                 400, "invalid_argument", "base_url")
    assert_error(admin.patch(f"/api/v1/assist-settings/{s['id']}", json={"timeout_seconds": 0}),
                 400, "invalid_argument", "timeout_seconds")
    assert server.agent_session().get("/api/v1/assist-settings").status == 403


def test_a_draft_from_the_thread_and_the_articles(server, stub):
    admin = server.admin
    configure(admin, enabled=True, base_url=stub.base_url + "/", model="stub-model",
              api_key="stub-key", max_tokens=300, timeout_seconds=10)
    s = settings(admin)
    assert s["has_api_key"] is True and "stub-key" not in str(s)
    assert s["base_url"] == stub.base_url  # the trailing slash is dropped
    w = uniq("zq")
    _, section = make_section(admin)
    article = make_article(admin, section["id"], {"zh-CN": (f"打印机无法连接 {w}", "先检查网线。")})
    t = new_ticket(admin, subject=f"打印机无法连接 {w}", body=ZH)
    reply(admin, t["number"], body="内部备注：客户是 VIP", internal=True)
    stub.reply = "您好，请先检查打印机的网线。"
    got = draft(admin, t["number"])
    assert got["text"] == "您好，请先检查打印机的网线。"
    assert got["completion_tokens"] == 11 and got["prompt_tokens"] > 0
    assert got["article_ids"] == [article["id"]]
    draft_tokens = got["prompt_tokens"]
    asked = stub.requests[-1]
    assert asked["model"] == "stub-model" and asked["max_tokens"] == 300
    prompt = stub.last_prompt()
    assert ZH in prompt and "先检查网线。" in prompt and "Simplified Chinese" in prompt
    assert "VIP" not in prompt  # a draft for the customer never sees internal notes
    # The draft was not sent: the thread holds the requester's message and the note only.
    assert len(admin.get(f"/api/v1/tickets/{t['number']}/messages").body["items"]) == 2

    stub.reply = "- The printer is offline"
    got = draft(admin, t["number"], what="summary")
    assert got["text"] == "- The printer is offline" and got["article_ids"] == []
    assert "VIP" in stub.last_prompt()  # the agent's summary does

    log = admin.get("/api/v1/assist/requests?limit=1")
    assert log.status == 200, log
    [newest] = log.body["items"]
    assert (newest["kind"], newest["outcome"], newest["ticket_number"]) == ("summary", "ok",
                                                                             t["number"])
    assert log.body["use_30_days"] == {"requests": 2, "prompt_tokens": newest["prompt_tokens"] +
                                       draft_tokens, "completion_tokens": 22}
    more = admin.get("/api/v1/assist/requests?limit=1&cursor=" + log.body["next_cursor"]).body
    [older] = more["items"]
    assert older["kind"] == "draft" and older["prompt_tokens"] == draft_tokens
    assert older["model"] == "stub-model" and older["http_status"] == 200 and not older["error"]
    assert more["next_cursor"] is None
    assert server.agent_session().get("/api/v1/assist/requests").status == 403


@pytest.mark.parametrize("mode, status, code, outcome", [
    ("error", 502, "bad_gateway", "refused"),
    ("garbage", 502, "bad_gateway", "garbage"),
    ("empty", 502, "bad_gateway", "garbage"),
    ("slow", 504, "gateway_timeout", "timeout"),
])
def test_the_endpoints_failures_are_502_and_504(server, stub, mode, status, code, outcome):
    admin = server.admin
    configure(admin, enabled=True, base_url=stub.base_url, model="stub-model",
              api_key="stub-key", timeout_seconds=1)
    t = new_ticket(admin, subject="Network", body="The network is down on floor three.")
    stub.mode = mode
    try:
        r = admin.post(f"/api/v1/tickets/{t['number']}/draft", json={})
    finally:
        stub.mode = "ok"
    assert_error(r, status, code)
    assert "model endpoint" in r.body["error"]["message"]
    entry = admin.get("/api/v1/assist/requests?limit=1").body["items"][0]
    assert (entry["outcome"], entry["ticket_number"]) == (outcome, t["number"]) and entry["error"]


def test_a_wrong_key_and_the_admins_test(server, stub):
    admin = server.admin
    configure(admin, enabled=False, base_url=stub.base_url, model="stub-model",
              api_key="wrong-key", timeout_seconds=10)
    r = admin.post("/api/v1/assist/test", json={})
    assert r.status == 200 and r.body["ok"] is False and "401" in r.body["message"], r
    configure(admin, api_key="stub-key")
    stub.reply = "OK"
    before = len(stub.requests)
    r = admin.post("/api/v1/assist/test")
    assert r.status == 200 and r.body == {"ok": True, "message": "OK",
                                          "duration_ms": r.body["duration_ms"]}, r
    assert len(stub.requests) == before + 1 and "Answer with" in stub.last_prompt()
    assert server.agent_session().post("/api/v1/assist/test", json={}).status == 403
    assert_error(admin.post("/api/v1/assist/test", json={"x": 1}), 400, "invalid_argument")


def test_who_may_ask(server, stub):
    admin = server.admin
    configure(admin, enabled=True, base_url=stub.base_url, model="stub-model",
              api_key="stub-key", timeout_seconds=10)
    me = customer(server)
    mine = new_ticket(me, subject="My printer", body=ZH, requester=False)
    for role in ("agent", "supervisor"):
        assert draft(agent(server, role=role, all_departments=True), mine["number"])["text"]
    light = agent(server, role="light_agent", all_departments=True)
    assert_error(light.post(f"/api/v1/tickets/{mine['number']}/draft", json={}),
                 403, "permission_denied")
    assert_error(me.post(f"/api/v1/tickets/{mine['number']}/summary", json={}),
                 403, "permission_denied")
    assert_error(admin.post("/api/v1/tickets/99999999/draft", json={}), 404, "not_found")


def test_requests_beyond_max_concurrent_are_refused_as_busy(server, stub):
    # A stub of our own that holds its answers until released: one request waits on it while
    # the next one comes.
    held = ChatStub()
    held.mode = "slow"
    admin = server.admin
    configure(admin, enabled=True, base_url=held.base_url, model="stub-model", api_key="stub-key",
              timeout_seconds=30, max_concurrent=1)
    t = new_ticket(admin, subject="Printer", body=ZH)
    first = {}
    waiting_agent = agent(server, all_departments=True)
    thread = threading.Thread(target=lambda: first.update(r=waiting_agent.post(
        f"/api/v1/tickets/{t['number']}/draft", json={})))
    try:
        thread.start()
        wait_until(lambda: len(held.requests) == 1, what="the first request at the endpoint")
        logged = admin.get("/api/v1/assist/requests?limit=100").body["items"]
        r = admin.post(f"/api/v1/tickets/{t['number']}/summary", json={})
        assert_error(r, 503, "unavailable")
        assert "busy" in r.body["error"]["message"], r
        assert_error(admin.post("/api/v1/assist/test", json={}), 503, "unavailable")
        # Refused before anything was sent: the endpoint saw one request, the log has nothing new.
        assert len(held.requests) == 1
        assert admin.get("/api/v1/assist/requests?limit=100").body["items"] == logged
    finally:
        held.release.set()
        thread.join(30)
        held.close()
    assert first["r"].status == 200, first["r"]
    # The place is free again once the first answer came.
    configure(admin, base_url=stub.base_url)
    assert draft(admin, t["number"], what="summary")["text"]
    configure(admin, max_concurrent=4)
    assert_error(admin.patch(f"/api/v1/assist-settings/{settings(admin)['id']}",
                             json={"max_concurrent": 0}), 400, "invalid_argument", "max_concurrent")


def test_the_request_log_is_pruned_after_its_days(start_server):
    stub = ChatStub()
    try:
        srv = start_server(clock="2026-03-02T09:00:00Z")
        admin = srv.admin
        configure(admin, enabled=True, base_url=stub.base_url, model="stub-model",
                  api_key="stub-key", timeout_seconds=10, log_days=2)
        t = new_ticket(admin, subject="Printer", body=ZH)
        draft(admin, t["number"])
        draft(admin, t["number"], what="summary")
        srv.advance(days=1, hours=3)  # 2026-03-03 12:00
        draft(srv.sign_admin_in_again(), t["number"])

        def logged():
            items = srv.sign_admin_in_again().get("/api/v1/assist/requests?limit=100").body["items"]
            return sorted(e["at"] for e in items)
        # Each midnight's run (the clock stops there, as it passes there in life) drops what is
        # older than two days: at the first two, nothing; at the third, the first two.
        srv.set_clock("2026-03-04T00:00:00Z")
        assert logged() == ["2026-03-02T09:00:00.000Z", "2026-03-02T09:00:00.000Z",
                            "2026-03-03T12:00:00.000Z"]
        srv.set_clock("2026-03-05T00:00:00Z")
        assert logged() == ["2026-03-03T12:00:00.000Z"]
        srv.set_clock("2026-03-06T00:00:00Z")
        assert logged() == []
        # An empty log queues no further runs.
        queued = [j for j in srv.admin.get("/api/v1/jobs?state=queued&limit=200").body["items"]
                  if j["kind"] == "assist_log"]
        assert queued == [], queued
    finally:
        stub.close()
