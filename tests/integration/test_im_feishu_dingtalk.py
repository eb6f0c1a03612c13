"""Feishu and DingTalk inbound sources (issue 20): Feishu's url_verification challenge, its
Verification Token, Encrypt Key (AES-256-CBC under SHA-256 of the key) and X-Lark-Signature;
DingTalk's timestamp + sign (HMAC-SHA256 with the AppSecret); messages taken once by the
provider's event id; replies through Feishu's im/v1/messages under a tenant_access_token and
DingTalk's robot batchSend under an app access token, both fetched anew when refused. The
providers are played by im_providers.ProviderApi on 127.0.0.1, signing and encrypting as they
do."""

import json as jsonlib
import time

import pytest

from conftest import _Servers, assert_error
from im_providers import (ProviderApi, dingtalk_message, dingtalk_signed, feishu_message,
                          feishu_seal, feishu_signed)
from waiting import wait_until
from webhook_support import write_config

FEISHU_APP, FEISHU_SECRET = "cli_a1b2c3", "feishu-app-secret"
VTOKEN, ENCKEY = "v-token-123", "enc-key-456"
DING_APP, DING_SECRET = "dingappkey01", "ding-app-secret-xyz"


@pytest.fixture(scope="module")
def api():
    a = ProviderApi({FEISHU_APP: FEISHU_SECRET, DING_APP: DING_SECRET})
    yield a
    a.close()


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    servers = _Servers(tmp_path_factory, "im")
    cfg = write_config(tmp_path_factory.mktemp("im-config") / "gongdan.toml")
    yield servers(args=["--config", str(cfg)])
    servers.finish()


def add_source(srv, **body):
    r = srv.admin.post("/api/v1/inbound-sources", json=body)
    assert r.status == 201, r
    return r.body


def post(srv, source, raw, headers):
    return srv.request("POST", f"/api/v1/inbound/{source['id']}/webhook", raw_body=raw,
                       headers=headers)


def encrypted(obj):
    return jsonlib.dumps({"encrypt": feishu_seal(ENCKEY, obj)}).encode()


def messages_of(srv, number):
    return [m["body"] for m in srv.admin.get(f"/api/v1/tickets/{number}/messages").body["items"]]


def test_feishu_challenge_events_and_replies(srv, api):
    source = add_source(srv, kind="feishu", name="飞书", signing_secret=VTOKEN, aes_key=ENCKEY,
                        app_id=FEISHU_APP, api_token=FEISHU_SECRET, api_base=api.url)
    # The console's URL check comes encrypted but unsigned.
    raw = encrypted({"challenge": "ajls384kdjx98XX", "token": VTOKEN, "type": "url_verification"})
    r = post(srv, source, raw, {"Content-Type": "application/json"})
    assert r.status == 200 and r.body == {"challenge": "ajls384kdjx98XX"}, r

    raw = encrypted(feishu_message("ev-1", "ou_alice", "打印机坏了", VTOKEN))
    r = post(srv, source, raw, feishu_signed(ENCKEY, raw))
    assert r.status == 200 and r.body["result"] == "created", r
    number = r.body["ticket"]
    # Feishu retries an event it had no answer to: the same event_id, freshly signed.
    assert post(srv, source, raw, feishu_signed(ENCKEY, raw)).body["result"] == "duplicate"
    t = srv.admin.get(f"/api/v1/tickets/{number}").body
    assert t["subject"] == "打印机坏了" and t["channel"] == "im"

    assert srv.admin.post(f"/api/v1/tickets/{number}/messages",
                          json={"body": "已派人处理"}).status == 201
    sent = wait_until(lambda: api.replies("feishu") or None, what="im/v1/messages")
    assert sent[0]["receive_id"] == "ou_alice" and sent[0]["msg_type"] == "text"
    assert jsonlib.loads(sent[0]["content"]) == {"text": "已派人处理"}
    assert sent[0]["uuid"].startswith("gongdan-reply-")
    api.expire_tokens()
    assert srv.admin.post(f"/api/v1/tickets/{number}/messages",
                          json={"body": "修好了"}).status == 201
    sent = wait_until(lambda: len(api.replies("feishu")) == 2 and api.replies("feishu"),
                      what="the reply after the token expired")
    assert jsonlib.loads(sent[1]["content"]) == {"text": "修好了"}


