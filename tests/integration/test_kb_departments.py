"""A knowledge-base category's department (issue 18): the desk offers the category's articles
(search, the suggestions beside a ticket) only to that department's agents, besides the global
categories' articles; its agents-only articles are that department's internal knowledge, which
other agents cannot open in the help centre either; admins, supervisors and agents granted every
department see all; customers and anonymous readers are not scoped."""
from urllib.parse import urlencode

from kb_support import make_article
from ticket_support import agent, make_department, new_ticket, uniq


def ids(sess, q):
    r = sess.get("/api/v1/kb/search?" + urlencode({"q": q, "lang": "en", "limit": 20}))
    assert r.status == 200, r
    return sorted(h["article_id"] for h in r.body["items"])


def section_in(admin, department=None):
    body = {"name": "Category " + uniq()}
    if department:
        body["department"] = department["id"]
    c = admin.post("/api/v1/kb/categories", json=body)
    assert c.status == 201, c
    s = admin.post("/api/v1/kb/sections", json={"category": c.body["id"], "name": uniq("s")})
    assert s.status == 201, s
    return s.body["id"]


def test_a_categorys_department_scopes_its_articles_to_that_departments_agents(server):
    admin = server.admin
    billing, sales = make_department(admin), make_department(admin)
    word = uniq("dept")
    own = section_in(admin, billing)
    public = make_article(admin, own, {"en": (f"Refunds {word}", "How to refund")})["id"]
    internal = make_article(admin, own, {"en": (f"Refund runbook {word}", "Internal steps")},
                            visibility="agents")["id"]
    everyone = make_article(admin, section_in(admin), {"en": (f"Contact us {word}", "Mail")})["id"]

    in_billing = agent(server, departments=[billing["id"]])
    in_sales = agent(server, departments=[sales["id"]])
    every = agent(server, all_departments=True)
    assert ids(in_billing, word) == sorted([public, internal, everyone])
    assert ids(in_sales, word) == [everyone]
    assert ids(every, word) == sorted([public, internal, everyone])
    assert ids(admin, word) == sorted([public, internal, everyone])
    assert ids(server, word) == sorted([public, everyone])  # anonymous: not scoped

    # The department's internal article: not for other agents in the help centre either (the
    # page is cached for agents, so the one allowed read comes first).
    assert in_billing.get(f"/help/en/articles/{internal}").status == 200
    assert in_sales.get(f"/help/en/articles/{internal}").status == 404
    assert in_sales.get(f"/help/en/articles/{public}").status == 200
    r = in_sales.get("/help/en/search?" + urlencode({"q": word}))
    assert r.status == 200 and f"/articles/{internal}" not in r.body \
        and f"/articles/{public}" not in r.body, r.body

    # Beside a ticket: the suggestions follow the same scope.
    t = new_ticket(admin, subject=f"Refunds {word}", department=sales["id"])
    r = in_sales.get(f"/api/v1/tickets/{t['number']}/similar?lang=en")
    assert r.status == 200, r
    got = [a["article_id"] for a in r.body["articles"]]
    assert everyone in got and public not in got and internal not in got, got
    r = admin.get(f"/api/v1/tickets/{t['number']}/similar?lang=en")
    assert public in [a["article_id"] for a in r.body["articles"]], r.body
