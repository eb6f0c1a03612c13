"""/api/v1/audit: who did what, when, from where; newest first; admin only."""

from urllib.parse import quote

import pytest

from conftest import ADMIN_EMAIL, ADMIN_PASSWORD, TIME_RE, assert_error, unique_email


def audit(session, limit=200):
    r = session.get(f"/api/v1/audit?limit={limit}")
    assert r.status == 200, r
    assert set(r.body) >= {"items", "next_cursor"}
    return r.body["items"]


@pytest.fixture(scope="module")
def story(server):
    """One of each audited action, by known actors, on one server."""
    admin = server.login()
    server.login_raw(ADMIN_EMAIL, "wrong-password")
    agent, pw = server.create_agent(session=admin)
    admin.patch(f"/api/v1/agents/{agent['id']}", json={"name": "Renamed Agent"})
    agent_session = server.login(agent["email"], pw)
    tok = agent_session.post("/api/v1/tokens", json={"name": "audited", "scopes": ["read"]})
    assert tok.status == 201
    assert agent_session.delete(f"/api/v1/tokens/{tok.body['id']}").status == 204
    r = agent_session.post("/api/v1/me/password",
                           json={"current_password": pw, "new_password": "changed-password-9"})
    assert r.status == 200
    agent_session.cookie = [v for v in r.headers.get_all("Set-Cookie")
                            if v.startswith("gongdan_session=")][0].split(";")[0].split("=", 1)[1]
    agent_session.csrf = r.body["csrf_token"]
    assert agent_session.post("/api/v1/auth/logout").status == 204
    contact = admin.post("/api/v1/contacts", json={
        "email": unique_email("audited"), "name": "C", "locale": "en", "time_zone": "UTC"})
    assert contact.status == 201
    return {"admin": admin, "agent": agent, "token_id": tok.body["id"], "contact": contact.body}


def test_shape(story):
    items = audit(story["admin"])
    assert items
    for e in items:
        assert set(e) >= {"id", "at", "actor_id", "action", "target", "ip", "detail"}, e
        assert isinstance(e["id"], int)
        assert TIME_RE.match(e["at"]), e
        assert e["actor_id"] is None or isinstance(e["actor_id"], int)
        assert isinstance(e["action"], str) and e["action"]
        if e["action"].startswith(("auth.", "token.")):  # over HTTP from this test
            assert e["ip"] == "127.0.0.1", e


def test_newest_first(story):
    items = audit(story["admin"])
    ids = [e["id"] for e in items]
    assert ids == sorted(ids, reverse=True)
    ats = [e["at"] for e in items]
    assert ats == sorted(ats, reverse=True)


def test_every_action_recorded(story):
    actions = {e["action"] for e in audit(story["admin"])}
    for a in ("auth.login", "auth.login_failed", "auth.logout", "token.create", "token.revoke",
              "user.create", "user.update", "user.password_change"):
        assert a in actions, f"{a} missing from audit log: {sorted(actions)}"


def test_actors_and_targets(story):
    items = audit(story["admin"])
    admin_id = story["admin"].user["id"]
    agent_id = story["agent"]["id"]

    def find(action, pred=lambda e: True):
        found = [e for e in items if e["action"] == action and pred(e)]
        assert found, f"no {action} entry"
        return found[0]

    e = find("user.create", lambda e: str(agent_id) in str(e["target"]))
    assert e["actor_id"] == admin_id
    e = find("user.update", lambda e: str(agent_id) in str(e["target"]))
    assert e["actor_id"] == admin_id
    assert find("token.create", lambda e: e["actor_id"] == agent_id)
    e = find("token.revoke", lambda e: e["actor_id"] == agent_id)
    assert str(story["token_id"]) in str(e["target"]) + str(e["detail"])
    assert find("user.password_change", lambda e: e["actor_id"] == agent_id)
    assert find("auth.logout", lambda e: e["actor_id"] == agent_id)
    assert find("auth.login", lambda e: e["actor_id"] == agent_id)
    failed = find("auth.login_failed")
    where = str(failed["target"]) + str(failed["detail"])
    assert ADMIN_EMAIL in where or str(admin_id) in str(failed["target"]), failed
    assert find("user.create", lambda e: str(story["contact"]["id"]) in str(e["target"]))


def test_audit_never_contains_secrets(story, server):
    s = story["admin"]
    tok = s.post("/api/v1/tokens", json={"name": "secret?", "scopes": ["read"]}).body["token"]
    r = s.get("/api/v1/audit?limit=200")
    text = r.raw.decode()
    for secret in (tok, ADMIN_PASSWORD, "changed-password-9", "agent-password-1", "wrong-password",
                   s.cookie, s.csrf):
        assert secret not in text


def test_pagination(story):
    s = story["admin"]
    full = audit(s, limit=200)
    ids, cursor = [], None
    for _ in range(1000):
        url = "/api/v1/audit?limit=2" + (f"&cursor={quote(cursor, safe='')}" if cursor else "")
        r = s.get(url)
        assert r.status == 200 and len(r.body["items"]) <= 2
        ids += [e["id"] for e in r.body["items"]]
        cursor = r.body["next_cursor"]
        if cursor is None:
            break
    # Nothing was written meanwhile: the pages are the full list, in order, each entry once.
    assert ids == [e["id"] for e in full]


def test_admin_only(server, story):
    for role in ("supervisor", "agent", "light_agent"):
        assert_error(server.agent_session(role).get("/api/v1/audit"), 403, "permission_denied")
    assert_error(server.customer_session().get("/api/v1/audit"), 403, "permission_denied")
    assert_error(server.get("/api/v1/audit"), 401, "unauthenticated")


def test_failed_login_recorded_with_address(server, story):
    email = unique_email("intruder")
    server.login_raw(email, "guess")
    items = audit(story["admin"])
    e = next(e for e in items if e["action"] == "auth.login_failed"
             and email in str(e["target"]) + str(e["detail"]))
    assert e["ip"] == "127.0.0.1"
    assert e["actor_id"] is None
