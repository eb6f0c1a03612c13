"""Local stand-ins for the IM providers' APIs (WeCom customer service, Feishu, DingTalk), built
from their public specifications, on 127.0.0.1: what gongdan calls (access tokens, WeCom's
kf/sync_msg pull, the send APIs) answers as the provider answers, and the callbacks a provider
would send are signed and encrypted here as the provider computes them. AES comes from the
openssl command (the suite is standard library only)."""

import base64
import hashlib
import hmac
import json as jsonlib
import os
import struct
import subprocess
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def aes_cbc(key, iv, data, decrypt=False):
    args = ["openssl", "enc", "-aes-256-cbc", "-K", key.hex(), "-iv", iv.hex(), "-nopad"]
    if decrypt:
        args.append("-d")
    return subprocess.run(args, input=data, capture_output=True, check=True).stdout


def pkcs7(data, block):
    n = block - len(data) % block
    return data + bytes([n]) * n


class WecomCrypt:
    """WeCom's callback scheme (WXBizMsgCrypt): SHA-1 signature, AES-256-CBC with the
    EncodingAESKey, PKCS#7 to 32 bytes, random16 + length + message + CorpID."""

    def __init__(self, token, aes_key, corp_id):
        self.token, self.corp_id = token, corp_id
        self.key = base64.b64decode(aes_key + "=")

    def encrypt(self, message, corp_id=None):
        m = message.encode()
        plain = os.urandom(16) + struct.pack(">I", len(m)) + m + (corp_id or self.corp_id).encode()
        return base64.b64encode(aes_cbc(self.key, self.key[:16], pkcs7(plain, 32))).decode()

    def signature(self, timestamp, nonce, encrypted):
        return hashlib.sha1("".join(sorted([self.token, timestamp, nonce, encrypted])).encode()
                            ).hexdigest()

    def query(self, encrypted, at=None, token=None):
        ts = str(int(at if at is not None else time.time()))
        nonce = base64.b16encode(os.urandom(5)).decode()
        signer = WecomCrypt(token, "A" * 43, "") if token else self
        return {"msg_signature": signer.signature(ts, nonce, encrypted), "timestamp": ts,
                "nonce": nonce}

    def callback(self, inner_xml, **kw):
        """The query string and XML body of one callback POST."""
        encrypted = self.encrypt(inner_xml)
        body = (f"<xml><ToUserName><![CDATA[{self.corp_id}]]></ToUserName>"
                f"<AgentID><![CDATA[1000002]]></AgentID>"
                f"<Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>")
        return urllib.parse.urlencode(self.query(encrypted, **kw)), body.encode()


def feishu_seal(encrypt_key, obj):
    """Feishu's encrypted body: base64(IV + AES-256-CBC(SHA-256(Encrypt Key), PKCS#7))."""
    key = hashlib.sha256(encrypt_key.encode()).digest()
    iv = os.urandom(16)
    plain = jsonlib.dumps(obj, ensure_ascii=False).encode()
    return base64.b64encode(iv + aes_cbc(key, iv, pkcs7(plain, 16))).decode()


def feishu_signed(encrypt_key, raw, at=None, key=None):
    """The headers Feishu signs an event with: SHA-256 of timestamp + nonce + key + body."""
    ts = str(int(at if at is not None else time.time()))
    nonce = base64.b16encode(os.urandom(6)).decode()
    sig = hashlib.sha256((ts + nonce + (key or encrypt_key)).encode() + raw).hexdigest()
    return {"X-Lark-Request-Timestamp": ts, "X-Lark-Request-Nonce": nonce,
            "X-Lark-Signature": sig, "Content-Type": "application/json"}


def feishu_message(event_id, open_id, text, token):
    return {"schema": "2.0",
            "header": {"event_id": event_id, "event_type": "im.message.receive_v1",
                       "create_time": str(int(time.time() * 1000)), "token": token,
                       "app_id": "cli_a1b2", "tenant_key": "t1"},
            "event": {"sender": {"sender_id": {"open_id": open_id, "union_id": "on_" + open_id},
                                 "sender_type": "user", "tenant_key": "t1"},
                      "message": {"message_id": "om_" + event_id, "chat_id": "oc_1",
                                  "chat_type": "p2p", "message_type": "text",
                                  "content": jsonlib.dumps({"text": text}, ensure_ascii=False)}}}


