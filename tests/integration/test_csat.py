"""Customer satisfaction end to end: a solved ticket's survey goes out by mail after the
survey's delay (not when the ticket was reopened meanwhile), in the requester's language, with
one-click links whose signed token rates that one solve once, without signing in, until it
expires; forged, altered and expired tokens get a clear 4xx; the rating shows on the ticket,
in its history and in the reports (`csat`, `csat_response_rate`), which a rebuild from history
reproduces; a trigger on update_type csat reopens a badly rated ticket. The server runs on the
test clock, so the delay and the expiry pass without waiting."""
import re

import pytest

from conftest import assert_error
from test_mail_smtp import mailing_desk
from ticket_support import email, make_department, new_ticket, patch, status_id

LINK = re.compile(r"(http://desk\.example/portal/csat/([0-9a-f.]+))\?rating=(\w+)")
RANGE = {"from": "2026-01-01", "to": "2026-03-31", "tz": "UTC"}


@pytest.fixture
def desk(start_server, tmp_path):
    with mailing_desk(start_server, tmp_path) as both:
        yield both


def survey(admin, expect=201, **body):
    fields = {"name": "After solving", "question_en": "How did we do?",
              "question_zh": "您对本次服务满意吗？", "delay_minutes": 30}
    fields.update(body)
    r = admin.post("/api/v1/csat-surveys", json=fields)
    assert r.status == expect, r
    return r.body


def links_for(sink, subject):
    """The rating links of the survey mails about `subject`: [(url, token, rating)]."""
    got = sink.wait(lambda m: subject in str(m["Subject"]))
    assert got, f"no survey mail about {subject}"
    mail = got[-1][0]
    return mail, LINK.findall(mail.get_body(preferencelist=("plain",)).get_content())


def mailed(sink, subject):
    return [m for m, _, _ in sink.mails() if subject in str(m["Subject"])]


def report(sess, metric):
    r = sess.get(f"/api/v1/reports/{metric}?" + "&".join(f"{k}={v}" for k, v in RANGE.items()))
    assert r.status == 200, r
    return r.body


def test_survey_mail_rating_once_and_reports(desk):
    srv, sink = desk
    admin = srv.admin
    survey(admin)
    solved, opened = status_id(admin, "solved"), status_id(admin, "open")
    zh_addr = email()
    assert admin.post("/api/v1/contacts", json={"email": zh_addr, "name": "王芳",
                                                "locale": "zh-CN"}).status == 201
    t = new_ticket(admin, subject="CSAT printer", requester={"email": email(), "name": "Ann"})
    zh = new_ticket(admin, subject="CSAT 打印机", requester=zh_addr)
    again = new_ticket(admin, subject="CSAT reopened")
    for ticket in (t, zh, again):
        patch(admin, ticket["number"], {"status": solved})
    # Reopened before the delay is up: no survey for that solve.
    patch(admin, again["number"], {"status": opened})
    srv.advance(minutes=29)
    assert not mailed(sink, "CSAT"), "a survey before the delay"
    srv.advance(minutes=2)

    mail, links = links_for(sink, "CSAT printer")
    assert str(mail["Subject"]).startswith(f"[#{t['number']}] How did we do?")
    assert mail["Auto-Submitted"] == "auto-replied"
    assert [rating for _, _, rating in links] == ["good", "bad"], links
    token = links[0][1]
    assert len({tok for _, tok, _ in links}) == 1
    zh_mail, zh_links = links_for(sink, "CSAT 打印机")
    assert "服务评价" in str(zh_mail["Subject"])
    assert "您对本次服务满意吗？" in zh_mail.get_body(preferencelist=("plain",)).get_content()
    assert not mailed(sink, "CSAT reopened")

    # The page, without signing in.
    page = srv.get(f"/api/v1/csat/{token}")
    assert page.status == 200, page
    assert page.body["state"] == "open" and page.body["choices"] == ["bad", "good"]
    assert page.body["question"] == "How did we do?"
    assert page.body["ticket"]["number"] == t["number"]

    # Bad tokens: a clear 404 naming the token, never a 500.
    forged = token[:-1] + ("0" if token[-1] != "0" else "1")
    request_id, expires, mac = token.split(".")
    for bad in (forged, f"{int(request_id) + 1}.{expires}.{mac}",
                f"{request_id}.{int(expires) + 1}.{mac}", "abc", "1.2.3", "..", "x" * 300,
                f"-1.{expires}.{mac}"):
        assert_error(srv.get(f"/api/v1/csat/{bad}"), 404, "not_found", "token")
        assert_error(srv.post(f"/api/v1/csat/{bad}", json={"rating": "good"}), 404,
                     "not_found", "token")
    # Another survey's token on this one's request does not work either.
    other = zh_links[0][1].split(".")
    assert_error(srv.get(f"/api/v1/csat/{request_id}.{other[1]}.{other[2]}"), 404,
                 "not_found", "token")

    assert_error(srv.post(f"/api/v1/csat/{token}", json={"rating": "meh"}), 400,
                 "invalid_argument", "rating")
    assert_error(srv.post(f"/api/v1/csat/{token}", json={"rating": "bad", "comment": "x" * 2001}),
                 400, "invalid_argument", "comment")
    assert_error(srv.post(f"/api/v1/csat/{token}", json={"rating": "bad", "extra": 1}), 400,
                 "invalid_argument", "extra")
    r = srv.post(f"/api/v1/csat/{token}", json={"rating": "bad", "comment": "slow answer"})
    assert r.status == 200, r
    assert r.body["state"] == "rated" and r.body["rating"] == "bad" and r.body["positive"] is False
    # Once per solve.
    assert_error(srv.post(f"/api/v1/csat/{token}", json={"rating": "good"}), 409, "conflict",
                 "rating")
    assert srv.get(f"/api/v1/csat/{token}").body["state"] == "rated"
    r = srv.post(f"/api/v1/csat/{zh_links[0][1]}", json={"rating": "good"})
    assert r.status == 200, r

    # On the ticket, for the desk, and in its history.
    items = admin.get(f"/api/v1/tickets/{t['number']}/csat").body["items"]
    assert [(i["rating"], i["comment"]) for i in items] == [("bad", "slow answer")]
    history = admin.get(f"/api/v1/tickets/{t['number']}/history?limit=200").body["items"]
    assert [e["new"] for e in history if e["field"] == "csat"] == ["bad"], history
    assert srv.get(f"/api/v1/tickets/{t['number']}/csat").status == 401

    # The reports: one of two ratings good; two of two surveys answered.
    score = report(admin, "csat")
    assert score["unit"] == "ratio" and score["total"]["count"] == 2
    assert score["total"]["value"] == 0.5
    rate = report(admin, "csat_response_rate")
    assert rate["total"]["count"] == 2 and rate["total"]["value"] == 1.0
    proc = srv.cli("reports", "rebuild")
    assert proc.returncode == 0, proc.stderr
    assert report(admin, "csat")["total"] == score["total"]
    assert report(admin, "csat_response_rate")["total"] == rate["total"]

    # The link expires: the page says so and a rating is refused.
    again_solved = patch(admin, again["number"], {"status": solved})
    assert again_solved
    srv.advance(minutes=31)
    _, links = links_for(sink, "CSAT reopened")
    late = links[0][1]
    assert report(admin, "csat_response_rate")["total"]["count"] == 3
    srv.advance(days=15)
    assert srv.get(f"/api/v1/csat/{late}").body["state"] == "expired"
    assert_error(srv.post(f"/api/v1/csat/{late}", json={"rating": "good"}), 409, "conflict",
                 "token")


