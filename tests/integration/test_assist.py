"""Drafts and summaries from a chat-completions endpoint (issue 22), against a stub of the wire
format on 127.0.0.1 (chat_stub.py): off by default (409, nothing sent), the admin's settings
(the key sealed, never shown), a draft from the public thread and the matching articles, a
summary with the notes, the endpoint's slowness, errors and garbage as 504 and 502, every
request logged with its tokens, and who may ask."""

import pytest

from chat_stub import ChatStub
from conftest import assert_error
from kb_support import make_article, make_section
from ticket_support import agent, customer, new_ticket, reply, uniq

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
