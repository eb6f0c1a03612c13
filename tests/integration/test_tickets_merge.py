"""Merge, split, links and bulk updates."""
import pytest

from conftest import assert_error
from ticket_support import (agent, customer, new_ticket, patch, reply, search_numbers, status_id,
                            uniq)


def test_merge_moves_messages_followers_and_history(server, admin):
    cust = customer(server)
    follower, _ = server.create_agent()
    word = uniq("mergeword")
    src = new_ticket(cust, requester=False, subject="source", body=f"source body {word}")
    tgt = new_ticket(admin, subject="target", body="target body")
    s, t = src["number"], tgt["number"]
    patch(admin, s, {"add_followers": [follower["id"]], "priority": "high"})
    reply(admin, s, body="agent reply on source")
    src_msgs = [m["id"] for m in admin.get(f"/api/v1/tickets/{s}/messages").body["items"]]
    src_hist = [e["id"] for e in admin.get(f"/api/v1/tickets/{s}/history").body["items"]]
    r = admin.post(f"/api/v1/tickets/{s}/merge", json={"into": t})
    assert r.status == 200, r
    assert r.body["number"] == t
    source = admin.get(f"/api/v1/tickets/{s}").body
    assert source["merged_into"] == t and source["status"]["category"] == "closed"
    tgt_msgs = admin.get(f"/api/v1/tickets/{t}/messages").body["items"]
    assert set(src_msgs) <= {m["id"] for m in tgt_msgs}
    assert all(m["ticket"] == t for m in tgt_msgs)
    assert admin.get(f"/api/v1/tickets/{s}/messages").body["items"] == []
    tgt_hist = admin.get(f"/api/v1/tickets/{t}/history").body["items"]
    assert set(src_hist) <= {e["id"] for e in tgt_hist}
    assert any(e["field"] == "merged_from" and e["new"] == f"#{s}" for e in tgt_hist)
    src_after = admin.get(f"/api/v1/tickets/{s}/history").body["items"]
    assert any(e["field"] == "merged_into" and e["new"] == str(t) for e in src_after)
    # The requester of the source now follows the target and sees it.
    assert cust.get(f"/api/v1/tickets/{t}").status == 200
    assert search_numbers(admin, word) == [t]
    # Posting to the merged ticket: 409.
    assert_error(admin.post(f"/api/v1/tickets/{s}/messages", json={"body": "late"}), 409,
                 "conflict")
    assert_error(cust.post(f"/api/v1/tickets/{s}/messages", json={"body": "late"}), 409,
                 "conflict")
    # Merging again or into a merged ticket: 409; into itself: 400; unknown target: 404.
    assert_error(admin.post(f"/api/v1/tickets/{s}/merge", json={"into": t}), 409, "conflict")
    other = new_ticket(admin)["number"]
    assert_error(admin.post(f"/api/v1/tickets/{other}/merge", json={"into": s}), 409, "conflict",
                 "into")
    assert_error(admin.post(f"/api/v1/tickets/{other}/merge", json={"into": other}), 400,
                 "invalid_argument", "into")
    assert_error(admin.post(f"/api/v1/tickets/{other}/merge", json={"into": 99999999}), 404,
                 "not_found", "into")
    assert_error(admin.post(f"/api/v1/tickets/{other}/merge", json={}), 400, "invalid_argument",
                 "into")
    assert_error(admin.post(f"/api/v1/tickets/{other}/merge", json={"into": "1"}), 400,
                 "invalid_argument", "into")
    # Light agents and customers may not merge.
    light = agent(server, role="light_agent")
    assert_error(light.post(f"/api/v1/tickets/{other}/merge", json={"into": t}), 403,
                 "permission_denied")
    assert cust.post(f"/api/v1/tickets/{t}/merge", json={"into": other}).status in (403, 404)


def test_merged_followers_carry_over(server, admin):
    f1, _ = server.create_agent()
    s = new_ticket(admin)["number"]
    t = new_ticket(admin)["number"]
    patch(admin, s, {"add_followers": [f1["id"]]})
    assert admin.post(f"/api/v1/tickets/{s}/merge", json={"into": t}).status == 200
    hist = admin.get(f"/api/v1/tickets/{t}/history").body["items"]
    assert any(e["field"] == "followers" and e["new"] == str(f1["id"]) for e in hist)
    # Following shows through the live stream membership; here: a customer follower sees it.
    c = customer(server)
    s2 = new_ticket(admin)["number"]
    patch(admin, s2, {"add_followers": [c.user["id"]]})
    assert admin.post(f"/api/v1/tickets/{s2}/merge", json={"into": t}).status == 200
    assert c.get(f"/api/v1/tickets/{t}").status == 200


def test_merge_into_a_merged_targets_chain_is_refused_and_no_partial_move(server, admin):
    a = new_ticket(admin, body="a body")["number"]
    b = new_ticket(admin, body="b body")["number"]
    c = new_ticket(admin, body="c body")["number"]
    assert admin.post(f"/api/v1/tickets/{b}/merge", json={"into": c}).status == 200
    r = admin.post(f"/api/v1/tickets/{a}/merge", json={"into": b})
    assert_error(r, 409, "conflict", "into")
    assert [m["body"] for m in admin.get(f"/api/v1/tickets/{a}/messages").body["items"]] == \
        ["a body"]
    assert admin.get(f"/api/v1/tickets/{a}").body["merged_into"] is None


