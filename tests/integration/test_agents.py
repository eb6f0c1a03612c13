"""/api/v1/agents and /api/v1/contacts: admin-only people management with validation."""

import threading
from urllib.parse import quote

import pytest

from conftest import (ADMIN_EMAIL, ADMIN_PASSWORD, assert_error, assert_user, unique_email)


def agent_body(**over):
    body = {"email": unique_email("agent"), "name": "Zhang Wei", "role": "agent", "locale": "en",
            "time_zone": "UTC", "password": "agent-password-1"}
    body.update(over)
    return {k: v for k, v in body.items() if v is not ...}


def contact_body(**over):
    body = {"email": unique_email("contact"), "name": "Customer One", "locale": "zh-CN",
            "time_zone": "Asia/Shanghai"}
    body.update(over)
    return {k: v for k, v in body.items() if v is not ...}


def collect_pages(session, path, limit):
    ids, cursor, pages = [], None, 0
    while True:
        url = f"{path}?limit={limit}" + (f"&cursor={quote(cursor, safe='')}" if cursor else "")
        r = session.get(url)
        assert r.status == 200, r
        assert set(r.body) >= {"items", "next_cursor"}
        assert len(r.body["items"]) <= limit
        ids += [u["id"] for u in r.body["items"]]
        cursor = r.body["next_cursor"]
        pages += 1
        assert pages < 1000
        if cursor is None:
            return ids, pages
        assert isinstance(cursor, str) and cursor


def all_items(session, path):
    items, cursor = [], None
    for _ in range(1000):
        r = session.get(path + (f"?cursor={quote(cursor, safe='')}" if cursor else ""))
        assert r.status == 200, r
        items += r.body["items"]
        cursor = r.body["next_cursor"]
        if cursor is None:
            return items
    raise AssertionError("pagination does not end")


# --- Agents ----------------------------------------------------------------------------------


def test_list_agents(admin):
    r = admin.get("/api/v1/agents")
    assert r.status == 200
    assert set(r.body) >= {"items", "next_cursor"}
    for u in r.body["items"]:
        assert_user(u)
        assert u["role"] != "customer"
    assert ADMIN_EMAIL in [u["email"] for u in r.body["items"]]


@pytest.mark.parametrize("role", ["admin", "supervisor", "agent", "light_agent"])
def test_create_agent_each_role(server, admin, role):
    body = agent_body(role=role, locale="zh-CN", time_zone="Asia/Shanghai", name="王芳")
    r = admin.post("/api/v1/agents", json=body)
    assert r.status == 201, r
    u = r.body
    assert_user(u)
    assert u["email"].lower() == body["email"].lower()
    assert (u["name"], u["role"], u["locale"], u["time_zone"], u["active"]) == \
        ("王芳", role, "zh-CN", "Asia/Shanghai", True)
    assert admin.get(f"/api/v1/agents/{u['id']}").body == u
    s = server.login(body["email"], body["password"])
    assert s.user["id"] == u["id"] and s.user["role"] == role


def test_create_agent_without_password_cannot_log_in(server, admin):
    body = agent_body(password=...)
    r = admin.post("/api/v1/agents", json=body)
    assert r.status == 201, r
    for pw in ("", "agent-password-1", "null"):
        assert server.login_raw(body["email"], pw).status in (400, 401)


def test_get_agent_unknown(admin):
    assert_error(admin.get("/api/v1/agents/987654"), 404, "not_found")


