"""Trigger actions that reach beyond the ticket, end to end through the API: a mail from a
template in the requester's language (through the SMTP outbox, into a local receiver), in-app
notifications for agents, a signed webhook delivery, a shared macro applied by a rule; each once
per change, and SLA warnings setting off escalation rules. Servers with background work run on
the test clock and the tests wait for it to be idle."""

from conftest import assert_error
from test_mail_smtp import SmtpSink, sending_mailbox
from ticket_support import agent, email, new_ticket, patch
from webhook_support import Receiver, signature_ok, write_config


def add_trigger(admin, expect=201, **body):
    r = admin.post("/api/v1/triggers", json=body)
    assert r.status == expect, r
    return r.body


def history(sess, number):
    return sess.get(f"/api/v1/tickets/{number}/history?limit=200").body["items"]


def test_mail_notify_and_webhook_from_one_trigger(start_server, tmp_path):
    sink = SmtpSink(tmp_path / "sink").start()
    rec = Receiver()
    try:
        cfg = write_config(tmp_path / "gongdan.toml")
        srv = start_server(args=["--config", str(cfg)],
                           env={"GONGDAN_MAIL_RETRY_BASE_MS": "300"}, clock=True)
        admin = srv.admin
        sending_mailbox(admin, sink.port, acknowledge=False)
        helper = agent(srv)
        helper_id = helper.user["id"]
        tmpl = admin.post("/api/v1/mail-templates", json={"name": "VIP welcome", "variants": [
            {"language": "en", "subject": "We are on it: {{ticket.subject}}",
             "body": "Dear {{requester.name}},\nticket #{{ticket.number}} is {{ticket.priority}}."},
            {"language": "zh-CN", "subject": "已收到：{{ticket.subject}}",
             "body": "{{requester.name}} 您好，工单 #{{ticket.number}} 已受理。"}]})
        assert tmpl.status == 201, tmpl
        hook = admin.post("/api/v1/webhooks", json={"url": rec.url, "events": ["sla.breach"]})
        assert hook.status == 201, hook
        add_trigger(admin, name="VIP arrives", conditions={"all": [
            {"field": "update_type", "operator": "is", "value": "create"},
            {"field": "tags", "operator": "contains", "value": "vip"}]},
            actions=[{"type": "send_mail", "template": str(tmpl.body["id"]), "to": "requester"},
                     {"type": "notify", "agents": [str(helper_id), "assignee"]},
                     {"type": "webhook", "id": str(hook.body["id"])}])

        en = new_ticket(admin, subject="Printer <b>jam</b>", tags=["vip"],
                        requester={"email": email(), "name": "Ann <Admin>"},
                        assignee=helper_id)
        zh_addr = email()
        assert admin.post("/api/v1/contacts", json={"email": zh_addr, "name": "王芳",
                                                    "locale": "zh-CN"}).status == 201
        zh = new_ticket(admin, subject="打印机坏了", tags=["vip"], requester=zh_addr)
        plain = new_ticket(admin, subject="no tags here")
        srv.wait_idle()

        got = sink.wait(lambda m: "Printer" in str(m["Subject"]))
        assert len(got) == 1, got
        mail = got[0][0]
        assert str(mail["Subject"]).startswith(f"[#{en['number']}] We are on it: Printer <b>jam</b>")
        assert mail["Auto-Submitted"] == "auto-replied"
        body = mail.get_body(preferencelist=("plain",)).get_content()
        assert f"Dear Ann <Admin>,\nticket #{en['number']} is normal." in body
        got = sink.wait(lambda m: "打印机" in str(m["Subject"]))
        assert len(got) == 1 and "已收到" in str(got[0][0]["Subject"]), got
        assert f"王芳 您好，工单 #{zh['number']} 已受理。" in \
            got[0][0].get_body(preferencelist=("plain",)).get_content()

        events = history(admin, en["number"])
        fields = [e["field"] for e in events]
        assert "mail_sent" in fields and "notified" in fields and "webhook" in fields, events
        assert not any(e["field"] in ("mail_sent", "trigger") for e in history(admin, plain["number"]))

        # The helper is notified once per ticket even though named twice (id and "assignee").
        r = helper.get("/api/v1/notifications")
        assert r.status == 200, r
        mine = [n for n in r.body["items"] if n["ticket_number"] in (en["number"], zh["number"])]
        assert sorted(n["ticket_number"] for n in mine) == sorted([en["number"], zh["number"]])
        assert all(n["body"] == "VIP arrives" and not n["read"] for n in mine)
        assert r.body["unread"] == 2
        assert helper.post("/api/v1/notifications/read", json={"ids": [mine[0]["id"]]}).body == \
            {"marked": 1}
        assert helper.get("/api/v1/notifications?unread=true").body["unread"] == 1
        assert helper.post("/api/v1/notifications/read").body == {"marked": 1}
        assert_error(helper.post("/api/v1/notifications/read", json={"ids": ["x"]}), 400,
                     "invalid_argument", "ids")

        # One signed delivery per ticket, event ticket.automation, naming the rule.
        deliveries = rec.snapshot()
        assert len(deliveries) == 2, deliveries
        assert all(signature_ok(d, hook.body["secret"]) for d in deliveries)
        assert {d["headers"]["X-Gongdan-Event"] for d in deliveries} == {"ticket.automation"}
        assert {d["json"]["data"]["ticket"]["number"] for d in deliveries} == \
            {en["number"], zh["number"]}
        assert deliveries[0]["json"]["data"]["rule"] == "VIP arrives"

        # Later changes of the same ticket do not set the create rule off again.
        patch(admin, en["number"], {"priority": "high"})
        srv.wait_idle()
        assert len([m for m in sink.mails() if "Printer" in str(m[0]["Subject"])]) == 1
        assert len(rec.snapshot()) == 2
    finally:
        rec.close()
        sink.stop()


