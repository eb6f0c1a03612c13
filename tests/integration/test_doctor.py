"""`gongdan doctor` on a healthy install and on broken ones: configuration, database and schema,
disk, the data directory, the web app, the clock, and every mailbox's servers (a real Dovecot for
IMAP, the local SMTP receiver for SMTP). Exit status: 0 all well, 1 warnings, 2 errors."""

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from conftest import BIN, POSTGRES, database_for, free_port, run_cli
from mail_servers import Dovecot

SINK = Path(__file__).with_name("smtp_sink.py")


@pytest.fixture
def dovecot():
    directory = tempfile.mkdtemp(prefix="gongdan-dovecot-")  # not 0700: Dovecot's auth reads it
    server = Dovecot(directory, {"desk": "desk-pass"})
    try:
        yield server.start()
    finally:
        server.stop()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def smtp(tmp_path):
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(SINK), str(port), str(tmp_path / "sink")],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout.readline().strip() == b"ready"
    yield port
    proc.terminate()
    proc.wait(10)


@pytest.fixture
def web_root(tmp_path):
    root = tmp_path / "web"
    root.mkdir()
    (root / "index.html").write_text("<!doctype html><title>gongdan</title>")
    return root


def doctor(srv, web_root, *args, env=None):
    """Runs doctor on a server's data directory, with public_url set (its absence warns)."""
    extra = {"GONGDAN_PUBLIC_URL": "https://desk.example.com", "GONGDAN_WEB_ROOT": str(web_root)}
    extra.update(env or {})
    p = srv.cli("doctor", *args, env=extra)
    assert "Traceback" not in p.stderr
    return p


def findings(p):
    """(severity, subject, message) of each finding printed."""
    out = []
    for line in p.stdout.splitlines():
        for severity in ("ok", "WARNING", "ERROR"):
            if line.startswith(severity + " "):
                subject, _, message = line[len(severity):].strip().partition(": ")
                out.append((severity, subject, message))
    return out


def mailbox(admin, **fields):
    r = admin.post("/api/v1/mailboxes", json={"poll_seconds": 3600, "active": True, **fields})
    assert r.status == 201, r
    return r.body


def test_a_healthy_install_is_all_ok(start_server, dovecot, smtp, web_root, tmp_path):
    # The keys kept apart from the data directory, as docs/encryption.md advises (inside it,
    # doctor warns).
    keys = {"GONGDAN_KEY_FILE": str(tmp_path / "gongdan.keys")}
    fresh_server = start_server(env=keys)
    admin = fresh_server.admin
    mailbox(admin, address="desk@desk.example", imap_host="127.0.0.1", imap_port=dovecot.port,
            imap_tls="none", imap_user="desk", imap_password="desk-pass",
            smtp_host="127.0.0.1", smtp_port=smtp, smtp_tls="none")
    p = doctor(fresh_server, web_root, env=keys)
    assert p.returncode == 0, p.stdout + p.stderr
    seen = findings(p)
    assert all(s == "ok" for s, _, _ in seen), p.stdout
    subjects = " ".join(subject for _, subject, _ in seen)
    for part in ("configuration", "database", "disk", "attachments", "web app", "clock", "keys",
                 "mailbox desk@desk.example"):
        assert part in subjects, p.stdout
    assert "schema version" in p.stdout and "(current)" in p.stdout
    assert "IMAP login as desk and folder INBOX fine" in p.stdout
    assert "SMTP greeting fine" in p.stdout
    if POSTGRES:
        assert "the database server's" in p.stdout


def test_broken_mailboxes_say_where_they_broke(fresh_server, dovecot, web_root):
    admin = fresh_server.admin
    closed = free_port()
    mailbox(admin, address="wrong@desk.example", imap_host="127.0.0.1", imap_port=dovecot.port,
            imap_tls="none", imap_user="desk", imap_password="not-the-password")
    mailbox(admin, address="nohost@desk.example", imap_host="no-such-host.invalid",
            imap_port=993, imap_user="x", imap_password="y")
    mailbox(admin, address="closed@desk.example", imap_host="127.0.0.1", imap_port=closed,
            imap_tls="none", imap_user="x", imap_password="y")
    mailbox(admin, address="tls@desk.example", imap_host="127.0.0.1", imap_port=dovecot.port,
            imap_tls="tls", imap_user="desk", imap_password="desk-pass")
    mailbox(admin, address="smtp@desk.example", smtp_host="127.0.0.1", smtp_port=closed,
            smtp_tls="none")
    p = doctor(fresh_server, web_root)
    assert p.returncode == 2, p.stdout
    errors = {subject.split(" ")[1]: message for s, subject, message in findings(p) if s == "ERROR"}
    assert "IMAP login" in errors["wrong@desk.example"], p.stdout
    assert "DNS: cannot resolve no-such-host.invalid" in errors["nohost@desk.example"], p.stdout
    assert "TCP: cannot connect" in errors["closed@desk.example"], p.stdout
    assert "TLS:" in errors["tls@desk.example"], p.stdout
    assert f"SMTP 127.0.0.1:{closed}: TCP" in errors["smtp@desk.example"], p.stdout
    assert p.stdout.count("fix: ") >= 5


