"""WeCom customer service (微信客服) through a `wecom` inbound source (issue 20): the callback's
URL verification, each callback's msg_signature and AES payload checked, the messages pulled
with kf/sync_msg (the callback's token, a cursor kept per source, pages), taken in once, and an
agent's reply sent with kf/send_msg under an access token from gettoken, cached and fetched
anew when WeCom says it expired. WeCom is played by im_providers.ProviderApi on 127.0.0.1;
signatures and AES payloads are computed there as WeCom computes them."""

import urllib.parse

import pytest

from conftest import _Servers, assert_error
from im_providers import ProviderApi, WecomCrypt, kf_event
from ticket_support import make_department
from waiting import wait_until
from webhook_support import write_config

CORP = "ww1234567890abcdef"
SECRET = "kf-secret-0123456789"
TOKEN = "QDG6eK"
AES = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
KFID = "wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q"


@pytest.fixture(scope="module")
def api():
    a = ProviderApi({CORP: SECRET})
    yield a
    a.close()


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    servers = _Servers(tmp_path_factory, "wecom")
    cfg = write_config(tmp_path_factory.mktemp("wecom-config") / "gongdan.toml")
    yield servers(args=["--config", str(cfg)])
    servers.finish()


@pytest.fixture(scope="module")
def crypt():
    return WecomCrypt(TOKEN, AES, CORP)


@pytest.fixture(scope="module")
def source(srv, api):
    dept = make_department(srv.admin, "微信客服组")
    r = srv.admin.post("/api/v1/inbound-sources", json={
        "kind": "wecom", "name": "微信客服", "department": dept["id"], "app_id": CORP,
        "signing_secret": TOKEN, "aes_key": AES, "api_token": SECRET, "api_base": api.url})
    assert r.status == 201, r
    assert "aes_key" not in srv.admin.get(f"/api/v1/inbound-sources/{r.body['id']}").body
    return r.body


def callback(srv, source, query, body):
    return srv.request("POST", f"/api/v1/inbound/{source['id']}/webhook?{query}", raw_body=body,
                       headers={"Content-Type": "text/xml"})


def customer_message(n, user, text, origin=3):
    return {"msgid": f"msg-{n}", "open_kfid": KFID, "external_userid": user,
            "send_time": 1700000000 + n, "origin": origin, "msgtype": "text",
            "text": {"content": text}}


def ticket_with_subject(admin, subject):
    items = admin.get("/api/v1/tickets?limit=100").body["items"]
    return next((t for t in items if t["subject"] == subject), None)


def jobs_of(admin, kind):
    return [j for j in admin.get("/api/v1/jobs?limit=200").body["items"] if j["kind"] == kind]


def test_source_needs_corp_id_and_a_real_encoding_aes_key(srv):
    base = {"kind": "wecom", "name": "bad wecom", "aes_key": AES, "app_id": CORP}
    assert_error(srv.admin.post("/api/v1/inbound-sources", json={**base, "app_id": ""}), 400,
                 "invalid_argument", "app_id")
    assert_error(srv.admin.post("/api/v1/inbound-sources", json={**base, "aes_key": "short"}), 400,
                 "invalid_argument", "aes_key")
    assert_error(srv.admin.post("/api/v1/inbound-sources", json={**base, "aes_key": "!" * 43}),
                 400, "invalid_argument", "aes_key")


def test_url_verification_answers_the_decrypted_echostr(srv, source, crypt):
    encrypted = crypt.encrypt("1616140317555161061")
    query = urllib.parse.urlencode({**crypt.query(encrypted), "echostr": encrypted})
    r = srv.request("GET", f"/api/v1/inbound/{source['id']}/webhook?{query}")
    assert r.status == 200 and r.body == "1616140317555161061", r
    assert r.headers.get("Content-Type").startswith("text/plain")
    forged = urllib.parse.urlencode({**crypt.query(encrypted, token="other"), "echostr": encrypted})
    assert_error(srv.request("GET", f"/api/v1/inbound/{source['id']}/webhook?{forged}"), 401,
                 "unauthenticated")


