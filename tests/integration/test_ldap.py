"""Issue 21: sign-in against LDAP / Active Directory, against a real slapd started here
(slapd.py) with the directory of tests/fixtures/ldap. The service account searches, the person
binds with their password, accounts are made just in time with the role and departments their
groups give, the admin's test shows what the directory answers, a directory that is down fails
sign-in clearly without locking the local admin out, and the sync (the admin's button and the
periodic job on the test clock) deactivates the accounts whose entries are gone."""

import pytest

from conftest import assert_error
from slapd import BASE, SERVICE_DN, SERVICE_PASSWORD, slapd  # noqa: F401 (a fixture)

SUPPORT = "cn=support,ou=groups," + BASE
ADMINS = "cn=admins,ou=groups," + BASE


def person(uid):
    return f"uid={uid},ou=people,{BASE}"


@pytest.fixture(scope="module")
def directory(clocked_server, slapd):  # noqa: F811
    admin = clocked_server.admin
    r = admin.post("/api/v1/departments", json={"name": "LDAP support"})
    assert r.status == 201, r
    department = r.body["id"]
    r = admin.post("/api/v1/ldap-directories", json={
        "name": "Example directory",
        "url": slapd.url,
        "bind_dn": SERVICE_DN,
        "bind_password": SERVICE_PASSWORD,
        "base_dn": BASE,
        "mappings": [{"group": SUPPORT, "role": "agent", "departments": [department]},
                     {"group": ADMINS.upper(), "role": "supervisor"}],
        "sync_minutes": 30,
    })
    assert r.status == 201, r
    assert r.body["has_bind_password"] is True and "bind_password" not in r.body
    return {"id": r.body["id"], "department": department}


def test_a_person_signs_in_with_the_directory_password_and_gets_their_groups(
        clocked_server, directory):
    srv = clocked_server
    r = srv.login_raw("alice@example.org", "alice-pass-1")
    assert r.status == 200, r
    alice = r.body["user"]
    assert alice["role"] == "agent" and alice["name"] == "Alice Agent"
    session = srv.login("alice@example.org", "alice-pass-1")
    assert session.get("/api/v1/tickets").status == 200
    r = srv.admin.get(f"/api/v1/agents/{alice['id']}/departments")
    assert r.status == 200 and r.body["departments"] == [directory["department"]], r

    # Two groups: the higher role (the mapping's DN matched whatever its case).
    bob = srv.login("bob@example.org", "bob-pass-22")
    assert bob.user["role"] == "supervisor"
    # A name in Chinese comes through as the directory holds it.
    assert srv.login("dave@example.org", "dave-pass-44").user["name"] == "戴维"

    # The second sign-in finds the same account.
    assert srv.login("alice@example.org", "alice-pass-1").user["id"] == alice["id"]
    actions = [e["action"] for e in srv.admin.get(
        f"/api/v1/audit?target=user:{alice['id']}").body["items"]]
    assert "user.create" in actions


def test_wrong_passwords_unknown_people_and_filter_tricks_are_refused(clocked_server, directory):
    srv = clocked_server
    assert_error(srv.login_raw("alice@example.org", "not-her-password"), 401, "unauthenticated")
    assert_error(srv.login_raw("nobody@example.org", "whatever-1"), 401, "unauthenticated")
    # A filter's special characters are escaped: "*" finds nobody, it is not everyone.
    assert_error(srv.login_raw("*", "alice-pass-1"), 401, "unauthenticated")
    assert_error(srv.login_raw("alice@example.org)(mail=*", "alice-pass-1"), 401,
                 "unauthenticated")
    # Carol is in no mapped group, and the directory refuses such people.
    r = srv.login_raw("carol@example.org", "carol-pass-3")
    assert_error(r, 403, "permission_denied")
    assert "group" in r.body["error"]["message"]


