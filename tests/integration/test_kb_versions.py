"""Knowledge-base versions (issue 18): every version lists who saved it and when; the server
diffs two versions line by line or word by word (Chinese character by character); restoring an
old one is a new version, audited as kb_article.restore; bad requests are clear 4xx."""
from conftest import assert_error
from kb_support import make_section, put_translation
from ticket_support import agent, customer


def diff(sess, aid, **q):
    query = "&".join(f"{k}={v}" for k, v in q.items())
    return sess.get(f"/api/v1/kb/articles/{aid}/versions/diff?{query}")


def side(pieces, skipped):
    return "".join(p["text"] for p in pieces if p["op"] != skipped)


def test_versions_name_who_saved_them_and_diff_two(server, admin):
    _, section = make_section(admin)
    aid = admin.post("/api/v1/kb/articles", json={"section": section["id"]}).body["id"]
    writer = agent(server)
    before = "连接步骤\n打开客户端。\n输入密码。\n"
    after = "连接步骤\n打开 VPN 客户端。\n输入密码。\n点击连接。\n"
    put_translation(admin, aid, "zh-CN", title="连接 VPN", body=before)
    put_translation(writer, aid, "zh-CN", title="连接公司 VPN", body=after)
    versions = admin.get(f"/api/v1/kb/articles/{aid}/versions?lang=zh-CN").body["items"]
    assert [v["author_id"] for v in versions] == [writer.user["id"], admin.user["id"]]
    assert versions[0]["author_name"] == writer.user["name"] and versions[0]["created_at"]

    d = diff(admin, aid, lang="zh-CN", **{"from": 1, "to": 2})
    assert d.status == 200, d
    assert d.body["from"]["version"] == 1 and d.body["to"]["version"] == 2
    body = d.body["body"]
    assert side(body, "added") == before and side(body, "removed") == after
    assert {"op": "removed", "text": "打开客户端。\n"} in body
    assert {"op": "added", "text": "打开 VPN 客户端。\n点击连接。\n"} not in body  # two places
    assert {"op": "added", "text": "点击连接。\n"} in body
    assert {"op": "added", "text": "公司"} in d.body["title"]
    words = diff(admin, aid, lang="zh", by="word", **{"from": 1, "to": 2}).body
    assert words["lang"] == "zh-CN" and words["by"] == "word"
    assert {"op": "added", "text": " VPN "} in words["body"]
    # Either order: from a newer to an older version is the change undone.
    back = diff(admin, aid, lang="zh-CN", **{"from": 2, "to": 1}).body["body"]
    assert {"op": "added", "text": "打开客户端。\n"} in back


def test_bad_diff_requests_are_clear_4xx(server, admin):
    _, section = make_section(admin)
    aid = admin.post("/api/v1/kb/articles", json={"section": section["id"]}).body["id"]
    put_translation(admin, aid, "en", title="t", body="<script>alert(1)</script>")
    ok = {"from": 1, "to": 1}
    assert diff(admin, aid, lang="en", **ok).body["body"] == [
        {"op": "same", "text": "<script>alert(1)</script>"}]
    assert_error(diff(admin, aid, lang="en", **{"from": 0, "to": 1}), 400, "invalid_argument",
                 "from")
    assert_error(diff(admin, aid, lang="en", **{"from": 1, "to": "x"}), 400, "invalid_argument",
                 "to")
    assert_error(diff(admin, aid, lang="en", to=1), 400, "invalid_argument", "from")
    assert_error(diff(admin, aid, **ok), 400, "invalid_argument", "lang")
    assert_error(diff(admin, aid, lang="pt", **ok), 400, "invalid_argument", "lang")
    assert_error(diff(admin, aid, lang="en", by="char", **ok), 400, "invalid_argument", "by")
    assert_error(diff(admin, aid, lang="en", **{"from": 1, "to": 9}), 404, "not_found", "to")
    assert_error(diff(admin, aid, lang="zh-CN", **ok), 404, "not_found")
    assert_error(diff(admin, 999999, lang="en", **ok), 404, "not_found")
    assert_error(diff(customer(server), aid, lang="en", **ok), 403, "permission_denied")


def test_a_big_rewrite_diffs_quickly_as_one_change(server, admin):
    _, section = make_section(admin)
    aid = admin.post("/api/v1/kb/articles", json={"section": section["id"]}).body["id"]
    old = "".join(f"old line {i}\n" for i in range(9000))
    new = "".join(f"new line {i}\n" for i in range(9000))
    put_translation(admin, aid, "en", title="big", body=old)
    put_translation(admin, aid, "en", body=new)
    body = diff(admin, aid, lang="en", **{"from": 1, "to": 2}).body["body"]
    assert body == [{"op": "removed", "text": old}, {"op": "added", "text": new}]


def test_restoring_is_a_new_version_and_audited(server, admin):
    _, section = make_section(admin)
    aid = admin.post("/api/v1/kb/articles", json={"section": section["id"]}).body["id"]
    put_translation(admin, aid, "en", title="First", body="one")
    put_translation(admin, aid, "en", title="Second", body="two", state="published")
    r = admin.post(f"/api/v1/kb/articles/{aid}/versions/1/restore", json={"lang": "en"})
    assert r.status == 200, r
    assert (r.body["version"], r.body["title"], r.body["state"]) == (3, "First", "published")
    log = admin.get(f"/api/v1/audit?action=kb_article.restore&target=kb_article:{aid}").body
    assert len(log["items"]) == 1, log
    assert log["items"][0]["actor_id"] == admin.user["id"]
    assert log["items"][0]["detail"] == {"lang": "en", "version": 3, "state": "published",
                                         "restored_from": 1}
    assert_error(admin.post(f"/api/v1/kb/articles/{aid}/versions/1/restore", json={"lang": 1}),
                 400, "invalid_argument", "lang")
    light = agent(server, role="light_agent")
    assert_error(light.post(f"/api/v1/kb/articles/{aid}/versions/2/restore", json={"lang": "en"}),
                 403, "permission_denied")
