"""A knowledge-base category's department (issue 18): the desk offers the category's articles
(search, the suggestions beside a ticket) only to that department's agents, besides the global
categories' articles; its agents-only articles are that department's internal knowledge, which
other agents cannot open in the help centre either, nor find named on any of its pages (home,
category, section, related articles, search, the sitemap); admins, supervisors and agents
granted every department see all; customers and anonymous readers are not scoped. Drafts from
the model endpoint take their articles under the desk's scope."""
from urllib.parse import urlencode

import pytest

from chat_stub import ChatStub
from kb_support import make_article
from ticket_support import agent, make_department, new_ticket, uniq


def ids(sess, q):
    r = sess.get("/api/v1/kb/search?" + urlencode({"q": q, "lang": "en", "limit": 20}))
    assert r.status == 200, r
    return sorted(h["article_id"] for h in r.body["items"])


def section_in(admin, department=None, category=False):
    body = {"name": "Category " + uniq()}
    if department:
        body["department"] = department["id"]
    c = admin.post("/api/v1/kb/categories", json=body)
    assert c.status == 201, c
    s = admin.post("/api/v1/kb/sections", json={"category": c.body["id"], "name": uniq("s")})
    assert s.status == 201, s
    return (c.body["id"], s.body["id"]) if category else s.body["id"]


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
    # The help centre's search leaves out only what its pages would refuse: the public article
    # of billing's category is there, as it is for an anonymous reader.
    r = in_sales.get("/help/en/search?" + urlencode({"q": word}))
    assert r.status == 200 and f"/articles/{internal}" not in r.body \
        and f"/articles/{public}" in r.body, r.body

    # Beside a ticket: the suggestions follow the same scope.
    t = new_ticket(admin, subject=f"Refunds {word}", department=sales["id"])
    r = in_sales.get(f"/api/v1/tickets/{t['number']}/similar?lang=en")
    assert r.status == 200, r
    got = [a["article_id"] for a in r.body["articles"]]
    assert everyone in got and public not in got and internal not in got, got
    r = admin.get(f"/api/v1/tickets/{t['number']}/similar?lang=en")
    assert public in [a["article_id"] for a in r.body["articles"]], r.body


def test_no_help_centre_page_names_another_departments_internal_article(start_server):
    srv = start_server(env={"GONGDAN_PUBLIC_URL": "https://help.example.com/"})
    admin = srv.login()
    billing, sales = make_department(admin), make_department(admin)
    word = uniq("hc")
    category, own = section_in(admin, billing, category=True)
    _, everyone = section_in(admin, category=True)
    title = {"public": f"Refunds {word}", "internal": f"Runbook {word}",
             "global_internal": f"Escalation {word}", "global_public": f"Contact {word}"}
    made = {
        "public": make_article(admin, own, {"en": (title["public"], "Refunds")}),
        "internal": make_article(admin, own, {"en": (title["internal"], "Runbook")},
                                 visibility="agents"),
        "global_internal": make_article(admin, everyone, {"en": (title["global_internal"], "All")},
                                        visibility="agents"),
        "global_public": make_article(admin, everyone, {"en": (title["global_public"], "Mail")}),
    }
    ids = {k: a["id"] for k, a in made.items()}

    def pages(sess):
        """Every help centre page that lists articles, as the reader gets it."""
        out = {}
        for name, path in (("home", "/help/en"), ("category", f"/help/en/categories/{category}"),
                           ("section", f"/help/en/sections/{own}"),
                           ("related", f"/help/en/articles/{ids['public']}"),
                           ("search", "/help/en/search?" + urlencode({"q": word}))):
            r = sess.get(path)
            assert r.status == 200, (name, r)
            out[name] = r.body
        return out

    def check(sess, sees_internal, sees_global_internal=True):
        got = pages(sess)
        for name, html in got.items():
            assert (title["internal"] in html) == sees_internal, (name, html)
            if name != "related":  # the public article's page relates its own section only
                assert title["public"] in html, (name, html)
            if name in ("home", "search"):
                assert (title["global_internal"] in html) == sees_global_internal, (name, html)
        return got

    in_billing = agent(srv, departments=[billing["id"]])
    in_sales = agent(srv, departments=[sales["id"]])
    # Pages are cached per reader kind and departments: each reader in turn, twice, so a page
    # kept for one is never served to the other.
    for _ in range(2):
        check(in_sales, sees_internal=False)
        check(in_billing, sees_internal=True)
    check(agent(srv, all_departments=True), sees_internal=True)
    check(admin, sees_internal=True)
    check(agent(srv, departments=[]), sees_internal=False)
    check(srv, sees_internal=False, sees_global_internal=False)  # anonymous

    assert in_sales.get(f"/help/en/articles/{ids['internal']}").status == 404
    assert in_billing.get(f"/help/en/articles/{ids['internal']}").status == 200
    # The sitemap is the anonymous reader's: public articles only, whoever asks.
    for sess in (srv, in_sales, in_billing):
        sitemap = sess.get("/help/sitemap.xml")
        assert sitemap.status == 200, sitemap
        for k, listed in (("public", True), ("global_public", True), ("internal", False),
                          ("global_internal", False)):
            assert (f"/help/en/articles/{ids[k]}<" in sitemap.body) == listed, (k, sitemap.body)


@pytest.fixture(scope="module")
def stub():
    s = ChatStub()
    yield s
    s.close()


def test_a_draft_takes_only_the_articles_the_agent_is_offered(server, stub):
    admin = server.admin
    r = admin.get("/api/v1/assist-settings")
    [setting] = r.body["items"]
    r = admin.patch(f"/api/v1/assist-settings/{setting['id']}",
                    json={"enabled": True, "base_url": stub.base_url, "model": "stub-model",
                          "api_key": "stub-key"})
    assert r.status == 200, r
    billing, sales = make_department(admin), make_department(admin)
    word = uniq("dr")
    internal = make_article(admin, section_in(admin, billing),
                            {"en": (f"Printer runbook {word}", "Billing's internal steps")},
                            visibility="agents")["id"]
    own = make_article(admin, section_in(admin, sales),
                       {"en": (f"Printer guide {word}", "Sales steps")}, visibility="agents")["id"]
    everyone = make_article(admin, section_in(admin),
                            {"en": (f"Printer help {word}", "Everyone's steps")})["id"]
    t = new_ticket(admin, subject=f"Printer {word}", department=sales["id"])
    stub.reply = "Hello"

    def draft(sess):
        r = sess.post(f"/api/v1/tickets/{t['number']}/draft", json={})
        assert r.status == 200, r
        return sorted(r.body["article_ids"]), stub.last_prompt()

    got, prompt = draft(agent(server, departments=[sales["id"]]))
    assert got == sorted([own, everyone]), got
    assert "Billing's internal steps" not in prompt and "Sales steps" in prompt
    got, prompt = draft(admin)
    assert got == sorted([internal, own, everyone]), got
    assert "Billing's internal steps" in prompt
