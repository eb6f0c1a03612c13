"""Help centre page views (issue 18) are counted in memory and written by the server's
background thread (services/kb_background.hpp): every five seconds, and when the server stops. Each view is written exactly once, whether the page was rendered or kept, on SQLite and
PostgreSQL. And a change written to the database without the server's notice (a notice a
PostgreSQL node missed) still reaches the pages it keeps, through the knowledge base's
generation."""
import sqlite3
import subprocess
import threading

from conftest import database_for
from kb_support import make_article, make_section
from ticket_support import uniq
from waiting import wait_until


def views_of(admin, article_id, lang):
    return admin.get(f"/api/v1/kb/articles/{article_id}/translations/{lang}").body["views"]


def read_pages(srv, paths_and_times, threads=4):
    """Reads each path `times` times, spread over `threads` clients at once."""
    failures = []

    def worker(i):
        for path, times in paths_and_times:
            for n in range(i, times, threads):
                r = srv.get(path)
                if r.status != 200:
                    failures.append((path, r.status))

    workers = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert not failures, failures[:3]


def run_sql(srv, sql):
    """Runs `sql` on the server's database behind its back (no notice, no API)."""
    url = database_for(srv.data_dir)
    if url:
        subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", sql], check=True,
                       capture_output=True)
        return
    with sqlite3.connect(srv.data_dir / "gongdan.db", timeout=30) as db:
        db.executescript(sql)


def test_every_view_is_written_once_through_a_clean_stop(fresh_server):
    srv = fresh_server
    admin = srv.admin
    _, section = make_section(admin)
    a = make_article(admin, section["id"], {"en": ("Views " + uniq(), "body"),
                                           "zh-CN": ("浏览 " + uniq(), "正文")})
    en, zh = f"/help/en/articles/{a['id']}", f"/help/zh-CN/articles/{a['id']}"
    # The first read of each renders the page, the others find it kept: both count.
    read_pages(srv, [(en, 120), (zh, 80)])
    # Stopped without anyone asking for the numbers (the stats route writes the views waiting):
    # whatever the background thread had not written yet is written at the stop.
    srv.restart()
    admin = srv.admin
    assert (views_of(admin, a["id"], "en"), views_of(admin, a["id"], "zh-CN")) == (120, 80)
    read_pages(srv, [(en, 5)])
    assert admin.get("/api/v1/kb/stats").body["views"] == 205


def test_views_are_written_while_the_server_runs(fresh_server):
    srv = fresh_server
    admin = srv.admin
    _, section = make_section(admin)
    a = make_article(admin, section["id"], {"en": ("Running " + uniq(), "body")})
    path = f"/help/en/articles/{a['id']}"
    read_pages(srv, [(path, 7)])
    # Nothing asks for them: the background thread writes them within five seconds.
    wait_until(lambda: views_of(admin, a["id"], "en") == 7, what="7 views written")
    read_pages(srv, [(path, 3)])
    wait_until(lambda: views_of(admin, a["id"], "en") == 10, what="10 views written")
    assert views_of(admin, a["id"], "en") == 10


def test_a_change_without_a_notice_reaches_the_kept_pages(fresh_server):
    srv = fresh_server
    admin = srv.admin
    _, section = make_section(admin)
    a = make_article(admin, section["id"], {"en": ("Kept " + uniq(), "before the change")})
    path = f"/help/en/articles/{a['id']}"
    # Restarted so that the server has read the generation its own changes moved (it reads it at
    # the start, then every five seconds): nothing moves the version now but what this test does.
    srv.restart()
    assert "before the change" in srv.get(path).body
    # The page is kept now: a row changed behind the server's back does not show...
    run_sql(srv, "UPDATE kb_translations SET body_html = '<p>after the change</p>' "
                 f"WHERE article_id = {a['id']}")
    assert "before the change" in srv.get(path).body
    # ...until the generation moves, as every change through the server moves it in its own
    # transaction; the server reads it every five seconds.
    run_sql(srv, "UPDATE kb_generation SET value = value + 1")
    wait_until(lambda: "after the change" in srv.get(path).body, what="the changed page")
