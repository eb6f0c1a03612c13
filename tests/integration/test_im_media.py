"""Files customers send through WeCom customer service, Feishu and DingTalk (issue 20) become
attachments of their message, fetched as each provider's documented media API serves them:
WeCom media/get (media_id, under the app's access token; errors are errcode JSON at HTTP 200),
Feishu im/v1/messages/{message_id}/resources/{file_key}?type= (Bearer tenant_access_token),
DingTalk v1.0/robot/messageFiles/download (downloadCode + robotCode; its answer's downloadUrl
holds the bytes). The real services cannot be reached from here: im_providers.ProviderApi plays
those endpoints (and the token endpoints) on 127.0.0.1, as their documentation describes them.
Each file is one im_file job; an expired token is fetched anew once; a missing file, a file over
20 MB or an answer that is no file is a dead job with the provider's words, and the message and
its text stay. An "attachment.created" live event tells an open desk the file is there."""

import hashlib
import json as jsonlib
import time
import urllib.parse

import pytest

from conftest import _Servers
from im_providers import (FileAnswer, ProviderApi, WecomCrypt, dingtalk_signed, feishu_message,
                          feishu_seal, feishu_signed, kf_event)
from ticket_support import WebSocket
from waiting import wait_until
from webhook_support import write_config

CORP, WECOM_SECRET = "ww00media00corp", "kf-media-secret"
WECOM_TOKEN, AES = "MdTok1", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
KFID = "wkMEDIA_kf"
FEISHU_APP, FEISHU_SECRET = "cli_media01", "feishu-media-secret"
VTOKEN, ENCKEY = "v-media-token", "enc-media-key"
DING_APP, DING_SECRET = "dingmedia01", "ding-media-secret"

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256)) * 30
PDF = b"%PDF-1.4\n" + "合同 contract\n".encode() * 400 + b"%%EOF\n"
AMR = b"#!AMR\n" + bytes(range(32)) * 100
HUGE = b"\0" * (21 * 1024 * 1024)


@pytest.fixture(scope="module")
def api():
    a = ProviderApi({CORP: WECOM_SECRET, FEISHU_APP: FEISHU_SECRET, DING_APP: DING_SECRET})
    yield a
    a.close()


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    servers = _Servers(tmp_path_factory, "im-media")
    cfg = write_config(tmp_path_factory.mktemp("im-media-config") / "gongdan.toml",
                       max_attempts=2, extra="mail_max_attempts = 2\nmail_retry_base_ms = 100\n")
    yield servers(args=["--config", str(cfg)])
    servers.finish()


def add_source(srv, **body):
    r = srv.admin.post("/api/v1/inbound-sources", json=body)
    assert r.status == 201, r
    return r.body


def post(srv, source, raw, headers, query=""):
    return srv.request("POST", f"/api/v1/inbound/{source['id']}/webhook{query}", raw_body=raw,
                       headers=headers)


def messages(srv, number):
    return srv.admin.get(f"/api/v1/tickets/{number}/messages").body["items"]


def attachments(srv, number):
    return [a for m in messages(srv, number) for a in m["attachments"]]


def downloaded(srv, attachment):
    r = srv.admin.get(attachment["url"])
    assert r.status == 200, r
    return hashlib.sha256(r.raw).hexdigest()


def sha(data):
    return hashlib.sha256(data).hexdigest()


def dead_file_jobs(srv):
    return [j for j in srv.admin.get("/api/v1/jobs?state=dead&limit=200").body["items"]
            if j["kind"] == "im_file"]


def dead_job_for(srv, reference):
    return wait_until(lambda: next((j for j in dead_file_jobs(srv)
                                    if reference in jsonlib.dumps(j.get("payload", ""))), None)
                      or None, what=f"the dead im_file job of {reference}")


