"""The test clock itself (docs/testing.md): refused without --enable-test-clock, whatever the
source of the setting; its routes only on a test clock and only for admins; forward only; idle
that waits for running work and says what is busy when it gives up."""

import os
import subprocess

from conftest import BIN, TEST_CLOCK_START, assert_error, base_env, parse_utc
from ticket_support import new_ticket
from webhook_support import Receiver, write_config


def serve(tmp_path, args=(), env=None):
    """`gongdan serve` that is expected to refuse to start."""
    return subprocess.run([BIN, "serve", "--data", str(tmp_path / "d"), "--listen", "127.0.0.1:0",
                           *args], capture_output=True, text=True, timeout=20,
                          env=base_env(env))


def test_refused_unless_enabled_on_the_command_line(tmp_path):
    cfg = tmp_path / "gongdan.toml"
    cfg.write_text(f'test_clock = "{TEST_CLOCK_START}"\n')
    for args, env in ((["--test-clock", TEST_CLOCK_START], None),
                      ([], {"GONGDAN_TEST_CLOCK": TEST_CLOCK_START}),
                      (["--config", str(cfg)], None),
                      # The switch is a flag only: not a file key, not an environment variable.
                      ([], {"GONGDAN_TEST_CLOCK": TEST_CLOCK_START,
                            "GONGDAN_ENABLE_TEST_CLOCK": "1"})):
        p = serve(tmp_path, args, env)
        assert p.returncode == 2, (args, env, p.stdout, p.stderr)
        assert "test_clock" in p.stderr and "--enable-test-clock" in p.stderr, p.stderr
        assert "listening" not in p.stdout
    cfg.write_text(f'test_clock = "{TEST_CLOCK_START}"\nenable_test_clock = true\n')
    p = serve(tmp_path, ["--config", str(cfg)])
    assert p.returncode == 2 and "enable_test_clock" in p.stderr, p.stderr
    p = serve(tmp_path, ["--test-clock", "next tuesday", "--enable-test-clock"])
    assert p.returncode == 2 and "test_clock" in p.stderr, p.stderr


def test_no_routes_on_a_real_clock(fresh_server):
    admin = fresh_server.admin
    assert_error(admin.get("/api/v1/test/clock"), 404, "not_found")
    assert_error(admin.post("/api/v1/test/clock", json={"advance_seconds": 60}), 404, "not_found")
    assert_error(admin.post("/api/v1/test/idle"), 404, "not_found")


def test_each_server_is_held_to_its_own_document(start_server):
    # Only a server on the test clock documents the test routes. The suite's OpenAPI check reads
    # each server's own document, so a clocked server first does not make the real clock's 404
    # look undocumented (nor the other way round).
    clocked = start_server(clock=True)
    assert "/api/v1/test/clock" in clocked.get("/api/v1/openapi.json").body["paths"]
    assert clocked.admin.get("/api/v1/test/clock").status == 200
    real = start_server()
    assert "/api/v1/test/clock" not in real.get("/api/v1/openapi.json").body["paths"]
    assert_error(real.admin.get("/api/v1/test/clock"), 404, "not_found")
    if os.environ.get("GONGDAN_TEST_OPENAPI", "1") != "0":
        assert "/api/v1/test/clock" in clocked.conformance.document["paths"]
        assert "/api/v1/test/clock" not in real.conformance.document["paths"]


def test_admins_move_it_forward_only(start_server):
    srv = start_server(clock=True)
    admin = srv.admin
    assert admin.get("/api/v1/test/clock").body == {"now": "2026-01-05T09:00:00.000Z"}
    # Time stands still until moved: what the server stamps is the clock's time.
    assert new_ticket(admin)["created_at"] == "2026-01-05T09:00:00.000Z"
    r = admin.post("/api/v1/test/clock", json={"advance_seconds": 90061.5})
    assert r.status == 200 and r.body == {"now": "2026-01-06T10:01:01.500Z"}, r
    r = admin.post("/api/v1/test/clock", json={"set": "2026-02-01T00:00:00Z"})
    assert r.status == 200 and r.body == {"now": "2026-02-01T00:00:00.000Z"}, r
    # Four weeks on, the admin's session has ended.
    assert_error(admin.get("/api/v1/me"), 401, "unauthenticated")
    admin = srv.sign_admin_in_again()
    assert new_ticket(admin)["created_at"] == "2026-02-01T00:00:00.000Z"
    for body, field in (({"set": "2026-01-31T23:59:59Z"}, "set"),
                        ({"set": "tomorrow"}, "set"),
                        ({"advance_seconds": -1}, "advance_seconds"),
                        ({"advance_seconds": "60"}, "advance_seconds"),
                        ({"advance_seconds": 1e12}, "advance_seconds"),
                        ({}, "advance_seconds"),
                        ({"advance_seconds": 1, "set": "2027-01-01T00:00:00Z"}, "set"),
                        ({"advance_seconds": 1, "speed": 2}, "speed")):
        assert_error(admin.post("/api/v1/test/clock", json=body), 400, "invalid_argument", field)
    assert_error(admin.post("/api/v1/test/idle", json={"timeout_seconds": 1000}), 400,
                 "invalid_argument", "timeout_seconds")
    agent = srv.agent_session()
    assert_error(agent.get("/api/v1/test/clock"), 403, "permission_denied")
    assert_error(agent.post("/api/v1/test/clock", json={"advance_seconds": 1}), 403,
                 "permission_denied")
    assert_error(agent.post("/api/v1/test/idle"), 403, "permission_denied")
    assert parse_utc(admin.get("/api/v1/test/clock").body["now"]) == srv.clock()
    # A restarted server goes on where its clock stood.
    srv.restart()
    assert srv.clock() == parse_utc("2026-02-01T00:00:00.000Z")


def test_idle_waits_for_running_work_and_says_what_is_busy(start_server, tmp_path):
    rec = Receiver(delay=1.5)
    try:
        srv = start_server(args=["--config", str(write_config(tmp_path / "g.toml"))], clock=True)
        admin = srv.admin
        assert admin.post("/api/v1/webhooks", json={"url": rec.url,
                                                    "events": ["ticket.created"]}).status == 201
        new_ticket(admin)
        r = admin.post("/api/v1/test/idle", json={"timeout_seconds": 0.2})
        assert_error(r, 503, "unavailable")
        assert "jobs are due or running" in r.body["error"]["message"], r.body
        r = admin.post("/api/v1/test/idle")
        assert r.status == 200 and r.body == {"now": "2026-01-05T09:00:00.000Z"}, r
        assert len(rec.snapshot()) == 1
    finally:
        rec.close()
