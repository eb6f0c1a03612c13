"""The desk's inbox asks for a view and the filter bar's choices in one request: the filters
narrow the view (never replace it), page by cursor like any list, and a view saved from the bar
lists what the bar showed. A saved view keeps the inbox columns it names, in order."""

import pytest

from conftest import assert_error
from ticket_support import agent, list_all, new_ticket, status_id, uniq


@pytest.fixture(scope="module")
def inbox(server):
    admin = server.admin
    tag = uniq("bar")
    sess = agent(server, role="agent")
    other = agent(server, role="agent")
    urgent = [new_ticket(admin, priority="urgent", tags=[tag])["number"] for _ in range(3)]
    normal = [new_ticket(admin, tags=[tag])["number"] for _ in range(4)]
    mine = new_ticket(admin, priority="urgent", tags=[tag], assignee=sess.user["id"])["number"]
    solved = new_ticket(admin, priority="urgent", tags=[tag])["number"]
    r = admin.patch(f"/api/v1/tickets/{solved}", json={"status": status_id(admin, "solved")})
    assert r.status == 200, r
    return {"tag": tag, "sess": sess, "other": other, "urgent": urgent, "normal": normal,
            "mine": mine, "solved": solved}


def test_filters_narrow_a_builtin_view(inbox):
    sess, tag = inbox["sess"], inbox["tag"]
    everything = set(list_all(sess, {"tag": tag}))
    assert inbox["solved"] in everything
    open_ones = set(list_all(sess, {"view": "all_open", "tag": tag}))
    assert open_ones == set(inbox["urgent"] + inbox["normal"] + [inbox["mine"]])
    urgent = list_all(sess, {"view": "all_open", "tag": tag, "priority": "urgent"}, limit=1)
    assert sorted(urgent) == sorted(inbox["urgent"] + [inbox["mine"]]), "paged one by one"
    assert list_all(sess, {"view": "my_open", "tag": tag}) == [inbox["mine"]]
    assert list_all(sess, {"view": "all_open", "tag": tag, "assignee": "me"}) == [inbox["mine"]]


def test_filters_that_contradict_the_view_match_nothing(inbox):
    sess, tag = inbox["sess"], inbox["tag"]
    r = sess.get(f"/api/v1/tickets?view=my_open&tag={tag}&assignee=none")
    assert r.status == 200 and r.body == {"items": [], "next_cursor": None}, r
    r = sess.get(f"/api/v1/tickets?view=recently_solved&tag={tag}&status_category=open")
    assert r.status == 200 and r.body["items"] == [], r


def test_a_view_saved_from_the_bar_lists_what_the_bar_showed(inbox):
    sess, tag = inbox["sess"], inbox["tag"]
    shown = sorted(list_all(sess, {"view": "all_open", "tag": tag, "priority": "urgent"}))
    r = sess.post("/api/v1/views", json={"name": uniq("urgent "), "sort": "-updated_at",
                                         "filters": {"tag": tag, "priority": ["urgent"],
                                                     "status_category": ["new", "open"]}})
    assert r.status == 201 and r.body["owner_id"] == sess.user["id"] and not r.body["shared"], r
    view = r.body["id"]
    assert sorted(list_all(sess, {"view": str(view)})) == shown
    counts = {str(v["id"]): v["count"] for v in sess.get("/api/v1/views").body["items"]}
    assert counts[str(view)] == len(shown)
    # The bar over a saved view narrows it too.
    assert list_all(sess, {"view": str(view), "assignee": "me"}) == [inbox["mine"]]
    # A personal view is its owner's alone; only admins share.
    assert_error(inbox["other"].get(f"/api/v1/tickets?view={view}"), 404, "not_found")
    assert_error(sess.post("/api/v1/views", json={"name": "x", "shared": True}), 403,
                 "permission_denied")


def test_a_view_keeps_its_columns_in_order_and_refuses_unknown_or_repeated_ones(inbox):
    sess = inbox["sess"]
    r = sess.post("/api/v1/views", json={"name": uniq("cols "), "filters": {"tag": inbox["tag"]},
                                         "columns": ["status", "subject", "number", "sla"]})
    assert r.status == 201 and r.body["columns"] == ["status", "subject", "number", "sla"], r
    view = r.body["id"]
    listed = {str(v["id"]): v for v in sess.get("/api/v1/views").body["items"]}
    assert listed[str(view)]["columns"] == ["status", "subject", "number", "sla"]
    assert listed[str(view)]["sort"] == "-updated_at"
    r = sess.patch(f"/api/v1/views/{view}", json={"columns": ["updated_at", "department"]})
    assert r.status == 200 and r.body["columns"] == ["updated_at", "department"], r
    assert_error(sess.patch(f"/api/v1/views/{view}", json={"columns": ["subject", "colour"]}),
                 400, "invalid_argument", "columns")
    assert_error(sess.patch(f"/api/v1/views/{view}", json={"columns": ["status", "status"]}),
                 400, "invalid_argument", "columns")
    assert_error(sess.patch(f"/api/v1/views/{view}", json={"columns": "status"}),
                 400, "invalid_argument", "columns")
    assert sess.get(f"/api/v1/views/{view}").body["columns"] == ["updated_at", "department"]
    # A view saved without columns has none: the inbox shows its default.
    r = sess.post("/api/v1/views", json={"name": uniq("plain "), "filters": {}})
    assert r.status == 201 and r.body["columns"] == [], r
    # The OpenAPI document names the columns a view may hold.
    doc = sess.get("/api/v1/openapi.json").body
    found = [s["properties"]["columns"] for s in doc["components"]["schemas"].values()
             if "columns" in s.get("properties", {}) and "enum" in
             s["properties"]["columns"].get("items", {})]
    assert found and "department" in found[0]["items"]["enum"] and found[0]["uniqueItems"], found
