"""KB search (issue 18): the tickets' search engine and CJK handling over published articles,
ranked (title before body), with snippets, in one language, under each reader's visibility."""
from urllib.parse import urlencode

from conftest import assert_error
from kb_support import make_article, make_section, put_translation
from ticket_support import uniq


def search(sess, q, lang="en", **params):
    r = sess.get("/api/v1/kb/search?" + urlencode({"q": q, "lang": lang, **params}))
    assert r.status == 200, r
    return r.body["items"]


def test_chinese_words_are_found_without_spaces(server, admin):
    tag = uniq("cjk")
    _, section = make_section(admin)
    a = make_article(admin, section["id"], {
        "zh-CN": ("办公室的打印机无法连接 " + tag, "请先检查打印机的电源，然后重新连接网络。"),
        "en": ("The office printer does not connect " + tag, "Check the power first.")})
    hits = search(server, "打印机", lang="zh-CN")
    assert a["id"] in [h["article_id"] for h in hits]
    hit = next(h for h in hits if h["article_id"] == a["id"])
    assert hit["lang"] == "zh-CN" and hit["url"] == f"/help/zh-CN/articles/{a['id']}"
    # The language decides which translation answers: English words in English only.
    assert a["id"] in [h["article_id"] for h in search(server, "printers " + tag)]
    assert a["id"] not in [h["article_id"] for h in search(server, "printers " + tag, "zh-CN")]
    hits = search(server, "重新连接", lang="zh-CN")
    hit = next(h for h in hits if h["article_id"] == a["id"])
    assert "<mark>重新连接</mark>" in hit["snippet"], hit


def test_a_phrase_needs_its_words_side_by_side(server, admin):
    # PostgreSQL finds a phrase's candidates by its words and checks the phrase on them (the
    # newest first); both halves must hold: words apart are not the phrase.
    tag = uniq("phr")
    _, section = make_section(admin)
    together = make_article(admin, section["id"], {"zh-CN": (f"打印机 {tag}", "无"),
                                                   "en": (f"Reset password {tag}", "x")})
    make_article(admin, section["id"], {"zh-CN": (f"打印文件与印机 {tag}", "无"),
                                        "en": (f"Reset your password {tag}", "x")})
    assert [h["article_id"] for h in search(server, f"打印机 {tag}", lang="zh-CN")] \
        == [together["id"]]
    assert [h["article_id"] for h in search(server, f'"reset password" {tag}')] \
        == [together["id"]]
    assert len(search(server, f"reset password {tag}")) == 2


def test_title_matches_rank_above_body_matches(server, admin):
    word = uniq("rank")
    _, section = make_section(admin)
    in_body = make_article(admin, section["id"], {"en": ("Something else", f"see {word} here")})
    in_title = make_article(admin, section["id"], {"en": (f"All about {word}", "text")})
    ids = [h["article_id"] for h in search(server, word)]
    assert ids == [in_title["id"], in_body["id"]]


def test_only_published_translations_are_found(server, admin):
    word = uniq("pub")
    _, section = make_section(admin)
    a = make_article(admin, section["id"], {"en": (f"Draft {word}", "b")}, state="draft")
    assert search(admin, word) == []
    put_translation(admin, a["id"], "en", state="published")
    assert [h["article_id"] for h in search(admin, word)] == [a["id"]]
    # A changed title is found by its new words only.
    put_translation(admin, a["id"], "en", title=f"Renamed {word}x")
    assert search(admin, word) == []
    assert [h["article_id"] for h in search(admin, word + "x")] == [a["id"]]
    put_translation(admin, a["id"], "en", state="archived")
    assert search(admin, word + "x") == []
    assert admin.delete(f"/api/v1/kb/articles/{a['id']}").status == 204


def test_bad_queries_are_4xx(server):
    assert_error(server.get("/api/v1/kb/search?q=x&lang=pt"), 400, "invalid_argument", "lang")
    assert_error(server.get("/api/v1/kb/search?q=x&limit=0"), 400, "invalid_argument", "limit")
    assert_error(server.get("/api/v1/kb/search?q=" + "a" * 9000), 400, "invalid_argument", "q")
    assert search(server, "") == []
    assert search(server, '"" - * NEAR( {x y}: AND') == []


def test_suggestions_match_any_word_of_a_subject(server, admin):
    word = uniq("sug")
    _, section = make_section(admin)
    a = make_article(admin, section["id"], {"en": (f"Printer offline {word}", "Turn it on."),
                                            "zh-CN": (f"打印机离线 {word}", "打开电源。")})
    subject = f"my {word} is broken and nothing works"
    assert search(server, subject) == []  # every word: none has them all
    assert [h["article_id"] for h in search(server, subject, match="any")] == [a["id"]]
    hits = search(server, "办公室的打印机坏了", lang="zh-CN", match="any")
    assert a["id"] in [h["article_id"] for h in hits]
    assert_error(server.get("/api/v1/kb/search?q=x&match=some"), 400, "invalid_argument", "match")


def test_deflections_are_counted_for_published_articles(server, admin):
    from ticket_support import customer
    _, section = make_section(admin)
    a = make_article(admin, section["id"], {"en": ("Deflect " + uniq(), "b")})
    before = admin.get("/api/v1/kb/stats").body["deflections"]
    person = customer(server)
    r = person.post("/api/v1/kb/deflections",
                    json={"article_id": a["id"], "lang": "en", "query": "printer broken"})
    assert r.status == 204, r
    assert server.post("/api/v1/kb/deflections",
                       json={"article_id": a["id"], "lang": "en"}).status == 204
    assert_error(server.post("/api/v1/kb/deflections", json={"article_id": 99999999,
                                                             "lang": "en"}), 404, "not_found")
    assert_error(server.post("/api/v1/kb/deflections", json={"lang": "en"}), 400,
                 "invalid_argument", "article_id")
    assert admin.get("/api/v1/kb/stats").body["deflections"] == before + 2
    assert_error(person.get("/api/v1/kb/stats"), 403, "permission_denied")
    assert_error(admin.get("/api/v1/kb/stats?days=0"), 400, "invalid_argument", "days")


def test_the_editor_previews_markdown_safely(server, admin):
    r = admin.post("/api/v1/kb/preview", json={"body": "**b** <script>x()</script>"})
    assert r.status == 200 and "<strong>b</strong>" in r.body["html"]
    assert "<script" not in r.body["html"]
    from ticket_support import customer
    assert_error(customer(server).post("/api/v1/kb/preview", json={"body": "x"}), 403,
                 "permission_denied")
