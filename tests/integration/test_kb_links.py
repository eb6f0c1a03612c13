"""Knowledge-base links in what triggers and macros write (issue 18): {{kb.article.N}} is the
article's title and help-centre address in the ticket's language, else in the help centre's
default language (the first of its languages); .url and .title each part alone; agents-only
articles never reach a customer; a link to no article is refused when the template is saved.
The install's own placeholders fill the same way: {{ticket.url}} (the portal's page of the ticket
for a customer, the desk's for an agent), {{portal.url}} and {{brand.name}} (the help centre's
company name, else config company_name)."""
from conftest import assert_error
from kb_support import make_article, make_section
from test_mail_smtp import SmtpSink, sending_mailbox
from ticket_support import new_ticket, uniq

PUBLIC = "https://desk.example"
ZH = "您好，办公室的打印机从今天早上开始无法连接，重启之后还是不行，麻烦尽快处理。"
EN = ("Hello, the printer on the third floor has been offline since this morning. Restarting it "
      "did not help and the queue keeps growing.")


def articles(admin):
    _, section = make_section(admin)
    both = make_article(admin, section["id"], {"zh-CN": ("重置打印机", "步骤"),
                                               "en": ("Reset the printer", "Steps")})
    zh_only = make_article(admin, section["id"], {"zh-CN": ("发票说明", "内容")})
    internal = make_article(admin, section["id"], {"en": ("Internal runbook", "x"),
                                                   "zh-CN": ("内部手册", "x")},
                            visibility="agents")
    return both["id"], zh_only["id"], internal["id"]


def last_message(admin, number):
    return admin.get(f"/api/v1/tickets/{number}/messages").body["items"][-1]


def test_macro_links_follow_the_tickets_language(start_server):
    srv = start_server(env={"GONGDAN_PUBLIC_URL": PUBLIC + "/"})
    admin = srv.admin
    both, zh_only, internal = articles(admin)
    reply = (f"A: {{{{kb.article.{both}}}}}\nB: {{{{kb.article.{zh_only}.title}}}} "
             f"{{{{ kb.article.{zh_only}.url }}}}\nC: [{{{{kb.article.{internal}}}}}]")
    public = admin.post("/api/v1/macros", json={"name": uniq("links"), "shared": True,
                                                "reply": reply})
    assert public.status == 201, public
    note = admin.post("/api/v1/macros", json={"name": uniq("note"), "shared": True,
                                              "reply": reply, "reply_internal": True})
    assert note.status == 201, note

    en = new_ticket(admin, subject="Printer offline", body=EN)
    assert admin.post(f"/api/v1/tickets/{en['number']}/macros/{public.body['id']}").status == 200
    # English where the article has it; the default language (zh-CN, first) where it has not;
    # the agents-only article is left out of a public reply.
    assert last_message(admin, en["number"])["body"] == (
        f"A: Reset the printer: {PUBLIC}/help/en/articles/{both}\n"
        f"B: 发票说明 {PUBLIC}/help/zh-CN/articles/{zh_only}\nC: []")

    zh = new_ticket(admin, subject="打印机无法连接", body=ZH)
    assert admin.post(f"/api/v1/tickets/{zh['number']}/macros/{note.body['id']}").status == 200
    msg = last_message(admin, zh["number"])
    assert msg["internal"] is True
    assert msg["body"] == (
        f"A: 重置打印机: {PUBLIC}/help/zh-CN/articles/{both}\n"
        f"B: 发票说明 {PUBLIC}/help/zh-CN/articles/{zh_only}\n"
        f"C: [内部手册: {PUBLIC}/help/zh-CN/articles/{internal}]")

    # An unpublished link renders empty (archived in every language).
    for lang in ("zh-CN", "en"):
        r = admin.request("PUT", f"/api/v1/kb/articles/{both}/translations/{lang}",
                          json={"state": "archived"})
        assert r.status == 200, r
    assert admin.post(f"/api/v1/tickets/{en['number']}/macros/{public.body['id']}").status == 200
    assert last_message(admin, en["number"])["body"].startswith("A: \nB: 发票说明")


def test_trigger_replies_and_mails_carry_links(start_server, tmp_path):
    sink = SmtpSink(tmp_path / "sink").start()
    try:
        srv = start_server(clock=True)  # no public_url: the address is the path alone
        admin = srv.admin
        sending_mailbox(admin, sink.port, acknowledge=False)
        both, _, internal = articles(admin)
        tag = uniq("kblink")
        macro = admin.post("/api/v1/macros", json={
            "name": uniq("answer"), "shared": True,
            "reply": f"Try {{{{kb.article.{both}}}}} {{{{kb.article.{internal}}}}}"})
        assert macro.status == 201, macro
        tmpl = admin.post("/api/v1/mail-templates", json={"name": uniq("t"), "variants": [
            {"language": "en", "subject": "Read {{kb.article.%d.title}}" % both,
             "body": "See {{kb.article.%d.url}} and {{kb.article.%d}}." % (both, internal)}]})
        assert tmpl.status == 201, tmpl
        r = admin.post("/api/v1/triggers", json={
            "name": uniq("links "), "conditions": {"all": [
                {"field": "update_type", "operator": "is", "value": "create"},
                {"field": "tags", "operator": "contains", "value": tag}]},
            "actions": [{"type": "apply_macro", "id": str(macro.body["id"])},
                        {"type": "send_mail", "template": str(tmpl.body["id"]),
                         "to": "requester"}]})
        assert r.status == 201, r
        zh = new_ticket(admin, subject="打印机无法连接", body=ZH, tags=[tag])
        msg = last_message(admin, zh["number"])
        assert msg["internal"] is False
        assert msg["body"] == f"Try 重置打印机: /help/zh-CN/articles/{both} "
        srv.wait_idle()
        got = sink.wait(lambda m: "Read" in str(m["Subject"]))
        assert len(got) == 1, got
        assert str(got[0][0]["Subject"]).endswith("Read 重置打印机")
        body = got[0][0].get_body(preferencelist=("plain",)).get_content()
        assert f"See /help/zh-CN/articles/{both} and ." in body, body
    finally:
        sink.stop()


