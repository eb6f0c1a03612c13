"""Operations hygiene (issue 23): every answer carries X-Request-Id (a trusted proxy's own id is
kept), the id is in the JSON log lines of the request and of the jobs it enqueued, and /metrics
has process, build, job-queue and mailbox-poll families that the example Prometheus alert rules
in deploy/prometheus use."""

import json as jsonlib
import re
from pathlib import Path

import yaml

from conftest import free_port
from ticket_support import new_ticket
from waiting import wait_until
from webhook_support import Receiver, write_config

REPO = Path(__file__).resolve().parents[2]
HEX_ID = re.compile(r"^[0-9a-f]{16}$")


def json_log_lines(server):
    lines = [line for line in server.stderr_text().splitlines() if line.strip()]
    parsed = []
    for line in lines:
        record = jsonlib.loads(line)  # every line is one JSON object
        assert {"time", "level", "message"} <= record.keys(), line
        assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", record["time"]), line
        parsed.append(record)
    return parsed


def metric_names(text):
    return {line.split()[2] for line in text.splitlines() if line.startswith("# TYPE ")}


def ops_server(start_server, tmp_path):
    cfg = write_config(tmp_path / "gongdan.toml",
                       extra='access_log = true\nlog_format = "json"\n'
                             'trusted_proxies = ["127.0.0.1"]\n')
    return start_server(args=["--config", str(cfg)], clock=True)


def test_every_answer_has_a_request_id_and_a_trusted_proxys_id_is_kept(start_server, tmp_path):
    server = ops_server(start_server, tmp_path)
    ids = [server.get("/healthz").headers.get("X-Request-Id") for _ in range(3)]
    assert all(HEX_ID.match(i or "") for i in ids), ids
    assert len(set(ids)) == 3
    missing = server.get("/api/v1/no/such/thing")
    assert missing.status == 404 and HEX_ID.match(missing.headers["X-Request-Id"])
    kept = server.get("/healthz", headers={"X-Request-Id": "edge-7f3a.b:1_x"})
    assert kept.headers["X-Request-Id"] == "edge-7f3a.b:1_x"
    for bad in ("has space", "x" * 65, "quote\"d", "uni\xe9"):
        answer = server.get("/healthz", headers={"X-Request-Id": bad})
        assert HEX_ID.match(answer.headers["X-Request-Id"]), (bad, answer.headers)


def test_an_untrusted_client_cannot_choose_its_request_id(server):
    r = server.get("/healthz", headers={"X-Request-Id": "chosen-by-client"})
    assert HEX_ID.match(r.headers["X-Request-Id"])


def test_json_logs_carry_the_request_id_into_the_jobs_it_enqueued(start_server, tmp_path):
    receiver = Receiver(fail_first=1000)  # every delivery fails: the job stays queued
    try:
        server = ops_server(start_server, tmp_path)
        admin = server.admin
        hook = admin.post("/api/v1/webhooks", json={"url": receiver.url,
                                                     "events": ["ticket.created"]})
        assert hook.status == 201, hook
        created = new_ticket(admin, headers={"X-Request-Id": "req-create-1"})
        assert created["number"]
        receiver.wait_for(lambda got: len(got) >= 1, what="the first delivery try")

        def queued_job():
            items = admin.get("/api/v1/jobs?state=queued&limit=200").body["items"]
            mine = [j for j in items if j["kind"] == "webhook"]
            return mine[0] if mine and mine[0]["attempts"] >= 1 else None

        job = wait_until(queued_job, what="the failed delivery queued again")
        assert job["request_id"] == "req-create-1"

        def job_log():
            records = json_log_lines(server)
            return [r for r in records if r.get("request_id") == "req-create-1"
                    and f"job {job['id']} " in r["message"]] or None

        assert "failed" in wait_until(job_log, what="the job's log line")[0]["message"]
        access = [r for r in json_log_lines(server)
                  if r.get("request_id") == "req-create-1" and "POST /api/v1/tickets" in
                  r["message"]]
        assert access and access[0]["level"] == "info", access
        # Work nobody requested (the hourly cleaning, timers) has no id, and no line says "[]".
        assert all(r.get("request_id", "x") != "" for r in json_log_lines(server))
    finally:
        receiver.close()


def test_metrics_show_the_process_the_queue_and_failing_mailboxes(start_server, tmp_path):
    receiver = Receiver(fail_first=1000)
    try:
        server = ops_server(start_server, tmp_path)
        admin = server.admin
        assert admin.post("/api/v1/webhooks", json={"url": receiver.url,
                                                     "events": ["ticket.created"]}).status == 201
        new_ticket(admin)
        receiver.wait_for(lambda got: len(got) >= 1, what="the first delivery try")
        box = admin.post("/api/v1/mailboxes", json={
            "address": "ops@desk.example", "imap_host": "127.0.0.1", "imap_port": free_port(),
            "imap_tls": "none", "imap_user": "u", "imap_password": "p", "poll_seconds": 3600})
        assert box.status == 201, box
        admin.post(f"/api/v1/mailboxes/{box.body['id']}/poll")

        def scraped():
            text = server.get("/metrics").body
            text = text if isinstance(text, str) else text.decode()
            wanted = ('gongdan_jobs{kind="webhook",state="queued"} 1',
                      f'gongdan_mailbox_poll_failing{{mailbox="{box.body["id"]}",'
                      f'address="ops@desk.example"}} 1')
            return text if all(w in text for w in wanted) else None

        text = wait_until(scraped, what="the queued delivery and the failing mailbox in /metrics")
        assert 'gongdan_build_info{version="' in text
        for name in ("process_resident_memory_bytes", "process_open_fds",
                     "process_cpu_seconds_total", "process_start_time_seconds",
                     "gongdan_jobs_due", "gongdan_jobs_oldest_due_seconds",
                     "gongdan_mailbox_last_poll_timestamp_seconds", "gongdan_stream_connections"):
            assert re.search(rf"^{name}(\{{[^}}]*\}})? [0-9.e+]+$", text, re.M), name
        rss = float(re.search(r"^process_resident_memory_bytes (\S+)$", text, re.M).group(1))
        assert rss > 1_000_000
        # Every metric the example alert rules use is one /metrics has.
        rules = yaml.safe_load((REPO / "deploy/prometheus/gongdan-alerts.yml").read_text())
        exprs = [rule["expr"] for group in rules["groups"] for rule in group["rules"]]
        used = {m for e in exprs for m in re.findall(r"\b((?:gongdan|process)_[a-z_]+)", e)}
        used = {re.sub(r"_(bucket|sum|count)$", "", m) for m in used}
        assert used and used <= metric_names(text), used - metric_names(text)
    finally:
        receiver.close()


def test_a_wrong_log_format_stops_the_server_naming_it(start_server, tmp_path):
    cfg = tmp_path / "bad.toml"
    cfg.write_text('log_format = "xml"\n')
    from conftest import BIN, base_env
    import subprocess
    done = subprocess.run([BIN, "serve", "--data", str(tmp_path / "d"), "--config", str(cfg),
                           "--listen", "127.0.0.1:0"], env=base_env(), capture_output=True,
                          timeout=30)
    assert done.returncode != 0
    assert b"log_format" in done.stderr and b"xml" in done.stderr