def test_messages_are_pulled_once_by_cursor_and_replies_go_back(srv, api, source, crypt):
    admin = srv.admin
    api.wecom_messages += [
        customer_message(1, "wmUserA", "订单 1001 还没到"),
        {"msgid": "evt-1", "open_kfid": KFID, "external_userid": "wmUserA", "origin": 4,
         "msgtype": "event", "event": {"event_type": "enter_session"}},
        customer_message(2, "wmUserA", "还在吗"),
        customer_message(3, "wmUserB", "要开发票"),
        customer_message(4, "wmUserB", "agent typed this in WeCom", origin=5),
    ]
    api.sync_tokens.add("SYNC-1")
    query, body = crypt.callback(kf_event("SYNC-1", KFID, CORP))
    r = callback(srv, source, query, body)
    assert r.status == 200 and r.body == {"result": "queued"}, r
    # WeCom repeats a callback it got no answer to in time: one pull for both.
    assert callback(srv, source, query, body).body == {"result": "queued"}

    a = wait_until(lambda: ticket_with_subject(admin, "订单 1001 还没到"), what="A's ticket")
    b = wait_until(lambda: ticket_with_subject(admin, "要开发票"), what="B's ticket")
    msgs = wait_until(lambda: [m["body"] for m in admin.get(
        f"/api/v1/tickets/{a['number']}/messages").body["items"]] == ["订单 1001 还没到", "还在吗"]
        or None, what="A's second message")
    assert msgs
    assert a["channel"] == "im" and a["requester"]["name"] == "wmUserA"
    assert [m["body"] for m in admin.get(f"/api/v1/tickets/{b['number']}/messages").body[
        "items"]] == ["要开发票"]
    assert len(jobs_of(admin, "im_sync")) == 1
    # Pages of two from the start: no cursor, then each page's next_cursor. The last page asks
    # after the messages are stored, so wait for its call.
    wait_until(lambda: len(api.sync_calls()) >= 3 or None, what="the last page's pull")
    cursors = [c[2].get("cursor") for c in api.sync_calls()]
    assert cursors == [None, "2", "4"], cursors
    assert all(c[2]["token"] == "SYNC-1" and c[2]["open_kfid"] == KFID for c in api.sync_calls())

    # The next callback pulls from the kept cursor: only what is new.
    api.wecom_messages.append(customer_message(5, "wmUserA", "谢谢"))
    api.sync_tokens.add("SYNC-2")
    assert callback(srv, source, *crypt.callback(kf_event("SYNC-2", KFID, CORP))).status == 200
    wait_until(lambda: len(admin.get(f"/api/v1/tickets/{a['number']}/messages").body["items"])
               == 3, what="the third message")
    assert api.sync_calls()[-1][2]["cursor"] == "5"
    assert admin.get(f"/api/v1/inbound-sources/{source['id']}").body["received"] == 4

    # A reply goes back with kf/send_msg under a token from gettoken, which is then reused.
    assert admin.post(f"/api/v1/tickets/{a['number']}/messages",
                      json={"body": "明天送达"}).status == 201
    sent = wait_until(lambda: api.replies("wecom") or None, what="send_msg")
    assert sent[0]["touser"] == "wmUserA" and sent[0]["open_kfid"] == KFID
    assert sent[0]["msgtype"] == "text" and sent[0]["text"] == {"content": "明天送达"}
    tokens_asked = len([c for c in api.calls if c[0] == "/cgi-bin/gettoken"])
    assert tokens_asked == 1
    # WeCom expires the token: the next reply gets a new one and still arrives.
    api.expire_tokens()
    assert admin.post(f"/api/v1/tickets/{b['number']}/messages",
                      json={"body": "发票已开"}).status == 201
    sent = wait_until(lambda: len(api.replies("wecom")) == 2 and api.replies("wecom"),
                      what="the second send_msg")
    assert sent[1]["touser"] == "wmUserB" and sent[1]["text"]["content"] == "发票已开"
    assert len([c for c in api.calls if c[0] == "/cgi-bin/gettoken"]) == 2


def test_forged_replayed_undecryptable_and_malformed_callbacks_change_nothing(srv, api, source,
                                                                              crypt):
    admin = srv.admin
    api.sync_tokens.add("SYNC-X")
    jobs_before = len(jobs_of(admin, "im_sync"))
    event = kf_event("SYNC-X", KFID, CORP)
    query, body = crypt.callback(event)
    params = dict(urllib.parse.parse_qsl(query))
    encrypted = body.decode().split("<Encrypt><![CDATA[")[1].split("]]>")[0]

    forged = urllib.parse.urlencode(crypt.query(encrypted, token="not-the-token"))
    assert_error(callback(srv, source, forged, body), 401, "unauthenticated")
    stale = urllib.parse.urlencode(crypt.query(encrypted, at=1700000000))
    assert_error(callback(srv, source, stale, body), 401, "unauthenticated")
    assert_error(callback(srv, source, "", body), 401, "unauthenticated")
    # The Encrypt changed after signing.
    tampered = body.replace(encrypted[:8].encode(), b"AAAAAAAA")
    assert_error(callback(srv, source, query, tampered), 401, "unauthenticated")
    # For another CorpID: WeCom would never send it here.
    other = crypt.encrypt(event, corp_id="wwSomeoneElse")
    assert_error(callback(srv, source, urllib.parse.urlencode(crypt.query(other)),
                          f"<xml><Encrypt><![CDATA[{other}]]></Encrypt></xml>".encode()),
                 401, "unauthenticated")
    # Signed correctly, but not AES under our key, not base64, not XML.
    for bad in ["QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY=", "not*base64", "abc"]:
        r = callback(srv, source, urllib.parse.urlencode(crypt.query(bad)),
                     f"<xml><Encrypt><![CDATA[{bad}]]></Encrypt></xml>".encode())
        assert_error(r, 400, "invalid_argument", "Encrypt")
    assert_error(callback(srv, source, query, b"{\"json\": true}"), 400, "invalid_argument")
    assert_error(callback(srv, source, query, b"<xml><ToUserName>x</ToUserName></xml>"), 400,
                 "invalid_argument", "Encrypt")
    # A decrypted payload that is not WeCom's event XML.
    junk = crypt.encrypt("not xml at all")
    assert_error(callback(srv, source, urllib.parse.urlencode(crypt.query(junk)),
                          f"<xml><Encrypt><![CDATA[{junk}]]></Encrypt></xml>".encode()),
                 400, "invalid_argument")
    assert params["msg_signature"]
    assert len(jobs_of(admin, "im_sync")) == jobs_before
