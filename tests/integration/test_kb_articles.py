"""Knowledge base (issue 18): categories, sections and articles are declared resources; an
article's translations each have their own state and versions; Markdown is rendered safe;
light agents and customers may not write; a body over the limit is 413 naming it."""
from conftest import assert_error
from kb_support import make_article, make_section, put_translation
from ticket_support import agent, customer, uniq


def test_an_article_is_written_in_two_languages_with_its_own_states(server, admin):
    _, section = make_section(admin)
    a = admin.post("/api/v1/kb/articles", json={"section": section["id"], "tags": ["vpn"]})
    assert a.status == 201, a
    assert a.body["visibility"] == "public" and a.body["translations"] == []
    aid = a.body["id"]
    zh = put_translation(admin, aid, "zh-CN", title="连接 VPN", body="# 步骤\n\n打开**客户端**。")
    assert zh["state"] == "draft" and zh["version"] == 1 and zh["lang"] == "zh-CN"
    assert "<h1>步骤</h1>" in zh["body_html"] and "<strong>客户端</strong>" in zh["body_html"]
    en = put_translation(admin, aid, "en", title="Connect to the VPN", body="Open the client.")
    put_translation(admin, aid, "en", state="in_review")
    en = put_translation(admin, aid, "en", state="published")
    assert en["state"] == "published" and en["version"] == 3 and en["published_at"]
    article = admin.get(f"/api/v1/kb/articles/{aid}").body
    assert article["title"] == "连接 VPN"
    states = {t["lang"]: t["state"] for t in article["translations"]}
    assert states == {"zh-CN": "draft", "en": "published"}
    items = admin.get(f"/api/v1/kb/articles/{aid}/translations").body["items"]
    assert {t["lang"] for t in items} == {"zh-CN", "en"}
    # "zh" and "EN" are their canonical languages; an unknown one is refused.
    assert admin.get(f"/api/v1/kb/articles/{aid}/translations/zh").body["title"] == "连接 VPN"
    assert_error(admin.get(f"/api/v1/kb/articles/{aid}/translations/pt"), 400,
                 "invalid_argument", "lang")


def test_states_move_only_along_the_workflow(server, admin):
    _, section = make_section(admin)
    a = admin.post("/api/v1/kb/articles", json={"section": section["id"]}).body
    assert_error(admin.request("PUT", f"/api/v1/kb/articles/{a['id']}/translations/en",
                               json={"body": "no title yet"}), 400, "invalid_argument", "title")
    put_translation(admin, a["id"], "en", title="t", body="b")
    r = admin.request("PUT", f"/api/v1/kb/articles/{a['id']}/translations/en",
                      json={"state": "archived"})
    assert_error(r, 409, "conflict", "state")
    assert_error(admin.request("PUT", f"/api/v1/kb/articles/{a['id']}/translations/en",
                               json={"state": "gone"}), 400, "invalid_argument", "state")
    assert_error(admin.request("PUT", f"/api/v1/kb/articles/{a['id']}/translations/en",
                               json={"title": 5}), 400, "invalid_argument", "title")
    assert_error(admin.request("PUT", "/api/v1/kb/articles/999999/translations/en",
                               json={"title": "x"}), 404, "not_found")


def test_every_version_is_kept_and_an_old_one_restored(server, admin):
    _, section = make_section(admin)
    a = admin.post("/api/v1/kb/articles", json={"section": section["id"]}).body
    put_translation(admin, a["id"], "en", title="First", body="one")
    put_translation(admin, a["id"], "en", body="two")
    put_translation(admin, a["id"], "en", title="Third", body="three")
    # A save that changes nothing makes no version.
    put_translation(admin, a["id"], "en", title="Third")
    versions = admin.get(f"/api/v1/kb/articles/{a['id']}/versions?lang=en").body["items"]
    assert [v["version"] for v in versions] == [3, 2, 1]
    assert versions[2]["title"] == "First" and versions[1]["body"] == "two"
    r = admin.post(f"/api/v1/kb/articles/{a['id']}/versions/1/restore", json={"lang": "en"})
    assert r.status == 200, r
    assert r.body["title"] == "First" and r.body["body"] == "one" and r.body["version"] == 4
    assert_error(admin.post(f"/api/v1/kb/articles/{a['id']}/versions/99/restore",
                            json={"lang": "en"}), 404, "not_found")
    every = admin.get(f"/api/v1/kb/articles/{a['id']}/versions").body["items"]
    assert len(every) == 4 and {v["lang"] for v in every} == {"en"}


