"""Attachments: raw and multipart uploads, with tickets and messages; download headers; filename
sanitising; the size limit; permission checks."""
import os
import struct
import unicodedata
import zlib

import pytest

from conftest import assert_error
from ticket_support import agent, customer, make_department, new_ticket, reply, uniq


def png_bytes():
    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"\x00\xff\x00\x00"
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


PNG = png_bytes()
SVG = (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
       b'<script>alert(1)</script></svg>\n')
HTML = b"<!DOCTYPE html>\n<html><head><title>x</title></head><body><script>alert(1)</script>" \
       b"</body></html>\n"


def upload_raw(sess, data, filename, ctype="application/octet-stream", expect=201):
    from urllib.parse import quote
    r = sess.request("POST", f"/api/v1/attachments?filename={quote(filename, safe='')}",
                     raw_body=data, headers={"Content-Type": ctype})
    assert r.status == expect, f"upload {filename}: {r.status} {r.body}"
    return r.body["items"][0] if expect == 201 else r


def multipart(fields, files):
    """fields: {name: text}; files: [(name, filename, ctype, bytes)] → (content type, body)."""
    boundary = "----gongdan" + os.urandom(8).hex()
    out = b""
    for name, value in fields.items():
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"
                .encode() + value.encode() + b"\r\n")
    for name, filename, ctype, data in files:
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; "
                f"filename=\"{filename}\"\r\nContent-Type: {ctype}\r\n\r\n").encode("utf-8")
        out += data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return f"multipart/form-data; boundary={boundary}", out


def assert_upload_refusals(send):
    """What every upload route (attachments, a chat's, an article's files) refuses alike.
    send(raw_body, content_type) posts to the route."""
    # A form without a file part, and one whose file input was left empty.
    for files in ([], [("file", "", "application/octet-stream", b"")]):
        ctype, body = multipart({"note": "x"}, files)
        r = send(body, ctype)
        assert_error(r, 400, "invalid_argument", "file")
        assert r.body["error"]["message"] == "no file in the form", r.body
    # A raw body without ?filename=.
    r = send(b"data", "text/plain")
    assert_error(r, 400, "invalid_argument", "filename")
    assert r.body["error"]["message"] == "is required", r.body


def download(sess, att_id, suffix=""):
    return sess.get(f"/api/v1/attachments/{att_id}{suffix}")


def test_raw_upload_attach_and_download(server, admin):
    a = upload_raw(admin, PNG, "photo.png", "image/png")
    assert a["filename"] == "photo.png" and a["size"] == len(PNG)
    assert a["content_type"] == "image/png" and a["url"] == f"/api/v1/attachments/{a['id']}"
    # The uploader may read it back before it is sent.
    r = download(admin, a["id"])
    assert r.status == 200 and r.raw == PNG
    t = new_ticket(admin, attachments=[a["id"]])
    msgs = admin.get(f"/api/v1/tickets/{t['number']}/messages").body["items"]
    assert [x["id"] for x in msgs[0]["attachments"]] == [a["id"]]
    r = download(admin, a["id"])
    assert r.status == 200 and r.raw == PNG
    assert r.headers.get("Content-Type") == "image/png"
    assert r.headers.get("X-Content-Type-Options") == "nosniff"
    assert "sandbox" in r.headers.get("Content-Security-Policy", "")
    assert r.headers.get("Content-Disposition", "").startswith("inline")
    # No parameter changes the served type or disposition.
    for suffix in ("?type=text/html", "?content_type=text/html", "?disposition=inline",
                   "?download=0"):
        r2 = download(admin, a["id"], suffix)
        assert r2.status in (200, 400), r2
        if r2.status == 200:
            assert r2.headers.get("Content-Type") == "image/png"
    # Reusing an upload that is already attached: refused.
    r = admin.post("/api/v1/tickets", json={"subject": "s", "body": "b",
                                            "requester": {"email": "att@example.com"},
                                            "attachments": [a["id"]]})
    assert_error(r, 400, "invalid_argument", "attachments")


