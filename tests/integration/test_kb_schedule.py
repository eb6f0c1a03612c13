"""Scheduled publishing (issue 18): a draft or a translation in review given publish_at is
published by a job at that time (on the test clock: no waiting), appears in the help centre and
its search then and not before, and is audited; a schedule changed or cancelled leaves the old
job nothing to do; bad or past times and schedules on published translations are clear 4xx."""
import datetime

import pytest

from conftest import assert_error
from kb_support import make_section, put_translation
from ticket_support import uniq


@pytest.fixture(scope="module")
def srv(clocked_server):
    return clocked_server


def at(srv, **delta):
    when = srv.clock() + datetime.timedelta(**delta)
    return when.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def shown(srv, aid):
    return srv.get(f"/help/en/articles/{aid}").status == 200


def test_a_scheduled_translation_is_published_at_its_time(srv):
    admin = srv.admin
    _, section = make_section(admin)
    aid = admin.post("/api/v1/kb/articles", json={"section": section["id"]}).body["id"]
    word = "Zebrafish" + uniq()
    put_translation(admin, aid, "en", title=f"Launch {word}", body="Coming soon.")
    when = at(srv, hours=2)
    t = put_translation(admin, aid, "en", publish_at=when)
    assert t["state"] == "draft" and t["publish_at"].startswith(when[:19])
    summary = admin.get(f"/api/v1/kb/articles/{aid}").body["translations"][0]
    assert summary["publish_at_ms"] > 0
    srv.advance(minutes=119)
    assert not shown(srv, aid)
    srv.advance(minutes=2)
    t = admin.get(f"/api/v1/kb/articles/{aid}/translations/en").body
    assert t["state"] == "published" and t["publish_at"] is None and t["version"] == 3
    assert shown(srv, aid)
    hits = srv.get(f"/api/v1/kb/search?lang=en&q={word}").body["items"]
    assert [h["article_id"] for h in hits] == [aid]
    log = admin.get(f"/api/v1/audit?action=kb_article.publish_scheduled&target=kb_article:{aid}")
    assert len(log.body["items"]) == 1 and log.body["items"][0]["actor_id"] is None
    scheduled = admin.get(f"/api/v1/audit?action=kb_article.translation&target=kb_article:{aid}")
    assert any(e["detail"].get("publish_at") for e in scheduled.body["items"])


def test_a_changed_or_cancelled_schedule_is_kept(srv):
    admin = srv.admin
    _, section = make_section(admin)
    aid = admin.post("/api/v1/kb/articles", json={"section": section["id"]}).body["id"]
    put_translation(admin, aid, "en", title="Later", body="b", state="in_review")
    put_translation(admin, aid, "en", publish_at=at(srv, hours=1))
    put_translation(admin, aid, "en", publish_at=at(srv, hours=3))
    srv.advance(minutes=90)
    assert admin.get(f"/api/v1/kb/articles/{aid}/translations/en").body["state"] == "in_review"
    cancelled = put_translation(admin, aid, "en", publish_at=None)
    assert cancelled["publish_at"] is None
    srv.advance(hours=2)
    assert admin.get(f"/api/v1/kb/articles/{aid}/translations/en").body["state"] == "in_review"
    assert not shown(srv, aid)


def test_bad_schedules_are_clear_4xx(srv):
    admin = srv.admin
    _, section = make_section(admin)
    aid = admin.post("/api/v1/kb/articles", json={"section": section["id"]}).body["id"]
    put_translation(admin, aid, "en", title="t", body="b")
    url = f"/api/v1/kb/articles/{aid}/translations/en"
    for bad in ("tomorrow", "2026-13-45T00:00:00Z", 5, "x" * 100, at(srv, minutes=-1),
                at(srv, days=365 * 11)):
        assert_error(admin.request("PUT", url, json={"publish_at": bad}), 400, "invalid_argument",
                     "publish_at")
    assert_error(admin.request("PUT", url, json={"state": "published",
                                                 "publish_at": at(srv, hours=1)}),
                 409, "conflict", "publish_at")
    put_translation(admin, aid, "en", publish_at=at(srv, hours=1))
    # Publishing by hand clears the schedule.
    t = put_translation(admin, aid, "en", state="published")
    assert t["publish_at"] is None
    assert_error(admin.request("PUT", url, json={"publish_at": at(srv, hours=1)}), 409,
                 "conflict", "publish_at")
