"""Issue 21: attachments kept in the database (attachment_storage = "database"), so nodes on one
PostgreSQL need no shared directory. Runs on both databases: files stay encrypted in their rows,
`gongdan migrate-attachments` moves them from the data directory into the database and back,
two nodes with different data directories serve each other's attachments (PostgreSQL run), and
backup and restore carry them."""

import os
import sqlite3
from urllib.parse import quote

import pytest

from conftest import POSTGRES, Server, database_for
from ticket_support import new_ticket

IN_DATABASE = {"GONGDAN_ATTACHMENT_STORAGE": "database"}


def upload(sess, data, filename):
    r = sess.request("POST", f"/api/v1/attachments?filename={quote(filename)}", raw_body=data,
                     headers={"Content-Type": "application/octet-stream"})
    assert r.status == 201, r
    return r.body["items"][0]["id"]


def blob_files(data_dir):
    root = data_dir / "attachments"
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def some_bytes(n, seed):
    return (seed.encode() * (n // len(seed) + 1))[:n]


def test_attachments_live_in_the_database(start_server):
    srv = start_server(env=IN_DATABASE)
    admin = srv.admin
    # One byte, small, exactly a chunk's size (its cipher header makes it two), and 2.5 chunks,
    # with a ticket naming each.
    files = {"one.bin": b"x",
             "small.txt": b"hello from the database",
             "chunk.bin": os.urandom(1024 * 1024),
             "large.bin": os.urandom(2 * 1024 * 1024 + 512 * 1024)}
    ids = {}
    for name, data in files.items():
        ids[name] = upload(admin, data, name)
        new_ticket(admin, attachments=[ids[name]])
    for name, data in files.items():
        got = admin.get(f"/api/v1/attachments/{ids[name]}")
        assert got.status == 200 and got.raw == data, name
    assert blob_files(srv.data_dir) == []  # nothing in the data directory
    # The same bytes uploaded again are stored once.
    again = upload(admin, files["small.txt"], "again.txt")
    assert admin.get(f"/api/v1/attachments/{again}").raw == files["small.txt"]
    assert srv.healthy()


@pytest.mark.sqlite_only
def test_rows_hold_encrypted_chunks(start_server):
    srv = start_server(env=IN_DATABASE)
    plain = b"a secret contract " * 100_000  # 1.8 MB: two chunks
    upload(srv.admin, plain, "contract.txt")
    srv.stop_and_check()
    with sqlite3.connect(srv.data_dir / "gongdan.db") as db:
        heads = db.execute("SELECT sha256, size, chunks FROM attachment_blob_heads").fetchall()
        chunks = db.execute("SELECT sha256, chunk, bytes FROM attachment_blob_chunks "
                            "ORDER BY chunk").fetchall()
    assert len(heads) == 1 and heads[0][2] == 2 and len(chunks) == 2
    stored = b"".join(c[2] for c in chunks)
    assert len(stored) == heads[0][1] and len(stored) > len(plain)  # the cipher's header and tag
    assert b"a secret contract" not in stored


def test_migrate_attachments_into_the_database_and_back(start_server):
    srv = start_server()
    admin = srv.admin
    blobs = {f"f{i}.bin": some_bytes(1000 + 700_000 * i, f"blob {i} ") for i in range(4)}
    ids = {name: upload(admin, data, name) for name, data in blobs.items()}
    for i in ids.values():
        new_ticket(admin, attachments=[i])
    assert len(blob_files(srv.data_dir)) == 4
    srv.stop_and_check()

    # Into the database: copied, read back, and (asked to) removed from the directory.
    proc = srv.cli("migrate-attachments", "--to", "database", "--remove-source")
    assert proc.returncode == 0, proc.stderr
    assert "4 copied and read back, 0 already there" in proc.stdout, proc.stdout
    assert "4 removed from the data directory" in proc.stdout
    assert blob_files(srv.data_dir) == []
    # Run again: nothing left to do.
    proc = srv.cli("migrate-attachments", "--to", "database")
    assert proc.returncode == 0 and "0 copied and read back, 0 already there" in proc.stdout

    srv.env.update(IN_DATABASE)
    srv.start()
    for name, data in blobs.items():
        assert srv.admin.get(f"/api/v1/attachments/{ids[name]}").raw == data, name
    extra = some_bytes(5000, "arrived in the database ")
    extra_id = upload(srv.admin, extra, "extra.bin")
    srv.stop_and_check()

    # And back to files, the one uploaded meanwhile too; the rows stay (no --remove-source).
    proc = srv.cli("migrate-attachments", "--to", "files")
    assert proc.returncode == 0, proc.stderr
    assert "5 copied and read back, 0 already there" in proc.stdout, proc.stdout
    assert len(blob_files(srv.data_dir)) == 5
    srv.env.pop("GONGDAN_ATTACHMENT_STORAGE")
    srv.start()
    for name, data in blobs.items():
        assert srv.admin.get(f"/api/v1/attachments/{ids[name]}").raw == data, name
    assert srv.admin.get(f"/api/v1/attachments/{extra_id}").raw == extra


def test_bad_storage_setting_and_flags(start_server, tmp_path):
    srv = start_server(start=False, env={"GONGDAN_ATTACHMENT_STORAGE": "s3"})
    proc = srv.cli("migrate-attachments", "--to", "database",
                   env={"GONGDAN_ATTACHMENT_STORAGE": "s3"})
    assert proc.returncode != 0
    assert 'attachment_storage must be "files" or "database", not "s3"' in proc.stderr
    proc = srv.cli("migrate-attachments", "--to", "cloud")
    assert proc.returncode != 0 and "--to must be database or files" in proc.stderr
    proc = srv.cli("doctor", env={"GONGDAN_ATTACHMENT_STORAGE": "s3"})
    assert 'attachment_storage must be "files" or "database"' in proc.stdout


@pytest.mark.skipif(not POSTGRES, reason="needs the PostgreSQL run of the suite")
def test_two_nodes_without_a_shared_directory(start_server, tmp_path):
    """Two nodes on one PostgreSQL database, each with a data directory of its own (and the
    same key file): an attachment uploaded through one downloads through the other."""
    dir_a, dir_b = tmp_path / "node-a", tmp_path / "node-b"
    url = database_for(dir_a)
    a = start_server(data_dir=dir_a, env={**IN_DATABASE, "GONGDAN_DATABASE": url})
    key = dir_a / "mail.key"
    assert key.exists()
    b = start_server(data_dir=dir_b, env={**IN_DATABASE, "GONGDAN_DATABASE": url,
                                          "GONGDAN_KEY_FILE": str(key)})
    first = os.urandom(1_500_000)
    second = b"written through node B"
    first_id = upload(a.admin, first, "from-a.bin")
    second_id = upload(b.admin, second, "from-b.txt")
    new_ticket(a.admin, attachments=[first_id])
    new_ticket(b.admin, attachments=[second_id])
    assert b.admin.get(f"/api/v1/attachments/{first_id}").raw == first
    assert a.admin.get(f"/api/v1/attachments/{second_id}").raw == second
    assert blob_files(dir_a) == [] and blob_files(dir_b) == []


def test_backup_and_restore_carry_database_attachments(start_server, tmp_path):
    srv = start_server(env=IN_DATABASE)
    data = os.urandom(1_200_000)
    att = upload(srv.admin, data, "kept.bin")
    number = new_ticket(srv.admin, attachments=[att])["number"]
    archive = tmp_path / "site.tar"
    proc = srv.cli("backup", str(archive), env=IN_DATABASE)
    assert proc.returncode == 0, proc.stderr

    restored = Server(tmp_path / "restored", env=IN_DATABASE)
    proc = restored.cli("restore", str(archive), env=IN_DATABASE)
    assert proc.returncode == 0, proc.stderr
    restored.start()
    try:
        messages = restored.admin.get(f"/api/v1/tickets/{number}/messages").body["items"]
        got = restored.admin.get(f"/api/v1/attachments/{messages[0]['attachments'][0]['id']}")
        assert got.status == 200 and got.raw == data
    finally:
        restored.stop_and_check()