def test_the_admins_test_shows_what_the_directory_answers(clocked_server, directory):
    srv = clocked_server
    r = srv.admin.post(f"/api/v1/ldap-directories/{directory['id']}/test")
    assert r.status == 200 and r.body["ok"] is True, r
    assert len(r.body["sample"]) == 5
    r = srv.admin.post(f"/api/v1/ldap-directories/{directory['id']}/test",
                       json={"login": "bob@example.org"})
    assert r.status == 200, r
    bob = r.body["person"]
    assert bob["dn"] == person("bob") and bob["name"] == "Bob Boss"
    assert sorted(g.lower() for g in bob["groups"]) == sorted([SUPPORT, ADMINS])
    assert bob["account"]["role"] == "supervisor"
    assert bob["account"]["departments"] == [directory["department"]]
    r = srv.admin.post(f"/api/v1/ldap-directories/{directory['id']}/test",
                       json={"login": "carol@example.org"})
    assert r.body["person"]["account"] is None
    agent = srv.agent_session()
    assert_error(agent.post(f"/api/v1/ldap-directories/{directory['id']}/test"), 403,
                 "permission_denied")
    assert_error(srv.admin.post("/api/v1/ldap-directories/999999/test"), 404, "not_found")


def test_a_directory_that_is_down_does_not_lock_the_local_admin_out(clocked_server, directory,
                                                                     slapd):  # noqa: F811
    srv = clocked_server
    slapd.stop()
    try:
        assert srv.login().user["role"] == "admin"
        r = srv.login_raw("alice@example.org", "alice-pass-1")
        assert_error(r, 503, "unavailable")
        assert "directory" in r.body["error"]["message"]
        r = srv.admin.post(f"/api/v1/ldap-directories/{directory['id']}/test")
        assert r.status == 200 and r.body["ok"] is False and r.body["message"], r
    finally:
        slapd.listen()
    assert srv.login_raw("alice@example.org", "alice-pass-1").status == 200


def test_the_sync_deactivates_accounts_gone_from_the_directory(clocked_server, directory,
                                                               slapd):  # noqa: F811
    srv = clocked_server
    ernie = srv.login("dave@example.org", "dave-pass-44")
    alice = srv.login("alice@example.org", "alice-pass-1")
    slapd.delete(person("dave"))
    r = srv.admin.post(f"/api/v1/ldap-directories/{directory['id']}/sync")
    assert r.status == 200 and r.body["deactivated"] == 1, r
    assert r.body["checked"] >= 3
    assert_error(ernie.get("/api/v1/tickets"), 401, "unauthenticated")
    assert_error(srv.login_raw("dave@example.org", "dave-pass-44"), 401, "unauthenticated")
    assert alice.get("/api/v1/tickets").status == 200

    # The periodic job, every sync_minutes on the server's clock.
    slapd.delete(person("alice"))
    srv.advance(minutes=31)
    assert_error(alice.get("/api/v1/tickets"), 401, "unauthenticated")
    d = srv.admin.get(f"/api/v1/ldap-directories/{directory['id']}").body
    assert d["last_sync_result"].endswith("1 deactivated"), d
    actions = [e["action"] for e in srv.admin.get("/api/v1/audit?action=user.deactivate")
               .body["items"]]
    assert len(actions) == 2


@pytest.mark.parametrize("body,field", [
    ({"url": "http://127.0.0.1:389"}, "url"),
    ({"user_filter": "(mail=alice@example.org)"}, "user_filter"),
    ({"user_filter": "(mail={login}"}, "user_filter"),
    ({"group_filter": "(member=x)"}, "group_filter"),
    ({"mappings": [{"group": SUPPORT, "role": "owner"}]}, "mappings[0].role"),
    ({"mappings": [{"group": "", "role": "agent"}]}, "mappings[0].group"),
    ({"mappings": [{"group": SUPPORT, "role": "agent", "departments": ["x"]}]},
     "mappings[0].departments"),
    ({"unmapped": "everyone"}, "unmapped"),
    ({"sync_minutes": -1}, "sync_minutes"),
])
def test_bad_settings_are_400_naming_the_field(clocked_server, body, field):
    base = {"name": "Bad " + field, "url": "ldap://127.0.0.1:1", "base_dn": BASE}
    r = clocked_server.admin.post("/api/v1/ldap-directories", json={**base, **body})
    assert_error(r, 400, "invalid_argument", field)
