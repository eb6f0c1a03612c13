"""Issue 21: sign-in through SAML 2.0 identity providers, against a real IdP (Debian's pysaml2,
tests/saml/idp.py) started once for this module with a throwaway key. The browser's walk is
done by hand (saml_idp.SamlBrowser): gongdan's AuthnRequest by HTTP-Redirect, the IdP's sign-in
form, its Response posted to the ACS exactly as its self-submitting form would. The IdP is told
to misbehave for the refusals: unsigned, signed by another key, altered after signing, for
another audience, expired, not yet valid, unsolicited, answering another request; and a
Response posted twice is a replay."""

import urllib.parse

import pytest

from conftest import Session, assert_error
from saml_idp import ACS, METADATA, SamlBrowser, saml_idp  # noqa: F401 (a fixture)


@pytest.fixture(scope="module")
def providers(server, saml_idp):  # noqa: F811
    admin = server.admin
    r = admin.post("/api/v1/departments", json={"name": "SAML support"})
    assert r.status == 201, r
    department = r.body["id"]
    mappings = [{"attribute": "groups", "value": "support", "role": "agent",
                 "departments": [department]},
                {"attribute": "groups", "value": "leads", "role": "supervisor"}]

    def declare(**fields):
        body = {"entity_id": saml_idp.entity_id, "sso_url": saml_idp.sso_url,
                "certificate": saml_idp.certificate, "mappings": mappings, **fields}
        r = admin.post("/api/v1/saml-providers", json=body)
        assert r.status == 201, r
        return r.body

    return {
        "main": declare(name="Company SAML", button_en="Company SAML", button_zh="公司 SAML")["id"],
        "existing_only": declare(name="SAML, no new accounts", create_accounts=False,
                                 unmapped="customer")["id"],
        "department": department,
    }


def signed_in(server, cookie):
    r = server.get("/api/v1/me", headers={"Cookie": f"gongdan_session={cookie}"})
    assert r.status == 200, r
    return Session(server, cookie, r.headers["X-CSRF-Token"], r.body)


def refusal(location):
    """(sso_reason, sso_error) of a redirect to the desk's sign-in page."""
    url = urllib.parse.urlparse(location)
    assert url.path == "/desk/login", location
    query = urllib.parse.parse_qs(url.query)
    return query.get("sso_reason", [""])[0], query["sso_error"][0]


@pytest.fixture
def idp_mode(saml_idp):  # noqa: F811
    yield saml_idp.control
    saml_idp.control()


def test_the_service_provider_metadata_names_our_entity_id_and_acs(server):
    r = server.get(METADATA)
    assert r.status == 200 and r.headers["Content-Type"].startswith(
        "application/samlmetadata+xml"), r
    text = r.raw.decode()
    assert f'entityID="{server.base_url}{METADATA}"' in text
    assert f'Location="{server.base_url}{ACS}"' in text and "HTTP-POST" in text


def test_the_sign_in_page_lists_the_active_providers(server, providers):
    r = server.get("/api/v1/auth/saml/providers")
    assert r.status == 200, r
    labels = {p["id"]: (p["label_en"], p["label_zh"]) for p in r.body["items"]}
    assert labels[providers["main"]] == ("Company SAML", "公司 SAML")
    assert labels[providers["existing_only"]] == ("SAML, no new accounts",) * 2


def test_a_person_signs_in_and_gets_the_role_their_attributes_map_to(server, providers):
    location, cookie = SamlBrowser(server).sign_in(providers["main"], "alice")
    assert location == "/desk" and cookie, location
    alice = signed_in(server, cookie)
    assert alice.user["role"] == "agent" and alice.user["name"] == "Alice Agent"
    assert alice.user["email"] == "alice@example.org"
    r = server.admin.get(f"/api/v1/agents/{alice.user['id']}/departments")
    assert r.body["departments"] == [providers["department"]], r
    # Two mapped groups: the higher role. The same person again: the same account.
    _, cookie = SamlBrowser(server).sign_in(providers["main"], "bob")
    assert signed_in(server, cookie).user["role"] == "supervisor"
    _, cookie = SamlBrowser(server).sign_in(providers["main"], "alice")
    assert signed_in(server, cookie).user["id"] == alice.user["id"]
    audit = server.admin.get(f"/api/v1/audit?target=user:{alice.user['id']}").body["items"]
    assert any(e["action"] == "user.create" and e["detail"]["via"] == f"saml:{providers['main']}"
               for e in audit)


def test_no_mapped_attribute_or_no_account_is_refused(server, providers):
    location, cookie = SamlBrowser(server).sign_in(providers["main"], "lilei")
    assert cookie is None and refusal(location)[0] == "no_access"
    location, cookie = SamlBrowser(server).sign_in(providers["existing_only"], "lilei")
    assert cookie is None and "no account here" in refusal(location)[1]


