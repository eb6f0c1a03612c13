"""API tokens: create (shown once), list, Bearer auth, scopes, revoke, stored hashed."""

import pytest

from conftest import TIME_RE, TOKEN_RE, assert_error, parse_utc


def _create(session, name="tok", scopes=("read", "write")):
    r = session.post("/api/v1/tokens", json={"name": name, "scopes": list(scopes)})
    assert r.status == 201, r
    return r.body


def test_create_shape(server):
    s = server.login()
    body = _create(s, name="ci deploy", scopes=["read", "write"])
    assert set(body) >= {"id", "name", "scopes", "token", "created_at"}
    assert isinstance(body["id"], int) and body["id"] > 0
    assert body["name"] == "ci deploy"
    assert sorted(body["scopes"]) == ["read", "write"]
    assert TOKEN_RE.match(body["token"]), body["token"]
    assert TIME_RE.match(body["created_at"])


def test_tokens_are_distinct(server):
    s = server.login()
    tokens = {_create(s, name=f"t{i}")["token"] for i in range(5)}
    assert len(tokens) == 5


def test_list_never_shows_the_token(server):
    s = server.login()
    created = _create(s, name="listed")
    r = s.get("/api/v1/tokens")
    assert r.status == 200
    assert created["token"] not in r.raw.decode()
    items = r.body["items"]
    mine = [t for t in items if t["id"] == created["id"]]
    assert len(mine) == 1
    t = mine[0]
    assert "token" not in t
    assert set(t) >= {"id", "name", "scopes", "created_at", "last_used_at"}
    assert t["name"] == "listed"
    assert sorted(t["scopes"]) == ["read", "write"]
    assert t["created_at"] == created["created_at"]
    assert t["last_used_at"] is None


def test_last_used_recorded_at_most_once_a_minute(clocked_server):
    srv = clocked_server
    s = srv.login()
    created = _create(s, name="used")
    bearer = srv.bearer(created["token"])

    def last_used():
        srv.wait_idle()  # the time is written in the background
        t = next(t for t in s.get("/api/v1/tokens").body["items"] if t["id"] == created["id"])
        assert t["last_used_at"] is not None and TIME_RE.match(t["last_used_at"]), t
        return parse_utc(t["last_used_at"])

    assert bearer.get("/api/v1/me").status == 200
    first = last_used()
    assert first == srv.clock()
    srv.advance(seconds=59)
    assert bearer.get("/api/v1/me").status == 200
    assert last_used() == first
    srv.advance(seconds=1)
    assert bearer.get("/api/v1/me").status == 200
    assert last_used() == srv.clock()


def test_bearer_authenticates_without_csrf(server):
    s = server.login()
    token = _create(s)["token"]
    b = server.bearer(token)
    me = b.get("/api/v1/me")
    assert me.status == 200 and me.body["id"] == s.user["id"]
    # A write with no cookie and no CSRF header.
    r = b.post("/api/v1/tokens", json={"name": "by bearer", "scopes": ["read"]})
    assert r.status == 201, r


def test_bearer_scheme_case_and_whitespace(server):
    token = _create(server.login())["token"]
    r = server.get("/api/v1/me", headers={"Authorization": f"bearer {token}"})
    assert r.status == 200  # RFC 7235: the scheme is case-insensitive
    assert_error(server.get("/api/v1/me", headers={"Authorization": f"Bearer {token}x"}), 401,
                 "unauthenticated")
    assert_error(server.get("/api/v1/me", headers={"Authorization": f"Bearer {token[:-1]}"}), 401,
                 "unauthenticated")


def test_read_scope_cannot_write(server):
    s = server.login()
    ro = server.bearer(_create(s, name="ro", scopes=["read"])["token"])
    assert ro.get("/api/v1/me").status == 200
    assert ro.get("/api/v1/tokens").status == 200
    assert_error(ro.post("/api/v1/tokens", json={"name": "x", "scopes": ["read"]}), 403,
                 "permission_denied")
    user, _ = server.create_agent(session=s)
    assert_error(ro.patch(f"/api/v1/agents/{user['id']}", json={"name": "changed"}), 403,
                 "permission_denied")
    assert s.get(f"/api/v1/agents/{user['id']}").body["name"] != "changed"
    victim = _create(s, name="victim")
    assert_error(ro.delete(f"/api/v1/tokens/{victim['id']}"), 403, "permission_denied")
    assert server.bearer(victim["token"]).get("/api/v1/me").status == 200


