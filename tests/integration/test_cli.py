"""The command line: help, version, migrate, user, token, and the first admin account."""

import re

import pytest

from conftest import (ADMIN_EMAIL, ADMIN_PASSWORD, BIN, TOKEN_RE, assert_error, check_cli_stderr,
                      run_cli, unique_email)

SUBCOMMANDS = [
    ["serve"], ["migrate"], ["user"], ["user", "create"], ["user", "list"], ["token"],
    ["token", "create"], ["version"],
]


def test_top_level_help_lists_subcommands():
    p = run_cli([BIN, "--help"])
    assert p.returncode == 0, p.stderr
    for name in ("serve", "migrate", "user", "token", "version"):
        assert re.search(rf"^\s+{name}\b", p.stdout, re.M), f"--help does not list {name}:\n{p.stdout}"


@pytest.mark.parametrize("sub", SUBCOMMANDS, ids=lambda s: " ".join(s))
def test_every_subcommand_has_help(sub):
    p = run_cli([BIN, *sub, "--help"])
    assert p.returncode == 0, p.stderr
    assert "Usage" in p.stdout or "usage" in p.stdout, p.stdout
    check_cli_stderr(p)


def test_serve_help_names_its_flags():
    p = run_cli([BIN, "serve", "--help"])
    for flag in ("--data", "--listen", "--config", "--body-limit", "--threads"):
        assert flag in p.stdout, f"serve --help lacks {flag}"


def test_version():
    p = run_cli([BIN, "version"])
    assert p.returncode == 0
    assert p.stdout.strip() == "gongdan 0.1.0"


def test_unknown_subcommand_and_flag_fail():
    assert run_cli([BIN, "no-such-command"]).returncode != 0
    assert run_cli([BIN, "serve", "--no-such-flag"], timeout=10).returncode != 0


@pytest.mark.sqlite_only
def test_migrate_creates_schema_and_is_idempotent(tmp_path):
    data = tmp_path / "data"
    first = run_cli([BIN, "migrate", "--data", str(data)])
    assert first.returncode == 0, first.stderr
    m = re.search(r"schema at version (\d+)", first.stdout)
    assert m, first.stdout
    version = int(m.group(1))
    assert version >= 1
    assert data.is_dir() and any(data.iterdir()), "migrate left no database in the data directory"
    second = run_cli([BIN, "migrate", "--data", str(data)])
    assert second.returncode == 0, second.stderr
    assert f"schema at version {version}" in second.stdout
    check_cli_stderr(first)
    check_cli_stderr(second)


def test_migrate_version_matches_readyz(fresh_server):
    r = fresh_server.get("/readyz")
    p = fresh_server.cli("migrate")
    assert p.returncode == 0, p.stderr
    assert f"schema at version {r.body['schema_version']}" in p.stdout


def _create_user(srv, role, email, password="cli-password-1", extra=()):
    return srv.cli("user", "create", "--role", role, "--email", email, *extra,
                   "--password-stdin", input=password + "\n")


def test_user_create_and_list(fresh_server):
    srv = fresh_server
    email = unique_email("cli")
    p = _create_user(srv, "agent", email, extra=("--name", "Wang Fang"))
    assert p.returncode == 0, p.stderr
    m = re.fullmatch(r"created user (\d+) (\S+)\s*", p.stdout)
    assert m, p.stdout
    uid = int(m.group(1))
    assert m.group(2).lower() == email.lower()

    listing = srv.cli("user", "list")
    assert listing.returncode == 0, listing.stderr
    rows = [line.split("\t") for line in listing.stdout.splitlines() if line.strip()]
    assert all(len(r) == 5 for r in rows), listing.stdout
    by_email = {r[2].lower(): r for r in rows}
    assert by_email[ADMIN_EMAIL][1] == "admin"
    assert by_email[ADMIN_EMAIL][4] == "active"
    row = by_email[email.lower()]
    assert row == [str(uid), "agent", row[2], "Wang Fang", "active"]

    # The new user can sign in with the password given on stdin (the newline is not part of it).
    s = srv.login(email, "cli-password-1")
    assert s.user["id"] == uid
    assert s.user["role"] == "agent"


@pytest.mark.parametrize("role", ["admin", "supervisor", "agent", "light_agent", "customer"])
def test_user_create_every_role(fresh_server, role):
    email = unique_email(role.replace("_", ""))
    p = _create_user(fresh_server, role, email)
    assert p.returncode == 0, p.stderr
    assert fresh_server.login(email, "cli-password-1").user["role"] == role


def test_user_create_locale_and_time_zone(fresh_server):
    email = unique_email("zh")
    p = _create_user(fresh_server, "agent", email,
                     extra=("--name", "李雷", "--locale", "zh-CN", "--time-zone", "Asia/Shanghai"))
    assert p.returncode == 0, p.stderr
    me = fresh_server.login(email, "cli-password-1").get("/api/v1/me").body
    assert me["locale"] == "zh-CN"
    assert me["time_zone"] == "Asia/Shanghai"
    assert me["name"] == "李雷"


def test_user_create_duplicate_email_any_case(fresh_server):
    email = unique_email("dup")
    assert _create_user(fresh_server, "agent", email).returncode == 0
    again = _create_user(fresh_server, "customer", email.upper())
    assert again.returncode == 1
    assert again.stderr.strip(), "duplicate email must be explained on stderr"
    assert "created user" not in again.stdout
    listing = fresh_server.cli("user", "list").stdout
    assert listing.lower().count(email.lower()) == 1


