"""Upgrades that cannot go wrong silently (issue 23): a binary refuses a database whose schema is
newer than it knows, naming both versions, and changes nothing; the commands that only read
(`user list`, `version`, `doctor`) never create or migrate a database; `migrate --dry-run` lists
what `migrate` would apply and applies nothing. Run on SQLite and PostgreSQL alike."""

import re
import sqlite3
import subprocess

from conftest import BIN, POSTGRES, database_for, run_cli


def sql(data, statement):
    """Runs one statement on the database of a data directory; returns the first column's rows."""
    url = database_for(data)
    if url:
        out = subprocess.run(["psql", "-XAtq", "-v", "ON_ERROR_STOP=1", url, "-c", statement],
                             capture_output=True, text=True, check=True)
        return [line for line in out.stdout.splitlines() if line]
    with sqlite3.connect(data / "gongdan.db") as db:
        return [str(row[0]) for row in db.execute(statement).fetchall()]


def migrated(tmp_path):
    data = tmp_path / "data"
    p = run_cli([BIN, "migrate", "--data", str(data)])
    assert p.returncode == 0, p.stderr
    return data, int(re.search(r"schema at version (\d+)", p.stdout).group(1))


def versions(data):
    return [int(v) for v in sql(data, "SELECT version FROM schema_migrations ORDER BY version")]


def test_a_newer_schema_is_refused_by_every_command_and_left_alone(tmp_path, start_server):
    data, latest = migrated(tmp_path)
    newer = latest + 3
    sql(data, f"INSERT INTO schema_migrations VALUES ({newer}, 'from a newer release', 0)")
    for args in (["migrate"], ["migrate", "--dry-run"], ["user", "list"],
                 ["user", "create", "--role", "agent", "--email", "late@example.com"],
                 ["serve", "--listen", "127.0.0.1:0"]):
        p = run_cli([BIN, *args, "--data", str(data)], timeout=30)
        assert p.returncode != 0, f"{args} ran on a newer schema: {p.stdout}"
        message = p.stderr
        assert f"version {newer}" in message and f"version {latest}" in message, (args, message)
        assert "newer" in message, message
    assert versions(data)[-1] == newer
    assert "late@example.com" not in sql(data, "SELECT email FROM users")


def test_read_only_commands_never_create_a_database(tmp_path):
    data = tmp_path / "nothing"
    for args in (["user", "list"], ["migrate", "--dry-run"]):
        p = run_cli([BIN, *args, "--data", str(data)])
        if not POSTGRES:
            assert not data.exists(), f"{args} created {data}"
        if args[0] == "user":
            assert p.returncode != 0
            assert "gongdan migrate" in p.stderr, p.stderr
        else:
            assert p.returncode == 0, p.stderr
            assert "would apply" in p.stdout, p.stdout
    p = run_cli([BIN, "version"])
    assert p.returncode == 0 and not data.exists()
    if POSTGRES:  # the database exists (made by the harness) but holds no table of ours
        assert sql(data, "SELECT to_regclass('schema_migrations')") in ([], [""])


def test_an_older_schema_is_not_migrated_by_user_list_and_dry_run_names_what_would_run(tmp_path):
    data, latest = migrated(tmp_path)
    last_name = sql(data, f"SELECT name FROM schema_migrations WHERE version = {latest}")[0]
    # As if the last release's binary had stopped one migration short.
    sql(data, f"DELETE FROM schema_migrations WHERE version = {latest}")
    previous = versions(data)[-1]  # the numbers may have gaps: tracks number in parallel
    p = run_cli([BIN, "user", "list", "--data", str(data)])
    assert p.returncode != 0
    assert f"version {previous}" in p.stderr and f"version {latest}" in p.stderr, p.stderr
    assert "gongdan migrate" in p.stderr and "older" in p.stderr, p.stderr
    p = run_cli([BIN, "migrate", "--dry-run", "--data", str(data)])
    assert p.returncode == 0, p.stderr
    assert f"schema at version {previous}, this gongdan's is {latest}" in p.stdout, p.stdout
    assert re.search(rf"^\s+{latest} {re.escape(last_name)}$", p.stdout, re.M), p.stdout
    assert "would apply 1 migration" in p.stdout
    assert versions(data)[-1] == previous, "a read-only command migrated"


def test_dry_run_on_a_current_schema_has_nothing_to_apply(tmp_path):
    data, latest = migrated(tmp_path)
    p = run_cli([BIN, "migrate", "--dry-run", "--data", str(data)])
    assert p.returncode == 0, p.stderr
    assert f"schema at version {latest}, this gongdan's is {latest}" in p.stdout
    assert "nothing to apply" in p.stdout
    p = run_cli([BIN, "user", "list", "--data", str(data)])
    assert p.returncode == 0, p.stderr