def test_feishu_refuses_forged_stale_unsigned_and_undecryptable_events(srv):
    source = add_source(srv, kind="feishu", name="飞书 2", signing_secret=VTOKEN,
                        aes_key=ENCKEY)
    tickets = len(srv.admin.get("/api/v1/tickets?limit=100").body["items"])
    raw = encrypted(feishu_message("ev-x", "ou_bob", "hi", VTOKEN))
    assert_error(post(srv, source, raw, feishu_signed(ENCKEY, raw, key="not-the-key")), 401,
                 "unauthenticated")
    assert_error(post(srv, source, raw, feishu_signed(ENCKEY, raw, at=time.time() - 3600)), 401,
                 "unauthenticated")
    assert_error(post(srv, source, raw, {"Content-Type": "application/json"}), 401,
                 "unauthenticated")
    wrong = encrypted(feishu_message("ev-y", "ou_bob", "hi", "wrong-token"))
    assert_error(post(srv, source, wrong, feishu_signed(ENCKEY, wrong)), 401, "unauthenticated")
    for bad in [b'{"encrypt": "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWYwMTIzNDU2Nzg5"}',
                b'{"encrypt": "***"}', b'{"no": "encrypt"}']:
        assert_error(post(srv, source, bad, feishu_signed(ENCKEY, bad)), 400, "invalid_argument",
                     "encrypt")
    assert_error(post(srv, source, b"{not json", feishu_signed(ENCKEY, b"{not json")), 400,
                 "invalid_argument")
    assert len(srv.admin.get("/api/v1/tickets?limit=100").body["items"]) == tickets

    # Without an Encrypt Key, Feishu sends plain JSON proved by the Verification Token.
    plain = add_source(srv, kind="feishu", name="飞书明文", signing_secret=VTOKEN)
    body = jsonlib.dumps(feishu_message("ev-p", "ou_carol", "plain text", VTOKEN)).encode()
    assert post(srv, plain, body, {"Content-Type": "application/json"}).body["result"] == "created"
    body = jsonlib.dumps(feishu_message("ev-q", "ou_carol", "forged", "guess")).encode()
    assert_error(post(srv, plain, body, {"Content-Type": "application/json"}), 401,
                 "unauthenticated")


def test_dingtalk_robot_messages_and_replies(srv, api):
    source = add_source(srv, kind="dingtalk", name="钉钉", app_id=DING_APP,
                        signing_secret=DING_SECRET, api_base=api.url)
    raw = jsonlib.dumps(dingtalk_message("msg-1", "staff42", "杨静", "VPN 连不上"),
                        ensure_ascii=False).encode()
    r = post(srv, source, raw, dingtalk_signed(DING_SECRET))
    assert r.status == 200 and r.body["result"] == "created", r
    number = r.body["ticket"]
    assert post(srv, source, raw, dingtalk_signed(DING_SECRET)).body["result"] == "duplicate"
    t = srv.admin.get(f"/api/v1/tickets/{number}").body
    assert t["subject"] == "VPN 连不上" and t["requester"]["name"] == "杨静"

    tickets = len(srv.admin.get("/api/v1/tickets?limit=100").body["items"])
    other = jsonlib.dumps(dingtalk_message("msg-2", "staff42", "杨静", "x")).encode()
    assert_error(post(srv, source, other, dingtalk_signed("wrong-secret")), 401,
                 "unauthenticated")
    assert_error(post(srv, source, other,
                      dingtalk_signed(DING_SECRET, at_ms=(time.time() - 7200) * 1000)), 401,
                 "unauthenticated")
    assert_error(post(srv, source, other, {"Content-Type": "application/json"}), 401,
                 "unauthenticated")
    for bad, field in [(b"[1]", None), (b'{"msgtype": "text"}', "msgId"),
                       (b'{"msgId": "m", "msgtype": "text", "senderStaffId": "s", "text": 5}',
                        "text")]:
        assert_error(post(srv, source, bad, dingtalk_signed(DING_SECRET)), 400,
                     "invalid_argument", field)
    assert len(srv.admin.get("/api/v1/tickets?limit=100").body["items"]) == tickets

    assert srv.admin.post(f"/api/v1/tickets/{number}/messages",
                          json={"body": "请重启客户端"}).status == 201
    sent = wait_until(lambda: api.replies("dingtalk") or None, what="batchSend")
    assert sent[0]["robotCode"] == DING_APP and sent[0]["userIds"] == ["staff42"]
    assert sent[0]["msgKey"] == "sampleText"
    assert jsonlib.loads(sent[0]["msgParam"]) == {"content": "请重启客户端"}
    assert messages_of(srv, number) == ["VPN 连不上", "请重启客户端"]
