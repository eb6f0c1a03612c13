"""trusted_proxies takes CIDR ranges (IPv4 and IPv6) as well as addresses, from the file or
GONGDAN_TRUSTED_PROXIES (comma-separated); a bad entry stops the server at start, naming it. The
client address a request is attributed to shows in the audit log of a failed sign-in."""

import subprocess

import pytest

from conftest import BIN, base_env, unique_email

FORWARDED = "203.0.113.45"


def failed_login_ip(srv):
    email = unique_email("proxied")
    assert srv.login_raw(email, "wrong", headers={"X-Forwarded-For": FORWARDED}).status == 401
    items = srv.admin.get("/api/v1/audit?limit=100").body["items"]
    failed = [e for e in items if e["action"] == "auth.login_failed"]
    assert failed, items
    return failed[0]["ip"]


def config(tmp_path, line):
    cfg = tmp_path / "proxies.toml"
    cfg.write_text(line + "\n")
    return cfg


def test_a_range_in_the_file_trusts_every_address_in_it(start_server, tmp_path):
    srv = start_server(args=["--config", str(config(tmp_path,
                                                    'trusted_proxies = ["127.0.0.0/8"]'))])
    assert failed_login_ip(srv) == FORWARDED


def test_a_range_that_leaves_the_peer_out_is_not_believed(start_server, tmp_path):
    cfg = config(tmp_path, 'trusted_proxies = ["10.0.0.0/8", "127.0.1.0/24", "fd00::/8", "::1"]')
    srv = start_server(args=["--config", str(cfg)])
    assert failed_login_ip(srv) == "127.0.0.1"


def test_the_environment_variable_lists_ranges_and_overrides_the_file(start_server, tmp_path):
    cfg = config(tmp_path, "trusted_proxies = []")
    srv = start_server(args=["--config", str(cfg)],
                       env={"GONGDAN_TRUSTED_PROXIES": "fd00::/8, 127.0.0.0/30"})
    assert failed_login_ip(srv) == FORWARDED
    srv.stop_and_check()
    srv = start_server(env={"GONGDAN_TRUSTED_PROXIES": "192.168.0.0/16,10.1.2.3"})
    assert failed_login_ip(srv) == "127.0.0.1"


def serve(tmp_path, args=(), env=None):
    return subprocess.run([BIN, "serve", "--data", str(tmp_path / "d"), "--listen",
                           "127.0.0.1:0", *args], capture_output=True, text=True, timeout=20,
                          env={**base_env(), **(env or {})})


@pytest.mark.parametrize("entry", ["localhost", "10.0.0.0/33", "10.0.0.1/8", "fd00::/200",
                                   "127.0.0.1/", "300.1.2.3"])
def test_a_bad_entry_in_the_file_stops_the_server(tmp_path, entry):
    p = serve(tmp_path, ["--config", str(config(tmp_path, f'trusted_proxies = ["{entry}"]'))])
    assert p.returncode != 0
    assert "listening" not in p.stdout
    assert "trusted_proxies" in p.stderr and f"'{entry}'" in p.stderr, p.stderr


def test_a_bad_entry_in_the_environment_stops_the_server(tmp_path):
    p = serve(tmp_path, env={"GONGDAN_TRUSTED_PROXIES": "127.0.0.1, nginx.internal"})
    assert p.returncode != 0
    assert "listening" not in p.stdout
    assert "'nginx.internal'" in p.stderr, p.stderr