@pytest.mark.parametrize("data,filename,ctype", [
    (SVG, "logo.svg", "image/svg+xml"),
    (HTML, "page.html", "text/html"),
    (HTML, "page.txt", "text/plain"),
    (PNG, "photo.png", "text/html"),
    (PNG, "photo.html", "image/png"),
    (b"<?xml version=\"1.0\"?><a>x</a>\n", "data.xml", "application/xml"),
    (b"\x00\x01\x02binary\xff" * 10, "blob.png", "image/png"),
])
def test_risky_downloads_are_attachments(server, admin, data, filename, ctype):
    a = upload_raw(admin, data, filename, ctype)
    n = new_ticket(admin)["number"]
    reply(admin, n, body="see file", attachments=[a["id"]])
    r = download(admin, a["id"])
    assert r.status == 200 and r.raw == data
    assert r.headers.get("Content-Disposition", "").startswith("attachment"), r.headers
    assert r.headers.get("X-Content-Type-Options") == "nosniff"
    assert "sandbox" in r.headers.get("Content-Security-Policy", "")
    assert r.headers.get("Content-Type")


@pytest.mark.parametrize("raw_name,check", [
    ("../../etc/passwd", lambda s: s == "passwd"),
    ("C:\\Users\\li\\report.pdf", lambda s: s == "report.pdf"),
    ("invoice\u202egpj.exe", lambda s: "\u202e" not in s and s == "invoicegpj.exe"),
    ("e\u0301te\u0301.txt", lambda s: s == unicodedata.normalize("NFC", "e\u0301te\u0301.txt")),
    ("报告 2026.pdf", lambda s: s == "报告 2026.pdf"),
    ("..", lambda s: s and "/" not in s and s not in (".", "..")),
    ("a\u200bb\u2066c.txt", lambda s: s == "abc.txt"),
])
def test_filenames_are_sanitised(server, admin, raw_name, check):
    a = upload_raw(admin, b"hello world\n", raw_name, "text/plain")
    assert check(a["filename"]), (raw_name, a["filename"])
    r = download(admin, a["id"])
    cd = r.headers.get("Content-Disposition", "")
    assert "/" not in cd.split("filename=")[1].split(";")[0]
    assert "\u202e" not in cd and "%E2%80%AE" not in cd.upper()


def test_multipart_ticket_and_message(server, admin):
    import json
    ctype, body = multipart({"json": json.dumps({"subject": "with files", "body": "see attached",
                                                 "requester": {"email": "mp@example.com"}})},
                            [("file", "one.png", "image/png", PNG),
                             ("file", "two.txt", "text/plain", b"plain text\n")])
    r = admin.request("POST", "/api/v1/tickets", raw_body=body, headers={"Content-Type": ctype})
    assert r.status == 201, r
    n = r.body["number"]
    msgs = admin.get(f"/api/v1/tickets/{n}/messages").body["items"]
    files = msgs[0]["attachments"]
    assert sorted(f["filename"] for f in files) == ["one.png", "two.txt"]
    by_name = {f["filename"]: f for f in files}
    assert download(admin, by_name["one.png"]["id"]).raw == PNG
    ctype, body = multipart({"json": json.dumps({"body": "a note with a file", "internal": True})},
                            [("attachment", "note.txt", "text/plain", b"note file\n")])
    r = admin.request("POST", f"/api/v1/tickets/{n}/messages", raw_body=body,
                      headers={"Content-Type": ctype})
    assert r.status == 201, r
    assert r.body["internal"] is True and r.body["attachments"][0]["filename"] == "note.txt"
    # Multipart to /attachments (no json part needed), several files.
    ctype, body = multipart({}, [("a", "x.txt", "text/plain", b"x\n"),
                                 ("b", "y.txt", "text/plain", b"y\n")])
    r = admin.request("POST", "/api/v1/attachments", raw_body=body,
                      headers={"Content-Type": ctype})
    assert r.status == 201 and len(r.body["items"]) == 2, r
    # Bad multipart.
    ctype, body = multipart({}, [("file", "x.txt", "text/plain", b"x\n")])
    r = admin.request("POST", "/api/v1/tickets", raw_body=body, headers={"Content-Type": ctype})
    assert_error(r, 400, "invalid_argument", "json")
    r = admin.request("POST", "/api/v1/attachments", raw_body=b"garbage",
                      headers={"Content-Type": "multipart/form-data; boundary=zzz"})
    assert r.status == 400, r
    r = admin.request("POST", "/api/v1/attachments", raw_body=b"garbage",
                      headers={"Content-Type": "multipart/form-data"})
    assert r.status == 400, r
    assert_upload_refusals(lambda body, ctype: admin.request(
        "POST", "/api/v1/attachments", raw_body=body, headers={"Content-Type": ctype}))
    r = admin.request("POST", "/api/v1/attachments?filename=e.txt", raw_body=b"",
                      headers={"Content-Type": "text/plain"})
    assert r.status == 400, r


