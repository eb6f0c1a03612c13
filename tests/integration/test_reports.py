"""Reports: rollups kept as tickets change equal a recount from history (`gongdan reports
rebuild`) and an independent count kept here; who sees what; ranges, zones and formats."""
import io
import os
import random
import xml.etree.ElementTree as ET
import zipfile

import pytest

from conftest import assert_error
from ticket_support import (agent, customer, make_department, new_ticket, patch, reply,
                            set_departments, status_id, uniq)

METRICS = ["tickets_created", "tickets_solved", "tickets_reopened", "first_response_time",
           "resolution_time", "replies_to_resolution", "one_touch_resolution", "agent_replies",
           "handle_time", "handle_time_per_solve", "backlog", "csat", "csat_response_rate",
           "sla_compliance", "sla_first_response_compliance", "sla_next_response_compliance",
           "sla_resolution_compliance"]
SLA_TARGETS = ["first_response", "next_response", "resolution"]
GROUPS = ["", "day", "department", "agent", "priority", "type", "channel", "tag", "organization",
          "field:cf_region", "field:cf_parts"]
# Filters on one extra dimension, read with each grouping they allow.
FILTERS = [{"tag": "vip"}, {"organization": None}, {"field": "cf_region:north"},
           {"field": "cf_parts:fan"}]
FILTER_GROUPS = ["", "day", "department", "agent"]
RANGE = {"from": "2026-01-01", "to": "2026-01-31", "tz": "UTC"}
# The same month in China, whose days are the daily tier's (reports read them, and hours only
# at the range's edges); in UTC the days and weeks are read from hours.
RANGE_CN = {**RANGE, "tz": "Asia/Shanghai"}
CN_GROUPS = ["", "day", "week", "month", "department", "agent", "priority", "tag"]
# Steps of the randomized run; bench/reports_recount.sh sets 100,000 for issue 19's figure (the
# clock's steps shrink so that the run stays inside RANGE).
STEPS = int(os.environ.get("GONGDAN_RECOUNT_STEPS", "300"))


def report(sess, metric, expect=200, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items() if v is not None)
    r = sess.get(f"/api/v1/reports/{metric}?{query}")
    assert r.status == expect, f"report {metric} {params}: {r.status} {r.body}"
    return r.body


def every_report(sess, filters=()):
    out = {}
    for metric in METRICS:
        for group in GROUPS:
            if metric == "backlog" and group == "day":
                continue
            body = report(sess, metric, group_by=group, **RANGE)
            out[(metric, group)] = (body["total"], body["rows"])
        for group in CN_GROUPS:
            if metric == "backlog" and group in ("day", "week", "month"):
                continue
            body = report(sess, metric, group_by=group, **RANGE_CN)
            out[(metric, group, "Asia/Shanghai")] = (body["total"], body["rows"])
        for f in filters:
            for group in FILTER_GROUPS:
                if metric == "backlog" and group == "day":
                    continue
                body = report(sess, metric, group_by=group, **RANGE, **f)
                out[(metric, group, str(f))] = (body["total"], body["rows"])
    return out


def select_fields(admin):
    """A dropdown and a multi-select field (their values are report dimensions)."""
    for key, kind, values in (("cf_region", "dropdown", ["north", "south"]),
                              ("cf_parts", "multi_select", ["fan", "screen"])):
        r = admin.post("/api/v1/custom-fields", json={
            "key": key, "label": key, "type": kind, "options": [{"value": v} for v in values]})
        assert r.status in (201, 409), r


class Tickets:
    """What the randomized run did, counted here without the server's rollups."""

    def __init__(self):
        self.state = {}  # number -> "unsolved" | "solved" | "merged"
        self.live = []  # the numbers not merged, and where each is in that list
        self.at = {}
        self.responded = set()
        self.created = self.solved = self.reopened = self.replies = 0
        # Agent replies per ticket, and at each solve: their sum and the one-touch solves.
        self.replies_of = {}
        self.replies_to_resolution = self.one_touch = 0
        self.handle_ms = 0  # what the heartbeats' answers said they added

    def solve(self, number):
        self.solved += 1
        n = self.replies_of.get(number, 0)
        self.replies_to_resolution += n
        self.one_touch += n == 1

    def drop(self, number):
        """Takes a merged ticket out of the live list (the last one takes its place)."""
        i = self.at.pop(number)
        last = self.live.pop()
        if last != number:
            self.live[i] = last
            self.at[last] = i


