"""Issue 16, item 8: wrong passwords slow the guessing address down (a growing wait per account
and client address) instead of locking the account for everyone; one address is still capped
over all accounts. Client addresses come from X-Forwarded-For through a trusted proxy; the waits
pass on the test clock."""

from conftest import ADMIN_EMAIL, ADMIN_PASSWORD, assert_error, session_cookie, unique_email

GUESSER = {"X-Forwarded-For": "203.0.113.66"}
OWNER = {"X-Forwarded-For": "198.51.100.7"}


def desk(start_server, tmp_path, extra=""):
    cfg = tmp_path / "throttle.toml"
    cfg.write_text('trusted_proxies = ["127.0.0.1"]\n'
                   "login_failures_before_delay = 3\nlogin_delay_seconds = 1\n" + extra)
    return start_server(args=["--config", str(cfg)], clock=True)


def retry_after(r):
    return int(r.headers["Retry-After"])


def test_a_guesser_cannot_lock_the_owner_out(start_server, tmp_path):
    srv = desk(start_server, tmp_path)
    # The attack: wrong passwords for the admin from somewhere else.
    for i in range(8):
        r = srv.login_raw(ADMIN_EMAIL, f"wrong-{i}", headers=GUESSER)
        assert r.status in (401, 429), r
    # The owner, from their own address, signs in at once with the right password.
    r = srv.login_raw(ADMIN_EMAIL, ADMIN_PASSWORD, headers=OWNER)
    assert r.status == 200, r
    assert session_cookie(r.headers)


def test_the_wait_grows_with_each_failure_and_the_right_password_then_works(start_server,
                                                                            tmp_path):
    srv = desk(start_server, tmp_path)
    user, pw = srv.create_agent()
    for i in range(3):  # free tries
        assert_error(srv.login_raw(user["email"], f"wrong-{i}", headers=GUESSER), 401,
                     "unauthenticated")
    held = srv.login_raw(user["email"], pw, headers=GUESSER)
    assert_error(held, 429, "rate_limited")
    assert retry_after(held) == 1
    srv.advance(seconds=1)
    assert_error(srv.login_raw(user["email"], "wrong-again", headers=GUESSER), 401,
                 "unauthenticated")
    held = srv.login_raw(user["email"], pw, headers=GUESSER)
    assert_error(held, 429, "rate_limited")
    assert retry_after(held) == 2  # doubled
    srv.advance(seconds=1.5)
    assert_error(srv.login_raw(user["email"], pw, headers=GUESSER), 429, "rate_limited")
    srv.advance(seconds=0.5)
    r = srv.login_raw(user["email"], pw, headers=GUESSER)
    assert r.status == 200, r


def test_one_address_is_still_capped_over_all_accounts(start_server, tmp_path):
    srv = desk(start_server, tmp_path, "login_max_failures_per_address = 5\n")
    for i in range(5):
        assert srv.login_raw(unique_email("ghost"), "wrong", headers=GUESSER).status == 401
    r = srv.login_raw(ADMIN_EMAIL, ADMIN_PASSWORD, headers=GUESSER)
    assert_error(r, 429, "rate_limited")
    assert 1 <= retry_after(r) <= 900
    assert srv.login_raw(ADMIN_EMAIL, ADMIN_PASSWORD, headers=OWNER).status == 200


def test_the_old_setting_name_still_reads(start_server, tmp_path):
    cfg = tmp_path / "old.toml"
    cfg.write_text("login_max_failures_per_account = 2\n")
    srv = start_server(args=["--config", str(cfg)])
    for i in range(2):
        assert srv.login_raw(ADMIN_EMAIL, f"wrong-{i}").status == 401
    assert_error(srv.login_raw(ADMIN_EMAIL, ADMIN_PASSWORD), 429, "rate_limited")
