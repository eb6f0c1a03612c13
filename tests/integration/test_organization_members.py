"""GET /api/v1/contacts?organization=ID: an organization's members (the desk's organization
page lists them), paged like every list; a bad id is a 400 naming the field; admins only."""

from conftest import assert_error, unique_email


def test_members_of_an_organization(server, admin):
    domain = unique_email("org").split("@")[0] + ".example.cn"
    org = admin.post("/api/v1/organizations", json={"name": "Members " + domain, "domains": [domain]})
    assert org.status == 201, org
    other = admin.post("/api/v1/organizations", json={"name": "Others " + domain})
    assert other.status == 201, other
    # Two join by their mail domain (new requesters of tickets), one is put in by hand, one
    # belongs elsewhere.
    ids = []
    for name in ("a", "b"):
        r = admin.post("/api/v1/tickets", json={"subject": "hello", "body": "x",
                                                "requester": {"email": f"{name}@{domain}"}})
        assert r.status == 201, r
        ids.append(r.body["requester"]["id"])
    by_hand = admin.post("/api/v1/contacts", json={"email": unique_email("hand"),
                                                   "organization": org.body["id"]})
    assert by_hand.status == 201, by_hand
    ids.append(by_hand.body["id"])
    elsewhere = admin.post("/api/v1/contacts", json={"email": unique_email("else"),
                                                     "organization": other.body["id"]})
    assert elsewhere.status == 201, elsewhere

    r = admin.get(f"/api/v1/contacts?organization={org.body['id']}")
    assert r.status == 200, r
    assert [c["id"] for c in r.body["items"]] == ids
    assert r.body["next_cursor"] is None
    assert all(c["organization"] == org.body["id"] for c in r.body["items"])

    first = admin.get(f"/api/v1/contacts?organization={org.body['id']}&limit=2")
    assert [c["id"] for c in first.body["items"]] == ids[:2] and first.body["next_cursor"]
    rest = admin.get(f"/api/v1/contacts?organization={org.body['id']}&limit=2"
                     f"&cursor={first.body['next_cursor']}")
    assert [c["id"] for c in rest.body["items"]] == ids[2:]

    empty = admin.get("/api/v1/contacts?organization=999999")
    assert empty.status == 200 and empty.body["items"] == []


def test_bad_organization_filter_and_who_may_ask(server, admin):
    for bad in ("abc", "0", "-3", "1.5", ""):
        assert_error(admin.get(f"/api/v1/contacts?organization={bad}"), 400, "invalid_argument",
                     "organization")
    # Staff look an organization's members up (test_directory_roles.py); customers may not.
    assert server.agent_session().get("/api/v1/contacts?organization=1").status == 200
    assert_error(server.customer_session().get("/api/v1/contacts?organization=1"), 403,
                 "permission_denied")
