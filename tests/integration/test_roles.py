"""Custom roles and the permission matrix (issue 21, "Permissions"): the same checks run across
the API for every built-in role and for custom roles an admin composed; /api/v1/me names the
permissions; a role's change reaches its holders at once; bad role bodies, non-admins and the
removal of a role still held are refused."""
import pytest

from conftest import assert_error
from kb_support import make_section
from ticket_support import (agent, customer, make_department, new_ticket, set_departments, uniq)

ALL = ["tickets.view", "tickets.view_all", "tickets.create", "tickets.reply", "tickets.note",
       "tickets.edit", "tickets.assign", "tickets.merge", "contacts.manage", "reports.view",
       "reports.departments", "reports.all", "kb.manage", "settings.manage", "users.manage",
       "audit.view", "data.export", "data.erase"]
PRESETS = {
    "admin": set(ALL),
    "supervisor": {"tickets.view", "tickets.view_all", "tickets.create", "tickets.reply",
                   "tickets.note", "tickets.edit", "tickets.assign", "tickets.merge",
                   "reports.view", "reports.departments", "kb.manage"},
    "agent": {"tickets.view", "tickets.create", "tickets.reply", "tickets.note", "tickets.edit",
              "tickets.assign", "tickets.merge", "reports.view", "kb.manage"},
    "light_agent": {"tickets.view", "tickets.note", "reports.view"},
}
CUSTOM = {
    # Reads every department's tickets and the reports, writes nothing.
    "reports_viewer": {"tickets.view_all", "reports.all"},
    # Internal notes and assignment in their departments, no public reply, no other field.
    "notes_assign": {"tickets.view", "tickets.note", "tickets.assign"},
}
ROLES = list(PRESETS) + list(CUSTOM)


def make_role(admin, name, permissions, name_zh=""):
    r = admin.post("/api/v1/roles", json={"name": name, "name_zh": name_zh,
                                          "permissions": permissions})
    assert r.status == 201, r
    return r.body


@pytest.fixture(scope="module")
def world(server, admin):
    home = make_department(admin, uniq("Home"))
    away = make_department(admin, uniq("Away"))
    roles = {k: make_role(admin, uniq(k), sorted(v)) for k, v in CUSTOM.items()}
    people = {}
    for name in ROLES:
        if name in PRESETS:
            user, pw = server.create_agent(role=name)
        else:
            user, pw = server.create_agent(role="agent")
            r = admin.patch(f"/api/v1/agents/{user['id']}", json={"role_id": roles[name]["id"]})
            assert r.status == 200, r
            assert r.body["role_id"] == roles[name]["id"], r
        set_departments(admin, user["id"], [home["id"]])
        people[name] = server.login(user["email"], pw)
        people[name].user = user
    assignee = people["agent"].user["id"]
    return {"home": home, "away": away, "roles": roles, "people": people, "assignee": assignee}


def ticket_in(admin, dept):
    return new_ticket(admin, department=dept["id"])["number"]


# Each check: what it needs and the request; a refused one answers 403, or 404 for a ticket the
# role may not see.
def view_home(w, s, admin):
    return s.get(f"/api/v1/tickets/{ticket_in(admin, w['home'])}").status


def view_away(w, s, admin):
    return s.get(f"/api/v1/tickets/{ticket_in(admin, w['away'])}").status


def create(w, s, admin):
    return s.post("/api/v1/tickets", json={"subject": uniq("new"), "body": "hello",
                                           "requester": {"email": uniq("r") + "@example.com"},
                                           "department": w["home"]["id"]}).status


def reply(w, s, admin):
    n = ticket_in(admin, w["home"])
    return s.post(f"/api/v1/tickets/{n}/messages", json={"body": "public", "internal": False}).status


def note(w, s, admin):
    n = ticket_in(admin, w["home"])
    return s.post(f"/api/v1/tickets/{n}/messages", json={"body": "note", "internal": True}).status


def edit(w, s, admin):
    n = ticket_in(admin, w["home"])
    return s.patch(f"/api/v1/tickets/{n}", json={"priority": "high"}).status


def assign(w, s, admin):
    n = ticket_in(admin, w["home"])
    return s.patch(f"/api/v1/tickets/{n}", json={"assignee": w["assignee"]}).status


def merge(w, s, admin):
    a, b = ticket_in(admin, w["home"]), ticket_in(admin, w["home"])
    return s.post(f"/api/v1/tickets/{a}/merge", json={"into": b}).status


def contacts(w, s, admin):
    return s.post("/api/v1/contacts", json={"email": uniq("c") + "@example.com",
                                            "name": "C"}).status


def reports(w, s, admin):
    return s.get("/api/v1/reports/tickets_created").status


def kb(w, s, admin):
    return s.post("/api/v1/kb/categories", json={"name": uniq("Cat"), "name_zh": uniq("类")}).status


def settings(w, s, admin):
    return s.post("/api/v1/departments", json={"name": uniq("D")}).status


