"""An article's images and attachments (issue 18): uploaded in the editor (multipart or a raw
body), shown inline in the Markdown through the sanitiser, served at /help-files/{id} with the
article's visibility (an agents-only article's image is not readable by the public or by
customers, a draft's by nobody but agents), listed under the article when they are not images,
and refused when oversized, naming the limit."""
import struct
import zlib
from urllib.parse import quote

from conftest import assert_error
from kb_support import make_article, make_section, put_translation
from test_tickets_attachments import HTML, PNG, assert_upload_refusals, multipart
from ticket_support import agent, customer, uniq


def png(width, height):
    """A PNG header that says width × height (the pixels are not needed to refuse it)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = struct.pack(">I", 13) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return b"\x89PNG\r\n\x1a\n" + chunk + b"\x00" * 64


def upload(sess, article_id, data, filename, expect=201):
    r = sess.request("POST", f"/api/v1/kb/articles/{article_id}/files?filename="
                     + quote(filename, safe=""), raw_body=data,
                     headers={"Content-Type": "application/octet-stream"})
    assert r.status == expect, (filename, r.status, r.body)
    return r.body["items"][0] if expect == 201 else r


def test_an_uploaded_image_shows_inline_and_a_document_is_listed(server, admin):
    _, section = make_section(admin)
    a = make_article(admin, section["id"], {"en": ("Diagram " + uniq(), "soon")})
    ctype, body = multipart({}, [("file", "网络图.png", "image/png", PNG)])
    r = admin.request("POST", f"/api/v1/kb/articles/{a['id']}/files", raw_body=body,
                      headers={"Content-Type": ctype})
    assert r.status == 201, r
    image = r.body["items"][0]
    assert image["image"] is True and image["content_type"] == "image/png"
    assert image["url"] == f"/help-files/{image['id']}"
    assert image["markdown"] == f"![网络图.png](/help-files/{image['id']})"
    manual = upload(admin, a["id"], b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "manual.pdf")
    assert manual["image"] is False and manual["markdown"].startswith("[manual.pdf](")
    listed = admin.get(f"/api/v1/kb/articles/{a['id']}/files").body["items"]
    assert [f["id"] for f in listed] == [image["id"], manual["id"]]

    put_translation(admin, a["id"], "en", body="Look:\n\n" + image["markdown"]
                    + "\n\n[elsewhere](/api/v1/attachments/1)")
    html = server.get(f"/help/en/articles/{a['id']}").body
    assert f'<img src="/help-files/{image["id"]}" alt="网络图.png">' in html, html
    assert "/api/v1/attachments/1" not in html  # no other path of the server survives
    assert f'href="/help-files/{manual["id"]}">manual.pdf</a>' in html  # the attachments list
    assert "img-src 'self'" in server.get(f"/help/en/articles/{a['id']}").headers[
        "Content-Security-Policy"]
    got = server.get(image["url"])
    assert got.status == 200 and got.raw == PNG
    assert got.headers["Content-Type"] == "image/png"
    assert got.headers["X-Content-Type-Options"] == "nosniff"


def test_files_follow_the_articles_visibility_and_state(server, admin):
    _, section = make_section(admin)
    made = {v: make_article(admin, section["id"], {"en": (v + uniq(), "b")}, visibility=v)
            for v in ("public", "customers", "agents")}
    draft = make_article(admin, section["id"], {"en": ("draft" + uniq(), "b")}, state="draft")
    files = {v: upload(admin, a["id"], PNG, v + ".png") for v, a in made.items()}
    files["draft"] = upload(admin, draft["id"], PNG, "draft.png")
    readers = {"anonymous": server, "customer": customer(server),
               "agent": agent(server, role="light_agent")}
    sees = {"anonymous": {"public"}, "customer": {"public", "customers"},
            "agent": {"public", "customers", "agents", "draft"}}
    for who, sess in readers.items():
        for what, f in files.items():
            r = sess.get(f["url"])
            assert r.status == (200 if what in sees[who] else 404), (who, what, r.status)
            if r.status == 404:
                assert r.raw != PNG
    # Published later: its file is for readers from then on.
    put_translation(admin, draft["id"], "en", state="published")
    assert server.get(files["draft"]["url"]).status == 200
    # Made agents-only: no longer for the public.
    admin.request("PATCH", f"/api/v1/kb/articles/{draft['id']}", json={"visibility": "agents"})
    assert server.get(files["draft"]["url"]).status == 404


def test_oversized_and_broken_images_are_refused_naming_the_limit(server, admin):
    _, section = make_section(admin)
    a = make_article(admin, section["id"], {"en": ("Big " + uniq(), "b")})
    r = upload(admin, a["id"], b"\x00" * (5 * 1024 * 1024 + 1), "big.bin", expect=413)
    assert_error(r, 413, "payload_too_large", "file")
    assert "5242880 bytes (5 MiB)" in r.body["error"]["message"], r.body
    r = upload(admin, a["id"], png(20000, 300), "wide.png", expect=413)
    assert "20000 × 300" in r.body["error"]["message"] and "8000 pixels" in r.body["error"]["message"]
    r = upload(admin, a["id"], PNG[:20] + b"\x00" * 40, "cut.png", expect=400)
    assert_error(r, 400, "invalid_argument", "file")
    upload(admin, a["id"], png(8000, 8000), "square.png")  # at the limit
    upload(admin, a["id"], b"", "empty.png", expect=400)
    assert_upload_refusals(lambda body, ctype: admin.request(
        "POST", f"/api/v1/kb/articles/{a['id']}/files", raw_body=body,
        headers={"Content-Type": ctype}))
    assert admin.get(f"/api/v1/kb/articles/{a['id']}/files").body["items"][0]["filename"] == "square.png"


def test_who_may_upload_and_remove(server, admin):
    _, section = make_section(admin)
    a = make_article(admin, section["id"], {"en": ("Who " + uniq(), "b")})
    assert_error(upload(customer(server), a["id"], PNG, "x.png", expect=403), 403,
                 "permission_denied")
    assert_error(upload(agent(server, role="light_agent"), a["id"], PNG, "x.png", expect=403), 403,
                 "permission_denied")
    assert server.request("POST", f"/api/v1/kb/articles/{a['id']}/files?filename=x.png",
                          raw_body=PNG).status in (401, 403)
    assert_error(upload(admin, 99999999, PNG, "x.png", expect=404), 404, "not_found")
    writer = agent(server)
    f = upload(writer, a["id"], PNG, "x.png")
    r = writer.request("DELETE", f"/api/v1/kb/articles/{a['id']}/files/{f['id']}")
    assert r.status == 204, r
    assert server.get(f["url"]).status == 404
    assert_error(writer.request("DELETE", f"/api/v1/kb/articles/{a['id']}/files/{f['id']}"), 404,
                 "not_found")
    # A risky document is never shown inline.
    h = upload(writer, a["id"], HTML, "page.html")
    got = server.get(h["url"])
    assert got.status == 200 and got.headers["Content-Disposition"].startswith("attachment")


def test_a_changed_article_is_never_served_from_an_older_render(server, admin):
    _, section = make_section(admin)
    a = make_article(admin, section["id"], {"en": ("Cached " + uniq(), "first words")})
    path = f"/help/en/articles/{a['id']}"
    for _ in range(3):
        assert "first words" in server.get(path).body
    put_translation(admin, a["id"], "en", body="second words")
    assert "second words" in server.get(path).body
    admin.request("PATCH", f"/api/v1/kb/articles/{a['id']}", json={"visibility": "agents"})
    assert server.get(path).status == 404
    assert server.get(f"/help/en/sections/{section['id']}").status == 404
