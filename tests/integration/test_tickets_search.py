"""Full-text search: CJK without spaces, English word forms, phrases, filters in the query,
snippets, read-your-writes, contacts for agents only, bad filters."""
import subprocess
import threading

import pytest

from conftest import POSTGRES, assert_error, database_for
from ticket_support import (agent, customer, make_department, new_ticket, patch, reply, search,
                            search_numbers, status_id, uniq)


@pytest.fixture(scope="module")
def dept(server, admin):
    return make_department(admin, "售后" + uniq())


def test_chinese_substring_finds_the_message(server, admin):
    t = new_ticket(admin, subject="网络问题", body="办公室的打印机无法连接")
    found = search(admin, "打印机")
    hit = [i for i in found["items"] if i["ticket"]["number"] == t["number"]]
    assert hit, found
    assert hit[0]["matched"] == "message"
    assert "<mark>" in hit[0]["snippet"] and "打印机" in hit[0]["snippet"]
    assert t["number"] in search_numbers(admin, "无法连接")
    assert t["number"] not in search_numbers(admin, "扫描仪")


def test_english_word_forms(server, admin):
    word = uniq("zq")
    t = new_ticket(admin, subject=f"{word} hardware", body=f"The printer {word} is jammed again")
    assert t["number"] in search_numbers(admin, f"printers {word}")
    assert t["number"] in search_numbers(admin, f"{word} jamming")
    assert t["number"] in search_numbers(admin, f"PRINTER {word}")


def test_exact_phrase(server, admin):
    w = uniq("ph")
    a = new_ticket(admin, body=f"{w} the quick brown fox jumps")["number"]
    b = new_ticket(admin, body=f"{w} brown quick fox, the")["number"]
    assert set(search_numbers(admin, f'{w} "quick brown fox"')) == {a}
    assert set(search_numbers(admin, f"{w} quick brown fox")) == {a, b}
    assert set(search_numbers(admin, f"{w} -jumps")) == {b}
    # Typographic quotes from Chinese input methods work the same.
    assert set(search_numbers(admin, f"{w} \u201cquick brown fox\u201d")) == {a}


def test_filters_in_the_query(server, admin, dept):
    w = uniq("flt")
    ag = agent(server, departments=[dept["id"]])
    open_id = status_id(admin, "open")
    a = new_ticket(admin, subject=f"{w} alpha", tags=["vip"], department=dept["id"],
                   priority="high")["number"]
    b = new_ticket(admin, subject=f"{w} beta", tags=["vip"])["number"]
    c = new_ticket(admin, subject=f"{w} gamma", department=dept["id"])["number"]
    patch(admin, a, {"status": open_id, "assignee": ag.user["id"]})
    patch(admin, c, {"status": open_id})
    assert set(search_numbers(admin, w)) == {a, b, c}
    assert set(search_numbers(admin, f"{w} status:open")) == {a, c}
    assert set(search_numbers(admin, f"{w} status:new")) == {b}
    assert set(search_numbers(admin, f"{w} tag:vip")) == {a, b}
    assert set(search_numbers(admin, f"{w} tag:VIP")) == {a, b}
    assert set(search_numbers(admin, f"{w} department:{dept['name']}")) == {a, c}
    assert set(search_numbers(admin, f"{w} department:{dept['id']}")) == {a, c}
    assert set(search_numbers(admin, f"{w} priority:high")) == {a}
    assert set(search_numbers(admin, f"{w} is:unassigned")) == {b, c}
    assert set(search_numbers(ag, f"{w} assignee:me")) == {a}
    assert set(search_numbers(ag, f"{w} status:open assignee:me tag:vip "
                                  f"department:{dept['name']}")) == {a}
    assert set(search_numbers(admin, f"{w} assignee:me")) == set()
    assert set(search_numbers(admin, f"{w} created>=2000-01-01")) == {a, b, c}
    assert set(search_numbers(admin, f"{w} created<2000-01-01")) == set()
    # Filters alone list matching tickets.
    only = search_numbers(admin, f"tag:vip department:{dept['id']}", limit=100)
    assert a in only and b not in only and c not in only


@pytest.mark.parametrize("query,field", [
    ("x department:nosuchdepartment", "q.department"),
    ("x status:nosuchstatus", "q.status"),
    ("x priority:mega", "q.priority"),
    ("x assignee:someone", "q.assignee"),
    ("x type:bug", "q.type"),
    ("x created>=yesterday", "q.created"),
    ("x is:weird", "q.is"),
    ("x requester:bob", "q.requester"),
])
def test_unknown_filter_values_are_400(server, admin, query, field):
    assert_error(admin.get("/api/v1/search?q=" + __import__("urllib.parse").parse.quote(query)),
                 400, "invalid_argument", field)


def test_bad_limits(server, admin):
    for bad in ("0", "101", "x", "-1"):
        assert_error(admin.get(f"/api/v1/search?q=a&limit={bad}"), 400, "invalid_argument",
                     "limit")
    r = admin.get("/api/v1/search?q=" + "a" * 5000)
    assert r.status in (200, 400), r


