"""A real SAML 2.0 identity provider (Debian's pysaml2, tests/saml/idp.py, run by /usr/bin/python3)
on a free port of 127.0.0.1 for the SAML sign-in tests, with a throwaway key and certificate
made here (and a second pair the service provider is never told of). It reads gongdan's SP
metadata from the server's URL when it starts, as a real IdP would. The tests skip, saying
why, only when pysaml2, xmlsec1 or openssl is missing. `SamlBrowser` walks a sign-in as a
browser does: the redirect to the IdP, its sign-in form, and the form it answers with, posted
to gongdan's ACS."""

import html
import json
import re
import shutil
import socket
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from conftest import free_port
from waiting import wait_until

HERE = Path(__file__).resolve().parent.parent / "saml"
DEBIAN_PYTHON = "/usr/bin/python3"
ACS = "/api/v1/auth/saml/acs"
METADATA = "/api/v1/auth/saml/metadata"


def missing():
    if not shutil.which("openssl") or not Path("/usr/bin/xmlsec1").exists():
        return "openssl and xmlsec1 are needed to run the SAML identity provider"
    probe = subprocess.run([DEBIAN_PYTHON, "-c", "import saml2"], capture_output=True)
    if probe.returncode != 0:
        return "Debian's python3-pysaml2 is needed to run the SAML identity provider"
    return None


def make_key(workdir, name):
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", f"/CN={name}", "-keyout", str(workdir / f"{name}.key"),
                    "-out", str(workdir / f"{name}.pem")], check=True, capture_output=True)


class SamlIdp:
    def __init__(self, workdir, sp_metadata_url):
        workdir = Path(workdir)
        make_key(workdir, "idp")
        make_key(workdir, "other")
        self.certificate = (workdir / "idp.pem").read_text()
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.entity_id = self.base + "/metadata"
        self.sso_url = self.base + "/sso"
        self.log = open(workdir / "idp.log", "wb")
        self.proc = subprocess.Popen(
            [DEBIAN_PYTHON, str(HERE / "idp.py"), str(self.port), str(workdir), sp_metadata_url],
            stdout=self.log, stderr=subprocess.STDOUT)
        wait_until(self._accepts, timeout=30, what="the SAML IdP to listen")

    def _accepts(self):
        if self.proc.poll() is not None:
            raise AssertionError("the SAML IdP exited: " + Path(self.log.name).read_text())
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            return True
        except OSError:
            return False

    def control(self, **mode):
        """How the next responses are made (tests/saml/idp.py's DEFAULT_MODE, changed)."""
        request = urllib.request.Request(self.base + "/__control", method="POST",
                                         data=json.dumps(mode).encode())
        with urllib.request.urlopen(request, timeout=10) as r:
            return json.loads(r.read())

    def metadata(self):
        with urllib.request.urlopen(self.base + "/metadata", timeout=10) as r:
            return r.read().decode()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=20)
        self.log.close()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def hidden_inputs(page):
    return {m.group(1): html.unescape(m.group(2))
            for m in re.finditer(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)}


class SamlBrowser:
    """Redirects and forms followed by hand, so a test can stop or alter any step."""

    def __init__(self, server):
        self.server = server
        self.opener = urllib.request.build_opener(_NoRedirects())

    def open(self, url, form=None):
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            r = self.opener.open(urllib.request.Request(url, data=data), timeout=10)
        except urllib.error.HTTPError as e:
            r = e
        with r:
            return r.status, r.headers, r.read().decode("utf-8", "replace")

    def start(self, provider_id, return_to="/desk"):
        """GET …/start: where it redirects (the IdP, or the sign-in page)."""
        query = urllib.parse.urlencode({"return_to": return_to})
        status, headers, _ = self.open(
            f"{self.server.base_url}/api/v1/auth/saml/{provider_id}/start?{query}")
        assert status == 302, status
        return urllib.parse.urljoin(self.server.base_url, headers["Location"])

    def to_acs(self, provider_id, login):
        """Starts a sign-in and signs in at the IdP as `login`: (the ACS URL, the form the IdP's
        page would post there), not yet posted."""
        url = self.start(provider_id)
        status, _, page = self.open(url)
        assert status == 200 and "<form" in page, (status, url, page[:500])
        idp_form = urllib.parse.urljoin(url, re.search(r'action="([^"]+)"', page).group(1))
        status, _, page = self.open(idp_form, {"key": hidden_inputs(page)["key"],
                                               "login": login, "password": "any"})
        assert status == 200, (status, page[:500])
        action = html.unescape(re.search(r'<form action="([^"]+)"', page).group(1))
        return action, hidden_inputs(page)

    def post(self, action, form):
        """Posts the IdP's form to the ACS as a browser would: (where it redirects, the session
        cookie or None)."""
        status, headers, _ = self.open(action, form)
        assert status == 302, status
        cookie = re.search(r"gongdan_session=([^;]*)", headers.get("Set-Cookie", "") or "")
        return headers["Location"], (cookie.group(1) or None) if cookie else None

    def sign_in(self, provider_id, login):
        return self.post(*self.to_acs(provider_id, login))


@pytest.fixture(scope="module")
def saml_idp(server, tmp_path_factory):
    reason = missing()
    if reason:
        pytest.skip(reason)
    idp = SamlIdp(tmp_path_factory.mktemp("saml"), server.base_url + METADATA)
    yield idp
    idp.stop()
