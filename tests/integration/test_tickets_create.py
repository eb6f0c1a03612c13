"""Creating tickets (numbers, idempotency, validation), reading and changing them (ETag,
If-Match, history) and their messages (replies, internal notes, reopen, first response)."""
import threading

import pytest

from conftest import TIME_RE, assert_error
from ticket_support import (agent, customer, email, make_department, new_ticket, patch, reply,
                            search_numbers, status_id, uniq)


def test_create_with_new_requester_creates_the_contact(server, admin):
    addr = email("newreq")
    t = new_ticket(admin, subject="Printer down", body="The printer is down",
                   requester={"email": addr, "name": "Han Meimei"}, priority="high",
                   type="incident", tags=["VIP", "printer"])
    assert isinstance(t["number"], int) and t["number"] >= 1
    assert t["subject"] == "Printer down"
    assert t["priority"] == "high" and t["type"] == "incident"
    assert t["tags"] == ["printer", "vip"]
    assert t["status"]["category"] == "new"
    assert t["requester"]["email"] == addr and t["requester"]["role"] == "customer"
    assert t["requester"]["name"] == "Han Meimei"
    assert t["version"] == 1 and t["merged_into"] is None
    assert TIME_RE.match(t["created_at"]) and t["first_response_at"] is None
    # The contact exists now and is the same on the next ticket.
    contact_id = t["requester"]["id"]
    r = admin.get(f"/api/v1/contacts/{contact_id}")
    assert r.status == 200 and r.body["email"] == addr, r
    t2 = new_ticket(admin, requester={"email": addr.upper(), "name": "x"})
    assert t2["requester"]["id"] == contact_id
    assert t2["number"] > t["number"]
    # The first message holds the body, written by the requester.
    msgs = admin.get(f"/api/v1/tickets/{t['number']}/messages").body["items"]
    assert len(msgs) == 1 and msgs[0]["body"] == "The printer is down"
    assert msgs[0]["author"]["id"] == contact_id and msgs[0]["internal"] is False
    # Location and ETag.
    r = admin.post("/api/v1/tickets", json={"subject": "s", "body": "b",
                                            "requester": {"email": email()}})
    assert r.status == 201
    assert r.headers.get("Location") == f"/api/v1/tickets/{r.body['number']}"
    assert r.headers.get("ETag") == '"v1"'


def test_numbers_are_distinct_and_consecutive_under_concurrency(server, admin):
    numbers, errors, lock = [], [], threading.Lock()

    def worker(i):
        for j in range(5):
            r = admin.post("/api/v1/tickets", json={"subject": f"c{i}-{j}", "body": "b",
                                                     "requester": {"email": email("conc")}})
            with lock:
                if r.status == 201:
                    numbers.append(r.body["number"])
                else:
                    errors.append((r.status, r.body))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(numbers) == 40 and len(set(numbers)) == 40
    assert sorted(numbers) == list(range(min(numbers), min(numbers) + 40))


def test_idempotency_key_replays_and_makes_no_second_ticket(server, admin):
    key = uniq("idem-")
    body = {"subject": uniq("idem"), "body": "b", "requester": {"email": email()}}
    first = admin.post("/api/v1/tickets", json=body, headers={"Idempotency-Key": key})
    assert first.status == 201 and first.headers.get("Idempotent-Replayed") is None
    before = admin.get("/api/v1/tickets?limit=1&sort=-created_at").body["items"][0]["number"]
    second = admin.post("/api/v1/tickets", json=body, headers={"Idempotency-Key": key})
    assert second.status == 200, second
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert second.body["number"] == first.body["number"]
    after = admin.get("/api/v1/tickets?limit=1&sort=-created_at").body["items"][0]["number"]
    assert after == before
    # Concurrent retries of one key still make one ticket.
    key2 = uniq("idem-")
    results, lock = [], threading.Lock()

    def go():
        r = admin.post("/api/v1/tickets", json=body, headers={"Idempotency-Key": key2})
        with lock:
            results.append((r.status, r.body["number"]))

    ts = [threading.Thread(target=go) for _ in range(6)]
    [t.start() for t in ts]
    [t.join() for t in ts]
    assert len({n for _, n in results}) == 1, results
    assert sorted(s for s, _ in results) == [200] * 5 + [201]
    # Another user's same key is a different ticket.
    other = agent(server)
    r = other.post("/api/v1/tickets", json=body, headers={"Idempotency-Key": key})
    assert r.status == 201 and r.body["number"] != first.body["number"]
    # Bad keys.
    r = admin.post("/api/v1/tickets", json=body, headers={"Idempotency-Key": "k" * 201})
    assert_error(r, 400, "invalid_argument", "Idempotency-Key")


