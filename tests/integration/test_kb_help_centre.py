"""The help centre (issue 18): /help/{lang}/… rendered on the server from published articles.
Each visibility is held on every page, the sitemap and search: agents-only articles never reach
a customer or an anonymous reader, customers-only articles never an anonymous one."""
from conftest import assert_error
from kb_support import make_article, make_section, put_translation
from ticket_support import agent, customer, uniq


def page(sess, path, expect=200):
    r = sess.get(path)
    assert r.status == expect, (path, r.status, r.body)
    if expect == 200:
        assert r.headers["Content-Type"].startswith("text/html"), r.headers["Content-Type"]
        assert "<script" not in r.body
    return r.body


def test_home_category_section_and_article_pages_in_both_languages(server, admin):
    word = uniq("w")
    category, section = make_section(admin)
    a = make_article(admin, section["id"], {
        "en": ("Reset your password " + word, "Open **Settings** and choose *Reset*."),
        "zh-CN": ("重置密码 " + word, "打开**设置**，选择重置。")})
    home = page(server, "/help/en")
    assert category["name"] in home and section["name"] in home
    assert "Reset your password " + word in home  # among the recent articles
    assert category["name_zh"] in page(server, "/help/zh-CN")
    assert section["name"] in page(server, f"/help/en/categories/{category['id']}")
    assert "Reset your password" in page(server, f"/help/en/sections/{section['id']}")
    en = page(server, f"/help/en/articles/{a['id']}")
    assert "<strong>Settings</strong>" in en
    assert f'href="/help/en/categories/{category["id"]}"' in en  # breadcrumbs
    assert f'href="/help/en/sections/{section["id"]}"' in en
    # Without public_url, links are root-relative (never built from the Host header).
    assert '<link rel="canonical" href="/help/en/articles/%d"' % a["id"] in en
    assert 'hreflang="zh-CN"' in en and 'hreflang="en"' in en
    zh = page(server, f"/help/zh-CN/articles/{a['id']}")
    assert "重置密码" in zh and "<strong>设置</strong>" in zh and 'lang="zh-CN"' in zh


def test_help_picks_the_language_and_redirects_other_spellings(server):
    r = server.get("/help", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    assert r.status == 302 and r.headers["Location"] == "/help/zh-CN"
    r = server.get("/help", headers={"Accept-Language": "fr, en;q=0.5"})
    assert r.headers["Location"] == "/help/en"
    # No language asked for: the first of the help centre's (zh-CN unless an admin says otherwise).
    assert server.get("/help").headers["Location"] == "/help/zh-CN"
    r = server.get("/help/zh/search?q=x")
    assert r.status == 301 and r.headers["Location"] == "/help/zh-CN/search"
    page(server, "/help/fr", expect=404)
    page(server, "/help/en/articles/nope", expect=404)
    page(server, "/help/en/articles/99999999", expect=404)


def test_a_missing_translation_falls_back_with_a_notice(server, admin):
    _, section = make_section(admin)
    a = make_article(admin, section["id"], {"zh-CN": ("只有中文 " + uniq(), "正文")})
    en = page(server, f"/help/en/articles/{a['id']}")
    assert "只有中文" in en and "not available in this language" in en
    assert 'rel="canonical" href="/help/zh-CN/articles/%d"' % a["id"] in en


def test_drafts_are_not_on_the_help_centre(server, admin):
    _, section = make_section(admin)
    a = make_article(admin, section["id"], {"en": ("Draft " + uniq(), "b")}, state="draft")
    page(server, f"/help/en/articles/{a['id']}", expect=404)
    put_translation(admin, a["id"], "en", state="published")
    page(server, f"/help/en/articles/{a['id']}")
    put_translation(admin, a["id"], "en", state="archived")
    page(server, f"/help/en/articles/{a['id']}", expect=404)


def test_each_visibility_on_every_page_the_sitemap_and_search(server, admin):
    word = uniq("vis")
    category, section = make_section(admin)
    made = {}
    for visibility in ("public", "customers", "agents"):
        made[visibility] = make_article(
            admin, section["id"], {"en": (f"{visibility} {word}", f"about {word} {visibility}")},
            visibility=visibility)
    readers = {"anonymous": server, "customer": customer(server),
               "agent": agent(server, role="light_agent")}
    sees = {"anonymous": {"public"}, "customer": {"public", "customers"},
            "agent": {"public", "customers", "agents"}}
    for who, sess in readers.items():
        pages = [page(sess, "/help/en"), page(sess, f"/help/en/categories/{category['id']}"),
                 page(sess, f"/help/en/sections/{section['id']}"),
                 page(sess, f"/help/en/search?q={word}")]
        hits = sess.get(f"/api/v1/kb/search?q={word}&lang=en")
        assert hits.status == 200, hits
        found = {h["title"].split()[0] for h in hits.body["items"]}
        assert found == sees[who], (who, found)
        for visibility, article in made.items():
            visible = visibility in sees[who]
            title = f"{visibility} {word}"
            for html in pages:
                assert (title in html) == visible, (who, visibility)
            page(sess, f"/help/en/articles/{article['id']}", expect=200 if visible else 404)
    assert_error(server.get("/help/sitemap.xml"), 503, "unavailable")


def test_the_sitemap_lists_public_articles_at_the_public_url(start_server):
    srv = start_server(env={"GONGDAN_PUBLIC_URL": "https://help.example.com/"})
    admin = srv.login()
    _, section = make_section(admin)
    made = {v: make_article(admin, section["id"], {"en": (v + uniq(), "b"), "zh-CN": ("中" + v, "b")},
                            visibility=v) for v in ("public", "customers", "agents")}
    sitemap = srv.get("/help/sitemap.xml")
    assert sitemap.status == 200 and sitemap.headers["Content-Type"].startswith("application/xml")
    public = made["public"]["id"]
    assert f"<loc>https://help.example.com/help/en/articles/{public}</loc>" in sitemap.body
    assert f"<loc>https://help.example.com/help/zh-CN/articles/{public}</loc>" in sitemap.body
    for hidden in ("customers", "agents"):
        assert f"/articles/{made[hidden]['id']}<" not in sitemap.body
    html = srv.get(f"/help/en/articles/{public}").body
    assert f'<link rel="canonical" href="https://help.example.com/help/en/articles/{public}">' in html
    assert (f'<link rel="alternate" hreflang="zh-CN" '
            f'href="https://help.example.com/help/zh-CN/articles/{public}">') in html


def test_votes_and_views_are_counted(clocked_server):
    server = clocked_server
    admin = server.login()
    _, section = make_section(admin)
    a = make_article(admin, section["id"], {"en": ("Votes " + uniq(), "b")})
    path = f"/help/en/articles/{a['id']}"
    r = server.request("POST", path + "/vote", raw_body="helpful=yes",
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status == 303 and r.headers["Location"] == path + "?voted=1"
    assert "Thank you" in page(server, path + "?voted=1")
    r = server.request("POST", path + "/vote", raw_body="helpful=no",
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status == 303
    r = server.request("POST", path + "/vote", raw_body="helpful=maybe",
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_error(r, 400, "invalid_argument", "helpful")
    t = admin.get(f"/api/v1/kb/articles/{a['id']}/translations/en").body
    assert (t["helpful"], t["unhelpful"]) == (1, 1)
    # Views wait in memory; the background thread writes them within five seconds (real time:
    # the test clock does not pace it).
    for _ in range(4):
        page(server, path)
    from waiting import wait_until
    wait_until(lambda: admin.get(f"/api/v1/kb/articles/{a['id']}/translations/en")
               .body["views"] >= 5, what="the views written")
