"""Issue 21: sign-in through OpenID Connect, against a real provider (npm's oidc-provider,
tests/oidc/provider.mjs) started once for this module. The browser's walk is done by hand
(oidc_provider.Browser): gongdan's redirect with state, nonce and PKCE, the provider's sign-in
form, the code back to the callback. The provider's token endpoint is told to misbehave for the
refusals (an ID token altered after signing, signed by another key, expired, for another
audience, with another nonce) and to rotate its keys."""

import urllib.parse

import pytest

from conftest import Session, assert_error, free_port
from oidc_provider import CALLBACK, Browser, oidc_provider  # noqa: F401 (a fixture)


@pytest.fixture(scope="module")
def providers(server, oidc_provider):  # noqa: F811
    admin = server.admin
    r = admin.post("/api/v1/departments", json={"name": "OIDC support"})
    assert r.status == 201, r
    department = r.body["id"]
    mappings = [{"claim": "groups", "value": "support", "role": "agent",
                 "departments": [department]},
                {"claim": "groups", "value": "leads", "role": "supervisor"}]

    def declare(**fields):
        body = {"issuer": oidc_provider.issuer, "client_id": "gongdan",
                "client_secret": "gongdan-secret", "mappings": mappings,
                "scopes": ["openid", "email", "profile", "groups"], **fields}
        r = admin.post("/api/v1/oidc-providers", json=body)
        assert r.status == 201, r
        assert r.body["has_client_secret"] is True and "client_secret" not in r.body
        return r.body["id"]

    return {
        "main": declare(name="Company SSO", button_en="Company account", button_zh="公司账号"),
        "es256": declare(name="Company SSO (ES256)", client_id="gongdan-es",
                         client_secret="gongdan-es-secret", use_userinfo=True),
        "existing_only": declare(name="No new accounts", create_accounts=False),
        "down": declare(name="Down", issuer=f"http://127.0.0.1:{free_port()}"),
        "department": department,
    }


def signed_in(server, cookie):
    r = server.get("/api/v1/me", headers={"Cookie": f"gongdan_session={cookie}"})
    assert r.status == 200, r
    return Session(server, cookie, r.headers["X-CSRF-Token"], r.body)


def sso_error(location):
    query = urllib.parse.parse_qs(urllib.parse.urlparse(location).query)
    assert urllib.parse.urlparse(location).path == "/desk/login", location
    return query["sso_error"][0]


@pytest.fixture
def provider_mode(oidc_provider):  # noqa: F811
    yield oidc_provider.control
    oidc_provider.control("normal")


def test_the_sign_in_page_lists_the_active_providers(server, providers):
    r = server.get("/api/v1/auth/oidc/providers")
    assert r.status == 200, r
    labels = {p["id"]: (p["label_en"], p["label_zh"]) for p in r.body["items"]}
    assert labels[providers["main"]] == ("Company account", "公司账号")
    assert labels[providers["es256"]] == ("Company SSO (ES256)",) * 2  # the name when unset


def test_a_person_signs_in_and_gets_the_role_their_claims_map_to(server, providers):
    location, cookie = Browser(server).sign_in(providers["main"], "alice")
    assert location == "/desk" and cookie, location
    alice = signed_in(server, cookie)
    assert alice.user["role"] == "agent" and alice.user["name"] == "Alice Agent"
    assert alice.get("/api/v1/tickets").status == 200
    r = server.admin.get(f"/api/v1/agents/{alice.user['id']}/departments")
    assert r.body["departments"] == [providers["department"]], r
    # Two mapped groups: the higher role. The same person again: the same account.
    _, cookie = Browser(server).sign_in(providers["main"], "bob")
    assert signed_in(server, cookie).user["role"] == "supervisor"
    _, cookie = Browser(server).sign_in(providers["main"], "alice")
    assert signed_in(server, cookie).user["id"] == alice.user["id"]
    audit = server.admin.get(f"/api/v1/audit?target=user:{alice.user['id']}").body["items"]
    assert any(e["action"] == "user.create" and e["detail"]["via"] == f"oidc:{providers['main']}"
               for e in audit)
    logins = server.admin.get("/api/v1/audit?action=auth.login").body["items"]
    assert any(f"oidc:{providers['main']}" in e["target"] for e in logins)


def test_es256_tokens_and_userinfo(server, providers):
    location, cookie = Browser(server).sign_in(providers["es256"], "alice")
    assert location == "/desk" and signed_in(server, cookie).user["email"] == "alice@example.org"


def test_no_mapped_claim_or_no_account_is_refused(server, providers):
    location, cookie = Browser(server).sign_in(providers["main"], "lilei")
    assert cookie is None and "no access" in sso_error(location)
    location, cookie = Browser(server).sign_in(providers["existing_only"], "newcomer")
    assert cookie is None and "no account here" in sso_error(location)


def test_a_state_is_used_once_and_only_by_the_browser_that_started_it(server, providers):
    browser = Browser(server)
    callback = browser.to_callback(providers["main"], "alice")
    wrong = callback.replace("state=", "state=x")
    location, cookie = browser.finish(wrong)
    assert cookie is None and "unknown, used or expired" in sso_error(location)
    # The right state from another browser (no gongdan_oidc cookie) is refused, and spent.
    location, cookie = Browser(server).finish(callback)
    assert cookie is None and "another browser" in sso_error(location)
    location, cookie = browser.finish(callback)
    assert cookie is None and "unknown, used or expired" in sso_error(location)
    failures = server.admin.get("/api/v1/audit?action=auth.oidc_failed").body["items"]
    assert any("another browser" in e["detail"]["reason"] for e in failures)


@pytest.mark.parametrize("mode, reason", [
    ("tamper", "signature"),
    ("forge", "signature"),
    ("expired", "expired"),
    ("audience", "another client"),
    ("nonce", "nonce"),
])
def test_a_bad_id_token_is_refused(server, providers, provider_mode, mode, reason):
    provider_mode(mode)
    location, cookie = Browser(server).sign_in(providers["main"], "alice")
    assert cookie is None, location
    assert reason in sso_error(location)


def test_keys_rotated_at_the_provider_are_fetched_again(server, providers, oidc_provider):  # noqa: F811
    _, cookie = Browser(server).sign_in(providers["main"], "alice")  # the old keys are cached
    assert cookie
    assert oidc_provider.control("rotate")["kid"] == "rsa-2"
    location, cookie = Browser(server).sign_in(providers["main"], "alice")
    assert location == "/desk" and cookie, location


def test_a_provider_that_is_down_fails_clearly(server, providers):
    location = Browser(server).start(providers["down"])
    assert "cannot be reached" in sso_error(location.replace(server.base_url, ""))
    # An unknown provider, and bad settings, are refused with the field named.
    assert "no such" in sso_error(Browser(server).start(999999).replace(server.base_url, ""))
    for body, field in [({"name": "x", "issuer": "ftp://x", "client_id": "c"}, "issuer"),
                        ({"name": "y", "issuer": "https://x", "client_id": "c",
                          "scopes": ["email"]}, "scopes"),
                        ({"name": "z", "issuer": "https://x", "client_id": "c",
                          "mappings": [{"claim": "groups"}]}, "mappings[0].value")]:
        assert_error(server.admin.post("/api/v1/oidc-providers", json=body), 400,
                     "invalid_argument", field)
