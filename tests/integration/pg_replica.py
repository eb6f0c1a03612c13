"""A real PostgreSQL streaming replica: a base backup taken with pg_basebackup -R into a temporary
directory, started on a free port of 127.0.0.1, of a small primary cluster of its own (Primary).
Not of the suite's cluster (GONGDAN_TEST_POSTGRES): that one holds a database per test server
by then, and copying them all outgrew the backup's time limit as the suite grew. As root, the
files belong to the `postgres` system user (PostgreSQL refuses root)."""
import os
import shutil
import subprocess
import tempfile
from urllib.parse import urlparse

from conftest import free_port
from waiting import wait_until

PG_BIN = "/usr/lib/postgresql/15/bin"


def _as_postgres(cmd):
    return (["runuser", "-u", "postgres", "--"] + cmd) if os.geteuid() == 0 else cmd


def _own_dir(prefix):
    path = tempfile.mkdtemp(prefix=prefix)
    if os.geteuid() == 0:
        shutil.chown(path, "postgres")
    return path


class Primary:
    """A throwaway primary cluster on 127.0.0.1 (trust, as scripts/lib.sh starts the suite's)."""

    def __init__(self):
        self.dir = _own_dir("gongdan-primary-")
        self.port = free_port()
        data = os.path.join(self.dir, "data")
        subprocess.run(_as_postgres([f"{PG_BIN}/initdb", "-D", data, "-A", "trust", "-U",
                                     "gongdan", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]),
                       check=True, capture_output=True, timeout=120)
        subprocess.run(_as_postgres([f"{PG_BIN}/pg_ctl", "-D", data, "-l",
                                     os.path.join(self.dir, "server.log"), "-w", "-t", "60",
                                     "start", "-o",
                                     f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} "
                                     "-c max_connections=400 -c fsync=off"]),
                       check=True, capture_output=True, timeout=90)
        self.data = data
        self.url = f"postgresql://gongdan@127.0.0.1:{self.port}"

    def create_database(self, name):
        subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", f"{self.url}/postgres", "-c",
                        f"CREATE DATABASE {name}"], check=True, capture_output=True)
        return f"{self.url}/{name}"

    def close(self):
        subprocess.run(_as_postgres([f"{PG_BIN}/pg_ctl", "-D", self.data, "-m", "immediate",
                                     "-w", "stop"]), capture_output=True, timeout=60)
        shutil.rmtree(self.dir, ignore_errors=True)


class Replica:
    def __init__(self, primary_url):
        primary = urlparse(primary_url)
        self.dir = _own_dir("gongdan-replica-")
        self.port = free_port()
        self.data = os.path.join(self.dir, "data")
        subprocess.run(_as_postgres([f"{PG_BIN}/pg_basebackup", "-h", "127.0.0.1", "-p",
                                     str(primary.port), "-U", primary.username or "gongdan",
                                     "-D", self.data, "-R", "-X", "stream", "-c", "fast",
                                     "--no-sync"]),
                       check=True, capture_output=True, timeout=120)
        self.running = False
        try:
            self.start()
        except subprocess.CalledProcessError:
            log = os.path.join(self.dir, "server.log")
            tail = open(log).read()[-3000:] if os.path.exists(log) else ""
            self.close()
            raise AssertionError(f"the replica did not start:\n{tail}")
        self.base = f"postgresql://{primary.username or 'gongdan'}@127.0.0.1:{self.port}"

    def start(self):
        # A hot standby needs at least the primary's max_connections (scripts/lib.sh: 400).
        # fsync=off: a throwaway copy; with it the start-up skips syncing the whole data
        # directory (the copy was taken with --no-sync), which took minutes on a busy disk.
        subprocess.run(_as_postgres([f"{PG_BIN}/pg_ctl", "-D", self.data, "-l",
                                     os.path.join(self.dir, "server.log"), "-w", "-t", "60",
                                     "start", "-o",
                                     f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} "
                                     "-c max_connections=400 -c hot_standby=on -c fsync=off"]),
                       check=True, capture_output=True, timeout=90)
        self.running = True

    def stop(self, mode="fast"):
        if self.running or os.path.exists(os.path.join(self.data, "postmaster.pid")):
            subprocess.run(_as_postgres([f"{PG_BIN}/pg_ctl", "-D", self.data, "-m", mode, "-w",
                                         "stop"]), capture_output=True, timeout=60)
            self.running = False

    def url_for(self, primary_url):
        """The replica's URL of the database `primary_url` names."""
        return f"{self.base}/{urlparse(primary_url).path.lstrip('/')}"

    def sql(self, database_url, statement):
        out = subprocess.run(["psql", "-XAtq", "-v", "ON_ERROR_STOP=1", self.url_for(database_url),
                              "-c", statement], check=True, capture_output=True, text=True)
        return out.stdout.strip()

    def wait_for_database(self, database_url, timeout=30):
        def ready():
            return subprocess.run(["psql", "-XAtq", self.url_for(database_url), "-c", "SELECT 1"],
                                  capture_output=True, text=True).returncode == 0
        wait_until(ready, timeout, step=0.1, what=f"the replica to have {database_url}")

    def close(self):
        self.stop(mode="immediate")
        shutil.rmtree(self.dir, ignore_errors=True)
