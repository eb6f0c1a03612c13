"""Admin settings around tickets: statuses, departments, custom fields of every type (and their
validation on tickets), forms with required fields, organizations; non-admins get 403."""
import pytest

from conftest import assert_error
from ticket_support import agent, customer, make_department, new_ticket, patch, statuses, uniq


def test_default_statuses_cover_every_category(server, admin):
    items = statuses(admin)
    cats = {s["category"] for s in items if s["active"]}
    assert cats == {"new", "open", "pending", "on_hold", "solved", "closed"}
    for s in items:
        assert set(s) >= {"id", "name", "name_zh", "category", "position", "active"}


def test_custom_status_in_a_category(server, admin):
    name = uniq("Waiting on vendor ")
    r = admin.post("/api/v1/statuses", json={"name": name, "name_zh": "等待供应商",
                                             "category": "pending", "position": 5})
    assert r.status == 201, r
    s = r.body
    assert s["category"] == "pending" and s["active"] is True and s["name_zh"] == "等待供应商"
    assert s["id"] in [x["id"] for x in statuses(admin)]
    t = new_ticket(admin)
    t = patch(admin, t["number"], {"status": s["id"]})
    assert t["status"] == {"id": s["id"], "name": name, "name_zh": "等待供应商",
                           "category": "pending"}
    # The category is fixed.
    assert_error(admin.patch(f"/api/v1/statuses/{s['id']}", json={"category": "open"}), 400,
                 "invalid_argument", "category")
    r = admin.patch(f"/api/v1/statuses/{s['id']}", json={"name": name + " (renamed)"})
    assert r.status == 200 and r.body["category"] == "pending"
    # Bad input.
    for body, field in (({"name": "x"}, "category"), ({"name": "x", "category": "done"}, "category"),
                        ({"category": "open"}, "name"), ({"name": "", "category": "open"}, "name"),
                        ({"name": "x", "category": "open", "active": "yes"}, "active"),
                        ({"name": "x", "category": "open", "extra": 1}, "extra")):
        assert_error(admin.post("/api/v1/statuses", json=body), 400, "invalid_argument", field)
    assert_error(admin.patch("/api/v1/statuses/999999", json={"name": "x"}), 404, "not_found")
    # Deactivated: no longer usable on tickets.
    r = admin.patch(f"/api/v1/statuses/{s['id']}", json={"active": False})
    assert r.status == 200 and r.body["active"] is False
    assert_error(admin.patch(f"/api/v1/tickets/{new_ticket(admin)['number']}",
                             json={"status": s["id"]}), 400, "invalid_argument", "status")


def test_cannot_deactivate_the_last_active_status_of_a_category(fresh_server):
    admin = fresh_server.admin
    on_hold = [s for s in statuses(admin) if s["category"] == "on_hold" and s["active"]]
    assert len(on_hold) == 1
    assert_error(admin.patch(f"/api/v1/statuses/{on_hold[0]['id']}", json={"active": False}), 409,
                 "conflict", "active")
    extra = admin.post("/api/v1/statuses", json={"name": "Parked", "category": "on_hold"}).body
    assert admin.patch(f"/api/v1/statuses/{on_hold[0]['id']}",
                       json={"active": False}).status == 200
    assert_error(admin.patch(f"/api/v1/statuses/{extra['id']}", json={"active": False}), 409,
                 "conflict", "active")
    # New tickets still get a status of the "new" category; "on hold" now means Parked.
    t = new_ticket(admin)
    assert t["status"]["category"] == "new"


