"""Inbound sources (issue 20): the `inbound-sources` resource, each source's signed webhook
(POST /api/v1/inbound/{id}/webhook), provider retries deduplicated by event id, contacts matched
by the provider's identity, a message opening a ticket or joining the sender's open one, and an
agent's reply sent back through the same source from the job queue, to a local HTTP endpoint
that checks what a provider would. Signatures are computed here as the provider computes them."""

import hashlib
import hmac
import json as jsonlib
import time

import pytest

from conftest import assert_error
from ticket_support import make_department
from waiting import wait_until
from webhook_support import Receiver, signature_ok, write_config


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def srv(start_server, tmp_path):
    cfg = write_config(tmp_path / "gongdan.toml")
    return start_server(args=["--config", str(cfg)])


def signed(body, secret, at=None):
    raw = jsonlib.dumps(body, ensure_ascii=False).encode() if not isinstance(body, bytes) else body
    ts = str(int(at if at is not None else time.time()))
    sig = "sha256=" + hmac.new(secret.encode(), ts.encode() + b"." + raw,
                               hashlib.sha256).hexdigest()
    return raw, {"X-Gongdan-Timestamp": ts, "X-Gongdan-Signature": sig,
                 "Content-Type": "application/json"}


def post_raw(srv, source_id, raw, headers):
    return srv.request("POST", f"/api/v1/inbound/{source_id}/webhook", raw_body=raw,
                              headers=headers)


def add_source(admin, **body):
    r = admin.post("/api/v1/inbound-sources", json=body)
    assert r.status == 201, r
    return r.body


def counts(admin):
    tickets = admin.get("/api/v1/tickets?limit=100").body["items"]
    return len(tickets)


def test_generic_source_takes_messages_once_and_replies_go_back(srv, receiver):
    admin = srv.admin
    dept = make_department(admin, "IM desk")
    source = add_source(admin, kind="generic", name="Shop chat", department=dept["id"],
                        api_base=receiver.url)
    secret = source["signing_secret"]
    assert source["has_signing_secret"] is True and len(secret) >= 32
    listed = admin.get(f"/api/v1/inbound-sources/{source['id']}").body
    assert "signing_secret" not in listed, "a secret is shown once"

    msg = {"id": "evt-1", "from": {"id": "cust-42", "name": "王芳"}, "text": "订单没到\n第二行"}
    raw, headers = signed(msg, secret)
    r = post_raw(srv, source["id"], raw, headers)
    assert r.status == 200 and r.body["result"] == "created", r
    number = r.body["ticket"]
    t = admin.get(f"/api/v1/tickets/{number}").body
    assert t["subject"] == "订单没到" and t["channel"] == "im"
    assert t["department"]["id"] == dept["id"]
    assert t["requester"]["name"] == "王芳"

    # The provider retries the same event (even re-signed later): one message.
    raw, headers = signed(msg, secret)
    r = post_raw(srv, source["id"], raw, headers)
    assert r.status == 200 and r.body["result"] == "duplicate", r
    # The same sender again: the same contact, on the same open ticket.
    raw, headers = signed({"id": "evt-2", "from": {"id": "cust-42"}, "text": "还在吗"}, secret)
    r = post_raw(srv, source["id"], raw, headers)
    assert r.status == 200 and r.body == {"result": "added", "ticket": number,
                                          "message": r.body["message"]}, r
    messages = admin.get(f"/api/v1/tickets/{number}/messages").body["items"]
    assert [m["body"] for m in messages] == ["订单没到\n第二行", "还在吗"]
    assert all(m["channel"] == "im" for m in messages)
    assert admin.get(f"/api/v1/inbound-sources/{source['id']}").body["received"] == 2

    # The agent's reply goes back through the source, signed with its secret.
    r = admin.post(f"/api/v1/tickets/{number}/messages", json={"body": "已为您查询，明天到。"})
    assert r.status == 201, r
    got = receiver.wait_for(lambda reqs: len(reqs) >= 1, what="the reply")
    assert signature_ok(got[0], secret)
    assert got[0]["json"]["to"] == "cust-42"
    assert got[0]["json"]["text"] == "已为您查询，明天到。"
    assert got[0]["json"]["ticket"] == number
    # An internal note stays on the desk.
    r = admin.post(f"/api/v1/tickets/{number}/messages", json={"body": "n", "internal": True})
    assert r.status == 201
    jobs = admin.get("/api/v1/jobs?limit=200").body["items"]
    assert len([j for j in jobs if j["kind"] == "im_reply"]) == 1, jobs


