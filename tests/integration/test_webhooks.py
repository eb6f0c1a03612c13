"""Signed webhooks on the durable job queue: subscriptions (admin API), deliveries enqueued with
the ticket change, HMAC signatures, retries with backoff and a delivery log, dead letters and
their retry, SSRF refusal of loopback targets, chat-bot formats, and a kill -9 during a burst of
deliveries after which every delivery still arrives. The servers run on the test clock: a retry
happens when the clock reaches its backoff, and the tests wait for the job queue to be idle."""

import base64
import hashlib
import hmac
import json as jsonlib
import socket
from datetime import timedelta
from signal import SIGKILL
from urllib.parse import parse_qs, urlparse

import pytest

from conftest import assert_error, parse_utc
from ticket_support import make_department, new_ticket, reply, patch
from webhook_support import Receiver, signature_ok, write_config


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def hooked_server(start_server, tmp_path, **config):
    cfg = write_config(tmp_path / "gongdan.toml", **config)
    return start_server(args=["--config", str(cfg)], clock=True)


def add_hook(admin, url, events=("ticket.created",), expect=201, **extra):
    r = admin.post("/api/v1/webhooks", json={"url": url, "events": list(events), **extra})
    assert r.status == expect, r
    return r.body


def jobs(admin, state=None):
    """The webhook deliveries' jobs: the server queues jobs of its own too (the reports' daily
    fold at start-up), which these tests do not count."""
    path = "/api/v1/jobs?limit=200" + (f"&state={state}" if state else "")
    r = admin.get(path)
    assert r.status == 200, r
    return [j for j in r.body["items"] if j["kind"] == "webhook"]


def delivery_log(admin, hook_id):
    return admin.get(f"/api/v1/webhooks/{hook_id}/deliveries").body["items"]


def next_try(admin):
    """When the one queued job runs next."""
    queued = jobs(admin, "queued")
    assert len(queued) == 1, queued
    return parse_utc(queued[0]["run_at"])


def test_signed_delivery_of_ticket_events(start_server, tmp_path, receiver):
    srv = hooked_server(start_server, tmp_path)
    admin = srv.admin
    hook = add_hook(admin, receiver.url,
                    events=["ticket.created", "ticket.updated", "message.added"])
    secret = hook["secret"]
    assert len(secret) >= 32 and hook["format"] == "json" and hook["active"] is True
    # The secret is shown once: never in a later read.
    assert "secret" not in admin.get(f"/api/v1/webhooks/{hook['id']}").body
    assert all("secret" not in h for h in admin.get("/api/v1/webhooks").body["items"])

    t = new_ticket(admin, subject="Printer on fire")
    srv.wait_idle()
    got = receiver.snapshot()
    first = got[0]
    assert first["headers"]["X-Gongdan-Event"] == "ticket.created"
    assert signature_ok(first, secret)
    assert not signature_ok(first, "wrong-secret")
    assert first["json"]["event"] == "ticket.created"
    assert first["json"]["id"] == first["headers"]["X-Gongdan-Delivery"]
    assert first["json"]["data"]["ticket"]["number"] == t["number"]
    assert first["json"]["data"]["ticket"]["subject"] == "Printer on fire"
    assert first["json"]["data"]["message"]["body"] == "please help"
    ts = int(first["headers"]["X-Gongdan-Timestamp"])
    assert ts == int(srv.clock().timestamp())

    patch(admin, t["number"], {"priority": "urgent"})
    reply(admin, t["number"], body="on our way")
    srv.wait_idle()
    got = receiver.snapshot()
    assert len(got) == 3, got
    events = [r["headers"]["X-Gongdan-Event"] for r in got]
    assert events.count("ticket.updated") == 1 and events.count("message.added") == 1, events
    upd = next(r for r in got if r["headers"]["X-Gongdan-Event"] == "ticket.updated")
    assert upd["json"]["data"]["ticket"]["priority"] == "urgent"
    assert all(signature_ok(r, secret) for r in got)
    assert len({r["headers"]["X-Gongdan-Delivery"] for r in got}) == 3

    log = delivery_log(admin, hook["id"])
    assert len(log) == 3 and all(d["status_code"] == 200 and d["error"] == "" for d in log), log