def test_departments_crud(server, admin):
    d = make_department(admin, "售后 " + uniq())
    r = admin.patch(f"/api/v1/departments/{d['id']}", json={"description": "after sales"})
    assert r.status == 200 and r.body["description"] == "after sales" and r.body["name"] == d["name"]
    names = [x["name"] for x in admin.get("/api/v1/departments").body["items"]]
    assert d["name"] in names
    for body, field in (({}, "name"), ({"name": "  "}, "name"), ({"name": 3}, "name"),
                        ({"name": "x", "boss": 1}, "boss")):
        assert_error(admin.post("/api/v1/departments", json=body), 400, "invalid_argument", field)
    assert_error(admin.patch("/api/v1/departments/999999", json={"name": "x"}), 404, "not_found")
    ag = agent(server, departments=[d["id"]])
    assert admin.get(f"/api/v1/departments/{d['id']}/agents").body["items"] == [ag.user["id"]]
    assert ag.get(f"/api/v1/agents/{ag.user['id']}/departments").body["departments"] == [d["id"]]
    r = admin.request("PUT", f"/api/v1/agents/{ag.user['id']}/departments",
                      json={"departments": [999999]})
    assert_error(r, 400, "invalid_argument", "departments")
    c, _ = server.create_contact()
    r = admin.request("PUT", f"/api/v1/agents/{c['id']}/departments", json={"departments": []})
    assert_error(r, 404, "not_found")


def test_duplicate_names_and_keys_are_not_500(server, admin):
    name = uniq("Dup")
    assert admin.post("/api/v1/departments", json={"name": name}).status == 201
    r = admin.post("/api/v1/departments", json={"name": name})
    assert r.status in (201, 400, 409), r
    key = uniq("dupkey").lower()
    body = {"key": key, "type": "text", "label": "Dup"}
    assert admin.post("/api/v1/custom-fields", json=body).status == 201
    r = admin.post("/api/v1/custom-fields", json=body)
    assert r.status in (400, 409), r
    r = admin.post("/api/v1/organizations", json={"name": name})
    assert r.status in (201, 400, 409), r
    r = admin.post("/api/v1/organizations", json={"name": name})
    assert r.status in (201, 400, 409), r
    dom = uniq("d").lower() + ".example.org"
    assert admin.post("/api/v1/organizations", json={"name": uniq("o"), "domains": [dom]}).status == 201
    r = admin.post("/api/v1/organizations", json={"name": uniq("o"), "domains": [dom]})
    assert r.status in (201, 400, 409), r
    assert server.healthy()


@pytest.fixture(scope="module")
def fields(server, admin):
    specs = {
        "text": {"type": "text"},
        "long": {"type": "long_text"},
        "qty": {"type": "number"},
        "price": {"type": "decimal"},
        "due": {"type": "date"},
        "ok": {"type": "checkbox"},
        "model": {"type": "dropdown", "options": [{"value": "x100", "label": "X-100",
                                                   "label_zh": "X一百"}, {"value": "x200"}]},
        "parts": {"type": "multi_select", "options": [{"value": "screen"}, {"value": "battery"},
                                                      {"value": "fan"}]},
    }
    out = {}
    for short, spec in specs.items():
        key = uniq(f"cf_{short}_").lower()
        r = admin.post("/api/v1/custom-fields", json={"key": key, "label": short.title(),
                                                      "label_zh": "字段", **spec})
        assert r.status == 201, r
        assert r.body["type"] == spec["type"] and r.body["key"] == key and r.body["active"] is True
        out[short] = key
    listed = {f["key"]: f for f in admin.get("/api/v1/custom-fields").body["items"]}
    assert listed[out["model"]]["options"][0] == {"value": "x100", "label": "X-100",
                                                  "label_zh": "X一百"}
    assert listed[out["model"]]["options"][1]["label"] == "x200"
    return out


GOOD = {"text": "hello", "long": "long " * 100, "qty": 3, "price": 9.5, "due": "2026-03-01",
        "ok": True, "model": "x200", "parts": ["screen", "fan"]}
BAD = {"text": [5, 7], "long": 5, "qty": 1.5, "price": "cheap", "due": "2026-13-01",
       "ok": "yes", "model": "x300", "parts": ["screen", "engine"]}


