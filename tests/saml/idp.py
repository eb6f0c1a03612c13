"""A SAML 2.0 identity provider (Debian's pysaml2) on 127.0.0.1 for gongdan's SAML sign-in tests.
Run with /usr/bin/python3 (Debian's modules):

    idp.py PORT WORKDIR SP_METADATA_URL

WORKDIR holds the throwaway keys the test made (idp.key/idp.pem: the IdP's; other.key/other.pem:
a key the service provider was never told of). Endpoints:

    GET  /metadata          the IdP's metadata (for the import test)
    GET  /sso               HTTP-Redirect binding: reads the AuthnRequest, shows a sign-in form
    POST /sso/login         the form: builds the Response and answers the HTTP-POST binding's
                            self-submitting form to the service provider's ACS
    POST /__control         JSON {"sign": ..., "audience": ..., "shift": ..., "in_response_to":
                            ...}: how the next responses are made (see Mode)

People: alice (groups support), bob (support, leads), lilei (no group); any password.
"""

import base64
import html
import json
import os
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, class_name, samlp
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_BASIC, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server
from saml2.sigver import pre_signature_part
from saml2.time_util import instant

PEOPLE = {
    "alice": {"email": ["alice@example.org"], "displayName": ["Alice Agent"],
              "groups": ["support"]},
    "bob": {"email": ["bob@example.org"], "displayName": ["Bob Lead"],
            "groups": ["support", "leads"]},
    "lilei": {"email": ["lilei@example.org"], "displayName": ["李雷"], "groups": []},
}

# How the next responses are made. sign: "assertion", "response", "both", "none" or "other"
# (the assertion signed by a key the SP does not know) or "tampered" (signed, then the groups
# changed: support becomes leads); audience: the Audience instead of the
# SP's entity id; shift: seconds added to every time in the assertion (negative: issued in the
# past, so expired); in_response_to: "keep", "none" (unsolicited) or another id.
DEFAULT_MODE = {"sign": "assertion", "audience": None, "shift": 0, "in_response_to": "keep"}


def idp_config(port, workdir, key, sp_metadata_url):
    base = f"http://127.0.0.1:{port}"
    return {
        "entityid": f"{base}/metadata",
        "service": {"idp": {
            "endpoints": {"single_sign_on_service": [(f"{base}/sso", BINDING_HTTP_REDIRECT)]},
            "policy": {"default": {"lifetime": {"minutes": 5}, "name_form": NAME_FORMAT_BASIC,
                                   "attribute_restrictions": None}},
            "name_id_format": [NAMEID_FORMAT_PERSISTENT],
            "want_authn_requests_signed": False,
        }},
        "key_file": os.path.join(workdir, f"{key}.key"),
        "cert_file": os.path.join(workdir, f"{key}.pem"),
        "metadata": {"remote": [{"url": sp_metadata_url}]},
        "xmlsec_binary": "/usr/bin/xmlsec1",
        "delete_tmpfiles": True,
    }


