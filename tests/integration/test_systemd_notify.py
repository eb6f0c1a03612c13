"""systemd readiness (Type=notify, sd_notify(3)): `serve` sends READY=1 on the socket named by
NOTIFY_SOCKET once it listens (so `systemctl start` returns when requests are answered), and
STOPPING=1 when it shuts down. The test plays systemd's part: it binds the datagram socket."""

import os
import socket
import tempfile

import pytest


def receive(sock, timeout=30.0):
    sock.settimeout(timeout)
    return sock.recv(4096).decode()


@pytest.mark.parametrize("abstract", [False, True], ids=["path", "abstract"])
def test_ready_is_sent_once_listening_and_stopping_on_shutdown(start_server, abstract):
    directory = tempfile.mkdtemp(prefix="gongdan-notify-")  # short: sun_path holds 108 bytes
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    try:
        if abstract:
            name = f"@gongdan-notify-{os.getpid()}-{os.path.basename(directory)}"
            sock.bind("\0" + name[1:])
        else:
            name = os.path.join(directory, "notify")
            sock.bind(name)
        srv = start_server(env={"NOTIFY_SOCKET": name}, start=False)
        srv.start()
        ready = receive(sock)
        fields = dict(line.split("=", 1) for line in ready.splitlines())
        assert fields.get("READY") == "1", ready
        assert fields.get("STATUS") == f"listening on http://{srv.host}:{srv.port}", ready
        # Ready means answering: no wait between the notification and the first request.
        assert srv.get("/healthz").status == 200
        assert srv.stop() == 0
        assert receive(sock).strip() == "STOPPING=1"
    finally:
        sock.close()
        if os.path.exists(os.path.join(directory, "notify")):
            os.unlink(os.path.join(directory, "notify"))
        os.rmdir(directory)


def test_without_notify_socket_nothing_changes(start_server):
    srv = start_server(env={"NOTIFY_SOCKET": None})
    assert srv.get("/healthz").status == 200