@pytest.mark.parametrize("payload,field", [
    ({"body": "b", "requester": {"email": "a@b.cn"}}, "subject"),
    ({"subject": "   ", "body": "b", "requester": {"email": "a@b.cn"}}, "subject"),
    ({"subject": "s", "requester": {"email": "a@b.cn"}}, "body"),
    ({"subject": "s", "body": "b", "priority": "extreme"}, "priority"),
    ({"subject": "s", "body": "b", "type": "bug"}, "type"),
    ({"subject": "s", "body": "b", "colour": "red"}, "colour"),
    ({"subject": "s", "body": "b", "department": 999999}, "department"),
    ({"subject": "s", "body": "b", "status": 999999}, "status"),
    ({"subject": "s", "body": "b", "assignee": 999999, "requester": {"email": "a@b.cn"}},
     "assignee"),
    ({"subject": "s", "body": "b", "requester": {"email": "not-an-email"}}, "requester.email"),
    ({"subject": "s", "body": "b", "requester": {"name": "x"}}, "requester.email"),
    ({"subject": "s", "body": "b", "requester": {"email": "a@b.cn", "x": 1}}, "requester.x"),
    ({"subject": "s", "body": "b", "requester": "a@b.cn"}, "requester"),
    ({"subject": 5, "body": "b"}, "subject"),
    ({"subject": "s", "body": ["b"]}, "body"),
    ({"subject": "s", "body": "b", "tags": "vip"}, "tags"),
    ({"subject": "s", "body": "b", "tags": ["a b"]}, "tags"),
    ({"subject": "s", "body": "b", "department": "1"}, "department"),
    ({"subject": "s", "body": "b", "department": -1}, "department"),
    ({"subject": "s", "body": "b", "custom_fields": []}, "custom_fields"),
    ({"subject": "s", "body": "b", "custom_fields": {"nope": 1}}, "custom_fields.nope"),
    ({"subject": "s", "body": "b", "channel": "pigeon"}, "channel"),
    ({"subject": "s", "body": "b", "attachments": "1"}, "attachments"),
    ({"subject": "s", "body": "b", "attachments": [987654]}, "attachments"),
])
def test_create_validation(server, admin, payload, field):
    r = admin.post("/api/v1/tickets", json=payload)
    assert_error(r, 400, "invalid_argument", field)


def test_create_rejects_bad_json_and_the_assignee_must_be_an_agent(server, admin):
    for raw in ("{", "[]", "null", '"x"', '{"subject": "s", "body": "b",}', b"\xff\xfe"):
        r = admin.request("POST", "/api/v1/tickets", raw_body=raw)
        assert_error(r, 400, "invalid_argument")
    c, _ = server.create_contact()
    r = admin.post("/api/v1/tickets", json={"subject": "s", "body": "b",
                                            "requester": {"email": email()},
                                            "assignee": c["id"]})
    assert_error(r, 400, "invalid_argument", "assignee")
    light, _ = server.create_agent(role="light_agent")
    r = admin.post("/api/v1/tickets", json={"subject": "s", "body": "b",
                                            "requester": {"email": email()},
                                            "assignee": light["id"]})
    assert_error(r, 400, "invalid_argument", "assignee")


def test_customer_creates_own_ticket_but_not_for_others(server, admin):
    cust = customer(server)
    t = new_ticket(cust, requester=False)
    assert t["requester"]["id"] == cust.user["id"]
    assert t["channel"] == "portal"
    for extra, field in (({"requester": {"email": email()}}, "requester"),
                         ({"assignee": admin.user["id"]}, "assignee"),
                         ({"status": status_id(admin, "open")}, "status")):
        payload = {"subject": "s", "body": "b", **extra}
        assert_error(cust.post("/api/v1/tickets", json=payload), 403, "permission_denied", field)
    light = agent(server, role="light_agent")
    r = light.post("/api/v1/tickets", json={"subject": "s", "body": "b",
                                            "requester": {"email": email()}})
    assert_error(r, 403, "permission_denied")