def test_custom_field_values_on_tickets(server, admin, fields):
    values = {fields[k]: v for k, v in GOOD.items()}
    t = new_ticket(admin, custom_fields=values)
    assert t["custom_fields"] == values
    n = t["number"]
    for short, bad in BAD.items():
        key = fields[short]
        assert_error(admin.post("/api/v1/tickets", json={
            "subject": "s", "body": "b", "requester": {"email": "cf@example.com"},
            "custom_fields": {key: bad}}), 400, "invalid_argument", f"custom_fields.{key}")
        assert_error(admin.patch(f"/api/v1/tickets/{n}", json={"custom_fields": {key: bad}}), 400,
                     "invalid_argument", f"custom_fields.{key}")
    # A merged change; null removes a key.
    t = patch(admin, n, {"custom_fields": {fields["qty"]: 4, fields["text"]: None}})
    assert t["custom_fields"][fields["qty"]] == 4 and fields["text"] not in t["custom_fields"]
    assert t["custom_fields"][fields["model"]] == "x200"
    ev = [e for e in admin.get(f"/api/v1/tickets/{n}/history").body["items"]
          if e["field"] == "custom_fields"]
    assert ev and '"hello"' in ev[-1]["old"]
    assert_error(admin.patch(f"/api/v1/tickets/{n}", json={"custom_fields": {"nope_x": 1}}), 400,
                 "invalid_argument", "custom_fields.nope_x")


def test_impossible_calendar_date_is_refused(server, admin, fields):
    assert_error(admin.post("/api/v1/tickets", json={
        "subject": "s", "body": "b", "requester": {"email": "cf@example.com"},
        "custom_fields": {fields["due"]: "2026-02-31"}}), 400, "invalid_argument",
        f"custom_fields.{fields['due']}")


def test_field_definition_validation(server, admin, fields):
    for body, field in (
            ({"key": "Bad Key", "type": "text", "label": "x"}, "key"),
            ({"key": "9abc", "type": "text", "label": "x"}, "key"),
            ({"key": uniq("k").lower(), "type": "colour", "label": "x"}, "type"),
            ({"key": uniq("k").lower(), "type": "dropdown", "label": "x"}, "options"),
            ({"key": uniq("k").lower(), "type": "dropdown", "label": "x", "options": [{}]},
             "options"),
            ({"key": uniq("k").lower(), "type": "dropdown", "label": "x",
              "options": [{"value": "a"}, {"value": "a"}]}, "options"),
            ({"key": uniq("k").lower(), "type": "text", "label": "x",
              "options": [{"value": "a"}]}, "options"),
            ({"key": uniq("k").lower(), "type": "text"}, "label")):
        assert_error(admin.post("/api/v1/custom-fields", json=body), 400, "invalid_argument", field)
    fid = [f for f in admin.get("/api/v1/custom-fields").body["items"]
           if f["key"] == fields["text"]][0]["id"]
    assert_error(admin.patch(f"/api/v1/custom-fields/{fid}", json={"type": "number"}), 400,
                 "invalid_argument", "type")
    r = admin.patch(f"/api/v1/custom-fields/{fid}", json={"label": "Renamed"})
    assert r.status == 200 and r.body["label"] == "Renamed" and r.body["type"] == "text"
    # An inactive field takes no values.
    assert admin.patch(f"/api/v1/custom-fields/{fid}", json={"active": False}).status == 200
    assert_error(admin.post("/api/v1/tickets", json={
        "subject": "s", "body": "b", "requester": {"email": "cf@example.com"},
        "custom_fields": {fields["text"]: "x"}}), 400, "invalid_argument",
        f"custom_fields.{fields['text']}")
    assert admin.patch(f"/api/v1/custom-fields/{fid}", json={"active": True}).status == 200


