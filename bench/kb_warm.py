"""Reads every article page bench/kb_data.py loaded once, in both languages (4 connections,
keep-alive): bench/kb.sh's warm-up, so the measured run finds each page rendered before, as
readers of a help centre that has been up for a while do. Exits non-zero on any non-200."""
import http.client
import sys
import threading


def main():
    host, port, first, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    failures = []

    def worker(start):
        conn = http.client.HTTPConnection(host, port, timeout=60)
        for n in range(start, count, 4):
            for lang in ("zh-CN", "en"):
                conn.request("GET", f"/help/{lang}/articles/{first + n}")
                r = conn.getresponse()
                r.read()
                if r.status != 200:
                    failures.append((first + n, lang, r.status))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise SystemExit(f"{len(failures)} pages failed, e.g. {failures[:3]}")


if __name__ == "__main__":
    main()