def test_markdown_is_rendered_inert(server, admin):
    _, section = make_section(admin)
    hostile = ("<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n"
               "[click](javascript:alert(3))\n\n<a href=\"javascript:alert(4)\">a</a>\n\n"
               "<iframe src=\"https://evil.example\"></iframe>\n\n**fine**")
    a = make_article(admin, section["id"], {"en": ("Hostile " + uniq(), hostile)})
    html = admin.get(f"/api/v1/kb/articles/{a['id']}/translations/en").body["body_html"]
    for bad in ("<script", "onerror", "javascript:", "<iframe"):
        assert bad not in html.lower(), html
    assert "<strong>fine</strong>" in html


def test_a_body_over_the_limit_is_413_naming_it(server, admin):
    _, section = make_section(admin)
    a = admin.post("/api/v1/kb/articles", json={"section": section["id"]}).body
    r = admin.request("PUT", f"/api/v1/kb/articles/{a['id']}/translations/en",
                      json={"title": "big", "body": "x" * (256 * 1024 + 1)})
    assert_error(r, 413, "payload_too_large", "body")
    assert "262144" in r.body["error"]["message"]
    put_translation(admin, a["id"], "en", title="big", body="x" * (256 * 1024))


def test_who_may_write(server, admin):
    _, section = make_section(admin)
    a = admin.post("/api/v1/kb/articles", json={"section": section["id"]}).body
    writer = agent(server)
    put_translation(writer, a["id"], "en", title="by an agent", body="b")
    supervisor = agent(server, role="supervisor")
    put_translation(supervisor, a["id"], "en", body="by a supervisor")
    light = agent(server, role="light_agent")
    assert light.get(f"/api/v1/kb/articles/{a['id']}").status == 200
    assert light.get(f"/api/v1/kb/articles/{a['id']}/translations/en").status == 200
    assert_error(light.request("PUT", f"/api/v1/kb/articles/{a['id']}/translations/en",
                               json={"body": "no"}), 403, "permission_denied")
    assert_error(light.post("/api/v1/kb/articles", json={"section": section["id"]}), 403,
                 "permission_denied")
    assert_error(light.post("/api/v1/kb/categories", json={"name": "no"}), 403,
                 "permission_denied")
    person = customer(server)
    assert_error(person.get(f"/api/v1/kb/articles/{a['id']}"), 403, "permission_denied")
    assert_error(person.get(f"/api/v1/kb/articles/{a['id']}/translations/en"), 403,
                 "permission_denied")
    assert_error(person.request("PUT", f"/api/v1/kb/articles/{a['id']}/translations/en",
                                json={"body": "no"}), 403, "permission_denied")


def test_filled_categories_and_sections_are_not_removed(server, admin):
    category, section = make_section(admin)
    a = admin.post("/api/v1/kb/articles", json={"section": section["id"]}).body
    assert_error(admin.delete(f"/api/v1/kb/sections/{section['id']}"), 409, "conflict")
    assert_error(admin.delete(f"/api/v1/kb/categories/{category['id']}"), 409, "conflict")
    assert_error(admin.post("/api/v1/kb/articles", json={"section": 999999}), 400,
                 "invalid_argument", "section")
    assert admin.delete(f"/api/v1/kb/articles/{a['id']}").status == 204
    assert admin.delete(f"/api/v1/kb/sections/{section['id']}").status == 204
    assert admin.delete(f"/api/v1/kb/categories/{category['id']}").status == 204


def test_a_translation_older_than_its_source_is_marked(server, admin):
    _, section = make_section(admin)
    a = admin.post("/api/v1/kb/articles", json={"section": section["id"]}).body

    def outdated():
        summary = admin.get(f"/api/v1/kb/articles/{a['id']}").body["translations"]
        return {t["lang"]: t["outdated"] for t in summary}

    put_translation(admin, a["id"], "zh-CN", title="源", body="原文")
    put_translation(admin, a["id"], "en", title="Source", body="Translated")
    assert outdated() == {"zh-CN": False, "en": False}
    # A change of state is not a change of words.
    put_translation(admin, a["id"], "zh-CN", state="published")
    assert outdated() == {"zh-CN": False, "en": False}
    put_translation(admin, a["id"], "zh-CN", body="原文，改过")
    assert outdated() == {"zh-CN": False, "en": True}
    put_translation(admin, a["id"], "en", state="in_review")
    assert outdated()["en"] is True
    put_translation(admin, a["id"], "en", body="Translated again")
    assert outdated() == {"zh-CN": False, "en": False}
