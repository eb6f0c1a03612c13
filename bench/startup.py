#!/usr/bin/env python3
"""Start-up to serving: time from exec of `gongdan serve` on an empty data directory to its
`gongdan listening on ...` line. Prints the best and median of N runs in milliseconds.

usage: bench/startup.py BINARY [RUNS]
"""

import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time


def one_run(binary):
    with tempfile.TemporaryDirectory(prefix="gongdan-startup-") as tmp:
        env = dict(os.environ, GONGDAN_ADMIN_PASSWORD="bench-password-1")
        t0 = time.perf_counter()
        p = subprocess.Popen([binary, "serve", "--data", os.path.join(tmp, "data"), "--listen",
                              "127.0.0.1:0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             env=env)
        elapsed = None
        for line in p.stdout:
            if line.startswith(b"gongdan listening on "):
                elapsed = (time.perf_counter() - t0) * 1000.0
                break
        time.sleep(0.05)
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        if elapsed is None:
            sys.exit(f"{binary} exited without printing its listening line")
        return elapsed


def main():
    binary = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    times = [one_run(binary) for _ in range(runs)]
    print(f"{min(times):.1f} {statistics.median(times):.1f}")


if __name__ == "__main__":
    main()