def test_split_moves_one_message_into_a_linked_ticket(server, admin):
    cust = customer(server)
    # Triage fields are the agents' (a customer may not set them, even at creation).
    src = new_ticket(cust, requester=False, subject="two problems", body="first problem")
    n = src["number"]
    patch(admin, n, {"tags": ["hw"], "priority": "high"})
    second = reply(cust, n, body="also my second problem")
    reply(admin, n, body="agent answer")
    r = admin.post(f"/api/v1/tickets/{n}/split", json={"message_id": second["id"]})
    assert r.status == 201, r
    new = r.body
    assert new["number"] != n
    assert new["requester"]["id"] == cust.user["id"]
    assert str(n) in new["subject"]
    assert new["status"]["category"] == "open"
    msgs_new = admin.get(f"/api/v1/tickets/{new['number']}/messages").body["items"]
    assert [m["id"] for m in msgs_new] == [second["id"]]
    msgs_old = admin.get(f"/api/v1/tickets/{n}/messages").body["items"]
    assert second["id"] not in [m["id"] for m in msgs_old] and len(msgs_old) == 2
    links_old = admin.get(f"/api/v1/tickets/{n}/links").body["items"]
    links_new = admin.get(f"/api/v1/tickets/{new['number']}/links").body["items"]
    assert {"ticket": new["number"], "kind": "related"} in links_old
    assert {"ticket": n, "kind": "related"} in links_new
    hist = admin.get(f"/api/v1/tickets/{n}/history").body["items"]
    assert any(e["field"] == "split_to" and e["new"] == f"#{new['number']}" for e in hist)
    assert cust.get(f"/api/v1/tickets/{new['number']}").status == 200
    # The first message cannot be split; an unknown or foreign message is 404.
    first = msgs_old[0]["id"]
    assert_error(admin.post(f"/api/v1/tickets/{n}/split", json={"message_id": first}), 400,
                 "invalid_argument", "message_id")
    assert_error(admin.post(f"/api/v1/tickets/{n}/split", json={"message_id": 99999999}), 404,
                 "not_found", "message_id")
    assert_error(admin.post(f"/api/v1/tickets/{new['number']}/split",
                            json={"message_id": msgs_old[1]["id"]}), 404, "not_found",
                 "message_id")
    assert_error(admin.post(f"/api/v1/tickets/{n}/split", json={}), 400, "invalid_argument",
                 "message_id")
    light = agent(server, role="light_agent")
    assert_error(light.post(f"/api/v1/tickets/{n}/split", json={"message_id": msgs_old[1]["id"]}),
                 403, "permission_denied")


def test_links_both_directions(server, admin):
    a, b, c, d = (new_ticket(admin)["number"] for _ in range(4))
    r = admin.post(f"/api/v1/tickets/{a}/links", json={"ticket": b, "kind": "parent"})
    assert r.status == 200 and {"ticket": b, "kind": "parent"} in r.body["items"], r
    assert admin.get(f"/api/v1/tickets/{b}/links").body["items"] == [{"ticket": a,
                                                                       "kind": "child"}]
    admin.post(f"/api/v1/tickets/{a}/links", json={"ticket": c, "kind": "child"})
    assert admin.get(f"/api/v1/tickets/{c}/links").body["items"] == [{"ticket": a,
                                                                       "kind": "parent"}]
    admin.post(f"/api/v1/tickets/{d}/links", json={"ticket": a, "kind": "duplicate_of"})
    assert {"ticket": a, "kind": "duplicate_of"} in admin.get(
        f"/api/v1/tickets/{d}/links").body["items"]
    assert {"ticket": d, "kind": "related"} in admin.get(
        f"/api/v1/tickets/{a}/links").body["items"]
    kinds = {l["ticket"]: l["kind"] for l in admin.get(f"/api/v1/tickets/{a}/links").body["items"]}
    assert kinds == {b: "parent", c: "child", d: "related"}
    hist_b = admin.get(f"/api/v1/tickets/{b}/history").body["items"]
    assert any(e["field"] == "link" and e["new"] == f"child #{a}" for e in hist_b)
    # Remove: both sides lose it.
    assert admin.delete(f"/api/v1/tickets/{a}/links/{b}").status == 204
    assert admin.get(f"/api/v1/tickets/{b}/links").body["items"] == []
    assert b not in [l["ticket"] for l in admin.get(f"/api/v1/tickets/{a}/links").body["items"]]
    assert_error(admin.delete(f"/api/v1/tickets/{a}/links/{b}"), 404, "not_found")
    assert_error(admin.delete(f"/api/v1/tickets/{a}/links/xyz"), 404, "not_found")
    for body, field in (({"ticket": a, "kind": "related"}, "ticket"),
                        ({"ticket": b, "kind": "cousin"}, "kind"), ({"kind": "related"}, "ticket"),
                        ({"ticket": b}, "kind"), ({"ticket": b, "kind": "related", "x": 1}, "x")):
        assert_error(admin.post(f"/api/v1/tickets/{a}/links", json=body), 400,
                     "invalid_argument", field)
    assert_error(admin.post(f"/api/v1/tickets/{a}/links", json={"ticket": 99999999,
                                                               "kind": "related"}),
                 404, "not_found")
    light = agent(server, role="light_agent")
    assert_error(light.post(f"/api/v1/tickets/{a}/links", json={"ticket": b, "kind": "related"}),
                 403, "permission_denied")


