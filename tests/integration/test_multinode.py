"""Two `gongdan serve` nodes on one PostgreSQL database (issue 7). Runs only in the PostgreSQL run
of the suite (GONGDAN_TEST_POSTGRES); both nodes share one data directory, as operators would
mount one for attachments. Nodes with background work run on the test clock, both at the same
instant (each node has its own clock: a test moves both); idle is a property of the shared job
queue, so either node can wait for it."""
import threading
import time
from signal import SIGKILL

import pytest

from conftest import POSTGRES
from ticket_support import WebSocket, agent, make_department, new_ticket, uniq
from waiting import wait_until

pytestmark = pytest.mark.skipif(not POSTGRES, reason="needs the PostgreSQL run of the suite")


@pytest.fixture
def nodes(start_server, tmp_path):
    data = tmp_path / "shared-data"
    a = start_server(data_dir=data)
    b = start_server(data_dir=data)
    return a, b


@pytest.fixture
def frozen_nodes(start_server, tmp_path):
    """Two nodes whose test clocks stand still: a cache entry never ages out, so only the other
    node's message can end it, however slowly a loaded machine runs the test."""
    data = tmp_path / "shared-data"
    return start_server(data_dir=data, clock=True), start_server(data_dir=data, clock=True)


def test_a_session_made_on_one_node_works_on_the_other(nodes):
    a, b = nodes
    sess = a.login()
    r = b.request("GET", "/api/v1/me", headers={"Cookie": f"gongdan_session={sess.cookie}"})
    assert r.status == 200 and r.body["email"] == sess.user["email"], r