def test_rollups_equal_a_recount_after_random_changes(start_server):
    server = start_server(clock=True)
    admin = server.admin
    rng = random.Random(19)
    departments = [make_department(admin)["id"] for _ in range(3)]
    agents = [agent(server, all_departments=True) for _ in range(3)]
    agent_ids = [a.get("/api/v1/me").body["id"] for a in agents]
    customers = [customer(server) for _ in range(2)]
    solved, opened, pending = (status_id(admin, c) for c in ("solved", "open", "pending"))
    # Two SLA policies: a priority change moves a ticket from one to the other, and the clock
    # steps (below) make some targets met and some breached.
    for position, (name, minutes, priority) in enumerate(
            [("Fast", 30, ["urgent", "high"]), ("Slow", 180, [])]):
        r = admin.post("/api/v1/sla-policies", json={
            "name": name, "position": position + 1, "conditions": {"priority": priority} if priority
            else {}, "targets": {"first_response_minutes": minutes,
                                 "next_response_minutes": minutes,
                                 "resolution_minutes": 2 * minutes}})
        assert r.status == 201, r
    select_fields(admin)
    orgs = [admin.post("/api/v1/organizations", json={"name": f"Org {i}"}).body["id"]
            for i in range(2)]
    filters = [{**f, "organization": orgs[0]} if "organization" in f else f for f in FILTERS]
    seen = Tickets()

    def create():
        who = rng.choice(["admin", "customer"])
        extra = {"priority": rng.choice(["low", "normal", "high", "urgent"]),
                 "type": rng.choice(["question", "incident", "problem", "task"])}
        if who == "customer":
            t = new_ticket(rng.choice(customers), requester=False)
        else:
            extra["department"] = rng.choice(departments)
            t = new_ticket(admin, **extra)
        seen.state[t["number"]] = "unsolved"
        seen.at[t["number"]] = len(seen.live)
        seen.live.append(t["number"])
        seen.created += 1

    def live():
        return rng.choice(seen.live) if seen.live else None

    for step in range(STEPS):
        if not seen.state or rng.random() < 0.2:
            create()
            continue
        number = live()
        action = rng.choice(["reply", "reply", "assign", "move", "solve", "reopen", "pending",
                             "customer", "merge", "fields", "dimensions", "work", "work"])
        if action == "reply":
            sess = rng.choice(agents + [admin])
            reply(sess, number, body=f"answer {step}")
            seen.replies += 1
            seen.replies_of[number] = seen.replies_of.get(number, 0) + 1
            seen.responded.add(number)
            if seen.state[number] == "solved":
                pass  # an agent's reply leaves a solved ticket solved
        elif action == "work":
            # A handle-time heartbeat: it adds at most the time since the agent's previous one
            # on the ticket, under the ticket's dimensions now (the rebuild puts it back there).
            sess = rng.choice(agents + [admin])
            r = sess.post(f"/api/v1/tickets/{number}/work-time",
                          json={"ms": rng.choice([0, 30000, rng.randint(0, 600000)])})
            assert r.status == 200, r
            seen.handle_ms += r.body["added_ms"]
        elif action == "assign":
            patch(admin, number, {"assignee": rng.choice(agent_ids + [None])})
        elif action == "move":
            patch(admin, number, {"department": rng.choice(departments + [None])})
        elif action == "fields":
            patch(admin, number, {"priority": rng.choice(["low", "high", "urgent"]),
                                  "type": rng.choice(["task", "incident"])})
        elif action == "dimensions":
            patch(admin, number, {
                "tags": rng.sample(["vip", "billing", "bug"], rng.randint(0, 2)),
                "organization": rng.choice(orgs + [None]),
                "custom_fields": {"cf_region": rng.choice(["north", "south", None]),
                                  "cf_parts": rng.sample(["fan", "screen"], rng.randint(0, 2))
                                  or None}})
        elif action == "solve":
            patch(admin, number, {"status": solved})
            if seen.state[number] == "unsolved":
                seen.solve(number)
            seen.state[number] = "solved"
        elif action in ("reopen", "pending"):
            patch(admin, number, {"status": opened if action == "reopen" else pending})
            if seen.state[number] == "solved":
                seen.reopened += 1
            seen.state[number] = "unsolved"
        elif action == "customer":
            # The requester writes back: a solved ticket reopens.
            requester = admin.get(f"/api/v1/tickets/{number}").body["requester"]["id"]
            sess = next((c for c in customers if c.get("/api/v1/me").body["id"] == requester),
                        None)
            if sess is None:
                continue
            reply(sess, number, body="still broken")
            if seen.state[number] == "solved":
                seen.reopened += 1
            seen.state[number] = "unsolved"
        elif action == "merge":
            if len(seen.live) < 2:
                continue
            into = number
            while into == number:
                into = rng.choice(seen.live)
            r = admin.post(f"/api/v1/tickets/{number}/merge", json={"into": into})
            assert r.status == 200, r
            if seen.state[number] == "unsolved":
                seen.solve(number)
            seen.state[number] = "merged"
            seen.drop(number)
        if rng.random() < 0.3:
            server.advance(seconds=round(rng.randint(1, 120) * 60 * min(1.0, 300 / STEPS), 3),
                           idle=False)

    server.wait_idle()
    live_reports = every_report(admin, filters)

    # The counts kept here.
    def total(metric):
        return live_reports[(metric, "")][0]["count"]

    assert total("tickets_created") == seen.created
    assert total("tickets_solved") == seen.solved
    assert total("tickets_reopened") == seen.reopened
    assert total("agent_replies") == seen.replies
    assert total("handle_time") == seen.handle_ms > 0
    assert total("handle_time_per_solve") == seen.solved
    assert total("backlog") == sum(1 for s in seen.state.values() if s == "unsolved")
    assert total("first_response_time") <= len(seen.responded)
    # Replies to resolution: every solve, with the agent replies before it; one-touch: the
    # solves after exactly one.
    rtr = live_reports[("replies_to_resolution", "")][0]
    assert rtr["count"] == seen.solved
    assert round(rtr["value"] * rtr["count"]) == seen.replies_to_resolution, rtr
    one = live_reports[("one_touch_resolution", "")][0]
    assert (one["count"], one["part"]) == (seen.solved, seen.one_touch), one
    assert 0 < seen.one_touch < seen.solved
    # SLA outcomes of both kinds happened, and the targets add up to every target together.
    sla = live_reports[("sla_compliance", "")][0]
    assert 0 < sla["part"] < sla["count"], sla
    assert sum(live_reports[(f"sla_{t}_compliance", "")][0]["count"] for t in SLA_TARGETS) == \
        sla["count"]
    # Every grouping by a single-valued dimension adds up to the total (a ticket has several
    # tags and parts, or none).
    for (metric, group, *f), (tot, rows) in live_reports.items():
        if group and group not in ("tag", "organization", "field:cf_region", "field:cf_parts"):
            assert sum(r["count"] for r in rows) == tot["count"], (metric, group, f)
    # The month is the same in China but for its first and last eight hours, when nothing
    # happened: the days read there equal the hours read in UTC.
    for metric in METRICS:
        for group in ("", "department", "agent", "priority", "tag"):
            assert live_reports[(metric, group, "Asia/Shanghai")] == \
                live_reports[(metric, group)], (metric, group)
    # Each filter found something (tickets got their tags and fields after creation).
    for f in filters:
        assert any(live_reports[(m, "", str(f))][0]["count"] for m in METRICS), f

    # The recount from history gives the same numbers, by every grouping.
    proc = server.cli("reports", "rebuild")
    assert proc.returncode == 0, proc.stderr
    assert f"replayed {seen.created} tickets" in proc.stdout
    rebuilt = every_report(admin, filters)
    for key in live_reports:
        assert rebuilt[key] == live_reports[key], key


