"""Issue 21: `gongdan backup --encrypt` seals the whole archive (libsodium secretstream) with a
key file or a passphrase; `gongdan restore` asks for it, refuses a wrong one before writing
anything, and refuses a sealed archive that was cut off, changed or extended."""

import hashlib
import os
import struct
from urllib.parse import quote

import pytest

from conftest import Server
from ticket_support import new_ticket

SECRET = b"the quarterly numbers nobody may read " * 50
# A key file archive's header: magic, format, kind, the stream's header, key check, MAC, checksum.
HEADER = 10 + 24 + 16 + 32 + 32


def upload(sess, data, filename):
    r = sess.request("POST", f"/api/v1/attachments?filename={quote(filename)}", raw_body=data,
                     headers={"Content-Type": "application/octet-stream"})
    assert r.status == 201, r
    return r.body["items"][0]["id"]


@pytest.fixture
def install(start_server):
    srv = start_server()
    att = upload(srv.admin, SECRET, "numbers.txt")
    # Enough bytes for several 64 KiB chunks on either database.
    upload(srv.admin, os.urandom(300_000), "noise.bin")
    number = new_ticket(srv.admin, subject="sealed subject", attachments=[att])["number"]
    return srv, number


def assert_untouched(target, parent):
    assert not target.exists() or not any(target.iterdir()), list(target.iterdir())
    assert not any(p.name.startswith(f".{target.name}.restoring") for p in parent.iterdir())


