"""A real Request Tracker 5 (Debian's request-tracker5 with rt5-db-sqlite) for
`gongdan import rt --url`: a fresh SQLite database in a temporary directory made by RT's own
rt-setup-database, with a private RT_SiteConfig (RT_SITE_CONFIG, RT_SITE_CONFIG_DIR: the
system's /etc/request-tracker5 is never read), served by RT's standalone server (rt-server) on a
free port of 127.0.0.1. It sends no mail (MailCommand testfile keeps RT's autoreplies in a
temporary file) and starts no daemon of the system's.

Customers write in the way they do in production, by mail through rt-mailgate; agents work
tickets over REST2 with auth tokens of their own. What REST2 has no endpoint for (rights,
tokens, custom fields) request_tracker_admin.pl does as an admin would."""

import base64
import http.client
import json
import os
import subprocess
import urllib.parse
from pathlib import Path

import pytest

from conftest import free_port
from waiting import wait_until

RT_LIB = "/usr/share/request-tracker5/lib"
RT_SERVER = "/usr/share/request-tracker5/libexec/rt-server"
RT_SETUP = "/usr/sbin/rt-setup-database-5"
RT_MAILGATE = "/usr/bin/rt-mailgate-5"
ADMIN_SCRIPT = Path(__file__).resolve().parent / "request_tracker_admin.pl"
RTNAME = "gongdan-test"

CONFIG = """\
Set($rtname, '{rtname}');
Set($Organization, 'test.invalid');
Set($DatabaseType, 'SQLite');
Set($DatabaseName, '{dir}/rt.db');
Set($WebPath, '');
Set($WebDomain, '127.0.0.1');
Set($WebPort, {port});
Set($WebBaseURL, 'http://127.0.0.1:{port}');
Set($CorrespondAddress, 'support@test.invalid');
Set($CommentAddress, 'support-comment@test.invalid');
Set($MasonDataDir, '{dir}/mason');
Set($MasonSessionDir, '{dir}/sessions');
Set($LogToSTDERR, 'warning');
Set($LogToSyslog, undef);
Set($LogToFile, undef);
Set($MailCommand, 'testfile');
Set($Timezone, 'UTC');
1;
"""


class RequestTracker:
    def __init__(self, workdir):
        self.dir = Path(workdir)
        self.port = None
        self.proc = None
        self.token = None

    @property
    def url(self):
        """REST2's base, as `gongdan import rt --url` takes it."""
        return f"http://127.0.0.1:{self.port}/REST/2.0"

    def _env(self):
        env = dict(os.environ)
        env["RT_SITE_CONFIG"] = str(self.dir / "RT_SiteConfig.pm")
        env["RT_SITE_CONFIG_DIR"] = str(self.dir / "RT_SiteConfig.d")  # empty: nothing else
        env["PERL5LIB"] = RT_LIB
        return env

    def _run(self, *cmd, input=None):
        proc = subprocess.run(cmd, env=self._env(), input=input, capture_output=True,
                              timeout=600)
        if proc.returncode != 0:
            raise AssertionError(f"{cmd} failed: {proc.stdout!r} {proc.stderr!r}")
        return proc.stdout.decode()

    def admin(self, *args):
        return self._run("perl", str(ADMIN_SCRIPT), *args).strip()

    def start(self):
        self.port = free_port()
        for sub in ("mason", "sessions", "RT_SiteConfig.d"):
            (self.dir / sub).mkdir(parents=True, exist_ok=True)
        (self.dir / "RT_SiteConfig.pm").write_text(
            CONFIG.format(rtname=RTNAME, dir=self.dir, port=self.port))
        # SQLite needs no database server: --skip-create, the file is made on first use.
        self._run(RT_SETUP, "--action", "init", "--skip-create")
        self.admin("rights")
        self.token = self.admin("token", "root")
        self.log = open(self.dir / "rt-server.log", "wb")
        # Standalone: one process (RT's default, Starlet, forks ten workers).
        self.proc = subprocess.Popen(
            ["perl", RT_SERVER, "--server", "Standalone", "--listen",
             f"127.0.0.1:{self.port}"], env=self._env(), stdout=self.log,
            stderr=subprocess.STDOUT)
        wait_until(self._answers, timeout=180, what="RT's REST2 to answer")

    def _answers(self):
        if self.proc.poll() is not None:
            raise AssertionError("rt-server exited: " + (self.dir / "rt-server.log").read_text())
        try:
            return self.rest("GET", "/rt")[0] == 200
        except OSError:
            return False

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)
        self.proc = None
        if getattr(self, "log", None):
            self.log.close()

    def rest(self, method, path, body=None, token=None):
        """(status, parsed JSON) of one REST2 request, as root unless `token` is given."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            headers = {"Authorization": f"token {token or self.token}",
                       "Accept": "application/json"}
            data = None
            if body is not None:
                data = json.dumps(body).encode()
                headers["Content-Type"] = "application/json"
            conn.request(method, "/REST/2.0" + path, body=data, headers=headers)
            r = conn.getresponse()
            raw = r.read()
            try:
                return r.status, json.loads(raw) if raw else None
            except ValueError:
                return r.status, raw.decode(errors="replace")
        finally:
            conn.close()

    def ok(self, method, path, body=None, token=None):
        status, answer = self.rest(method, path, body, token)
        assert status in (200, 201), (method, path, status, answer)
        return answer

    def mail(self, raw):
        """A message as a customer's mail client sends it, through RT's mail gateway."""
        self._run(RT_MAILGATE, "--url", f"http://127.0.0.1:{self.port}/", "--queue", "General",
                  "--action", "correspond", input=raw)

    def quote(self, text):
        return urllib.parse.quote(text, safe="")


def mime_mail(sender, subject, body, attachment=None):
    """A UTF-8 mail, with one attachment (name, bytes) when given."""
    head = (f"From: {sender}\nTo: support@test.invalid\n"
            f"Subject: =?UTF-8?B?{base64.b64encode(subject.encode()).decode()}?=\n"
            "MIME-Version: 1.0\n")
    text = ("Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: base64\n\n" +
            base64.encodebytes(body.encode()).decode())
    if attachment is None:
        return (head + text).encode()
    name, data = attachment
    return (head + 'Content-Type: multipart/mixed; boundary="b1"\n\n--b1\n' + text +
            f'--b1\nContent-Type: application/octet-stream; name="{name}"\n'
            f'Content-Disposition: attachment; filename="{name}"\n'
            "Content-Transfer-Encoding: base64\n\n" + base64.encodebytes(data).decode() +
            "--b1--\n").encode()


@pytest.fixture(scope="module")
def request_tracker(tmp_path_factory):
    if not all(Path(p).exists() for p in (RT_SERVER, RT_SETUP, RT_MAILGATE)):
        pytest.fail("Request Tracker 5 is needed: request-tracker5 and rt5-db-sqlite "
                    "(scripts/test-packages.txt)")
    rt = RequestTracker(tmp_path_factory.mktemp("rt"))
    try:
        rt.start()
        yield rt
    finally:
        rt.stop()