def test_retries_with_backoff_then_success(start_server, tmp_path):
    rec = Receiver(fail_first=2)
    try:
        srv = hooked_server(start_server, tmp_path)
        admin = srv.admin
        hook = add_hook(admin, rec.url)
        new_ticket(admin)
        srv.wait_idle()
        # Backoff with full jitter of at least half: base 100 ms, then 200 ms (write_config).
        for attempt, (low, high) in enumerate([(50, 100), (100, 200)], start=1):
            assert [r["try"] for r in rec.snapshot()] == list(range(1, attempt + 1))
            now = srv.clock()
            due = next_try(admin)
            assert timedelta(milliseconds=low) <= due - now <= timedelta(milliseconds=high)
            srv.advance(seconds=(due - now).total_seconds() - 0.001)
            assert len(rec.snapshot()) == attempt  # a millisecond early: not yet
            srv.advance(seconds=0.001)
        got = rec.snapshot()
        assert [r["try"] for r in got] == [1, 2, 3], got
        assert [r["status"] for r in got] == [500, 500, 200], got
        assert len({r["headers"]["X-Gongdan-Delivery"] for r in got}) == 1
        assert all(signature_ok(r, hook["secret"]) for r in got)
        log = delivery_log(admin, hook["id"])
        assert [d["status_code"] for d in reversed(log)] == [500, 500, 200], log
        assert [d["attempt"] for d in reversed(log)] == [1, 2, 3], log
        assert "500" in log[-1]["error"]
        done = jobs(admin)
        assert done[0]["state"] == "done" and done[0]["attempts"] == 3, done
        assert done[0]["kind"] == "webhook"
    finally:
        rec.close()


def test_dead_letter_and_admin_retry(start_server, tmp_path):
    rec = Receiver(fail_first=3)
    try:
        srv = hooked_server(start_server, tmp_path, max_attempts=2)
        admin = srv.admin
        add_hook(admin, rec.url)
        new_ticket(admin)
        srv.advance(seconds=1)  # past the first backoff (at most 100 ms)
        dead = jobs(admin)
        job = dead[0]
        assert job["attempts"] == 2 and "gave up after 2 attempts" in job["last_error"], job
        assert [j["id"] for j in jobs(admin, "dead")] == [job["id"]]
        assert jobs(admin, "queued") == []
        # Retrying a job that is not dead is a conflict; an unknown one is 404.
        assert_error(admin.post("/api/v1/jobs/999999/retry"), 404, "not_found")
        r = admin.post(f"/api/v1/jobs/{job['id']}/retry")
        assert r.status == 200 and r.body["state"] == "queued" and r.body["attempts"] == 0, r
        # Two more tries: the third try overall still fails, the fourth succeeds.
        srv.wait_idle()
        assert [x["status"] for x in rec.snapshot()] == [500, 500, 500]
        srv.advance(seconds=1)
        assert [x["status"] for x in rec.snapshot()] == [500, 500, 500, 200]
        assert jobs(admin)[0]["state"] == "done"
        assert_error(admin.post(f"/api/v1/jobs/{job['id']}/retry"), 409, "conflict")
        assert_error(admin.get("/api/v1/jobs?state=bogus"), 400, "invalid_argument", "state")
    finally:
        rec.close()


def test_loopback_refused_without_allow_list(start_server, tmp_path, receiver):
    srv = hooked_server(start_server, tmp_path, allow_hosts=())
    admin = srv.admin
    for url in (receiver.url, f"http://localhost:{receiver.port}/x", "http://[::1]/x",
                "http://10.0.0.7/x", "http://169.254.169.254/latest/meta-data"):
        err = assert_error(admin.post("/api/v1/webhooks",
                                      json={"url": url, "events": ["ticket.created"]}),
                           400, "invalid_argument", "url")
        assert "webhook_allow_hosts" in err["message"] and "refused" in err["message"], err
    # A name that resolves to loopback passes the save-time check but is refused at delivery,
    # after resolution, with the reason in the job and the delivery log; no request arrives.
    hook = add_hook(admin, f"http://localtest.invalid.example:{receiver.port}/x")
    assert hook["id"] > 0
    for bad in ("ftp://example.com/x", "not a url", "http:///nohost", ""):
        assert_error(admin.post("/api/v1/webhooks", json={"url": bad, "events": ["ticket.created"]}),
                     400, "invalid_argument", "url")
    assert_error(admin.post("/api/v1/webhooks", json={"url": "https://example.com/h",
                                                      "events": ["ticket.exploded"]}),
                 400, "invalid_argument", "events")
    assert_error(admin.post("/api/v1/webhooks", json={"url": "https://example.com/h",
                                                      "events": ["ticket.created"],
                                                      "format": "telex"}),
                 400, "invalid_argument", "format")
    assert_error(admin.post("/api/v1/webhooks", json={"url": "https://example.com/h",
                                                      "events": ["ticket.created"],
                                                      "template": "{{ ticket.nope }}"}),
                 400, "invalid_argument", "template")
    assert_error(admin.post("/api/v1/webhooks", json={"url": "https://example.com/h"}),
                 400, "invalid_argument", "events")
    assert_error(admin.post("/api/v1/webhooks", json={"events": ["ticket.created"]}),
                 400, "invalid_argument", "url")
    assert_error(admin.post("/api/v1/webhooks", json={"url": "https://example.com/h",
                                                      "events": ["ticket.created"], "x": 1}),
                 400, "invalid_argument", "x")


