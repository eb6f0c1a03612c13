"""Configuration: flags > GONGDAN_* environment > TOML file > defaults."""

import json
import socket
import subprocess
import time

import pytest

from conftest import BIN, assert_error, base_env, free_port


def _db_files(d):
    return d.is_dir() and any(p.is_file() for p in d.rglob("*"))


def _big_login(size):
    """A well-formed login body (unknown account) of exactly `size` bytes, padded with JSON
    whitespace so that no field is unusually long."""
    raw = json.dumps({"email": "nobody@example.com", "password": "wrong-password"}).encode()
    raw = b"{" + b" " * (size - len(raw)) + raw[1:]
    assert len(raw) == size
    return raw


def _write_toml(path, **values):
    lines = []
    for k, v in values.items():
        if isinstance(v, str):
            lines.append(f'{k} = "{v}"')
        elif isinstance(v, list):
            lines.append(f"{k} = [" + ", ".join(f'"{x}"' for x in v) + "]")
        else:
            lines.append(f"{k} = {v}")
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.sqlite_only
def test_default_data_dir_is_dot_data(start_server, tmp_path):
    srv = start_server(cwd=tmp_path, use_data_flag=False)
    assert srv.healthy()
    assert _db_files(tmp_path / "data"), "serve without --data must use ./data"


@pytest.mark.sqlite_only
def test_data_precedence_flag_env_file(start_server, tmp_path):
    file_dir, env_dir, flag_dir = tmp_path / "from-file", tmp_path / "from-env", tmp_path / "from-flag"
    cfg = _write_toml(tmp_path / "gongdan.toml", data=str(file_dir))

    srv = start_server(args=["--config", str(cfg)], use_data_flag=False, cwd=tmp_path)
    assert _db_files(file_dir)
    srv.stop_and_check()

    srv = start_server(args=["--config", str(cfg)], env={"GONGDAN_DATA": str(env_dir)},
                       use_data_flag=False, cwd=tmp_path)
    assert _db_files(env_dir)
    srv.stop_and_check()

    srv = start_server(args=["--config", str(cfg), "--data", str(flag_dir)],
                       env={"GONGDAN_DATA": str(env_dir)}, use_data_flag=False, cwd=tmp_path)
    assert _db_files(flag_dir)
    srv.stop_and_check()
    assert not (tmp_path / "data").exists(), "no setting fell back to the default ./data"


@pytest.mark.sqlite_only
def test_config_file_from_env(start_server, tmp_path):
    file_dir = tmp_path / "via-env-config"
    cfg = _write_toml(tmp_path / "c.toml", data=str(file_dir))
    srv = start_server(env={"GONGDAN_CONFIG": str(cfg)}, use_data_flag=False, cwd=tmp_path)
    assert srv.healthy()
    assert _db_files(file_dir)


def test_listen_precedence_flag_env_file(start_server, tmp_path):
    p_file, p_env, p_flag = free_port(), free_port(), free_port()
    cfg = _write_toml(tmp_path / "gongdan.toml", listen=f"127.0.0.1:{p_file}")

    srv = start_server(args=["--config", str(cfg)], listen=None)
    assert srv.port == p_file
    srv.stop_and_check()

    srv = start_server(args=["--config", str(cfg)], env={"GONGDAN_LISTEN": f"127.0.0.1:{p_env}"},
                       listen=None)
    assert srv.port == p_env
    srv.stop_and_check()

    srv = start_server(args=["--config", str(cfg)], env={"GONGDAN_LISTEN": f"127.0.0.1:{p_env}"},
                       listen=f"127.0.0.1:{p_flag}")
    assert srv.port == p_flag
    assert srv.healthy()


def test_body_limit_precedence(start_server, tmp_path):
    cfg = _write_toml(tmp_path / "gongdan.toml", body_limit=2048)
    body = _big_login(5000)

    srv = start_server(args=["--config", str(cfg)])
    assert_error(srv.post("/api/v1/auth/login", raw_body=body), 413, "payload_too_large")
    assert_error(srv.post("/api/v1/auth/login", raw_body=_big_login(2048)), 401, "unauthenticated")
    srv.stop_and_check()

    srv = start_server(args=["--config", str(cfg)], env={"GONGDAN_BODY_LIMIT": "8192"})
    assert_error(srv.post("/api/v1/auth/login", raw_body=body), 401, "unauthenticated")
    assert_error(srv.post("/api/v1/auth/login", raw_body=_big_login(8193)), 413,
                 "payload_too_large")
    srv.stop_and_check()

    srv = start_server(args=["--config", str(cfg), "--body-limit", "4096"],
                       env={"GONGDAN_BODY_LIMIT": "8192"})
    assert_error(srv.post("/api/v1/auth/login", raw_body=body), 413, "payload_too_large")
    assert_error(srv.post("/api/v1/auth/login", raw_body=_big_login(4096)), 401, "unauthenticated")
    assert srv.healthy()