def dingtalk_signed(app_secret, at_ms=None):
    """DingTalk's headers: timestamp (ms) and base64 HMAC-SHA256(secret, ts, a newline, secret)."""
    ts = str(int(at_ms if at_ms is not None else time.time() * 1000))
    sign = base64.b64encode(hmac.new(app_secret.encode(), (ts + "\n" + app_secret).encode(),
                                     hashlib.sha256).digest()).decode()
    return {"timestamp": ts, "sign": sign, "Content-Type": "application/json"}


def dingtalk_message(msg_id, staff_id, nick, text):
    return {"msgId": msg_id, "msgtype": "text", "text": {"content": " " + text},
            "senderStaffId": staff_id, "senderId": "$:LWCP_v1:$" + staff_id, "senderNick": nick,
            "conversationType": "1", "conversationId": "cid" + staff_id, "chatbotUserId": "bot",
            "robotCode": "ding-app", "createAt": int(time.time() * 1000),
            "sessionWebhook": "https://oapi.dingtalk.com/robot/sendBySession?session=x",
            "sessionWebhookExpiredTime": int(time.time() * 1000) + 5400000}


def kf_event(sync_token, open_kfid, corp_id):
    return (f"<xml><ToUserName><![CDATA[{corp_id}]]></ToUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
            f"<Event><![CDATA[kf_msg_or_event]]></Event><Token><![CDATA[{sync_token}]]></Token>"
            f"<OpenKfId><![CDATA[{open_kfid}]]></OpenKfId></xml>")


def multipart_fields(ctype, raw):
    """A multipart/form-data body as {name: str} for plain fields and {name: (filename,
    content type, bytes)} for files."""
    boundary = ctype.split("boundary=", 1)[1].strip('"').encode()
    fields = {}
    for part in raw.split(b"--" + boundary)[1:]:
        if part.startswith(b"--"):
            break
        head, _, data = part.lstrip(b"\r\n").partition(b"\r\n\r\n")
        data = data[:-2] if data.endswith(b"\r\n") else data
        headers = {}
        for line in head.decode().split("\r\n"):
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        params = dict(p.strip().split("=", 1) for p in
                      headers.get("content-disposition", "").split(";")[1:] if "=" in p)
        name = params.get("name", "").strip('"')
        if "filename" in params:
            fields[name] = (params["filename"].strip('"'), headers.get("content-type", ""), data)
        else:
            fields[name] = data.decode()
    return fields


class FileAnswer:
    """A file's bytes as a provider's media API serves them, with its headers."""

    def __init__(self, data, content_type="application/octet-stream", headers=None):
        self.data, self.content_type, self.headers = data, content_type, headers or {}