@pytest.mark.parametrize("over,field", [
    ({"email": "not-an-email"}, "email"),
    ({"email": ""}, "email"),
    ({"email": "a@"}, "email"),
    ({"email": "@b.com"}, "email"),
    ({"email": "two@@example.com"}, "email"),
    ({"email": "sp ace@example.com"}, "email"),
    ({"email": "x" * 300 + "@example.com"}, "email"),
    ({"role": "customer"}, "role"),
    ({"role": "root"}, "role"),
    ({"role": "Admin"}, "role"),
    ({"locale": "fr"}, "locale"),
    ({"locale": "zh-TW"}, "locale"),
    ({"locale": "zh_cn"}, "locale"),
    ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
    ({"time_zone": "Asia/Shanghai\u0000"}, "time_zone"),
    ({"time_zone": "../../etc/passwd"}, "time_zone"),
    ({"time_zone": ""}, "time_zone"),
    ({"name": 42}, "name"),
    ({"password": "short"}, "password"),
    ({"active": "yes"}, "active"),
    ({"is_admin": True}, "is_admin"),
    ({"id": 1}, "id"),
    ({"email": ...}, "email"),
])
def test_create_agent_validation(admin, over, field):
    body = agent_body(**over)
    r = admin.post("/api/v1/agents", json=body)
    assert_error(r, 400, "invalid_argument", field=field)
    if isinstance(body.get("email"), str) and "@" in body["email"]:
        emails = [u["email"].lower() for u in all_items(admin, "/api/v1/agents")]
        assert body["email"].lower() not in emails


def test_duplicate_email_any_case_is_409(admin):
    body = agent_body()
    assert admin.post("/api/v1/agents", json=body).status == 201
    for email in (body["email"], body["email"].upper(), body["email"].title()):
        assert_error(admin.post("/api/v1/agents", json=agent_body(email=email)), 409, "conflict")
    assert_error(admin.post("/api/v1/agents", json=agent_body(email="ADMIN@localhost")), 409,
                 "conflict")
    # The same email as a contact conflicts too: one email, one person.
    assert_error(admin.post("/api/v1/contacts", json=contact_body(email=body["email"].upper())),
                 409, "conflict")