def test_default_body_limit_is_one_mebibyte(fresh_server):
    assert_error(fresh_server.post("/api/v1/auth/login", raw_body=_big_login(1048576)), 401,
                 "unauthenticated")
    assert_error(fresh_server.post("/api/v1/auth/login", raw_body=_big_login(1048577)), 413,
                 "payload_too_large")
    assert fresh_server.healthy()


@pytest.mark.parametrize("threads", ["1", "3"])
def test_threads_flag_and_env(start_server, threads):
    srv = start_server(args=["--threads", threads])
    assert srv.healthy()
    srv.stop_and_check()
    srv = start_server(env={"GONGDAN_THREADS": threads})
    for _ in range(5):
        assert srv.healthy()


@pytest.mark.parametrize("level", ["debug", "warn", "error"])
def test_log_level_env(start_server, level):
    srv = start_server(env={"GONGDAN_LOG_LEVEL": level})
    assert srv.healthy()
    assert srv.login().user["email"] == "admin@localhost"


@pytest.mark.sqlite_only
def test_full_toml_file_accepted(start_server, tmp_path):
    cfg = _write_toml(tmp_path / "all.toml", data=str(tmp_path / "d"), listen="127.0.0.1:0",
                      body_limit=65536, threads=2, log_level="info", trusted_proxies=["127.0.0.1"],
                      login_max_failures_per_account=5, login_max_failures_per_address=20,
                      login_window_seconds=900)
    srv = start_server(args=["--config", str(cfg)], use_data_flag=False, listen=None)
    assert srv.healthy()
    assert srv.login().user["role"] == "admin"
    assert _db_files(tmp_path / "d")


@pytest.mark.parametrize("content", ["this is = = not toml\n", "body_limit = \"many\"\n",
                                     "listen = 42\n"])
def test_bad_config_file_fails_to_start(tmp_path, content):
    cfg = tmp_path / "bad.toml"
    cfg.write_text(content)
    p = subprocess.run([BIN, "serve", "--config", str(cfg), "--data", str(tmp_path / "d"),
                        "--listen", "127.0.0.1:0"], capture_output=True, text=True, timeout=20,
                       env=base_env())
    assert p.returncode != 0
    assert p.stderr.strip(), "a bad configuration must be explained on stderr"
    assert "listening" not in p.stdout


def test_missing_config_file_fails(tmp_path):
    p = subprocess.run([BIN, "serve", "--config", str(tmp_path / "nope.toml"), "--data",
                        str(tmp_path / "d"), "--listen", "127.0.0.1:0"], capture_output=True,
                       text=True, timeout=20, env=base_env())
    assert p.returncode != 0
    assert "listening" not in p.stdout


def test_port_in_use_fails_cleanly(tmp_path):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        t0 = time.monotonic()
        p = subprocess.run([BIN, "serve", "--data", str(tmp_path / "d"), "--listen",
                            f"127.0.0.1:{port}"], capture_output=True, text=True, timeout=20,
                           env=base_env())
        assert p.returncode != 0
        assert "listening" not in p.stdout
        assert p.stderr.strip()
        assert time.monotonic() - t0 < 15


def test_cli_honours_env_data(tmp_path):
    data = tmp_path / "envdata"
    p = subprocess.run([BIN, "migrate"], capture_output=True, text=True, timeout=30,
                       env=base_env({"GONGDAN_DATA": str(data)}), cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert _db_files(data)
    assert not (tmp_path / "data").exists()


def test_cli_honours_config_file(tmp_path):
    data = tmp_path / "cfgdata"
    cfg = _write_toml(tmp_path / "c.toml", data=str(data))
    p = subprocess.run([BIN, "user", "create", "--role", "agent", "--email", "cfg@example.com",
                        "--config", str(cfg), "--password-stdin"], input="cfg-password-1\n",
                       capture_output=True, text=True, timeout=30, env=base_env(), cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    p = subprocess.run([BIN, "user", "list"], capture_output=True, text=True, timeout=30,
                       env=base_env({"GONGDAN_CONFIG": str(cfg)}), cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert "cfg@example.com" in p.stdout
    assert not (tmp_path / "data").exists()