class ProviderApi:
    """One HTTP server playing the providers' API hosts. Tokens are issued per app and can be
    expired (`expire_tokens`), after which calls with them get the provider's "expired".
    `media` holds the files customers sent, by WeCom media_id, Feishu (message_id, key) or
    DingTalk downloadCode: each a FileAnswer, or an (HTTP status, JSON) the media API answers
    instead (an error as the provider words it, or content that is not a file)."""

    def __init__(self, apps):
        self.apps = dict(apps)  # app id -> secret
        self.tokens = {}  # token -> app id
        self.media = {}
        self.downloads = {}  # DingTalk's download URLs it handed out
        self.uploads = {}  # media key -> (provider, filename, content type, bytes)
        self.refuse_tokens = False  # every call with a token answers "invalid token"
        self.issued = 0
        self.calls = []  # (path, query dict, json body)
        self.sent = []  # replies: (provider, json body)
        self.wecom_messages = []  # what kf/sync_msg hands out, in order
        self.sync_tokens = set()  # callback tokens WeCom issued
        self.lock = threading.Lock()
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def answer(self, status, obj):
                ctype, extra = "application/json", {}
                if isinstance(obj, FileAnswer):
                    out, ctype, extra = obj.data, obj.content_type, obj.headers
                else:
                    out = jsonlib.dumps(obj).encode()
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(out)))
                for name, value in extra.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(out)

            def handle_any(self, method):
                url = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(url.query))
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                ctype = self.headers.get("Content-Type", "")
                if ctype.startswith("multipart/form-data"):
                    body = multipart_fields(ctype, raw)
                else:
                    body = jsonlib.loads(raw) if raw else None
                with api.lock:
                    api.calls.append((url.path, query, body))
                    status, obj = api.route(method, url.path, query, dict(self.headers), body)
                self.answer(status, obj)

            def do_GET(self):
                self.handle_any("GET")

            def do_POST(self):
                self.handle_any("POST")

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def expire_tokens(self):
        with self.lock:
            self.tokens.clear()

    def issue(self, app):
        self.issued += 1
        token = f"tok-{self.issued}-{base64.b16encode(os.urandom(4)).decode()}"
        self.tokens[token] = app
        return token

    def valid(self, token):
        return token in self.tokens and not self.refuse_tokens

    def media_answer(self, key, missing):
        found = self.media.get(key)
        if found is None:
            return missing
        if isinstance(found, FileAnswer):
            return 200, found
        return found

    def route(self, method, path, query, headers, body):
        if path == "/cgi-bin/media/get" and method == "GET":
            # WeCom's 获取临时素材: the bytes with Content-Disposition, or errcode JSON at 200.
            if not self.valid(query.get("access_token")):
                return 200, {"errcode": 42001, "errmsg": "access_token expired"}
            return self.media_answer(query.get("media_id"),
                                     (200, {"errcode": 40007, "errmsg": "invalid media_id"}))
        if path.startswith("/open-apis/im/v1/messages/") and "/resources/" in path:
            # Feishu's 获取消息中的资源文件: GET .../{message_id}/resources/{file_key}?type=
            auth = headers.get("Authorization", "")
            if not auth.startswith("Bearer ") or not self.valid(auth[7:]):
                return 400, {"code": 99991663, "msg": "Invalid access token for authorization"}
            parts = path.split("/")
            if query.get("type") not in ("image", "file"):
                return 400, {"code": 234001, "msg": "Invalid request param."}
            return self.media_answer((parts[5], parts[7], query["type"]),
                                     (400, {"code": 234003, "msg": "File not in msg."}))
        if path == "/v1.0/robot/messageFiles/download" and method == "POST":
            # DingTalk's 下载机器人接收消息的文件内容: {"downloadUrl"} to a short-lived URL.
            if not self.valid(headers.get("x-acs-dingtalk-access-token")):
                return 401, {"code": "InvalidAuthentication", "message": "不合法的access_token"}
            code = body.get("downloadCode")
            if body.get("robotCode") not in self.apps or code not in self.media:
                return 400, {"code": "invalidParameter", "message": "downloadCode 无效"}
            found = self.media[code]
            if not isinstance(found, FileAnswer):
                return found
            self.downloads[f"/dl/{len(self.downloads)}"] = found
            return 200, {"downloadUrl": f"{self.url}/dl/{len(self.downloads) - 1}"}
        if path.startswith("/dl/") and method == "GET":
            return (200, self.downloads[path]) if path in self.downloads else \
                (404, {"message": "expired"})
        if path == "/cgi-bin/media/upload" and method == "POST":
            # WeCom's 上传临时素材: multipart "media"; answers the media_id.
            if not self.valid(query.get("access_token")):
                return 200, {"errcode": 42001, "errmsg": "access_token expired"}
            return 200, self.uploaded("wecom", body.get("media"), "MEDIA-",
                                      {"errcode": 0, "errmsg": "", "type": query.get("type")})
        if path == "/media/upload" and method == "POST":
            # DingTalk's 上传媒体文件 (oapi): multipart "media"; answers the media_id.
            if not self.valid(query.get("access_token")):
                return 200, {"errcode": 40014, "errmsg": "不合法的access_token"}
            return 200, self.uploaded("dingtalk", body.get("media"), "@lAz",
                                      {"errcode": 0, "errmsg": "ok", "type": query.get("type")})
        if path in ("/open-apis/im/v1/images", "/open-apis/im/v1/files") and method == "POST":
            # Feishu's 上传图片 / 上传文件: answers data.image_key / data.file_key.
            auth = headers.get("Authorization", "")
            if not auth.startswith("Bearer ") or not self.valid(auth[7:]):
                return 400, {"code": 99991663, "msg": "Invalid access token for authorization"}
            image = path.endswith("images")
            if (image and body.get("image_type") != "message") or \
                    (not image and not (body.get("file_type") and body.get("file_name"))):
                return 400, {"code": 234001, "msg": "Invalid request param."}
            out = self.uploaded("feishu", body.get("image" if image else "file"),
                                "img_v3_up" if image else "file_v3_up", {})
            key = out.pop("media_id")
            return 200, {"code": 0, "msg": "success",
                         "data": {"image_key" if image else "file_key": key}}
        if path == "/cgi-bin/gettoken" and method == "GET":
            if self.apps.get(query.get("corpid")) != query.get("corpsecret"):
                return 200, {"errcode": 40001, "errmsg": "invalid credential"}
            return 200, {"errcode": 0, "errmsg": "ok", "access_token": self.issue(query["corpid"]),
                         "expires_in": 7200}
        if path.startswith("/cgi-bin/kf/"):
            if not self.valid(query.get("access_token")):
                return 200, {"errcode": 42001, "errmsg": "access_token expired"}
            if path == "/cgi-bin/kf/sync_msg":
                return 200, self.sync(body)
            if path == "/cgi-bin/kf/send_msg":
                self.sent.append(("wecom", body))
                return 200, {"errcode": 0, "errmsg": "ok", "msgid": body.get("msgid", "m")}
        if path == "/open-apis/auth/v3/tenant_access_token/internal":
            if self.apps.get(body.get("app_id")) != body.get("app_secret"):
                return 200, {"code": 10014, "msg": "app secret invalid"}
            return 200, {"code": 0, "msg": "ok", "expire": 7200,
                         "tenant_access_token": self.issue(body["app_id"])}
        if path == "/open-apis/im/v1/messages":
            auth = headers.get("Authorization", "")
            if not auth.startswith("Bearer ") or auth[7:] not in self.tokens:
                return 400, {"code": 99991663, "msg": "Invalid access token for authorization"}
            if query.get("receive_id_type") != "open_id":
                return 400, {"code": 230001, "msg": "invalid receive_id_type"}
            self.sent.append(("feishu", body))
            return 200, {"code": 0, "msg": "success", "data": {"message_id": "om_reply"}}
        if path == "/v1.0/oauth2/accessToken":
            if self.apps.get(body.get("appKey")) != body.get("appSecret"):
                return 400, {"code": "invalidClientIdOrSecret", "message": "无效的 appKey"}
            return 200, {"accessToken": self.issue(body["appKey"]), "expireIn": 7200}
        if path == "/v1.0/robot/oToMessages/batchSend":
            if headers.get("x-acs-dingtalk-access-token") not in self.tokens:
                return 401, {"code": "InvalidAuthentication", "message": "不合法的access_token"}
            self.sent.append(("dingtalk", body))
            return 200, {"processQueryKey": "pqk-1", "invalidStaffIdList": []}
        return 404, {"errcode": 404, "errmsg": "no such API here"}

    def uploaded(self, provider, media, prefix, answer):
        if not isinstance(media, tuple):
            return {"errcode": 41005, "errmsg": "media data missing", "code": 234001}
        key = f"{prefix}{len(self.uploads) + 1}"
        self.uploads[key] = (provider, *media)
        return {**answer, "media_id": key}

    def sync(self, body):
        if body.get("token") not in self.sync_tokens:
            return {"errcode": 95007, "errmsg": "invalid msg token"}
        start = int(body.get("cursor") or "0")
        limit = min(int(body.get("limit", 1000)), 2)  # small pages, so paging is exercised
        page = self.wecom_messages[start:start + limit]
        end = start + len(page)
        return {"errcode": 0, "errmsg": "ok", "next_cursor": str(end),
                "has_more": 1 if end < len(self.wecom_messages) else 0, "msg_list": page}

    def sync_calls(self):
        with self.lock:
            return [c for c in self.calls if c[0] == "/cgi-bin/kf/sync_msg"]

    def replies(self, provider):
        with self.lock:
            return [b for p, b in self.sent if p == provider]