def users(w, s, admin):
    return s.post("/api/v1/agents", json={"email": uniq("a") + "@example.com", "name": "A",
                                          "role": "light_agent"}).status


def roles(w, s, admin):
    return s.get("/api/v1/roles").status


def audit(w, s, admin):
    return s.get("/api/v1/audit").status


CHECKS = {
    "view_home": (view_home, lambda p: "tickets.view" in p or "tickets.view_all" in p, 200, 404),
    "view_away": (view_away, lambda p: "tickets.view_all" in p, 200, 404),
    "create": (create, lambda p: "tickets.create" in p, 201, 403),
    "reply": (reply, lambda p: "tickets.reply" in p, 201, 403),
    "note": (note, lambda p: "tickets.note" in p, 201, 403),
    "edit": (edit, lambda p: "tickets.edit" in p, 200, 403),
    "assign": (assign, lambda p: "tickets.assign" in p, 200, 403),
    "merge": (merge, lambda p: "tickets.merge" in p, 200, 403),
    "contacts": (contacts, lambda p: "contacts.manage" in p, 201, 403),
    "reports": (reports, lambda p: bool({"reports.view", "reports.departments", "reports.all"} & p),
                200, 403),
    "kb": (kb, lambda p: "kb.manage" in p, 201, 403),
    "settings": (settings, lambda p: "settings.manage" in p, 201, 403),
    "users": (users, lambda p: "users.manage" in p, 201, 403),
    "roles": (roles, lambda p: "users.manage" in p, 200, 403),
    "audit": (audit, lambda p: "audit.view" in p, 200, 403),
}


def permissions_of(role):
    return PRESETS.get(role) or CUSTOM[role]


@pytest.mark.parametrize("check", list(CHECKS))
@pytest.mark.parametrize("role", ROLES)
def test_matrix_cell(world, admin, role, check):
    run, allowed, ok, refused = CHECKS[check]
    status = run(world, world["people"][role], admin)
    expected = ok if allowed(permissions_of(role)) else refused
    assert status == expected, (role, check, status)


@pytest.mark.parametrize("role", ROLES)
def test_me_names_the_permissions(world, role):
    me = world["people"][role].get("/api/v1/me")
    assert me.status == 200, me
    assert set(me.body["permissions"]) == permissions_of(role), me.body
    assert me.body["permissions"] == [p for p in ALL if p in permissions_of(role)]  # matrix order
    if role in CUSTOM:
        assert me.body["role_id"] == world["roles"][role]["id"]
        # Custom roles count as agents when they may change tickets, else as light agents.
        assert me.body["role"] == "light_agent"
    else:
        assert me.body["role"] == role and me.body["role_id"] is None


def test_customers_hold_no_permission(server):
    me = customer(server).get("/api/v1/me")
    assert me.status == 200 and me.body["permissions"] == [], me


def test_the_reports_viewer_reads_every_report_but_writes_nothing(world, admin):
    s = world["people"]["reports_viewer"]
    r = s.get("/api/v1/reports/tickets_created")
    assert r.status == 200 and r.body["scope"] == "all", r
    n = ticket_in(admin, world["away"])
    assert s.get(f"/api/v1/tickets/{n}/messages").status == 200
    assert_error(s.post(f"/api/v1/tickets/{n}/messages", json={"body": "x", "internal": True}),
                 403, "permission_denied")
    # Listed tickets follow the same rule as single ones: every department's.
    listed = [t["number"] for t in s.get("/api/v1/tickets?limit=200").body["items"]]
    assert n in listed


def test_a_role_without_a_view_permission_sees_no_ticket(server, admin, world):
    role = make_role(admin, uniq("kb only"), ["kb.manage"])
    user, pw = server.create_agent(role="agent")
    assert admin.patch(f"/api/v1/agents/{user['id']}", json={"role_id": role["id"]}).status == 200
    s = server.login(user["email"], pw)
    n = new_ticket(admin)["number"]  # no department: every agent's today
    assert_error(s.get(f"/api/v1/tickets/{n}"), 404, "not_found")
    assert s.get("/api/v1/tickets?limit=200").body["items"] == []
    assert s.post("/api/v1/kb/categories", json={"name": uniq("C"), "name_zh": uniq("类")}).status \
        == 201


def test_a_changed_role_reaches_its_holders_at_once(server, admin, world):
    role = make_role(admin, uniq("changing"), ["tickets.view", "tickets.note"])
    user, pw = server.create_agent(role="agent")
    assert admin.patch(f"/api/v1/agents/{user['id']}", json={"role_id": role["id"]}).status == 200
    set_departments(admin, user["id"], [world["home"]["id"]])
    s = server.login(user["email"], pw)
    n = ticket_in(admin, world["home"])
    assert s.post(f"/api/v1/tickets/{n}/messages", json={"body": "x"}).status == 403
    r = admin.patch(f"/api/v1/roles/{role['id']}",
                    json={"permissions": ["tickets.view", "tickets.note", "tickets.reply",
                                          "tickets.edit"]})
    assert r.status == 200, r
    assert s.post(f"/api/v1/tickets/{n}/messages", json={"body": "x"}).status == 201
    me = s.get("/api/v1/me").body
    assert "tickets.reply" in me["permissions"] and me["role"] == "agent", me
    # Back to a built-in role: the preset again.
    assert admin.patch(f"/api/v1/agents/{user['id']}", json={"role": "light_agent"}).status == 200
    me = s.get("/api/v1/me").body
    assert me["role_id"] is None and set(me["permissions"]) == PRESETS["light_agent"], me