def test_wecom_image_voice_and_file_are_fetched_with_media_get(srv, api):
    crypt = WecomCrypt(WECOM_TOKEN, AES, CORP)
    source = add_source(srv, kind="wecom", name="微信客服 media", app_id=CORP,
                        signing_secret=WECOM_TOKEN, aes_key=AES, api_token=WECOM_SECRET,
                        api_base=api.url)
    api.media["MID-img"] = FileAnswer(PNG, "image/png",
                                      {"Content-Disposition": 'attachment; filename="MID-img.png"'})
    api.media["MID-voice"] = FileAnswer(AMR, "audio/amr")
    api.media["MID-pdf"] = FileAnswer(PDF, "application/pdf", {
        "Content-Disposition": "attachment; filename=\"x.pdf\"; filename*=UTF-8''"
                               + urllib.parse.quote("合同.pdf")})
    user = "wmMediaUser1"
    base = {"open_kfid": KFID, "external_userid": user, "origin": 3}
    api.wecom_messages.extend([
        {**base, "msgid": "media-1", "send_time": 1700000001, "msgtype": "text",
         "text": {"content": "发票和录音在这里"}},
        {**base, "msgid": "media-2", "send_time": 1700000002, "msgtype": "image",
         "image": {"media_id": "MID-img"}},
        {**base, "msgid": "media-3", "send_time": 1700000003, "msgtype": "voice",
         "voice": {"media_id": "MID-voice"}},
        {**base, "msgid": "media-4", "send_time": 1700000004, "msgtype": "file",
         "file": {"media_id": "MID-pdf"}},
        {**base, "msgid": "media-5", "send_time": 1700000005, "msgtype": "file",
         "file": {"media_id": "MID-gone"}}])
    api.sync_tokens.add("sync-media-1")
    query, body = crypt.callback(kf_event("sync-media-1", KFID, CORP))
    r = post(srv, source, body, {"Content-Type": "text/xml"}, "?" + query)
    assert r.status == 200, r

    def ticket():
        items = srv.admin.get("/api/v1/tickets?limit=200").body["items"]
        return next((t["number"] for t in items if t["subject"] == "发票和录音在这里"), None)

    number = wait_until(ticket, what="the WeCom ticket")
    files = wait_until(lambda: len(attachments(srv, number)) == 3 and attachments(srv, number),
                       what=f"three attachments; calls {[c[0] for c in api.calls]}")
    by_name = {a["filename"]: a for a in files}
    # media/get's Content-Disposition names the file (filename* before filename); an image and
    # a voice note are named by their kind with the extension their bytes call for.
    assert set(by_name) == {"MID-img.png", "voice.amr", "合同.pdf"}, by_name
    assert downloaded(srv, by_name["MID-img.png"]) == sha(PNG)
    assert downloaded(srv, by_name["合同.pdf"]) == sha(PDF)
    assert downloaded(srv, by_name["voice.amr"]) == sha(AMR)
    bodies = [m["body"] for m in messages(srv, number)]
    assert bodies == ["发票和录音在这里", "[image]", "[voice]", "[file]", "[file]"], bodies
    # A media_id WeCom no longer has: dead at once with WeCom's words; the message stays.
    dead = dead_job_for(srv, "MID-gone")
    assert "40007" in dead["last_error"] and "invalid media_id" in dead["last_error"], dead
    assert dead["attempts"] == 1, dead
    media_calls = [c for c in api.calls if c[0] == "/cgi-bin/media/get"]
    assert len(media_calls) == 4  # one fetch a file, none repeated
    assert all(c[1]["access_token"] in api.tokens for c in media_calls)


def feishu_event(event_id, message_id, message_type, content):
    e = feishu_message(event_id, "ou_media", "", VTOKEN)
    e["event"]["message"].update({"message_id": message_id, "message_type": message_type,
                                  "content": jsonlib.dumps(content, ensure_ascii=False)})
    return e


