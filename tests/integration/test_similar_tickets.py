"""Similar tickets and suggested answers (issue 22): beside a ticket, the solved tickets most
like it (BM25 over subjects and tags), each with the public agent reply that solved it, and the
articles matching it; only tickets the agent may see; customers and bad parameters refused."""

import pytest

from conftest import assert_error
from kb_support import make_article, make_section
from ticket_support import agent, customer, make_department, new_ticket, patch, reply, status_id, uniq


@pytest.fixture(scope="module")
def history(server):
    """In department A: a solved printer ticket (public reply, then an internal note), a solved
    VPN ticket sharing one word, an open printer ticket; in department B a solved printer ticket;
    a new printer ticket in A to ask about. One word (`w`) keeps other tests' tickets out."""
    admin = server.admin
    w = uniq("zq")
    a, b = make_department(admin), make_department(admin)
    solved = status_id(admin, "solved")

    def ticket(subject, dept, answer=None, done=True):
        t = new_ticket(admin, subject=f"{w} {subject}", department=dept["id"])
        if answer:
            reply(admin, t["number"], body=answer)
        if done:
            patch(admin, t["number"], {"status": solved})
        return t

    printer = ticket("打印机 卡纸 无法打印", a, "请打开后盖取出卡住的纸，再重启打印机。")
    reply(admin, printer["number"], body="内部：客户很满意", internal=True)
    vpn = ticket("VPN 连接失败", a, "Reinstall the VPN profile.")
    still_open = ticket("打印机 卡纸", a, done=False)
    other = ticket("打印机 卡纸 无法打印 二楼", b, "B 部门的答复")
    asked = ticket("打印机又卡纸了", a, done=False)
    _, section = make_section(admin)
    article = make_article(admin, section["id"], {"zh-CN": (f"打印机卡纸怎么办 {w}", "取出卡纸。")})
    return {"w": w, "a": a, "b": b, "printer": printer, "vpn": vpn, "open": still_open,
            "other": other, "asked": asked, "article": article}


def similar(sess, number, expect=200, query=""):
    r = sess.get(f"/api/v1/tickets/{number}/similar{query}")
    assert r.status == expect, r
    return r.body


def test_the_most_similar_solved_ticket_comes_first_with_the_reply_that_solved_it(server, history):
    me = agent(server, departments=[history["a"]["id"]])
    got = similar(me, history["asked"]["number"])
    numbers = [t["number"] for t in got["tickets"]]
    # The printer ticket shares the most words; the VPN one only the marker word. The open
    # ticket, the asked one itself and department B's (not visible to this agent) are left out.
    assert numbers == [history["printer"]["number"], history["vpn"]["number"]], got
    first = got["tickets"][0]
    assert first["category"] == "solved" and first["solved_at"]
    # The public reply, not the later internal note.
    assert first["reply"]["body"] == "请打开后盖取出卡住的纸，再重启打印机。"
    assert [a["article_id"] for a in got["articles"]][:1] == [history["article"]["id"]], got
    assert got["articles"][0]["lang"] == "zh-CN"


def test_an_agent_who_sees_every_department_also_gets_the_others(server, history):
    got = similar(server.admin, history["asked"]["number"], query="?limit=2")
    numbers = {t["number"] for t in got["tickets"]}
    assert numbers == {history["printer"]["number"], history["other"]["number"]}, got


def test_only_agents_who_may_see_the_ticket_ask(server, history):
    number = history["asked"]["number"]
    outsider = agent(server, departments=[history["b"]["id"]])
    assert_error(outsider.get(f"/api/v1/tickets/{number}/similar"), 404, "not_found")
    assert_error(customer(server).get(f"/api/v1/tickets/{number}/similar"), 404, "not_found")
    assert_error(server.admin.get("/api/v1/tickets/999999999/similar"), 404, "not_found")


@pytest.mark.parametrize("query,field", [("limit=0", "limit"), ("limit=21", "limit"),
                                         ("limit=x", "limit"), ("lang=pt", "lang")])
def test_bad_parameters_are_400_naming_them(server, history, query, field):
    r = server.admin.get(f"/api/v1/tickets/{history['asked']['number']}/similar?{query}")
    assert_error(r, 400, "invalid_argument", field=field)
