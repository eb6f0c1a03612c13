"""An OAuth2 authorization server for the XOAUTH2 mail tests, on 127.0.0.1 and a free port,
played as Microsoft's and Google's token endpoints behave (RFC 6749 §6: grant_type=refresh_token
with the client id and secret in the form; 400 invalid_grant / invalid_client otherwise), with
the introspection endpoint (RFC 7662) Dovecot's oauth2 passdb asks whether an access token is
valid and whose it is. Dovecot itself checks the tokens: gongdan's XOAUTH2 logins to the real
Dovecot (IMAP) and to the real Postfix (SMTP AUTH through Dovecot's SASL) succeed only with an
access token this server issued for that user."""

import json
import secrets
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from conftest import free_port

# Appended to the test Dovecot's configuration: XOAUTH2 beside the passwords, the tokens checked
# by POSTing them to the introspection endpoint, and the SASL socket Postfix authenticates by.
DOVECOT_OAUTH = """
auth_mechanisms = plain login xoauth2 oauthbearer
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {dir}/dovecot-oauth2.conf.ext
}}
service auth {{
  unix_listener auth-postfix {{
    mode = 0666
  }}
}}
"""

DOVECOT_OAUTH_EXT = """\
introspection_mode = post
introspection_url = {url}/introspect
username_attribute = username
active_attribute = active
active_value = true
"""

# Appended to the test Postfix's main.cf: SMTP AUTH through Dovecot, and no mail without it.
POSTFIX_SASL = """
smtpd_sasl_auth_enable = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = {socket}
smtpd_sasl_security_options = noanonymous
smtpd_recipient_restrictions = permit_sasl_authenticated, reject
"""


class TokenServer:
    """Issues access tokens for refresh tokens it knows, and answers introspection."""

    def __init__(self, client_id, client_secret, refresh_tokens, rotate=False, expires_in=3600):
        self.client_id, self.client_secret = client_id, client_secret
        self.refresh = dict(refresh_tokens)  # refresh token -> user
        self.rotate, self.expires_in = rotate, expires_in
        self.issued = {}  # access token -> user
        self.requests = []  # the token endpoint's forms, in order
        self.answers = []  # and what it answered each
        self.introspected = []
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in urllib.parse.parse_qs(
                    self.rfile.read(n).decode()).items()}
                status, answer = outer.answer(self.path, form)
                body = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.port = free_port()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def answer(self, path, form):
        with self.lock:
            if path == "/introspect":
                self.introspected.append(form.get("token"))
                user = self.issued.get(form.get("token", ""))
                return 200, ({"active": True, "username": user} if user else {"active": False})
            if path != "/token":
                return 404, {"error": "not_found"}
            self.requests.append(form)
            if form.get("client_id") != self.client_id or \
                    form.get("client_secret") != self.client_secret:
                return 401, {"error": "invalid_client", "error_description": "unknown client"}
            if form.get("grant_type") != "refresh_token":
                return 400, {"error": "unsupported_grant_type"}
            user = self.refresh.get(form.get("refresh_token", ""))
            if not user:
                return 400, {"error": "invalid_grant",
                             "error_description": "AADSTS70000: the refresh token is not valid"}
            access = "at-" + secrets.token_urlsafe(24)
            self.issued[access] = user
            answer = {"token_type": "Bearer", "access_token": access,
                      "expires_in": self.expires_in, "scope": form.get("scope", "")}
            if self.rotate:
                rotated = "rt-" + secrets.token_urlsafe(24)
                self.refresh[rotated] = user
                answer["refresh_token"] = rotated
            self.answers.append(answer)
            return 200, answer

    def revoke_access_tokens(self):
        with self.lock:
            self.issued.clear()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
