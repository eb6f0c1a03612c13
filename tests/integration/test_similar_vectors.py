"""Similar tickets by sentence vectors (issue 22): once triage's training has trained the vector
model, the desk's similar tickets come from the vectors of the solved tickets' subjects and tags
(`method` "vectors"), so a ticket written in other words than any subject finds its topic, which
BM25 over subjects and tags (`method` "bm25", before any training) does not; a ticket solved
afterwards gets its vector in the write that solves it; merged-away tickets and the tickets of an
erased contact lose theirs."""

import pytest

from ticket_support import new_ticket, patch, status_id
from waiting import wait_until

# Four topics, ten solved tickets each. The subjects name the topic; the messages tell it in
# other words, which the vector model learns from (it reads subjects and first messages).
TOPICS = {
    "printer": ("Printer offline",
                "printer queue stuck, pages jammed, toner low, printer offline, queue of pages"),
    "vpn": ("Cannot connect to VPN",
            "vpn tunnel drops, login token rejected, remote vpn authentication, tunnel token"),
    "invoice": ("Invoice address is wrong",
                "invoice billing address and company name wrong, corrected invoice, billing"),
    "refund": ("Refund not received",
               "refund money to card, parcel returned, refund by courier, money card"),
}
# The printer topic in words of its messages and none of any subject or tag.
PARAPHRASE = "Pages jammed and toner stuck in the queue"


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    from conftest import _Servers
    servers = _Servers(tmp_path_factory, "vectors")
    srv = servers(clock=True)
    admin = srv.admin
    solved = status_id(admin, "solved")
    made = {topic: [] for topic in TOPICS}
    for i in range(10):
        for topic, (subject, body) in TOPICS.items():
            t = new_ticket(admin, subject=f"{subject} #{i}", body=body, status=solved, tags=[topic])
            made[topic].append(t)
    asked = new_ticket(admin, subject=PARAPHRASE, body="help")
    yield {"srv": srv, "admin": admin, "made": made, "asked": asked, "solved": solved}
    servers.finish()


def similar(admin, number, limit=5):
    r = admin.get(f"/api/v1/tickets/{number}/similar?limit={limit}")
    assert r.status == 200, r
    return r.body


def topic_of(subject):
    for topic, (s, _) in TOPICS.items():
        if subject.startswith(s):
            return topic
    return None


def train(desk):
    r = desk["admin"].post("/api/v1/triage/train", json={})
    assert r.status == 202, r
    # Idle once the training job is done: asked again while a busy machine trains.
    for _ in range(8):
        r = desk["admin"].post("/api/v1/test/idle", json={"timeout_seconds": 25})
        if r.status == 200:
            break
        assert r.status == 503, r
    else:
        raise AssertionError("the training did not finish in 200 s")
    # The node loads the new model's index in the background; until then the index it had
    # answers (none here: BM25).
    return wait_until(lambda: index_ready(desk["admin"]), what="the vector index")


def index_ready(admin):
    """The node's vector index when it is the newest model's, else None."""
    r = admin.get("/api/v1/triage")
    assert r.status == 200, r
    similar = r.body["similar"]
    index = similar["index"]
    return index if index and index["model_id"] == similar["model_id"] else None


def test_before_training_bm25_misses_what_the_vectors_find_after(desk):
    admin, asked = desk["admin"], desk["asked"]
    before = similar(admin, asked["number"])
    assert before["method"] == "bm25", before
    # No word of the paraphrase is in a printer subject or tag: BM25 does not find one first.
    assert [topic_of(t["subject"]) for t in before["tickets"]][:1] != ["printer"], before
    assert admin.get("/api/v1/triage").body["similar"] == {"model_id": None, "index": None}
    index = train(desk)
    # Loaded after the training without any search asking: the first search does not load it.
    assert index["size"] == 40 and index["loads"] >= 1, index
    after = similar(admin, asked["number"])
    assert after["method"] == "vectors", after
    assert index_ready(admin)["loads"] == index["loads"]
    topics = [topic_of(t["subject"]) for t in after["tickets"]]
    assert topics[:3] == ["printer"] * 3, after
    printers = {t["number"] for t in desk["made"]["printer"]}
    assert {t["number"] for t in after["tickets"][:3]} <= printers
    assert all(t["category"] == "solved" for t in after["tickets"])


def test_a_ticket_solved_after_training_gets_its_vector_at_once(desk):
    admin = desk["admin"]
    fresh = new_ticket(admin, subject="Toner low, pages stuck", body="x")
    numbers = [t["number"] for t in similar(admin, desk["asked"]["number"], 20)["tickets"]]
    assert fresh["number"] not in numbers  # not solved yet
    patch(admin, fresh["number"], {"status": desk["solved"]})
    got = similar(admin, desk["asked"]["number"], 20)
    assert got["method"] == "vectors"
    assert fresh["number"] in [t["number"] for t in got["tickets"]], got


def test_merged_away_and_erased_tickets_lose_their_vectors(desk):
    admin = desk["admin"]
    found = [t["number"] for t in similar(admin, desk["asked"]["number"], 20)["tickets"]]
    merged, erased = found[0], found[1]
    target = desk["made"]["vpn"][0]["number"]
    r = admin.post(f"/api/v1/tickets/{merged}/merge", json={"into": target})
    assert r.status == 200, r
    requester = admin.get(f"/api/v1/tickets/{erased}").body["requester"]["id"]
    r = admin.post(f"/api/v1/contacts/{requester}/erase", json={"confirm": True})
    assert r.status == 200, r
    got = similar(admin, desk["asked"]["number"], 20)
    assert got["method"] == "vectors"
    numbers = [t["number"] for t in got["tickets"]]
    assert merged not in numbers and erased not in numbers, got
    # The erased contact's ticket is still solved and BM25 would still find it by its subject;
    # only its vector went.
    assert admin.get(f"/api/v1/tickets/{erased}").body["status"]["category"] == "solved"
    # A training stores every solved ticket's vector again, from what the subject is now.
    train(desk)
    numbers = [t["number"] for t in similar(admin, desk["asked"]["number"], 20)["tickets"]]
    assert merged not in numbers
