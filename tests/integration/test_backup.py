"""Issue 21: `gongdan backup` while the server serves, `gongdan restore` into an empty data
directory. A client keeps creating tickets (some with attachments) during the backup; after the
restore every ticket acknowledged before the backup began is there, with its attachment's bytes,
and the restored install serves and signs in. A restore refuses a non-empty data directory and a
corrupt or truncated archive, with a clear message and no change."""

import tarfile
import threading
from urllib.parse import quote

from conftest import Server
from ticket_support import new_ticket


def upload(sess, data, filename):
    r = sess.request("POST", f"/api/v1/attachments?filename={quote(filename)}", raw_body=data,
                     headers={"Content-Type": "application/octet-stream"})
    assert r.status == 201, r
    return r.body["items"][0]["id"]


def test_backup_while_serving_then_restore(start_server, tmp_path):
    srv = start_server()
    admin = srv.admin
    acknowledged = []  # (number, attachment bytes or None), in the order the 2xx came
    for i in range(5):
        data = f"attachment {i} ".encode() * 100
        number = new_ticket(admin, attachments=[upload(admin, data, f"f{i}.txt")])["number"]
        acknowledged.append((number, data))
    stop = threading.Event()
    going = threading.Event()
    errors = []

    def keep_creating():
        try:
            while not stop.is_set():
                acknowledged.append((new_ticket(admin)["number"], None))
                if len(acknowledged) >= 15:
                    going.set()
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)
            going.set()

    writer = threading.Thread(target=keep_creating)
    writer.start()
    try:
        # Let some land first, so the backup certainly runs beside writes.
        assert going.wait(60)
        before_backup = len(acknowledged)
        archive = tmp_path / "site.tar"
        proc = srv.cli("backup", str(archive))
        created_during = len(acknowledged) - before_backup
    finally:
        stop.set()
        writer.join()
    assert not errors, errors
    assert proc.returncode == 0, proc.stderr
    assert "backup written to" in proc.stdout
    assert created_during > 0, "no ticket was created while the backup ran"
    with tarfile.open(archive) as t:  # a plain tar an operator can list
        names = t.getnames()
    assert names[-1] == "manifest.json" and "mail.key" in names
    assert sum(n.startswith("attachments/") for n in names) == 5

    fresh = tmp_path / "restored"
    restored = Server(fresh)  # not started: the CLI restores into its data directory first
    proc = restored.cli("restore", str(archive))
    assert proc.returncode == 0, proc.stderr
    restored.start()
    try:
        again = restored.admin
        for number, data in acknowledged[:before_backup]:
            r = again.get(f"/api/v1/tickets/{number}")
            assert r.status == 200, (number, r)
            if data is not None:
                messages = again.get(f"/api/v1/tickets/{number}/messages").body["items"]
                att = messages[0]["attachments"][0]
                got = again.get(f"/api/v1/attachments/{att['id']}")
                assert got.raw == data
        # The audit chain came along whole (the key with it).
        assert again.get("/api/v1/audit/verify").body["intact"] is True
    finally:
        restored.stop()


def test_restore_refuses_and_changes_nothing(start_server, tmp_path):
    srv = start_server()
    new_ticket(srv.admin)
    archive = tmp_path / "site.tar"
    assert srv.cli("backup", str(archive)).returncode == 0
    assert srv.cli("backup", str(archive)).returncode != 0  # never overwrites
    whole = archive.read_bytes()

    # Into the data directory of a running install: it is not empty.
    proc = srv.cli("restore", str(archive))
    assert proc.returncode != 0 and "not empty" in proc.stderr, proc.stderr

    cases = {
        "truncated": whole[: len(whole) // 2],
        "no manifest": whole[: whole.rfind(b"manifest.json")],
        "corrupt": bytearray(whole),
        "not an archive": b"hello, this is not a tar file" * 40,
    }
    middle = len(whole) // 3
    cases["corrupt"][middle] ^= 0x55
    cases["corrupt"] = bytes(cases["corrupt"])
    for name, data in cases.items():
        bad = tmp_path / f"{name.replace(' ', '-')}.tar"
        bad.write_bytes(data)
        target = tmp_path / f"into-{name.replace(' ', '-')}"
        proc = Server(target).cli("restore", str(bad))
        assert proc.returncode != 0, name
        message = proc.stderr
        assert any(word in message for word in ("truncated", "corrupt", "manifest", "checksum",
                                                "not a ustar")), (name, message)
        assert not target.exists() or not any(target.iterdir()), (name, list(target.iterdir()))
        assert not any(p.name.startswith(".into-") for p in tmp_path.iterdir()), name