def test_etag_if_match_and_history(server, admin):
    dept = make_department(admin)
    assignee = agent(server, departments=[dept["id"]])
    t = new_ticket(admin)
    n = t["number"]
    r = admin.get(f"/api/v1/tickets/{n}")
    assert r.status == 200 and r.headers.get("ETag") == '"v1"'
    r = admin.get(f"/api/v1/tickets/{n}", headers={"If-None-Match": '"v1"'})
    assert r.status == 304
    open_id = status_id(admin, "open")
    changed = patch(admin, n, {"subject": "New subject", "status": open_id, "priority": "urgent",
                               "type": "problem", "department": dept["id"],
                               "assignee": assignee.user["id"], "tags": ["a", "b"]},
                    headers={"If-Match": '"v1"'})
    assert changed["version"] == 2
    assert changed["subject"] == "New subject" and changed["status"]["id"] == open_id
    assert changed["department"]["id"] == dept["id"]
    assert changed["assignee"]["id"] == assignee.user["id"]
    # A stale version is refused and changes nothing.
    r = admin.patch(f"/api/v1/tickets/{n}", json={"priority": "low"},
                    headers={"If-Match": '"v1"'})
    assert_error(r, 412, "precondition_failed")
    r = admin.patch(f"/api/v1/tickets/{n}", json={"priority": "low"},
                    headers={"If-Match": "garbage"})
    assert r.status in (400, 412), r
    assert admin.get(f"/api/v1/tickets/{n}").body["priority"] == "urgent"
    # The current version works; W/ prefix too.
    patch(admin, n, {"add_tags": ["c"], "remove_tags": ["a"]}, headers={"If-Match": 'W/"v2"'})
    patch(admin, n, {"assignee": None, "department": None})
    h = admin.get(f"/api/v1/tickets/{n}/history")
    assert h.status == 200, h
    events = h.body["items"]
    by_field = {}
    for e in events:
        by_field.setdefault(e["field"], []).append(e)
        assert TIME_RE.match(e["at"]), e
    assert events[0]["field"] == "created" and events[0]["new"] == f"#{n}"
    for field in ("subject", "status", "priority", "type", "department", "assignee", "tags"):
        assert field in by_field, (field, events)
    subj = by_field["subject"][0]
    assert subj["old"] == t["subject"] and subj["new"] == "New subject"
    assert subj["actor"]["id"] == admin.user["id"] and subj["via"] == "web"
    assert by_field["priority"][0]["old"] == "normal" and by_field["priority"][0]["new"] == "urgent"
    assert by_field["type"][0]["new"] == "problem"
    assert by_field["assignee"][0]["new"] == str(assignee.user["id"])
    assert by_field["assignee"][-1]["new"] is None or by_field["assignee"][-1]["new"] == ""
    assert by_field["tags"][-1]["new"] == "b c"
    # A token-authenticated change says via api.
    r = admin.post("/api/v1/tokens", json={"name": uniq("t"), "scopes": ["read", "write"]})
    tok = server.bearer(r.body["token"])
    assert tok.patch(f"/api/v1/tickets/{n}", json={"priority": "low"}).status == 200
    last = admin.get(f"/api/v1/tickets/{n}/history").body["items"][-1]
    assert last["field"] == "priority" and last["via"] == "api"
    # History pages with a cursor.
    page = admin.get(f"/api/v1/tickets/{n}/history?limit=2")
    assert len(page.body["items"]) == 2 and page.body["next_cursor"]
    rest = admin.get(f"/api/v1/tickets/{n}/history?limit=200&cursor={page.body['next_cursor']}")
    ids = [e["id"] for e in page.body["items"] + rest.body["items"]]
    assert ids == [e["id"] for e in admin.get(f"/api/v1/tickets/{n}/history").body["items"]]


