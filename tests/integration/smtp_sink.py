"""A tiny SMTP receiver for the outbox tests: python's smtpd (standard library in 3.11) on
127.0.0.1:PORT, writing every message it accepts to DIR/<n>.eml with the envelope in
DIR/<n>.env. Run as `python3 smtp_sink.py PORT DIR`; stops on SIGTERM."""

import asyncore
import itertools
import os
import signal
import sys
import warnings

warnings.filterwarnings("ignore", category=DeprecationWarning)
import smtpd  # noqa: E402  (deprecated, still shipped with Python 3.11)

_seq = itertools.count(1)


class Sink(smtpd.SMTPServer):
    def __init__(self, port, directory):
        super().__init__(("127.0.0.1", port), None, decode_data=False)
        self.directory = directory

    def process_message(self, peer, mailfrom, rcpttos, data, **kwargs):
        n = next(_seq)
        with open(f"{self.directory}/{n}.env", "w") as f:
            f.write(f"{mailfrom}\n" + "\n".join(rcpttos) + "\n")
        # Readers list *.eml while mail arrives: the message appears whole or not at all.
        with open(f"{self.directory}/{n}.part", "wb") as f:
            f.write(data)
        os.rename(f"{self.directory}/{n}.part", f"{self.directory}/{n}.eml")
        return None


def main():
    port, directory = int(sys.argv[1]), sys.argv[2]
    Sink(port, directory)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("ready", flush=True)
    asyncore.loop(timeout=0.2)


if __name__ == "__main__":
    main()
