"""TLS on the built-in server (tls_cert, tls_key): certificates made here with the openssl CLI,
clients from Python's ssl module. Covers the defaults (TLS 1.2+ only, ALPN http/1.1), HTTP and
the WebSocket stream over TLS, certificate chains, the reload on SIGHUP (new connections get the
new certificate, open ones keep working, a broken replacement keeps the old one), garbage on the
port, bad settings, Strict-Transport-Security, and `gongdan doctor`'s look at the files."""

import hashlib
import http.client
import os
import signal
import socket
import ssl
import subprocess

import pytest

from conftest import BIN, base_env, run_cli
from waiting import wait_until
from ticket_support import new_ticket
from ws_client import WS


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def self_signed(directory, name, days=30, cn="localhost"):
    """(cert, key) paths of a new self-signed EC certificate for 127.0.0.1 and localhost."""
    cert, key = directory / f"{name}.crt", directory / f"{name}.key"
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-keyout", str(key), "-out", str(cert), "-days", str(days),
            "-subj", f"/CN={cn}", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            cwd=directory)
    return cert, key


def fingerprint_of_file(cert):
    return hashlib.sha256(ssl.PEM_cert_to_DER_cert(cert.read_text())).hexdigest()


def unchecked_context():
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def served(srv, context=None):
    """(fingerprint, TLS version, ALPN protocol) of a new connection to the server."""
    context = context or unchecked_context()
    context.set_alpn_protocols(["h2", "http/1.1"])
    with socket.create_connection((srv.host, srv.port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname="localhost") as tls:
            der = tls.getpeercert(binary_form=True)
            return hashlib.sha256(der).hexdigest(), tls.version(), tls.selected_alpn_protocol()


def tls_env(cert, key):
    return {"GONGDAN_TLS_CERT": str(cert), "GONGDAN_TLS_KEY": str(key)}


@pytest.fixture
def certs(tmp_path):
    return tmp_path


def test_https_with_modern_defaults(start_server, certs):
    cert, key = self_signed(certs, "one")
    srv = start_server(env=tls_env(cert, key))
    assert srv.base_url.startswith("https://")
    assert srv.healthy()
    fingerprint, version, alpn = served(srv)
    assert fingerprint == fingerprint_of_file(cert)
    assert version in ("TLSv1.2", "TLSv1.3")
    assert alpn == "http/1.1"  # never h2, which the server does not speak
    # Verified against the certificate itself, by name and by address.
    checked = ssl.create_default_context(cafile=str(cert))
    assert served(srv, checked)[0] == fingerprint
    # A session over TLS: the cookie is marked Secure, and keep-alive carries several requests.
    r = srv.login_raw("admin@localhost", "admin-password-0001")
    assert r.status == 200
    assert any("Secure" in c for c in r.headers.get_all("Set-Cookie")), r.headers
    conn = srv.connection()
    for _ in range(3):
        conn.request("GET", "/healthz")
        response = conn.getresponse()
        assert response.status == 200 and response.read() == b'{"status":"ok"}'
    conn.close()


def test_strict_transport_security_over_tls_only(start_server, certs):
    cert, key = self_signed(certs, "one")
    # The default: a year, on every answer over TLS (API, pages, errors alike).
    srv = start_server(env=tls_env(cert, key))
    for path in ("/healthz", "/api/v1/me", "/api/v1/nope"):
        r = srv.get(path)
        assert r.headers["Strict-Transport-Security"] == "max-age=31536000", (path, r.headers)
    srv.stop_and_check()
    # A chosen max-age; 0 sends none.
    srv = start_server(env={**tls_env(cert, key), "GONGDAN_TLS_HSTS_MAX_AGE": "600"})
    assert srv.get("/healthz").headers["Strict-Transport-Security"] == "max-age=600"
    srv.stop_and_check()
    srv = start_server(env={**tls_env(cert, key), "GONGDAN_TLS_HSTS_MAX_AGE": "0"})
    assert srv.get("/healthz").headers["Strict-Transport-Security"] is None
    srv.stop_and_check()
    # Plain HTTP never sends it (RFC 6797: a browser would ignore it there anyway).
    plain = start_server()
    assert plain.get("/healthz").headers["Strict-Transport-Security"] is None
    # A negative max-age stops the start with a clear message.
    proc = subprocess.run([BIN, "serve", "--data", str(certs / "data"), "--listen",
                           "127.0.0.1:0"], env=base_env({**tls_env(cert, key),
                                                         "GONGDAN_TLS_HSTS_MAX_AGE": "-1"}),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0 and "tls_hsts_max_age" in proc.stderr, proc.stderr


def test_old_protocols_and_weak_ciphers_are_refused(start_server, certs):
    cert, key = self_signed(certs, "one")
    srv = start_server(env=tls_env(cert, key))
    for old in (ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1):
        context = unchecked_context()
        # The client's own floor lowered, so the refusal is the server's.
        context.set_ciphers("ALL:@SECLEVEL=0")
        context.minimum_version = ssl.TLSVersion.TLSv1
        context.maximum_version = old
        with pytest.raises(ssl.SSLError):
            served(srv, context)
    # TLS 1.2 with a cipher without forward secrecy: no shared cipher.
    context = unchecked_context()
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    context.set_ciphers("AES128-GCM-SHA256")
    with pytest.raises(ssl.SSLError):
        served(srv, context)
    # TLS 1.2 with a modern cipher works.
    context = unchecked_context()
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    assert served(srv, context)[1] == "TLSv1.2"
    assert srv.healthy()


def test_certificate_chain_is_served(start_server, certs):
    """tls_cert holds the server's certificate and an intermediate; the client trusts only
    the root, so it verifies only if the server sends the whole chain."""
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-keyout", "root.key", "-out", "root.crt", "-days", "30",
            "-subj", "/CN=Test Root", "-addext", "basicConstraints=critical,CA:true",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=certs)
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", "mid.key", "-out", "mid.csr", "-subj", "/CN=Test Intermediate", cwd=certs)
    (certs / "mid.ext").write_text(
        "basicConstraints=critical,CA:true\nkeyUsage=critical,keyCertSign,cRLSign\n")
    openssl("x509", "-req", "-in", "mid.csr", "-CA", "root.crt", "-CAkey", "root.key",
            "-CAcreateserial", "-out", "mid.crt", "-days", "30", "-extfile", "mid.ext",
            cwd=certs)
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/CN=localhost", cwd=certs)
    (certs / "leaf.ext").write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    openssl("x509", "-req", "-in", "leaf.csr", "-CA", "mid.crt", "-CAkey", "mid.key",
            "-CAcreateserial", "-out", "leaf.crt", "-days", "30", "-extfile", "leaf.ext",
            cwd=certs)
    chain = certs / "chain.crt"
    chain.write_text((certs / "leaf.crt").read_text() + (certs / "mid.crt").read_text())
    srv = start_server(env=tls_env(chain, certs / "leaf.key"))
    trusting_root = ssl.create_default_context(cafile=str(certs / "root.crt"))
    assert served(srv, trusting_root)[0] == fingerprint_of_file(certs / "leaf.crt")


def test_websocket_stream_over_tls(start_server, certs):
    cert, key = self_signed(certs, "one")
    srv = start_server(env=tls_env(cert, key))
    admin = srv.admin
    ws = WS(srv.host, srv.port, "/api/v1/stream",
            {"Cookie": f"gongdan_session={admin.cookie}",
             "Origin": f"https://{srv.host}:{srv.port}"}, tls_context=unchecked_context())
    assert ws.status == 101
    assert ws.recv()["type"] == "hello"
    ws.send({"type": "ping"})
    assert ws.recv() == {"type": "pong"}
    # A ticket made over HTTPS reaches the stream over TLS (the socket times out after 5 s).
    number = new_ticket(admin, subject="over TLS")["number"]
    for _ in range(100):
        m = ws.recv()
        if m.get("type") == "ticket.created" and m["ticket"]["number"] == number:
            break
    else:
        pytest.fail("the ticket's event did not arrive on the stream")
    ws.s.close()
    # The origin check holds over TLS too.
    refused = WS(srv.host, srv.port, "/api/v1/stream",
                 {"Cookie": f"gongdan_session={admin.cookie}",
                  "Origin": "https://elsewhere.example"}, tls_context=unchecked_context())
    assert refused.status == 403


def test_sighup_switches_certificate_and_keeps_connections(start_server, certs):
    live_cert, live_key = certs / "live.crt", certs / "live.key"
    one_cert, one_key = self_signed(certs, "one")
    two_cert, two_key = self_signed(certs, "two")
    three_cert, _ = self_signed(certs, "three")
    live_cert.write_bytes(one_cert.read_bytes())
    live_key.write_bytes(one_key.read_bytes())
    srv = start_server(env=tls_env(live_cert, live_key))
    assert served(srv)[0] == fingerprint_of_file(one_cert)

    # A keep-alive connection opened before the reload.
    kept = srv.connection()
    kept.request("GET", "/healthz")
    assert kept.getresponse().read() == b'{"status":"ok"}'

    live_cert.write_bytes(two_cert.read_bytes())
    live_key.write_bytes(two_key.read_bytes())
    srv.proc.send_signal(signal.SIGHUP)
    wait_until(lambda: served(srv)[0] == fingerprint_of_file(two_cert),
               what="new connections to get the second certificate")
    for _ in range(2):
        kept.request("GET", "/healthz")
        assert kept.getresponse().read() == b'{"status":"ok"}'
    assert hashlib.sha256(kept.sock.getpeercert(binary_form=True)).hexdigest() == \
        fingerprint_of_file(one_cert)

    # Broken replacements keep the second certificate serving, and the log says why: a file
    # that is not PEM, then a certificate whose key is not the key file's.
    live_cert.write_text("not a certificate\n")
    srv.proc.send_signal(signal.SIGHUP)
    wait_until(lambda: srv.stderr_text().count("kept the current TLS certificate") == 1,
               what="the log line of the refused reload")
    assert "is not a PEM certificate chain" in srv.stderr_text()
    assert served(srv)[0] == fingerprint_of_file(two_cert)
    live_cert.write_bytes(three_cert.read_bytes())
    srv.proc.send_signal(signal.SIGHUP)
    wait_until(lambda: srv.stderr_text().count("kept the current TLS certificate") == 2,
               what="the log line of the second refused reload")
    assert "does not belong to the certificate" in srv.stderr_text()
    assert served(srv)[0] == fingerprint_of_file(two_cert)
    kept.request("GET", "/healthz")
    assert kept.getresponse().read() == b'{"status":"ok"}'
    kept.close()
    assert srv.healthy()


def test_sighup_without_tls_changes_nothing(start_server):
    srv = start_server()
    srv.proc.send_signal(signal.SIGHUP)
    wait_until(lambda: "nothing to reload" in srv.stderr_text(), what="the SIGHUP log line")
    assert srv.healthy()


def test_garbage_on_the_tls_port(start_server, certs):
    cert, key = self_signed(certs, "one")
    srv = start_server(env=tls_env(cert, key))
    hello_start = bytes.fromhex("16030100c8010000c40303") + os.urandom(40)
    garbage = [
        b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n",  # plain HTTP to the TLS port
        os.urandom(4096),
        b"\x16\x03\x01\xff\xff" + os.urandom(300),  # a record header claiming 64 KiB
        hello_start,  # a ClientHello cut short, then the client goes quiet
        b"\x00" * 10000,
        b"\x16\x03\x03\x00\x05\x01\x00\x00\x01\x00",  # a ClientHello with no body
    ]
    for data in garbage:
        received, _ = srv.raw(data, timeout=2, shutdown_write=True)
        assert not received.startswith(b"HTTP/"), received[:100]
    # A TLS connection that sends garbage after its handshake gets a 400, not a crash.
    context = unchecked_context()
    with socket.create_connection((srv.host, srv.port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname="localhost") as tls:
            tls.sendall(b"\x00\x01garbage\r\n\r\n")
            answer = tls.recv(4096)
            assert answer.startswith(b"HTTP/1.1 400"), answer[:100]
    assert srv.healthy()


def test_bad_tls_settings_stop_the_start(tmp_path, certs):
    cert, key = self_signed(certs, "one")
    other_cert, other_key = self_signed(certs, "other")
    data = str(tmp_path / "data")

    def serve(env):
        return subprocess.run([BIN, "serve", "--data", data, "--listen", "127.0.0.1:0"],
                              env=base_env(env), capture_output=True, text=True, timeout=60)

    only_cert = serve({"GONGDAN_TLS_CERT": str(cert)})
    assert only_cert.returncode != 0
    assert "tls_cert and tls_key go together" in only_cert.stderr
    missing = serve(tls_env(certs / "absent.crt", key))
    assert missing.returncode != 0
    assert "cannot read tls_cert" in missing.stderr and "absent.crt" in missing.stderr
    mismatch = serve(tls_env(cert, other_key))
    assert mismatch.returncode != 0
    assert "does not belong to the certificate" in mismatch.stderr
    garbage = certs / "garbage.key"
    garbage.write_bytes(os.urandom(300))
    not_pem = serve(tls_env(other_cert, garbage))
    assert not_pem.returncode != 0
    assert "is not an unencrypted PEM private key" in not_pem.stderr
    # A key with a passphrase is refused, never asked for.
    locked = certs / "locked.key"
    openssl("pkey", "-in", str(key), "-out", str(locked), "-aes256", "-passout", "pass:secret",
            cwd=certs)
    encrypted = serve(tls_env(cert, locked))
    assert encrypted.returncode != 0
    assert "is not an unencrypted PEM private key" in encrypted.stderr


def test_doctor_checks_the_tls_files(tmp_path, certs):
    data = tmp_path / "data"
    cert, key = self_signed(certs, "good", days=90)
    soon_cert, soon_key = self_signed(certs, "soon", days=5)
    _, other_key = self_signed(certs, "other")

    def doctor(env):
        return run_cli([BIN, "doctor", "--data", str(data)], env=env)

    good = doctor(tls_env(cert, key))
    assert "ok       tls: the certificate /CN=localhost" in good.stdout, good.stdout
    soon = doctor(tls_env(soon_cert, soon_key))
    assert "WARNING  tls: the certificate /CN=localhost" in soon.stdout, soon.stdout
    assert "expires in 4 day(s)" in soon.stdout or "expires in 5 day(s)" in soon.stdout
    assert soon.returncode >= 1
    wrong = doctor(tls_env(cert, other_key))
    assert "ERROR    tls: tls_key" in wrong.stdout and "does not belong" in wrong.stdout
    assert wrong.returncode == 2
    unreadable = doctor(tls_env(certs / "absent.crt", key))
    assert "ERROR    tls: cannot read tls_cert" in unreadable.stdout, unreadable.stdout
    assert unreadable.returncode == 2
