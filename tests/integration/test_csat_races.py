"""Customer satisfaction when things happen in between: a ticket reopened and solved again
before its survey goes out gets one survey, for the last solve; solves that follow each other
(at the same instant, or solved then closed) send one; two answers to one survey at once record
one rating; a rating that arrives after its ticket was merged is kept on that ticket and in the
reports, and the rules act on the ticket it was merged into. Who may read a ticket's ratings is
who may read the ticket; its requester also gets the open survey's token, to rate from the
portal's ticket page. The server runs on the test clock."""
import threading


from conftest import assert_error
from test_csat import desk, links_for, mailed, report, survey  # noqa: F401 (fixture)
from ticket_support import (agent, customer, make_department, new_ticket, patch, set_departments,
                            status_id)


def test_reopened_and_solved_again_before_the_survey_gets_one_for_the_last_solve(desk):
    srv, sink = desk
    admin = srv.admin
    survey(admin)
    solved, opened = status_id(admin, "solved"), status_id(admin, "open")
    t = new_ticket(admin, subject="CSAT twice solved")
    patch(admin, t["number"], {"status": solved})
    srv.advance(minutes=10)
    patch(admin, t["number"], {"status": opened})
    srv.advance(minutes=5)
    patch(admin, t["number"], {"status": solved})
    # The first solve's job comes due first (30 minutes after it) and finds a later solve.
    srv.advance(minutes=16)
    assert not mailed(sink, "CSAT twice solved"), "a survey for a solve that was undone"
    srv.advance(minutes=15)
    assert len(mailed(sink, "CSAT twice solved")) == 1
    [item] = admin.get(f"/api/v1/tickets/{t['number']}/csat").body["items"]
    history = admin.get(f"/api/v1/tickets/{t['number']}/history?limit=200").body["items"]
    assert [e["field"] for e in history].count("csat_sent") == 1
    assert report(admin, "csat_response_rate")["total"]["count"] == 1
    assert item["rating"] is None


def test_quick_successive_solves_send_one_survey(desk):
    srv, sink = desk
    admin = srv.admin
    survey(admin)
    solved, opened = status_id(admin, "solved"), status_id(admin, "open")
    closed = status_id(admin, "closed")
    # Solved, reopened and solved again within one instant of the test clock.
    same = new_ticket(admin, subject="CSAT same instant")
    for status in (solved, opened, solved):
        patch(admin, same["number"], {"status": status})
    # Solved, then closed: closing is no new solve.
    then_closed = new_ticket(admin, subject="CSAT then closed")
    patch(admin, then_closed["number"], {"status": solved})
    srv.advance(minutes=1)
    patch(admin, then_closed["number"], {"status": closed})
    srv.advance(minutes=40)
    assert len(mailed(sink, "CSAT same instant")) == 1
    assert len(mailed(sink, "CSAT then closed")) == 1
    assert report(admin, "csat_response_rate")["total"]["count"] == 2


def test_two_answers_at_once_record_one(desk):
    srv, sink = desk
    admin = srv.admin
    survey(admin)
    t = new_ticket(admin, subject="CSAT at once")
    patch(admin, t["number"], {"status": status_id(admin, "solved")})
    srv.advance(minutes=31)
    _, links = links_for(sink, "CSAT at once")
    token = links[0][1]
    answers = []
    barrier = threading.Barrier(4)

    def answer(rating):
        barrier.wait()
        r = srv.post(f"/api/v1/csat/{token}", json={"rating": rating})
        answers.append((r.status, rating))

    threads = [threading.Thread(target=answer, args=(rating,))
               for rating in ("good", "bad", "good", "bad")]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    statuses = sorted(s for s, _ in answers)
    assert statuses == [200, 409, 409, 409], answers
    won = next(rating for s, rating in answers if s == 200)
    items = admin.get(f"/api/v1/tickets/{t['number']}/csat").body["items"]
    assert [i["rating"] for i in items] == [won]
    history = admin.get(f"/api/v1/tickets/{t['number']}/history?limit=200").body["items"]
    assert [e["new"] for e in history if e["field"] == "csat"] == [won]
    assert report(admin, "csat")["total"]["count"] == 1
    proc = srv.cli("reports", "rebuild")
    assert proc.returncode == 0, proc.stderr
    assert report(admin, "csat")["total"]["count"] == 1