def test_first_response_and_resolution_times(start_server):
    server = start_server(clock=True)
    admin = server.admin
    number = new_ticket(admin)["number"]
    server.advance(minutes=30)
    reply(admin, number)
    server.advance(minutes=90)
    patch(admin, number, {"status": status_id(admin, "solved")})
    day = RANGE
    first = report(admin, "first_response_time", **day)
    assert first["unit"] == "milliseconds"
    assert first["total"] == {"key": "", "label": "", "value": 30 * 60_000, "count": 1,
                              "part": 0}
    resolution = report(admin, "resolution_time", **day)
    assert resolution["total"]["value"] == 120 * 60_000
    # A second reply is not a first response.
    reply(admin, number)
    assert report(admin, "first_response_time", **day)["total"]["count"] == 1
    assert report(admin, "agent_replies", **day)["total"]["count"] == 2


def test_finished_days_are_folded_by_a_job(start_server):
    """A job folds each day that ended (16:00 UTC, midnight in China) into report days and
    months 15 minutes later and queues the next; reports read the same before and after."""
    server = start_server(clock="2026-01-05T08:00:00Z")
    admin = server.admin
    for _ in range(3):
        new_ticket(admin)
    server.advance(hours=6)
    reply(admin, new_ticket(admin)["number"])
    week = {"from": "2026-01-01", "to": "2026-01-07", "tz": "Asia/Shanghai"}
    before = {g: report(admin, "tickets_created", group_by=g, **week) for g in ("", "day", "agent")}
    assert before[""]["total"]["count"] == 4
    server.advance(days=2)  # 2026-01-07T14:00Z: the days of 5 and 6 January (China) ended
    folds = [j for j in admin.get("/api/v1/jobs?state=done&limit=200").body["items"]
             if j["kind"] == "report_fold"]
    assert folds, "the fold ran"
    queued = [j for j in admin.get("/api/v1/jobs?state=queued&limit=200").body["items"]
              if j["kind"] == "report_fold"]
    # The next: 7 January ends at 16:00Z; folded at 16:15Z.
    assert [j["run_at"][:19] for j in queued] == ["2026-01-07T16:15:00"], queued
    # The reports read the same from the days.
    for g, body in before.items():
        assert report(admin, "tickets_created", group_by=g, **week) == body, g


