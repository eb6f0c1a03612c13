"""A contact's data protection routes: the export archive (contact.json and their attachments)
and who may ask for it."""
import io
import json
import tarfile

import pytest

from conftest import assert_error
from test_tickets_attachments import PNG, upload_raw
from ticket_support import agent, new_ticket, reply, uniq


def export(sess, contact_id, expect=200):
    r = sess.get(f"/api/v1/contacts/{contact_id}/export")
    assert r.status == expect, f"export {contact_id}: {r.status} {r.body}"
    return r


def archive_of(r):
    assert r.headers.get("Content-Type") == "application/x-tar"
    assert r.headers.get("Content-Disposition", "").startswith("attachment")
    with tarfile.open(fileobj=io.BytesIO(r.raw)) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}


@pytest.fixture(scope="module")
def story(server, admin):
    """A contact with a phone, a ticket they filed with a PNG, a public reply and an internal
    note by an agent, and a second contact's ticket beside it."""
    name = uniq("Privacy Person ")
    user, password = server.create_contact(name=name, email=uniq("privacy") + "@example.com")
    r = admin.patch(f"/api/v1/contacts/{user['id']}", json={"phones": ["+86 138 0000 1234"]})
    assert r.status == 200, r
    them = server.login(user["email"], password)
    png = upload_raw(them, PNG, "scan.png", "image/png")
    ticket = new_ticket(them, subject="printer is broken", body=f"regards, {name}",
                        requester=False, attachments=[png["id"]])
    staff = agent(server, all_departments=True)
    reply(staff, ticket["number"], body="we will send a technician")
    reply(staff, ticket["number"], body="internal: check the warranty", internal=True)
    other = new_ticket(admin, subject="someone else's ticket", body="not theirs")
    return {"user": user, "name": name, "session": them, "png": png, "ticket": ticket,
            "other": other, "staff": staff}


def test_export_holds_the_contact_their_tickets_messages_and_files(server, admin, story):
    files = archive_of(export(admin, story["user"]["id"]))
    doc = json.loads(files["contact.json"])
    assert doc["format"] == "gongdan-contact-export" and doc["version"] == 1
    assert doc["contact"]["email"] == story["user"]["email"]
    assert doc["contact"]["name"] == story["name"]
    assert "password_hash" not in doc["contact"]
    assert {"kind": "phone", "value": "+86 138 0000 1234"} in doc["identities"]
    assert [t["number"] for t in doc["tickets"]] == [story["ticket"]["number"]]
    bodies = [m["body"] for m in doc["messages"]]
    assert f"regards, {story['name']}" in bodies and "we will send a technician" in bodies
    assert "internal: check the warranty" not in bodies and "not theirs" not in bodies
    [attachment] = doc["attachments"]
    assert attachment["filename"] == "scan.png" and attachment["id"] == story["png"]["id"]
    assert files[attachment["file"]] == PNG
    assert doc["exported_at"].endswith("Z")
    audit = admin.get("/api/v1/audit?limit=20").body["items"]
    assert any(e["action"] == "contact.export" and e["target"] == f"user:{story['user']['id']}"
               for e in audit)


@pytest.mark.parametrize("role", ["agent", "supervisor", "light_agent", "customer"])
def test_only_admins_export(server, story, role):
    sess = story["session"] if role == "customer" else agent(server, role=role)
    r = sess.get(f"/api/v1/contacts/{story['user']['id']}/export")
    assert_error(r, 403, "permission_denied")


@pytest.mark.parametrize("bad", ["999999999", "0", "abc", "-1"])
def test_export_of_no_contact_is_404(admin, bad):
    assert_error(admin.get(f"/api/v1/contacts/{bad}/export"), 404, "not_found")


def test_export_of_an_agent_is_404(admin, story):
    assert_error(admin.get(f"/api/v1/contacts/{story['staff'].user['id']}/export"), 404,
                 "not_found")
