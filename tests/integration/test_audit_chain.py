"""Issue 21: the audit log is a hash chain. `gongdan audit verify` (and GET /api/v1/audit/verify)
find a row edited or removed directly in the database, naming it, on SQLite and PostgreSQL; the
log exports as CSV and JSON with filters."""

import csv
import io
import sqlite3
import subprocess

import pytest

from conftest import ADMIN_EMAIL, assert_error, database_for


def run_sql(srv, statement):
    url = database_for(srv.data_dir)
    if url:
        subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", statement], check=True,
                       capture_output=True)
    else:
        with sqlite3.connect(srv.data_dir / "gongdan.db") as db:
            db.execute(statement)


def verify(srv):
    proc = srv.cli("audit", "verify")
    return proc.returncode, proc.stdout + proc.stderr


def audited_server(start_server):
    srv = start_server()
    admin = srv.admin
    for _ in range(4):
        srv.create_agent(session=admin)
    ids = sorted(e["id"] for e in admin.get("/api/v1/audit?limit=200").body["items"])
    assert len(ids) >= 5
    srv.stop()
    return srv, ids


def test_an_untouched_log_verifies(start_server):
    srv, ids = audited_server(start_server)
    rc, out = verify(srv)
    assert rc == 0, out
    assert "audit log intact" in out and f"newest row {ids[-1]}" in out


def test_an_edited_row_is_found_and_named(start_server):
    srv, ids = audited_server(start_server)
    row = ids[2]
    run_sql(srv, f"UPDATE audit_log SET target = 'user:999' WHERE id = {row}")
    rc, out = verify(srv)
    assert rc == 1, out
    assert f"audit row {row} does not match the chain" in out
    # Only that row: the rows after it still follow it.
    assert out.count("TAMPERED") == 1, out
    # The API says the same, to an admin only.
    srv.start()
    r = srv.admin.get("/api/v1/audit/verify")
    assert r.status == 200, r
    assert r.body["intact"] is False and r.body["first_bad_row"] == row
    assert_error(srv.agent_session().get("/api/v1/audit/verify"), 403, "permission_denied")


def test_a_removed_row_is_found(start_server):
    srv, ids = audited_server(start_server)
    row = ids[2]
    run_sql(srv, f"DELETE FROM audit_log WHERE id = {row}")
    rc, out = verify(srv)
    assert rc == 1, out
    assert f"audit row {ids[3]} does not match the chain" in out
    assert f"rows {row} to {row} before it were removed" in out


def test_rows_removed_from_the_end_are_found(start_server):
    srv, ids = audited_server(start_server)
    run_sql(srv, f"DELETE FROM audit_log WHERE id >= {ids[-2]}")
    rc, out = verify(srv)
    assert rc == 1, out
    assert f"names row {ids[-1]} as the newest, but the newest row is {ids[-3]}" in out


def test_a_forged_head_is_found(start_server):
    srv, ids = audited_server(start_server)
    run_sql(srv, f"DELETE FROM audit_log WHERE id = {ids[-1]}")
    run_sql(srv, f"UPDATE audit_head SET last_id = {ids[-2]}, "
                 f"hash = (SELECT hash FROM audit_log WHERE id = {ids[-2]})")
    rc, out = verify(srv)
    assert rc == 1, out
    assert "the chain's head (audit_head) was changed" in out


def test_export_as_csv_and_json_with_filters(start_server):
    srv = start_server()
    admin = srv.admin
    agent, _ = srv.create_agent(session=admin, name="=HYPERLINK(\"http://x\")")
    srv.login_raw(ADMIN_EMAIL, "wrong-password")
    r = admin.get("/api/v1/audit/export.json?action=auth.")
    assert r.status == 200, r
    assert "attachment" in r.headers["Content-Disposition"]
    actions = {e["action"] for e in r.body["items"]}
    assert actions and all(a.startswith("auth.") for a in actions), actions
    assert "auth.login_failed" in actions
    r = admin.get(f"/api/v1/audit/export.json?action=user.create&target=user:{agent['id']}")
    assert [e["target"] for e in r.body["items"]] == [f"user:{agent['id']}"]
    assert r.body["items"][0]["hash"]
    r = admin.get("/api/v1/audit/export.csv")
    assert r.status == 200, r
    assert r.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.body)))
    assert {"id", "at", "actor_id", "action", "target", "ip", "detail", "hash"} <= set(rows[0])
    assert any(row["action"] == "auth.login_failed" for row in rows)
    r = admin.get(f"/api/v1/audit?actor={admin.user['id']}&limit=200")
    assert r.body["items"] and all(e["actor_id"] == admin.user["id"] for e in r.body["items"])
    r = admin.get("/api/v1/audit?from=2000-01-01&until=2000-01-02")
    assert r.status == 200 and r.body["items"] == []


@pytest.mark.parametrize("query,field", [("actor=abc", "actor"), ("actor=-1", "actor"),
                                         ("from=yesterday", "from"), ("until=2026-13-01", "until"),
                                         ("from=2026-02-01&until=2026-01-01", "until"),
                                         ("action=" + "a" * 101, "action")])
def test_bad_filters_are_a_clear_400(admin, query, field):
    for path in ("/api/v1/audit", "/api/v1/audit/export.json", "/api/v1/audit/export.csv"):
        assert_error(admin.get(f"{path}?{query}"), 400, "invalid_argument", field)


def test_only_admins_export(server):
    agent = server.agent_session("supervisor")
    assert_error(agent.get("/api/v1/audit/export.csv"), 403, "permission_denied")
    assert_error(agent.get("/api/v1/audit/export.json"), 403, "permission_denied")