def test_knowledge_base_deflections_are_a_report(start_server):
    from kb_support import make_article, make_section
    server = start_server(clock=True)
    admin = server.admin
    _, section = make_section(admin)
    article = make_article(admin, section["id"], {"en": ("Deflect " + uniq(), "b")})
    for sess in (customer(server), server):
        r = sess.post("/api/v1/kb/deflections", json={"article_id": article["id"], "lang": "en"})
        assert r.status == 204, r
    body = report(admin, "kb_deflections", group_by="day", **RANGE)
    assert body["unit"] == "count"
    assert body["total"]["count"] == 2 and len(body["rows"]) == 1, body
    assert_error(admin.get("/api/v1/reports/kb_deflections?group_by=department"), 400,
                 "invalid_argument", "group_by")
    proc = server.cli("reports", "rebuild")
    assert proc.returncode == 0, proc.stderr
    assert report(admin, "kb_deflections", group_by="day", **RANGE) == body


def test_sla_compliance_counts_targets_met_and_breached(start_server):
    server = start_server(clock="2026-01-10T08:00:00Z")
    admin = server.admin
    r = admin.post("/api/v1/sla-policies", json={
        "name": "Hour", "targets": {"first_response_minutes": 60, "next_response_minutes": 60,
                                    "resolution_minutes": 120}})
    assert r.status == 201, r
    quick, slow = new_ticket(admin)["number"], new_ticket(admin)["number"]
    server.advance(minutes=20)
    reply(admin, quick)  # first response met
    server.advance(minutes=50)  # slow's first response breached at 60 minutes
    patch(admin, quick, {"status": status_id(admin, "solved")})  # resolution met
    server.advance(minutes=60)  # slow's resolution breached at 120 minutes
    history = admin.get(f"/api/v1/tickets/{quick}/history?limit=50").body["items"]
    assert [(e["field"], e["new"]) for e in history if e["field"] == "sla_met"] == [
        ("sla_met", "first_response"), ("sla_met", "resolution")]

    def totals(metric, **params):
        t = report(admin, metric, **{**RANGE, **params})["total"]
        return t["part"], t["count"] - t["part"], t["value"]

    assert totals("sla_compliance") == (2, 2, 0.5)  # met, breached, share
    assert totals("sla_first_response_compliance") == (1, 1, 0.5)
    assert totals("sla_resolution_compliance") == (1, 1, 0.5)
    assert totals("sla_next_response_compliance") == (0, 0, 0)
    by_day = report(admin, "sla_compliance", group_by="day", **RANGE)["rows"]
    assert [(r["key"], r["part"], r["count"]) for r in by_day] == [("2026-01-10", 2, 4)]
    proc = server.cli("reports", "rebuild")
    assert proc.returncode == 0, proc.stderr
    assert totals("sla_compliance") == (2, 2, 0.5)