def test_bad_role_bodies_are_400_naming_what(admin):
    err = assert_error(admin.post("/api/v1/roles", json={"name": uniq("r"),
                                                         "permissions": ["tickets.view",
                                                                         "tickets.fly"]}),
                       400, "invalid_argument", "permissions")
    assert "tickets.fly" in err["message"], err
    assert_error(admin.post("/api/v1/roles", json={"permissions": ["tickets.view"]}), 400,
                 "invalid_argument", "name")
    assert_error(admin.post("/api/v1/roles", json={"name": " ", "permissions": []}), 400,
                 "invalid_argument", "name")
    assert_error(admin.post("/api/v1/roles", json={"name": uniq("r"), "permissions": "x y"}), 400,
                 "invalid_argument", "permissions")
    role = make_role(admin, uniq("dup"), [])
    assert_error(admin.post("/api/v1/roles", json={"name": role["name"].upper()}), 409,
                 "conflict", "name")


def test_bad_role_ids_on_people_are_400(server, admin):
    user, _ = server.create_agent(role="agent")
    assert_error(admin.patch(f"/api/v1/agents/{user['id']}", json={"role_id": 999999}), 400,
                 "invalid_argument", "role_id")
    contact, _ = server.create_contact()
    role = make_role(admin, uniq("x"), ["tickets.view"])
    assert_error(admin.patch(f"/api/v1/contacts/{contact['id']}", json={"role_id": role["id"]}),
                 400, "invalid_argument", "role_id")


@pytest.mark.parametrize("role", ["supervisor", "agent", "light_agent", "reports_viewer",
                                  "notes_assign"])
def test_only_user_managers_change_roles(world, admin, role):
    s = world["people"][role]
    assert_error(s.post("/api/v1/roles", json={"name": uniq("mine"),
                                                "permissions": ["users.manage"]}),
                 403, "permission_denied")
    target = world["roles"]["notes_assign"]["id"]
    assert_error(s.patch(f"/api/v1/roles/{target}", json={"permissions": list(ALL)}), 403,
                 "permission_denied")
    assert_error(s.request("DELETE", f"/api/v1/roles/{target}"), 403, "permission_denied")
    me = s.get("/api/v1/me").body
    assert_error(s.patch(f"/api/v1/agents/{me['id']}", json={"role": "admin"}), 403,
                 "permission_denied")


def test_a_role_in_use_is_not_removed(server, admin):
    role = make_role(admin, uniq("held"), ["tickets.view"])
    user, _ = server.create_agent(role="agent")
    assert admin.patch(f"/api/v1/agents/{user['id']}", json={"role_id": role["id"]}).status == 200
    err = assert_error(admin.request("DELETE", f"/api/v1/roles/{role['id']}"), 409, "conflict")
    assert str(user["id"]) in err["message"] and role["name"] in err["message"], err
    assert admin.patch(f"/api/v1/agents/{user['id']}", json={"role_id": None}).status == 200
    assert admin.request("DELETE", f"/api/v1/roles/{role['id']}").status == 204
    assert_error(admin.get(f"/api/v1/roles/{role['id']}"), 404, "not_found")


def test_role_changes_are_audited(server, admin):
    role = make_role(admin, uniq("audited"), ["tickets.view"], name_zh="审计")
    admin.patch(f"/api/v1/roles/{role['id']}", json={"permissions": ["tickets.view_all"]})
    user, _ = server.create_agent(role="agent")
    admin.patch(f"/api/v1/agents/{user['id']}", json={"role_id": role["id"]})
    entries = admin.get("/api/v1/audit?limit=50").body["items"]
    actions = [(e["action"], e["target"]) for e in entries]
    assert ("custom_role.create", f"custom_role:{role['id']}") in actions, actions
    assert ("custom_role.update", f"custom_role:{role['id']}") in actions, actions
    updates = [e for e in entries if e["action"] == "user.update"
               and e["target"] == f"user:{user['id']}"]
    assert updates and updates[0]["detail"]["role_id"] == role["id"], updates


def test_an_admin_keeps_the_right_to_manage_agents(server, admin):
    role = make_role(admin, uniq("no users"), ["settings.manage"])
    me = admin.get("/api/v1/me").body
    assert_error(admin.patch(f"/api/v1/agents/{me['id']}", json={"role_id": role["id"]}), 400,
                 "invalid_argument", "role_id")
