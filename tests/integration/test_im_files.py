"""Files customers send through inbound sources (issue 20) become attachments of their message:
a Telegram photo or document is fetched as the Bot API serves it (getFile names the path, then
/file/bot<token>/<path>), a generic source's attachment from its URL. The provider is played on
127.0.0.1 (allow-listed, as a provider's public address would pass); the bytes stored are the
bytes served, fetched once whatever the retries, and a file too large is refused, not retried."""

import hashlib
import json as jsonlib
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from im_providers import multipart_fields
from test_inbound_sources import add_source, post_raw, signed
from ticket_support import make_department
from waiting import wait_until
from webhook_support import write_config

TOKEN = "123456:ABC-files"
PHOTO = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(range(256)) * 40 + b"\xff\xd9"
REPORT = b"%PDF-1.4\n" + "发票 invoice 2026\n".encode() * 300 + b"%%EOF\n"
HUGE = 21 * 1024 * 1024


class Provider:
    """The Bot API's getFile and file host, and a plain file host for the generic source."""

    def __init__(self):
        self.requests = []
        self.posts = []  # (path, fields) of what gongdan sent the bot
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                # The Bot API's sends: sendMessage (JSON), sendPhoto/sendDocument (multipart).
                url = urllib.parse.urlparse(self.path)
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                ctype = self.headers.get("Content-Type", "")
                fields = multipart_fields(ctype, raw) if ctype.startswith("multipart/") else \
                    jsonlib.loads(raw or b"{}")
                with outer.lock:
                    outer.posts.append((url.path, fields))
                out = jsonlib.dumps({"ok": True, "result": {"message_id": len(outer.posts)}})
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out.encode())

            def do_GET(self):
                url = urllib.parse.urlparse(self.path)
                with outer.lock:
                    outer.requests.append(url.path)
                status, body, ctype = outer.answer(url.path, urllib.parse.parse_qs(url.query))
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def answer(self, path, query):
        if path == f"/bot{TOKEN}/getFile":
            file_id = query.get("file_id", [""])[0]
            paths = {"AgAD-photo-big": "photos/file_7.jpg", "BQAD-doc": "documents/file_8.pdf"}
            if file_id not in paths:
                return 400, b'{"ok":false,"error_code":400,"description":"Bad Request"}', \
                    "application/json"
            return 200, jsonlib.dumps({"ok": True, "result": {
                "file_id": file_id, "file_unique_id": "u" + file_id,
                "file_path": paths[file_id]}}).encode(), "application/json"
        files = {f"/file/bot{TOKEN}/photos/file_7.jpg": PHOTO,
                 f"/file/bot{TOKEN}/documents/file_8.pdf": REPORT,
                 "/files/report.pdf": REPORT, "/files/huge.bin": b"\0" * HUGE}
        if path in files:
            return 200, files[path], "application/octet-stream"
        return 404, b"not found", "text/plain"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def provider():
    p = Provider()
    yield p
    p.close()


@pytest.fixture
def srv(start_server, tmp_path):
    cfg = write_config(tmp_path / "gongdan.toml", max_attempts=2,
                       extra="mail_max_attempts = 2\nmail_retry_base_ms = 100\n")
    return start_server(args=["--config", str(cfg)])


def attachments_of(admin, number):
    return [a for m in admin.get(f"/api/v1/tickets/{number}/messages").body["items"]
            for a in m["attachments"]]


def sha(data):
    return hashlib.sha256(data).hexdigest()


def downloaded(admin, attachment):
    r = admin.get(attachment["url"])
    assert r.status == 200, r
    return r.raw


def im_file_jobs(admin, state=None):
    query = f"?state={state}&limit=200" if state else "?limit=200"
    return [j for j in admin.get(f"/api/v1/jobs{query}").body["items"] if j["kind"] == "im_file"]


def test_telegram_photo_and_document_become_attachments(srv, provider):
    admin = srv.admin
    dept = make_department(admin, "Telegram files")
    source = add_source(admin, kind="telegram", name="Files bot", signing_secret="tg-files_1",
                        api_token=TOKEN, api_base=provider.base, department=dept["id"])
    hdr = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "tg-files_1"}
    chat = {"id": 7001, "type": "private"}
    sender = {"id": 7001, "is_bot": False, "first_name": "Anna"}
    photo = {"update_id": 910001, "message": {
        "message_id": 1, "date": int(time.time()), "from": sender, "chat": chat,
        "photo": [{"file_id": "AgAD-photo-small", "file_unique_id": "s", "width": 90,
                   "height": 90},
                  {"file_id": "AgAD-photo-big", "file_unique_id": "b", "width": 1280,
                   "height": 1280}],
        "caption": "The box arrived broken"}}
    r = post_raw(srv, source["id"], jsonlib.dumps(photo).encode(), hdr)
    assert r.status == 200 and r.body["result"] == "created", r
    number = r.body["ticket"]
    # A retry of the update makes no second message and no second fetch.
    assert post_raw(srv, source["id"], jsonlib.dumps(photo).encode(), hdr).body["result"] == \
        "duplicate"
    doc = {"update_id": 910002, "message": {
        "message_id": 2, "date": int(time.time()), "from": sender, "chat": chat,
        "document": {"file_id": "BQAD-doc", "file_unique_id": "d", "file_name": "发票.pdf",
                     "mime_type": "application/pdf"}}}
    r = post_raw(srv, source["id"], jsonlib.dumps(doc).encode(), hdr)
    assert r.status == 200 and r.body == {"result": "added", "ticket": number,
                                          "message": r.body["message"]}, r

    files = wait_until(lambda: len(attachments_of(admin, number)) == 2 and
                       attachments_of(admin, number), what=f"two attachments; {provider.requests}")
    messages = admin.get(f"/api/v1/tickets/{number}/messages").body["items"]
    assert messages[0]["body"] == "The box arrived broken"
    assert messages[1]["body"] == "[发票.pdf]"  # a file alone reads as its name
    by_name = {a["filename"]: a for a in files}
    assert set(by_name) == {"photo.jpg", "发票.pdf"}, files
    assert sha(downloaded(admin, by_name["photo.jpg"])) == sha(PHOTO)
    assert sha(downloaded(admin, by_name["发票.pdf"])) == sha(REPORT)
    assert by_name["photo.jpg"]["content_type"] == "image/jpeg"
    # The largest size of the photo was fetched, once.
    assert provider.requests.count(f"/file/bot{TOKEN}/photos/file_7.jpg") == 1
    assert not any("photo-small" in p for p in provider.requests)


