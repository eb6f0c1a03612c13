"""A throwaway nginx from Debian for the tests that put it in front of gongdan: everything it
writes stays under one prefix, it runs in the foreground, and it is given back once it accepts
connections."""
import os
import shutil
import socket
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest

from waiting import poll

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
HAVE_NGINX = bool(shutil.which("nginx")) or os.path.exists("/usr/sbin/nginx")


def accepts(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


@contextmanager
def running_nginx(prefix: Path, site: str, port: int, *, connections=64, log_format="",
                  access_log="off"):
    """Runs nginx with the server blocks in `site` until the block ends; `port` is one it listens
    on. `access_log` is what follows that directive in the http block, after `log_format` (a
    whole directive, or nothing)."""
    (prefix / "site.conf").write_text(site)
    user = "user root;\n" if os.geteuid() == 0 else ""
    (prefix / "nginx.conf").write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {prefix}/nginx.pid;\n"
        f"error_log {prefix}/error.log warn;\nevents {{ worker_connections {connections}; }}\n"
        f"http {{\n{log_format}  access_log {access_log};\n  client_body_temp_path {prefix}/body;\n"
        f"  proxy_temp_path {prefix}/proxy;\n  fastcgi_temp_path {prefix}/fastcgi;\n"
        f"  uwsgi_temp_path {prefix}/uwsgi;\n  scgi_temp_path {prefix}/scgi;\n"
        f"  include {prefix}/site.conf;\n}}\n")
    proc = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e",
                             str(prefix / "error.log")], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    try:
        if not poll(lambda: accepts(port) or proc.poll() is not None, timeout=10) or \
                not accepts(port):
            err = proc.stderr.read().decode() if proc.poll() is not None else ""
            log = prefix / "error.log"
            pytest.fail(f"nginx did not start: {err}\n{log.read_text() if log.exists() else ''}")
        yield proc
    finally:
        proc.terminate()
        proc.wait(10)