def test_concurrent_duplicate_creates_one(admin):
    body = agent_body()
    results = []

    def create():
        results.append(admin.post("/api/v1/agents", json=body).status)

    threads = [threading.Thread(target=create) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [201] + [409] * 7, results


def test_patch_agent(server, admin):
    u, pw = server.create_agent(role="agent")
    r = admin.patch(f"/api/v1/agents/{u['id']}", json={
        "name": "New Name", "role": "supervisor", "locale": "zh-CN",
        "time_zone": "America/New_York"})
    assert r.status == 200, r
    assert_user(r.body)
    assert (r.body["name"], r.body["role"], r.body["locale"], r.body["time_zone"]) == \
        ("New Name", "supervisor", "zh-CN", "America/New_York")
    assert r.body["email"] == u["email"] and r.body["created_at"] == u["created_at"]
    assert admin.get(f"/api/v1/agents/{u['id']}").body == r.body
    # Partial update leaves the other fields alone.
    r2 = admin.patch(f"/api/v1/agents/{u['id']}", json={"name": "Only Name"})
    assert r2.status == 200
    assert (r2.body["name"], r2.body["role"], r2.body["locale"]) == \
        ("Only Name", "supervisor", "zh-CN")
    assert server.login(u["email"], pw).user["role"] == "supervisor"


def test_patch_agent_password(server, admin):
    u, pw = server.create_agent()
    r = admin.patch(f"/api/v1/agents/{u['id']}", json={"password": "reset-by-admin-1"})
    assert r.status == 200, r
    assert_error(server.login_raw(u["email"], pw), 401, "unauthenticated")
    server.login(u["email"], "reset-by-admin-1")


@pytest.mark.parametrize("body,field", [
    ({"role": "customer"}, "role"),
    ({"locale": "de"}, "locale"),
    ({"time_zone": "Nowhere/City"}, "time_zone"),
    ({"active": 1}, "active"),
    ({"password": "1234567"}, "password"),
    ({"name": None}, "name"),
    ({"nickname": "x"}, "nickname"),
    ({"created_at": "2020-01-01T00:00:00.000Z"}, "created_at"),
])
def test_patch_agent_validation(server, admin, body, field):
    u, _ = server.create_agent()
    assert_error(admin.patch(f"/api/v1/agents/{u['id']}", json=body), 400, "invalid_argument",
                 field=field)
    assert admin.get(f"/api/v1/agents/{u['id']}").body == u


def test_patch_unknown_agent(admin):
    assert_error(admin.patch("/api/v1/agents/987654", json={"name": "x"}), 404, "not_found")


def test_deactivate_agent(server, admin):
    u, pw = server.create_agent()
    session = server.login(u["email"], pw)
    token = session.post("/api/v1/tokens", json={"name": "t", "scopes": ["read", "write"]})
    assert token.status == 201
    bearer = server.bearer(token.body["token"])
    assert bearer.get("/api/v1/me").status == 200

    r = admin.patch(f"/api/v1/agents/{u['id']}", json={"active": False})
    assert r.status == 200 and r.body["active"] is False
    assert_error(server.login_raw(u["email"], pw), 401, "unauthenticated")
    assert_error(session.get("/api/v1/me"), 401, "unauthenticated")
    assert_error(bearer.get("/api/v1/me"), 401, "unauthenticated")

    r = admin.patch(f"/api/v1/agents/{u['id']}", json={"active": True})
    assert r.status == 200 and r.body["active"] is True
    assert server.login(u["email"], pw).user["id"] == u["id"]


def test_inactive_shown_in_cli_list(server, admin):
    u, _ = server.create_agent()
    admin.patch(f"/api/v1/agents/{u['id']}", json={"active": False})
    rows = [line.split("\t") for line in server.cli("user", "list").stdout.splitlines()]
    row = next(r for r in rows if r[0] == str(u["id"]))
    assert row[4] == "inactive"


def test_pagination(server, admin):
    for _ in range(7):
        server.create_agent()
    all_ids = [u["id"] for u in all_items(admin, "/api/v1/agents")]
    assert len(all_ids) >= 8 and len(set(all_ids)) == len(all_ids)
    paged, pages = collect_pages(admin, "/api/v1/agents", 3)
    assert paged == all_ids, "pages must cover the list exactly once, in the same order"
    assert pages >= 3


def test_limit_one_page(admin):
    r = admin.get("/api/v1/agents?limit=1")
    assert len(r.body["items"]) == 1
    assert isinstance(r.body["next_cursor"], str)


@pytest.mark.parametrize("query", ["limit=0", "limit=-1", "limit=abc", "cursor=not-a-cursor"])
def test_bad_paging_parameters(admin, query):
    r = admin.get(f"/api/v1/agents?{query}")
    assert_error(r, 400, "invalid_argument")


def test_agents_writes_admin_only(server):
    # Reading the agents is scoped per role (test_directory_roles.py); changing them is not.
    target, _ = server.create_agent()
    for role in ("supervisor", "agent", "light_agent"):
        s = server.agent_session(role)
        assert_error(s.post("/api/v1/agents", json=agent_body()), 403, "permission_denied")
        assert_error(s.patch(f"/api/v1/agents/{target['id']}", json={"role": "admin"}), 403,
                     "permission_denied")
        assert_error(s.patch(f"/api/v1/agents/{s.user['id']}", json={"role": "admin"}), 403,
                     "permission_denied")
        assert s.get("/api/v1/me").body["role"] == role
    c = server.customer_session()
    assert_error(c.get("/api/v1/agents"), 403, "permission_denied")
    assert_error(c.post("/api/v1/agents", json=agent_body()), 403, "permission_denied")


def test_agents_unauthenticated(server):
    assert_error(server.get("/api/v1/agents"), 401, "unauthenticated")
    assert_error(server.post("/api/v1/agents", json=agent_body()), 401, "unauthenticated")
    assert_error(server.get("/api/v1/agents/1"), 401, "unauthenticated")
    assert_error(server.request("PATCH", "/api/v1/agents/1", json={"name": "x"}), 401,
                 "unauthenticated")


def test_admin_token_can_manage_agents(server, admin):
    tok = admin.post("/api/v1/tokens", json={"name": "ops", "scopes": ["read", "write"]})
    b = server.bearer(tok.body["token"])
    r = b.post("/api/v1/agents", json=agent_body())
    assert r.status == 201
    assert b.get(f"/api/v1/agents/{r.body['id']}").status == 200


# --- Contacts --------------------------------------------------------------------------------


def test_create_and_get_contact(server, admin):
    body = contact_body(password="customer-pass-1")
    r = admin.post("/api/v1/contacts", json=body)
    assert r.status == 201, r
    c = r.body
    assert_user(c)
    assert c["role"] == "customer"
    assert (c["name"], c["locale"], c["time_zone"], c["active"]) == \
        ("Customer One", "zh-CN", "Asia/Shanghai", True)
    assert admin.get(f"/api/v1/contacts/{c['id']}").body == c
    s = server.login(body["email"], "customer-pass-1")
    assert s.get("/api/v1/me").body["role"] == "customer"


def test_contact_role_field_rejected(admin):
    for role in ("customer", "admin"):
        r = admin.post("/api/v1/contacts", json=contact_body(role=role))
        assert_error(r, 400, "invalid_argument", field="role")
    c = admin.post("/api/v1/contacts", json=contact_body()).body
    assert_error(admin.patch(f"/api/v1/contacts/{c['id']}", json={"role": "admin"}), 400,
                 "invalid_argument", field="role")
    assert admin.get(f"/api/v1/contacts/{c['id']}").body["role"] == "customer"


@pytest.mark.parametrize("over,field", [
    ({"email": "nope"}, "email"),
    ({"locale": "ja"}, "locale"),
    ({"time_zone": "Europe/Atlantis"}, "time_zone"),
    ({"phone_number": "1"}, "phone_number"),
])
def test_contact_validation(admin, over, field):
    assert_error(admin.post("/api/v1/contacts", json=contact_body(**over)), 400,
                 "invalid_argument", field=field)


def test_contact_duplicate_email(admin):
    body = contact_body()
    assert admin.post("/api/v1/contacts", json=body).status == 201
    assert_error(admin.post("/api/v1/contacts", json=contact_body(email=body["email"].upper())),
                 409, "conflict")
    assert_error(admin.post("/api/v1/agents", json=agent_body(email=body["email"])), 409,
                 "conflict")


def test_patch_contact(server, admin):
    c = admin.post("/api/v1/contacts", json=contact_body(password="customer-pass-1")).body
    r = admin.patch(f"/api/v1/contacts/{c['id']}", json={"name": "Renamed", "locale": "en",
                                                         "time_zone": "Europe/Berlin"})
    assert r.status == 200, r
    assert (r.body["name"], r.body["locale"], r.body["time_zone"], r.body["role"]) == \
        ("Renamed", "en", "Europe/Berlin", "customer")
    r = admin.patch(f"/api/v1/contacts/{c['id']}", json={"active": False})
    assert r.body["active"] is False
    assert_error(server.login_raw(c["email"], "customer-pass-1"), 401, "unauthenticated")


def test_agents_and_contacts_are_separate(admin):
    agent = admin.post("/api/v1/agents", json=agent_body()).body
    contact = admin.post("/api/v1/contacts", json=contact_body()).body
    agent_ids = [u["id"] for u in all_items(admin, "/api/v1/agents")]
    contact_list = all_items(admin, "/api/v1/contacts")
    contact_ids = [u["id"] for u in contact_list]
    assert agent["id"] in agent_ids and agent["id"] not in contact_ids
    assert contact["id"] in contact_ids and contact["id"] not in agent_ids
    assert all(u["role"] == "customer" for u in contact_list)
    assert_error(admin.get(f"/api/v1/agents/{contact['id']}"), 404, "not_found")
    assert_error(admin.get(f"/api/v1/contacts/{agent['id']}"), 404, "not_found")
    assert_error(admin.patch(f"/api/v1/contacts/{agent['id']}", json={"name": "x"}), 404,
                 "not_found")


def test_contacts_pagination(server, admin):
    for _ in range(5):
        server.create_contact()
    full = [u["id"] for u in all_items(admin, "/api/v1/contacts")]
    paged, _ = collect_pages(admin, "/api/v1/contacts", 2)
    assert paged == full and len(full) >= 5


def test_contacts_writes_admin_only(server):
    c, _ = server.create_contact()
    for s in (server.agent_session("agent"), server.customer_session()):
        assert_error(s.post("/api/v1/contacts", json=contact_body()), 403, "permission_denied")
        assert_error(s.patch(f"/api/v1/contacts/{c['id']}", json={"name": "x"}), 403,
                     "permission_denied")
    assert_error(server.customer_session().get("/api/v1/contacts"), 403, "permission_denied")
    assert_error(server.get("/api/v1/contacts"), 401, "unauthenticated")