def test_patch_validation(server, admin):
    n = new_ticket(admin)["number"]
    for body, field in (({"priority": "meh"}, "priority"), ({"status": 99999}, "status"),
                        ({"department": 99999}, "department"), ({"assignee": 99999}, "assignee"),
                        ({"organization": 99999}, "organization"), ({"bogus": 1}, "bogus"),
                        ({"subject": ""}, "subject"), ({"tags": [1]}, "tags"),
                        ({"custom_fields": {"zz_unknown": 1}}, "custom_fields.zz_unknown"),
                        ({"add_followers": [99999]}, "followers")):
        assert_error(admin.patch(f"/api/v1/tickets/{n}", json=body), 400, "invalid_argument",
                     field)
    assert admin.get(f"/api/v1/tickets/{n}").body["version"] == 1
    assert_error(admin.patch("/api/v1/tickets/99999999", json={"priority": "low"}), 404,
                 "not_found")
    assert_error(admin.get("/api/v1/tickets/abc"), 404, "not_found")
    assert_error(admin.get("/api/v1/tickets/0"), 404, "not_found")


def test_empty_patch_does_not_bump_the_version(server, admin):
    """A PATCH that changes nothing must not invalidate everyone's ETag."""
    n = new_ticket(admin)["number"]
    r = admin.patch(f"/api/v1/tickets/{n}", json={})
    assert r.status in (200, 400), r
    r = admin.patch(f"/api/v1/tickets/{n}", json={"priority": "normal"})
    assert r.status == 200
    assert admin.get(f"/api/v1/tickets/{n}").headers.get("ETag") == '"v1"'


def test_replies_notes_and_visibility_to_the_customer(server, admin):
    cust = customer(server)
    t = new_ticket(cust, requester=False, subject="my order", body="where is it")
    n = t["number"]
    ag = agent(server)  # unrouted tickets are visible to every agent
    note = reply(ag, n, body="internal: customer is grumpy zebraword", internal=True)
    assert note["internal"] is True and note["author"]["id"] == ag.user["id"]
    # An internal note does not count as the first response and keeps the ticket new.
    t1 = admin.get(f"/api/v1/tickets/{n}").body
    assert t1["first_response_at"] is None and t1["status"]["category"] == "new"
    pub = reply(ag, n, body="It ships tomorrow")
    assert pub["internal"] is False and pub["channel"] == "web"
    t2 = admin.get(f"/api/v1/tickets/{n}").body
    assert TIME_RE.match(t2["first_response_at"] or "")
    assert t2["status"]["category"] == "open"
    first_response = t2["first_response_at"]
    reply(admin, n, body="second reply")
    assert admin.get(f"/api/v1/tickets/{n}").body["first_response_at"] == first_response
    # Agent sees 4 messages; customer sees 3, never the note.
    agent_msgs = ag.get(f"/api/v1/tickets/{n}/messages").body["items"]
    assert [m["internal"] for m in agent_msgs] == [False, True, False, False]
    cust_msgs = cust.get(f"/api/v1/tickets/{n}/messages")
    assert cust_msgs.status == 200
    assert all(not m["internal"] for m in cust_msgs.body["items"])
    assert len(cust_msgs.body["items"]) == 3
    assert "zebraword" not in str(cust_msgs.body)
    # History and search never show the note to the customer.
    hist = cust.get(f"/api/v1/tickets/{n}/history").body["items"]
    assert "internal_note" not in [e["field"] for e in hist]
    assert str(note["id"]) not in [e["new"] for e in hist]
    agent_hist = ag.get(f"/api/v1/tickets/{n}/history").body["items"]
    assert "internal_note" in [e["field"] for e in agent_hist]
    assert search_numbers(cust, "zebraword") == []
    assert search_numbers(ag, "zebraword") == [n]
    # A customer cannot write an internal note.
    r = cust.post(f"/api/v1/tickets/{n}/messages", json={"body": "x", "internal": True})
    assert r.status in (403, 404), r
    assert len(ag.get(f"/api/v1/tickets/{n}/messages").body["items"]) == 4


def test_customer_history_pages_are_complete_around_internal_notes(server, admin):
    """Paging the history as a customer must reach every event the customer may see, even when
    internal notes (hidden from them) fall inside a page."""
    cust = customer(server)
    n = new_ticket(cust, requester=False)["number"]
    for i in range(3):
        reply(admin, n, body=f"note {i}", internal=True)
        reply(admin, n, body=f"public {i}")
    full = admin.get(f"/api/v1/tickets/{n}/history?limit=200").body["items"]
    # The customer's view: what they can see on the ticket anyway (no notes, no triage).
    shown = {"subject", "status", "message", "merged_into", "merged_from", "split_to"}
    expected = [e["id"] for e in full if e["field"] in shown]
    assert len(expected) >= 3
    seen, cursor = [], ""
    for _ in range(50):
        r = cust.get(f"/api/v1/tickets/{n}/history?limit=2&cursor={cursor}")
        assert r.status == 200, r
        seen.extend(e["id"] for e in r.body["items"])
        cursor = r.body["next_cursor"]
        if not cursor:
            break
    assert seen == expected


