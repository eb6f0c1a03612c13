"""A real OpenLDAP server (Debian's slapd) for the LDAP sign-in tests: a fresh database in a
temporary directory, loaded offline from tests/fixtures/ldap/directory.ldif with slapadd, then
served on a free port of 127.0.0.1. The root DN (cn=admin,dc=example,dc=org) may change entries,
so a test removes a person the way an administrator would (ldapdelete)."""

import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from conftest import free_port
from waiting import wait_until

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "ldap" / "directory.ldif"
SLAPD = "/usr/sbin/slapd"
SLAPADD = "/usr/sbin/slapadd"
BASE = "dc=example,dc=org"
ROOT_DN = "cn=admin," + BASE
ROOT_PASSWORD = "root-secret"
SERVICE_DN = "cn=gongdan,ou=people," + BASE
SERVICE_PASSWORD = "service-secret"

CONFIG = """\
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {dir}/slapd.pid
database mdb
maxsize 10485760
suffix "{base}"
rootdn "{root}"
rootpw {root_password}
directory {dir}/db
"""


def available():
    return Path(SLAPD).exists() and shutil.which("ldapdelete") is not None


class Slapd:
    def __init__(self, workdir):
        self.dir = Path(workdir)
        self.port = None
        self.proc = None

    @property
    def url(self):
        return f"ldap://127.0.0.1:{self.port}"

    def start(self):
        (self.dir / "db").mkdir(parents=True, exist_ok=True)
        self.config = self.dir / "slapd.conf"
        self.config.write_text(CONFIG.format(dir=self.dir, base=BASE, root=ROOT_DN,
                                             root_password=ROOT_PASSWORD))
        subprocess.run([SLAPADD, "-f", str(self.config), "-l", str(FIXTURE)], check=True,
                       capture_output=True)
        self.listen()

    def listen(self):
        self.port = self.port or free_port()
        self.log = open(self.dir / "slapd.log", "wb")
        # -d 0: stay in the foreground (a child this process can stop), logging nothing.
        self.proc = subprocess.Popen([SLAPD, "-f", str(self.config), "-h", self.url + "/",
                                      "-d", "0"], stdout=self.log, stderr=subprocess.STDOUT)
        wait_until(self._accepts, timeout=20, what="slapd to listen")

    def _accepts(self):
        if self.proc.poll() is not None:
            raise AssertionError("slapd exited: " + (self.dir / "slapd.log").read_text())
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            return True
        except OSError:
            return False

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=20)
        self.proc = None
        if getattr(self, "log", None):
            self.log.close()

    def delete(self, dn):
        subprocess.run(["ldapdelete", "-x", "-H", self.url, "-D", ROOT_DN, "-w", ROOT_PASSWORD,
                        dn], check=True, capture_output=True)


@pytest.fixture(scope="module")
def slapd(tmp_path_factory):
    if not available():
        pytest.fail("slapd and ldap-utils are needed (scripts/test-packages.txt)")
    server = Slapd(tmp_path_factory.mktemp("slapd"))
    server.start()
    yield server
    server.stop()