def test_forged_stale_and_malformed_requests_change_nothing(srv):
    admin = srv.admin
    source = add_source(admin, kind="generic", name="Forms")
    secret = source["signing_secret"]
    before = counts(admin)
    msg = {"id": "e1", "from": {"id": "u1"}, "text": "hello"}

    raw, headers = signed(msg, "not-the-secret")
    assert_error(post_raw(srv, source["id"], raw, headers), 401, "unauthenticated")
    raw, headers = signed(msg, secret, at=time.time() - 3600)
    assert_error(post_raw(srv, source["id"], raw, headers), 401, "unauthenticated")
    raw, _ = signed(msg, secret)
    assert_error(post_raw(srv, source["id"], raw, {"Content-Type": "application/json"}), 401,
                 "unauthenticated")
    # A body changed after signing.
    raw, headers = signed(msg, secret)
    assert_error(post_raw(srv, source["id"], raw.replace(b"hello", b"hullo"), headers), 401,
                 "unauthenticated")
    for bad, field in [(b"{not json", None), (b"[1,2]", None),
                       (jsonlib.dumps({"id": "e2", "text": "x"}).encode(), "from"),
                       (jsonlib.dumps({"id": "e3", "from": {"id": "u"}}).encode(), "text"),
                       (jsonlib.dumps({"from": {"id": "u"}, "text": "x"}).encode(), "id"),
                       (jsonlib.dumps({"id": {"a": 1}, "from": {"id": "u"}, "text": "x"}).encode(),
                        "id")]:
        raw, headers = signed(bad, secret)
        r = post_raw(srv, source["id"], raw, headers)
        assert_error(r, 400, "invalid_argument", field)
    assert_error(post_raw(srv, 999999, *signed(msg, secret)), 404, "not_found")
    # A source switched off answers like none.
    assert admin.patch(f"/api/v1/inbound-sources/{source['id']}",
                       json={"active": False}).status == 200
    assert_error(post_raw(srv, source["id"], *signed(msg, secret)), 404, "not_found")
    assert counts(admin) == before


def test_telegram_updates_and_replies_through_send_message(srv, receiver):
    admin = srv.admin
    base = receiver.url.rsplit("/", 1)[0]
    source = add_source(admin, kind="telegram", name="Bot", signing_secret="tg-secret_123",
                        api_token="123456:ABC-token", api_base=base)
    update = {"update_id": 900001,
              "message": {"message_id": 7, "date": int(time.time()),
                          "from": {"id": 5551, "is_bot": False, "first_name": "Ivan",
                                   "last_name": "Petrov", "username": "ivp"},
                          "chat": {"id": 5551, "type": "private"},
                          "text": "My order is late"}}
    raw = jsonlib.dumps(update).encode()
    hdr = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "tg-secret_123"}
    r = post_raw(srv, source["id"], raw, hdr)
    assert r.status == 200 and r.body["result"] == "created", r
    number = r.body["ticket"]
    assert admin.get(f"/api/v1/tickets/{number}").body["requester"]["name"] == "Ivan Petrov"
    assert post_raw(srv, source["id"], raw, hdr).body["result"] == "duplicate"
    # Wrong or missing secret token: 401; an edit (not a new message): taken, nothing made.
    assert_error(post_raw(srv, source["id"], raw, {**hdr, "X-Telegram-Bot-Api-Secret-Token": "x"}),
                 401, "unauthenticated")
    assert_error(post_raw(srv, source["id"], raw, {"Content-Type": "application/json"}), 401,
                 "unauthenticated")
    edit = {"update_id": 900002, "edited_message": update["message"]}
    r = post_raw(srv, source["id"], jsonlib.dumps(edit).encode(), hdr)
    assert r.status == 200 and r.body == {"result": "ignored"}, r

    r = admin.post(f"/api/v1/tickets/{number}/messages", json={"body": "It ships today."})
    assert r.status == 201, r
    got = receiver.wait_for(lambda reqs: len(reqs) >= 1, what="sendMessage")
    assert got[0]["path"] == "/bot123456:ABC-token/sendMessage"
    assert got[0]["json"] == {"chat_id": 5551, "text": "It ships today."}


def test_reply_that_keeps_failing_ends_in_the_dead_letters(start_server, tmp_path):
    failing = Receiver(status=500)
    try:
        cfg = write_config(tmp_path / "gongdan.toml",
                           extra="mail_max_attempts = 2\nmail_retry_base_ms = 100\n")
        srv = start_server(args=["--config", str(cfg)])
        admin = srv.admin
        source = add_source(admin, kind="generic", name="Flaky", api_base=failing.url)
        raw, headers = signed({"id": "x1", "from": {"id": "c"}, "text": "hi"},
                              source["signing_secret"])
        number = post_raw(srv, source["id"], raw, headers).body["ticket"]
        assert admin.post(f"/api/v1/tickets/{number}/messages", json={"body": "yo"}).status == 201
        failing.wait_for(lambda reqs: len(reqs) >= 2, what="two tries")

        def dead():
            items = admin.get("/api/v1/jobs?state=dead&limit=50").body["items"]
            return [j for j in items if j["kind"] == "im_reply"]

        jobs = wait_until(dead, 30, what="the dead letter")
        assert "500" in jobs[0]["last_error"]
    finally:
        failing.close()
