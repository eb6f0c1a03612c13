"""/healthz, /readyz and /metrics."""

import re

from conftest import assert_error

SAMPLE_RE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s+(\S+)(\s+\d+)?$')
LABEL_RE = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse_metrics(text):
    """Prometheus text format -> list of (name, {labels}, float). Asserts every line parses."""
    samples = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            if line.startswith("# TYPE"):
                assert re.match(r"^# TYPE \S+ (counter|gauge|histogram|summary|untyped)$", line), line
            continue
        m = SAMPLE_RE.match(line)
        assert m, f"not a Prometheus sample line: {line!r}"
        labels = dict(LABEL_RE.findall(m.group(3) or ""))
        value = m.group(4)
        samples.append((m.group(1), labels, float(value.replace("+Inf", "inf"))))
    return samples


def metric_sum(samples, name, **labels):
    return sum(v for n, lab, v in samples
               if n == name and all(lab.get(k) == val for k, val in labels.items()))


def fetch_metrics(client):
    r = client.get("/metrics")
    assert r.status == 200
    assert r.headers.get("Content-Type", "").startswith("text/plain"), r.headers.get("Content-Type")
    return r.body, parse_metrics(r.body)


def test_healthz(server):
    r = server.get("/healthz")
    assert r.status == 200
    assert "application/json" in r.headers.get("Content-Type", "")
    assert r.body == {"status": "ok"}


def test_readyz(server):
    r = server.get("/readyz")
    assert r.status == 200
    assert r.body["status"] == "ready"
    v = r.body["schema_version"]
    assert isinstance(v, int) and not isinstance(v, bool) and v >= 1
    assert set(r.body) == {"status", "schema_version"}


def test_health_needs_no_auth_and_ignores_bad_credentials(server):
    assert server.get("/healthz", headers={"Authorization": "Bearer nonsense"}).status == 200
    assert server.get("/readyz", headers={"Cookie": "gongdan_session=bogus"}).status == 200


def test_head_healthz_or_405(server):
    r = server.request("HEAD", "/healthz")
    assert r.status in (200, 405)
    assert r.raw == b""


def test_metrics_names_and_labels(server):
    for _ in range(3):
        server.get("/healthz")
    server.get("/no/such/route")
    server.login()  # a write (the session row) goes through the writer
    text, samples = fetch_metrics(server)

    reqs = [(lab, v) for n, lab, v in samples if n == "gongdan_http_requests_total"]
    assert reqs, "gongdan_http_requests_total missing"
    for lab, _ in reqs:
        assert {"route", "method", "status"} <= set(lab), lab
        assert re.fullmatch(r"[1-5]\d\d", lab["status"]), lab
    healthz = sum(v for lab, v in reqs
                  if "healthz" in lab["route"] and lab["method"] == "GET" and lab["status"] == "200")
    assert healthz >= 3
    assert any(lab["status"] == "404" for lab, _ in reqs), "404s are not counted"
    # Unknown paths must not each create their own series (unbounded label cardinality).
    assert not any("no/such/route" in lab["route"] for lab, _ in reqs), reqs

    buckets = [(lab, v) for n, lab, v in samples
               if n == "gongdan_http_request_duration_seconds_bucket"]
    assert buckets, "latency histogram missing"
    assert all("le" in lab for lab, _ in buckets)
    assert any(lab["le"] == "+Inf" for lab, _ in buckets)

    batch = [(lab, v) for n, lab, v in samples if n == "gongdan_db_write_batch_size_bucket"]
    assert batch and all("le" in lab for lab, _ in batch)
    inf = [v for lab, v in batch if lab["le"] == "+Inf"]
    assert inf and sum(inf) >= 1, "a committed write batch is not counted"

    for gauge in ("gongdan_db_readers_in_use", "gongdan_db_readers_open"):
        vals = [v for n, _, v in samples if n == gauge]
        assert vals, f"{gauge} missing"
        assert all(v >= 0 for v in vals)
    assert metric_sum(samples, "gongdan_db_readers_open") >= metric_sum(
        samples, "gongdan_db_readers_in_use")


def test_histogram_buckets_are_cumulative(server):
    for _ in range(5):
        server.get("/healthz")
    _, samples = fetch_metrics(server)
    series = {}
    for n, lab, v in samples:
        if n == "gongdan_http_request_duration_seconds_bucket":
            key = tuple(sorted((k, x) for k, x in lab.items() if k != "le"))
            le = float(lab["le"].replace("+Inf", "inf"))
            series.setdefault(key, []).append((le, v))
    assert series
    for key, points in series.items():
        points.sort()
        counts = [v for _, v in points]
        assert counts == sorted(counts), f"buckets not cumulative for {key}: {points}"
        assert points[-1][0] == float("inf")


def test_request_counter_increases(server):
    def healthz_count():
        _, samples = fetch_metrics(server)
        return sum(v for n, lab, v in samples if n == "gongdan_http_requests_total"
                   and "healthz" in lab.get("route", "") and lab.get("status") == "200")

    before = healthz_count()
    for _ in range(7):
        server.get("/healthz")
    assert healthz_count() - before >= 7


def test_metrics_post_is_405(server):
    r = server.post("/metrics", json={})
    assert_error(r, 405, "method_not_allowed")
    assert "GET" in r.headers.get("Allow", "")