def test_department_surveys_scales_and_a_trigger_on_bad_ratings(desk):
    srv, sink = desk
    admin = srv.admin
    quiet, picky = make_department(admin)["id"], make_department(admin)["id"]
    survey(admin, delay_minutes=0)
    survey(admin, name="Quiet", department=quiet, active=False)
    survey(admin, name="Picky", department=picky, scale="five", delay_minutes=5,
           channels=["web", "email"])
    survey(admin, expect=400, name="Bad", delay_minutes=-1)
    survey(admin, expect=400, name="Bad", scale="stars")
    solved = status_id(admin, "solved")
    r = admin.post("/api/v1/triggers", json={
        "name": "Bad rating reopens", "conditions": {"all": [
            {"field": "update_type", "operator": "is", "value": "csat"},
            {"field": "csat.positive", "operator": "is", "value": False}]},
        "actions": [{"type": "set_field", "field": "status", "value": "Open"}]})
    assert r.status == 201, r

    hushed = new_ticket(admin, subject="CSAT quiet", department=quiet)
    five = new_ticket(admin, subject="CSAT five", department=picky)
    phoned = new_ticket(admin, subject="CSAT phoned", department=picky, channel="phone")
    for ticket in (hushed, five, phoned):
        patch(admin, ticket["number"], {"status": solved})
    srv.advance(minutes=6)
    _, links = links_for(sink, "CSAT five")
    assert [rating for _, _, rating in links] == ["5", "4", "3", "2", "1"]
    assert not mailed(sink, "CSAT quiet"), "the department's survey is off"
    assert not mailed(sink, "CSAT phoned"), "the survey skips this channel"
    token = links[0][1]
    assert_error(srv.post(f"/api/v1/csat/{token}", json={"rating": "good"}), 400,
                 "invalid_argument", "rating")
    r = srv.post(f"/api/v1/csat/{token}", json={"rating": "2"})
    assert r.status == 200 and r.body["positive"] is False, r
    srv.wait_idle()
    ticket = admin.get(f"/api/v1/tickets/{five['number']}").body
    assert ticket["status"]["category"] == "open", ticket


def test_a_contact_who_wrote_in_chinese_is_asked_in_chinese(desk):
    # Contacts made from mail keep the default locale (en): the ticket's detected language
    # decides.
    srv, sink = desk
    admin = srv.admin
    survey(admin)
    t = new_ticket(admin, subject="CSAT written", requester={"email": email(), "name": "Li"},
                   body="您好，会议室的空调不制冷，温度设置到十八度还是很热，影响下午的会议。")
    patch(admin, t["number"], {"status": status_id(admin, "solved")})
    srv.advance(minutes=31)
    mail, _ = links_for(sink, "CSAT written")
    assert "服务评价" in str(mail["Subject"])
