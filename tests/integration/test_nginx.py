"""The shipped nginx configuration (deploy/nginx/gongdan.conf) in front of two gongdan nodes on
one PostgreSQL database: nginx runs as a foreground process with a temporary prefix on a free
port of 127.0.0.1; the test only rewrites the upstream's node addresses and the listen port.
Creates and reads go through it to both nodes, an attachment above nginx's default body limit
passes, and a live event reaches a WebSocket opened through nginx. PostgreSQL run only."""
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import POSTGRES, Client, free_port
from nginx_support import HAVE_NGINX, NGINX, running_nginx
from ticket_support import WebSocket, new_ticket

pytestmark = [
    pytest.mark.skipif(not POSTGRES, reason="needs the PostgreSQL run of the suite"),
    pytest.mark.skipif(not HAVE_NGINX,
                       reason="nginx is not installed (scripts/test-packages.txt)"),
]

SHIPPED = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "gongdan.conf"


def site_config(node_ports, listen_port):
    """The shipped file with this test's nodes and port, and nothing else changed."""
    text = SHIPPED.read_text()
    servers = "".join(f"    server 127.0.0.1:{p} max_fails=2 fail_timeout=5s;\n"
                      for p in node_ports)
    text, n = re.subn(r"(upstream gongdan_nodes \{\n(?:    #.*\n)*)(    server .*\n)+",
                      lambda m: m.group(1) + servers, text)
    assert n == 1, "the upstream block of gongdan.conf changed shape"
    text, n = re.subn(r"^    listen 80;$", f"    listen 127.0.0.1:{listen_port};", text,
                      flags=re.M)
    assert n == 1
    return text


@pytest.fixture
def nginx_in_front(start_server, tmp_path):
    data = tmp_path / "shared-data"
    cfg = tmp_path / "node.toml"
    cfg.write_text('trusted_proxies = ["127.0.0.1"]\n')
    nodes = [start_server(data_dir=data, args=["--config", str(cfg)]) for _ in range(2)]
    prefix = Path(tempfile.mkdtemp(prefix="gongdan-nginx-"))
    port = free_port()
    with running_nginx(prefix, site_config([n.port for n in nodes], port), port, connections=256,
                       log_format="  log_format upstreams '$request_method $uri $status "
                       "$upstream_addr';\n", access_log=f"{prefix}/access.log upstreams"):
        front = Client("127.0.0.1", port)
        front.nodes, front.prefix = nodes, prefix
        yield front
    shutil.rmtree(prefix, ignore_errors=True)


def test_nginx_spreads_requests_over_both_nodes(nginx_in_front):
    front = nginx_in_front
    assert subprocess.run([NGINX, "-t", "-p", str(front.prefix), "-c",
                           str(front.prefix / "nginx.conf"), "-e",
                           str(front.prefix / "error.log")], capture_output=True).returncode == 0
    sess = front.login()
    numbers = [new_ticket(sess, subject=f"through nginx {i}")["number"] for i in range(10)]
    assert len(set(numbers)) == 10
    for n in numbers:
        r = sess.get(f"/api/v1/tickets/{n}")
        assert r.status == 200 and r.body["subject"].startswith("through nginx"), r
    r = sess.get("/api/v1/tickets?limit=50")
    assert r.status == 200 and set(numbers) <= {t["number"] for t in r.body["items"]}
    # X-Forwarded-For is set by nginx and believed by the nodes (trusted_proxies): the audit
    # log records the client's address, not nginx's.
    r = sess.post("/api/v1/tokens", json={"name": "via nginx", "scopes": ["read"]},
                  headers={"X-Forwarded-For": "203.0.113.7"})
    assert r.status == 201, r
    items = sess.get("/api/v1/audit?limit=20").body["items"]
    made = [e for e in items if e["action"] == "token.create"]
    assert made and made[0]["ip"] == "203.0.113.7", made
    # Both nodes answered (round robin), as nginx's log of upstream addresses shows.
    log = (front.prefix / "access.log").read_text()
    for node in front.nodes:
        assert f"127.0.0.1:{node.port}" in log, log[-2000:]


def test_an_attachment_above_nginx_default_body_limit_passes(nginx_in_front):
    from urllib.parse import quote
    sess = nginx_in_front.login()
    data = os.urandom(3 << 20)  # 3 MiB: nginx alone would refuse anything above 1 MiB
    r = sess.request("POST", f"/api/v1/attachments?filename={quote('big.bin')}", raw_body=data,
                     headers={"Content-Type": "application/octet-stream"})
    assert r.status == 201, r
    assert r.body["items"][0]["size"] == len(data)


def test_a_live_event_reaches_a_websocket_through_nginx(nginx_in_front):
    front = nginx_in_front
    sess = front.login()
    ws = WebSocket.for_session(front, sess)
    assert ws.status == 101, (ws.status, ws.body)
    assert ws.recv()["type"] == "hello"
    try:
        # Several creates: round robin puts some on the node the socket is not connected to.
        for i in range(4):
            number = new_ticket(sess, subject=f"live via nginx {i}")["number"]
            m, _ = ws.wait_for(lambda m: m.get("type") == "ticket.created"
                               and m["ticket"]["number"] == number)
            assert m["ticket"]["subject"] == f"live via nginx {i}"
    finally:
        ws.close()


def test_metrics_are_not_served_through_nginx(nginx_in_front):
    # Issue 16: the shipped file keeps /metrics to the nodes' own machine; a node behind a
    # proxy also refuses it to anyone the proxy forwards (X-Forwarded-For).
    r = nginx_in_front.get("/metrics")
    assert r.status == 404, r
    node = nginx_in_front.nodes[0]
    assert node.get("/metrics").status == 200
    assert node.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"}).status == 404