def loopback_name():
    """The machine's own name when /etc/hosts maps it to loopback, else Debian's ip6-localhost
    (a root made by debootstrap lists only those, not the host's name)."""
    for name in (socket.gethostname(), "ip6-localhost", "ip6-loopback"):
        try:
            addresses = {a[4][0] for a in socket.getaddrinfo(name, None, type=socket.SOCK_STREAM)}
        except socket.gaierror:
            continue
        if addresses and all(a.startswith("127.") or a == "::1" for a in addresses):
            return name
    pytest.skip("no name but localhost resolves to loopback here")


def test_resolved_loopback_is_refused_at_delivery(start_server, tmp_path, receiver):
    # A name that resolves to a loopback address (/etc/hosts) but is no IP literal, so only the
    # sender's check of the resolved address can refuse it.
    name = loopback_name()
    srv = hooked_server(start_server, tmp_path, allow_hosts=())
    admin = srv.admin
    hook = add_hook(admin, f"http://{name}:{receiver.port}/x")
    new_ticket(admin)
    srv.advance(hours=1)  # long past any backoff
    dead = jobs(admin)
    assert dead[0]["state"] == "dead", dead[0]
    assert "refused" in dead[0]["last_error"] and "loopback" in dead[0]["last_error"], dead[0]
    assert dead[0]["attempts"] == 1  # refusal is final: no retries
    log = delivery_log(admin, hook["id"])
    assert log and log[0]["status_code"] is None and "refused" in log[0]["error"], log
    assert receiver.snapshot() == []


def test_filters_department_and_inactive(start_server, tmp_path, receiver):
    srv = hooked_server(start_server, tmp_path)
    admin = srv.admin
    dept = make_department(admin)
    other = make_department(admin)
    hook = add_hook(admin, receiver.url, department=dept["id"])
    new_ticket(admin, department=other["id"], subject="elsewhere")
    mine = new_ticket(admin, department=dept["id"], subject="ours")
    srv.wait_idle()
    got = receiver.snapshot()
    assert [r["json"]["data"]["ticket"]["number"] for r in got] == [mine["number"]]
    r = admin.patch(f"/api/v1/webhooks/{hook['id']}", json={"active": False})
    assert r.status == 200 and r.body["active"] is False and "secret" not in r.body
    new_ticket(admin, department=dept["id"])
    srv.wait_idle()
    assert len(receiver.snapshot()) == 1
    r = admin.patch(f"/api/v1/webhooks/{hook['id']}", json={"rotate_secret": True})
    assert r.status == 200 and r.body["secret"] != hook["secret"], r
    assert admin.request("DELETE", f"/api/v1/webhooks/{hook['id']}").status == 204
    assert_error(admin.get(f"/api/v1/webhooks/{hook['id']}"), 404, "not_found")
    assert_error(admin.get("/api/v1/webhooks/abc"), 404, "not_found")


def test_only_admins_manage_webhooks_and_jobs(start_server, tmp_path, receiver):
    srv = hooked_server(start_server, tmp_path)
    agent = srv.agent_session()
    assert_error(agent.get("/api/v1/webhooks"), 403, "permission_denied")
    assert_error(agent.post("/api/v1/webhooks", json={"url": receiver.url,
                                                      "events": ["ticket.created"]}),
                 403, "permission_denied")
    assert_error(agent.get("/api/v1/jobs"), 403, "permission_denied")
    assert_error(agent.post("/api/v1/jobs/1/retry"), 403, "permission_denied")
    assert srv.get("/api/v1/webhooks").status == 401