def test_generic_attachments_by_url_and_the_refusals(srv, provider):
    admin = srv.admin
    source = add_source(admin, kind="generic", name="Shop files")
    secret = source["signing_secret"]
    msg = {"id": "f-1", "from": {"id": "buyer-9", "name": "李明"},
           "attachments": [{"url": f"{provider.base}/files/report.pdf", "name": "report.pdf",
                            "content_type": "application/pdf"},
                           {"url": f"{provider.base}/files/huge.bin", "name": "huge.bin"}]}
    raw, headers = signed(msg, secret)
    r = post_raw(srv, source["id"], raw, headers)
    assert r.status == 200 and r.body["result"] == "created", r
    number = r.body["ticket"]
    assert admin.get(f"/api/v1/tickets/{number}").body["subject"] == "[report.pdf]"
    files = wait_until(lambda: attachments_of(admin, number), what="the report attached")
    assert [a["filename"] for a in files] == ["report.pdf"]
    assert sha(downloaded(admin, files[0])) == sha(REPORT)
    # Over 20 MB: refused at once (dead, one try), the message and the other file kept.
    dead = wait_until(lambda: im_file_jobs(admin, "dead"), what="the huge file's dead job")
    assert "larger than 20 MB" in dead[0]["last_error"], dead
    assert dead[0]["attempts"] == 1, dead
    assert len(attachments_of(admin, number)) == 1

    # Bad attachments are the body's 400, naming the field; nothing is stored.
    for bad, field in [({"attachments": [{"url": "ftp://x/y"}]}, "attachments.url"),
                       ({"attachments": [{"name": "no url"}]}, "attachments.url"),
                       ({"attachments": "x"}, "attachments"),
                       ({"attachments": [{"url": f"{provider.base}/a"}] * 11}, "attachments")]:
        body = {"id": f"bad-{field}-{len(str(bad))}", "from": {"id": "buyer-9"}, **bad}
        raw, headers = signed(body, secret)
        r = post_raw(srv, source["id"], raw, headers)
        assert r.status == 400 and r.body["error"]["field"] == field, (bad, r)
    # No text and no attachments: text is required.
    raw, headers = signed({"id": "empty", "from": {"id": "buyer-9"}}, secret)
    r = post_raw(srv, source["id"], raw, headers)
    assert r.status == 400 and r.body["error"]["field"] == "text", r


def test_reply_files_go_back_by_send_photo_and_send_document(srv, provider):
    admin = srv.admin
    source = add_source(admin, kind="telegram", name="Reply files bot",
                        signing_secret="tg-reply_1", api_token=TOKEN, api_base=provider.base)
    hdr = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "tg-reply_1"}
    update = {"update_id": 920001, "message": {
        "message_id": 1, "date": int(time.time()), "chat": {"id": 7002, "type": "private"},
        "from": {"id": 7002, "is_bot": False, "first_name": "Ben"}, "text": "Send the manual"}}
    r = post_raw(srv, source["id"], jsonlib.dumps(update).encode(), hdr)
    assert r.status == 200 and r.body["result"] == "created", r
    ids = []
    for name, data in [("manual.pdf", REPORT), ("photo.jpg", PHOTO)]:
        up = admin.request("POST", f"/api/v1/attachments?filename={name}", raw_body=data,
                           headers={"Content-Type": "application/octet-stream"})
        assert up.status == 201, up
        ids.append(up.body["items"][0]["id"])
    assert admin.post(f"/api/v1/tickets/{r.body['ticket']}/messages",
                      json={"body": "Here it is", "attachments": ids}).status == 201
    posts = wait_until(lambda: len(provider.posts) >= 3 and list(provider.posts),
                       what="sendMessage, sendDocument and sendPhoto")
    by_path = {p.rsplit("/", 1)[1]: f for p, f in posts}
    assert set(by_path) == {"sendMessage", "sendDocument", "sendPhoto"}, posts
    assert by_path["sendMessage"]["text"] == "Here it is"
    assert by_path["sendDocument"]["chat_id"] == "7002"
    assert by_path["sendDocument"]["document"][0] == "manual.pdf"
    assert sha(by_path["sendDocument"]["document"][2]) == sha(REPORT)
    assert by_path["sendPhoto"]["chat_id"] == "7002"
    assert sha(by_path["sendPhoto"]["photo"][2]) == sha(PHOTO)
    assert all(p.startswith(f"/bot{TOKEN}/") for p, _ in posts)
