"""Issue 21, encryption at rest (docs/encryption.md): attachment files on disk hold no plaintext
and still download; sealed secrets name their key; `gongdan keys rotate` moves every file and
secret to a new key while the server serves, encrypts the plaintext files of an older release,
and retires the old key; a missing or wrong key is refused clearly at start-up, by doctor and by
restore, and a backup of an install whose keys live apart does not carry them."""

import os
import subprocess
import tarfile
from pathlib import Path
from urllib.parse import quote

from conftest import BIN, POSTGRES, START_TIMEOUT, Server, base_env, database_for
from ticket_support import new_ticket

MARK = b"\0GDENC1\n"


def upload(sess, data, filename="secret.txt"):
    r = sess.request("POST", f"/api/v1/attachments?filename={quote(filename)}", raw_body=data,
                     headers={"Content-Type": "application/octet-stream"})
    assert r.status == 201, r
    return r.body["items"][0]["id"]


def attach_ticket(sess, data):
    number = new_ticket(sess, attachments=[upload(sess, data)])["number"]
    messages = sess.get(f"/api/v1/tickets/{number}/messages").body["items"]
    return messages[0]["attachments"][0]["id"]


def blobs(data_dir):
    root = Path(data_dir) / "attachments"
    return [p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")]


def key_of_file(path):
    head = path.read_bytes()[:41]
    if not head.startswith(MARK):
        return ""
    return head[9:9 + head[8]].decode()


def ring_ids(key_file):
    return [line.split()[1] for line in Path(key_file).read_text().splitlines()
            if line.startswith("key ")]


def key_env(tmp_path):
    keys = tmp_path / "keys"
    keys.mkdir(parents=True, exist_ok=True)
    return {"GONGDAN_KEY_FILE": str(keys / "gongdan.keys")}


def finding(p, severity, subject="keys"):
    """The message of doctor's first finding of this severity about `subject`, or None."""
    for line in p.stdout.splitlines():
        words = line.split(None, 2)
        if len(words) == 3 and words[0] == severity and words[1] == subject + ":":
            return words[2]
    return None


def serve_exits(data_dir, env):
    """Runs `gongdan serve`, which must refuse to start: (exit status, stderr)."""
    full = base_env(env)
    if database_for(Path(data_dir)):
        full["GONGDAN_DATABASE"] = database_for(Path(data_dir))
    p = subprocess.run([BIN, "serve", "--data", str(data_dir), "--listen", "127.0.0.1:0"],
                       capture_output=True, text=True, timeout=START_TIMEOUT, env=full)
    return p.returncode, p.stderr


def test_files_on_disk_hold_no_plaintext_and_still_download(start_server, tmp_path):
    env = key_env(tmp_path)
    srv = start_server(env=env)
    admin = srv.admin
    data = b"the customer's private contract " * 4000  # several chunks
    att = attach_ticket(admin, data)
    assert Path(env["GONGDAN_KEY_FILE"]).exists()
    assert not (srv.data_dir / "mail.key").exists()  # the key lives where it was told
    assert Path(env["GONGDAN_KEY_FILE"]).stat().st_mode & 0o077 == 0
    files = blobs(srv.data_dir)
    assert files
    for f in files:
        raw = f.read_bytes()
        assert raw.startswith(MARK), f
        assert b"private contract" not in raw
    assert admin.get(f"/api/v1/attachments/{att}").raw == data
    # A mailbox password is sealed with the key's id, in the database only encrypted.
    r = admin.post("/api/v1/mailboxes", json={"address": "desk@desk.example",
                                               "imap_host": "127.0.0.1", "imap_user": "desk",
                                               "imap_password": "hunter2-imap-password",
                                               "poll_seconds": 3600, "active": False})
    assert r.status == 201, r
    p = srv.cli("keys", "status", env=env)
    assert p.returncode == 0, p.stderr
    assert "k1  fingerprint" in p.stdout and "current" in p.stdout
    assert "attachment files: " in p.stdout and "with k1" in p.stdout
    assert "sealed secrets: 1 with k1" in p.stdout
    if not POSTGRES:
        db = b"".join(p.read_bytes() for p in srv.data_dir.glob("gongdan.db*"))  # and its WAL
        assert b"hunter2-imap-password" not in db
        assert b"v2:k1:" in db


def test_rotation_while_serving_keeps_everything_readable_and_retires_the_old_key(
        start_server, tmp_path):
    env = key_env(tmp_path)
    srv = start_server(env=env)
    admin = srv.admin
    before = {attach_ticket(admin, f"file {i} ".encode() * 3000): f"file {i} ".encode() * 3000
              for i in range(4)}
    r = admin.post("/api/v1/mailboxes", json={"address": "rot@desk.example",
                                               "imap_host": "127.0.0.1", "imap_user": "desk",
                                               "imap_password": "imap-secret", "poll_seconds": 3600,
                                               "active": False})
    assert r.status == 201, r
    assert ring_ids(env["GONGDAN_KEY_FILE"]) == ["k1"]

    p = srv.cli("keys", "rotate", env=env)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "added key k2" in p.stdout
    assert "retired key k1" in p.stdout
    assert ring_ids(env["GONGDAN_KEY_FILE"]) == ["k2"]  # the old key is gone from the file
    assert all(key_of_file(f) == "k2" for f in blobs(srv.data_dir))

    # The running server followed: old files read, new ones are written with k2.
    for att, data in before.items():
        assert admin.get(f"/api/v1/attachments/{att}").raw == data
    fresh = attach_ticket(admin, b"after the rotation " * 100)
    assert admin.get(f"/api/v1/attachments/{fresh}").raw == b"after the rotation " * 100
    assert all(key_of_file(f) == "k2" for f in blobs(srv.data_dir))
    p = srv.cli("keys", "status", env=env)
    assert "sealed secrets: 1 with k2" in p.stdout, p.stdout
    assert "with k1" not in p.stdout

    # And after a restart with only k2.
    srv.stop()
    srv.start()
    for att, data in before.items():
        assert srv.admin.get(f"/api/v1/attachments/{att}").raw == data
    assert srv.admin.get("/api/v1/audit/verify").body["intact"] is True


def test_an_older_install_with_plaintext_files_is_encrypted_by_rotate(start_server, tmp_path):
    # An install of an older release: a raw 32-byte mail.key in the data directory (key k0),
    # attachment files in plaintext.
    data_dir = tmp_path / "older"
    data_dir.mkdir(mode=0o700)
    (data_dir / "mail.key").write_bytes(os.urandom(32))
    os.chmod(data_dir / "mail.key", 0o600)
    srv = start_server(data_dir=data_dir)
    admin = srv.admin
    plain = b"written before encryption " * 500
    att = attach_ticket(admin, plain)
    srv.stop()
    for f in blobs(data_dir):
        f.write_bytes(plain)  # as the older release left it: named by the SHA-256 of these bytes
    srv.start()
    admin = srv.admin
    assert admin.get(f"/api/v1/attachments/{att}").raw == plain  # plaintext still reads
    p = srv.cli("keys", "status")
    assert "1 in plaintext" in p.stdout, p.stdout

    p = srv.cli("keys", "rotate")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "retired key k0" in p.stdout
    for f in blobs(data_dir):
        assert key_of_file(f) == "k1"
        assert b"written before encryption" not in f.read_bytes()
    assert admin.get(f"/api/v1/attachments/{att}").raw == plain
    # The key file is now in the text form, and the signing key did not change with it.
    assert (data_dir / "mail.key").read_text().startswith("gongdan-keys v1")
    assert admin.get("/api/v1/audit/verify").body["intact"] is True
    p = srv.cli("audit", "verify")
    assert p.returncode == 0, p.stdout + p.stderr


def test_a_missing_or_wrong_key_is_refused_clearly(start_server, tmp_path):
    env = key_env(tmp_path)
    srv = start_server(env=env)
    attach_ticket(srv.admin, b"needs the key " * 100)
    srv.stop()
    key_file = Path(env["GONGDAN_KEY_FILE"])
    good = key_file.read_text()

    # Another install's keys under the same id.
    other = subprocess.run([BIN, "keys", "generate"], capture_output=True, text=True, timeout=30,
                           env=base_env())
    assert other.returncode == 0, other.stderr
    key_file.write_text(other.stdout)
    code, err = serve_exits(srv.data_dir, env)
    assert code != 0
    assert "key k1" in err and "is not the key k1" in err, err
    p = srv.cli("doctor", env=env)
    assert p.returncode == 2, p.stdout
    assert "is not the key k1" in (finding(p, "ERROR") or ""), p.stdout

    # No key at all: refused, and no new key made over the data.
    key_file.unlink()
    code, err = serve_exits(srv.data_dir, env)
    assert code != 0
    assert "no key file at" in err and "encrypted with key k1" in err, err
    assert not key_file.exists()
    assert not (srv.data_dir / "mail.key").exists()
    p = srv.cli("doctor", env=env)
    assert p.returncode == 2 and "encrypted with key k1" in (finding(p, "ERROR") or ""), p.stdout

    # A damaged key file.
    key_file.write_text("gongdan-keys v1\nkey k1 short\n")
    code, err = serve_exits(srv.data_dir, env)
    assert code != 0 and "damaged" in err, err

    key_file.write_text(good)
    srv.start()
    p = srv.cli("doctor", env=env)
    assert "holds the current key k1" in (finding(p, "ok") or ""), p.stdout
    assert finding(p, "WARNING") is None, p.stdout  # kept apart from the data directory


def test_keys_in_the_data_directory_warn_in_doctor(start_server):
    srv = start_server()
    p = srv.cli("doctor")
    assert "inside the data directory" in (finding(p, "WARNING") or ""), p.stdout


def test_a_backup_without_its_keys_restores_only_with_them(start_server, tmp_path):
    env = key_env(tmp_path)
    srv = start_server(env=env)
    data = b"backed up privately " * 300
    att = attach_ticket(srv.admin, data)
    archive = tmp_path / "site.tar"
    p = srv.cli("backup", str(archive), env=env)
    assert p.returncode == 0, p.stderr
    assert "are not in it: back them up apart" in p.stdout
    with tarfile.open(archive) as t:
        names = t.getnames()
        assert "mail.key" not in names
        for name in names:
            if name.startswith("attachments/"):
                assert b"backed up privately" not in t.extractfile(name).read()

    # Without keys, or with another install's: refused, nothing written.
    for label, extra in (("none", {}), ("other", key_env(tmp_path / "other"))):
        if label == "other":
            Path(extra["GONGDAN_KEY_FILE"]).write_text(
                subprocess.run([BIN, "keys", "generate"], capture_output=True, text=True,
                               timeout=30, env=base_env()).stdout)
        target = tmp_path / f"into-{label}"
        p = Server(target).cli("restore", str(archive), env=extra)
        assert p.returncode != 0, (label, p.stdout)
        if label == "none":
            assert "does not hold the encryption keys" in p.stderr, p.stderr
        else:
            assert "wrong key" in p.stderr and "k1" in p.stderr, p.stderr
        assert not target.exists() or not any(target.iterdir()), label

    restored = Server(tmp_path / "restored", env=env)
    p = restored.cli("restore", str(archive), env=env)
    assert p.returncode == 0, p.stderr
    restored.start()
    try:
        assert restored.admin.get(f"/api/v1/attachments/{att}").raw == data
    finally:
        restored.stop()
