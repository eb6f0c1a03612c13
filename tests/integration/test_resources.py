"""Declared resources (issue 15): GET /api/v1/resources lists each resource's declaration, and
every declared resource goes through the one create/read/update/delete path, whose rules
(strict bodies, read-only and create-only fields, references, unique names, audiences, audit)
hold the same for all of them."""
from conftest import assert_error
from ticket_support import agent, customer, make_department, uniq

DECLARED = {"departments", "statuses", "fields", "forms", "views", "organizations", "macros",
            "webhooks", "mail_settings", "assignment"}


def declarations(sess):
    r = sess.get("/api/v1/resources")
    assert r.status == 200, r
    return {d["name"]: d for d in r.body["items"]}


def test_declarations_describe_fields_in_both_languages(server, admin):
    found = declarations(admin)
    assert DECLARED <= set(found), sorted(found)
    for name, d in found.items():
        assert d["title"]["en"] and d["title"]["zh-CN"], name
        assert d["path"].startswith("/api/v1/"), name
        for f in d["fields"]:
            assert f["label"]["en"] and f["label"]["zh-CN"], (name, f["key"])
            if f["kind"] == "reference" and not f["read_only"]:
                assert f["references"] in found, (name, f["key"], f["references"])
            if f["kind"] == "choice":
                assert f["choices"], (name, f["key"])
    statuses = {f["key"]: f for f in found["statuses"]["fields"]}
    assert statuses["category"]["create_only"] and statuses["category"]["required"]
    assert statuses["position"]["default"] == 100 and statuses["active"]["default"] is True
    forms = {f["key"]: f for f in found["forms"]["fields"]}
    assert forms["department"]["references"] == "departments" and forms["department"]["nullable"]
    assert found["macros"]["personal"] and found["organizations"]["paged"]


def test_declarations_are_for_agents_only(server):
    assert declarations(agent(server, role="light_agent"))
    assert_error(customer(server).get("/api/v1/resources"), 403, "permission_denied")


def test_bodies_are_checked_against_the_declaration(server, admin):
    d = make_department(admin)
    assert_error(admin.post("/api/v1/departments", json={"name": "x", "colour": 1}), 400,
                 "invalid_argument", "colour")
    assert_error(admin.post("/api/v1/departments", json={"name": "x", "created_at": "now"}), 400,
                 "invalid_argument", "created_at")
    assert_error(admin.post("/api/v1/departments", json={"description": "no name"}), 400,
                 "invalid_argument", "name")
    assert_error(admin.post("/api/v1/departments", json={"name": " \u0007 "}), 400,
                 "invalid_argument", "name")
    assert_error(admin.post("/api/v1/departments", json=["name"]), 400, "invalid_argument")
    assert_error(admin.request("POST", "/api/v1/departments", raw_body=b"{not json",
                               headers={"Content-Type": "application/json"}), 400,
                 "invalid_argument")
    assert_error(admin.patch(f"/api/v1/departments/{d['id']}", json={"id": 5}), 400,
                 "invalid_argument", "id")
    s = admin.post("/api/v1/statuses", json={"name": "Waiting " + uniq(), "category": "pending"})
    assert s.status == 201, s
    assert s.body["position"] == 100 and s.body["active"] is True  # declared defaults
    assert_error(admin.patch(f"/api/v1/statuses/{s.body['id']}", json={"category": "open"}), 400,
                 "invalid_argument", "category")
    assert_error(admin.post("/api/v1/statuses", json={"name": "x", "category": "later"}), 400,
                 "invalid_argument", "category")
    assert_error(admin.patch(f"/api/v1/statuses/{s.body['id']}", json={"position": 10 ** 9}), 400,
                 "invalid_argument", "position")
    for bad in ("0", "abc", "-1", "99999999999999999999"):
        assert_error(admin.get(f"/api/v1/departments/{bad}"), 404, "not_found")


def test_references_and_unique_names(server, admin):
    assert_error(admin.post("/api/v1/forms", json={"name": "F", "department": 987654}), 400,
                 "invalid_argument", "department")
    assert_error(admin.post("/api/v1/forms", json={"name": "F", "department": "1"}), 400,
                 "invalid_argument", "department")
    name = "Sales " + uniq()
    make_department(admin, name)
    assert_error(admin.post("/api/v1/departments", json={"name": name.upper()}), 409, "conflict",
                 "name")
    other = make_department(admin)
    assert_error(admin.patch(f"/api/v1/departments/{other['id']}", json={"name": name.lower()}),
                 409, "conflict", "name")
    org = admin.post("/api/v1/organizations", json={"name": "Acme " + uniq()}).body
    assert_error(admin.post("/api/v1/organizations", json={"name": org["name"]}), 409, "conflict",
                 "name")


