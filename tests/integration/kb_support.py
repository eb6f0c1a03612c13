"""Helpers for the knowledge-base tests: a category and section to file articles in, and an
article written and (optionally) published in one or more languages."""
from ticket_support import uniq


def make_section(sess, name=None):
    c = sess.post("/api/v1/kb/categories", json={"name": name or "Category " + uniq(),
                                                 "name_zh": "分类" + uniq()})
    assert c.status == 201, c
    s = sess.post("/api/v1/kb/sections", json={"category": c.body["id"],
                                               "name": "Section " + uniq(),
                                               "name_zh": "栏目" + uniq()})
    assert s.status == 201, s
    return c.body, s.body


def put_translation(sess, article_id, lang, expect=200, **fields):
    r = sess.request("PUT", f"/api/v1/kb/articles/{article_id}/translations/{lang}", json=fields)
    assert r.status == expect, r
    return r.body


def make_article(sess, section_id, texts, visibility="public", state="published"):
    """texts: {lang: (title, body)}. Returns the article as the API answers it."""
    a = sess.post("/api/v1/kb/articles", json={"section": section_id, "visibility": visibility})
    assert a.status == 201, a
    for lang, (title, body) in texts.items():
        put_translation(sess, a.body["id"], lang, title=title, body=body)
        if state != "draft":
            put_translation(sess, a.body["id"], lang, state=state)
    return sess.get(f"/api/v1/kb/articles/{a.body['id']}").body
