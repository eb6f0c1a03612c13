"""Issue 21: `gongdan backup --encrypt` and `gongdan restore` ask for the passphrase on the
terminal when no file or environment variable gives it. Run here in a real pseudo-terminal (the
process's controlling terminal, as in an operator's shell): the prompt appears, what is typed is
not echoed (the terminal's ECHO flag is off while it is asked, and on again after), a mistyped
confirmation is refused with a clear message and writes nothing, a wrong passphrase is refused,
and the right one restores."""

import fcntl
import os
import select
import subprocess
import termios
import time

from conftest import BIN, Server, base_env, database_for
from ticket_support import new_ticket

PASSPHRASE = "correct horse battery staple"


class Terminal:
    """`gongdan args...` with a new pseudo-terminal as its controlling terminal and its stdio."""

    def __init__(self, args, data_dir):
        self.master, self.slave = os.openpty()
        env = base_env({"GONGDAN_DATABASE": database_for(data_dir) or None})

        def controlling_terminal():
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.proc = subprocess.Popen([BIN, *args, "--data", str(data_dir)], stdin=self.slave,
                                     stdout=self.slave, stderr=self.slave, env=env,
                                     start_new_session=True, preexec_fn=controlling_terminal,
                                     cwd=str(data_dir.parent))
        self.seen = b""

    def read_until(self, text, timeout=60):
        deadline = time.monotonic() + timeout
        while text.encode() not in self.seen:
            left = deadline - time.monotonic()
            assert left > 0, f"no {text!r} on the terminal; it shows {self.seen!r}"
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                self.seen += os.read(self.master, 4096)
        return self.seen

    def echo_is_on(self):
        return bool(termios.tcgetattr(self.slave)[3] & termios.ECHO)

    def type(self, line):
        os.write(self.master, line.encode() + b"\n")

    def finish(self, timeout=120):
        rc = self.proc.wait(timeout)
        while select.select([self.master], [], [], 0)[0]:
            chunk = os.read(self.master, 4096)
            if not chunk:
                break
            self.seen += chunk
        os.close(self.master)
        os.close(self.slave)
        return rc, self.seen.decode(errors="replace")


def ask(term, prompt, answer):
    """Waits for `prompt`, checks nothing typed would echo, types `answer`."""
    term.read_until(prompt)
    # The prompt is written after echo is turned off; before the answer, it is still off.
    assert not term.echo_is_on(), "the terminal echoes while the passphrase is asked"
    term.type(answer)


def test_the_terminal_prompt(start_server, tmp_path):
    srv = start_server()
    number = new_ticket(srv.admin, subject="终端里输入的口令")["number"]
    srv.stop_and_check()

    # A mistyped confirmation: refused, clearly, and no archive is left.
    mistyped = tmp_path / "mistyped.tar.enc"
    term = Terminal(["backup", str(mistyped), "--encrypt"], srv.data_dir)
    ask(term, "backup passphrase: ", PASSPHRASE)
    ask(term, "again: ", PASSPHRASE + "!")
    rc, shown = term.finish()
    assert rc != 0, shown
    assert "the two passphrases differ" in shown, shown
    assert PASSPHRASE not in shown, shown
    assert not mistyped.exists()
    assert not any(p.name.startswith("mistyped") for p in tmp_path.iterdir())

    # Typed twice alike: the backup is sealed; the terminal echoes again afterwards.
    archive = tmp_path / "typed.tar.enc"
    term = Terminal(["backup", str(archive), "--encrypt"], srv.data_dir)
    ask(term, "backup passphrase: ", PASSPHRASE)
    ask(term, "again: ", PASSPHRASE)
    term.read_until("encrypted with a passphrase")
    assert term.echo_is_on(), "the terminal was left without echo"
    rc, shown = term.finish()
    assert rc == 0, shown
    assert PASSPHRASE not in shown, shown
    assert archive.read_bytes().startswith(b"GDBACKUP")

    # A wrong passphrase at the restore's prompt: refused, nothing written.
    target = tmp_path / "restored"
    term = Terminal(["restore", str(archive)], target)
    ask(term, "backup passphrase: ", "correct horse battery stapler")
    rc, shown = term.finish()
    assert rc != 0 and "wrong backup key or passphrase" in shown, shown
    assert not target.exists() or not any(target.iterdir())

    # The right one restores (asked once: a restore has nothing to confirm).
    term = Terminal(["restore", str(archive)], target)
    ask(term, "backup passphrase: ", PASSPHRASE)
    rc, shown = term.finish()
    assert rc == 0, shown
    assert "again: " not in shown and PASSPHRASE not in shown, shown
    restored = Server(target)
    restored.start()
    try:
        r = restored.admin.get(f"/api/v1/tickets/{number}")
        assert r.status == 200 and r.body["subject"] == "终端里输入的口令", r
    finally:
        restored.stop_and_check()