def test_a_rating_after_a_merge_counts_and_the_rules_act_on_the_merged_ticket(desk):
    srv, sink = desk
    admin = srv.admin
    survey(admin)
    r = admin.post("/api/v1/triggers", json={
        "name": "Bad rating reopens", "conditions": {"all": [
            {"field": "update_type", "operator": "is", "value": "csat"},
            {"field": "csat.positive", "operator": "is", "value": False}]},
        "actions": [{"type": "set_field", "field": "status", "value": "Open"}]})
    assert r.status == 201, r
    solved = status_id(admin, "solved")
    origin = new_ticket(admin, subject="CSAT merged away")
    target = new_ticket(admin, subject="CSAT merge target")
    for ticket in (origin, target):
        patch(admin, ticket["number"], {"status": solved})
    srv.advance(minutes=31)
    _, links = links_for(sink, "CSAT merged away")
    token = links[0][1]
    r = admin.post(f"/api/v1/tickets/{origin['number']}/merge", json={"into": target["number"]})
    assert r.status == 200, r
    before = report(admin, "csat")["total"]["count"]

    r = srv.post(f"/api/v1/csat/{token}", json={"rating": "bad", "comment": "merged?"})
    assert r.status == 200 and r.body["state"] == "rated", r
    srv.wait_idle()
    # Kept on the ticket that was rated, and counted.
    items = admin.get(f"/api/v1/tickets/{origin['number']}/csat").body["items"]
    assert [(i["rating"], i["comment"]) for i in items] == [("bad", "merged?")]
    assert report(admin, "csat")["total"]["count"] == before + 1
    # The rule reopened the ticket the conversation went on in; the merged one stays closed.
    assert admin.get(f"/api/v1/tickets/{target['number']}").body["status"]["category"] == "open"
    merged = admin.get(f"/api/v1/tickets/{origin['number']}").body
    assert merged["status"]["category"] != "open" and merged["merged_into"] == target["number"]
    # A second answer is refused, and the rebuild from history agrees.
    assert_error(srv.post(f"/api/v1/csat/{token}", json={"rating": "good"}), 409, "conflict",
                 "rating")
    live = report(admin, "csat")["total"]
    proc = srv.cli("reports", "rebuild")
    assert proc.returncode == 0, proc.stderr
    assert report(admin, "csat")["total"] == live


def test_a_tickets_ratings_are_read_by_who_reads_the_ticket(desk):
    srv, sink = desk
    admin = srv.admin
    sales, support = make_department(admin)["id"], make_department(admin)["id"]
    survey(admin, delay_minutes=0)
    requester = customer(srv)
    t = new_ticket(requester, subject="CSAT who reads", requester=False)
    patch(admin, t["number"], {"department": sales, "status": status_id(admin, "solved")})
    srv.wait_idle()
    inside = agent(srv, departments=[sales])
    outside = agent(srv, departments=[support])
    boss = agent(srv, role="supervisor")
    set_departments(admin, boss.get("/api/v1/me").body["id"], [sales])
    for sess in (admin, inside, boss, requester):
        r = sess.get(f"/api/v1/tickets/{t['number']}/csat")
        assert r.status == 200 and len(r.body["items"]) == 1, (sess.user["email"], r)
        # Only the requester gets the link's token, to rate from the portal's ticket page.
        assert (r.body["items"][0]["token"] is not None) == (sess is requester), r.body
    for sess in (outside, customer(srv)):
        r = sess.get(f"/api/v1/tickets/{t['number']}/csat")
        assert r.status in (403, 404), (sess.user["email"], r)
    # The portal's token rates like the mail's link, once; then no token is offered.
    token = requester.get(f"/api/v1/tickets/{t['number']}/csat").body["items"][0]["token"]
    _, links = links_for(sink, "CSAT who reads")
    assert token == links[0][1]
    r = srv.post(f"/api/v1/csat/{token}", json={"rating": "good"})
    assert r.status == 200, r
    [item] = requester.get(f"/api/v1/tickets/{t['number']}/csat").body["items"]
    assert item["rating"] == "good" and item["token"] is None