def test_results_reflect_a_write_at_once(server, admin):
    n = new_ticket(admin)["number"]
    for i in range(5):
        w = uniq("fresh")
        reply(admin, n, body=f"now mentioning {w}")
        assert search_numbers(admin, w) == [n], i
        w2 = uniq("subj")
        patch(admin, n, {"subject": f"renamed {w2}"})
        assert search_numbers(admin, w2) == [n]
        patch(admin, n, {"add_tags": [w2.lower() + "tag"]})
        assert n in search_numbers(admin, f"tag:{w2.lower()}tag")
    # The old subject no longer matches.
    old = uniq("oldsubj")
    patch(admin, n, {"subject": old})
    patch(admin, n, {"subject": "something else"})
    assert search_numbers(admin, old) == []


def test_concurrent_writers_and_readers(server, admin):
    errors = []

    def writer(i):
        for j in range(5):
            w = uniq(f"conc{i}")
            t = new_ticket(admin, body=f"body {w}")
            if search_numbers(admin, w) != [t["number"]]:
                errors.append((w, t["number"]))

    ts = [threading.Thread(target=writer, args=(i,)) for i in range(4)]
    [t.start() for t in ts]
    [t.join() for t in ts]
    assert not errors, errors


def test_contacts_for_agents_only_and_notes_hidden(server, admin):
    name = uniq("Zhangsan")
    addr = f"{name.lower()}@example.cn"
    cust_user, pw = server.create_contact(email=addr, name=name)
    cust = server.login(addr, pw)
    n = new_ticket(cust, requester=False, subject=f"about {name}")["number"]
    found = search(admin, name)
    assert cust_user["id"] in [c["id"] for c in found["contacts"]]
    assert n in [i["ticket"]["number"] for i in found["items"]]
    light = agent(server, role="light_agent")
    assert cust_user["id"] in [c["id"] for c in search(light, name)["contacts"]]
    mine = search(cust, name)
    assert mine["contacts"] == []
    assert [i["ticket"]["number"] for i in mine["items"]] == [n]
    # An internal note's words never reach the customer, not even through the subject match.
    secret = uniq("notesecret")
    reply(admin, n, body=f"internal {secret}", internal=True)
    assert search_numbers(admin, secret) == [n]
    assert search(cust, secret)["items"] == []
    res = search(cust, name)
    assert secret not in str(res)
    other = customer(server)
    assert search(other, name)["items"] == []


def test_snippet_marks_are_safe(server, admin):
    w = uniq("snip")
    t = new_ticket(admin, body=f"<script>alert(1)</script> {w} & <b>bold</b>")
    item = [i for i in search(admin, w)["items"] if i["ticket"]["number"] == t["number"]][0]
    assert f"<mark>{w}</mark>" in item["snippet"].replace("<mark> ", "<mark>") or \
        "<mark>" in item["snippet"]
    assert "<script>" not in item["snippet"] and "<b>" not in item["snippet"]


def test_a_common_word_pages_newest_first_and_a_rare_one_is_still_found(fresh_server):
    """More matches than the search's candidate window (500): on PostgreSQL they are found among
    the newest documents without the index; a word in one old ticket goes through the index."""
    admin = fresh_server.admin
    word, rare = uniq("widget"), uniq("sprocket")
    first = new_ticket(admin, subject=f"{word} and {rare} 打印机坏了", body=f"{rare} {word}")
    numbers = [first["number"]]
    errors = []

    def make(n):
        for _ in range(n):
            r = admin.post("/api/v1/tickets", json={
                "subject": f"{word} report 打印机坏了", "body": f"the {word} failed 打印机坏了",
                "requester": {"email": "widgets@example.com"}})
            if r.status != 201:
                errors.append(r)
            else:
                numbers.append(r.body["number"])

    threads = [threading.Thread(target=make, args=(70,)) for _ in range(8)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert not errors, errors[:3]
    newest = set(sorted(numbers)[-100:])  # numbers and ids of concurrent creates may cross
    for q in (word, f"{word} 打印机坏了"):
        found = search_numbers(admin, q, limit=50)
        assert len(found) == 50 and set(found) <= newest, (q, found[:5])
    assert search_numbers(admin, rare) == [first["number"]]


@pytest.mark.skipif(not POSTGRES, reason="PostgreSQL's search buckets")
def test_a_word_found_only_in_old_tickets_far_behind_the_newest(fresh_server):
    """On PostgreSQL a search that the newest documents cannot answer asks the index bucket by
    bucket (2^14 ids each, newest first): tickets hundreds of thousands of ids back are found,
    newest first, after newer ones in between."""
    admin = fresh_server.admin
    word = uniq("gizmo")
    oldest = new_ticket(admin, subject=f"{word} oldest", body=f"the {word} broke")
    db = database_for(fresh_server.data_dir)

    def skip_ids(n):
        for table in ("tickets", "messages"):
            subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", db, "-c",
                            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                            f"(SELECT MAX(id) FROM {table}) + {n})"],
                           check=True, capture_output=True)

    skip_ids(40 * 16384)
    middle = new_ticket(admin, subject=f"{word} again", body=f"a {word} again")
    skip_ids(3 * 16384)
    for _ in range(3):
        new_ticket(admin, subject="newer", body="no such word here")
    assert search_numbers(admin, word) == [middle["number"], oldest["number"]]
    assert search_numbers(admin, f'"{word} broke"') == [oldest["number"]]