def test_macro_applied_by_a_trigger_and_chains_stay_bounded(fresh_server):
    admin = fresh_server.admin
    macro = admin.post("/api/v1/macros", json={
        "name": "Billing triage", "shared": True, "reply_internal": True,
        "reply": "Billing triage applied to #{{ticket.number}}",
        "actions": [{"type": "set_field", "field": "priority", "value": "high"},
                    {"type": "add_tags", "tags": ["billing"]}]})
    assert macro.status == 201, macro
    add_trigger(admin, name="Invoices", position=1, conditions={"all": [
        {"field": "message.body", "operator": "contains", "value": "invoice"}]},
        actions=[{"type": "apply_macro", "id": str(macro.body["id"])}])
    # Two rules that undo each other: each fires at most once per change.
    add_trigger(admin, name="Ping", position=2, conditions={"all": [
        {"field": "tags", "operator": "not_contains", "value": "pong"}]},
        actions=[{"type": "add_tags", "tags": ["pong"]}])
    add_trigger(admin, name="Pong", position=3, conditions={"all": [
        {"field": "tags", "operator": "contains", "value": "pong"}]},
        actions=[{"type": "remove_tags", "tags": ["pong"]}])
    t = new_ticket(admin, body="Where is my invoice?")
    assert t["priority"] == "high" and "billing" in t["tags"], t
    notes = [m for m in admin.get(f"/api/v1/tickets/{t['number']}/messages").body["items"]
             if m["internal"]]
    assert [n["body"] for n in notes] == [f"Billing triage applied to #{t['number']}"]
    fired = [e["new"] for e in history(admin, t["number"]) if e["field"] == "trigger"]
    assert fired == ["Invoices", "Ping", "Pong"], fired


