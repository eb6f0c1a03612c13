"""Read replicas (issue 7): `--database-replica` points a node at a real PostgreSQL streaming
replica (pg_basebackup -R beside the test cluster). Safe reads go to the replica; whoever just
wrote reads their own write from the primary until the replica has replayed past it; a stopped
replica breaks no read. Runs only in the PostgreSQL run of the suite."""
import re

import pytest

from conftest import POSTGRES
from ticket_support import list_all, new_ticket
from waiting import wait_until

needs_postgres = pytest.mark.skipif(not POSTGRES, reason="needs the PostgreSQL run of the suite")


@pytest.fixture
def primary():
    from pg_replica import Primary
    p = Primary()
    yield p
    p.close()


@pytest.fixture
def replica(primary):
    from pg_replica import Replica
    r = Replica(primary.url)
    yield r
    r.close()


def replica_reads(srv):
    r = srv.get("/metrics")
    assert r.status == 200, r
    text = r.body if isinstance(r.body, str) else r.raw.decode()
    m = re.search(r"^gongdan_db_replica_reads (\S+)$", text, re.M)
    assert m, text[:2000]
    return float(m.group(1))


def eventually(check, timeout=20.0, what="the condition"):
    """Polls until the replica has replayed what `check` looks for."""
    wait_until(check, timeout, step=0.1, what=what)


def on_replica(srv, read):
    """True when `read()` holds and the replica answered it. A replica read that fails (a recovery
    conflict as replay resumes, say) sets the replica aside for a few seconds and the primary
    answers instead, which would satisfy `read()` without the replica having caught up."""
    before = replica_reads(srv)
    return read() and replica_reads(srv) > before


@needs_postgres
def test_reads_go_to_the_replica_and_writers_read_their_own_writes(start_server, tmp_path,
                                                                     primary, replica):
    data = tmp_path / "data"
    primary_url = primary.create_database("replicated")
    replica.wait_for_database(primary_url)
    srv = start_server(data_dir=data, env={"GONGDAN_DATABASE": primary_url},
                       args=["--database-replica", replica.url_for(primary_url)])
    writer = srv.admin
    user, password = srv.create_agent(role="admin")
    reader = srv.login(user["email"], password)
    first = new_ticket(writer, subject="before the pause")["number"]
    eventually(lambda: first in list_all(reader), what="the replica to replay the first ticket")

    # Reads are served by the replica: its counter moves with the reader's lists.
    before = replica_reads(srv)
    for _ in range(5):
        assert first in list_all(reader)
    assert replica_reads(srv) >= before + 5

    # With replay paused the replica falls behind. The writer still reads its own new ticket at
    # once (the primary answers, as the replica has not replayed the commit), while the other
    # agent's list, served by the stale replica, does not show it yet.
    replica.sql(primary_url, "SELECT pg_wal_replay_pause()")
    try:
        number = new_ticket(writer, subject="written while the replica lags")["number"]
        r = writer.get(f"/api/v1/tickets/{number}")
        assert r.status == 200 and r.body["subject"] == "written while the replica lags", r
        assert number in list_all(writer)
        assert number not in list_all(reader), "the reader's list did not come from the replica"
    finally:
        replica.sql(primary_url, "SELECT pg_wal_replay_resume()")
    eventually(lambda: on_replica(srv, lambda: number in list_all(reader)),
               what="the replica to catch up")
    # Caught up: the writer's reads go back to the replica.
    def writer_reads_it():
        return writer.get(f"/api/v1/tickets/{number}").status == 200
    eventually(lambda: on_replica(srv, writer_reads_it),
               what="the writer's reads to go back to the replica")

    # A stopped replica: reads fall back to the primary, nothing fails.
    replica.stop(mode="immediate")
    for _ in range(3):
        numbers = list_all(reader)
        assert first in numbers and number in numbers
    assert writer.get(f"/api/v1/tickets/{number}").status == 200
    later = new_ticket(writer, subject="after the replica stopped")["number"]
    assert later in list_all(reader) and later in list_all(writer)
    r = reader.get("/api/v1/search?q=" + "stopped")
    assert r.status == 200, r


def test_replica_urls_are_checked(tmp_path):
    from conftest import run_cli, BIN
    r = run_cli([BIN, "serve", "--data", str(tmp_path / "d"), "--listen", "127.0.0.1:0",
                 "--database-replica", "mysql://nope"], timeout=30)
    assert r.returncode != 0
    assert "database_replicas must be postgres:// URLs" in (r.stdout + r.stderr)


def test_replicas_need_a_postgres_primary(tmp_path):
    from conftest import run_cli, BIN
    r = run_cli([BIN, "serve", "--data", str(tmp_path / "d"), "--listen", "127.0.0.1:0",
                 "--database-replica", "postgres://127.0.0.1:1/x"],
                env={"GONGDAN_DATABASE": ""}, timeout=30)
    assert r.returncode != 0
    assert "need a PostgreSQL primary" in (r.stdout + r.stderr)