@pytest.mark.parametrize("mode, reason", [
    ({"sign": "none"}, "unsigned"),
    ({"sign": "other"}, "signature"),
    ({"sign": "tampered"}, "signature"),
    ({"audience": "https://another.example/sp"}, "audience"),
    ({"shift": -7200}, "expired"),
    ({"shift": 3600}, "not_yet_valid"),
    ({"in_response_to": "none"}, "unsolicited"),
    ({"in_response_to": "_another_request"}, "in_response_to"),
])
def test_a_bad_response_is_refused(server, providers, idp_mode, mode, reason):
    idp_mode(**mode)
    location, cookie = SamlBrowser(server).sign_in(providers["main"], "alice")
    assert cookie is None, location
    kind, why = refusal(location)
    assert kind == reason, location
    failures = server.admin.get("/api/v1/audit?action=auth.saml_failed").body["items"]
    assert any(e["target"] == f"saml_provider:{providers['main']}" and
               e["detail"]["reason"] == why for e in failures), failures[:3]


def test_signed_responses_are_taken_as_well_as_signed_assertions(server, providers, idp_mode):
    for how in ("response", "both"):
        idp_mode(sign=how)
        location, cookie = SamlBrowser(server).sign_in(providers["main"], "bob")
        assert location == "/desk" and cookie, (how, location)


def test_a_response_is_taken_once(server, providers):
    browser = SamlBrowser(server)
    action, form = browser.to_acs(providers["main"], "alice")
    location, cookie = browser.post(action, form)
    assert location == "/desk" and cookie
    location, cookie = browser.post(action, form)  # the same POST again: a replay
    assert cookie is None and refusal(location)[0] == "replayed"
    # Without the RelayState of a sign-in started here: unsolicited.
    location, cookie = browser.post(action, {"SAMLResponse": form["SAMLResponse"]})
    assert cookie is None and refusal(location)[0] == "unsolicited"
    # A sign-in's RelayState with something that is not a SAML Response.
    action, form = browser.to_acs(providers["main"], "alice")
    for junk in ("bm90IHhtbA==", "PHg+PC94Pg==", "not base64!", ""):
        location, cookie = browser.post(action, {**form, "SAMLResponse": junk})
        assert cookie is None and refusal(location)[0] == "malformed", (junk, location)


@pytest.mark.parametrize("body, content_type", [
    ("SAMLResponse=not%20base64!&RelayState=x", "application/x-www-form-urlencoded"),
    ('{"SAMLResponse": "PHg+"}', "application/json"),
    ("SAMLResponse=PHg%2BPC94Pg%3D%3D", "application/x-www-form-urlencoded"),
    ("", "application/x-www-form-urlencoded"),
])
def test_junk_posted_to_the_acs_goes_back_to_the_sign_in_page(server, body, content_type):
    c = server.connection()  # not through the OpenAPI check: some of these bodies are off-spec
    try:
        c.request("POST", ACS, body=body.encode(), headers={"Content-Type": content_type})
        r = c.getresponse()
        r.read()
    finally:
        c.close()
    assert r.status == 302, r.status
    assert refusal(r.getheader("Location"))[0] in ("unsolicited", "malformed")


def test_a_provider_from_its_metadata(server, saml_idp):  # noqa: F811
    r = server.admin.post("/api/v1/saml-providers", json={
        "name": "Imported SAML", "metadata": saml_idp.metadata(), "unmapped": "customer"})
    assert r.status == 201, r
    imported = r.body
    assert imported["entity_id"] == saml_idp.entity_id and imported["sso_url"] == saml_idp.sso_url
    assert "BEGIN CERTIFICATE" in imported["certificate"]
    location, cookie = SamlBrowser(server).sign_in(imported["id"], "lilei")
    assert location == "/desk" and cookie, location
    assert signed_in(server, cookie).user["role"] == "customer"


@pytest.mark.parametrize("body, field", [
    ({"name": "a", "entity_id": "x", "sso_url": "https://idp.example/sso",
      "certificate": "not a certificate"}, "certificate"),
    ({"name": "b", "sso_url": "https://idp.example/sso"}, "entity_id"),
    ({"name": "c", "entity_id": "x", "sso_url": "ftp://idp.example/sso"}, "sso_url"),
    ({"name": "d", "metadata": "<not-metadata/>"}, "metadata"),
    ({"name": "e", "metadata": "<md:EntityDescriptor"}, "metadata"),
    ({"name": "f", "entity_id": "x", "sso_url": "https://idp.example/sso",
      "mappings": [{"attribute": "groups"}]}, "mappings[0].value"),
])
def test_bad_settings_are_refused_with_the_field(server, body, field):
    assert_error(server.admin.post("/api/v1/saml-providers", json=body), 400,
                 "invalid_argument", field)
