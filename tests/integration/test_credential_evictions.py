"""Issue 16, items 9 and 10. Ending a credential ends only the live connections that hold it (one
user's sign-out used to close everybody's stream), and API tokens do not outlive a password
reset, a deactivation or, unless the user keeps them, their own password change."""

import socket

import pytest

from conftest import assert_error
from ticket_support import WebSocket, WSClosed, uniq


def connect(server, sess=None, token=None):
    if token:
        ws = WebSocket(server.host, server.port, headers={"Authorization": f"Bearer {token}"})
    else:
        ws = WebSocket.for_session(server, sess)
    assert ws.status == 101, (ws.status, ws.body)
    assert ws.recv()["type"] == "hello"
    return ws


def alive(ws):
    try:
        ws.send({"type": "ping"})
        return ws.recv(timeout=3.0) == {"type": "pong"}
    except (WSClosed, OSError, socket.timeout, TimeoutError):
        return False


def closed(ws):
    try:
        ws.recv(timeout=5.0)
        ws.send({"type": "ping"})
        while True:
            if ws.recv(timeout=5.0) == {"type": "pong"}:
                return False
    except (WSClosed, OSError):
        return True
    except (socket.timeout, TimeoutError):
        return False


def token_of(sess, scopes=("read",)):
    r = sess.post("/api/v1/tokens", json={"name": uniq("t"), "scopes": list(scopes)})
    assert r.status == 201, r
    return r.body


def test_sign_out_closes_only_that_sessions_stream(fresh_server):
    srv = fresh_server
    a, b = srv.agent_session(), srv.agent_session()
    a_other_tab = srv.login(a.user["email"], "agent-password-1")
    ws_a, ws_a2, ws_b = connect(srv, a), connect(srv, a_other_tab), connect(srv, b)
    assert a.post("/api/v1/auth/logout").status == 204
    assert closed(ws_a)
    # Not the same person's other session, and not anybody else's.
    assert alive(ws_a2) and alive(ws_b)


def test_revoking_a_token_closes_only_its_streams(fresh_server):
    srv = fresh_server
    admin = srv.admin
    tok = token_of(admin)
    by_token, by_session = connect(srv, token=tok["token"]), connect(srv, admin)
    other = connect(srv, srv.agent_session())
    assert admin.delete(f"/api/v1/tokens/{tok['id']}").status == 204
    assert closed(by_token)
    assert alive(by_session) and alive(other)
    assert_error(srv.bearer(tok["token"]).get("/api/v1/me"), 401, "unauthenticated")


def test_an_account_change_closes_that_persons_streams_only(fresh_server):
    srv = fresh_server
    changed, bystander = srv.agent_session(), srv.agent_session()
    ws_changed, ws_bystander = connect(srv, changed), connect(srv, bystander)
    r = srv.admin.patch(f"/api/v1/agents/{changed.user['id']}", json={"role": "light_agent"})
    assert r.status == 200, r
    assert closed(ws_changed)
    assert alive(ws_bystander)
    # One's own new name or language keeps one's own stream open.
    assert bystander.patch("/api/v1/me", json={"name": "Renamed"}).status == 200
    assert alive(ws_bystander)


def test_an_admins_password_reset_and_deactivation_revoke_tokens(fresh_server):
    srv = fresh_server
    user, _ = srv.create_agent()
    sess = srv.login(user["email"], "agent-password-1")
    tok = token_of(sess, ("read", "write"))["token"]
    assert srv.bearer(tok).get("/api/v1/me").status == 200
    r = srv.admin.patch(f"/api/v1/agents/{user['id']}", json={"password": "reset-by-admin-1"})
    assert r.status == 200, r
    assert_error(srv.bearer(tok).get("/api/v1/me"), 401, "unauthenticated")
    assert sess.get("/api/v1/tokens").status == 401  # sessions ended too

    sess = srv.login(user["email"], "reset-by-admin-1")
    tok = token_of(sess)["token"]
    assert srv.admin.patch(f"/api/v1/agents/{user['id']}", json={"active": False}).status == 200
    assert srv.admin.patch(f"/api/v1/agents/{user['id']}", json={"active": True}).status == 200
    # Reactivation lets the person sign in again, but brings no token back.
    assert_error(srv.bearer(tok).get("/api/v1/me"), 401, "unauthenticated")
    srv.login(user["email"], "reset-by-admin-1")


@pytest.mark.parametrize("revoke", [None, True, False])
def test_ones_own_password_change_revokes_tokens_unless_kept(fresh_server, revoke):
    srv = fresh_server
    user, pw = srv.create_agent()
    sess = srv.login(user["email"], pw)
    tok = token_of(sess)["token"]
    body = {"current_password": pw, "new_password": "changed-password-2"}
    if revoke is not None:
        body["revoke_tokens"] = revoke
    r = sess.post("/api/v1/me/password", json=body)
    assert r.status == 200, r
    status = srv.bearer(tok).get("/api/v1/me").status
    assert status == (200 if revoke is False else 401), (revoke, status)


def test_the_flag_is_a_boolean(fresh_server):
    sess = fresh_server.login()
    r = sess.post("/api/v1/me/password", json={"current_password": "x", "new_password": "y" * 9,
                                                 "revoke_tokens": "yes"})
    assert_error(r, 400, "invalid_argument", "revoke_tokens")
