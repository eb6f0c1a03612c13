"""Issue 16, item 7: login CSRF. The public POSTs that sign someone in or mail them (sign-in,
sign-up, sign-in links) take application/json only (415 otherwise: a cross-site HTML form can
send text/plain or form data without a preflight) and refuse a browser's foreign Origin (403)."""

import pytest

from conftest import ADMIN_EMAIL, ADMIN_PASSWORD, assert_error, session_cookie

ROUTES = [
    ("/api/v1/auth/login", {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}),
    ("/api/v1/auth/signup", {"email": "csrf@example.com", "password": "customer-pass-1"}),
    ("/api/v1/auth/signup/verify", {"token": "x" * 43}),
    ("/api/v1/auth/link", {"email": "csrf@example.com"}),
    ("/api/v1/auth/link/redeem", {"token": "x" * 43}),
]


@pytest.mark.parametrize("path,body", ROUTES)
@pytest.mark.parametrize("ctype", ["text/plain", "application/x-www-form-urlencoded",
                                   "multipart/form-data; boundary=x", None])
def test_anything_but_json_is_415(server, path, body, ctype):
    import json
    headers = {"Content-Type": ctype} if ctype else {"Content-Type": ""}
    r = server.request("POST", path, raw_body=json.dumps(body), headers=headers)
    err = assert_error(r, 415, "unsupported_media_type")
    assert "application/json" in err["message"]
    assert session_cookie(r.headers) is None


def test_the_attack_a_cross_site_form_signing_the_victim_in(server):
    # What an attacker's page posts with <form enctype="text/plain">: it used to sign in.
    r = server.request("POST", "/api/v1/auth/login",
                       raw_body=f'{{"email":"{ADMIN_EMAIL}","password":"{ADMIN_PASSWORD}","x":"=1"}}',
                       headers={"Content-Type": "text/plain",
                                "Origin": "https://attacker.example"})
    assert r.status in (403, 415), r
    assert session_cookie(r.headers) is None


@pytest.mark.parametrize("path,body", ROUTES)
def test_a_foreign_origin_is_refused(server, path, body):
    for origin in ("https://attacker.example", "null", f"http://{server.host}:{server.port + 1}"):
        r = server.post(path, json=body, headers={"Origin": origin})
        assert_error(r, 403, "permission_denied", "Origin")
        assert session_cookie(r.headers) is None


def test_our_own_origin_and_programs_without_one_sign_in(server):
    own = f"http://{server.host}:{server.port}"
    for headers in ({"Origin": own}, {"Origin": own.upper()}, {},
                    {"Content-Type": "application/json; charset=utf-8"}):
        r = server.login_raw(ADMIN_EMAIL, ADMIN_PASSWORD, headers=headers)
        assert r.status == 200, (headers, r)


def test_the_public_url_origin_is_ours_too(start_server):
    srv = start_server(env={"GONGDAN_PUBLIC_URL": "https://desk.example.test/help/"})
    r = srv.login_raw(ADMIN_EMAIL, ADMIN_PASSWORD,
                      headers={"Origin": "https://desk.example.test"})
    assert r.status == 200, r
    assert_error(srv.login_raw(ADMIN_EMAIL, ADMIN_PASSWORD,
                               headers={"Origin": "https://desk.example.test.evil.example"}),
                 403, "permission_denied")