class Idp:
    def __init__(self, port, workdir, sp_metadata_url):
        self.server = Server(config=IdPConfig().load(
            idp_config(port, workdir, "idp", sp_metadata_url)))
        self.other = Server(config=IdPConfig().load(
            idp_config(port, workdir, "other", sp_metadata_url)))
        self.cert = self._cert_body(os.path.join(workdir, "idp.pem"))
        self.other_cert = self._cert_body(os.path.join(workdir, "other.pem"))
        self.mode = dict(DEFAULT_MODE)
        self.pending = {}  # form key -> (request id, ACS URL, SP entity id, relay state)
        self.lock = threading.Lock()

    @staticmethod
    def _cert_body(path):
        lines = open(path).read().strip().splitlines()
        return "".join(line for line in lines if not line.startswith("-----"))

    def metadata(self):
        return create_metadata_string(None, config=self.server.config, valid=24).decode()

    def take_request(self, saml_request, relay_state):
        req = self.server.parse_authn_request(saml_request, BINDING_HTTP_REDIRECT).message
        acs = req.assertion_consumer_service_url or \
            self.server.metadata.assertion_consumer_service(req.issuer.text)[0]["location"]
        key = base64.urlsafe_b64encode(os.urandom(12)).decode()
        with self.lock:
            self.pending[key] = (req.id, acs, req.issuer.text, relay_state)
        return key

    def response_form(self, key, login):
        with self.lock:
            request_id, acs, sp, relay_state = self.pending.pop(key)
            mode = dict(self.mode)
        xml = self.response_xml(mode, login, request_id, acs, sp)
        args = self.server.apply_binding(BINDING_HTTP_POST, xml, acs, relay_state,
                                         response=True)
        return args["data"]

    def response_xml(self, mode, login, request_id, acs, sp):
        in_response_to = {"keep": request_id, "none": None}.get(mode["in_response_to"],
                                                                mode["in_response_to"])
        made = self.server.create_authn_response(
            PEOPLE[login], in_response_to, acs, sp,
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=f"id-{login}"),
            authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"},
            sign_response=False, sign_assertion=False)
        response = samlp.response_from_string(str(made))
        assertion = response.assertion[0]
        if mode["audience"]:
            assertion.conditions.audience_restriction[0].audience[0].text = mode["audience"]
        if mode["shift"]:
            self.shift_times(response, assertion, mode["shift"])
        if mode["in_response_to"] == "none":
            response.in_response_to = None
            for sc in assertion.subject.subject_confirmation:
                sc.subject_confirmation_data.in_response_to = None
        return self.sign(response, assertion, mode["sign"])

    @staticmethod
    def shift_times(response, assertion, seconds):
        """Every time in the assertion as if it were made `seconds` from now."""
        base = int(time.time()) + seconds
        issued, until = instant(time_stamp=base), instant(time_stamp=base + 300)
        response.issue_instant = assertion.issue_instant = issued
        assertion.conditions.not_before = issued
        assertion.conditions.not_on_or_after = until
        for sc in assertion.subject.subject_confirmation:
            sc.subject_confirmation_data.not_on_or_after = until
        for statement in assertion.authn_statement:
            statement.authn_instant = issued

    def sign(self, response, assertion, how):
        signer, cert = (self.other, self.other_cert) if how == "other" else \
            (self.server, self.cert)
        signs_assertion = how in ("assertion", "both", "other", "tampered")
        if signs_assertion:
            assertion.signature = pre_signature_part(assertion.id, cert)
        if how in ("response", "both"):
            response.signature = pre_signature_part(response.id, cert)
        xml = response.to_string().decode()
        if signs_assertion:
            xml = signer.sec.sign_statement(xml, class_name(assertion), node_id=assertion.id)
        if how in ("response", "both"):
            xml = signer.sec.sign_statement(xml, class_name(response), node_id=response.id)
        if how == "tampered":
            xml = xml.replace(">support<", ">leads<")
        return xml


def login_page(key):
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>Test IdP</title></head>
<body><h1>Test identity provider</h1>
<form method="post" action="/sso/login">
<input type="hidden" name="key" value="{html.escape(key)}">
<label>User <input name="login" autofocus></label>
<label>Password <input name="password" type="password"></label>
<button type="submit">Sign in</button></form></body></html>"""


def handler_for(idp):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def answer(self, status, body, content_type="text/html; charset=utf-8"):
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def form(self):
            length = int(self.headers.get("Content-Length") or 0)
            return dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))

        def do_GET(self):
            url = urllib.parse.urlparse(self.path)
            query = dict(urllib.parse.parse_qsl(url.query))
            if url.path == "/metadata":
                return self.answer(200, idp.metadata(), "application/samlmetadata+xml")
            if url.path == "/sso":
                try:
                    key = idp.take_request(query["SAMLRequest"], query.get("RelayState", ""))
                except Exception as e:  # the test reads why
                    return self.answer(400, f"bad AuthnRequest: {e!r}", "text/plain")
                return self.answer(200, login_page(key))
            self.answer(404, "not found", "text/plain")

        def do_POST(self):
            if self.path == "/__control":
                length = int(self.headers.get("Content-Length") or 0)
                with idp.lock:
                    idp.mode = {**DEFAULT_MODE, **json.loads(self.rfile.read(length) or b"{}")}
                    mode = dict(idp.mode)
                return self.answer(200, json.dumps(mode), "application/json")
            if self.path == "/sso/login":
                form = self.form()
                if form.get("login") not in PEOPLE or form.get("key") not in idp.pending:
                    return self.answer(403, "unknown person or sign-in", "text/plain")
                return self.answer(200, idp.response_form(form["key"], form["login"]))
            self.answer(404, "not found", "text/plain")

    return Handler


def main():
    port, workdir, sp_metadata_url = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    idp = Idp(port, workdir, sp_metadata_url)
    httpd = ThreadingHTTPServer(("127.0.0.1", port), handler_for(idp))
    print("listening", flush=True)
    httpd.serve_forever()


if __name__ == "__main__":
    main()