def test_forms_require_fields_in_their_department(server, admin, fields):
    dept = make_department(admin)
    r = admin.post("/api/v1/forms", json={"name": "Hardware", "department": dept["id"],
                                          "fields": [{"key": fields["model"], "required": True},
                                                     {"key": fields["qty"]}]})
    assert r.status == 201, r
    form = r.body
    assert form["department"] == dept["id"] and form["active"] is True
    assert form["id"] in [f["id"] for f in admin.get("/api/v1/forms").body["items"]]
    base = {"subject": "s", "body": "b", "requester": {"email": "form@example.com"},
            "department": dept["id"]}
    assert_error(admin.post("/api/v1/tickets", json=base), 400, "invalid_argument",
                 f"custom_fields.{fields['model']}")
    assert_error(admin.post("/api/v1/tickets", json={**base, "custom_fields": {
        fields["qty"]: 2}}), 400, "invalid_argument", f"custom_fields.{fields['model']}")
    ok = admin.post("/api/v1/tickets", json={**base, "custom_fields": {fields["model"]: "x100"}})
    assert ok.status == 201, ok
    # Another department is not bound by it; a customer is.
    other = make_department(admin)
    assert admin.post("/api/v1/tickets", json={**base, "department": other["id"]}).status == 201
    cust = customer(server)
    r = cust.post("/api/v1/tickets", json={"subject": "s", "body": "b", "department": dept["id"]})
    assert_error(r, 400, "invalid_argument", f"custom_fields.{fields['model']}")
    # Bad forms.
    for body, field in (({"name": "f", "fields": [{"key": "no_such_field"}]}, "fields"),
                        ({"name": "f", "fields": {"key": fields["qty"]}}, "fields"),
                        ({"name": "f", "fields": [{"key": fields["qty"], "required": "y"}]},
                         "fields"),
                        ({"name": "f", "department": 999999}, "department"),
                        ({"fields": []}, "name")):
        assert_error(admin.post("/api/v1/forms", json=body), 400, "invalid_argument", field)
    # Deactivated form: no longer enforced.
    assert admin.patch(f"/api/v1/forms/{form['id']}", json={"active": False}).status == 200
    assert admin.post("/api/v1/tickets", json=base).status == 201


def test_organizations_crud(server, admin):
    dom = uniq("acme").lower() + ".cn"
    r = admin.post("/api/v1/organizations", json={"name": "Acme", "domains": [dom.upper(), dom],
                                                  "shared_tickets": True, "tier": "gold",
                                                  "notes": "big"})
    assert r.status == 201, r
    org = r.body
    assert org["domains"] == [dom] and org["shared_tickets"] is True and org["tier"] == "gold"
    assert admin.get(f"/api/v1/organizations/{org['id']}").body["name"] == "Acme"
    r = admin.patch(f"/api/v1/organizations/{org['id']}", json={"name": "Acme Ltd"})
    assert r.status == 200 and r.body["name"] == "Acme Ltd" and r.body["domains"] == [dom]
    # A new requester from the domain joins it, and the ticket carries it.
    t = new_ticket(admin, requester=f"someone@{dom}")
    assert t["organization"] == {"id": org["id"]}
    for body, field in (({"name": ""}, "name"), ({"name": "x", "domains": ["not a domain"]},
                                                 "domains"),
                        ({"name": "x", "domains": "a.cn"}, "domains"),
                        ({"name": "x", "shared_tickets": 1}, "shared_tickets")):
        assert_error(admin.post("/api/v1/organizations", json=body), 400, "invalid_argument", field)
    assert_error(admin.get("/api/v1/organizations/999999"), 404, "not_found")
    listed = admin.get("/api/v1/organizations?limit=200").body
    assert org["id"] in [o["id"] for o in listed["items"]]
    # The ticket's organization can be changed by an agent.
    other = admin.post("/api/v1/organizations", json={"name": uniq("Other")}).body
    t = patch(admin, t["number"], {"organization": other["id"]})
    assert t["organization"] == {"id": other["id"]}


def test_non_admins_get_403(server, admin):
    some_status = statuses(admin)[0]["id"]
    d = make_department(admin)
    for role in ("agent", "light_agent", "supervisor", "customer"):
        sess = customer(server) if role == "customer" else agent(server, role=role)
        for method, path, body in (
                ("POST", "/api/v1/statuses", {"name": "x", "category": "open"}),
                ("PATCH", f"/api/v1/statuses/{some_status}", {"name": "x"}),
                ("POST", "/api/v1/departments", {"name": "x"}),
                ("PATCH", f"/api/v1/departments/{d['id']}", {"name": "x"}),
                ("POST", "/api/v1/custom-fields", {"key": "zz", "type": "text", "label": "x"}),
                ("POST", "/api/v1/forms", {"name": "x"}),
                ("POST", "/api/v1/organizations", {"name": "x"}),
                ("PUT", f"/api/v1/agents/{admin.user['id']}/departments", {"departments": []}),
                ("POST", "/api/v1/views", {"name": "x", "shared": True})):
            r = sess.request(method, path, json=body)
            assert_error(r, 403, "permission_denied")
    # Customers don't read departments or organizations either.
    cust = customer(server)
    assert cust.get("/api/v1/departments").status == 403
    assert cust.get("/api/v1/organizations").status == 403