def test_content_addressed_dedup(server, admin):
    data = os.urandom(3000)
    a = upload_raw(admin, data, "r1.bin")
    b = upload_raw(admin, data, "r2.bin")
    assert a["id"] != b["id"]
    import hashlib
    h = hashlib.sha256(data).hexdigest()
    path = server.data_dir / "attachments" / h[:2] / h[2:4] / h
    # Named by the plaintext's SHA-256, stored encrypted (docs/encryption.md).
    assert path.exists() and path.read_bytes().startswith(b"\0GDENC1\n")
    assert data[:64] not in path.read_bytes()
    assert download(admin, a["id"]).raw == data
    same = [p for p in (server.data_dir / "attachments").rglob("*") if p.is_file()
            and p.name == h]
    assert len(same) == 1


def test_larger_than_body_limit_but_under_attachment_limit(server, admin):
    data = os.urandom(2 * 1024 * 1024)
    a = upload_raw(admin, data, "big.bin")
    assert a["size"] == len(data)
    assert download(admin, a["id"]).raw == data


def test_attachment_limit(start_server):
    srv = start_server(env={"GONGDAN_ATTACHMENT_LIMIT": "4096"})
    admin = srv.admin
    upload_raw(admin, os.urandom(4000), "ok.bin")
    r = upload_raw(admin, os.urandom(5000), "big.bin", expect=413)
    assert_error(r, 413, "payload_too_large")
    import json
    ctype, body = multipart({"json": json.dumps({"subject": "s", "body": "b",
                                                 "requester": {"email": "l@example.com"}})},
                            [("file", "big.bin", "application/octet-stream", os.urandom(5000))])
    r = admin.request("POST", "/api/v1/tickets", raw_body=body, headers={"Content-Type": ctype})
    assert_error(r, 413, "payload_too_large")
    assert srv.healthy()


def test_download_permissions(server, admin):
    dept_a = make_department(admin)
    dept_b = make_department(admin)
    owner = customer(server)
    other = customer(server)
    ag_a = agent(server, departments=[dept_a["id"]])
    ag_b = agent(server, departments=[dept_b["id"]])
    light_a = agent(server, role="light_agent", departments=[dept_a["id"]])
    a = upload_raw(owner, b"customer file\n", "mine.txt", "text/plain")
    # Unsent: only the uploader.
    assert download(owner, a["id"]).status == 200
    for sess in (other, ag_a, admin):
        assert_error(download(sess, a["id"]), 404, "not_found")
    t = new_ticket(owner, requester=False, department=dept_a["id"], attachments=[a["id"]])
    n = t["number"]
    note_file = upload_raw(ag_a, b"agents only\n", "internal.txt", "text/plain")
    reply(ag_a, n, body="note", internal=True, attachments=[note_file["id"]])
    for sess, pub, note in ((owner, 200, 404), (other, 404, 404), (ag_a, 200, 200),
                            (ag_b, 404, 404), (light_a, 200, 200), (admin, 200, 200)):
        assert download(sess, a["id"]).status == pub, sess.user
        assert download(sess, note_file["id"]).status == note, sess.user
    # Someone else's upload cannot be attached.
    theirs = upload_raw(other, b"theirs\n", "theirs.txt", "text/plain")
    r = owner.post(f"/api/v1/tickets/{n}/messages", json={"body": "x",
                                                           "attachments": [theirs["id"]]})
    assert_error(r, 400, "invalid_argument", "attachments")
    assert_error(download(admin, 99999999), 404, "not_found")
    assert_error(download(admin, "abc"), 404, "not_found")
    assert server.get(f"/api/v1/attachments/{a['id']}").status == 401