def test_audiences_and_the_audit_trail(server, admin):
    sup = agent(server, role="supervisor")
    assert sup.get("/api/v1/departments").status == 200
    assert_error(sup.post("/api/v1/departments", json={"name": uniq()}), 403, "permission_denied")
    assert_error(customer(server).get("/api/v1/departments"), 403, "permission_denied")
    assert customer(server).get("/api/v1/statuses").status == 200  # the portal shows them
    d = make_department(admin)
    admin.patch(f"/api/v1/departments/{d['id']}", json={"description": "why"})
    entries = admin.get("/api/v1/audit?limit=200").body["items"]
    actions = {(e["action"], e["target"]) for e in entries}
    assert ("department.create", f"department:{d['id']}") in actions
    assert ("department.update", f"department:{d['id']}") in actions


def test_personal_items_are_their_owners_and_paging_follows_the_cursor(server, admin):
    a, b = agent(server), agent(server)
    mine = a.post("/api/v1/macros", json={"name": "mine", "reply": "hello"})
    assert mine.status == 201 and mine.body["shared"] is False, mine
    assert_error(b.get(f"/api/v1/macros/{mine.body['id']}"), 404, "not_found")
    assert_error(b.patch(f"/api/v1/macros/{mine.body['id']}", json={"name": "x"}), 404,
                 "not_found")
    assert_error(b.post("/api/v1/macros", json={"name": "s", "reply": "x", "shared": True}), 403,
                 "permission_denied", "shared")
    shared = admin.post("/api/v1/macros", json={"name": "team", "reply": "x", "shared": True})
    assert shared.status == 201 and shared.body["owner_id"] is None
    assert_error(b.patch(f"/api/v1/macros/{shared.body['id']}", json={"name": "x"}), 403,
                 "permission_denied")
    assert {m["id"] for m in b.get("/api/v1/macros").body["items"]} >= {shared.body["id"]}
    assert mine.body["id"] not in {m["id"] for m in b.get("/api/v1/macros").body["items"]}
    for _ in range(3):
        admin.post("/api/v1/organizations", json={"name": "Org " + uniq()})
    seen, cursor = [], None
    while True:
        page = admin.get("/api/v1/organizations?limit=2" + (f"&cursor={cursor}" if cursor else ""))
        assert page.status == 200 and len(page.body["items"]) <= 2
        seen += [o["id"] for o in page.body["items"]]
        cursor = page.body["next_cursor"]
        if not cursor:
            break
    assert seen == sorted(seen) and len(seen) == len(set(seen)) >= 3


def test_keyed_settings_are_their_owners_and_read_as_defaults_until_saved(server, admin):
    found = declarations(admin)
    assert found["mail_settings"]["keyed"] == {"by": "departments", "defaults": "default"}
    assert found["assignment"]["keyed"] == {"by": "departments", "defaults": None}
    assert found["assignment"]["item_path"] == "/api/v1/departments/{id}/assignment"
    assert not found["assignment"]["operations"]["create"]
    d = make_department(admin)
    # Never saved: the declared defaults, for a department that exists.
    fresh = admin.get(f"/api/v1/mail/settings/{d['id']}")
    assert fresh.status == 200 and fresh.body["department"] == d["id"], fresh
    assert fresh.body["outside_replies"] is None and fresh.body["updated_at"] is None
    assert admin.get(f"/api/v1/departments/{d['id']}/assignment").body["mode"] == "manual"
    for path in ("/api/v1/mail/settings/987654", "/api/v1/departments/987654/assignment",
                 "/api/v1/departments/default/assignment", "/api/v1/mail/settings/x"):
        assert_error(admin.get(path), 404, "not_found")
    # Saved by a PUT whether or not they were before; audited as a change of their department.
    r = admin.request("PUT", f"/api/v1/mail/settings/{d['id']}", json={"signature": "Team"})
    assert r.status == 200 and r.body["signature"] == "Team" and r.body["updated_at"], r
    r = admin.request("PUT", f"/api/v1/mail/settings/{d['id']}", json={"acknowledge": True})
    assert r.body["signature"] == "Team" and r.body["acknowledge"] is True, r
    r = admin.request("PUT", f"/api/v1/departments/{d['id']}/assignment",
                      json={"mode": "least_loaded", "max_open_per_agent": 3})
    assert r.status == 200 and r.body == {"mode": "least_loaded", "max_open_per_agent": 3,
                                          "reassign_offline": False}, r
    # A whole-item PUT (assignment) resets what it leaves out, and needs what is required.
    r = admin.request("PUT", f"/api/v1/departments/{d['id']}/assignment", json={"mode": "manual"})
    assert r.body["max_open_per_agent"] is None, r
    assert_error(admin.request("PUT", f"/api/v1/departments/{d['id']}/assignment", json={}), 400,
                 "invalid_argument", "mode")
    assert_error(admin.request("PUT", f"/api/v1/mail/settings/{d['id']}", json={"department": 3}),
                 400, "invalid_argument", "department")
    entries = admin.get("/api/v1/audit?limit=200").body["items"]
    actions = {(e["action"], e["target"]) for e in entries}
    assert ("department.mail_settings", f"department:{d['id']}") in actions
    assert ("department.assignment", f"department:{d['id']}") in actions
    assert_error(agent(server).request("PUT", f"/api/v1/mail/settings/{d['id']}", json={}), 403,
                 "permission_denied")