def test_feishu_files_expired_token_and_refusals(srv, api):
    source = add_source(srv, kind="feishu", name="飞书 media", signing_secret=VTOKEN,
                        aes_key=ENCKEY, app_id=FEISHU_APP, api_token=FEISHU_SECRET,
                        api_base=api.url)

    def send(event):
        raw = jsonlib.dumps({"encrypt": feishu_seal(ENCKEY, event)}).encode()
        r = post(srv, source, raw, feishu_signed(ENCKEY, raw))
        assert r.status == 200, r
        return r.body

    api.media[("om_img1", "img_v3_abc", "image")] = FileAnswer(PNG, "image/png")
    api.media[("om_file1", "file_v3_def", "file")] = FileAnswer(PDF, "application/pdf")
    api.media[("om_post1", "img_v3_post", "image")] = FileAnswer(PNG, "image/png")
    first = send(feishu_event("fe-1", "om_img1", "image", {"image_key": "img_v3_abc"}))
    assert first["result"] == "created", first
    number = first["ticket"]
    wait_until(lambda: len(attachments(srv, number)) == 1, what="the Feishu image")

    # The token gongdan keeps has expired at Feishu: refused once, fetched anew, the file comes.
    issued = api.issued
    api.expire_tokens()
    send(feishu_event("fe-2", "om_file1", "file", {"file_key": "file_v3_def",
                                                    "file_name": "报价单.pdf"}))
    # A rich text: its words are the message, its picture a file.
    send(feishu_event("fe-3", "om_post1", "post", {"title": "截图", "content": [
        [{"tag": "text", "text": "登录页报错"}], [{"tag": "img", "image_key": "img_v3_post"}]]}))
    files = wait_until(lambda: len(attachments(srv, number)) == 3 and attachments(srv, number),
                       what="the file after the token expired, and the post's picture")
    assert api.issued == issued + 1, (api.issued, issued)
    by_name = {a["filename"]: a for a in files}
    assert set(by_name) == {"image.png", "报价单.pdf"} and len(files) == 3, files
    assert downloaded(srv, by_name["报价单.pdf"]) == sha(PDF)
    bodies = [m["body"] for m in messages(srv, number)]
    assert bodies == ["[image]", "[报价单.pdf]", "截图\n登录页报错"], bodies
    resource_calls = [c for c in api.calls if "/resources/" in c[0]]
    assert {c[1]["type"] for c in resource_calls} == {"image", "file"}

    # A file Feishu does not have (its 400 with code 234003): dead at once, with its words.
    send(feishu_event("fe-4", "om_gone", "file", {"file_key": "file_v3_gone", "file_name": "a"}))
    dead = dead_job_for(srv, "file_v3_gone")
    assert "234003" in dead["last_error"] and dead["attempts"] == 1, dead
    # An answer that is no file (a JSON success where bytes belong): dead, "not a file".
    api.media[("om_json", "file_v3_json", "file")] = (200, {"code": 0, "msg": "success"})
    send(feishu_event("fe-5", "om_json", "file", {"file_key": "file_v3_json"}))
    dead = dead_job_for(srv, "file_v3_json")
    assert "not a file" in dead["last_error"], dead
    # A token refused even when fresh (a revoked app): retried, then dead, saying so.
    api.media[("om_img9", "img_v3_nine", "image")] = FileAnswer(PNG, "image/png")
    api.refuse_tokens = True
    try:
        send(feishu_event("fe-6", "om_img9", "image", {"image_key": "img_v3_nine"}))
        dead = dead_job_for(srv, "img_v3_nine")
    finally:
        api.refuse_tokens = False
    assert "access token refused" in dead["last_error"] and dead["attempts"] == 2, dead
    # Every message's text stayed whatever became of its file.
    assert len(messages(srv, number)) == 6


def dingtalk_event(msg_id, msgtype, content, staff="staff-m"):
    return {"msgId": msg_id, "msgtype": msgtype, "content": content, "senderStaffId": staff,
            "senderId": "$:LWCP_v1:$" + staff, "senderNick": "王芳", "conversationType": "1",
            "conversationId": "cid-m", "chatbotUserId": "bot", "robotCode": DING_APP,
            "createAt": int(time.time() * 1000)}


def test_dingtalk_files_by_download_code_and_the_size_limit(srv, api):
    source = add_source(srv, kind="dingtalk", name="钉钉 media", app_id=DING_APP,
                        signing_secret=DING_SECRET, api_base=api.url)
    api.media["dc-pic"] = FileAnswer(PNG)
    api.media["dc-file"] = FileAnswer(PDF)
    api.media["dc-rich"] = FileAnswer(PNG)
    api.media["dc-huge"] = FileAnswer(HUGE)

    def send(event):
        raw = jsonlib.dumps(event, ensure_ascii=False).encode()
        r = post(srv, source, raw, dingtalk_signed(DING_SECRET))
        assert r.status == 200, r
        return r.body

    ws = WebSocket.for_session(srv, srv.admin)
    assert ws.status == 101 and ws.recv()["type"] == "hello"
    first = send(dingtalk_event("dm-1", "picture", {"downloadCode": "dc-pic",
                                                     "pictureDownloadCode": "dc-pic-old"}))
    number = first["ticket"]
    # The desk hears of the file once it is stored, without asking.
    event, _ = ws.wait_for(lambda m: m.get("type") == "attachment.created", timeout=30)
    assert event["ticket"]["number"] == number and event["message"]["id"] == first["message"]
    ws.close()

    send(dingtalk_event("dm-2", "file", {"downloadCode": "dc-file", "fileName": "账单.pdf",
                                         "spaceId": "1", "fileId": "2"}))
    send(dingtalk_event("dm-3", "richText", {"richText": [
        {"text": "打印出来是这样"}, {"type": "picture", "downloadCode": "dc-rich"}]}))
    send(dingtalk_event("dm-4", "file", {"downloadCode": "dc-huge", "fileName": "big.bin"}))
    send(dingtalk_event("dm-5", "audio", {"downloadCode": "dc-unknown", "duration": "4000"}))
    files = wait_until(lambda: len(attachments(srv, number)) == 3 and attachments(srv, number),
                       what="the picture, the file and the rich text's picture")
    by_name = {a["filename"]: a for a in files}
    assert set(by_name) == {"image.png", "账单.pdf"} and len(files) == 3, files
    assert downloaded(srv, by_name["账单.pdf"]) == sha(PDF)
    download_calls = [c for c in api.calls if c[0] == "/v1.0/robot/messageFiles/download"]
    assert all(c[2]["robotCode"] == DING_APP for c in download_calls)
    # Over 20 MB: refused as it streams in (dead, one try); an unknown downloadCode: DingTalk's
    # 400 in the job's error. The messages stay.
    huge = dead_job_for(srv, "dc-huge")
    assert "larger than 20 MB" in huge["last_error"] and huge["attempts"] == 1, huge
    unknown = dead_job_for(srv, "dc-unknown")
    assert "invalidParameter" in unknown["last_error"], unknown
    bodies = [m["body"] for m in messages(srv, number)]
    assert bodies == ["[image]", "[账单.pdf]", "打印出来是这样", "[big.bin]", "[voice]"], bodies
    assert len(attachments(srv, number)) == 3