@pytest.mark.parametrize("extra", [
    ("--role", "wizard"),
    ("--role", "agent", "--locale", "fr"),
    ("--role", "agent", "--time-zone", "Mars/Olympus_Mons"),
])
def test_user_create_rejects_bad_values(fresh_server, extra):
    email = unique_email("bad")
    p = fresh_server.cli("user", "create", "--email", email, *extra, "--password-stdin",
                         input="cli-password-1\n")
    assert p.returncode != 0
    assert email not in fresh_server.cli("user", "list").stdout


def test_user_create_rejects_bad_email(fresh_server):
    p = _create_user(fresh_server, "agent", "not-an-email")
    assert p.returncode != 0
    assert "not-an-email" not in fresh_server.cli("user", "list").stdout


def test_token_create_default_scopes(fresh_server):
    p = fresh_server.cli("token", "create", "--user", ADMIN_EMAIL, "--name", "cli token")
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert len(lines) == 1, p.stdout
    token = lines[0].strip()
    assert TOKEN_RE.match(token), token
    bearer = fresh_server.bearer(token)
    me = bearer.get("/api/v1/me")
    assert me.status == 200 and me.body["email"] == ADMIN_EMAIL
    # Default scopes are read and write: a write goes through.
    w = bearer.post("/api/v1/tokens", json={"name": "made by cli token", "scopes": ["read"]})
    assert w.status == 201, w.body
    listed = bearer.get("/api/v1/tokens").body["items"]
    assert any(t["name"] == "cli token" and sorted(t["scopes"]) == ["read", "write"]
               for t in listed), listed


def test_token_create_read_scope_only(fresh_server):
    p = fresh_server.cli("token", "create", "--user", ADMIN_EMAIL, "--scope", "read")
    assert p.returncode == 0, p.stderr
    bearer = fresh_server.bearer(p.stdout.strip())
    assert bearer.get("/api/v1/me").status == 200
    w = bearer.post("/api/v1/tokens", json={"name": "x", "scopes": ["read"]})
    assert_error(w, 403, "permission_denied")


def test_token_create_user_email_case_insensitive(fresh_server):
    p = fresh_server.cli("token", "create", "--user", ADMIN_EMAIL.upper())
    assert p.returncode == 0, p.stderr
    assert fresh_server.bearer(p.stdout.strip()).get("/api/v1/me").status == 200


def test_token_create_unknown_user_fails(fresh_server):
    p = fresh_server.cli("token", "create", "--user", "nobody@example.com")
    assert p.returncode != 0
    assert not TOKEN_RE.match(p.stdout.strip())


def test_tokens_differ(fresh_server):
    tokens = {fresh_server.cli("token", "create", "--user", ADMIN_EMAIL).stdout.strip()
              for _ in range(3)}
    assert len(tokens) == 3


def test_cli_works_while_serve_runs(fresh_server):
    srv = fresh_server
    email = unique_email("live")
    p = _create_user(srv, "supervisor", email)
    assert p.returncode == 0, p.stderr
    # The running server sees the user at once, and can still write.
    s = srv.login(email, "cli-password-1")
    assert s.user["role"] == "supervisor"
    user, _ = srv.create_agent()
    assert str(user["id"]) in srv.cli("user", "list").stdout
    m = srv.cli("migrate")
    assert m.returncode == 0, m.stderr
    assert srv.healthy()


def test_first_admin_from_env_printed_once(start_server):
    srv = start_server()
    out = srv.stdout_text()
    assert "admin account: admin@localhost (password from GONGDAN_ADMIN_PASSWORD)" in out
    assert ADMIN_PASSWORD not in out, "the password from the environment must not be echoed"
    srv.login(ADMIN_EMAIL, ADMIN_PASSWORD)
    srv.restart()
    assert "admin account" not in srv.stdout_text()
    srv.login(ADMIN_EMAIL, ADMIN_PASSWORD)


def test_first_admin_random_password(start_server):
    srv = start_server(env={"GONGDAN_ADMIN_PASSWORD": None})
    m = re.search(r"^admin account: admin@localhost password: (\S+)\s*$", srv.stdout_text(), re.M)
    assert m, srv.stdout_text()
    password = m.group(1)
    assert len(password) >= 12
    s = srv.login(ADMIN_EMAIL, password)
    assert s.user["role"] == "admin"
    assert srv.login_raw(ADMIN_EMAIL, ADMIN_PASSWORD).status == 401
    srv.restart()
    assert "admin account" not in srv.stdout_text()
    assert password not in srv.stdout_text()
    srv.login(ADMIN_EMAIL, password)


def test_random_admin_passwords_differ(start_server):
    pws = []
    for _ in range(2):
        srv = start_server(env={"GONGDAN_ADMIN_PASSWORD": None})
        m = re.search(r"admin account: admin@localhost password: (\S+)", srv.stdout_text())
        assert m
        pws.append(m.group(1))
    assert pws[0] != pws[1]


def test_no_admin_created_when_accounts_exist(tmp_path, start_server):
    data = tmp_path / "data"
    email = unique_email("first")
    p = run_cli([BIN, "user", "create", "--role", "admin", "--email", email, "--data", str(data),
                 "--password-stdin"], input="first-admin-pw\n")
    assert p.returncode == 0, p.stderr
    srv = start_server(data_dir=data)
    assert "admin account" not in srv.stdout_text()
    assert srv.login_raw(ADMIN_EMAIL, ADMIN_PASSWORD).status == 401
    srv.login(email, "first-admin-pw")
