"""The help centre's setting (issue 18): company name, logo and colour on every /help page, and
the list of languages (zh-CN and en unless an admin says otherwise) that /help and the article
editor offer, the first the default. Pages rendered before a change are never served after it.
Each test that changes the setting has a server of its own (the setting is the install's)."""
from urllib.parse import quote

from conftest import assert_error
from kb_support import make_article, make_section
from ticket_support import agent, customer, uniq


def setting(sess):
    r = sess.get("/api/v1/help-settings")
    assert r.status == 200, r
    return r.body["items"][0]


def change(admin, expect=200, **fields):
    r = admin.patch(f"/api/v1/help-settings/{setting(admin)['id']}", json=fields)
    assert r.status == expect, r
    return r


def test_name_logo_and_colour_are_on_every_page(fresh_server):
    server = fresh_server
    admin = server.login()
    _, section = make_section(admin)
    a = make_article(admin, section["id"], {"en": ("Brand " + uniq(), "b")})
    assert setting(admin)["languages"] == ["zh-CN", "en"]
    before = server.get(f"/help/en/articles/{a['id']}").body
    assert "#1d4ed8" in before
    name = "Acme " + uniq()
    change(admin, company_name=name, colour="#aa3300", logo_url="https://cdn.example.com/acme.png")
    for path in ("/help/en", f"/help/en/sections/{section['id']}",
                 f"/help/en/articles/{a['id']}", "/help/en/search?q=brand", "/help/zh-CN"):
        html = server.get(path).body
        assert name in html and "header{background:#aa3300}" in html, path
        assert '<img src="https://cdn.example.com/acme.png" alt="" class="logo">' in html, path
    assert "<title>Brand" in server.get(f"/help/en/articles/{a['id']}").body
    # Everyone signed in reads it (the desk's editor needs the languages); only admins write.
    assert setting(customer(server))["company_name"] == name
    writer = agent(server)
    assert_error(writer.patch(f"/api/v1/help-settings/{setting(admin)['id']}",
                              json={"colour": "#000000"}), 403, "permission_denied")


def test_bad_settings_are_refused_naming_the_field(server, admin):
    for fields, field in (({"colour": "red"}, "colour"),
                          ({"logo_url": "javascript:alert(1)"}, "logo_url"),
                          ({"logo_url": "/api/v1/attachments/1"}, "logo_url"),
                          ({"languages": []}, "languages"),
                          ({"languages": ["en", "pt"]}, "languages"),
                          ({"languages": ["en", "en-GB"]}, "languages")):
        assert_error(change(admin, expect=400, **fields), 400, "invalid_argument", field)


def test_the_languages_are_a_setting(fresh_server):
    server = fresh_server
    admin = server.login()
    _, section = make_section(admin)
    word = uniq("lang")
    a = make_article(admin, section["id"], {"en": ("Hello " + word, "b"),
                                            "ja": ("こんにちは " + word, "プリンターの設定")})
    # Japanese is not offered yet: its pages do not exist, and /help never sends readers there.
    assert server.get(f"/help/ja/articles/{a['id']}").status == 404
    # The first of the languages is the default.
    assert server.get("/help", headers={"Accept-Language": "ja"}).headers["Location"] == "/help/zh-CN"
    change(admin, languages=["ja-JP", "en"])
    assert setting(admin)["languages"] == ["ja", "en"]
    ja = server.get(f"/help/ja/articles/{a['id']}").body
    assert "こんにちは" in ja and 'lang="ja"' in ja
    assert 'hreflang="en" lang="en">English</a>' in ja  # the other language's link
    assert server.get("/help/zh-CN").status == 404  # no longer offered
    assert server.get("/help", headers={"Accept-Language": "ja"}).headers["Location"] == "/help/ja"
    assert server.get("/help", headers={"Accept-Language": "de"}).headers["Location"] == "/help/ja"
    hits = server.get("/api/v1/kb/search?lang=ja&q=" + quote("プリンター")).body["items"]
    assert [h["article_id"] for h in hits] == [a["id"]]
    # Not written in a language offered: shown in another one that is, with a notice.
    b = make_article(admin, section["id"], {"en": ("Only English " + word, "b")})
    fallback = server.get(f"/help/ja/articles/{b['id']}").body
    assert "Only English" in fallback and 'rel="canonical" href="/help/en/articles/' in fallback
    change(admin, languages=["zh-CN", "en"])
    assert server.get(f"/help/ja/articles/{a['id']}").status == 404