def test_bulk_update(server, admin):
    numbers = [new_ticket(admin)["number"] for _ in range(5)]
    ag = agent(server)
    pending = status_id(admin, "pending")
    r = admin.post("/api/v1/tickets/bulk", json={"numbers": numbers + [99999999],
                                                 "changes": {"status": pending,
                                                             "assignee": ag.user["id"],
                                                             "add_tags": ["bulk"]}})
    assert r.status == 200, r
    items = r.body["items"]
    assert [i["number"] for i in items] == numbers + [99999999]
    assert all(i["ok"] and i["version"] == 2 for i in items[:5])
    assert items[5]["ok"] is False and items[5]["error"]["code"] == "not_found"
    for n in numbers:
        t = admin.get(f"/api/v1/tickets/{n}").body
        assert t["status"]["id"] == pending and t["assignee"]["id"] == ag.user["id"]
        assert "bulk" in t["tags"]
        assert [e["field"] for e in admin.get(f"/api/v1/tickets/{n}/history").body["items"]
                if e["field"] in ("status", "assignee", "tags")] == ["status", "assignee", "tags"]
    # Per-item errors do not stop the rest.
    solved_n = new_ticket(admin)["number"]
    r = admin.post("/api/v1/tickets/bulk", json={"numbers": [solved_n, numbers[0]],
                                                 "changes": {"priority": "urgent"}})
    assert all(i["ok"] for i in r.body["items"])
    # A light agent's bulk: every item refused.
    light = agent(server, role="light_agent")
    r = light.post("/api/v1/tickets/bulk", json={"numbers": numbers[:2],
                                                 "changes": {"priority": "low"}})
    assert r.status in (200, 403), r
    if r.status == 200:
        assert all(not i["ok"] and i["error"]["code"] == "permission_denied"
                   for i in r.body["items"])
    assert admin.get(f"/api/v1/tickets/{numbers[0]}").body["priority"] == "urgent"


@pytest.mark.parametrize("body,field", [
    ({"numbers": list(range(1, 102)), "changes": {"priority": "low"}}, "numbers"),
    ({"numbers": [], "changes": {"priority": "low"}}, "numbers"),
    ({"changes": {"priority": "low"}}, "numbers"),
    ({"numbers": [1], "changes": {}}, "changes"),
    ({"numbers": [1]}, "changes"),
    ({"numbers": [1], "changes": {"colour": "red"}}, "changes.colour"),
    ({"numbers": [1], "changes": {"priority": "mega"}}, "priority"),
    ({"numbers": ["1"], "changes": {"priority": "low"}}, "numbers"),
    ({"numbers": [1], "changes": [1]}, "changes"),
    ({"numbers": [1], "changes": {"priority": "low"}, "extra": 1}, "extra"),
])
def test_bulk_validation(server, admin, body, field):
    assert_error(admin.post("/api/v1/tickets/bulk", json=body), 400, "invalid_argument", field)


def test_bulk_of_100_is_accepted(server, admin):
    numbers = [new_ticket(admin)["number"] for _ in range(3)]
    padded = numbers + list(range(90000000, 90000097))
    assert len(padded) == 100
    r = admin.post("/api/v1/tickets/bulk", json={"numbers": padded,
                                                 "changes": {"add_tags": ["hundred"]}})
    assert r.status == 200 and len(r.body["items"]) == 100, r
    assert sum(1 for i in r.body["items"] if i["ok"]) == 3


def test_split_message_is_found_on_its_new_ticket(server, admin):
    n = new_ticket(admin)["number"]
    w = uniq("splitword")
    m = reply(admin, n, body=f"second issue {w}")
    new = admin.post(f"/api/v1/tickets/{n}/split", json={"message_id": m["id"]}).body["number"]
    assert search_numbers(admin, w) == [new]


def test_a_merged_ticket_cannot_be_reopened_by_patch(server, admin):
    """Posting to a merged ticket is 409; changing it (reopening) should be refused the same way,
    or the source becomes an open ticket that points elsewhere and holds no messages."""
    s = new_ticket(admin)["number"]
    t = new_ticket(admin)["number"]
    assert admin.post(f"/api/v1/tickets/{s}/merge", json={"into": t}).status == 200
    r = admin.patch(f"/api/v1/tickets/{s}", json={"status": status_id(admin, "open")})
    assert r.status == 409, r
