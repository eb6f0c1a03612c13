"""Real mail servers for the mail tests, started in a temporary directory on 127.0.0.1 and a free
port: Dovecot (IMAP, passwd-file auth, maildir). Needs root (Dovecot switches users); tests skip
when it cannot start."""

import imaplib
import os
import pwd
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from conftest import free_port
from waiting import poll

DOVECOT_CONF = """\
protocols = imap
listen = 127.0.0.1
base_dir = {dir}/run
state_dir = {dir}/state
instance_name = gongdan-test-{port}
log_path = {dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = dovecot
default_internal_group = dovecot
default_login_user = dovenull
mail_location = maildir:{dir}/mail/%u
mail_uid = mail
mail_gid = mail
first_valid_uid = 1
# A failed login is answered at once and costs no penalty: Dovecot's defaults (2 s, then doubling
# per failure from the same address) made each wrong-password test wait up to 12 s for nothing.
auth_failure_delay = 0
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {dir}/passwd
}}
userdb {{
  driver = static
  args = uid=mail gid=mail home={dir}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


def wait_for_port(port, timeout=15.0):
    def accepts():
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            return False
    return poll(accepts, timeout, step=0.1)


class Dovecot:
    def __init__(self, directory, users, extra=""):
        self.dir = Path(directory)
        self.port = free_port()
        self.users = dict(users)
        self.extra = extra  # more configuration, after the rest
        self.proc = None

    def start(self):
        if os.geteuid() != 0 or not shutil.which("dovecot"):
            pytest.skip("Dovecot tests need root and the dovecot binary")
        for sub in ("run", "state", "mail"):
            (self.dir / sub).mkdir(parents=True, exist_ok=True)
        os.chmod(self.dir, 0o755)
        mail = pwd.getpwnam("mail")
        os.chown(self.dir / "mail", mail.pw_uid, mail.pw_gid)
        (self.dir / "passwd").write_text(
            "".join(f"{u}:{{PLAIN}}{p}\n" for u, p in self.users.items()))
        conf = self.dir / "dovecot.conf"
        conf.write_text(DOVECOT_CONF.format(dir=self.dir, port=self.port) + self.extra)
        self.proc = subprocess.Popen(["dovecot", "-F", "-c", str(conf)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not wait_for_port(self.port):
            self.stop()
            pytest.fail(f"dovecot did not listen: {self.log()}")
        return self

    def log(self):
        p = self.dir / "dovecot.log"
        return p.read_text("utf-8", "replace")[-4000:] if p.exists() else ""

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def imap(self, user):
        m = imaplib.IMAP4("127.0.0.1", self.port)
        m.login(user, self.users[user])
        return m

    def append(self, user, raw, folder="INBOX", flags=None):
        m = self.imap(user)
        try:
            typ, data = m.append(folder, flags, None, raw)
            assert typ == "OK", data
        finally:
            m.logout()

    def search(self, user, criterion, folder="INBOX"):
        m = self.imap(user)
        try:
            typ, _ = m.select(folder)
            if typ != "OK":
                return None
            typ, data = m.uid("SEARCH", None, criterion)
            assert typ == "OK", data
            return [int(x) for x in data[0].split()]
        finally:
            m.logout()


POSTFIX_MAIN = """\
compatibility_level = 3.6
queue_directory = {dir}/queue
data_directory = {dir}/data
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
mail_owner = postfix
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = mx.test
mydestination =
mynetworks = 127.0.0.0/8
relayhost =
smtputf8_enable = no
virtual_mailbox_domains = {domains}
virtual_mailbox_base = {mail_base}
virtual_mailbox_maps = static:{mailbox}/
virtual_uid_maps = static:{uid}
virtual_gid_maps = static:{gid}
virtual_minimum_uid = 1
maillog_file = {dir}/postfix.log
maillog_file_prefixes = {dir}
"""


class Postfix:
    """Debian's Postfix in its own config directory (postfix -c DIR start), on 127.0.0.1 and a
    free port, delivering every mail for `domains` into one maildir: `mail_base`/`mailbox`/."""

    def __init__(self, directory, mail_base, mailbox, domains="example.com", extra=""):
        self.dir = Path(directory)
        self.extra = extra  # more of main.cf, after the rest
        self.port = free_port()
        self.mail_base = Path(mail_base)
        self.mailbox = mailbox
        self.domains = domains
        self.started = False

    def _postfix(self, *args):
        # postfix reports to stderr only on a terminal; its log file says the rest.
        return subprocess.run(["postfix", "-c", str(self.dir / "conf"), *args],
                              capture_output=True, text=True, timeout=60)

    def start(self):
        if os.geteuid() != 0 or not shutil.which("postfix"):
            pytest.skip("Postfix tests need root and the postfix binary")
        for sub in ("conf", "queue", "data"):
            (self.dir / sub).mkdir(parents=True, exist_ok=True)
        os.chmod(self.dir, 0o755)
        pf = pwd.getpwnam("postfix")
        os.chown(self.dir / "data", pf.pw_uid, pf.pw_gid)
        mail = pwd.getpwnam("mail")
        (self.dir / "conf" / "main.cf").write_text(POSTFIX_MAIN.format(
            dir=self.dir, domains=self.domains, mail_base=self.mail_base, mailbox=self.mailbox,
            uid=mail.pw_uid, gid=mail.pw_gid) + self.extra)
        master = Path("/etc/postfix/master.cf").read_text().splitlines()
        lines = []
        for line in master:
            if line.startswith("smtp ") and " inet " in line:
                line = f"127.0.0.1:{self.port} inet n - n - - smtpd"
            lines.append(line)
        (self.dir / "conf" / "master.cf").write_text("\n".join(lines) + "\n")
        r = self._postfix("start")
        self.started = True
        if r.returncode != 0 or not wait_for_port(self.port):
            self.stop()
            pytest.fail(f"postfix did not start: {r.stdout} {r.stderr} {self.log()}")
        return self

    def log(self):
        p = self.dir / "postfix.log"
        return p.read_text("utf-8", "replace")[-4000:] if p.exists() else ""

    def stop(self):
        if self.started:
            self._postfix("stop")
            self.started = False