def test_days_follow_the_viewers_time_zone(start_server):
    # 2026-01-05T23:30Z is already 6 January in Shanghai (+08:00).
    server = start_server(clock="2026-01-05T23:30:00Z")
    admin = server.admin
    new_ticket(admin)
    utc = report(admin, "tickets_created", group_by="day", **RANGE)
    assert [(r["key"], r["count"]) for r in utc["rows"]] == [("2026-01-05", 1)]
    shanghai = report(admin, "tickets_created", group_by="day", **{**RANGE, "tz": "Asia/Shanghai"})
    assert [(r["key"], r["count"]) for r in shanghai["rows"]] == [("2026-01-06", 1)]
    assert shanghai["whole_hour_zone"] is True
    assert shanghai["from"] == "2025-12-31T16:00:00.000Z"
    # Asia/Kolkata is +05:30: its days are read from the next whole UTC hour.
    kolkata = report(admin, "tickets_created", **{**RANGE, "tz": "Asia/Kolkata"})
    assert kolkata["whole_hour_zone"] is False
    assert kolkata["from"] == "2025-12-31T19:00:00.000Z"
    # Only 5 January, in UTC: the ticket is in; only 6 January: it is not.
    assert report(admin, "tickets_created", **{"from": "2026-01-05", "to": "2026-01-05",
                                               "tz": "UTC"})["total"]["count"] == 1
    assert report(admin, "tickets_created", **{"from": "2026-01-06", "to": "2026-01-06",
                                               "tz": "UTC"})["total"]["count"] == 0
    week = report(admin, "tickets_created", group_by="week", **RANGE)
    assert [r["key"] for r in week["rows"]] == ["2026-01-05"]  # a Monday
    month = report(admin, "tickets_created", group_by="month", **RANGE)
    assert [r["key"] for r in month["rows"]] == ["2026-01"]


def test_each_role_sees_what_it_may(server, admin):
    sales, support = make_department(admin)["id"], make_department(admin)["id"]
    me = agent(server, departments=[sales])
    me_id = me.get("/api/v1/me").body["id"]
    other = agent(server, departments=[sales])
    other_id = other.get("/api/v1/me").body["id"]
    boss = agent(server, role="supervisor")
    set_departments(admin, boss.get("/api/v1/me").body["id"], [sales])
    select_fields(admin)
    org = admin.post("/api/v1/organizations", json={"name": "Roles Org"}).body["id"]
    tag = uniq("roles").lower()
    dims = {"tags": [tag], "organization": org, "custom_fields": {"cf_region": "north"}}
    for dept, who in ((sales, me_id), (sales, other_id), (support, other_id)):
        number = new_ticket(admin, department=dept, assignee=who)["number"]
        patch(admin, number, dims)

    mine = report(me, "backlog", group_by="agent")
    assert mine["scope"] == "own"
    assert {r["key"] for r in mine["rows"]} == {str(me_id)}
    assert mine["total"]["count"] == 1
    theirs = report(boss, "backlog", group_by="department")
    assert theirs["scope"] == "departments"
    assert {r["key"] for r in theirs["rows"]} == {str(sales)}
    assert theirs["total"]["count"] == 2
    everyone = report(admin, "backlog", group_by="department")
    assert everyone["scope"] == "all"
    assert {str(sales), str(support)} <= {r["key"] for r in everyone["rows"]}
    names = {r["key"]: r["label"] for r in everyone["rows"]}
    assert names[str(sales)] != ""
    assert_error(customer(server).get("/api/v1/reports/backlog"), 403, "permission_denied")

    # The extra dimensions keep the same scopes, and name their values.
    def tagged(sess, **params):
        body = report(sess, "backlog", **params)
        return body["total"]["count"], [(r["key"], r["label"], r["count"]) for r in body["rows"]]

    assert tagged(me, group_by="tag", tag=tag) == (1, [(tag, tag, 1)])
    assert tagged(boss, group_by="organization", organization=org) == (
        2, [(str(org), "Roles Org", 2)])
    assert tagged(admin, group_by="field:cf_region", field="cf_region:north")[1] == [
        ("north", "north", 3)]
    assert tagged(boss, group_by="agent", tag=tag)[0] == 2
    assert tagged(me, group_by="department", field="cf_region:north")[1] == [
        (str(sales), names[str(sales)], 1)]