def test_ticket_url_portal_url_and_brand_name_are_filled(start_server, tmp_path):
    sink = SmtpSink(tmp_path / "sink").start()
    try:
        srv = start_server(clock=True, env={"GONGDAN_PUBLIC_URL": PUBLIC + "/",
                                            "GONGDAN_COMPANY_NAME": "Acme Printers"})
        admin = srv.admin
        sending_mailbox(admin, sink.port, acknowledge=False)
        text = "{{brand.name}} | {{ticket.url}} | {{ portal.url }}"
        reply = admin.post("/api/v1/macros", json={"name": uniq("site"), "shared": True,
                                                   "reply": text})
        note = admin.post("/api/v1/macros", json={"name": uniq("site"), "shared": True,
                                                  "reply": text, "reply_internal": True})
        assert reply.status == 201 and note.status == 201, (reply, note)
        t = new_ticket(admin, subject="Printer offline", body=EN)
        n = t["number"]
        assert admin.post(f"/api/v1/tickets/{n}/macros/{reply.body['id']}").status == 200
        assert last_message(admin, n)["body"] == (
            f"Acme Printers | {PUBLIC}/portal/tickets/{n} | {PUBLIC}/portal/")
        assert admin.post(f"/api/v1/tickets/{n}/macros/{note.body['id']}").status == 200
        assert last_message(admin, n)["body"] == (
            f"Acme Printers | {PUBLIC}/desk/tickets/{n} | {PUBLIC}/portal/")

        # The help centre's company name is the brand once set; a trigger's reply and its mail
        # to the requester say so.
        r = admin.get("/api/v1/help-settings")
        [setting] = r.body["items"]
        r = admin.patch(f"/api/v1/help-settings/{setting['id']}",
                        json={"company_name": "工单科技"})
        assert r.status == 200, r
        tag = uniq("site")
        answer = admin.post("/api/v1/macros", json={"name": uniq("site"), "shared": True,
                                                    "reply": "{{brand.name}}: {{ticket.url}}"})
        assert answer.status == 201, answer
        tmpl = admin.post("/api/v1/mail-templates", json={"name": uniq("t"), "variants": [
            {"language": "en", "subject": "{{brand.name}} #{{ticket.number}}",
             "body": "Follow it at {{ticket.url}}; all yours at {{portal.url}}."}]})
        assert tmpl.status == 201, tmpl
        r = admin.post("/api/v1/triggers", json={
            "name": uniq("site "), "conditions": {"all": [
                {"field": "update_type", "operator": "is", "value": "create"},
                {"field": "tags", "operator": "contains", "value": tag}]},
            "actions": [{"type": "apply_macro", "id": str(answer.body["id"])},
                        {"type": "send_mail", "template": str(tmpl.body["id"]),
                         "to": "requester"}]})
        assert r.status == 201, r
        t = new_ticket(admin, subject="Printer offline", body=EN, tags=[tag])
        n = t["number"]
        assert last_message(admin, n)["body"] == f"工单科技: {PUBLIC}/portal/tickets/{n}"
        srv.wait_idle()
        got = sink.wait(lambda m: "工单科技 #" in str(m["Subject"]))
        assert len(got) == 1, got
        assert str(got[0][0]["Subject"]).endswith(f"工单科技 #{n}")
        body = got[0][0].get_body(preferencelist=("plain",)).get_content()
        assert f"Follow it at {PUBLIC}/portal/tickets/{n}; all yours at {PUBLIC}/portal/." in body
    finally:
        sink.stop()


def test_links_to_no_article_are_refused(server, admin):
    assert_error(admin.post("/api/v1/macros", json={
        "name": uniq("bad"), "reply": "see {{kb.article.987654}}"}),
        400, "invalid_argument", "reply")
    assert_error(admin.post("/api/v1/mail-templates", json={"name": uniq("bad"), "variants": [
        {"language": "en", "subject": "s", "body": "{{kb.article.987654.url}}"}]}),
        400, "invalid_argument", "variants")
    # Malformed ids are unknown placeholders, as before.
    assert_error(admin.post("/api/v1/macros", json={
        "name": uniq("bad"), "reply": "see {{kb.article.x1}}"}),
        400, "invalid_argument", "reply")