def test_a_source_without_its_app_credentials_fails_its_files_clearly(srv, api):
    # A Feishu source set up for receiving only (no App ID / Secret): the file cannot be fetched.
    source = add_source(srv, kind="feishu", name="飞书 no app", signing_secret=VTOKEN)
    raw = jsonlib.dumps(feishu_event("fe-na", "om_na", "image", {"image_key": "img_na"})).encode()
    r = post(srv, source, raw, {"Content-Type": "application/json"})
    assert r.status == 200 and r.body["result"] == "created", r
    dead = dead_job_for(srv, "img_na")
    assert "no app id and secret" in dead["last_error"], dead
    assert [m["body"] for m in messages(srv, r.body["ticket"])] == ["[image]"]


# Agents' reply attachments go back through the source: uploaded to the provider, then sent as
# a message naming what the upload returned (ProviderApi plays both, on 127.0.0.1).

def upload(srv, data, filename):
    r = srv.admin.request("POST", f"/api/v1/attachments?filename={urllib.parse.quote(filename)}",
                          raw_body=data, headers={"Content-Type": "application/octet-stream"})
    assert r.status == 201, r
    return r.body["items"][0]["id"]


def reply_with_files(srv, number, body, files):
    ids = [upload(srv, data, name) for name, data in files]
    r = srv.admin.post(f"/api/v1/tickets/{number}/messages",
                       json={"body": body, "attachments": ids})
    assert r.status == 201, r


def sent_of(api, provider):
    return [b for p, b in list(api.sent) if p == provider]


