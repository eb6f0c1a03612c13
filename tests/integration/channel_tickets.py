"""New tickets from the live chat and from an inbound IM source (the generic signed webhook), for
tests that hold every channel to the same creation path (triggers, language, triage)."""

import hashlib
import hmac
import json as jsonlib
import time

from ticket_support import email, make_department, uniq


def chat_ticket(srv, question, department=None):
    """A visitor's chat through a new widget (of `department`, else a new one): the ticket's
    number."""
    admin = srv.admin
    dept = department or make_department(admin, uniq("Chat desk "))
    r = admin.post("/api/v1/chat-widgets", json={"department": dept["id"]})
    assert r.status == 201, r
    body = {"name": "访客", "email": email("visitor"), "question": question}
    r = srv.request("POST", f"/api/v1/chat/widgets/{r.body['id']}/sessions",
                    raw_body=jsonlib.dumps(body), headers={"Content-Type": "text/plain"})
    assert r.status == 201, r
    return r.body["ticket"]


def im_source(admin, department=None):
    """A generic inbound source with no reply URL (of `department`, if given)."""
    body = {"kind": "generic", "name": uniq("IM ")}
    if department:
        body["department"] = department["id"]
    r = admin.post("/api/v1/inbound-sources", json=body)
    assert r.status == 201, r
    return r.body


def im_ticket(srv, source, text):
    """A message from a new sender through `source`, signed as the provider signs it: the new
    ticket's number."""
    msg = {"id": uniq("evt-"), "from": {"id": uniq("sender-"), "name": "王芳"}, "text": text}
    raw = jsonlib.dumps(msg, ensure_ascii=False).encode()
    ts = str(int(time.time()))
    sig = "sha256=" + hmac.new(source["signing_secret"].encode(), ts.encode() + b"." + raw,
                               hashlib.sha256).hexdigest()
    r = srv.request("POST", f"/api/v1/inbound/{source['id']}/webhook", raw_body=raw,
                    headers={"X-Gongdan-Timestamp": ts, "X-Gongdan-Signature": sig,
                             "Content-Type": "application/json"})
    assert r.status == 200 and r.body["result"] == "created", r
    return r.body["ticket"]
