"""The language a requester writes in (issue 22): detected by CLD2 from the subject and their
first message, on the ticket and in its JSON, and usable in the conditions of the triggers of
later changes; nothing when the text is too short to tell."""

from ticket_support import new_ticket, patch, uniq

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


def test_a_trigger_routes_on_the_language(server):
    # The language is detected when the requester's first message is stored, after the
    # triggers of the ticket's creation ran: they see it from the next change on.
    admin = server.admin
    tag = uniq("zh")
    r = admin.post("/api/v1/triggers", json={
        "name": uniq("Chinese "), "conditions": {"all": [
            {"field": "update_type", "operator": "is", "value": "update"},
            {"field": "language", "operator": "is", "value": "zh-CN"}]},
        "actions": [{"type": "add_tags", "tags": [tag]}]})
    assert r.status == 201, r
    try:
        chinese = new_ticket(admin, subject="网络", body=ZH)
        english = new_ticket(admin, subject="Network", body=EN)
        for t in (chinese, english):
            patch(admin, t["number"], {"priority": "high"})
        assert tag in admin.get(f"/api/v1/tickets/{chinese['number']}").body["tags"]
        assert tag not in admin.get(f"/api/v1/tickets/{english['number']}").body["tags"]
    finally:
        assert admin.request("DELETE", f"/api/v1/triggers/{r.body['id']}").status == 204