def test_bad_requests_are_refused_clearly(server, admin):
    assert_error(admin.get("/api/v1/reports/happiness"), 404, "not_found", "metric")
    assert_error(admin.get("/api/v1/reports/tickets_created?tz=Mars/Base"), 400,
                 "invalid_argument", "tz")
    assert_error(admin.get("/api/v1/reports/tickets_created?from=2026-13-01"), 400,
                 "invalid_argument", "from")
    assert_error(admin.get("/api/v1/reports/tickets_created?to=yesterday"), 400,
                 "invalid_argument", "to")
    assert_error(admin.get("/api/v1/reports/tickets_created?from=2026-02-01&to=2026-01-01"), 400,
                 "invalid_argument", "from")
    assert_error(admin.get("/api/v1/reports/tickets_created?from=2020-01-01&to=2026-01-01"), 400,
                 "invalid_argument", "from")
    assert_error(admin.get("/api/v1/reports/tickets_created?group_by=colour"), 400,
                 "invalid_argument", "group_by")
    assert_error(admin.get("/api/v1/reports/backlog?group_by=day"), 400, "invalid_argument",
                 "group_by")
    assert_error(admin.get("/api/v1/reports/tickets_created?group_by=hour&from=2026-01-01"
                           "&to=2026-03-01"), 400, "invalid_argument", "group_by")
    assert_error(admin.get("/api/v1/reports/tickets_created?format=pdf"), 400,
                 "invalid_argument", "format")
    select_fields(admin)
    for query, field in (("group_by=field:cf_nothing", "group_by"), ("tag=not%20a%20tag", "tag"),
                         ("tag=vip&organization=1", "tag"), ("organization=abc", "organization"),
                         ("organization=0", "organization"), ("field=cf_region", "field"),
                         ("field=cf_nothing:x", "field"), ("group_by=priority&tag=vip", "group_by"),
                         ("group_by=organization&tag=vip", "group_by")):
        assert_error(admin.get(f"/api/v1/reports/tickets_created?{query}"), 400,
                     "invalid_argument", field)


def test_csv_by_format_or_accept(server, admin):
    dept = make_department(admin, name="=SUM(A1)")["id"]
    new_ticket(admin, department=dept)
    r = admin.get("/api/v1/reports/backlog?group_by=department&format=csv")
    assert r.status == 200, r
    assert r.headers["content-type"].startswith("text/csv")
    text = r.body if isinstance(r.body, str) else r.body.decode()
    lines = text.strip().split("\r\n")
    assert lines[0] == "key,label,value,count,part"
    assert lines[-1].startswith('"total","total",')
    # A name that would be a spreadsheet formula is quoted as text.
    assert any(f'"{dept}","\'=SUM(A1)"' in line for line in lines)
    r = admin.get("/api/v1/reports/backlog", headers={"Accept": "text/csv"})
    assert r.status == 200 and r.headers["content-type"].startswith("text/csv")
    r = admin.get("/api/v1/reports")
    assert r.status == 200 and r.body["metrics"] == METRICS + ["kb_deflections"]


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_rows(data):
    """The first sheet's cells, read back from the workbook's XML (strings are shared)."""
    m = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        shared = ["".join(t.text or "" for t in si.iter(m + "t"))
                  for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iter(m + "si")]
        sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    return [[shared[int(c.find(m + "v").text)] if c.get("t") == "s"
             else float(c.find(m + "v").text) for c in row.iter(m + "c")]
            for row in sheet.iter(m + "row")]


def test_xlsx_by_format_or_accept(server, admin):
    dept = make_department(admin, name="=HYPERLINK(\"x\")")["id"]
    for _ in range(2):
        new_ticket(admin, department=dept)
    r = admin.get("/api/v1/reports/backlog?group_by=department&format=xlsx")
    assert r.status == 200, r
    assert r.headers["content-type"] == XLSX
    assert 'filename="backlog.xlsx"' in r.headers["content-disposition"]
    rows = xlsx_rows(r.raw)
    assert rows[0] == ["key", "label", "value", "count", "part"]
    # The department's row: its name stays text (a string cell, not a formula), numbers numbers.
    assert [str(dept), "=HYPERLINK(\"x\")", 2.0, 2.0, 0.0] in rows
    json_total = admin.get("/api/v1/reports/backlog?group_by=department").body["total"]["count"]
    assert rows[-1][:2] == ["total", "total"] and rows[-1][3] == json_total
    with zipfile.ZipFile(io.BytesIO(r.raw)) as z:
        assert b"<f>" not in z.read("xl/worksheets/sheet1.xml")
    r = admin.get("/api/v1/reports/sla_compliance", headers={"Accept": XLSX})
    assert r.status == 200 and r.headers["content-type"] == XLSX
    assert xlsx_rows(r.raw)[-1][:2] == ["total", "total"]


@pytest.mark.parametrize("metric", METRICS + ["kb_deflections"])
def test_every_metric_answers_on_an_empty_range(server, admin, metric):
    body = report(admin, metric, **{"from": "2030-01-01", "to": "2030-01-02", "tz": "UTC"})
    assert body["metric"] == metric
    if metric != "backlog":
        assert body["total"]["count"] == 0 and body["rows"] == []