def test_write_only_scope(server):
    s = server.login()
    r = s.post("/api/v1/tokens", json={"name": "wo", "scopes": ["write"]})
    assert r.status in (201, 400), r  # a write-only token may be refused as meaningless...
    if r.status == 201:  # ...but when it exists, it cannot read
        assert_error(server.bearer(r.body["token"]).get("/api/v1/me"), 403, "permission_denied")


def test_revoke(server):
    s = server.login()
    created = _create(s, name="doomed")
    b = server.bearer(created["token"])
    assert b.get("/api/v1/me").status == 200
    r = s.delete(f"/api/v1/tokens/{created['id']}")
    assert r.status == 204 and r.raw == b""
    assert_error(b.get("/api/v1/me"), 401, "unauthenticated")
    assert created["id"] not in [t["id"] for t in s.get("/api/v1/tokens").body["items"]]
    assert_error(s.delete(f"/api/v1/tokens/{created['id']}"), 404, "not_found")


def test_token_can_revoke_itself(server):
    created = _create(server.login(), name="self")
    b = server.bearer(created["token"])
    assert b.delete(f"/api/v1/tokens/{created['id']}").status == 204
    assert_error(b.get("/api/v1/me"), 401, "unauthenticated")


def test_revoke_unknown(server):
    s = server.login()
    assert_error(s.delete("/api/v1/tokens/987654321"), 404, "not_found")
    r = s.delete("/api/v1/tokens/abc")
    assert r.status in (400, 404)


def test_tokens_are_per_user(fresh_server):
    srv = fresh_server
    admin = srv.admin
    admin_tok = _create(admin, name="admin's")
    agent = srv.agent_session()
    items = agent.get("/api/v1/tokens").body["items"]
    assert admin_tok["id"] not in [t["id"] for t in items]
    r = agent.delete(f"/api/v1/tokens/{admin_tok['id']}")
    assert r.status in (403, 404), r
    assert srv.bearer(admin_tok["token"]).get("/api/v1/me").status == 200
    mine = _create(agent, name="agent's", scopes=["read"])
    me = srv.bearer(mine["token"]).get("/api/v1/me").body
    assert me["id"] == agent.user["id"] and me["role"] == "agent"


def test_token_carries_its_users_role(fresh_server):
    agent = fresh_server.agent_session()
    tok = _create(agent)["token"]
    as_agent = fresh_server.bearer(tok)
    assert_error(as_agent.post("/api/v1/agents", json={"email": "x@example.com", "role": "admin"}),
                 403, "permission_denied")
    # Reading answers as the agent too: only colleagues a ticket may be assigned to.
    light, _ = fresh_server.create_agent(role="light_agent")
    listed = {u["id"] for u in as_agent.get("/api/v1/agents?limit=200").body["items"]}
    assert agent.user["id"] in listed and light["id"] not in listed


@pytest.mark.parametrize("body,field", [
    ({"name": "x", "scopes": ["admin"]}, "scopes"),
    ({"name": "x", "scopes": "read"}, "scopes"),
    ({"name": "x", "scopes": [1]}, "scopes"),
    ({"name": 5, "scopes": ["read"]}, "name"),
    ({"name": "x", "scopes": ["read"], "token": "mine"}, "token"),
    ({"name": "x", "scopes": ["read"], "expires": 1}, "expires"),
])
def test_create_validation(server, body, field):
    s = server.login()
    assert_error(s.post("/api/v1/tokens", json=body), 400, "invalid_argument", field=field)


def test_create_requires_auth(server):
    assert_error(server.post("/api/v1/tokens", json={"name": "x", "scopes": ["read"]}), 401,
                 "unauthenticated")
    assert_error(server.get("/api/v1/tokens"), 401, "unauthenticated")


def test_secrets_not_stored_in_clear(fresh_server):
    srv = fresh_server
    token = _create(srv.admin, name="secret")["token"]
    assert srv.bearer(token).get("/api/v1/me").status == 200
    srv.restart()  # checkpoint: everything is in the data directory now
    needles = [token.encode(), b"admin-password-0001"]
    for path in srv.data_dir.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            for n in needles:
                assert n not in content, f"{n[:6]!r}... stored in clear in {path.name}"
    assert srv.bearer(token).get("/api/v1/me").status == 200


def test_session_cannot_be_used_as_bearer(server):
    s = server.login()
    assert_error(server.get("/api/v1/me", headers={"Authorization": f"Bearer {s.cookie}"}), 401,
                 "unauthenticated")