def test_concurrent_creates_on_both_nodes_never_share_a_number(nodes):
    a, b = nodes
    sessions = [a.login(), b.login()]
    numbers, errors = [], []
    lock = threading.Lock()

    def create(i):
        try:
            body = new_ticket(sessions[i % 2], subject=f"node race {i}")
            with lock:
                numbers.append(body["number"])
        except AssertionError as e:  # pragma: no cover - reported below
            with lock:
                errors.append(str(e))

    threads = [threading.Thread(target=create, args=(i,)) for i in range(40)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert not errors, errors
    assert len(numbers) == 40 and len(set(numbers)) == 40, sorted(numbers)
    # Each node's writers add to counter shards of their own; a view's count is their sum.
    for sess in sessions:
        views = {v["id"]: v["count"] for v in sess.get("/api/v1/views").body["items"]}
        listed = sess.get("/api/v1/tickets?view=all_open&limit=100").body["items"]
        assert views["all_open"] == len(listed) >= 40, (views, len(listed))


def test_new_requesters_writing_in_through_both_nodes_at_once_all_get_their_tickets(nodes):
    a, b = nodes
    sessions = [a.login(), b.login()]
    # New customers each writing in through both nodes at the same instant: each create either
    # makes the customer or finds the one another writer just made; none fails.
    results, lock = [], threading.Lock()
    for round_ in range(4):
        emails = [f"racer{i}-{time.time_ns()}@example.org" for i in range(12)]
        start = threading.Barrier(len(emails) * 2)

        def create(i):
            start.wait()
            r = sessions[i % 2].post("/api/v1/tickets", json={
                "subject": f"race {round_} {i}", "body": "hello",
                "requester": {"email": emails[i // 2], "name": "Racer"}})
            with lock:
                results.append(r)

        threads = [threading.Thread(target=create, args=(i,)) for i in range(len(emails) * 2)]
        [t.start() for t in threads]
        [t.join() for t in threads]
    assert all(r.status == 201 for r in results), [(r.status, r.body) for r in results
                                                   if r.status != 201]
    by_email = {}
    for r in results:
        by_email.setdefault(r.body["requester"]["email"], set()).add(r.body["requester"]["id"])
    assert len(by_email) == 48 and all(len(ids) == 1 for ids in by_email.values()), by_email


def test_a_stale_update_on_one_node_gets_412_after_an_update_on_the_other(nodes):
    a, b = nodes
    sa, sb = a.login(), b.login()
    number = new_ticket(sa)["number"]
    etag = sa.get(f"/api/v1/tickets/{number}").headers.get("ETag")
    assert etag
    r = sb.patch(f"/api/v1/tickets/{number}", json={"priority": "high"}, headers={"If-Match": etag})
    assert r.status == 200, r
    r = sa.patch(f"/api/v1/tickets/{number}", json={"priority": "low"}, headers={"If-Match": etag})
    assert r.status == 412, r
    assert sb.get(f"/api/v1/tickets/{number}").body["priority"] == "high"


def test_a_ticket_created_through_one_node_appears_live_on_the_other(nodes):
    a, b = nodes
    sa, sb = a.login(), b.login()
    ws = WebSocket.for_session(a, sa)
    assert ws.status == 101
    assert ws.recv()["type"] == "hello"
    try:
        number = new_ticket(sb, subject="made on node B")["number"]
        m, _ = ws.wait_for(lambda m: m.get("type") == "ticket.created"
                           and m["ticket"]["number"] == number)
        assert m["ticket"]["subject"] == "made on node B"
        sb.post(f"/api/v1/tickets/{number}/messages", json={"body": "reply via B"})
        m, _ = ws.wait_for(lambda m: m.get("type") == "message.created"
                           and m["ticket"]["number"] == number)
        assert m["message"]["internal"] is False
    finally:
        ws.close()


def test_killing_one_node_mid_load_loses_no_acknowledged_write(nodes):
    a, b = nodes
    sa, sb = a.login(), b.login()
    acknowledged, stop = [], threading.Event()

    def load():
        while not stop.is_set():
            try:
                r = sa.post("/api/v1/tickets", json={"subject": "under load", "body": "x",
                                                     "requester": {"email": "load@example.com"}})
            except OSError:
                return  # node A is gone
            if r.status == 201:
                acknowledged.append(r.body["number"])

    threads = [threading.Thread(target=load) for _ in range(4)]
    [t.start() for t in threads]
    wait_until(lambda: len(acknowledged) >= 20, what="writes acknowledged by node A")
    a.proc.send_signal(SIGKILL)
    a.proc.wait()
    a.proc = None  # nothing to stop at teardown
    stop.set()
    [t.join() for t in threads]
    assert acknowledged, "node A acknowledged nothing before it was killed"
    for number in acknowledged:
        assert sb.get(f"/api/v1/tickets/{number}").status == 200, number
    assert new_ticket(sb, subject="after the kill")["number"] > max(acknowledged)


def test_a_token_revoked_on_one_node_stops_working_on_the_other_at_once(frozen_nodes):
    a, b = frozen_nodes
    sa = a.login()
    tok = sa.post("/api/v1/tokens", json={"name": "cross-node", "scopes": ["read"]}).body
    assert b.bearer(tok["token"]).get("/api/v1/me").status == 200  # cached on node B now
    assert sa.delete(f"/api/v1/tokens/{tok['id']}").status == 204
    # Node B's cache would keep the token for 5 s of its clock, which stands still: only node A's
    # NOTIFY can end it.
    wait_until(lambda: b.bearer(tok["token"]).get("/api/v1/me").status == 401, timeout=20,
               what="node B to refuse a token revoked on node A")


def test_rules_and_settings_changed_on_one_node_apply_on_the_other_at_once(nodes):
    """Each node keeps the catalog, triggers, SLA policies and assignment settings in memory; a
    change on one node reloads them on every node."""
    a, b = nodes
    sa, sb = a.admin, b.admin
    new_ticket(sb, subject="node B loads its caches")
    dept = make_department(sa)
    ag = agent(a, departments=[dept["id"]])
    word = uniq("crossnode")
    r = sa.post("/api/v1/triggers", json={
        "name": f"Tag {word}", "conditions": {"all": [
            {"field": "update_type", "operator": "is", "value": "create"},
            {"field": "subject", "operator": "contains", "value": word}]},
        "actions": [{"type": "add_tags", "tags": [word]}]})
    assert r.status == 201, r
    r = sa.post("/api/v1/sla-policies", json={
        "name": word, "conditions": {"department": [dept["id"]]},
        "targets": {"first_response_minutes": 30}})
    assert r.status == 201, r
    policy = r.body["id"]
    r = sa.request("PUT", f"/api/v1/departments/{dept['id']}/assignment",
                   json={"mode": "round_robin"})
    assert r.status == 200, r
    def made_with_new_settings():
        r = sb.post("/api/v1/tickets", json={
            "subject": f"printer {word}", "body": "hi", "department": dept["id"],
            "requester": {"email": f"{word}@example.org", "name": "Cross"}})
        t = r.body if r.status == 201 else {}
        return (t.get("assignee") and t["assignee"]["id"] == ag.user["id"] and word in t["tags"]
                and (t.get("sla") or {}).get("policy") == policy)

    # A NOTIFY away; without it node B would never reload (these caches have no expiry), so the
    # bound is only for a loaded machine.
    wait_until(made_with_new_settings, timeout=20, what="node B to use the new settings")


def _webhook_jobs(session, query):
    """The deliveries' jobs: each node also queues the reports' daily fold at start-up."""
    items = session.get(f"/api/v1/jobs?{query}").body["items"]
    return [j for j in items if j["kind"] == "webhook"]


def _hooked_nodes(start_server, tmp_path, workers):
    from webhook_support import write_config
    cfg = write_config(tmp_path / "hooks.toml", workers=workers)
    data = tmp_path / "shared-data"
    return (start_server(data_dir=data, args=["--config", str(cfg)], clock=True),
            start_server(data_dir=data, args=["--config", str(cfg)], clock=True))


def _deliveries_by_number(requests):
    out = {}
    for r in requests:
        out.setdefault(r["json"]["data"]["ticket"]["number"], []).append(r)
    return out


def test_jobs_enqueued_on_both_nodes_each_run_exactly_once(start_server, tmp_path):
    """Both runners claim from one queue at once (every enqueue wakes both nodes): claims skip
    rows the other node has locked, so no delivery is made twice."""
    from webhook_support import Receiver
    rec = Receiver(delay=0.02)
    try:
        a, b = _hooked_nodes(start_server, tmp_path, workers=4)
        sa, sb = a.login(), b.login()
        r = sa.post("/api/v1/webhooks", json={"url": rec.url, "events": ["ticket.created"]})
        assert r.status == 201, r
        numbers, lock = [], threading.Lock()

        def create(session, i):
            body = new_ticket(session, subject=f"job race {i}")
            with lock:
                numbers.append(body["number"])

        threads = [threading.Thread(target=create, args=((sa, sb)[i % 2], i)) for i in range(80)]
        [t.start() for t in threads]
        [t.join() for t in threads]
        assert len(numbers) == 80
        # Idle: nothing queued or running on either node, so no second delivery can follow.
        a.wait_idle(timeout=60)
        got = rec.snapshot()
        by_number = _deliveries_by_number(got)
        twice = {n: [r["headers"]["X-Gongdan-Delivery"] for r in rs]
                 for n, rs in by_number.items() if len(rs) != 1}
        assert not twice, f"delivered more than once: {twice}"
        ids = [r["headers"]["X-Gongdan-Delivery"] for r in got]
        assert len(ids) == len(set(ids)) == 80
        jobs = _webhook_jobs(sa, "limit=200")
        assert len(jobs) == 80 and all(j["state"] == "done" and j["attempts"] == 1
                                       for j in jobs), jobs
    finally:
        rec.close()


def test_jobs_a_killed_node_was_running_are_run_by_the_other(start_server, tmp_path):
    """A node's claims are signed with a key it holds (an advisory lock) while it lives; once it
    dies the survivor queues its running jobs again (at-least-once, same delivery id)."""
    from webhook_support import Receiver
    rec = Receiver(delay=1.5)
    try:
        a, b = _hooked_nodes(start_server, tmp_path, workers=2)
        sa, sb = a.login(), b.login()
        r = sa.post("/api/v1/webhooks", json={"url": rec.url, "events": ["ticket.created"]})
        assert r.status == 201, r
        numbers = [new_ticket(sa, subject=f"orphan {i}")["number"] for i in range(4)]
        # Both nodes hold slow deliveries (two workers each).
        wait_until(lambda: len(_webhook_jobs(sa, "state=running")) >= 3,
                   what="deliveries running on both nodes")
        a.proc.kill()
        a.proc.wait()
        a.proc = None

        # Node B looks for a dead node's jobs every 10 s of its clock, and finds them once
        # PostgreSQL has seen node A's connection go (and with it the key A held).
        def swept_and_done():
            b.advance(seconds=10, idle=False)
            return b.admin.post("/api/v1/test/idle", json={"timeout_seconds": 5}).status == 200

        wait_until(swept_and_done, timeout=60, what="node B to run node A's jobs")
        assert {r["json"]["data"]["ticket"]["number"] for r in rec.snapshot()
                if r["status"] == 200} >= set(numbers)
        jobs = _webhook_jobs(sb, "limit=50")
        assert all(j["state"] == "done" for j in jobs), jobs
        for rs in _deliveries_by_number(rec.snapshot()).values():
            assert len({r["headers"]["X-Gongdan-Delivery"] for r in rs}) == 1
    finally:
        rec.close()


def test_a_webhook_added_on_one_node_fires_for_tickets_made_on_the_other(start_server, tmp_path):
    """Each node caches the subscriptions; a change on one node clears every node's cache."""
    from webhook_support import Receiver
    rec = Receiver()
    try:
        a, b = _hooked_nodes(start_server, tmp_path, workers=2)
        sa, sb = a.login(), b.login()
        new_ticket(sb, subject="before the hook")  # node B has now cached "no subscriptions"
        r = sa.post("/api/v1/webhooks", json={"url": rec.url, "events": ["ticket.created"]})
        assert r.status == 201, r
        def delivered_from_b():  # the NOTIFY reaches node B within moments
            number = new_ticket(sb, subject="after the hook")["number"]
            b.wait_idle()
            return any(x["json"]["data"]["ticket"]["number"] == number for x in rec.snapshot())

        # No expiry would ever refresh the cache: only the NOTIFY can; the bound is for load.
        wait_until(delivered_from_b, timeout=20, what="node B to see the new subscription")
    finally:
        rec.close()