def test_reply_files_go_to_wecom_feishu_and_dingtalk_as_uploads(srv, api):
    # WeCom: media/upload, then kf/send_msg with msgtype image (a small PNG) or file.
    crypt = WecomCrypt(WECOM_TOKEN, AES, CORP)
    wecom = add_source(srv, kind="wecom", name="微信客服 replies", app_id=CORP,
                       signing_secret=WECOM_TOKEN, aes_key=AES, api_token=WECOM_SECRET,
                       api_base=api.url)
    api.wecom_messages.append({"open_kfid": KFID, "external_userid": "wmReplyUser", "origin": 3,
                               "msgid": "reply-1", "send_time": 1700000100, "msgtype": "text",
                               "text": {"content": "请发一下说明书"}})
    api.sync_tokens.add("sync-reply-1")
    query, body = crypt.callback(kf_event("sync-reply-1", KFID, CORP))
    assert post(srv, wecom, body, {"Content-Type": "text/xml"}, "?" + query).status == 200

    def wecom_ticket():
        items = srv.admin.get("/api/v1/tickets?limit=200").body["items"]
        return next((t["number"] for t in items if t["subject"] == "请发一下说明书"), None)

    number = wait_until(wecom_ticket, what="the WeCom ticket")
    reply_with_files(srv, number, "附件是说明书和截图", [("说明书.pdf", PDF), ("截图.png", PNG)])
    sent = wait_until(lambda: len(sent_of(api, "wecom")) >= 3 and sent_of(api, "wecom"),
                      what="the text and two files through kf/send_msg")
    mine = [b for b in sent if b["touser"] == "wmReplyUser"]
    by_type = {b["msgtype"]: b for b in mine}
    assert set(by_type) == {"text", "image", "file"}, mine
    assert by_type["text"]["text"]["content"] == "附件是说明书和截图"
    for kind, name, data in [("image", "截图.png", PNG), ("file", "说明书.pdf", PDF)]:
        media = by_type[kind][kind]["media_id"]
        provider, filename, _, uploaded = api.uploads[media]
        assert (provider, filename) == ("wecom", name) and uploaded == data
        assert by_type[kind]["open_kfid"] == KFID and by_type[kind]["msgid"].startswith("gongdan-")

    # Feishu: im/v1/images or im/v1/files, then im/v1/messages with the key.
    feishu = add_source(srv, kind="feishu", name="飞书 replies", signing_secret=VTOKEN,
                        aes_key=ENCKEY, app_id=FEISHU_APP, api_token=FEISHU_SECRET,
                        api_base=api.url)
    event = feishu_message("fr-1", "ou_reply", "要一份报价", VTOKEN)
    raw = jsonlib.dumps({"encrypt": feishu_seal(ENCKEY, event)}).encode()
    r = post(srv, feishu, raw, feishu_signed(ENCKEY, raw))
    assert r.status == 200, r
    reply_with_files(srv, r.body["ticket"], "报价单见附件", [("报价单.xlsx", PDF), ("logo.png", PNG)])
    sent = wait_until(lambda: len([b for b in sent_of(api, "feishu")
                                   if b["receive_id"] == "ou_reply"]) >= 3 and
                      [b for b in sent_of(api, "feishu") if b["receive_id"] == "ou_reply"],
                      what="the text and two files through im/v1/messages")
    by_type = {b["msg_type"]: jsonlib.loads(b["content"]) for b in sent}
    assert set(by_type) == {"text", "image", "file"}, sent
    assert api.uploads[by_type["image"]["image_key"]][1:] == ("logo.png", "image/png", PNG)
    assert api.uploads[by_type["file"]["file_key"]][1] == "报价单.xlsx"
    assert api.uploads[by_type["file"]["file_key"]][3] == PDF

    # DingTalk: media/upload (type file), then batchSend with sampleFile.
    ding = add_source(srv, kind="dingtalk", name="钉钉 replies", app_id=DING_APP,
                      signing_secret=DING_SECRET, api_base=api.url)
    raw = jsonlib.dumps(dingtalk_event("dr-1", "text", None, staff="staff-r") | {"text": {"content": "要发票"}},
                        ensure_ascii=False).encode()
    r = post(srv, ding, raw, dingtalk_signed(DING_SECRET))
    assert r.status == 200 and r.body["result"] == "created", r
    reply_with_files(srv, r.body["ticket"], "发票如下", [("发票.pdf", PDF)])
    sent = wait_until(lambda: [b for b in sent_of(api, "dingtalk") if b["msgKey"] == "sampleFile"]
                      or None, what="the file through batchSend")
    param = jsonlib.loads(sent[0]["msgParam"])
    assert param["fileName"] == "发票.pdf" and param["fileType"] == "pdf", param
    assert sent[0]["userIds"] == ["staff-r"] and sent[0]["robotCode"] == DING_APP
    assert api.uploads[param["mediaId"]][0] == "dingtalk"
    assert api.uploads[param["mediaId"]][3] == PDF
    assert not [j for j in srv.admin.get("/api/v1/jobs?state=dead&limit=200").body["items"]
                if j["kind"] == "im_reply_file"]


def test_a_reply_file_the_provider_refuses_is_a_clear_dead_job(srv, api):
    ding = add_source(srv, kind="dingtalk", name="钉钉 refused", app_id=DING_APP,
                      signing_secret=DING_SECRET, api_base=api.url)
    raw = jsonlib.dumps(dingtalk_event("dr-9", "text", None, staff="staff-x") | {"text": {"content": "再发一次"}},
                        ensure_ascii=False).encode()
    number = post(srv, ding, raw, dingtalk_signed(DING_SECRET)).body["ticket"]
    api.refuse_tokens = True
    try:
        reply_with_files(srv, number, "见附件", [("清单.pdf", PDF)])
        dead = wait_until(lambda: [j for j in srv.admin.get("/api/v1/jobs?state=dead&limit=200")
                                   .body["items"] if j["kind"] == "im_reply_file"] or None,
                          what="the refused file's dead job")
    finally:
        api.refuse_tokens = False
    assert "DingTalk upload" in dead[0]["last_error"], dead
    assert "access token refused" in dead[0]["last_error"], dead