def test_action_references_are_checked(fresh_server):
    admin = fresh_server.admin
    cond = {"all": [{"field": "priority", "operator": "is", "value": "urgent"}]}

    def bad(field, action):
        err = assert_error(admin.post("/api/v1/triggers", json={
            "name": "x", "conditions": cond, "actions": [action]}), 400, "invalid_argument")
        assert err["field"] == field, err
        return err

    bad("actions[0].template", {"type": "send_mail", "template": "999"})
    bad("actions[0].id", {"type": "webhook", "id": "12345"})
    bad("actions[0].id", {"type": "apply_macro", "id": "777"})
    customer, _ = fresh_server.create_contact()
    err = bad("actions[0].agents[0]", {"type": "notify", "agents": [str(customer["id"])]})
    assert "agent" in err["message"]
    # A personal macro cannot be used by a rule.
    ag = fresh_server.agent_session()
    mine = ag.post("/api/v1/macros", json={"name": "mine", "reply": "hi"}).body
    bad("actions[0].id", {"type": "apply_macro", "id": str(mine["id"])})
    # Templates: every variant checked, the field named.
    assert_error(admin.post("/api/v1/mail-templates", json={"name": "t", "variants": [
        {"language": "en", "subject": "Hi {{ticket.nmber}}", "body": "x"}]}),
        400, "invalid_argument", "variants[0].subject")
    assert_error(admin.post("/api/v1/mail-templates", json={"name": "t", "variants": [
        {"language": "en", "subject": "a", "body": "b"},
        {"language": "en", "subject": "c", "body": "d"}]}),
        400, "invalid_argument", "variants[1].language")
    assert_error(admin.post("/api/v1/mail-templates", json={"name": "t", "variants": []}),
                 400, "invalid_argument", "variants")
    assert_error(admin.post("/api/v1/mail-templates", json={"name": "t", "variants": [
        {"language": "english", "subject": "a", "body": "b"}]}),
        400, "invalid_argument", "variants[0].language")
    r = admin.post("/api/v1/mail-templates", json={"name": "t", "variants": [
        {"language": "en", "subject": "a", "body": "b"}]})
    assert r.status == 201
    tid = r.body["id"]
    assert admin.request("PATCH", f"/api/v1/mail-templates/{tid}",
                         json={"name": "renamed"}).body["name"] == "renamed"
    assert admin.get(f"/api/v1/mail-templates/{tid}").body["variants"][0]["subject"] == "a"
    assert_error(ag.get("/api/v1/mail-templates"), 403, "permission_denied")
    assert admin.request("DELETE", f"/api/v1/mail-templates/{tid}").status == 204
    assert_error(admin.get(f"/api/v1/mail-templates/{tid}"), 404, "not_found")
    customer_session = fresh_server.customer_session()
    assert_error(customer_session.get("/api/v1/notifications"), 403, "permission_denied")


def test_sla_warning_escalates_through_triggers(start_server):
    srv = start_server(clock=True)
    admin = srv.admin
    supervisor = agent(srv)
    r = admin.post("/api/v1/sla-policies", json={
        "name": "Two hours", "targets": {"first_response_minutes": 120}, "warning_minutes": 30})
    assert r.status == 201, r
    add_trigger(admin, name="Escalate on SLA warning", conditions={"all": [
        {"field": "update_type", "operator": "is", "value": "sla_warning"},
        {"field": "sla.metric", "operator": "is", "value": "first_response"}]},
        actions=[{"type": "set_field", "field": "priority", "value": "urgent"},
                 {"type": "assign", "agent": str(supervisor.user["id"])},
                 {"type": "notify", "agents": [str(supervisor.user["id"])]}])
    t = new_ticket(admin)
    assert t["priority"] == "normal"
    # The warning comes half an hour before the due time, and sets the rule off.
    srv.advance(hours=1, minutes=29, seconds=59)
    assert admin.get(f"/api/v1/tickets/{t['number']}").body["priority"] == "normal"
    srv.advance(seconds=1)
    now = admin.get(f"/api/v1/tickets/{t['number']}").body
    assert now["priority"] == "urgent" and now["assignee"]["id"] == supervisor.user["id"], now
    events = history(admin, t["number"])
    assert [e["new"] for e in events if e["field"] == "trigger"] == ["Escalate on SLA warning"]
    assert any(e["field"] == "sla_warning" for e in events)
    items = supervisor.get("/api/v1/notifications").body["items"]
    assert [n["ticket_number"] for n in items] == [t["number"]]
