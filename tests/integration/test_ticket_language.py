"""The language a requester writes in (issue 22): detected by CLD2 from the subject and their
first message, on the ticket and in its JSON, and seen by the triggers of the ticket's creation
(by mail, portal, API, live chat and IM alike); nothing when the text is too short to tell."""

from channel_tickets import chat_ticket, im_source, im_ticket
from mail_support import build_mail, mail_token, post_mail
from ticket_support import email, new_ticket, uniq

ZH = "您好，办公室的打印机从今天早上开始无法连接，重启之后还是不行，麻烦尽快处理。"
EN = ("Hello, the printer on the third floor has been offline since this morning. Restarting it "
      "did not help and the queue keeps growing.")
FR = "Bonjour, l'imprimante du troisième étage ne répond plus depuis ce matin et personne ne sait pourquoi."


def language(sess, number):
    r = sess.get(f"/api/v1/tickets/{number}")
    assert r.status == 200, r
    return r.body["language"]


def test_the_requesters_language_is_on_the_ticket(server):
    admin = server.admin
    assert language(admin, new_ticket(admin, subject="打印机", body=ZH)["number"]) == "zh-CN"
    assert language(admin, new_ticket(admin, subject="Printer", body=EN)["number"]) == "en"
    assert language(admin, new_ticket(admin, subject="Imprimante", body=FR)["number"]) == "fr"
    assert language(admin, new_ticket(admin, subject="x", body="ok")["number"]) is None


def test_the_creation_triggers_see_the_language(server):
    # The language is detected from the subject and the first message before the triggers of
    # the ticket's creation evaluate: a rule routes Chinese tickets on every channel.
    admin = server.admin
    tag = uniq("zh")
    r = admin.post("/api/v1/triggers", json={
        "name": uniq("Chinese "), "conditions": {"all": [
            {"field": "update_type", "operator": "is", "value": "create"},
            {"field": "language", "operator": "is", "value": "zh-CN"}]},
        "actions": [{"type": "add_tags", "tags": [tag]}]})
    assert r.status == 201, r
    try:
        token = mail_token(server)
        by_mail = {"number": post_mail(server, token, build_mail(email(), "打印机无法连接", ZH),
                                       expect=201).body["ticket"]}
        english_mail = {"number": post_mail(server, token, build_mail(email(), "Printer offline",
                                                                       EN), expect=201).body["ticket"]}
        portal = server.customer_session()
        by_portal = new_ticket(portal, subject="网络", body=ZH, requester=False)
        by_api = new_ticket(admin, subject="网络", body=ZH)
        english = new_ticket(admin, subject="Network", body=EN)
        by_chat = {"number": chat_ticket(server, ZH)}
        english_chat = {"number": chat_ticket(server, EN)}
        source = im_source(admin)
        by_im = {"number": im_ticket(server, source, ZH)}
        english_im = {"number": im_ticket(server, source, EN)}
        for t in (by_mail, by_portal, by_api, by_chat, by_im):
            got = admin.get(f"/api/v1/tickets/{t['number']}").body
            assert tag in got["tags"] and got["language"] == "zh-CN", got
            fired = [e for e in admin.get(f"/api/v1/tickets/{t['number']}/history").body["items"]
                     if e["field"] == "trigger"]
            assert fired, t
        for t in (english_mail, english, english_chat, english_im):
            got = admin.get(f"/api/v1/tickets/{t['number']}").body
            assert tag not in got["tags"] and got["language"] == "en", got
    finally:
        assert admin.request("DELETE", f"/api/v1/triggers/{r.body['id']}").status == 204
