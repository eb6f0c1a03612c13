"""Issue 16, items 1 and 3: who may hold API tokens and with which scopes. Customers hold none; the
mail scope (raw mail under any From:) is issued only to admins and by the command line, stands
alone and opens nothing else, not even the live stream; the stream wants the read scope."""

import pytest

from conftest import assert_error, check_cli_stderr
from mail_support import build_mail, messages, post_mail
from ticket_support import WebSocket, customer, new_ticket, uniq


def make_token(sess, scopes, name=None):
    return sess.post("/api/v1/tokens", json={"name": name or uniq("t"), "scopes": list(scopes)})


def test_a_customer_cannot_forge_mail_as_another_customer(server):
    victim = customer(server)
    ticket = new_ticket(victim, requester=False)
    attacker = customer(server)
    # The hole: a self-registered customer minted a mail token and posted as the victim.
    r = make_token(attacker, ["mail"])
    assert_error(r, 403, "permission_denied", "scopes")
    assert "token" not in r.body
    forged = build_mail(victim.user["email"], f"Re: [#{ticket['number']}] hello",
                        "forged: please refund me")
    for scopes in (["read", "write"], ["read"], []):
        assert_error(make_token(attacker, scopes), 403, "permission_denied")
    assert [m["body"] for m in messages(victim, ticket["number"])] == ["please help"]
    # Whatever credential the attacker holds, mail/inbound stays closed to them.
    assert_error(attacker.post("/api/v1/mail/inbound", raw_body=forged,
                               headers={"Content-Type": "message/rfc822"}),
                 403, "permission_denied")
    assert [m["body"] for m in messages(victim, ticket["number"])] == ["please help"]
    assert attacker.get("/api/v1/tokens").body["items"] == []


@pytest.mark.parametrize("role", ["agent", "supervisor", "light_agent"])
def test_only_admins_get_the_mail_scope_through_the_api(server, role):
    sess = server.agent_session(role=role)
    assert_error(make_token(sess, ["mail"]), 403, "permission_denied", "scopes")
    assert_error(make_token(sess, ["read", "mail"]), 403, "permission_denied", "scopes")
    # Agents of every role may still make read/write tokens for themselves.
    r = make_token(sess, ["read"])
    assert r.status == 201, r
    assert server.bearer(r.body["token"]).get("/api/v1/me").body["id"] == sess.user["id"]
    assert [t["scopes"] for t in sess.get("/api/v1/tokens").body["items"]] == [["read"]]


def test_a_mail_token_stands_alone_and_does_nothing_else(server, admin):
    assert_error(make_token(admin, ["mail", "read"]), 400, "invalid_argument", "scopes")
    assert_error(make_token(admin, ["mail", "write"]), 400, "invalid_argument", "scopes")
    r = make_token(admin, ["mail"])
    assert r.status == 201 and r.body["scopes"] == ["mail"], r
    mail = server.bearer(r.body["token"])
    assert_error(mail.get("/api/v1/me"), 403, "permission_denied")
    assert_error(mail.get("/api/v1/tickets"), 403, "permission_denied")
    assert_error(mail.post("/api/v1/tickets", json={"subject": "x", "body": "y",
                                                    "requester": {"email": "a@b.example"}}),
                 403, "permission_denied")
    assert_error(make_token(mail, ["read"]), 403, "permission_denied")
    ws = WebSocket(server.host, server.port,
                   headers={"Authorization": f"Bearer {r.body['token']}"})
    assert ws.status == 403 and ws.body["error"]["code"] == "permission_denied", ws.body
    # What it is for still works.
    raw = build_mail(f"{uniq('sender')}@example.net", "Printer", "It jams")
    assert post_mail(server, r.body["token"], raw).status == 201


def test_the_command_line_issues_mail_tokens_but_never_to_customers(server):
    agent, _ = server.create_agent()
    p = server.cli("token", "create", "--user", agent["email"], "--scope", "mail", "--name", "gate")
    check_cli_stderr(p)
    assert p.returncode == 0, p.stderr
    token = p.stdout.split()[-1]
    raw = build_mail(f"{uniq('sender')}@example.net", "By the gate", "hello")
    assert post_mail(server, token, raw).status == 201
    contact, _ = server.create_contact()
    p = server.cli("token", "create", "--user", contact["email"], "--scope", "read")
    assert p.returncode != 0 and "customer" in (p.stderr + p.stdout), (p.stdout, p.stderr)


def test_the_stream_wants_the_read_scope(server, admin):
    def upgrade(token):
        return WebSocket(server.host, server.port, headers={"Authorization": f"Bearer {token}"})

    write_only = make_token(admin, ["write"]).body["token"]
    ws = upgrade(write_only)
    assert ws.status == 403 and ws.body["error"]["code"] == "permission_denied", ws.body
    assert "read" in ws.body["error"]["message"]
    reader = upgrade(make_token(admin, ["read"]).body["token"])
    assert reader.status == 101
    assert reader.recv()["type"] == "hello"
    reader.close()