def test_chat_formats(start_server, tmp_path, receiver):
    srv = hooked_server(start_server, tmp_path)
    admin = srv.admin
    base = receiver.url
    add_hook(admin, base + "/wecom", format="wecom")
    ding = add_hook(admin, base + "/ding?access_token=abc", format="dingtalk",
                    secret="SECdingtalk", template="#{{ticket.number}} {{ticket.subject}}")
    add_hook(admin, base + "/feishu", format="feishu", secret="feishu-secret")
    add_hook(admin, base + "/slack", format="slack")
    t = new_ticket(admin, subject="VPN down")
    srv.wait_idle()
    got = receiver.snapshot()
    assert len(got) == 4, got
    by_path = {urlparse(r["path"]).path: r for r in got}
    wecom = by_path["/hook/wecom"]["json"]
    assert wecom["msgtype"] == "text" and "VPN down" in wecom["text"]["content"]
    assert wecom["text"]["content"].startswith("[ticket.created]")
    ding_req = by_path["/hook/ding"]
    assert ding_req["json"]["text"]["content"] == f"[ticket.created] #{t['number']} VPN down"
    q = parse_qs(urlparse(ding_req["path"]).query)
    assert q["access_token"] == ["abc"]
    ts = q["timestamp"][0]
    want = base64.b64encode(hmac.new(b"SECdingtalk", f"{ts}\nSECdingtalk".encode(),
                                     hashlib.sha256).digest()).decode()
    assert q["sign"] == [want]
    feishu = by_path["/hook/feishu"]["json"]
    assert feishu["msg_type"] == "text" and "VPN down" in feishu["content"]["text"]
    fts = feishu["timestamp"]
    fwant = base64.b64encode(hmac.new(f"{fts}\nfeishu-secret".encode(), b"",
                                      hashlib.sha256).digest()).decode()
    assert feishu["sign"] == fwant
    slack = by_path["/hook/slack"]["json"]
    assert "VPN down" in slack["text"] and set(slack) == {"text"}
    assert ding["format"] == "dingtalk"


def test_kill_9_during_a_burst_loses_no_delivery(start_server, tmp_path):
    rec = Receiver(delay=0.2)
    try:
        srv = hooked_server(start_server, tmp_path, workers=2)
        admin = srv.admin
        add_hook(admin, rec.url)
        numbers = [new_ticket(admin, subject=f"burst {i}")["number"] for i in range(60)]
        # Two workers and a slow receiver: most deliveries are still queued or running now.
        assert len(rec.snapshot()) < 60
        srv.stop(sig=SIGKILL)
        before = {r["json"]["data"]["ticket"]["number"] for r in rec.snapshot()}
        assert len(before) < 60, "the kill came too late to test anything"
        srv.start()
        srv.wait_idle(timeout=60)
        got = rec.snapshot()
        seen = {r["json"]["data"]["ticket"]["number"] for r in got}
        assert seen == set(numbers)
        # At-least-once: a repeat carries the same delivery id, so the receiver can drop it.
        ids_by_number = {}
        for r in got:
            ids_by_number.setdefault(r["json"]["data"]["ticket"]["number"], set()).add(
                r["headers"]["X-Gongdan-Delivery"])
        assert all(len(ids) == 1 for ids in ids_by_number.values())
        items = jobs(srv.admin)
        assert len(items) == 60 and all(j["state"] == "done" for j in items), items
    finally:
        rec.close()


def test_tickets_that_come_by_mail_fire_webhooks_too(start_server, tmp_path, receiver):
    from mail_support import build_mail, mail_token, post_mail
    srv = hooked_server(start_server, tmp_path)
    admin = srv.admin
    add_hook(admin, receiver.url, events=["ticket.created", "message.added"])
    token = mail_token(srv)
    r = post_mail(srv, token, build_mail("Li Lei <lilei@customer.example>", "Scanner jammed",
                                         "It jams on every page."), expect=201)
    number = r.body["ticket"]
    srv.wait_idle()
    got = receiver.snapshot()
    assert got[0]["headers"]["X-Gongdan-Event"] == "ticket.created"
    assert got[0]["json"]["data"]["ticket"]["number"] == number
    assert got[0]["json"]["data"]["ticket"]["channel"] == "email"
