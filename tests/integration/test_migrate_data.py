"""gongdan migrate-data: an install moves from SQLite to PostgreSQL with nothing lost (issue 7).
Runs in the PostgreSQL run of the suite (GONGDAN_TEST_POSTGRES)."""
import subprocess

import pytest

from conftest import ADMIN_EMAIL, POSTGRES, run_cli, BIN
from ticket_support import new_ticket, reply, search_numbers, view_counts

pytestmark = pytest.mark.skipif(not POSTGRES, reason="needs the PostgreSQL run of the suite")


def fresh_database(name):
    subprocess.run(["psql", "-q", f"{POSTGRES}/postgres", "-c", f"CREATE DATABASE {name}"],
                   check=True, capture_output=True)
    return f"{POSTGRES}/{name}"


@pytest.mark.sqlite_only
def test_an_install_moves_to_postgres_and_keeps_working(start_server, tmp_path):
    data = tmp_path / "data"
    old = start_server(data_dir=data)  # sqlite_only: this one is on SQLite
    admin = old.admin
    t1 = new_ticket(admin, subject="办公室的打印机无法连接", body="打印机 printer offline")
    t2 = new_ticket(admin, subject="VPN drops every hour", tags=["vpn", "network"])
    reply(admin, t2["number"], body="tried reconnecting the tunnel")
    reply(admin, t2["number"], body="internal: check the firewall", internal=True)
    agent, agent_password = old.create_agent()
    counts_before = view_counts(admin)
    old.stop_and_check()

    url = fresh_database(f"moved{abs(hash(str(tmp_path))) % 10**8}")
    done = run_cli([BIN, "migrate-data", "--from", f"sqlite:{data}", "--to", url])
    assert done.returncode == 0, done.stdout + done.stderr
    assert "all tables match" in done.stdout
    assert "MISMATCH" not in done.stdout
    # A second run refuses: the target is no longer empty.
    again = run_cli([BIN, "migrate-data", "--from", f"sqlite:{data}", "--to", url])
    assert again.returncode != 0 and "already holds" in again.stderr

    moved = start_server(data_dir=data, env={"GONGDAN_DATABASE": url})
    admin = moved.login(ADMIN_EMAIL)
    assert moved.login(agent["email"], agent_password).user["id"] == agent["id"]
    got = admin.get(f"/api/v1/tickets/{t2['number']}").body
    assert got["subject"] == "VPN drops every hour" and sorted(got["tags"]) == ["network", "vpn"]
    messages = admin.get(f"/api/v1/tickets/{t2['number']}/messages").body["items"]
    assert [m["internal"] for m in messages] == [False, False, True]
    history = admin.get(f"/api/v1/tickets/{t2['number']}/history").body["items"]
    assert history, "history moved too"
    # Search works on the rebuilt index, Chinese included.
    assert search_numbers(admin, "打印机") == [t1["number"]]
    assert t2["number"] in search_numbers(admin, "reconnecting")
    assert view_counts(admin) == counts_before
    # Numbers and ids continue after the copied ones.
    t3 = new_ticket(admin, subject="first on postgres")
    assert t3["number"] == t2["number"] + 1
