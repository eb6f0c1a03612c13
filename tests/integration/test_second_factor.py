"""Issue 21: two-factor sign-in with time-based codes. Enrolment (secret, otpauth URI, QR code,
a first code, recovery codes shown once), sign-in in two steps, wrong codes throttled like wrong
passwords, a code refused the second time, recovery codes used once, remember-this-device, the
roles that must enrol, and an admin's reset. The server runs on the test clock; the codes are
computed here (totp.py) at the server's time."""

import base64
import urllib.parse

from conftest import assert_error, session_cookie, Session
from totp import code_at

DEVICE = "gongdan_device"


def now_seconds(srv):
    return srv.clock().timestamp()


def enrol(srv, session):
    r = session.post("/api/v1/me/second-factor")
    assert r.status == 201, r
    secret = r.body["secret"]
    uri = urllib.parse.urlparse(r.body["otpauth_uri"])
    assert uri.scheme == "otpauth" and uri.netloc == "totp"
    assert urllib.parse.parse_qs(uri.query)["secret"] == [secret]
    assert r.body["qr_code"].startswith("data:image/svg+xml,")
    r = session.post("/api/v1/me/second-factor/confirm",
                     json={"code": code_at(secret, now_seconds(srv))})
    assert r.status == 200, r
    codes = r.body["recovery_codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    return secret, codes


def device_cookie(headers):
    for value in headers.get_all("Set-Cookie") or []:
        if value.startswith(DEVICE + "="):
            return value.split(";", 1)[0].split("=", 1)[1]
    return None


def second_step(srv, challenge, headers=None, **answer):
    return srv.post("/api/v1/auth/second-factor", json={"challenge": challenge, **answer},
                    headers=headers)


def signed_in(srv, r):
    assert r.status == 200, r
    return Session(srv, session_cookie(r.headers), r.body["csrf_token"], r.body["user"])


def test_the_codes_computed_here_follow_rfc_6238():
    # Appendix B, SHA-1: the secret is the ASCII of "12345678901234567890"; 8-digit codes.
    secret = base64.b32encode(b"12345678901234567890").decode()
    assert code_at(secret, 59, digits=8) == "94287082"
    assert code_at(secret, 1111111109, digits=8) == "07081804"
    assert code_at(secret, 20000000000, digits=8) == "65353130"


def test_enrol_then_sign_in_in_two_steps(start_server):
    srv = start_server(clock=True)
    user, pw = srv.create_agent()
    session = srv.login(user["email"], pw)
    assert session.get("/api/v1/me/second-factor").body["enabled"] is False
    secret, codes = enrol(srv, session)
    status = session.get("/api/v1/me/second-factor").body
    assert status["enabled"] is True and status["recovery_codes_left"] == 10

    # The password alone opens no session now.
    r = srv.login_raw(user["email"], pw)
    assert r.status == 202, r
    assert session_cookie(r.headers) is None
    challenge = r.body["challenge"]
    srv.advance(seconds=31)  # a fresh step: the enrolment's code is used up
    agent = signed_in(srv, second_step(srv, challenge, code=code_at(secret, now_seconds(srv))))
    assert agent.get("/api/v1/tickets").status == 200
    # The challenge went with its use.
    r = second_step(srv, challenge, code=code_at(secret, now_seconds(srv)))
    assert_error(r, 401, "unauthenticated", "challenge")

    # Audited: the enrolment and the two-step sign-in.
    actions = [e["action"] for e in srv.admin.get("/api/v1/audit").body["items"]]
    assert "user.second_factor_enable" in actions


def test_a_code_is_accepted_once(start_server):
    srv = start_server(clock=True)
    user, pw = srv.create_agent()
    secret, _ = enrol(srv, srv.login(user["email"], pw))
    srv.advance(seconds=30)
    code = code_at(secret, now_seconds(srv))
    first = srv.login_raw(user["email"], pw).body["challenge"]
    signed_in(srv, second_step(srv, first, code=code))
    # Someone who saw the code over a shoulder, within the same 30 seconds.
    again = srv.login_raw(user["email"], pw).body["challenge"]
    assert_error(second_step(srv, again, code=code), 401, "unauthenticated", "code")
    # The code of an earlier step is refused too, though within the clock-skew window.
    earlier = code_at(secret, now_seconds(srv) - 30)
    assert_error(second_step(srv, again, code=earlier), 401, "unauthenticated", "code")
    srv.advance(seconds=30)
    signed_in(srv, second_step(srv, again, code=code_at(secret, now_seconds(srv))))


def test_wrong_codes_are_throttled_like_passwords(start_server, tmp_path):
    cfg = tmp_path / "throttle.toml"
    cfg.write_text('trusted_proxies = ["127.0.0.1"]\n'
                   "login_failures_before_delay = 3\nlogin_delay_seconds = 1\n")
    srv = start_server(args=["--config", str(cfg)], clock=True)
    guesser = {"X-Forwarded-For": "203.0.113.66"}
    user, pw = srv.create_agent()
    secret, _ = enrol(srv, srv.login(user["email"], pw))
    srv.advance(seconds=30)
    challenge = srv.login_raw(user["email"], pw, headers=guesser).body["challenge"]
    right = code_at(secret, now_seconds(srv))
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(3):
        assert_error(second_step(srv, challenge, code=wrong, headers=guesser), 401,
                     "unauthenticated", "code")
    held = second_step(srv, challenge, code=right, headers=guesser)
    assert_error(held, 429, "rate_limited")
    assert int(held.headers["Retry-After"]) == 1
    srv.advance(seconds=1)
    signed_in(srv, second_step(srv, challenge, code=right, headers=guesser))
    failed = [e for e in srv.admin.get("/api/v1/audit").body["items"]
              if e["action"] == "auth.second_factor_failed"]
    assert len(failed) == 3


def test_recovery_codes_work_once(start_server):
    srv = start_server(clock=True)
    user, pw = srv.create_agent()
    session = srv.login(user["email"], pw)
    _, codes = enrol(srv, session)
    challenge = srv.login_raw(user["email"], pw).body["challenge"]
    # Typed without the dash and in capitals: still the code.
    typed = codes[0].replace("-", "").upper()
    signed_in(srv, second_step(srv, challenge, recovery_code=typed))
    challenge = srv.login_raw(user["email"], pw).body["challenge"]
    assert_error(second_step(srv, challenge, recovery_code=codes[0]), 401, "unauthenticated",
                 "recovery_code")
    signed_in(srv, second_step(srv, challenge, recovery_code=codes[1]))
    assert session.get("/api/v1/me/second-factor").body["recovery_codes_left"] == 8


def test_remember_this_device(start_server):
    srv = start_server(clock=True)
    user, pw = srv.create_agent()
    secret, _ = enrol(srv, srv.login(user["email"], pw))
    srv.advance(seconds=30)
    challenge = srv.login_raw(user["email"], pw).body["challenge"]
    r = second_step(srv, challenge, code=code_at(secret, now_seconds(srv)), remember_device=True)
    signed_in(srv, r)
    token = device_cookie(r.headers)
    assert token
    remembered = {"Cookie": f"{DEVICE}={token}"}
    r = srv.login_raw(user["email"], pw, headers=remembered)
    signed_in(srv, r)
    # Still the password first: the cookie alone is nothing.
    assert_error(srv.login_raw(user["email"], "wrong-password", headers=remembered), 401,
                 "unauthenticated")
    # A forged or another person's cookie asks for the code.
    other, other_pw = srv.create_agent()
    enrol(srv, srv.login(other["email"], other_pw))
    assert srv.login_raw(other["email"], other_pw, headers=remembered).status == 202
    tampered = token[:-1] + ("0" if token[-1] != "0" else "1")
    assert srv.login_raw(user["email"], pw, headers={"Cookie": f"{DEVICE}={tampered}"}).status == 202
    # After the days it is remembered for, the code is asked again.
    srv.advance(days=31)
    assert srv.login_raw(user["email"], pw, headers=remembered).status == 202


def test_an_admin_requires_it_for_agents_and_resets_it(start_server):
    srv = start_server(clock=True)
    admin = srv.admin
    user, pw = srv.create_agent()
    early = srv.login(user["email"], pw)
    assert early.get("/api/v1/tickets").status == 200

    r = admin.request("PUT", "/api/v1/second-factor-policy", json={"required_roles": ["agent"]})
    assert r.status == 200, r
    assert r.body == {"required_roles": ["agent"], "required_custom_roles": []}, r
    # The open session may now only enrol.
    r = early.get("/api/v1/tickets")
    assert_error(r, 403, "permission_denied")
    assert "two-factor" in r.body["error"]["message"]
    # A fresh sign-in too: a session, but one that may only enrol.
    session = srv.login(user["email"], pw)
    assert_error(session.get("/api/v1/tickets"), 403, "permission_denied")
    assert_error(session.post("/api/v1/me/password",
                              json={"current_password": pw, "new_password": "another-pass-1"}),
                 403, "permission_denied")
    assert session.get("/api/v1/me").status == 200
    assert session.get("/api/v1/me/second-factor").body["required"] is True
    secret, _ = enrol(srv, session)
    assert session.get("/api/v1/tickets").status == 200
    # Required: it cannot be turned off by its owner.
    srv.advance(seconds=30)
    r = session.post("/api/v1/me/second-factor/disable",
                     json={"code": code_at(secret, now_seconds(srv))})
    assert_error(r, 403, "permission_denied")
    # Other roles are untouched.
    assert srv.agent_session("supervisor").get("/api/v1/tickets").status == 200

    # The admin resets it: audited; the next sign-in enrols again.
    assert_error(session.request("DELETE", f"/api/v1/agents/{user['id']}/second-factor"), 403,
                 "permission_denied")
    r = admin.request("DELETE", f"/api/v1/agents/{user['id']}/second-factor")
    assert r.status == 204, r
    assert_error(admin.request("DELETE", f"/api/v1/agents/{user['id']}/second-factor"), 409,
                 "conflict")
    assert_error(admin.request("DELETE", "/api/v1/agents/999999/second-factor"), 404,
                 "not_found")
    entries = admin.get("/api/v1/audit").body["items"]
    reset = [e for e in entries if e["action"] == "user.second_factor_reset"]
    assert reset and reset[0]["target"] == f"user:{user['id']}"
    assert any(e["action"] == "settings.second_factor_roles" for e in entries)
    again = srv.login(user["email"], pw)
    assert_error(again.get("/api/v1/tickets"), 403, "permission_denied")
    # No longer required: the held session is free again at once.
    r = admin.request("PUT", "/api/v1/second-factor-policy", json={"required_roles": []})
    assert r.status == 200 and r.body == {"required_roles": [], "required_custom_roles": []}, r
    assert again.get("/api/v1/tickets").status == 200


def test_a_custom_role_can_be_required_too(start_server):
    srv = start_server(clock=True)
    admin = srv.admin
    r = admin.post("/api/v1/roles", json={"name": "Night shift", "name_zh": "夜班",
                                          "permissions": ["tickets.view", "tickets.reply"]})
    assert r.status == 201, r
    role = r.body
    user, pw = srv.create_agent()
    r = admin.patch(f"/api/v1/agents/{user['id']}", json={"role_id": role["id"]})
    assert r.status == 200, r
    base = r.body["role"]
    early = srv.login(user["email"], pw)
    assert early.get("/api/v1/tickets").status == 200
    # Another agent of the same built-in role, without the custom one: untouched throughout.
    plain = srv.agent_session(base)

    r = admin.request("PUT", "/api/v1/second-factor-policy",
                      json={"required_roles": [], "required_custom_roles": [role["id"]]})
    assert r.status == 200, r
    assert r.body == {"required_roles": [], "required_custom_roles": [role["id"]]}, r
    assert admin.get("/api/v1/second-factor-policy").body == r.body
    # The holder's open session and a new one may only enrol; the desk needs a second factor.
    assert_error(early.get("/api/v1/tickets"), 403, "permission_denied")
    session = srv.login(user["email"], pw)
    assert_error(session.get("/api/v1/tickets"), 403, "permission_denied")
    assert session.get("/api/v1/me/second-factor").body["required"] is True
    assert plain.get("/api/v1/tickets").status == 200
    assert plain.get("/api/v1/me/second-factor").body["required"] is False
    entries = admin.get("/api/v1/audit").body["items"]
    policy = [e for e in entries if e["action"] == "settings.second_factor_roles"]
    assert policy and str(role["id"]) in str(policy[0]), policy[0]

    # Taken off the policy: the holder's held sessions are free again at once.
    r = admin.request("PUT", "/api/v1/second-factor-policy", json={"required_roles": []})
    assert r.status == 200 and r.body["required_custom_roles"] == [], r
    assert session.get("/api/v1/tickets").status == 200
    assert early.get("/api/v1/tickets").status == 200

    # Required again, the holder enrols; then a second factor opens the desk.
    r = admin.request("PUT", "/api/v1/second-factor-policy",
                      json={"required_roles": [], "required_custom_roles": [role["id"]]})
    assert r.status == 200, r
    held = srv.login(user["email"], pw)
    assert_error(held.get("/api/v1/tickets"), 403, "permission_denied")
    enrol(srv, held)
    assert held.get("/api/v1/tickets").status == 200
    assert srv.login_raw(user["email"], pw).status == 202  # the second step from now on

    # An unknown role is 400; a removed role leaves the policy.
    r = admin.request("PUT", "/api/v1/second-factor-policy",
                      json={"required_roles": [], "required_custom_roles": [role["id"], 999999]})
    assert_error(r, 400, "invalid_argument", "required_custom_roles")
    other = admin.post("/api/v1/roles", json={"name": "Temporary", "permissions": ["tickets.view"]})
    assert other.status == 201, other
    r = admin.request("PUT", "/api/v1/second-factor-policy",
                      json={"required_roles": [],
                            "required_custom_roles": [role["id"], other.body["id"]]})
    assert r.status == 200, r
    assert admin.delete(f"/api/v1/roles/{other.body['id']}").status == 204
    assert admin.get("/api/v1/second-factor-policy").body["required_custom_roles"] == [role["id"]]


def test_turning_it_off_takes_a_code(start_server):
    srv = start_server(clock=True)
    user, pw = srv.create_agent()
    session = srv.login(user["email"], pw)
    secret, codes = enrol(srv, session)
    assert_error(session.post("/api/v1/me/second-factor"), 409, "conflict")
    assert_error(session.post("/api/v1/me/second-factor/disable", json={"code": "123"}), 400,
                 "invalid_argument", "code")
    r = session.post("/api/v1/me/second-factor/disable", json={"code": codes[3]})
    assert r.status == 204, r
    assert srv.login_raw(user["email"], pw).status == 200


def test_bad_input_is_a_clear_4xx(start_server):
    srv = start_server(clock=True)
    admin = srv.admin
    user, pw = srv.create_agent()
    session = srv.login(user["email"], pw)
    assert_error(session.post("/api/v1/me/second-factor/confirm", json={"code": "123456"}), 409,
                 "conflict")
    session.post("/api/v1/me/second-factor")
    for body, field in [({}, "code"), ({"code": 123456}, "code"), ({"code": "x" * 40}, "code"),
                        ({"code": "12345a"}, "code"), ({"code": "1", "x": 1}, "x")]:
        r = session.post("/api/v1/me/second-factor/confirm", json=body)
        assert r.status == 400, (body, r)
    r = session.request("POST", "/api/v1/me/second-factor/confirm", raw_body="{not json")
    assert r.status == 400, r
    for body in [{"required_roles": ["customer"]}, {"required_roles": ["boss"]},
                 {"required_roles": "agent"}, {}, {"required_roles": ["agent"], "more": 1},
                 {"required_roles": [], "required_custom_roles": ["x"]},
                 {"required_roles": [], "required_custom_roles": [0]},
                 {"required_roles": [], "required_custom_roles": 3}]:
        r = admin.request("PUT", "/api/v1/second-factor-policy", json=body)
        assert r.status == 400, (body, r)
    assert_error(session.request("PUT", "/api/v1/second-factor-policy",
                                 json={"required_roles": []}), 403, "permission_denied")
    assert_error(session.get("/api/v1/second-factor-policy"), 403, "permission_denied")
    for body in [{}, {"challenge": "x"}, {"challenge": "x", "code": "123456",
                                          "recovery_code": "abc"},
                 {"challenge": 5, "code": "123456"}, {"challenge": "x", "code": 123456}]:
        r = srv.post("/api/v1/auth/second-factor", json=body)
        assert r.status == 400, (body, r)
    assert_error(srv.post("/api/v1/auth/second-factor",
                          json={"challenge": "nope", "code": "123456"}), 401, "unauthenticated",
                 "challenge")
    r = srv.request("POST", "/api/v1/auth/second-factor", raw_body="challenge=x",
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status == 415, r
    # An API token cannot enrol (a secret is for a person at a browser).
    token = session.post("/api/v1/tokens", json={"name": "t"}).body["token"]
    assert_error(srv.bearer(token).post("/api/v1/me/second-factor"), 403, "permission_denied")
