"""Retention policies on the test clock: a dry-run count before switching on, then the daily job
deletes (or anonymises) only the closed tickets old enough, only in the policy's department."""
import pytest

from conftest import assert_error
from test_tickets_attachments import upload_raw
from ticket_support import make_department, new_ticket, patch, reply, search, status_id, uniq


def closed_ticket(admin, department, **extra):
    t = new_ticket(admin, department=department["id"], **extra)
    patch(admin, t["number"], {"status": status_id(admin, "closed")})
    return t


def policy(admin, **fields):
    r = admin.post("/api/v1/retention-policies", json={"name": uniq("policy "), **fields})
    assert r.status == 201, r
    return r.body


def switch_on(srv, p):
    r = srv.admin.patch(f"/api/v1/retention-policies/{p['id']}", json={"active": True})
    assert r.status == 200, r
    srv.wait_idle()
    return r.body


@pytest.fixture(scope="module")
def srv(clocked_server):
    return clocked_server


def test_delete_only_what_is_old_enough_and_in_the_department(srv):
    admin = srv.admin
    mine, other = make_department(admin), make_department(admin)
    old = closed_ticket(admin, mine, subject=uniq("retained old "))
    elsewhere = closed_ticket(admin, other)
    still_open = new_ticket(admin, department=mine["id"])
    srv.advance(days=40)
    admin = srv.admin
    young = closed_ticket(admin, mine)
    p = policy(admin, department=mine["id"], months=1, action="delete")
    assert p["active"] is False and p["matching_now"] == 1
    # Switched off, nothing happens, whatever the time.
    srv.advance(days=2)
    assert srv.admin.get(f"/api/v1/tickets/{old['number']}").status == 200
    switch_on(srv, p)
    admin = srv.admin
    assert_error(admin.get(f"/api/v1/tickets/{old['number']}"), 404, "not_found")
    assert search(admin, f'"{old["subject"]}"')["items"] == []
    for kept in (elsewhere, still_open, young):
        assert admin.get(f"/api/v1/tickets/{kept['number']}").status == 200
    # The next day's run: the young ticket is still young.
    srv.advance(days=1)
    assert srv.admin.get(f"/api/v1/tickets/{young['number']}").status == 200
    assert srv.admin.get(f"/api/v1/retention-policies/{p['id']}").body["matching_now"] == 0


def test_anonymise_keeps_the_ticket_without_the_requester(srv):
    admin = srv.admin
    dept = make_department(admin)
    name = uniq("Retained Person ")
    user, password = srv.create_contact(name=name)
    them = srv.login(user["email"], password)
    att = upload_raw(them, b"retained file " + name.encode(), "note.txt", "text/plain")
    t = new_ticket(them, body=f"I am {name}", requester=False, attachments=[att["id"]])
    patch(admin, t["number"], {"department": dept["id"]})
    reply(admin, t["number"], body=f"Dear {name}, done.")
    patch(admin, t["number"], {"status": status_id(admin, "closed")})
    srv.advance(days=40)
    p = policy(srv.admin, department=dept["id"], months=1, action="anonymise")
    assert p["matching_now"] == 1
    switch_on(srv, p)
    admin = srv.admin
    items = admin.get(f"/api/v1/tickets/{t['number']}/messages").body["items"]
    bodies = [m["body"] for m in items]
    assert bodies[0] == "[This message was erased at the contact's request.]"
    assert "Dear [erased], done." in bodies
    assert_error(admin.get(f"/api/v1/attachments/{att['id']}"), 404, "not_found")
    assert search(admin, f'"{name}"')["items"] == []
    assert admin.get(f"/api/v1/retention-policies/{p['id']}").body["matching_now"] == 0


def test_only_admins_manage_policies(srv):
    user, password = srv.create_agent(role="supervisor")
    boss = srv.login(user["email"], password)
    r = boss.post("/api/v1/retention-policies", json={"name": "x", "months": 1})
    assert r.status == 403, r
    bad = srv.admin.post("/api/v1/retention-policies", json={"name": "x", "months": 0})
    assert_error(bad, 400, "invalid_argument", "months")
    bad = srv.admin.post("/api/v1/retention-policies", json={"name": "x", "action": "shred"})
    assert_error(bad, 400, "invalid_argument", "action")