def test_light_agent_notes_only(server, admin):
    n = new_ticket(admin)["number"]
    light = agent(server, role="light_agent")
    assert light.get(f"/api/v1/tickets/{n}").status == 200
    note = reply(light, n, body="light note", internal=True)
    assert note["internal"] is True
    r = light.post(f"/api/v1/tickets/{n}/messages", json={"body": "public!", "internal": False})
    assert_error(r, 403, "permission_denied")
    r = light.post(f"/api/v1/tickets/{n}/messages", json={"body": "public by default"})
    assert_error(r, 403, "permission_denied")
    r = light.patch(f"/api/v1/tickets/{n}", json={"priority": "high"})
    assert_error(r, 403, "permission_denied")
    r = light.post(f"/api/v1/tickets/{n}/messages",
                   json={"body": "n", "internal": True, "status": status_id(admin, "solved")})
    assert_error(r, 403, "permission_denied")
    t = admin.get(f"/api/v1/tickets/{n}").body
    assert t["priority"] == "normal" and t["status"]["category"] == "new"
    assert t["first_response_at"] is None


def test_customer_reply_reopens_a_solved_ticket_and_may_solve(server, admin):
    cust = customer(server)
    n = new_ticket(cust, requester=False)["number"]
    solved = status_id(admin, "solved")
    t = reply(admin, n, body="fixed", status=solved)
    t = admin.get(f"/api/v1/tickets/{n}").body
    assert t["status"]["category"] == "solved" and TIME_RE.match(t["solved_at"] or "")
    m = reply(cust, n, body="still broken")
    assert m["channel"] == "portal" and m["author"]["id"] == cust.user["id"]
    t = admin.get(f"/api/v1/tickets/{n}").body
    assert t["status"]["category"] == "open" and t["solved_at"] is None
    hist = admin.get(f"/api/v1/tickets/{n}/history").body["items"]
    status_events = [e for e in hist if e["field"] == "status"]
    assert status_events[-1]["actor"]["id"] == cust.user["id"]
    # The customer may mark it solved, nothing else.
    assert patch(cust, n, {"status": solved})["status"]["category"] == "solved"
    for body, field in (({"status": status_id(admin, "open")}, "status"),
                        ({"status": status_id(admin, "closed")}, "status"),
                        ({"assignee": admin.user["id"]}, "assignee"),
                        ({"organization": None}, "organization"),
                        ({"priority": "urgent"}, "priority"),
                        ({"department": None}, "department"),
                        ({"tags": ["x"]}, "tags"),
                        ({"subject": "mine"}, "subject")):
        r = cust.patch(f"/api/v1/tickets/{n}", json=body)
        assert_error(r, 403, "permission_denied", field)
    r = cust.patch(f"/api/v1/tickets/{n}", json={"role": "admin"})
    assert r.status in (400, 403), r
    assert admin.get(f"/api/v1/tickets/{n}").body["status"]["category"] == "solved"


def test_message_validation(server, admin):
    n = new_ticket(admin)["number"]
    for body, field in (({}, "body"), ({"body": "   "}, "body"), ({"body": 1}, "body"),
                        ({"body": "x", "internal": "yes"}, "internal"),
                        ({"body": "x", "nope": 1}, "nope"),
                        ({"body": "x", "attachments": [123456]}, "attachments"),
                        ({"body": "x", "status": 99999}, "status")):
        r = admin.post(f"/api/v1/tickets/{n}/messages", json=body)
        assert_error(r, 400, "invalid_argument", field)
    # HTML only: sanitised, text derived.
    m = reply(admin, n, body=None, html='<p>Hello <b>there</b><script>alert(1)</script></p>')
    assert "<script" not in m["html"] and "Hello" in m["body"]
    assert_error(admin.post("/api/v1/tickets/99999999/messages", json={"body": "x"}), 404,
                 "not_found")
