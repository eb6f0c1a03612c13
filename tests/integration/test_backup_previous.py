"""Issue 21: a backup made by the previous release restores with this one. The archives in
tests/fixtures/backup-previous/ were made by an older gongdan (INDEX.md names the commit and the
commands; make_archives.py made them): a small install with Chinese tickets, a reply, an internal
note, an attachment, a contact, a custom field and a setting, backed up plain and sealed with a key
file (the first format of --encrypt, without the header checks). Each is restored with today's
binary onto an empty data directory; the server then migrates the older schema forward, and
everything make_archives.py recorded is read back over the API as it was, and a new ticket can be
filed. The engine's pair is used: SQLite's, or PostgreSQL's on the PostgreSQL run."""

import gzip
import hashlib
import json
import shutil
from pathlib import Path

import pytest

from conftest import POSTGRES, Server
from ticket_support import new_ticket

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "backup-previous"
ENGINE = "postgresql" if POSTGRES else "sqlite"
EXPECTED = json.loads((FIXTURES / f"expected-{ENGINE}.json").read_text())


def restore(tmp_path, name, *args):
    archive = FIXTURES / name
    if name.endswith(".gz"):  # kept gzipped in the repository; restored as the release wrote it
        archive = tmp_path / name.removesuffix(".gz")
        with gzip.open(FIXTURES / name) as packed, open(archive, "wb") as out:
            shutil.copyfileobj(packed, out)
    target = tmp_path / f"restored-{name}"
    srv = Server(target)
    proc = srv.cli("restore", str(archive), *args)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("restored "), proc.stdout
    return srv


def check_everything(srv):
    admin = srv.admin
    for ticket in EXPECTED["tickets"]:
        number = ticket["number"]
        t = admin.get(f"/api/v1/tickets/{number}")
        assert t.status == 200, (number, t)
        assert t.body["subject"] == ticket["subject"]
        assert t.body["custom_fields"] == ticket["custom_fields"]
        messages = admin.get(f"/api/v1/tickets/{number}/messages").body["items"]
        got = []
        for m in messages:
            files = []
            for a in m["attachments"]:
                data = admin.get(f"/api/v1/attachments/{a['id']}").raw
                files.append({"filename": a["filename"], "size": len(data),
                              "sha256": hashlib.sha256(data).hexdigest()})
            got.append({"body": m["body"], "internal": m["internal"], "attachments": files})
        assert got == ticket["messages"], number
    contacts = [{"email": c["email"], "name": c["name"]}
                for c in admin.get("/api/v1/contacts?limit=100").body["items"]]
    for contact in EXPECTED["contacts"]:
        assert contact in contacts, (contact, contacts)
    fields = [{"key": f["key"], "label": f["label"], "label_zh": f.get("label_zh", "")}
              for f in admin.get("/api/v1/custom-fields").body["items"]]
    assert fields == EXPECTED["custom_fields"]
    [help_setting] = admin.get("/api/v1/help-settings").body["items"]
    assert help_setting["company_name"] == EXPECTED["company_name"]
    # The contact signs in with the password they had, and sees their tickets, notes hidden.
    zhang = srv.login("zhang.wei@example.com", "customer-password-1")
    first = EXPECTED["tickets"][0]
    mine = zhang.get(f"/api/v1/tickets/{first['number']}/messages").body["items"]
    assert [m["body"] for m in mine] == [m["body"] for m in first["messages"]
                                         if not m["internal"]]
    # The install goes on: a new ticket, with the restored custom field, after the old ones.
    t = new_ticket(admin, subject="恢复之后的新工单", custom_fields={"cf_device": "新设备"})
    assert t["number"] > max(x["number"] for x in EXPECTED["tickets"])
    assert admin.get(f"/api/v1/tickets/{t['number']}").body["custom_fields"] == {
        "cf_device": "新设备"}
    assert admin.get("/api/v1/audit/verify").body["intact"] is True


@pytest.mark.parametrize("name,args", [
    (f"plain-{ENGINE}.tar.gz", []),
    (f"sealed-{ENGINE}.tar.enc", ["--key-file", str(FIXTURES / "backup.key")]),
])
def test_a_previous_release_backup_restores_and_migrates(tmp_path, name, args):
    srv = restore(tmp_path, name, *args)
    srv.start()
    try:
        ready = srv.get("/readyz").body
        assert ready["schema_version"] > EXPECTED["schema_version"], ready
        check_everything(srv)
    finally:
        srv.stop_and_check()


def test_a_previous_release_sealed_backup_refuses_a_wrong_key(tmp_path):
    other = tmp_path / "other.key"
    other.write_bytes(b"k" * 32)
    target = tmp_path / "refused"
    proc = Server(target).cli("restore", str(FIXTURES / f"sealed-{ENGINE}.tar.enc"),
                              "--key-file", str(other))
    assert proc.returncode != 0 and "wrong backup key or passphrase" in proc.stderr, proc.stderr
    assert not target.exists() or not any(target.iterdir())
