"""A contact's data protection routes: the export archive (contact.json and their attachments),
erasure (nothing personal left in search, ticket view, downloads, files or a new export), and
who may ask for either."""
import hashlib
import io
import json
import os
import tarfile

import pytest

from conftest import assert_error
from test_tickets_attachments import PNG, upload_raw
from ticket_support import agent, new_ticket, reply, search, uniq


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


# --------------------------------------------------------------------------------------------
# Erasure


def erase(sess, contact_id, body=None, expect=200):
    r = sess.post(f"/api/v1/contacts/{contact_id}/erase",
                  json={"confirm": True} if body is None else body)
    assert r.status == expect, f"erase {contact_id}: {r.status} {r.body}"
    return r


@pytest.fixture
def victim(server, admin):
    """A contact with another address and a phone, who filed a ticket with a file of their own
    (bytes nobody else has, so the file goes) and got a reply naming them."""
    token = uniq("Quxerase")
    name = f"Zhao {token}"
    email = f"{token.lower()}@example.com"
    user, password = server.create_contact(name=name, email=email)
    other = f"{token.lower()}.home@example.org"
    phone = "+86 139 1111 2222"
    r = admin.patch(f"/api/v1/contacts/{user['id']}", json={"emails": [other], "phones": [phone]})
    assert r.status == 200, r
    them = server.login(email, password)
    data = b"passport scan of " + token.encode() + os.urandom(16)
    att = upload_raw(them, data, "passport.txt", "text/plain")
    ticket = new_ticket(them, subject=f"{name} cannot print", body=f"I am {name}, write to {other}",
                        requester=False, attachments=[att["id"]])
    reply(admin, ticket["number"], body=f"Dear {name}, we called {phone}.")
    return {"user": user, "token": token, "name": name, "email": email, "other": other,
            "phone": phone, "session": them, "attachment": att, "data": data,
            "number": ticket["number"]}


def blob_path(server, data):
    sha = hashlib.sha256(data).hexdigest()
    return server.data_dir / "attachments" / sha[:2] / sha[2:4] / sha


def personal(v):
    return [v["token"], v["token"].lower(), v["email"], v["other"], v["phone"]]


def test_erasure_leaves_nothing_personal_anywhere(server, admin, victim):
    v = victim
    assert blob_path(server, v["data"]).exists()
    assert search(admin, v["token"])["items"] and search(admin, v["token"])["contacts"]
    r = erase(admin, v["user"]["id"]).body
    assert r == {"contact_id": v["user"]["id"], "tickets": 1, "messages": 1, "attachments": 1,
                 "files_removed": 1, "already_erased": False}
    for q in (v["token"], v["email"], v["other"], f'"{v["name"]}"'):
        found = search(admin, q)
        assert found["items"] == [] and found["contacts"] == [], (q, found)
    ticket = admin.get(f"/api/v1/tickets/{v['number']}")
    messages = admin.get(f"/api/v1/tickets/{v['number']}/messages")
    assert ticket.status == 200 and messages.status == 200
    seen = json.dumps(ticket.body) + json.dumps(messages.body)
    for word in personal(v):
        assert word not in seen, word
    bodies = [m["body"] for m in messages.body["items"]]
    assert "[This message was erased at the contact's request.]" in bodies
    assert "Dear [erased], we called [erased]." in bodies
    assert all(not m["attachments"] for m in messages.body["items"])
    assert_error(admin.get(f"/api/v1/attachments/{v['attachment']['id']}"), 404, "not_found")
    assert not blob_path(server, v["data"]).exists()
    # Their sessions end with them.
    assert v["session"].get("/api/v1/me").status == 401
    files = archive_of(export(admin, v["user"]["id"]))
    doc = json.loads(files["contact.json"])
    # The audit log is hash-chained and kept as written (docs/privacy.md): earlier entries
    # (their sign-in) still name them; everything else must not.
    doc.pop("audit")
    dump = json.dumps(doc, ensure_ascii=False)
    for word in personal(v):
        assert word not in dump, word
    assert doc["attachments"] == [] and len(files) == 1
    entry = next(e for e in admin.get("/api/v1/audit?limit=20").body["items"]
                 if e["action"] == "contact.erase")
    assert entry["target"] == f"user:{v['user']['id']}"
    for word in personal(v):
        assert word not in json.dumps(entry), word
    # Again: harmless, and says so.
    again = erase(admin, v["user"]["id"]).body
    assert again["already_erased"] is True and again["attachments"] == 0


def test_their_messages_get_the_marker_in_their_language(server, admin):
    user, password = server.create_contact(name=uniq("Wang "))
    assert admin.patch(f"/api/v1/contacts/{user['id']}", json={"locale": "zh-CN"}).status == 200
    them = server.login(user["email"], password)
    t = new_ticket(them, body="我的电话是 13800000000", requester=False)
    erase(admin, user["id"])
    items = admin.get(f"/api/v1/tickets/{t['number']}/messages").body["items"]
    assert items[0]["body"] == "[此消息已应联系人的要求删除。]"


def test_erasure_wants_confirmation(admin, story):
    for body in ({}, {"confirm": False}, {"confirm": "yes"}):
        assert_error(erase(admin, story["user"]["id"], body, 400), 400, "invalid_argument",
                     "confirm")
    assert export(admin, story["user"]["id"]).status == 200


@pytest.mark.parametrize("role", ["agent", "supervisor", "light_agent", "customer"])
def test_only_admins_erase(server, admin, story, role):
    sess = story["session"] if role == "customer" else agent(server, role=role)
    assert_error(erase(sess, story["user"]["id"], expect=403), 403, "permission_denied")
    assert admin.get(f"/api/v1/contacts/{story['user']['id']}").body["name"] == story["name"]


@pytest.mark.parametrize("bad", ["999999999", "0", "abc"])
def test_erasure_of_no_contact_is_404(admin, bad):
    assert_error(erase(admin, bad, expect=404), 404, "not_found")


def test_erasure_of_an_agent_is_404(admin, story):
    assert_error(erase(admin, story["staff"].user["id"], expect=404), 404, "not_found")