def test_missing_web_app_and_open_data_directory(fresh_server, tmp_path):
    os.chmod(fresh_server.data_dir, 0o755)
    try:
        p = doctor(fresh_server, tmp_path / "no-web")
    finally:
        os.chmod(fresh_server.data_dir, 0o700)
    assert p.returncode == 2, p.stdout
    seen = findings(p)
    assert ("ERROR", "web app", f"{tmp_path / 'no-web'} holds no index.html") in seen, p.stdout
    assert any(s == "WARNING" and subject == "data directory" and "mode 0755" in message
               for s, subject, message in seen), p.stdout


def test_warnings_alone_exit_1(fresh_server, web_root):
    p = doctor(fresh_server, web_root, env={"GONGDAN_PUBLIC_URL": None})
    assert p.returncode == 1, p.stdout
    assert "WARNING  configuration: public_url is not set" in p.stdout


def test_bad_configuration_and_missing_database(tmp_path, web_root):
    conf = tmp_path / "bad.toml"
    conf.write_text("no_such_key = 1\n")
    p = run_cli([BIN, "doctor", "--config", str(conf)])
    assert p.returncode == 2
    assert "ERROR    configuration: unknown config key 'no_such_key'" in p.stdout, p.stdout
    data = tmp_path / "never"
    data.mkdir(mode=0o700)
    p = run_cli([BIN, "doctor", "--data", str(data), "--web-root", str(web_root)])
    assert p.returncode == (1 if POSTGRES else 2), p.stdout
    if not POSTGRES:
        assert f"ERROR    database: no database at {data / 'gongdan.db'}" in p.stdout, p.stdout
        assert list(data.iterdir()) == [], "doctor created a database"
    else:  # an empty database: no schema yet, and doctor does not make one
        assert "WARNING  database" in p.stdout and "pending" in p.stdout, p.stdout


def test_a_newer_schema_is_an_error_and_an_older_one_is_not_migrated(fresh_server, web_root):
    srv = fresh_server
    url = database_for(srv.data_dir)

    def sql(statement):
        if url:
            return subprocess.run(["psql", "-XAtq", "-v", "ON_ERROR_STOP=1", url, "-c", statement],
                                  capture_output=True, text=True, check=True).stdout.split()
        with sqlite3.connect(srv.data_dir / "gongdan.db") as db:
            return [str(r[0]) for r in db.execute(statement).fetchall()]

    latest = int(sql("SELECT MAX(version) FROM schema_migrations")[0])
    srv.stop_and_check()
    sql(f"INSERT INTO schema_migrations VALUES ({latest + 1}, 'newer', 0)")
    p = doctor(srv, web_root)
    assert p.returncode == 2, p.stdout
    assert f"schema version {latest + 1}, this gongdan's {latest}" in p.stdout, p.stdout
    sql(f"DELETE FROM schema_migrations WHERE version >= {latest}")
    # The numbers may have gaps (tracks number their migrations in parallel).
    previous = int(sql("SELECT MAX(version) FROM schema_migrations")[0])
    p = doctor(srv, web_root)
    assert p.returncode == 1, p.stdout
    assert "1 migration(s) pending" in p.stdout, p.stdout
    assert int(sql("SELECT MAX(version) FROM schema_migrations")[0]) == previous


@pytest.mark.skipif(not POSTGRES or not shutil.which("faketime"),
                    reason="the clock check compares with PostgreSQL; libfaketime shifts ours")
def test_clock_skew_against_postgresql(fresh_server, web_root):
    env = {"GONGDAN_PUBLIC_URL": "https://desk.example.com", "GONGDAN_WEB_ROOT": str(web_root)}
    p = run_cli(["faketime", "-f", "+120s", BIN, "doctor", "--data", str(fresh_server.data_dir)],
                env=env)
    assert p.returncode == 2, p.stdout
    assert "ERROR    clock: this machine's clock is 1" in p.stdout, p.stdout
    assert "s ahead of the database server's" in p.stdout, p.stdout


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small file system needs root")
def test_a_nearly_full_disk_is_an_error(tmp_path, web_root):
    small = tmp_path / "small"
    small.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m,mode=0700", "tmpfs", str(small)],
                   check=True)
    try:
        p = run_cli([BIN, "doctor", "--data", str(small), "--web-root", str(web_root)],
                    env={"GONGDAN_PUBLIC_URL": "https://desk.example.com"})
    finally:
        subprocess.run(["umount", str(small)], check=True)
    assert p.returncode == 2, p.stdout
    disk = [line for line in p.stdout.splitlines() if "disk:" in line]
    assert disk and disk[0].startswith("ERROR") and "MiB free of 64 MiB" in disk[0], p.stdout