def check_restored(target, archive, number, *args, env=None):
    restored = Server(target)
    proc = restored.cli("restore", str(archive), *args, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "(encrypted)" in proc.stdout
    restored.start()
    try:
        messages = restored.admin.get(f"/api/v1/tickets/{number}/messages").body["items"]
        att = messages[0]["attachments"][0]["id"]
        assert restored.admin.get(f"/api/v1/attachments/{att}").raw == SECRET
    finally:
        restored.stop_and_check()


def test_key_file(install, tmp_path):
    srv, number = install
    key = tmp_path / "backup.key"
    key.write_bytes(os.urandom(32))
    archive = tmp_path / "sealed.tar.enc"
    proc = srv.cli("backup", str(archive), "--encrypt", "--key-file", str(key))
    assert proc.returncode == 0, proc.stderr
    assert "encrypted with the key file" in proc.stdout
    sealed = archive.read_bytes()
    assert sealed.startswith(b"GDBACKUP")
    for clear in (b"manifest.json", b"SQLite format 3", b"gongdan.db", b"quarterly numbers",
                  b"sealed subject"):
        assert clear not in sealed, clear

    # Without the key, with another key, with a passphrase instead: refused, nothing written.
    target = tmp_path / "restored"
    proc = Server(target).cli("restore", str(archive))
    assert proc.returncode != 0 and "encrypted with a key file" in proc.stderr, proc.stderr
    other = tmp_path / "other.key"
    other.write_bytes(os.urandom(32))
    proc = Server(target).cli("restore", str(archive), "--key-file", str(other))
    assert proc.returncode != 0 and "wrong backup key or passphrase" in proc.stderr, proc.stderr
    assert_untouched(target, tmp_path)
    proc = Server(target).cli("restore", str(archive),
                              env={"GONGDAN_BACKUP_PASSPHRASE": "a passphrase"})
    assert proc.returncode != 0 and "--key-file" in proc.stderr
    assert_untouched(target, tmp_path)

    check_restored(target, archive, number, "--key-file", str(key))


def test_passphrase(install, tmp_path):
    srv, number = install
    archive = tmp_path / "sealed.tar.enc"
    proc = srv.cli("backup", str(archive), "--encrypt",
                   env={"GONGDAN_BACKUP_PASSPHRASE": "correct horse battery staple"})
    assert proc.returncode == 0, proc.stderr
    assert "encrypted with a passphrase" in proc.stdout
    target = tmp_path / "restored"
    proc = Server(target).cli("restore", str(archive),
                              env={"GONGDAN_BACKUP_PASSPHRASE": "correct horse battery stapler"})
    assert proc.returncode != 0 and "wrong backup key or passphrase" in proc.stderr, proc.stderr
    assert_untouched(target, tmp_path)
    # No passphrase and no terminal to ask on: a clear refusal.
    proc = Server(target).cli("restore", str(archive))
    assert proc.returncode != 0 and "GONGDAN_BACKUP_PASSPHRASE" in proc.stderr, proc.stderr
    assert_untouched(target, tmp_path)
    phrase = tmp_path / "phrase.txt"
    phrase.write_text("correct horse battery staple\n")
    check_restored(target, archive, number, "--passphrase-file", str(phrase))


def last_chunk_start(sealed):
    at = HEADER
    while True:
        (length,) = struct.unpack("<I", sealed[at:at + 4])
        if at + 4 + length == len(sealed):
            return at
        at += 4 + length


def test_damaged_sealed_archives_are_refused(install, tmp_path):
    srv, _ = install
    key = tmp_path / "backup.key"
    key.write_bytes(os.urandom(48))
    archive = tmp_path / "sealed.tar.enc"
    assert srv.cli("backup", str(archive), "--key-file", str(key)).returncode == 0
    whole = archive.read_bytes()
    flipped = bytearray(whole)
    flipped[len(whole) - 1000] ^= 0x01  # in the last chunk, never the first
    passphrase_header = (b"GDBACKUP\x01\x02" + os.urandom(16) + struct.pack("<QQ", 3, 1 << 40)
                         + os.urandom(100))
    cases = {
        "cut off": (whole[: len(whole) - 100], "cut off"),
        "cut at a chunk": (whole[:HEADER + 4 + 65536 + 17], "cut off"),
        # Only the FINAL chunk gone: refused although the tar may end before it.
        "last chunk dropped": (whole[:last_chunk_start(whole)], "cut off"),
        "changed": (bytes(flipped), "damaged"),
        "extended": (whole + b"more", "bytes after its end"),
        "header only": (whole[:20], "cut off"),
        "huge memory limit": (passphrase_header, "out of range"),
        "unknown format": (b"GDBACKUP\x07\x01" + whole[10:], "unknown format"),
    }
    for name, (data, expected) in cases.items():
        bad = tmp_path / f"{name.replace(' ', '-')}.enc"
        bad.write_bytes(data)
        target = tmp_path / f"into-{name.replace(' ', '-')}"
        env = {"GONGDAN_BACKUP_PASSPHRASE": "whatever it is"}
        args = [] if name == "huge memory limit" else ["--key-file", str(key)]
        proc = Server(target).cli("restore", str(bad), *args, env=env)
        assert proc.returncode != 0, name
        assert expected in proc.stderr, (name, proc.stderr)
        assert_untouched(target, tmp_path)


def refused(tmp_path, name, data, *args, env=None):
    bad = tmp_path / f"{name}.enc"
    bad.write_bytes(data)
    target = tmp_path / f"into-{name}"
    proc = Server(target).cli("restore", str(bad), *args, env=env)
    assert proc.returncode != 0, name
    assert_untouched(target, tmp_path)
    return proc.stderr


def test_a_changed_header_is_told_apart_from_a_wrong_key(install, tmp_path):
    srv, number = install
    key = tmp_path / "backup.key"
    key.write_bytes(os.urandom(32))
    other = tmp_path / "other.key"
    other.write_bytes(os.urandom(32))
    archive = tmp_path / "sealed.tar.enc"
    assert srv.cli("backup", str(archive), "--key-file", str(key)).returncode == 0
    whole = archive.read_bytes()
    assert whole[8] == 2  # the format with header checks

    # Any header byte changed (the key kind, the stream's header, the key check, the MAC, the
    # checksum itself): a changed header, with the right key and with a wrong one alike.
    for offset in (9, 10, 33, 40, 70, HEADER - 1):
        changed = bytearray(whole)
        changed[offset] ^= 0x01
        for with_key in (key, other):
            message = refused(tmp_path, f"changed-{offset}", bytes(changed), "--key-file",
                              str(with_key))
            assert "header is damaged or tampered with" in message, (offset, message)
            assert "wrong backup key" not in message, (offset, message)
    # Someone changes the stream's header and makes the checksum again: the right key's MAC
    # refuses it, before any chunk is opened; a wrong key is still told as a wrong key.
    forged = bytearray(whole)
    forged[15] ^= 0x01
    forged[HEADER - 32:HEADER] = hashlib.blake2b(bytes(forged[:HEADER - 32]),
                                                  digest_size=32).digest()
    message = refused(tmp_path, "forged", bytes(forged), "--key-file", str(key))
    assert "does not authenticate with this key" in message, message
    message = refused(tmp_path, "forged-wrong", bytes(forged), "--key-file", str(other))
    assert "wrong backup key or passphrase" in message, message
    # The untouched archive with a wrong key: a wrong key, not a damaged header.
    message = refused(tmp_path, "intact-wrong", whole, "--key-file", str(other))
    assert "wrong backup key or passphrase" in message and "tampered" not in message, message
    check_restored(tmp_path / "restored", archive, number, "--key-file", str(key))


def test_a_changed_passphrase_header_is_refused_before_asking(install, tmp_path):
    srv, _ = install
    phrase = {"GONGDAN_BACKUP_PASSPHRASE": "correct horse battery staple"}
    archive = tmp_path / "sealed.tar.enc"
    assert srv.cli("backup", str(archive), "--encrypt", env=phrase).returncode == 0
    whole = archive.read_bytes()
    for offset, what in ((12, "salt"), (27, "operations limit"), (36, "memory limit")):
        changed = bytearray(whole)
        changed[offset] ^= 0x01
        # No passphrase given and no terminal: the header is refused before one is wanted.
        message = refused(tmp_path, f"phrase-{offset}", bytes(changed))
        assert "header is damaged or tampered with" in message, (what, message)
        message = refused(tmp_path, f"phrase-given-{offset}", bytes(changed), env=phrase)
        assert "header is damaged or tampered with" in message, (what, message)
    wrong = {"GONGDAN_BACKUP_PASSPHRASE": "correct horse battery stapler"}
    message = refused(tmp_path, "phrase-wrong", whole, env=wrong)
    assert "wrong backup key or passphrase" in message and "tampered" not in message, message


def test_bad_keys_for_a_new_backup(install, tmp_path):
    srv, _ = install
    short = tmp_path / "short.key"
    short.write_bytes(b"too short")
    proc = srv.cli("backup", str(tmp_path / "a.enc"), "--key-file", str(short))
    assert proc.returncode != 0 and "at least 32 bytes" in proc.stderr
    proc = srv.cli("backup", str(tmp_path / "b.enc"), "--key-file", str(tmp_path / "absent"))
    assert proc.returncode != 0 and "cannot read the key file" in proc.stderr
    proc = srv.cli("backup", str(tmp_path / "c.enc"), "--encrypt")
    assert proc.returncode != 0 and "no terminal to ask on" in proc.stderr
    proc = srv.cli("backup", str(tmp_path / "d.enc"), "--encrypt",
                   env={"GONGDAN_BACKUP_PASSPHRASE": "short"})
    assert proc.returncode != 0 and "at least 8 characters" in proc.stderr
    assert not any(p.name.endswith((".enc", ".partial")) for p in tmp_path.iterdir())
